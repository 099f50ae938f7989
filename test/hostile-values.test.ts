// Issue 12, "values never become flags" and "small leaks": a value of a spec or of an exporter
// setting reaches a command line only glued to its flag (`--opt=value`) or after `--`, so whatever
// it holds is read back as that value; names are checked for what they are (a node name is a label
// value, a card a short name); control characters are refused in every string of the spec; the
// exporter's --config is read bounded (an alias bomb, a FIFO) like every untrusted document.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import yargs from 'yargs';
import { load } from 'js-yaml';
import { loadConfigFile, optionArgs, resolveOptions, yargsOptions, type OptionDecls } from '../exporter/options.js';
import { collectorDecls, recordingArg, replayOptions } from '../cli/exporters.js';
import { validateSpec } from '../cli/spec/validate.js';
import { PROFILES } from '../profiles/registry.js';
import { CLI, runCli } from './support/cli.js';
import { ExporterProcess } from './support/exporter-process.js';
import { eventually } from './support/scrape.js';
import { parseExecStart } from './support/systemd-words.js';
import { fileOf, render, specFor } from './support/stack.js';
import { alloyString } from '../core/encode/alloy.js';

/** Values an attacker would put where a name or a path goes. */
const HOSTILE = ['--config=/etc/shadow', '-cc=x', '--', '-', '--help', '-h', '--no-loop', 'a=b=c', '=x', 'with space', 'line\nbreak', ' --port=1', '"quoted"', "'", '"', "''"];

/** What the exporter subcommand makes of a command line: parsed as its builder parses, then resolved. */
function parseBack(decls: OptionDecls, args: string[]): Record<string, unknown> {
  let argv: Record<string, unknown> = {};
  // As cli/commands/exporter.ts builds `exporter replay` and reads its recording.
  yargs(args)
    .command(
      '$0 [file]',
      '',
      (y) => y.parserConfiguration({ 'parse-positional-numbers': false }).positional('file', { type: 'string' }).options(yargsOptions(decls)).strictOptions(),
      (a) => void (argv = { ...a, file: recordingArg(a, 0) }),
    )
    .exitProcess(false)
    .fail((msg, err) => {
      throw err ?? new Error(msg);
    })
    .parseSync();
  return resolveOptions(decls, { flags: argv, env: {}, file: {} }).values;
}

const miner = collectorDecls(PROFILES.get('miner')!.exporter!);
const fibre = collectorDecls(PROFILES.get('fibre')!.exporter!);
const replay = replayOptions(PROFILES);

describe('an exporter command line reads back every value exactly, whatever it holds', () => {
  it.each(HOSTILE)('%j as a node name, a path, a list item and the recording', (v) => {
    expect(parseBack(fibre, optionArgs(fibre, { nodeName: v, bitcoind: v, port: 9435 }))).toMatchObject({ nodeName: v, bitcoind: v, port: 9435 });
    expect(parseBack(miner, optionArgs(miner, { bitstream: 'rb4', log: [v, v, 'x'], card: [v, 'b', v] }))).toMatchObject({ log: [v, v, 'x'], card: [v, 'b', v] });
    expect(parseBack(replay, optionArgs(replay, { file: v, loop: true, nodeName: v }))).toMatchObject({ file: v, loop: true, nodeName: v });
  });

  it('puts each value in one argument with its flag, and the recording after --', () => {
    expect(optionArgs(replay, { file: '-x', loop: true, nodeName: 'n', port: 1 })).toEqual(['--loop', '--node-name=n', '--port=1', '--', '-x']);
    expect(optionArgs(miner, { log: ['/a', '/b'], card: ['--'] })).toEqual(['--log=/a', '--log=/b', '--card=--']);
  });

  it('the exporter started with such values reads no file it was not given', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fibre-stack-hostile-'));
    const args = optionArgs(miner, { bitstream: 'tokenminer', log: ['--config=/etc/shadow', join(dir, '-cc=x')], card: ['a', 'b'] });
    const exporter = await ExporterProcess.start(['miner', ...args]);
    try {
      await eventually(() => expect(exporter.output).toContain(`${join(dir, '-cc=x')} does not exist (yet)`));
      expect(exporter.output).toContain('--config=/etc/shadow does not exist (yet)');
      expect(exporter.output).not.toContain('config file');
      const s = await exporter.scrape();
      expect(s.get('fpga_miner_log_stale{bitstream="tokenminer",card="a",node="localhost"}')).toBeDefined();
    } finally {
      expect(await exporter.stop()).toBe(0);
    }
  });
});

