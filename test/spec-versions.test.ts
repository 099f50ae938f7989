// fibre-stack.yml's `version`: today's files read as they are; a file from a newer fibre-stack is
// refused; an older one goes through the chain of migrations (cli/spec/versions.ts) with every
// value the user wrote kept, and `generate` writes it back in the current version. The chain's
// mechanics are exercised with migrations made here; the real one (version 1 to 2: a profile's
// section becomes a list of nodes) with real files.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { load } from 'js-yaml';
import { readSpecDocument, validateSpec } from '../cli/spec/validate.js';
import { SPEC_VERSION, upgradeDocument, type SpecMigration, type SpecVersions } from '../cli/spec/versions.js';
import { keepOlderSpecFile, readSpecFile } from '../cli/io/spec-io.js';
import { writeStack } from '../cli/io/stack-writer.js';
import { SpecError } from '../core/spec/reader.js';
import { runCli } from './support/cli.js';
import { render, tempDir } from './support/stack.js';

const today = { version: 2, project: 'relay', mode: 'native', profiles: { fibre: [{ node_name: 'relay-1' }, { node_name: 'relay-2' }], miner: [{ bitstream: 'rb4' }] } };

/** A made-up history: version 0 called the log agent `log_shipper` and put node names at the top. */
const fromZero: SpecMigration = {
  from: 0,
  migrate: ({ log_shipper, node_name, ...rest }) => {
    const profiles = rest.profiles as Record<string, Record<string, unknown>>;
    return {
      ...rest,
      ...(log_shipper === undefined ? {} : { log_agent: log_shipper }),
      profiles: Object.fromEntries(Object.entries(profiles).map(([id, p]) => [id, id === 'fibre' && node_name !== undefined ? { ...p, node_name } : p])),
    };
  },
};
const withZero: SpecVersions = { current: 1, migrations: [fromZero] };

describe('the current version', () => {
  it('is 2, and a version 2 file reads as it is', () => {
    expect(SPEC_VERSION).toBe(2);
    const { spec, fromVersion } = readSpecDocument(today);
    expect(fromVersion).toBe(2);
    expect(spec).toEqual(validateSpec(today));
    expect(spec).toMatchObject({ version: 2, project: 'relay', mode: 'native', profiles: { fibre: [{ node_name: 'relay-1' }, { node_name: 'relay-2' }], miner: [{ bitstream: 'rb4' }] } });
  });
});

describe('version 1 to 2: a profile\'s section becomes a list of its nodes', () => {
  const v1 = { version: 1, project: 'relay', profiles: { fibre: { node_name: 'relay-1', exporter_port: 9500 }, miner: null, nodeos: {}, scrape: { targets: ['h:1'] } } };

  it('makes each section a list of one, keeping every value', () => {
    expect(upgradeDocument(v1)).toEqual({
      doc: { version: 2, project: 'relay', profiles: { fibre: [{ node_name: 'relay-1', exporter_port: 9500 }], miner: [{}], nodeos: [{}], scrape: [{ targets: ['h:1'] }] } },
      from: 1,
    });
    // What it cannot read it leaves for the reader to name.
    expect(upgradeDocument({ version: 1, profiles: ['fibre'] })).toEqual({ doc: { version: 2, profiles: ['fibre'] }, from: 1 });
    expect(upgradeDocument({ version: 1 })).toEqual({ doc: { version: 2 }, from: 1 });
  });

  it('reads a version 1 file into the spec a version 2 file of one node per profile gives, and a one-node mapping still reads in version 2', () => {
    const { spec, fromVersion } = readSpecDocument(v1);
    expect(fromVersion).toBe(1);
    const listed = { ...v1, version: 2, profiles: { fibre: [v1.profiles.fibre], miner: [{}], nodeos: [{}], scrape: [v1.profiles.scrape] } };
    expect(spec).toEqual(validateSpec(listed));
    expect(spec).toEqual(validateSpec({ ...v1, version: 2 }));
    expect(spec.profiles.fibre).toEqual([{ node_name: 'relay-1', bitcoind: '/usr/local/bin/bitcoind', bitcoin_datadir: '/home/bitcoin/.bitcoin', exporter_port: 9500, source: 'ebpf', replay_file: '', p2p_port: 8333, rpc_port: 8332 }]);
  });

  it('names a problem of a version 1 file by its key in the list', () => {
    expect(() => validateSpec({ version: 1, profiles: { fibre: { node_name: 'relay 1' } } })).toThrow(/profiles\.fibre\[0\]\.node_name: got "relay 1"/);
  });

  it('is written by generate, which keeps the version 1 file beside it', () => {
    const dir = tempDir();
    const old = '# my relay\nversion: 1\nproject: relay\nmode: native\nprofiles:\n  fibre:\n    node_name: relay-1\n  miner:\n';
    writeFileSync(join(dir, 'fibre-stack.yml'), old);
    const r = runCli(['generate', '--dir', dir]);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(join(dir, 'fibre-stack.yml.v1'), 'utf8')).toBe(old);
    const now = load(readFileSync(join(dir, 'fibre-stack.yml'), 'utf8')) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(now.version).toBe(2);
    expect(now.profiles.fibre).toEqual([expect.objectContaining({ node_name: 'relay-1' })]);
    expect(now.profiles.miner).toEqual([expect.objectContaining({ node_name: 'localhost', bitstream: 'tokenminer' })]);
    // The stack it makes is the one-node stack it always was: the same exporter services.
    expect(readdirSync(join(dir, 'systemd')).sort()).toEqual(['fibre-stack-fibre-exporter.service', 'fibre-stack-miner-exporter.service']);
    expect(readSpecFile(dir).fromVersion).toBe(2);
  });
});

