// `fibre-stack lint` and `fibre-stack dashboards --check`, as CI runs them, and `create-fibre-stack
// DIR --yes ...` start without yargs (cli/plain-argv.ts): their plain command lines are parsed from
// the options each command declares, into the arguments yargs would give (for create, compared
// with what yargs itself gives the handler); anything else goes to yargs. Checked as a parser
// on its own, and on the built CLI: the same output either way, and yargs not loaded when plain
// (a preloaded load hook lists the modules loaded, as in dashboards-startup.test.ts).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import yargs from 'yargs';
import { parsePlainArgv } from '../cli/plain-argv.js';
import { createCommand } from '../cli/commands/create.js';
import { lintCommand } from '../cli/commands/lint.js';
import { dashboardsCommand } from '../cli/commands/dashboards.js';
import { runWithLoadedModules } from './support/loaded-modules.js';
import { tempDir } from './support/stack.js';

const lint = (args: string[]) => parsePlainArgv('lint', args, lintCommand.plain);
const dashboards = (args: string[]) => parsePlainArgv('dashboards', args, dashboardsCommand.plain);
const create = (args: string[]) => parsePlainArgv('create', args, createCommand.plain);

/** What yargs gives create's handler for this command line, with the settings cli/program.ts gives it. */
async function createViaYargs(args: string[]): Promise<Record<string, unknown>> {
  let got: Record<string, unknown> | undefined;
  await yargs(['create', ...args])
    .scriptName('fibre-stack')
    .strict()
    .fail((msg, err) => { throw err ?? new Error(msg); })
    .command({ ...createCommand, handler: (a) => { got = a; } })
    .parseAsync();
  return got!;
}

describe('a plain command line, parsed without yargs', () => {
  it('gives the defaults yargs gives', () => {
    expect(lint([])).toEqual({ _: ['lint'], $0: 'fibre-stack', paths: [], json: false, promtool: true, warnings: true });
    expect(dashboards([])).toEqual({ _: ['dashboards'], $0: 'fibre-stack', check: false, json: false });
  });

  it('reads booleans, their --no- forms, string values and paths', () => {
    expect(lint(['a', '--json', 'b', '--no-promtool', '--config', 'c.lint', '--no-warnings'])).toEqual({
      _: ['lint'], $0: 'fibre-stack', paths: ['a', 'b'], json: true, promtool: false, warnings: false, config: 'c.lint',
    });
    expect(dashboards(['--check', '--out', 'o', '--no-json'])).toEqual({ _: ['dashboards'], $0: 'fibre-stack', check: true, out: 'o', json: false });
  });

  it.each([
    [['--help']], [['-h']], [['--version']], [['--jsn']], [['--json=true']], [['--json', 'true']], [['--json', 'false']],
    [['--json', '--json']], [['--config']], [['--config', '--json']], [['--no-config', 'x']], [['--']], [['-']], [['--constructor']],
  ])('leaves %j to yargs', (args) => {
    expect(lint(args)).toBeUndefined();
  });

  it.each([
    [['my-stack', '--yes', '--profiles', 'fibre,miner', '--scrape-target', '10.0.0.1:9100']],
    [[]],
    [['-y', '--mode', 'native', '--node', 'bitcoin-core:node-name=a', '--node', 'bitcoin-core:node-name=b', '--no-overwrite', '--dry-run', '--json']],
    [['hub', '--role', 'hub', '--nodes', 'a,b', '--tls-name', 'x', '--tls-name', 'y', '--no-yes', '--log-agent', 'promtail']],
    [['n', '--yes', '--alert-severities', 'telegram=critical', '--alert-telegram', '12345', '--alert-telegram-token-file', 't', '--synthetic-checks']],
  ])('reads create %j as yargs does', async (args) => {
    expect(create(args)).toEqual(await createViaYargs(args));
  });

  it.each([
    // A list option takes the words after it; a second folder; a value outside the choices; a
    // flag given twice, or as -y and --yes; a value that looks like an option.
    [['--profiles', 'fibre', 'miner']], [['a', 'b']], [['--mode', 'bogus']], [['--mode', 'docker', '--mode', 'native']],
    [['--yes', '-y']], [['--yes', 'false']], [['--alert-telegram', '-1001234567890']], [['-yx']], [['--help']],
  ])('leaves create %j to yargs', (args) => {
    expect(create(args)).toBeUndefined();
  });

  it('leaves a positional to yargs when the command takes none', () => {
    expect(dashboards(['x'])).toBeUndefined();
    expect(dashboards(['--check'])).toMatchObject({ check: true });
  });
});

/** Runs the built CLI; returns its output and whether it loaded yargs (the module holding its recommendCommands). */
function run(args: string[]): { code: number; stdout: string; stderr: string; yargs: boolean } {
  const r = runWithLoadedModules(args);
  expect(r.loaded.some((u) => u.endsWith('/dist/cli/main.js')), r.loaded.join('\n')).toBe(true);
  return { ...r, yargs: r.loaded.some((u) => readFileSync(fileURLToPath(u), 'utf8').includes('recommendCommands')) };
}

describe('the built CLI', () => {
  it('lints without yargs, and prints what it prints through yargs', () => {
    const plain = run(['lint', '--json', '--no-promtool']);
    const viaYargs = run(['lint', '--json=true', '--no-promtool']);
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.yargs).toBe(false);
    expect(viaYargs.yargs).toBe(true);
    expect(JSON.parse(plain.stdout)).toMatchObject({ files: { dashboards: 6 }, errors: 0 });
    expect(plain.stdout).toBe(viaYargs.stdout);
  });

  it('checks the dashboards without yargs, and prints what it prints through yargs', () => {
    const plain = run(['dashboards', '--check', '--json']);
    const viaYargs = run(['dashboards', '--check=true', '--json']);
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.yargs).toBe(false);
    expect(viaYargs.yargs).toBe(true);
    expect(JSON.parse(plain.stdout)).toMatchObject({ check: true });
    expect(plain.stdout).toBe(viaYargs.stdout);
  });

  it('creates a stack without yargs, as it does through yargs', () => {
    const dirs = [tempDir('fibre-stack-plain-'), tempDir('fibre-stack-yargs-')];
    const flags = ['--profiles', 'fibre,miner', '--scrape-target', '10.0.0.1:9100', '--dry-run', '--json'];
    const plain = run(['create', join(dirs[0], 's'), '--yes', ...flags]);
    const viaYargs = run(['create', join(dirs[1], 's'), '--yes=true', ...flags]);
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.yargs).toBe(false);
    expect(viaYargs.yargs).toBe(true);
    const files = (out: string) => (JSON.parse(out) as { files: { path: string }[] }).files.map((f) => f.path);
    expect(files(plain.stdout)).toContain('fibre-stack.yml');
    expect(files(plain.stdout)).toEqual(files(viaYargs.stdout));
  });

  it('leaves help and usage errors to yargs', () => {
    const help = run(['lint', '--help']);
    expect(help.yargs).toBe(true);
    expect(help.stdout).toContain('fibre-stack lint [paths..]');
    const bad = run(['dashboards', 'extra']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('Unknown argument: extra');
  });
});