describe('the generated units and compose commands carry the same forms', () => {
  const logs = ['/var/log/m 1.log', '/var/log/-cc=x.log'];
  const spec = specFor({ profiles: ['fibre', 'miner'], nodeName: 'relay-1', bitcoind: '/opt/--config=/etc/shadow/bitcoind', minerLogs: logs, cards: ['left', 'right'] });
  const files = render(spec);

  it('docker-compose.yml', () => {
    const compose = load(fileOf(files, 'docker-compose.yml')) as { services: Record<string, { command: string[] }> };
    const cmd = compose.services['fibre-exporter'].command;
    expect(cmd).toContain('--node-name=relay-1');
    expect(cmd).toContain('--bitcoind=/opt/--config=/etc/shadow/bitcoind');
    expect(parseBack(fibre, cmd.slice(2))).toMatchObject({ nodeName: 'relay-1', bitcoind: '/opt/--config=/etc/shadow/bitcoind', host: '0.0.0.0' });
    expect(parseBack(miner, compose.services['miner-exporter'].command.slice(2))).toMatchObject({ log: logs, card: ['left', 'right'] });
  });

  it('systemd units', () => {
    for (const [unit, decls, want] of [
      ['fibre', fibre, { nodeName: 'relay-1', bitcoind: '/opt/--config=/etc/shadow/bitcoind', host: '127.0.0.1' }],
      ['miner', miner, { log: logs, card: ['left', 'right'], host: '127.0.0.1' }],
    ] as const) {
      const text = fileOf(files, `systemd/fibre-stack-${unit}-exporter.service`);
      const argv = parseExecStart(text.split('\n').find((l) => l.startsWith('ExecStart='))!.slice('ExecStart='.length));
      expect(argv.slice(0, 3)).toEqual(['/usr/bin/env', 'fibre-stack', 'exporter']);
      expect(parseBack(decls, argv.slice(4))).toMatchObject(want);
    }
  });

  it('a replay stack: the listen address goes before the --, the recording after it', () => {
    const replaySpec = validateSpec({ version: 2, mode: 'native', profiles: { 'bitcoin-core': { source: 'replay', replay_file: '/srv/-rec.jsonl' } } });
    const unit = fileOf(render(replaySpec), 'systemd/fibre-stack-bitcoin-core-exporter.service');
    const argv = parseExecStart(unit.split('\n').find((l) => l.startsWith('ExecStart='))!.slice('ExecStart='.length));
    expect(argv.slice(-3)).toEqual(['--host=127.0.0.1', '--', '/srv/-rec.jsonl']);
    expect(parseBack(replay, argv.slice(4))).toMatchObject({ file: '/srv/-rec.jsonl', host: '127.0.0.1', loop: true });
  });
});

/** The problems a spec has, as the user reads them. */
function problems(doc: unknown): string {
  try {
    validateSpec(doc);
  } catch (err) {
    return (err as Error).message;
  }
  return '';
}

