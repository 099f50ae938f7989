// The pieces of the eBPF exporters that need no tracing: the ELF note reader (checked against
// readelf), the program builder, the bpftrace output parser and the map-total bookkeeping.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildProgram } from '../exporter/bpf-program.js';
import { LineSplitter, MapDeltas, parseBpftraceLine } from '../exporter/bpftrace.js';
import { bpftraceEnv, parseBpftraceVersion } from '../exporter/bpftrace-version.js';
import { probeId, readUsdtProbes } from '../exporter/usdt-notes.js';
import { parseFibreLine } from '../profiles/fibre/events.js';
import { compileFake } from '../scripts/lib/fake-bitcoind.js';
import { prerequisites } from './support/prereq.js';

const ROOT = join(__dirname, '..');
const FIBRE_BT = readFileSync(join(ROOT, 'bpf', 'fibre.bt'), 'utf8');
const CORE_BT = readFileSync(join(ROOT, 'bpf', 'bitcoin-core.bt'), 'utf8');
const dir = mkdtempSync(join(tmpdir(), 'ebpf-parts-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.runIf(prerequisites('USDT note reader', { commands: ['gcc', 'readelf'] }))('USDT notes', () => {
  it('reads the same probes and semaphores as readelf -n', () => {
    for (const noRaceTime of [false, true]) {
      const bin = compileFake(dir, `fake-${noRaceTime}`, { noRaceTime });
      const readelf = execFileSync('readelf', ['-n', bin], { encoding: 'utf8' });
      const expected = [...readelf.matchAll(/Provider: (\S+)\s+Name: (\S+)\s+Location: \S+, Base: \S+, Semaphore: (0x[0-9a-f]+)/g)].map(
        ([, provider, name, sem]) => `${provider}:${name}@${BigInt(sem)}`,
      );
      const got = readUsdtProbes(bin).map((p) => `${probeId(p)}@${p.semaphore}`);
      expect(expected.length).toBeGreaterThan(10);
      expect(got).toEqual(expected);
      expect(got.some((p) => p.startsWith('udp:block_race_time@'))).toBe(!noRaceTime);
      expect(readUsdtProbes(bin).every((p) => p.semaphore > 0n)).toBe(true);
      // Each semaphore's place in the file: inside .probes, as readelf -S lays the section out.
      const probes = /\.probes\s+PROGBITS\s+([0-9a-f]+)\s+([0-9a-f]+)/.exec(execFileSync('readelf', ['-SW', bin], { encoding: 'utf8' }))!;
      const [addr, offset] = [BigInt(`0x${probes[1]}`), Number(`0x${probes[2]}`)];
      for (const p of readUsdtProbes(bin)) expect(p.semaphoreFileOffset).toBe(offset + Number(p.semaphore - addr));
    }
  });

  it('finds no probes in a binary without notes, and refuses what is not ELF', () => {
    expect(readUsdtProbes(process.execPath).filter((p) => p.provider === 'udp')).toEqual([]);
    expect(() => readUsdtProbes(join(ROOT, 'package.json'))).toThrow(/not an ELF file/);
  });
});

describe('bpftrace programs', () => {
  const all = new Set(['udp:block_reconstructed', 'udp:block_reconstruction_detail', 'udp:block_send_start', 'udp:block_race_winner', 'udp:block_race_time', 'validation:block_connected']);

  it('keeps only the probes the binary declares and fills in its path', () => {
    const full = buildProgram(FIBRE_BT, '/usr/bin/bitcoind', all);
    expect(full.probes).toEqual([...all]);
    expect(full.missing).toEqual([]);
    expect(full.text).not.toContain('BINARY');
    expect(full.text.match(/^usdt:\/usr\/bin\/bitcoind:/gm)).toHaveLength(6);

    const older = buildProgram(FIBRE_BT, '/usr/bin/bitcoind', new Set([...all].filter((p) => p !== 'udp:block_race_time')));
    expect(older.missing).toEqual(['udp:block_race_time']);
    expect(older.text).not.toContain('block_race_time');
    expect(older.text).toContain('usdt:/usr/bin/bitcoind:udp:block_race_winner');
  });

  it('prints, on an interval, exactly the maps of the probes kept', () => {
    const probes = new Set(['net:inbound_message', 'net:outbound_message', 'mempool:removed', 'validation:block_connected']);
    const p = buildProgram(CORE_BT, '/opt/bitcoin/bin/bitcoind', probes, { printMapsEverySeconds: 5 });
    const printed = [...p.text.matchAll(/print\((@\w+)\)/g)].map((m) => m[1]).sort();
    expect(printed).toEqual(['@mempool_removed', '@net_message_bytes', '@net_messages']);
    expect(p.text).toMatch(/^interval:s:5 \{/m);
    expect(p.missing).toContain('mempool:added');
  });

  it('reads udp:block_reconstruction_detail arg6 only where bpftrace can (0.24+), and says -1 (unknown) elsewhere', () => {
    const detail = (text: string) => /usdt:\S+:udp:block_reconstruction_detail\s*\{[^}]*\}/.exec(text)![0];
    const old = buildProgram(FIBRE_BT, '/b', all);
    const current = buildProgram(FIBRE_BT, '/b', all, { usdtArg6: true });
    for (const p of [old, current]) expect(p.text.match(/udp:block_reconstruction_detail/g)).toHaveLength(1);
    expect(detail(old.text)).not.toMatch(/arg6/);
    expect(detail(old.text)).toContain('\\t-1\\n');
    expect(detail(current.text)).toMatch(/arg6/);
    expect(old.text).not.toMatch(/variant:/);
    expect(old.probes).toEqual(current.probes);
  });

  it('refuses a path bpftrace cannot express', () => {
    expect(() => buildProgram(FIBRE_BT, '/opt/my bitcoin/bitcoind', all)).toThrow(/spaces, colons or quotes/);
  });
});

