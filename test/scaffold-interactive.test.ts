// create on a real terminal: `script` gives the CLI a pseudo-terminal, and the test answers the
// prompts as a person would, key by key.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { load } from 'js-yaml';
import { prerequisites } from './support/prereq.js';
import { CLI } from './support/cli.js';
import { tempDir } from './support/stack.js';

const DOWN = '\x1b[B';
const ENTER = '\r';
const SPACE = ' ';

const canRun = prerequisites('interactive create', { commands: ['script'] });

/** The CLI on a pseudo-terminal: answer each prompt by keys once it shows; `screen` is what it printed since the last one answered. */
function onTerminal(command: string) {
  const child = spawn('script', ['-qfec', command, '/dev/null'], { env: { ...process.env, TERM: 'xterm' } });
  const t = { screen: '', exited: new Promise<number>((resolve) => child.on('exit', (code) => resolve(code ?? -1))), answer };
  child.stdout.on('data', (d: Buffer) => (t.screen += d.toString()));
  async function answer(prompt: string, keys: string[]): Promise<void> {
    const deadline = Date.now() + 20_000;
    while (!t.screen.includes(prompt)) {
      if (Date.now() > deadline) throw new Error(`no prompt "${prompt}"; screen so far:\n${t.screen}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    t.screen = t.screen.slice(t.screen.indexOf(prompt) + prompt.length);
    for (const k of keys) {
      child.stdin.write(k);
      await new Promise((r) => setTimeout(r, 80));
    }
  }
  return t;
}

describe.runIf(canRun)('create asks on a terminal', () => {
  it('asks only what the flags left open and writes the answers', async () => {
    const dir = join(tempDir(), 'asked');
    // --log-agent and --alert-webhook given as flags: those two prompts must not appear.
    const t = onTerminal(`${process.execPath} ${CLI} create ${dir} --log-agent promtail --alert-webhook https://hooks.example/x`);
    const answer = t.answer;
    // Profiles: fibre is pre-checked; add miner (third entry).
    await answer('What do you want to monitor?', [DOWN, DOWN, SPACE, ENTER]);
    await answer('Run the stack in', [DOWN, ENTER]); // native
    await answer('What is this stack in a fleet?', [ENTER]); // standalone
    await answer('Node name', ['\x15', 'relay-7', ENTER]); // Ctrl-U clears the default
    await answer('Path of the bitcoind binary', [ENTER]);
    await answer('bitcoind data folder', [ENTER]);
    await answer('Miner log files', ['\x15', '/var/log/m/a.log, /var/log/m/b.log', ENTER]);
    await answer('Card names', ['left, right', ENTER]);
    await answer('Bitstream', [DOWN, ENTER]); // rb4
    await answer('Add another fibre node?', [ENTER]); // no, the default
    // A second rig: its questions again, from the first one's answers; a taken name is refused.
    await answer('Add another miner node?', ['y', ENTER]);
    await answer('Node name', [ENTER]);
    await answer('another node is called relay-7', ['\x15', 'rig-2', ENTER]);
    await answer('Miner log files', ['\x15', '/var/log/m2/a.log', ENTER]);
    await answer('Card names', ['left', ENTER]);
    await answer('Bitstream', [ENTER]);
    await answer('Add another miner node?', [ENTER]);
    const code = await t.exited;
    expect(t.screen).not.toContain('Log agent');
    expect(t.screen).not.toContain('Send alerts to');
    expect(code).toBe(0);

    const spec = load(readFileSync(join(dir, 'fibre-stack.yml'), 'utf8')) as Record<string, any>;
    expect(spec.mode).toBe('native');
    expect(spec.log_agent).toBe('promtail');
    expect(spec.alerting).toEqual({ receivers: [{ name: 'webhook', type: 'webhook', severities: ['critical', 'warning', 'info'], url: '' }], grafana_url: '' });
    // The URL is the receiver's secret: in a file only Alertmanager's user reads, not in the spec.
    expect(readFileSync(join(dir, 'alertmanager/secrets/webhook'), 'utf8')).toBe('https://hooks.example/x\n');
    expect(Object.keys(spec.profiles)).toEqual(['fibre', 'miner']);
    expect(spec.profiles.fibre[0].node_name).toBe('relay-7');
    expect(spec.profiles.miner[0].bitstream).toBe('rb4');
    expect(spec.profiles.miner[0].logs).toEqual([{ path: '/var/log/m/a.log', card: 'left' }, { path: '/var/log/m/b.log', card: 'right' }]);
    expect(spec.profiles.fibre).toHaveLength(1);
    expect(spec.profiles.miner.map((n: Record<string, unknown>) => [n.node_name, n.bitstream, n.logs])).toEqual([
      ['relay-7', 'rb4', [{ path: '/var/log/m/a.log', card: 'left' }, { path: '/var/log/m/b.log', card: 'right' }]],
      ['rig-2', 'rb4', [{ path: '/var/log/m2/a.log', card: 'left' }]],
    ]);
  });

  it("a fleet node: asks for its hub, name and site, then for more nodes of its profile, not where alerts go (its alerts are the hub's)", async () => {
    const dir = join(tempDir(), 'node');
    const t = onTerminal(`${process.execPath} ${CLI} create ${dir} --profiles miner --mode native --log-agent alloy --miner-log /var/log/m.log --card c0 --miner-bitstream rb4`);
    await t.answer('What is this stack in a fleet?', [DOWN, ENTER]); // node
    await t.answer("The hub's write endpoint", ['https://hub.example:8427', ENTER]);
    await t.answer("This machine's name", ['\x15', 'rig-7', ENTER]);
    await t.answer('Its site', ['\x15', 'eu-1', ENTER]);
    await t.answer('Node name', ['\x15', 'rig-7a', ENTER]);
    await t.answer('Add another miner node?', [ENTER]);
    expect(await t.exited).toBe(0);
    expect(t.screen).not.toContain('Send alerts to');
    const spec = load(readFileSync(join(dir, 'fibre-stack.yml'), 'utf8')) as Record<string, any>;
    expect(spec.fleet).toEqual({ role: 'node', host: 'rig-7', site: 'eu-1', hub_url: 'https://hub.example:8427', token_file: 'fleet/hub.token', ca_file: 'fleet/ca.crt' });
  });

  it("a fleet hub: asks for its engine, nodes and certificate names and where alerts go; not for more nodes of a profile or a log agent (its nodes run those)", async () => {
    const dir = join(tempDir(), 'hub');
    const t = onTerminal(`${process.execPath} ${CLI} create ${dir} --profiles miner --mode native --miner-log /var/log/m.log --card c0 --miner-bitstream rb4 --node-name rig-7`);
    await t.answer('What is this stack in a fleet?', [DOWN, DOWN, ENTER]); // hub
    await t.answer('Where the fleet keeps its metrics', [ENTER]); // victoriametrics
    await t.answer('The nodes allowed to write', ['rig-7, rig-8', ENTER]);
    await t.answer('Names and addresses nodes reach this hub by', ['\x15', 'hub.example', ENTER]);
    await t.answer('Send alerts to', [ENTER]); // none
    expect(await t.exited).toBe(0);
    expect(t.screen).not.toMatch(/Add another|Log agent/);
    const spec = load(readFileSync(join(dir, 'fibre-stack.yml'), 'utf8')) as Record<string, any>;
    expect(spec.fleet).toMatchObject({ role: 'hub', engine: 'victoriametrics', nodes: ['rig-7', 'rig-8'], tls: { mode: 'generate', names: ['hub.example'] } });
  });
});
