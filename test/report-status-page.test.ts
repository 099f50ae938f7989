// `fibre-stack report` against a real stack: Debian's Prometheus (2.42) started natively by
// `up --native`, scraping the replay exporter. The page the CLI writes is loaded in headless
// Chromium (Debian's), its states read from the DOM Chromium built, a screenshot kept under
// reports/artefacts/ for a person to look at; then the exporter is stopped and the page made
// again shows its node red with the reason. Grafana, Loki and Alertmanager are left out: the
// page needs Prometheus alone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { prerequisites } from './support/prereq.js';
import { CLI, cli, testSpec, writeTestStack } from './support/run-stack.js';
import { ROOT } from './support/cli.js';
import { eventually } from './support/scrape.js';

const ready = prerequisites('report-status-page', {
  commands: ['prometheus', 'chromium'],
  check: () => (existsSync(CLI) ? undefined : 'a built CLI (npm run build)'),
});

const ARTEFACTS = join(ROOT, 'reports', 'artefacts');
const BASE = 29900;

/** The DOM Chromium built from the page (not the file's text: what a browser makes of it). */
function chromiumDom(file: string, screenshot: string): string {
  const args = ['--headless', '--no-sandbox', '--disable-gpu', '--window-size=412,1400', '--virtual-time-budget=2000'];
  const shot = spawnSync('chromium', [...args, `--screenshot=${screenshot}`, pathToFileURL(file).href], { encoding: 'utf8', timeout: 60_000 });
  expect(shot.status, shot.stderr).toBe(0);
  const dom = spawnSync('chromium', [...args, '--dump-dom', pathToFileURL(file).href], { encoding: 'utf8', timeout: 60_000, maxBuffer: 16 << 20 });
  expect(dom.status, dom.stderr).toBe(0);
  return dom.stdout;
}

/** The opening tag of the element carrying `attr="value"`, as Chromium serialised it. */
function tagWith(dom: string, attr: string, value: string): string {
  const m = new RegExp(`<[a-z]+ [^>]*${attr}="${value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"[^>]*>`).exec(dom);
  if (!m) throw new Error(`no element with ${attr}="${value}" in the page:\n${dom.slice(0, 3000)}`);
  return m[0];
}
const stateOf = (tag: string) => /data-state="(\w+)"/.exec(tag)?.[1];
/** The element's markup from its opening tag to the end of the page: what follows it, for reasons. */
const from = (dom: string, tag: string) => dom.slice(dom.indexOf(tag));

