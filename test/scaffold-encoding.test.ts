// A user's values reach YAML, JSON, Alloy, systemd and compose files. Whatever they contain
// (quotes, `$`, `#`, `%`, spaces, unicode), each file must read back the same string. Names are
// checked for what they are (a node name is a label value, a card a short name: core/spec/checks.ts)
// and no value may hold control characters, so the hostile values travel in the paths.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { load } from 'js-yaml';
import { validateSpec } from '../cli/spec/validate.js';
import { NODE_NAME } from '../core/spec/checks.js';
import { envLine } from '../core/encode/env.js';
import { prerequisites } from './support/prereq.js';
import { parseExecStart } from './support/systemd-words.js';
import { fileOf, render, specFor, writeTempStack } from './support/stack.js';

const HOSTILE = ['a"b\n  evil: 1', 'with space', 'dollar $HOME ${X} $$', 'hash # not a comment', 'percent %n %%', 'ünïcödé ✓ 区块', "single ' quote", 'back\\slash', 'tab\there', 'yes', '0x1F', '~', '- dash', '{flow}', '[x]', '*alias', '&anchor', '!tag', '@at', '`tick`', '\u2028sep', 'null'];

/** Node names: any the spec takes (such as `0x1F`, `yes`, `null`, `@a`: YAML would read them as other types). */
const nodeName = fc.oneof(fc.constantFrom('yes', 'null', '0x1F', '1e3', 'a:b', 'bp@eu', 'x.y_z-1'), fc.stringMatching(NODE_NAME));
/** Anything but control characters, which the spec refuses in every value. */
const noControl = (s: string) => s.replace(/[\u0000-\u001f\u007f]/g, '');
const absPath = fc.oneof(fc.constantFrom(...HOSTILE), fc.string({ unit: 'binary', minLength: 1, maxLength: 20 })).map((s) => `/opt/${noControl(s)}/bin`);

function undoComposeEscaping(s: string): string {
  return s.replace(/\$\$/g, '$');
}

/** The value of `--flag=value` in a command line (how the stack passes every value). */
function argAfter(argv: string[], flag: string): string | undefined {
  return argv.find((a) => a.startsWith(`${flag}=`))?.slice(flag.length + 1);
}

function checkRoundTrip(name: string, bitcoind: string, datadir: string) {
  const spec = specFor({ profiles: ['fibre', 'nodeos', 'miner'], nodeName: name, bitcoind, bitcoinDatadir: datadir, minerLogs: [`${datadir}/miner.log`], cards: ['left'] });
  const files = render(spec);

  // fibre-stack.yml reads back as the same spec.
  expect(validateSpec(load(fileOf(files, 'fibre-stack.yml')))).toEqual(spec);

  // docker-compose.yml: YAML-parsed, then compose's `$$` un-escaped, gives the original arguments.
  const compose = load(fileOf(files, 'docker-compose.yml')) as { services: Record<string, { command: string[]; volumes: unknown[] }> };
  const cmd = compose.services['fibre-exporter'].command.map(undoComposeEscaping);
  expect(argAfter(cmd, '--node-name')).toBe(name);
  expect(argAfter(cmd, '--bitcoind')).toBe(bitcoind);
  const minerCmd = compose.services['miner-exporter'].command.map(undoComposeEscaping);
  expect(argAfter(minerCmd, '--log')).toBe(`${datadir}/miner.log`);

  // The nodeos target's `node` label in its file_sd JSON.
  expect(JSON.parse(fileOf(files, 'prometheus/targets/nodeos.json'))[0].labels.node).toBe(name);

  // Alloy: the label and path literals, read with Go/JSON string rules.
  const alloy = fileOf(files, 'alloy/config.alloy');
  const literal = (key: string) => [...alloy.matchAll(new RegExp(`"${key}" = ("(?:[^"\\\\]|\\\\.)*"),`, 'g'))].map((m) => JSON.parse(m[1]) as string);
  expect(literal('node')).toContain(name);
  expect(literal('__path__')).toContain(`${datadir}/debug.log`);

  // systemd: ExecStart words, read as systemd reads them.
  const unit = fileOf(files, 'systemd/fibre-stack-fibre-exporter.service');
  const exec = unit.split('\n').find((l) => l.startsWith('ExecStart='))!;
  const argv = parseExecStart(exec.slice('ExecStart='.length));
  expect(argAfter(argv, '--node-name')).toBe(name);
  expect(argAfter(argv, '--bitcoind')).toBe(bitcoind);
}

