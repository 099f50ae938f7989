// What `create` says beyond writing the stack: a path it was given that does not exist on this
// host, a docker-mode webhook on the loopback (the container's own), and a Ctrl-C at a question
// that ends it quietly with 130. The terminal is a real pseudo-terminal from `script`.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { prerequisites } from './support/prereq.js';
import { CLI, runCli } from './support/cli.js';
import { tempDir } from './support/stack.js';

const canRun = prerequisites('create on a terminal', { commands: ['script'] });

describe('create warns of what will not work on this host', () => {
  it('names a given path that does not exist here, with its spec key; the stack is still written', () => {
    const dir = join(tempDir(), 'warned');
    const r = runCli(['create', dir, '--yes', '--profiles', 'miner', '--miner-log', '/nonexistent/day-two/card0.log', '--miner-bitstream', 'rb4']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/warning: \/nonexistent\/day-two\/card0\.log does not exist on this host \(profiles\.miner\[0\]\.logs\[0\]\.path\)/);
    expect(existsSync(join(dir, 'fibre-stack.yml'))).toBe(true);
  });

  it('says a docker-mode webhook on 127.0.0.1 is the container itself; natively it is fine', () => {
    const docker = runCli(['create', join(tempDir(), 'hook-docker'), '--yes', '--mode', 'docker', '--profiles', 'scrape', '--alert-webhook', 'http://127.0.0.1:5001/hook']);
    expect(docker.code, docker.stderr).toBe(0);
    expect(docker.stderr).toMatch(/warning: the alert receiver URL http:\/\/127\.0\.0\.1:5001\/hook points at 127\.0\.0\.1, which inside the Alertmanager container is the container itself/);
    const native = runCli(['create', join(tempDir(), 'hook-native'), '--yes', '--mode', 'native', '--profiles', 'scrape', '--alert-webhook', 'http://127.0.0.1:5001/hook']);
    expect(native.code, native.stderr).toBe(0);
    expect(native.stderr).not.toContain('alert receiver URL');
  });
});

describe.runIf(canRun)('Ctrl-C at a question of create', () => {
  it('exits 130 without a stack trace and writes nothing', async () => {
    const dir = join(tempDir(), 'cancelled');
    const child = spawn('script', ['-qfec', `${process.execPath} ${CLI} create ${dir}`, '/dev/null'], { env: { ...process.env, TERM: 'xterm' } });
    let screen = '';
    child.stdout.on('data', (d: Buffer) => (screen += d.toString()));
    const exited = new Promise<number>((resolve) => child.on('exit', (code) => resolve(code ?? -1)));
    const deadline = Date.now() + 20_000;
    while (!screen.includes('What do you want to monitor?')) {
      if (Date.now() > deadline) throw new Error(`no prompt; screen so far:\n${screen}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    child.stdin.write('\x03');
    expect(await exited).toBe(130);
    expect(screen).not.toMatch(/unexpected error|ExitPromptError|at .*\.js:\d+/);
    expect(existsSync(dir)).toBe(false);
  });
});