describe('bpftrace builds (read from bpftrace/bpftrace at v0.17.0, v0.20.4, v0.23.5, v0.24.0)', () => {
  const v = (s: string) => parseBpftraceVersion(s)!;

  it('reads the version bpftrace --version prints', () => {
    expect(v('bpftrace v0.17.0')).toEqual({ major: 0, minor: 17, patch: 0 });
    expect(v('bpftrace v0.24.0-12-g205f511')).toEqual({ major: 0, minor: 24, patch: 0 });
    expect(parseBpftraceVersion('no version here')).toBeUndefined();
  });

  it('sets only variables each build reads, so none warns: STRLEN up to 0.19, MAX_STRLEN on 0.20-0.22, neither from 0.23', () => {
    expect(bpftraceEnv(v('0.17.0'))).toEqual({ BPFTRACE_STRLEN: '80', BPFTRACE_PERF_RB_PAGES: '1024' });
    expect(bpftraceEnv(v('0.20.4'))).toEqual({ BPFTRACE_MAX_STRLEN: '80', BPFTRACE_PERF_RB_PAGES: '4096' });
    expect(bpftraceEnv(v('0.23.5'))).toEqual({ BPFTRACE_MAX_STRLEN: '80', BPFTRACE_PERF_RB_PAGES: '4096' });
    expect(bpftraceEnv(v('0.24.0'))).toEqual({ BPFTRACE_PERF_RB_PAGES: '4096' });
  });
});

describe('bpftrace -f json output', () => {
  it('parses every shape ABI.md section 3 lists', () => {
    expect(parseBpftraceLine('{"type": "attached_probes", "data": {"probes": 5}}')).toEqual([{ kind: 'attached', probes: 5 }]);
    expect(parseBpftraceLine('{"type": "printf", "data": "a\\tb\\n"}')).toEqual([{ kind: 'printf', line: 'a\tb' }]);
    expect(parseBpftraceLine('{"type": "printf", "data": "\\npart"}')).toEqual([{ kind: 'printf', line: 'part' }]);
    expect(parseBpftraceLine('{"type": "printf", "data": "one\\ntwo\\n"}')).toEqual([
      { kind: 'printf', line: 'one' },
      { kind: 'printf', line: 'two' },
    ]);
    expect(parseBpftraceLine('{"type": "map", "data": {"@net_messages": {"inbound,ping": 5}}}')).toEqual([{ kind: 'map', name: '@net_messages', value: { 'inbound,ping': 5 } }]);
    expect(parseBpftraceLine('{"type": "map", "data": {"@mempool_added": 3}}')).toEqual([{ kind: 'map', name: '@mempool_added', value: 3 }]);
    expect(parseBpftraceLine('{"type": "lost_events", "data": {"events": 12}}')).toEqual([{ kind: 'lost', events: 12 }]);
    expect(parseBpftraceLine('')).toEqual([]);
    expect(parseBpftraceLine('No probes to attach')).toEqual([]);
    expect(parseBpftraceLine('garbage')).toEqual([{ kind: 'unknown', line: 'garbage' }]);
  });

  it('cuts a stream read in arbitrary chunks into the same lines readline would give', () => {
    const text = 'one\n{"type": "printf", "data": "a\\tb\\n"}\n\nlast without newline';
    for (const size of [1, 2, 3, 7, 64, text.length]) {
      const lines: string[] = [];
      const split = new LineSplitter((l) => lines.push(l));
      for (let i = 0; i < text.length; i += size) split.push(text.slice(i, i + size));
      split.end();
      split.end();
      expect(lines, `chunks of ${size}`).toEqual(['one', '{"type": "printf", "data": "a\\tb\\n"}', '', 'last without newline']);
    }
  });

  it('turns cumulative map totals into increments that never go negative, per bpftrace run', () => {
    const d = new MapDeltas();
    expect(d.delta('@m', 'k', 10)).toBe(10);
    expect(d.delta('@m', 'k', 15)).toBe(5);
    expect(d.delta('@m', 'other', 2)).toBe(2);
    expect(d.delta('@m', 'k', 4)).toBe(4); // cleared under us: all of it is new
    d.newRun();
    expect(d.delta('@m', 'k', 3)).toBe(3);
  });

  it('parses the fibre lines bpf/fibre.bt prints, and rejects malformed ones', () => {
    expect(parseFibreLine('block_race_time\t' + 'ab'.repeat(32) + '\t800001\t-1\tn/a\t45000000\t10.0.0.9:8333')).toEqual({
      type: 'block_race_time', hash: 'ab'.repeat(32), height: 800001, udpNanos: -1, udpPeer: 'n/a', cmpctNanos: 45000000, cmpctPeer: '10.0.0.9:8333',
    });
    expect(() => parseFibreLine('block_send_start\tabc')).toThrow(/expected 2 fields, got 1/);
    expect(() => parseFibreLine('block_send_start\tabc\t12x')).toThrow(/not a whole number/);
    expect(() => parseFibreLine('block_race_winner\tzz\t1\tF\tp')).toThrow(/hex hash/);
    expect(() => parseFibreLine('nonsense\t1')).toThrow(/unknown event/);
  });
});
