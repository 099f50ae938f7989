// `npm run build` (after `tsc`, which only type-checks): bundles the CLI with esbuild into dist/,
// the one build that the published package, the exporter image, the tests and `npm run bench` run.
//
// - dist/cli/main.js (`fibre-stack`) and dist/cli/create-main.js (`create-fibre-stack`) are ESM
//   entries; every command is a lazily imported chunk under dist/chunks/, so `create` never
//   loads the Docker client, the PromQL parser or the exporter. Node resolves one file per chunk
//   instead of hundreds of small modules, and the package installs with no dependencies.
// - dist/dev/artifacts.js: what `fibre-stack dashboards` builds with, Grafana's SDK included (not
//   published: see artifactsApart below).
// - dist/scripts/bench/*.js: the benchmarks, bundled from source with node_modules left to Node
//   (they run in a clone).
// - dist/THIRD-PARTY-LICENSES.md: the licence of every package bundled into the shipped files.
//
// Plain JavaScript because it runs before anything is compiled. Writes each file atomically and
// then deletes what the build no longer makes, so a test running the CLI meanwhile never reads
// half a file.
import { build } from 'esbuild';
import Handlebars from 'handlebars';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const DIST = join(ROOT, 'dist');

// Bundled CommonJS packages use require(), __filename and __dirname, which an ES module lacks;
// each output file makes them from its own URL. esbuild's require shim finds `require` (and
// renames bundled modules' own top-level `require`); the other two are renamed by `define` in
// CommonJS code only, since ES modules (yargs) declare their own.
const CJS_GLOBALS = [
  "import { createRequire as __fibreCreateRequire } from 'node:module';",
  "import { fileURLToPath as __fibreFileURLToPath } from 'node:url';",
  'const require = __fibreCreateRequire(import.meta.url);',
  'const __fibreFilename = __fibreFileURLToPath(import.meta.url);',
  "const __fibreDirname = __fibreFilename.slice(0, __fibreFilename.lastIndexOf('/'));",
].join('\n');

const COMMON = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20.19',
  write: false,
  metafile: true,
  logLevel: 'warning',
  // Stack traces of real bugs stay readable; whitespace and syntax are all that shrink.
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'none', // THIRD-PARTY-LICENSES.md carries them, whole
  banner: { js: CJS_GLOBALS },
  define: { __filename: '__fibreFilename', __dirname: '__fibreDirname' },
  absWorkingDir: ROOT,
};

// string-width, which yargs lays out its help with after every command, answers plain ASCII from
// scripts/lib/ascii-width.mjs and is loaded (lazily, by a require() esbuild defers) only for
// other text. Each importer keeps its own version of it.
const asciiFirstStringWidth = {
  name: 'ascii-first-string-width',
  setup(b) {
    b.onResolve({ filter: /^string-width$/ }, async (args) => {
      if (args.pluginData?.real) return undefined;
      const real = await b.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, pluginData: { real: true } });
      if (real.errors.length) return { errors: real.errors };
      return { path: real.path, namespace: 'ascii-first', pluginData: { real: real.path } };
    });
    // CommonJS, so that both `import stringWidth from` (yargs, cliui) and `require()` (the
    // prompts' wrap-ansi, string-width 4) get the function.
    b.onLoad({ filter: /.*/, namespace: 'ascii-first' }, (args) => ({
      loader: 'js',
      resolveDir: ROOT,
      contents: [
        `const { asciiWidth } = require(${JSON.stringify(join(ROOT, 'scripts', 'lib', 'ascii-width.mjs'))});`,
        'let real;',
        'function stringWidth(string, options) {',
        '  const width = asciiWidth(string);',
        '  if (width !== undefined) return width;',
        `  if (!real) { const m = require(${JSON.stringify(args.path)}); real = typeof m === 'function' ? m : m.default; }`,
        '  return real(string, options);',
        '}',
        'module.exports = stringWidth;',
        'module.exports.default = stringWidth;',
      ].join('\n'),
    }));
  },
};