describe.skipIf(!ready)('status page in headless Chromium', () => {
  let dir: string;
  const spec = testSpec('native', BASE, (s) => (s.disabled_services = ['alertmanager', 'grafana', 'loki']));
  const exporter = `127.0.0.1:${spec.profiles.fibre![0].exporter_port}`;
  beforeAll(async () => {
    dir = writeTestStack(spec);
    mkdirSync(ARTEFACTS, { recursive: true });
    const up = await cli(['up', '--native', '--detach', '--dir', dir], { FIBRE_STACK_CACHE: '/nonexistent/fibre-stack-cache' });
    expect(up.code, up.stdout + up.stderr).toBe(0);
  }, 120_000);
  afterAll(async () => {
    await cli(['down', '--dir', dir]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows the stack green with FIBRE headline numbers and sparklines, then the node red once its exporter stops', async () => {
    // Two range points a minute apart make a sparkline: wait for Prometheus to hold them.
    const model = await eventually(async () => {
      const r = await cli(['report', '--json', '--dir', dir]);
      expect(r.code, r.stderr).toBe(0);
      const m = JSON.parse(r.stdout);
      const fibre = m.sections.find((s: { id: string }) => s.id === 'fibre');
      expect(fibre.headlines.find((h: { title: string }) => h.title === 'Height').rows[0].spark.length).toBeGreaterThanOrEqual(2);
      return m;
    }, 150_000, 5000);
    expect(model.state).toBe('green');

    const page = join(dir, 'status.html');
    const made = await cli(['report', '--html', page, '--dir', dir]);
    expect(made.code, made.stderr).toBe(0);
    expect(made.stdout).toContain(pathToFileURL(page).href);
    const again = await cli(['report', '--html', page, '--dir', dir]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('pass --force');

    const html = readFileSync(page, 'utf8');
    // Self-contained: nothing it would fetch, no script.
    expect(html).not.toMatch(/<script|<link|\bsrc=|url\(/i);
    expect(html).toContain('name="viewport"');

    const green = chromiumDom(page, join(ARTEFACTS, 'status-page-green.png'));
    expect(stateOf(tagWith(green, 'data-section', 'fibre'))).toBe('green');
    expect(stateOf(tagWith(green, 'data-section', 'stack'))).toBe('green');
    expect(stateOf(tagWith(green, 'data-instance', exporter))).toBe('green');
    expect(stateOf(tagWith(green, 'data-instance', `127.0.0.1:${BASE}`))).toBe('green');
    const height = from(green, tagWith(green, 'data-headline', 'Height'));
    const node = spec.profiles.fibre![0].node_name;
    expect(height).toMatch(new RegExp(`<tr data-row="${node}"><th scope="row">${node}</th><td class="value">\\d{3},\\d{3}</td><td><svg class="spark"[^>]*><polyline points="[\\d., -]+"`));
    expect(from(green, tagWith(green, 'data-headline', 'FIBRE race share'))).toMatch(/<td class="value">\d+(\.\d+)? %<\/td>/);
    expect(from(green, tagWith(green, 'data-headline', 'Reconstruction time (median)'))).toMatch(/<td class="value">\d+(\.\d+)? m?s<\/td>/);
    console.log(`status page screenshots: ${ARTEFACTS}`);

    // Served: made anew for each request, on the stack's bind address.
    const server = spawn(process.execPath, [CLI, 'report', '--serve', '0', '--dir', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let said = '';
    server.stdout!.on('data', (d) => (said += d));
    server.stderr!.on('data', (d) => (said += d));
    const exited = new Promise<number | null>((ok) => server.once('exit', ok));
    try {
      const url = await eventually(() => /Serving the status page at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(said)![1], 20_000, 100);
      const res = await fetch(url);
      expect(res.status).toBe(200);
      const served = await res.text();
      expect(served).toContain('<section class="card" data-section="fibre" data-state="green">');
      expect(served).toContain('<meta http-equiv="refresh" content="60">');
      expect(JSON.parse(await (await fetch(`${url}status.json`)).text()).state).toBe('green');
      expect((await fetch(`${url}elsewhere`)).status).toBe(404);
    } finally {
      server.kill('SIGTERM');
    }
    expect(await exited, said).toBe(0);

    const pid = JSON.parse(readFileSync(join(dir, 'run', 'fibre-exporter.pid'), 'utf8')).pid as number;
    process.kill(pid, 'SIGTERM');
    // Prometheus scrapes every 15 s: the target turns down at its next scrape.
    await eventually(async () => {
      const r = await cli(['report', '--json', '--dir', dir]);
      expect(JSON.parse(r.stdout).state).toBe('red');
    }, 60_000, 2000);
    const made2 = await cli(['report', '--html', page, '--force', '--dir', dir]);
    expect(made2.code, made2.stderr).toBe(0);
    const red = chromiumDom(page, join(ARTEFACTS, 'status-page-red.png'));
    expect(stateOf(tagWith(red, 'data-section', 'fibre'))).toBe('red');
    const down = tagWith(red, 'data-instance', exporter);
    expect(stateOf(down)).toBe('red');
    expect(from(red, down)).toMatch(new RegExp(`^[^]*?<li>exporter not answering since \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC \\(Get "http://${exporter}/metrics": [^<]*connection refused\\)</li>`));
    expect(stateOf(tagWith(red, 'data-section', 'stack'))).toBe('green');
    expect(stateOf(tagWith(red, 'data-state', 'red'))).toBe('red');
    expect(red).toMatch(/<body data-state="red">/);
  }, 300_000);
});