describe('user values round-trip through every format', () => {
  it.each(HOSTILE.map(noControl))('hostile value %j', (v) => checkRoundTrip('relay-1', `/opt/${v}/bitcoind`, `/data/${v}`));

  it.each(['yes', 'null', '0x1F', '1e3', 'a:b'])('node name %j that YAML would read as another type', (name) => checkRoundTrip(name, '/usr/bin/bitcoind', '/data'));

  it('property: any node name and paths', () => {
    fc.assert(
      fc.property(nodeName, absPath, absPath, (name, bitcoind, datadir) => checkRoundTrip(name, bitcoind, datadir)),
      { numRuns: 150 },
    );
  });

  it('the injection from the issue is refused as a node name, and adds no key to any YAML file from a path', () => {
    expect(() => specFor({ profiles: ['fibre'], nodeName: 'a"b\n  evil: 1' })).toThrow('profiles.fibre.node_name');
    const spec = specFor({ profiles: ['fibre', 'nodeos'], bitcoind: '/opt/a"b:  evil: 1/bitcoind' });
    for (const f of render(spec).filter((x) => /\.ya?ml$/.test(x.path))) {
      expect(JSON.stringify(load(f.content)), f.path).not.toMatch(/"evil":/);
    }
  });

  it('.env refuses values it could not write back unchanged', () => {
    expect(envLine('X', 'abc-DEF_09.+/=:@,')).toBe('X=abc-DEF_09.+/=:@,');
    for (const bad of ['a b', 'a"b', "a'b", 'a$b', 'a\nb', 'a#b', 'a\\b']) expect(() => envLine('X', bad)).toThrow(/cannot write/);
  });
});

const canCompose = prerequisites('compose round-trip', { commands: ['docker-compose'] });

describe.runIf(canCompose)('docker-compose itself reads the values back', () => {
  it.each(['a"b:  evil: 1', 'dollar $HOME ${X} $$', 'hash # x', 'ünï ✓ %n'])('%j', (v) => {
    const dir = writeTempStack(specFor({ profiles: ['fibre'], bitcoind: `/opt/${v}/bitcoind` }));
    const out = execFileSync('docker-compose', ['-f', join(dir, 'docker-compose.yml'), 'config'], { cwd: dir, encoding: 'utf8' });
    // `config` prints the resolved file, interpolation done: literal `$` come back as `$$`.
    const resolved = load(out) as { services: Record<string, { command: string[]; volumes: { source: string }[] }> };
    const cmd = resolved.services['fibre-exporter'].command.map(undoComposeEscaping);
    expect(argAfter(cmd, '--bitcoind')).toBe(`/opt/${v}/bitcoind`);
    expect(resolved.services["fibre-exporter"].volumes.map((m) => undoComposeEscaping(m.source))).toContain(`/opt/${v}/bitcoind`);
  });
});

const canVerify = prerequisites('systemd units', { commands: ['systemd-analyze'] });

/**
 * What `systemd-analyze verify` says about a unit file. It exits 0 on a key it does not know and
 * only prints "Unknown key ..., ignoring", so the check is its words: every line naming the file.
 */
function verifyComplaints(unit: string): string[] {
  const r = spawnSync('systemd-analyze', ['verify', unit], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return `${r.stdout}\n${r.stderr}`.split('\n').filter((line) => line.includes(unit));
}

describe.runIf(canVerify)('systemd-analyze verify accepts the units', () => {
  it.each(['fibre', 'miner'] as const)('%s exporter unit, without a word about it', (profile) => {
    const dir = writeTempStack(specFor({ profiles: [profile], bitcoind: '/opt/a"b $x %n/bitcoind', minerLogs: ['/var/log/m 1 "$x" %n.log'] }));
    // verify needs the ExecStart binary to exist: /usr/bin/env does.
    expect(verifyComplaints(join(dir, `systemd/fibre-stack-${profile}-exporter.service`))).toEqual([]);
  });

  it('the check hears a key systemd does not know (so it can fail)', () => {
    const dir = writeTempStack(specFor({ profiles: ['fibre'] }));
    const unit = join(dir, 'systemd/fibre-stack-fibre-exporter.service');
    const text = readFileSync(unit, 'utf8');
    writeFileSync(unit, text.replace('[Service]\n', '[Service]\nRestartEvery=5s\n'));
    const line = text.slice(0, text.indexOf('[Service]\n')).split('\n').length + 1;
    expect(verifyComplaints(unit)).toEqual([`${unit}:${line}: Unknown key 'RestartEvery' in section [Service], ignoring.`]);
  });
});