describe('names are checked for what they are', () => {
  it.each(['--config=/etc/shadow', '-n', 'relay 1', 'a"b', '', 'x'.repeat(65), 'é'])('node name %j is refused', (name) => {
    expect(problems({ version: 2, profiles: { fibre: { node_name: name } } })).toContain('profiles.fibre.node_name: got');
    expect(problems({ version: 2, profiles: { nodeos: { node_name: name } } })).toContain('profiles.nodeos.node_name: got');
  });

  it.each(['-cc=x', '--', 'a b', 'card/0', '', 'x'.repeat(33)])('card %j is refused', (card) => {
    expect(problems({ version: 2, profiles: { miner: { logs: [{ path: '/var/log/a.log', card }] } } })).toContain('profiles.miner.logs[0].card: got');
  });

  it.each(['relay-1', 'bp@eu:2', 'node.example.org', 'N_1'])('node name %j is taken', (name) => {
    expect(problems({ version: 2, profiles: { fibre: { node_name: name } } })).toBe('');
  });

  it('the exporter refuses the same names from its own flags, with exit 2', () => {
    const r = runCli(['exporter', 'miner', '--bitstream=rb4', '--log=/tmp/x.log', '--card=-cc=x']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--card: got "-cc=x"; allowed: a short name');
    const n = runCli(['exporter', 'replay', '--node-name=--config=/etc/shadow', '--port=0']);
    expect(n.code).toBe(2);
    expect(n.stderr).toContain('--node-name: got "--config=/etc/shadow"');
  });
});

describe('control characters are refused in every string of the spec', () => {
  const at = (path: string[], value: string): Record<string, unknown> => {
    const doc: Record<string, unknown> = { version: 2, profiles: { fibre: {}, miner: {}, nodeos: {} } };
    let o = doc;
    for (const k of path.slice(0, -1)) o = (o[k] ??= {}) as Record<string, unknown>;
    o[path[path.length - 1]] = value;
    return doc;
  };
  const fields: [string[], string][] = [
    [['project'], 'stack'],
    [['bind_address'], '127.0.0.1'],
    [['retention', 'metrics'], '15d'],
    [['images', 'prometheus'], 'prom/prometheus:v3.7.3'],
    [['alerting', 'webhook_url'], 'http://127.0.0.1:5001/'],
    [['alerting', 'grafana_url'], 'https://grafana.example/'],
    [['profiles', 'fibre', 'node_name'], 'relay-1'],
    [['profiles', 'fibre', 'bitcoind'], '/usr/bin/bitcoind'],
    [['profiles', 'fibre', 'bitcoin_datadir'], '/home/b/.bitcoin'],
    [['profiles', 'fibre', 'replay_file'], '/srv/r.jsonl'],
    [['profiles', 'nodeos', 'url'], 'http://127.0.0.1:8888'],
  ];

  it.each(fields)('%j', (path, good) => {
    const key = path.join('.');
    expect(problems(at(path, good))).toBe('');
    expect(problems(at(path, `${good}\n`))).toContain(`${key}: ${JSON.stringify(`${good}\n`)} holds a newline at its end; remove it`);
    const nul = `${good[0]}\0${good.slice(1)}`;
    expect(problems(at(path, nul))).toContain(`${key}: ${JSON.stringify(nul)} holds a NUL byte at character 2`);
    expect(problems(at(path, `\t${good}`))).toContain(`${key}: ${JSON.stringify(`\t${good}`)} holds a tab at character 1`);
  });

  it('miner log paths and cards too', () => {
    const doc = { version: 2, profiles: { miner: { logs: [{ path: '/var/log/a.log\0', card: 'left\r' }] } } };
    expect(problems(doc)).toContain('profiles.miner.logs[0].path: "/var/log/a.log\\u0000" holds a NUL byte at its end');
    expect(problems(doc)).toContain('profiles.miner.logs[0].card: "left\\r" holds a carriage return at its end');
  });

  it('create refuses a trailing newline with exit 2, writing nothing', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'fibre-stack-hostile-')), 'stack');
    const r = runCli(['create', dir, '--yes', '--profiles', 'fibre', '--bitcoind', '/usr/bin/bitcoind\n']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('profiles.fibre.bitcoind: "/usr/bin/bitcoind\\n" holds a newline at its end');
  });
});