describe('a file from a newer fibre-stack', () => {
  it('is refused by every command, exit 2, saying to upgrade, and nothing is written', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'fibre-stack.yml'), 'version: 3\nprofiles:\n  fibre: { new_key: 1 }\n');
    for (const command of [['generate', '--dir', dir], ['status', '--dir', dir]]) {
      const r = runCli(command);
      expect(r.code, command[0]).toBe(2);
      expect(r.stderr).toContain('version: got number 3; allowed: 1, 2. Version 3 was written by a newer fibre-stack: upgrade fibre-stack to read this file');
      expect(r.stderr).not.toContain('new_key');
    }
    expect(existsSync(join(dir, 'docker-compose.yml'))).toBe(false);
  });
});

describe('the migration chain', () => {
  const rename = (from: number, a: string, b: string): SpecMigration => ({ from, migrate: ({ [a]: v, ...rest }) => ({ ...rest, [b]: v }) });

  it('runs each step from the file\'s version to the current one, in order, keeping the values', () => {
    const chain: SpecVersions = { current: 3, migrations: [rename(1, 'a', 'b'), rename(2, 'b', 'c')] };
    expect(upgradeDocument({ version: 1, a: 'mine', other: [1] }, chain)).toEqual({ doc: { version: 3, c: 'mine', other: [1] }, from: 1 });
    expect(upgradeDocument({ version: 2, b: 'mine' }, chain)).toEqual({ doc: { version: 3, c: 'mine' }, from: 2 });
    expect(upgradeDocument({ version: 3, c: 'mine' }, chain)).toEqual({ doc: { version: 3, c: 'mine' }, from: 3 });
  });

  it('leaves the document it was given as it was', () => {
    const doc = { version: 1, a: { deep: ['x'] } };
    const copy = structuredClone(doc);
    upgradeDocument(doc, { current: 2, migrations: [{ from: 1, migrate: (d) => { (d.a as { deep: string[] }).deep.push('y'); return d; } }] });
    expect(doc).toEqual(copy);
  });

  it('knows only the versions it can reach', () => {
    const chain: SpecVersions = { current: 3, migrations: [rename(1, 'a', 'b'), rename(2, 'b', 'c')] };
    expect(upgradeDocument({ version: 0 }, chain)).toEqual({ problem: { key: 'version', problem: 'got number 0; allowed: 1, 2, 3' }, newer: false });
    expect(upgradeDocument({ version: 4 }, chain)).toMatchObject({ newer: true });
    // A gap in the chain is a mistake in the code, found on the first read.
    expect(() => upgradeDocument({ version: 1 }, { current: 3, migrations: [rename(1, 'a', 'b'), rename(3, 'b', 'c')] })).toThrow('spec migrations must run from 1 to 2 in steps of one; found one from 3');
  });

  it('reads an older file into today\'s spec, with every value the user wrote', () => {
    const old = { version: 0, project: 'relay', log_shipper: 'promtail', node_name: 'relay-0', profiles: { fibre: {}, nodeos: { url: 'http://10.0.0.1:8888' } } };
    const { spec, fromVersion } = readSpecDocument(old, { versions: withZero });
    expect(fromVersion).toBe(0);
    expect(spec).toEqual(validateSpec({ version: 1, project: 'relay', log_agent: 'promtail', profiles: { fibre: { node_name: 'relay-0' }, nodeos: { url: 'http://10.0.0.1:8888' } } }));
  });

  it('reports a problem of a migrated file by its key in the current shape', () => {
    expect(() => readSpecDocument({ version: 0, log_shipper: 'fluentd', profiles: { fibre: {} } }, { versions: withZero })).toThrow(SpecError);
    expect(() => readSpecDocument({ version: 0, log_shipper: 'fluentd', profiles: { fibre: {} } }, { versions: withZero })).toThrow(/log_agent: got string "fluentd"; allowed: alloy, promtail/);
  });
});

describe('generate on an older file', () => {
  it('writes fibre-stack.yml in the current version with the user\'s values, and keeps the old file beside it', () => {
    const dir = tempDir();
    const old = '# my notes\nversion: 0\nproject: relay\nlog_shipper: promtail\nnode_name: relay-0\nprofiles:\n  fibre: {}\n';
    writeFileSync(join(dir, 'fibre-stack.yml'), old);
    // What `generate` does (commands/generate.ts), with this chain instead of the real one.
    const { spec, fromVersion } = readSpecFile(dir, { versions: withZero });
    const kept = keepOlderSpecFile(dir, fromVersion);
    writeStack(dir, render(spec), { preserve: ['fibre-stack.yml', '.env'] });
    expect(kept).toBe('fibre-stack.yml.v0');
    expect(readFileSync(join(dir, kept), 'utf8')).toBe(old);
    const now = load(readFileSync(join(dir, 'fibre-stack.yml'), 'utf8')) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(now).toMatchObject({ version: 2, project: 'relay', log_agent: 'promtail', profiles: { fibre: [{ node_name: 'relay-0' }] } });
    expect(readSpecFile(dir).fromVersion).toBe(2);
  });

  it('leaves a current file alone and says nothing of versions', () => {
    const dir = join(tempDir(), 'stack');
    expect(runCli(['create', dir, '--yes', '--profiles', 'nodeos']).code).toBe(0);
    const before = readFileSync(join(dir, 'fibre-stack.yml'), 'utf8');
    const r = runCli(['generate', '--dir', dir]);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('Upgraded');
    expect(readFileSync(join(dir, 'fibre-stack.yml'), 'utf8')).toBe(before);
    expect(existsSync(join(dir, 'fibre-stack.yml.v2'))).toBe(false);
  });
});
