// The log follower on real files. One test places a rewrite of the log at the moment a poll is
// about to read past what it knows, which is where a miner restart racing a poll lands; the file
// and its reads are real, only the moment is chosen.
import { appendFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { followLog } from '../exporter/log-follower.js';
import { eventually } from './support/scrape.js';

/** Runs once, just before the follower's first read that reaches past byte `end`. */
let beforeReadPast: { end: number; run: () => void } | undefined;

vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  const open: typeof real.open = async (...args) => {
    const handle = await real.open(...args);
    return new Proxy(handle, {
      get(target, prop) {
        if (prop === 'read') {
          return (buffer: Buffer, offset: number, length: number, position: number) => {
            const hook = beforeReadPast;
            if (hook && position + length > hook.end) {
              beforeReadPast = undefined;
              hook.run();
            }
            return target.read(buffer, offset, length, position);
          };
        }
        const value = Reflect.get(target, prop, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  };
  return { ...real, open };
});

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  beforeReadPast = undefined;
  while (stops.length) await stops.pop()!();
});

function follow(path: string, options: { backlogBytes?: number } = {}) {
  const lines: string[] = [];
  const statuses: string[] = [];
  const follower = followLog(path, { line: (l) => lines.push(l), status: (s) => statuses.push(JSON.stringify(s)) }, { staleAfterMs: 60_000, pollMs: 20, ...options });
  stops.push(() => follower.stop());
  return { lines, statuses };
}

describe('log follower', () => {
  it('reads only the recent part of a large existing log, from a line boundary', async () => {
    const log = join(mkdtempSync(join(tmpdir(), 'fibre-stack-follow-')), 'big.log');
    const old = Array.from({ length: 50 }, (_, i) => `old line ${String(i).padStart(2, '0')}`).join('\n') + '\n';
    writeFileSync(log, old);
    // Lines are 12 bytes: the last 40 start 4 bytes before the end of "old line 46", whose tail
    // is skipped; 47, 48 and 49 are read whole.
    const { lines, statuses } = follow(log, { backlogBytes: 40 });
    await eventually(() => expect(lines).toEqual(['old line 47', 'old line 48', 'old line 49']));
    expect(statuses).toEqual([JSON.stringify({ type: 'opened', fromByte: old.length - 40 })]);
    appendFileSync(log, 'new line\n');
    await eventually(() => expect(lines).toEqual(['old line 47', 'old line 48', 'old line 49', 'new line']));
  });

  it('reads a log rewritten from its start just before a read, longer than before, whole', async () => {
    const log = join(mkdtempSync(join(tmpdir(), 'fibre-stack-follow-')), 'miner.log');
    const first = 'restart 1: hashrate 1.5\n';
    writeFileSync(log, first);
    const { lines, statuses } = follow(log);
    await eventually(() => expect(lines).toEqual(['restart 1: hashrate 1.5']));
    // The miner restarts between a poll's size check and its read: same length lines, new bytes.
    beforeReadPast = { end: first.length, run: () => writeFileSync(log, 'restart 2: hashrate 1.6\nrestart 2: hashrate 1.7\nrestart 2: hashrate 1.8\n') };
    await eventually(() => expect(lines).toEqual(['restart 1: hashrate 1.5', 'restart 2: hashrate 1.6', 'restart 2: hashrate 1.7', 'restart 2: hashrate 1.8']));
    expect(beforeReadPast).toBeUndefined();
    expect(statuses).toContain(JSON.stringify({ type: 'truncated' }));
  });

  it('drops a half line held when the log is truncated, instead of gluing it to the first new line', async () => {
    const log = join(mkdtempSync(join(tmpdir(), 'fibre-stack-follow-')), 'miner.log');
    writeFileSync(log, 'hashrate 1.5\nhashrate 1.');
    const { lines, statuses } = follow(log);
    await eventually(() => expect(lines).toEqual(['hashrate 1.5']));
    // The miner restarts before finishing its line: the end of that line will never come.
    writeFileSync(log, 'restarted\n');
    await eventually(() => expect(lines).toEqual(['hashrate 1.5', 'restarted']));
    expect(statuses).toContain(JSON.stringify({ type: 'truncated' }));
  });
});