/** 445 bytes that stand for 9^9 strings once the aliases are expanded. */
function aliasBomb(): string {
  const letters = 'abcdefghi';
  const lines = [`a: &a [${Array(9).fill('"lol"').join(',')}]`];
  for (let i = 1; i < letters.length; i++) lines.push(`${letters[i]}: &${letters[i]} [${Array(9).fill(`*${letters[i - 1]}`).join(',')}]`);
  lines.push('log: *i');
  return lines.join('\n') + '\n';
}

describe("the exporter's --config is read bounded", () => {
  it('an alias bomb is refused with the reason, exit 2', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'fibre-stack-hostile-')), 'bomb.yml');
    writeFileSync(file, aliasBomb());
    expect(() => loadConfigFile(file, miner)).toThrow('too large to read: it holds more than 1000000 values once aliases are expanded');
    const r = runCli(['exporter', 'miner', `--config=${file}`]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('too large to read');
  });

  it('a FIFO is refused at once instead of waited on', () => {
    const fifo = join(mkdtempSync(join(tmpdir(), 'fibre-stack-hostile-')), 'config.yml');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    // Were it opened for a blocking read, this writer would end the wait after two seconds.
    spawn('timeout', ['5', 'sh', '-c', 'sleep 2; echo "port: 1" > "$0"', fifo], { stdio: 'ignore', detached: true }).unref();
    expect(() => loadConfigFile(fifo, miner)).toThrow(`cannot read the config file ${fifo}: not a regular file`);
    const r = spawnSync(process.execPath, [CLI, 'exporter', 'miner', `--config=${fifo}`], { encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('not a regular file');
  });
});

describe('fleet values reach every config exactly, whatever they hold', () => {
  const odd = `fleet/a "b" #c {d} 'e' \\f $g %h.token`;
  const ca = `/etc/fleet ca/"x" #y.crt`;
  const hubUrl = `https://hub.example:8427/a%22b/#`.replace('#', 'c');

  it('a node: Prometheus and Promtail YAML, Alloy strings', () => {
    const base = { role: 'node' as const, hubUrl, host: 'rig-1', tokenFile: odd, caFile: ca, profiles: ['miner' as const], mode: 'native' as const };
    const prom = load(fileOf(render(specFor(base)), 'prometheus/prometheus.yml')) as Record<string, any>;
    expect(prom.remote_write[0]).toMatchObject({ url: `${hubUrl}/api/v1/write`, authorization: { credentials_file: `../${odd}` }, tls_config: { ca_file: ca } });
    const promtail = load(fileOf(render(specFor({ ...base, logAgent: 'promtail' })), 'promtail/promtail.yml')) as Record<string, any>;
    expect(promtail.clients[0]).toMatchObject({ authorization: { credentials_file: odd }, tls_config: { ca_file: ca } });
    const alloy = fileOf(render(specFor(base)), 'alloy/config.alloy');
    expect(alloy).toContain(`bearer_token_file = ${alloyString(odd)}`);
    expect(alloy).toContain(`ca_file = ${alloyString(ca)}`);
  });

  it("a hub: an external engine's URL in vmauth's YAML", () => {
    const url = `https://m.example/api/v1/push?a='1'&b="2"#x`;
    const spec = specFor({ role: 'hub', engine: 'external', fleetNodes: ['rig-1'], tls: 'off', remoteWriteUrl: url, queryUrl: 'https://m.example/q', mode: 'native' });
    const auth = load(fileOf(render(spec), 'vmauth/auth.yml')) as Record<string, any>;
    expect(auth.users[0].url_map[0].url_prefix).toBe(url);
  });

  it('control characters in fleet strings are refused', () => {
    const doc = { version: 1, profiles: { fibre: {} }, fleet: { role: 'node', host: 'rig-1', hub_url: 'https://h:1', token_file: 'fleet/t\n' } };
    expect(problems(doc)).toContain('fleet.token_file: "fleet/t\\n" holds a newline at its end; remove it');
  });
});