// yargs' factory gives every instance a version option by guessing the version: it reads each
// folder from the one above the bundle's node_modules (or, in a clone, from the working folder) up
// to / until one holds a package.json, a directory listing per level on every start (9 ms for a
// /tmp of 12,000 entries). cli/program.ts names the version itself, so the guess is left out; the
// build fails if yargs stops making it the way this expects.
const yargsNamedVersion = {
  name: 'yargs-named-version',
  setup(b) {
    b.onLoad({ filter: /[\\/]node_modules[\\/]yargs[\\/]build[\\/]lib[\\/]yargs-factory\.js$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      const guess = '        yargs.help();\n        yargs.version();\n';
      if (!source.includes(guess)) throw new Error(`${args.path}: yargs' factory no longer calls yargs.version() where the yargs-named-version plugin of scripts/build.mjs expects it`);
      return { loader: 'js', contents: source.replace(guess, '        yargs.help();\n') };
    });
  },
};

// cli/render/precompiled-templates.ts, filled: every templates/**/*.hbs compiled with the options
// of cli/render/handlebars.ts, keyed by its text.
const precompiledTemplates = {
  name: 'precompiled-templates',
  setup(b) {
    b.onLoad({ filter: /[\\/]cli[\\/]render[\\/]precompiled-templates\.ts$/ }, () => {
      const dir = join(ROOT, 'templates');
      const entries = readdirSync(dir, { recursive: true })
        .filter((f) => f.endsWith('.hbs'))
        .sort()
        .map((f) => {
          const source = readFileSync(join(dir, f), 'utf8');
          return `[${JSON.stringify(source)}, ${Handlebars.precompile(source, { strict: true, noEscape: true })}]`;
        });
      return { loader: 'js', contents: `export const PRECOMPILED_TEMPLATES = new Map([\n${entries.join(',\n')}\n]);\n`, watchFiles: [dir] };
    });
  },
};

// dockerode requires gRPC and protobuf (over half a megabyte bundled) for BuildKit sessions
// (buildImage with version "2") and BuildKit progress (docker.followProgress), neither of which
// fibre-stack uses: cli/run/image-build.ts builds with the classic builder and reads progress
// through docker.modem.followProgress. In their place, a module that says so if ever used.
const withoutBuildKit = {
  name: 'without-buildkit',
  setup(b) {
    b.onResolve({ filter: /^(@grpc\/grpc-js|@grpc\/proto-loader|protobufjs)$/ }, (args) =>
      /[\\/]node_modules[\\/]dockerode[\\/]/.test(args.importer) ? { path: args.path, namespace: 'without-buildkit' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'without-buildkit' }, (args) => ({
      loader: 'js',
      contents: `module.exports = new Proxy({}, { get(_, key) {
        if (typeof key === 'symbol' || key === '__esModule') return undefined;
        throw new Error(${JSON.stringify(`${args.path} is left out of fibre-stack's bundle: dockerode needs it only for BuildKit, which fibre-stack does not use (scripts/build.mjs)`)});
      } });`,
    }));
  },
};

// What `fibre-stack dashboards` builds dashboards, rules and runbooks with (cli/artifacts/) uses
// Grafana's foundation SDK, some 240 CommonJS modules that take Node most of a 300 ms start to
// load one by one. It is bundled on its own, SDK included, into dist/dev/artifacts.js: one file
// to load, and not in the published package (package.json files), which ships those artifacts
// built and has no profile sources to build them from.
const ARTIFACTS_BUNDLE = 'dist/dev/artifacts.js';
const artifactsApart = {
  name: 'artifacts-apart',
  setup(b) {
    b.onResolve({ filter: /^\.\.\/artifacts\/index\.js$/ }, (args) =>
      /[\\/]cli[\\/]commands[\\/]dashboards\.ts$/.test(args.importer) ? { path: `../${ARTIFACTS_BUNDLE.replace(/^dist\//, '')}`, external: true } : undefined,
    );
  },
};

const cli = await build({
  ...COMMON,
  entryPoints: ['cli/main.ts', 'cli/create-main.ts'],
  outbase: '.',
  outdir: 'dist',
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  plugins: [asciiFirstStringWidth, yargsNamedVersion, precompiledTemplates, withoutBuildKit, artifactsApart],
  external: [
    // Only cli/artifacts/ uses it, from dist/dev/artifacts.js (above); the profiles' dashboard
    // modules that import it are reachable from here only through imports create never makes.
    '@grafana/grafana-foundation-sdk',
    '@grafana/grafana-foundation-sdk/*',
    // ssh2's optional native helpers (ssh:// DOCKER_HOST only); ssh2 loads them in try/catch and
    // falls back to Node's crypto when they are absent, as they are in this package.
    'cpu-features',
    '*.node',
  ],
  // handlebars' main file only adds a require.extensions hook (for require('x.hbs')) to the
  // library, which we never use and esbuild warns about.
  alias: { handlebars: 'handlebars/dist/cjs/handlebars.js' },
});

const artifacts = await build({
  ...COMMON,
  entryPoints: ['cli/artifacts/index.ts'],
  outfile: ARTIFACTS_BUNDLE,
  plugins: [asciiFirstStringWidth, precompiledTemplates],
});

const benches = await build({
  ...COMMON,
  entryPoints: readdirSync(join(ROOT, 'scripts', 'bench')).filter((f) => f.endsWith('.ts')).map((f) => `scripts/bench/${f}`),
  outbase: '.',
  outdir: 'dist',
  packages: 'external',
});

const outputs = [...cli.outputFiles, ...artifacts.outputFiles, ...benches.outputFiles].map((f) => ({ path: f.path, contents: f.contents }));
outputs.push({ path: join(DIST, 'THIRD-PARTY-LICENSES.md'), contents: Buffer.from(licences(cli.metafile)) });

for (const { path, contents } of outputs) writeAtomically(path, contents);
removeAllBut(DIST, new Set(outputs.map((o) => o.path)));

// `node scripts/build.mjs --metafile FILE`: what each output file holds, for finding what a
// command loads (https://esbuild.github.io/analyze/ reads it).
const metafileAt = process.argv.indexOf('--metafile');
if (metafileAt > 0) writeFileSync(process.argv[metafileAt + 1], JSON.stringify(cli.metafile));

const size = (f) => f.contents.length;
const cliBytes = cli.outputFiles.reduce((n, f) => n + size(f), 0);
console.log(`build: ${cli.outputFiles.length} CLI files (${(cliBytes / 1024).toFixed(0)} KiB) and ${benches.outputFiles.length} benchmarks in dist/`);

function writeAtomically(path, contents) {
  const current = existsSync(path) ? readFileSync(path) : undefined;
  if (current && Buffer.compare(current, contents) === 0) return;
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, contents);
  renameSync(tmp, path);
}

