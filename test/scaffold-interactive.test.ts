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

describe.runIf(canRun)('create asks on a terminal', () => {
  it('asks only what the flags left open and writes the answers', async () => {
    const dir = join(tempDir(), 'asked');
    // --log-agent and --alert-webhook given as flags: those two prompts must not appear.
    const command = `${process.execPath} ${CLI} create ${dir} --log-agent promtail --alert-webhook https://hooks.example/x`;
    const child = spawn('script', ['-qfec', command, '/dev/null'], { env: { ...process.env, TERM: 'xterm' } });
    let screen = '';
    child.stdout.on('data', (d: Buffer) => (screen += d.toString()));
    const exited = new Promise<number>((resolve) => child.on('exit', (code) => resolve(code ?? -1)));

    async function answer(prompt: string, keys: string[]): Promise<void> {
      const deadline = Date.now() + 20_000;
      while (!screen.includes(prompt)) {
        if (Date.now() > deadline) throw new Error(`no prompt "${prompt}"; screen so far:\n${screen}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      screen = screen.slice(screen.indexOf(prompt) + prompt.length);
      for (const k of keys) {
        child.stdin.write(k);
        await new Promise((r) => setTimeout(r, 80));
      }
    }

    // Profiles: fibre is pre-checked; add miner (third entry).
    await answer('What do you want to monitor?', [DOWN, DOWN, SPACE, ENTER]);
    await answer('Run the stack in', [DOWN, ENTER]); // native
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
    const code = await exited;
    expect(screen).not.toContain('Log agent');
    expect(screen).not.toContain('Send alerts to');
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
});
