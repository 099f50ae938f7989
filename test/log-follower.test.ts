// The log follower on real files. One test places a rewrite of the log at the moment a poll is
// about to read past what it knows, which is where a miner restart racing a poll lands; the file
// and its reads are real, only the moment is chosen.
import { appendFileSync, mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
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

function follow(path: string, options: { backlogBytes?: number; staleAfterMs?: number } = {}) {
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

  it('holds a line until its newline arrives, and drops the CR of a CRLF line end', async () => {
    const log = join(mkdtempSync(join(tmpdir(), 'fibre-stack-follow-')), 'miner.log');
    writeFileSync(log, 'one\r\ntw');
    const { lines, statuses } = follow(log);
    await eventually(() => expect(lines).toEqual(['one']));
    appendFileSync(log, 'o\r');
    appendFileSync(log, '\nthr\ree\n\n');
    await eventually(() => expect(lines).toEqual(['one', 'two', 'thr\ree', '']));
    // A file there at the start that fits the backlog is read from its first byte.
    expect(statuses).toEqual([JSON.stringify({ type: 'opened', fromByte: 0 })]);
  });

  it('hands out a run of bytes without a newline in pieces of 1 MiB, so it never holds more', async () => {
    const log = join(mkdtempSync(join(tmpdir(), 'fibre-stack-follow-')), 'garbage.log');
    const mib = 1 << 20;
    writeFileSync(log, 'a'.repeat(3 * mib) + '\nd\n');
    const { lines } = follow(log, { backlogBytes: 4 * mib });
    await eventually(() => expect(lines.map((l) => `${l[0]}x${l.length}`)).toEqual([`ax${mib}`, `ax${mib}`, `ax${mib}`, 'dx1']));
  });

  it('reads a rotated log to its end, its last line too, then the new file from its start', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fibre-stack-follow-'));
    const log = join(dir, 'miner.log');
    writeFileSync(log, 'old 1\n');
    const { lines, statuses } = follow(log);
    await eventually(() => expect(lines).toEqual(['old 1']));
    // logrotate renames the log; the miner finishes its last line in the old file, then opens a new one.
    renameSync(log, `${log}.1`);
    appendFileSync(`${log}.1`, 'old 2\nold 3 unterminated');
    writeFileSync(log, 'new 1\n');
    await eventually(() => expect(lines).toEqual(['old 1', 'old 2', 'old 3 unterminated', 'new 1']));
    expect(statuses).toEqual([JSON.stringify({ type: 'opened', fromByte: 0 }), JSON.stringify({ type: 'rotated' }), JSON.stringify({ type: 'opened', fromByte: 0 })]);
    // Rotated again: a last line ended by CR LF, or with its CR only, loses the CR.
    appendFileSync(log, 'new 2\r\nnew\r3\r');
    renameSync(log, `${log}.2`);
    writeFileSync(log, '');
    await eventually(() => expect(lines).toEqual(['old 1', 'old 2', 'old 3 unterminated', 'new 1', 'new 2', 'new\r3']));
    // And once more, from a file whose last line ended: nothing more.
    appendFileSync(log, 'newest\n');
    await eventually(() => expect(lines.at(-1)).toBe('newest'));
    renameSync(log, `${log}.3`);
    writeFileSync(log, 'after\n');
    await eventually(() => expect(lines.slice(-2)).toEqual(['newest', 'after']));
  });

  it('waits for a missing log, said once, and reads all of it once it appears', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fibre-stack-follow-'));
    const log = join(dir, 'later.log');
    const { lines, statuses } = follow(log, { backlogBytes: 4 });
    await eventually(() => expect(statuses).toEqual([JSON.stringify({ type: 'missing' })]));
    // Larger than the backlog: a log that appears later is news from its first byte.
    writeFileSync(log, 'first line\nsecond line\n');
    await eventually(() => expect(lines).toEqual(['first line', 'second line']));
    expect(statuses).toEqual([JSON.stringify({ type: 'missing' }), JSON.stringify({ type: 'opened', fromByte: 0 })]);
  });

  it('reads what a deleted log still held, then waits for it again', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fibre-stack-follow-'));
    const log = join(dir, 'miner.log');
    writeFileSync(log, 'a\n');
    const { lines, statuses } = follow(log);
    await eventually(() => expect(lines).toEqual(['a']));
    appendFileSync(log, 'b\nc');
    rmSync(log);
    await eventually(() => expect(statuses).toContain(JSON.stringify({ type: 'missing' })));
    expect(lines).toEqual(['a', 'b', 'c']);
    writeFileSync(log, 'd\n');
    await eventually(() => expect(lines).toEqual(['a', 'b', 'c', 'd']));
  });

  it('counts a log that stops growing as stale, and not once it grows again', async () => {
    const log = join(mkdtempSync(join(tmpdir(), 'fibre-stack-follow-')), 'miner.log');
    writeFileSync(log, 'a\n');
    const { lines, statuses } = follow(log, { staleAfterMs: 100 });
    await eventually(() => expect(statuses).toContain(JSON.stringify({ type: 'stale', stale: true })));
    appendFileSync(log, 'b\n');
    await eventually(() => expect(lines).toEqual(['a', 'b']));
    await eventually(() => expect(statuses.filter((st) => st.includes('stale'))).toEqual([JSON.stringify({ type: 'stale', stale: true }), JSON.stringify({ type: 'stale', stale: false })]));
  });

  it('reports a path that cannot be read, once, and reads it when it can', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fibre-stack-follow-'));
    // A path through a regular file: stat fails with ENOTDIR, which is "missing", not an error.
    writeFileSync(join(dir, 'file'), '');
    const through = follow(join(dir, 'file', 'miner.log'));
    await eventually(() => expect(through.statuses).toEqual([JSON.stringify({ type: 'missing' })]));
    const log = join(dir, 'miner.log');
    mkdirSync(log);
    const { lines, statuses } = follow(log);
    await eventually(() => expect(statuses.length).toBe(1));
    expect(statuses[0]).not.toContain('"opened"');
    rmSync(log, { recursive: true });
    writeFileSync(log, 'readable\n');
    await eventually(() => expect(lines).toEqual(['readable']));
  });

  it('reads nothing more once stopped', async () => {
    const log = join(mkdtempSync(join(tmpdir(), 'fibre-stack-follow-')), 'miner.log');
    writeFileSync(log, 'a\n');
    const lines: string[] = [];
    const follower = followLog(log, { line: (l) => lines.push(l), status: () => {} }, { staleAfterMs: 60_000, pollMs: 20 });
    await eventually(() => expect(lines).toEqual(['a']));
    await follower.stop();
    appendFileSync(log, 'b\n');
    // Long enough for many polls, had it gone on polling.
    await new Promise((r) => setTimeout(r, 200));
    expect(lines).toEqual(['a']);
  });

  it('reports an error reading the path once, and says when it reads again', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fibre-stack-follow-'));
    const log = join(dir, 'miner.log');
    // A symlink to itself: looking at the path fails with ELOOP, poll after poll.
    symlinkSync(log, log);
    const { lines, statuses } = follow(log);
    await eventually(() => expect(statuses).toEqual([JSON.stringify({ type: 'error', message: `ELOOP: too many symbolic links encountered, stat '${log}'` })]));
    await new Promise((r) => setTimeout(r, 100));
    expect(statuses.length).toBe(1);
    rmSync(log);
    writeFileSync(log, 'readable\n');
    await eventually(() => expect(lines).toEqual(['readable']));
    expect(statuses.slice(1)).toEqual([JSON.stringify({ type: 'opened', fromByte: 0 }), JSON.stringify({ type: 'recovered' })]);
  });
});