/** Deletes every file under dir that is not in keep (earlier builds' chunks, tsc's old output). */
function removeAllBut(dir, keep) {
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) {
      removeAllBut(full, keep);
      if (readdirSync(full).length === 0) rmdirSync(full);
    } else if (!keep.has(full) && !full.endsWith('.tmp')) unlinkSync(full); // a .tmp: a build running meanwhile is writing it
  }
}

/** The licence of each package the CLI bundle contains, as their licences ask of a redistribution. */
function licences(metafile) {
  const packages = new Map(); // name@version -> [folder, package.json]: a copy twice in node_modules is listed once
  for (const input of Object.keys(metafile.inputs)) {
    if (/^[a-z-]+:/.test(input)) continue; // a plugin's module (ascii-first:, without-buildkit:)
    const parts = input.split(/[\\/]/);
    const at = parts.lastIndexOf('node_modules');
    if (at < 0) continue;
    const dir = join(ROOT, ...parts.slice(0, at + (parts[at + 1].startsWith('@') ? 3 : 2)));
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    packages.set(`${pkg.name}@${pkg.version}`, [dir, pkg]);
  }
  const sections = [...packages.values()]
    .sort(([, a], [, b]) => a.name.localeCompare(b.name) || a.version.localeCompare(b.version))
    .map(([dir, pkg]) => {
      const file = readdirSync(dir).find((f) => /^(licen[cs]e|copying)(\.|$)/i.test(f));
      // `licenses: [{ type }]` is the old form of the field (ssh2 still uses it).
      const licence = pkg.license ?? pkg.licenses?.map((l) => l.type).join(' OR ');
      if (!licence) throw new Error(`build: ${relative(ROOT, dir).split(sep).join('/')} declares no licence; check it may be bundled`);
      // A few packages ship no licence text; their declared licence and home say where it is.
      const text = file ? readFileSync(join(dir, file), 'utf8').trim() : `${licence}; the package ships no licence file: ${pkg.homepage ?? pkg.repository?.url ?? pkg.repository ?? ''}`;
      return `## ${pkg.name}@${pkg.version} (${licence})\n\n\`\`\`\n${text}\n\`\`\`\n`;
    });
  return `# Third-party licences\n\nThe files in dist/cli and dist/chunks bundle these packages (by scripts/build.mjs).\n\n${sections.join('\n')}`;
}
