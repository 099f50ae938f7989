// Issue 13, "a clone is a working install": the README's Quick start, read from README.md and run
// as written. A copy of this working tree stands for a fresh clone; its install line runs in it,
// `npm pack` makes the tarball, the tarball's install line installs it into a temporary global
// prefix, and the create/up/validate block runs with that prefix first on PATH, in a temporary
// HOME, in a network namespace of its own (loopback only: a host without internet, whatever this
// one has, and default ports no other test holds). The interactive `create` is answered on a
// pseudo-terminal (`script`), as a person on this host would answer: the miner profile, native mode.
// Stand-in, labelled: the copy gets this tree's node_modules, as `npm install` would fetch them,
// so that no registry is needed for the development dependencies.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, realpathSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { load } from 'js-yaml';
import { prerequisites } from './support/prereq.js';
import { tempDir } from './support/stack.js';
import { CORE_SERVICES, enabledServices } from '../cli/services/table.js';
import { onPath } from '../cli/run/binaries.js';
import { pidRecords, type PidRecord } from '../cli/run/pidfile.js';
import type { StackSpec } from '../cli/spec/types.js';

const ROOT = join(__dirname, '..');
const PKG = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string; dependencies?: Record<string, string> };

// ---- The Quick start, from README.md -------------------------------------------------------

