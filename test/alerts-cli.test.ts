// Done when (issue 15): a user picks Telegram in `create` (on a terminal, key by key, as
// test/scaffold-interactive.test.ts does), gives a token file and a chat id, runs
// `fibre-stack alerts test`, and the message arrives, here at a capture endpoint answering as the
// Bot API does (its address set as a Bot API server of one's own, `api_url`), through the real
// Alertmanager (trixie's 0.28) running the stack's own config.
// And a receiver that fails makes `alerts test` exit 1 with Alertmanager's counters' verdict.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, readFileSync, readdirSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertmanagerFlags } from '../cli/render/alertmanager.js';
import { MANIFEST_PATH } from '../cli/io/stack-writer.js';
import { writeNativeVariant } from '../cli/run/native-variant.js';
import { loadStack } from '../cli/run/stack-dir.js';
import { trixieBuild } from './support/prometheus-builds.js';
import { eventually } from './support/scrape.js';
import { REPLIES, captureHttp } from './support/capture.js';
import { CLI, runCli, runCliAsync } from './support/cli.js';
import { tempDir } from './support/stack.js';
import { isRoot, prerequisites } from './support/prereq.js';

const build = prerequisites('interactive create', { commands: ['script'] }) ? trixieBuild('alerts test', ['prometheus-alertmanager']) : undefined;
const PORT = 29794;
const TOKEN = '7777777:AAFake-Token_for_tests';

/** `create` on a pseudo-terminal (`script`), answering each prompt that appears with its keys. */
async function createOnTerminal(args: string[], answers: [prompt: string, keys: string][]): Promise<{ code: number; screen: string }> {
  const child = spawn('script', ['-qfec', [process.execPath, CLI, 'create', ...args].join(' '), '/dev/null'], { env: { ...process.env, TERM: 'xterm' } });
  let screen = '';
  let seen = 0;
  child.stdout.on('data', (d: Buffer) => (screen += d.toString()));
  const exited = new Promise<number>((resolve) => child.on('exit', (code) => resolve(code ?? -1)));
  for (const [prompt, keys] of answers) {
    await eventually(() => expect(screen.indexOf(prompt, seen)).toBeGreaterThanOrEqual(0), 20_000, 50);
    seen = screen.indexOf(prompt, seen) + prompt.length;
    for (const k of keys.match(/\x1b\[B|./gs) ?? []) {
      child.stdin.write(k);
      await new Promise((r) => setTimeout(r, 60));
    }
  }
  return { code: await exited, screen };
}

/** Every file of the stack folder but the secrets, as text. */
function stackTexts(dir: string): string {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && !join(e.parentPath, e.name).includes('/alertmanager/secrets/'))
    .map((e) => readFileSync(join(e.parentPath, e.name), 'utf8'))
    .join('\n');
}

describe('create with Telegram keeps the token in a file of its own', () => {
  it('mode 0600, owned by nobody for the docker image (when root), in no other file and not in the manifest', () => {
    const tokenFile = join(tempDir(), 'token');
    writeFileSync(tokenFile, `${TOKEN}\n`);
    const dir = join(tempDir(), 'docker-stack');
    const r = runCli(['create', dir, '--yes', '--profiles', 'scrape', '--alert-telegram', '-1009', '--alert-telegram-token-file', tokenFile]);
    expect(r.code, r.stderr).toBe(0);
    const secret = join(dir, 'alertmanager/secrets/telegram');
    expect(readFileSync(secret, 'utf8')).toBe(`${TOKEN}\n`);
    const st = statSync(secret);
    expect(st.mode & 0o777).toBe(0o600);
    if (isRoot()) expect([st.uid, st.gid]).toEqual([65534, 65534]);
    expect(stackTexts(dir)).not.toContain(TOKEN);
    expect(Object.keys(JSON.parse(readFileSync(join(dir, MANIFEST_PATH), 'utf8')).files)).not.toContain('alertmanager/secrets/telegram');
    expect(readFileSync(join(dir, 'alertmanager/alertmanager.yml'), 'utf8')).toContain('bot_token_file: /etc/alertmanager/secrets/telegram');
    // Run natively (no Docker here, or up --native), it runs from its twin, which reads the same secret.
    const { twin } = writeNativeVariant(loadStack(dir));
    expect(readFileSync(join(twin.dir, 'alertmanager/alertmanager.yml'), 'utf8')).toContain('bot_token_file: alertmanager/secrets/telegram');
    expect(readFileSync(join(twin.dir, 'alertmanager/secrets/telegram'), 'utf8')).toBe(`${TOKEN}\n`);
    expect(realpathSync(join(twin.dir, 'alertmanager/secrets'))).toBe(realpathSync(join(dir, 'alertmanager/secrets')));
  });
});

