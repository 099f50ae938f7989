// fibre-stack report: the status page. Reads the stack's Prometheus (its HTTP API only: no Grafana
// or Alertmanager needed) and writes one self-contained HTML page, serves it, or prints its model.
import { createServer } from 'node:http';
import { existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Argv, CommandModule } from 'yargs';
import { UserError } from '../../core/errors.js';
import { readSpec } from '../io/spec-io.js';
import { SPEC_FILE } from '../render/spec-file.js';
import { defaultProfile, defaultSpec } from '../spec/defaults.js';
import { PROFILE_IDS, type StackSpec } from '../spec/types.js';
import { PROFILES } from '../../profiles/registry.js';
import { renderStatusHtml, statusSource, type StatusModel } from '../report/index.js';
import { stackDirOption } from './dir-option.js';

interface ReportArgs {
  dir: string;
  prometheus?: string;
  html?: string;
  force: boolean;
  serve?: number;
  json: boolean;
}

/** How often a served page reloads itself. */
const SERVED_REFRESH_SECONDS = 60;

/** With no stack folder, every profile at its defaults and every service: whatever Prometheus has of them shows. */
function anyStack(): StackSpec {
  return { ...defaultSpec(), profiles: Object.fromEntries(PROFILE_IDS.map((id) => [id, [defaultProfile(id)]])) };
}

function stackOf(args: ReportArgs): { spec: StackSpec; guessed: boolean } {
  const dir = resolve(args.dir);
  if (existsSync(join(dir, SPEC_FILE))) {
    const spec = readSpec(dir);
    // A fleet hub's spec names its nodes, not what they run: every profile, shown where the nodes send its series.
    return spec.fleet?.role === 'hub' ? { spec: { ...spec, profiles: anyStack().profiles }, guessed: true } : { spec, guessed: false };
  }
  if (args.prometheus) return { spec: anyStack(), guessed: true };
  throw new UserError(`no ${SPEC_FILE} in ${dir}: pass --dir to a stack folder, or --prometheus URL to report on any Prometheus`);
}

function printSummary(model: StatusModel): void {
  const out: string[] = [`${model.state.padEnd(6)} overall, ${model.alerts.length} alert(s) firing`];
  for (const s of model.sections) {
    out.push(`${s.state.padEnd(6)} ${s.title}${s.reasons.length ? `: ${s.reasons.join('; ')}` : ''}`);
    for (const n of s.nodes) out.push(`${n.state.padEnd(6)}   ${n.name}${n.host ? ` on ${n.host}` : ''} (${n.job})${n.reasons.length ? `: ${n.reasons.join('; ')}` : ''}`);
  }
  process.stdout.write(out.join('\n') + '\n');
}

function writePage(file: string, html: string, force: boolean): void {
  const path = resolve(file);
  try {
    writeFileSync(path, html, { flag: force ? 'w' : 'wx', mode: 0o644 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw new UserError(`${path} exists: pass --force to overwrite it, or name another file`);
    throw new UserError(`cannot write ${path}: ${(err as Error).message}`);
  }
  process.stdout.write(`Wrote the status page to ${pathToFileURL(path).href}\n`);
}

/** Serves the page, read anew from Prometheus for each request, until SIGINT or SIGTERM. */
async function serve(read: () => Promise<StatusModel>, host: string, port: number): Promise<void> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (req.method !== 'GET' || (path !== '/' && path !== '/status.json')) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: the status page is at /, its model at /status.json\n');
      return;
    }
    read().then(
      (model) => {
        if (path === '/status.json') res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(model));
        else res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(renderStatusHtml(model, { refreshSeconds: SERVED_REFRESH_SECONDS }));
      },
      (err: Error) => res.writeHead(502, { 'content-type': 'text/plain; charset=utf-8' }).end(`${err.message}\n`),
    );
  });
  await new Promise<void>((ok, fail) => server.once('error', fail).listen(port, host, ok));
  const address = server.address();
  const bound = typeof address === 'object' && address ? address.port : port;
  process.stdout.write(`Serving the status page at http://${host.includes(':') ? `[${host}]` : host}:${bound}/ (Ctrl-C stops)\n`);
  await new Promise<void>((done) => {
    const stop = () => server.close(() => done());
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

export const reportCommand: CommandModule<object, ReportArgs> = {
  command: 'report',
  describe: 'The status page: every node and profile green, orange or red with the reason, firing alerts and headline numbers, from Prometheus alone',
  builder: (y) =>
    y
      .option('dir', stackDirOption)
      .option('prometheus', { type: 'string', describe: "Prometheus's URL (default: the stack's, from its fibre-stack.yml)" })
      .option('html', { type: 'string', describe: 'Write the page to this file (one self-contained HTML file)' })
      .option('force', { type: 'boolean', default: false, describe: 'Overwrite the --html file when it exists' })
      .option('serve', { type: 'number', describe: "Serve the page on this port of the stack's bind address, read anew for each request (0: any free port)" })
      .option('json', { type: 'boolean', default: false, describe: 'Print what the page shows as JSON' })
      .epilog('Without --html, --serve or --json, prints each section and node with its state. Exit codes: 0 the page was made (whatever it shows), 2 no stack or Prometheus unreachable.') as unknown as Argv<ReportArgs>,
  handler: async (args) => {
    const { spec, guessed } = stackOf(args);
    const source = statusSource(spec, PROFILES, { prometheus: args.prometheus, guessed });
    if (args.serve !== undefined) {
      await serve(source.read, spec.bind_address, args.serve);
      return;
    }
    const model = await source.read();
    if (args.html) writePage(args.html, renderStatusHtml(model), args.force);
    if (args.json) process.stdout.write(JSON.stringify(model, null, 2) + '\n');
    if (!args.html && !args.json) printSummary(model);
  },
};