/** The `sh` code blocks of the README's "## Quick start" section, in order. */
export function quickStartBlocks(readme: string): string[] {
  const start = readme.indexOf('\n## Quick start\n');
  if (start < 0) throw new Error('README.md has no "## Quick start" section');
  const end = readme.indexOf('\n## ', start + 1);
  const section = readme.slice(start, end < 0 ? undefined : end);
  return [...section.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map((m) => m[1]);
}

/** A block's commands: continued lines joined, blank and comment-only lines left out. */
export function commandsOf(block: string): string[] {
  return block
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
}

interface QuickStart {
  cloneInstall: string[];
  tarballInstall: string[];
  run: string[];
  nonInteractive: string[];
}

/** The four blocks, each told by what it does; a block none of them is would be an untested command. */
function quickStart(): QuickStart {
  const blocks = quickStartBlocks(readFileSync(join(ROOT, 'README.md'), 'utf8')).map(commandsOf);
  const pick = (what: string, test: (cmds: string[]) => boolean) => {
    const found = blocks.filter(test);
    if (found.length !== 1) throw new Error(`the Quick start should have one block that ${what}; found ${found.length}`);
    return found[0];
  };
  const qs: QuickStart = {
    cloneInstall: pick('installs from the clone', (c) => c.some((l) => /npm install -g \.(\s|$)/.test(l))),
    tarballInstall: pick('installs a tarball', (c) => c.some((l) => /npm install -g \S+\.tgz/.test(l))),
    run: pick('creates (asking), starts and validates', (c) => c.some((l) => /^fibre-stack create \S+\s*(#.*)?$/.test(l))),
    nonInteractive: pick('creates with --yes', (c) => c.some((l) => /^fibre-stack create .*--yes/.test(l))),
  };
  if (blocks.length !== 4) throw new Error(`the Quick start has ${blocks.length} sh blocks; this test runs 4 (install from a clone, from a tarball, create/up/validate, non-interactive create)`);
  return qs;
}

// ---- Running commands as written -------------------------------------------------------------

interface Step {
  command: string;
  code: number;
  output: string;
}

const MARK = '@@quickstart';

/** A bash script running the commands in order, each framed by markers with its exit code. */
function instrumented(commands: string[]): string {
  const lines = ['exec 2>&1'];
  commands.forEach((c, i) => lines.push(`printf '\\n${MARK} start ${i}\\n'`, c, `printf '\\n${MARK} rc ${i} %d\\n' "$?"`));
  return lines.join('\n') + '\n';
}

/** Terminal output as text: no escape sequences, no carriage returns. */
const plain = (s: string) => s.replace(/\x1b\[[0-9;?]*[ -/]*[@-~]/g, '').replace(/\x1b[()][0-9A-Za-z]/g, '').replace(/\r/g, '');

function steps(commands: string[], output: string): Step[] {
  const text = plain(output);
  return commands.map((command, i) => {
    const from = text.indexOf(`${MARK} start ${i}\n`);
    const rc = new RegExp(`${MARK} rc ${i} (\\d+)\\n`).exec(text);
    if (from < 0 || !rc) return { command, code: -1, output: from < 0 ? '(never ran)' : text.slice(from) };
    return { command, code: Number(rc[1]), output: text.slice(from + `${MARK} start ${i}\n`.length, rc.index) };
  });
}

function runBlock(commands: string[], cwd: string, env: NodeJS.ProcessEnv, work: string, wrap: string[] = []): Step[] {
  const script = join(work, `block-${Date.now()}.sh`);
  writeFileSync(script, instrumented(commands));
  const [cmd, ...args] = [...wrap, 'bash', script];
  const r = spawnSync(cmd, args, { cwd, env, encoding: 'utf8', timeout: 300_000 });
  return steps(commands, r.stdout + r.stderr);
}

const describeStep = (s: Step) => `${s.command}\n${s.output}`;

// ---- Prerequisites ---------------------------------------------------------------------------

/** Whether npm can get the package's dependencies, from its cache or the registry. */
function dependenciesObtainable(): string | undefined {
  // The bundled CLI has none today; a dependency added later must be obtainable for the tarball install.
  for (const [name, range] of Object.entries(PKG.dependencies ?? {})) {
    const r = spawnSync('npm', ['view', `${name}@${range}`, 'version', '--prefer-offline'], { encoding: 'utf8', timeout: 60_000 });
    if (r.status !== 0) return `npm able to get ${name}@${range} from its cache or the registry (${r.stderr.trim().split('\n')[0]})`;
  }
  return undefined;
}

const ready = prerequisites('quick start', {
  commands: ['npm', 'git', 'tar', 'script', 'ip', 'prometheus', 'prometheus-alertmanager'],
  root: true, // a network namespace of its own
  check: () => (existsSync(join(ROOT, 'node_modules')) ? dependenciesObtainable() : 'node_modules in the repository (npm install)'),
});

// ---- The test --------------------------------------------------------------------------------

const DOWN = '\x1b[B';
const ENTER = '\r';
const SPACE = ' ';
const CLEAR = '\x15'; // Ctrl-U

describe.runIf(ready)('the README Quick start, run as written', () => {
  const qs = ready ? quickStart() : undefined!;
  const work = ready ? tempDir('fibre-stack-quickstart-') : '';
  const clone = join(work, 'clone');
  const clonePrefix = join(work, 'clone-prefix');
  const host = join(work, 'host');
  const hostPrefix = join(work, 'host-prefix');
  const home = join(work, 'home');
  const netns = `fibre-stack-qs-${process.pid}`;
  const stackDir = join(host, 'my-stack');
  const minerLog = join(home, 'miner', 'card0.log');
  let started: PidRecord[] = [];
  /** The stack's services whose programs are not on PATH here (the network namespace allows no download). */
  let missing: string[] = [];
  let nsMade = false;

  const npmEnv = (prefix: string): NodeJS.ProcessEnv => ({
    ...process.env,
    npm_config_prefix: prefix,
    npm_config_prefer_offline: 'true',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
  });
  // The user of the Quick start: the tarball's commands first on PATH, a HOME of their own (so an
  // empty ~/.cache/fibre-stack), and nothing that would point fibre-stack elsewhere.
  const userEnv = (): NodeJS.ProcessEnv => {
    const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, PATH: `${join(hostPrefix, 'bin')}:${process.env.PATH}`, TERM: 'xterm' };
    for (const k of ['XDG_CACHE_HOME', 'XDG_CONFIG_HOME', 'FIBRE_STACK_CACHE', 'FIBRE_BPFTRACE']) delete env[k];
    return env;
  };
  const inNetns = ['ip', 'netns', 'exec', netns];
  const userRun = (args: string[], cwd = stackDir) => {
    const r = spawnSync(inNetns[0], [...inNetns.slice(1), 'fibre-stack', ...args], { cwd, env: userEnv(), encoding: 'utf8', timeout: 180_000 });
    return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
  };

  afterAll(() => {
    if (!ready) return;
    if (nsMade && existsSync(join(stackDir, 'fibre-stack.yml'))) userRun(['down']);
    // Left running only when a step failed; a pid now running anything else is not touched.
    const stillOurs = (r: PidRecord) => {
      try {
        return readFileSync(`/proc/${r.pid}/cmdline`, 'utf8') === r.argv.join('\0') + '\0';
      } catch {
        return false;
      }
    };
    for (const r of started.filter(stillOurs)) process.kill(r.pid, 'SIGKILL');
    if (nsMade) spawnSync('ip', ['netns', 'del', netns]);
    rmSync(work, { recursive: true, force: true });
  });

  it('the clone install line runs as written in a copy of this tree, and its fibre-stack can rebuild the dashboards', () => {
    mkdirSync(clone, { recursive: true });
    const listed = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard', '--deduplicate'], { cwd: ROOT, encoding: 'utf8' });
    expect(listed.status).toBe(0);
    // A tracked file deleted in the working tree is not in a clone of it.
    const files = listed.stdout.split('\0').filter((f) => f && existsSync(join(ROOT, f)));
    const tar = spawnSync('sh', ['-c', 'tar -C "$1" --null -T - -cf - | tar -C "$2" -xf -', 'sh', ROOT, clone], { input: files.join('\0') });
    expect(tar.status, tar.stderr?.toString()).toBe(0);
    expect(spawnSync('cp', ['-a', join(ROOT, 'node_modules'), clone]).status).toBe(0);

    const [step, ...rest] = runBlock(qs.cloneInstall, clone, npmEnv(clonePrefix), work);
    expect(rest).toEqual([]);
    expect(step.code, describeStep(step)).toBe(0);
    // `npm install -g .` links the clone.
    expect(realpathSync(join(clonePrefix, 'lib', 'node_modules', 'fibre-stack'))).toBe(realpathSync(clone));
    const env = { ...process.env, PATH: `${join(clonePrefix, 'bin')}:${process.env.PATH}` };
    for (const bin of ['fibre-stack', 'create-fibre-stack']) {
      const help = spawnSync(bin, ['--help'], { env, encoding: 'utf8' });
      expect(help.status, `${bin} --help: ${help.stderr}`).toBe(0);
    }
    const check = spawnSync('fibre-stack', ['dashboards', '--check'], { env, encoding: 'utf8', timeout: 120_000 });
    expect(check.status, check.stdout + check.stderr).toBe(0);
    expect(check.stdout).toMatch(/match the code/);
  });

  it('npm pack in the built clone, then the tarball install line as written', () => {
    const pack = spawnSync('npm', ['pack', '--json'], { cwd: clone, env: npmEnv(clonePrefix), encoding: 'utf8', timeout: 120_000 });
    expect(pack.status, pack.stderr).toBe(0);
    const tarball = (JSON.parse(pack.stdout) as { filename: string }[])[0].filename;
    expect(tarball).toBe(`fibre-stack-${PKG.version}.tgz`);
    mkdirSync(host, { recursive: true });
    renameSync(join(clone, tarball), join(host, tarball));

    const [step, ...rest] = runBlock(qs.tarballInstall, host, npmEnv(hostPrefix), work);
    expect(rest).toEqual([]);
    expect(step.code, describeStep(step)).toBe(0);
    // A copy, not a link: the tarball host needs no clone.
    const installed = join(hostPrefix, 'lib', 'node_modules', 'fibre-stack');
    expect(realpathSync(installed)).toBe(installed);
    expect(realpathSync(join(hostPrefix, 'bin', 'fibre-stack'))).toBe(join(installed, 'dist', 'cli', 'main.js'));
  });

  it('the installed commands run: fibre-stack --help, create-fibre-stack --help; dashboards says to use a clone', () => {
    const env = userEnv();
    const help = spawnSync('fibre-stack', ['--help'], { env, encoding: 'utf8' });
    expect(help.status, help.stderr).toBe(0);
    expect(help.stdout).toMatch(/fibre-stack create \[dir\]/);
    const createHelp = spawnSync('create-fibre-stack', ['--help'], { env, encoding: 'utf8' });
    expect(createHelp.status, createHelp.stderr).toBe(0);
    expect(createHelp.stdout).toMatch(/--profiles/);
    // A tarball install has no development dependencies (the Grafana SDK) and no profile sources.
    const dashboards = spawnSync('fibre-stack', ['dashboards'], { env, cwd: host, encoding: 'utf8' });
    expect(dashboards.status).toBe(2);
    expect(dashboards.stderr).toMatch(/run it in a clone of fibre-stack after `npm install`/);
  });

  it('create (answered on a terminal), cd, up --detach and validate run as written; the README says what comes up', async () => {
    mkdirSync(join(home, 'miner'), { recursive: true });
    writeFileSync(minerLog, '');
    expect(spawnSync('ip', ['netns', 'add', netns]).status).toBe(0);
    nsMade = true;
    expect(spawnSync('ip', ['netns', 'exec', netns, 'ip', 'link', 'set', 'lo', 'up']).status).toBe(0);

    const script = join(work, 'quickstart.sh');
    writeFileSync(script, instrumented(qs.run));
    const child = spawn(inNetns[0], [...inNetns.slice(1), 'script', '-qfec', `bash ${script}`, '/dev/null'], { cwd: host, env: userEnv() });
    let screen = '';
    let all = '';
    child.stdout.on('data', (d: Buffer) => {
      screen += d.toString();
      all += d.toString();
    });
    const exited = new Promise<number>((resolve) => child.on('exit', (code) => resolve(code ?? -1)));
    async function answer(prompt: string, keys: string[]): Promise<void> {
      const deadline = Date.now() + 30_000;
      while (!screen.includes(prompt)) {
        if (Date.now() > deadline) throw new Error(`no prompt "${prompt}"; screen so far:\n${plain(all)}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      screen = screen.slice(screen.indexOf(prompt) + prompt.length);
      for (const k of keys) {
        child.stdin.write(k);
        await new Promise((r) => setTimeout(r, 80));
      }
    }
    // This host has no bitcoind: it watches a miner log, natively.
    await answer('What do you want to monitor?', [SPACE, DOWN, DOWN, SPACE, ENTER]); // fibre off, miner on
    await answer('Run the stack in', [DOWN, ENTER]); // native
    await answer('What is this stack in a fleet?', [ENTER]); // standalone
    await answer('Node name', [ENTER]);
    await answer('Miner log files', [CLEAR, minerLog, ENTER]);
    await answer('Card names', [ENTER]);
    await answer('Bitstream', [ENTER]);
    await answer('Add another miner node?', [ENTER]);
    await answer('Log agent', [ENTER]);
    await answer('Send alerts to', [ENTER]);
    await exited;
    const [create, cd, up, validate, ...rest] = steps(qs.run, all);
    expect(rest).toEqual([]);

    expect(create.code, describeStep(create)).toBe(0);
    expect(create.output).toContain(`Created a native stack for miner in ${stackDir}:`);
    expect(cd.code, describeStep(cd)).toBe(0);
    started = pidRecords(stackDir);

    // What the README promises: what cannot be had here is named with how to get it, the rest start.
    const spec = load(readFileSync(join(stackDir, 'fibre-stack.yml'), 'utf8')) as StackSpec;
    missing = enabledServices(spec).filter((s) => !CORE_SERVICES[s].binaries.some((b) => onPath(b.name)));
    expect(up.code, describeStep(up)).toBe(0);
    for (const s of ['prometheus', 'alertmanager', 'node-exporter', 'miner-exporter']) expect(up.output).toMatch(new RegExp(`${s}\\s+ready in`));
    expect(started.map((r) => r.service).sort()).toEqual(['alertmanager', 'miner-exporter', 'node-exporter', 'prometheus']);
    expect(up.output).toMatch(/Detached\. Stop with: fibre-stack down/);
    if (missing.length) {
      expect(up.output).toContain(`Not started (program not available): ${missing.join(', ')}. The rest run without them.`);
      for (const s of missing) expect(up.output).toMatch(new RegExp(`${s}\\s+cannot start: .*\\n\\s+to fix: install it`));
      expect(validate.code, describeStep(validate)).toBe(1);
      expect(validate.output).toContain(`Not healthy: ${missing.map((s) => `${s} (unavailable)`).join(', ')}`);
    } else {
      expect(validate.code, describeStep(validate)).toBe(0);
      expect(validate.output).toContain('The stack is healthy.');
    }
    // Everything that did start is proved healthy.
    expect(validate.output).toMatch(/scrape targets\s+ok/);
    expect(validate.output).toMatch(/rules\s+ok/);
    expect(validate.output).toMatch(/health\s+ok\s+http:\/\/127\.0\.0\.1:9439\/health/);
  });

  it("the stack's systemd unit says how to install the CLI, as the README does (the package is not on the registry)", () => {
    const unit = readFileSync(join(stackDir, 'systemd', 'fibre-stack-miner-exporter.service'), 'utf8');
    expect(unit).toContain(qs.tarballInstall[0].replace(/\s+#.*$/, ''));
    expect(unit).not.toMatch(/npm install -g fibre-stack\b/);
  });

  it("the README's way to run without them: disabled_services, apply, and validate passes", () => {
    const specPath = join(stackDir, 'fibre-stack.yml');
    const spec = readFileSync(specPath, 'utf8');
    expect(spec).toMatch(/^disabled_services: \[\]$/m);
    writeFileSync(specPath, spec.replace(/^disabled_services: \[\]$/m, `disabled_services: [${missing.join(', ')}]`));
    const apply = userRun(['apply']);
    expect(apply.code, apply.stdout + apply.stderr).toBe(0);
    const validate = userRun(['validate', '--wait', '60']);
    expect(validate.code, validate.stdout + validate.stderr).toBe(0);
    expect(validate.stdout).toContain('The stack is healthy.');
  });

  it('fibre-stack down stops every process it started', () => {
    const down = userRun(['down']);
    expect(down.code, down.stdout + down.stderr).toBe(0);
    expect(pidRecords(stackDir)).toEqual([]);
    for (const r of started) expect(existsSync(`/proc/${r.pid}`) && !/^\S+ \(.*\) Z/.test(readFileSync(`/proc/${r.pid}/stat`, 'utf8'))).toBe(false);
  });

  it('the non-interactive create runs as written', () => {
    const elsewhere = join(work, 'elsewhere');
    mkdirSync(elsewhere);
    const [create, ...rest] = runBlock(qs.nonInteractive, elsewhere, userEnv(), work);
    expect(rest).toEqual([]);
    expect(create.code, describeStep(create)).toBe(0);
    expect(create.output).toContain(`Created a docker stack for fibre, miner in ${join(elsewhere, 'my-stack')}:`);
    // Its paths are examples: on this host they are missing, which create says and does not refuse.
    expect(create.output).toMatch(/warning: \/usr\/local\/bin\/bitcoind does not exist on this host/);
  });
});