describe.runIf(isRoot() && prerequisites('create as another user', { commands: ['setpriv'] }))('create by a user who cannot give the token to nobody', () => {
  it('keeps it 0600 and says which chown makes it readable to Alertmanager in its container', () => {
    const base = tempDir();
    chmodSync(base, 0o777);
    const tokenFile = join(base, 'token');
    writeFileSync(tokenFile, `${TOKEN}\n`, { mode: 0o644 });
    const dir = join(base, 'stack');
    const r = spawnSync('setpriv', ['--reuid=1000', '--regid=1000', '--clear-groups', process.execPath, CLI, 'create', dir, '--yes', '--profiles', 'scrape', '--alert-telegram', '1', '--alert-telegram-token-file', tokenFile], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const secret = join(dir, 'alertmanager/secrets/telegram');
    expect(r.stderr).toContain(`warning: alertmanager/secrets/telegram is yours, mode 0600, but Alertmanager reads it in its container as nobody (uid 65534): run \`sudo chown 65534:65534 ${secret}\``);
    const st = statSync(secret);
    expect([st.uid, st.mode & 0o777]).toEqual([1000, 0o600]);
  });
});

describe.skipIf(!build)('fibre-stack alerts test through Alertmanager 0.28', () => {
  let dir: string;
  let data: string;
  let failing = false;
  let http: Awaited<ReturnType<typeof captureHttp>>;
  let am: { stop(): void } | undefined;

  beforeAll(async () => {
    http = await captureHttp((_path, body) => (failing ? REPLIES.broken() : REPLIES.telegram(body)));
    const tokenFile = join(tempDir(), 'token');
    writeFileSync(tokenFile, `${TOKEN}\n`, { mode: 0o600 });
    dir = join(tempDir(), 'stack');
    // Native: Alertmanager runs in the stack folder, as `up` would run it. Every question but where
    // alerts go is answered by a flag; that one is asked: Telegram (the first choice), its chat, its token file.
    const created = await createOnTerminal([dir, '--mode', 'native', '--role', 'standalone', '--profiles', 'scrape', '--scrape-target', '127.0.0.1:9100', '--log-agent', 'alloy'], [
      ['Send alerts to', ' \r'],
      ['Telegram chat id', '-1001234567890\r'],
      ['File that holds the bot token', `${tokenFile}\r`],
    ]);
    expect(created.code, created.screen).toBe(0);
    // Its own port, so as not to meet another Alertmanager on 9093, and the capture endpoint as its
    // Bot API server; generate keeps the secret.
    const specPath = join(dir, 'fibre-stack.yml');
    writeFileSync(specPath, readFileSync(specPath, 'utf8').replace(/alertmanager: 9093/, `alertmanager: ${PORT}`).replace(/api_url: ''/, `api_url: ${http.url}/telegram`));
    expect(runCli(['generate', '--dir', dir]).code).toBe(0);
    expect(readFileSync(join(dir, 'alertmanager/secrets/telegram'), 'utf8')).toBe(`${TOKEN}\n`);
    data = tempDir('fibre-stack-am-data-');
    am = build!.start('prometheus-alertmanager', alertmanagerFlags({ config: join(dir, 'alertmanager/alertmanager.yml'), data, listen: `127.0.0.1:${PORT}` }), { cwd: dir, writes: [data] });
    await eventually(async () => expect((await fetch(`http://127.0.0.1:${PORT}/-/ready`)).status).toBe(200), 30_000, 200);
  }, 120_000);

  afterAll(async () => {
    am?.stop();
    await http?.close();
    for (const d of [dir, data]) if (d) rmSync(d, { recursive: true, force: true });
  });

  it('sends the test alert to the Telegram chat with the bot token from its file, and exits 0', async () => {
    const r = await runCliAsync(['alerts', 'test', '--dir', dir, '--json']);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(JSON.parse(r.stdout).receivers).toEqual([{ receiver: 'telegram', type: 'telegram', delivered: true, detail: 'sent; Alertmanager counted no failure' }]);
    const sent = http.requests.filter((q) => q.path === `/telegram/bot${TOKEN}/sendMessage`);
    expect(sent).toHaveLength(1);
    const body = JSON.parse(sent[0].body) as { chat_id: number | string; text: string };
    expect(String(body.chat_id)).toBe('-1001234567890');
    expect(body.text).toMatch(/^INFO FibreStackTestAlert\n/);
    expect(body.text).toContain('Test alert from fibre-stack alerts test to receiver telegram: alerts reach you.');
    expect(body.text).toContain('Runbook: https://github.com/fibre-stack/fibre-stack/blob/main/docs/alerting.md#alerts-test');
  }, 60_000);

  it('reports a receiver whose endpoint fails, and exits 1', async () => {
    failing = true;
    const r = await runCliAsync(['alerts', 'test', '--dir', dir, '--receiver', 'telegram']);
    failing = false;
    expect(r.code, r.stderr + r.stdout).toBe(1);
    expect(r.stdout).toMatch(/^FAILED telegram \(telegram\): \d+ failed attempt\(s\) to send \(alertmanager_notification_requests_failed_total\{integration="telegram"\}\)/);
  }, 60_000);

  it('refuses a receiver the stack does not have: exit 2', async () => {
    const r = await runCliAsync(['alerts', 'test', '--dir', dir, '--receiver', 'pager']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--receiver: no receiver named "pager"; the stack has telegram');
  });
});
