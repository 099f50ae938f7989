// Issue 12, "bounded work on untrusted files", for the log follower: the log folder may be writable
// by others, so what is at the path may be a FIFO, and a line may be made to break its handler.
// One test puts the FIFO there at the worst moment, between the follower's look at the path and
// its open(): the file and the FIFO are real, only the moment is chosen (by wrapping open()).
import { spawnSync } from 'node:child_process';
import { appendFileSync, closeSync, constants, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { followLog, type FollowStatus } from '../exporter/log-follower.js';
import { eventually } from './support/scrape.js';

/** Runs once, just before the follower opens this path. */
let beforeOpen: { path: string; run: () => void } | undefined;
/** Every path the follower opened. */
const opened: string[] = [];

vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  const open: typeof real.open = async (...args) => {
    const hook = beforeOpen;
    if (hook && args[0] === hook.path) {
      beforeOpen = undefined;
      hook.run();
    }
    opened.push(String(args[0]));
    return real.open(...args);
  };
  return { ...real, open };
});

const fifos: string[] = [];
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  beforeOpen = undefined;
  opened.length = 0;
  // Should a reader be parked in open() on a FIFO, a writer that comes and goes lets it go, so a
  // failing run ends (and its follower stops) instead of hanging the suite.
  for (const fifo of fifos.splice(0)) {
    try {
      closeSync(openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK));
    } catch {
      // ENXIO: no reader, nothing to let go; ENOENT: gone already.
    }
  }
  while (cleanups.length) await cleanups.pop()!();
});

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'fibre-stack-follow-hostile-'));
}

function mkfifo(path: string): void {
  expect(spawnSync('mkfifo', [path]).status).toBe(0);
  fifos.push(path);
}

function follow(path: string, options: { staleAfterMs?: number; line?: (l: string) => void } = {}) {
  const lines: string[] = [];
  const statuses: FollowStatus[] = [];
  const follower = followLog(
    path,
    {
      line: (l) => {
        lines.push(l);
        options.line?.(l);
      },
      status: (s) => statuses.push(s),
    },
    { staleAfterMs: options.staleAfterMs ?? 60_000, pollMs: 20 },
  );
  cleanups.push(() => follower.stop());
  return { lines, statuses, follower };
}

describe('log follower on a hostile folder', () => {
  it('a FIFO at the path is reported once and never opened', async () => {
    const path = join(tmp(), 'miner.log');
    mkfifo(path);
    const { statuses } = follow(path);
    await eventually(() => expect(statuses).toContainEqual({ type: 'not-a-file' }));
    await new Promise((r) => setTimeout(r, 200));
    expect(statuses.filter((s) => s.type === 'not-a-file')).toHaveLength(1);
    expect(opened).not.toContain(path);
  });

  it('a FIFO swapped in between the look and the open is let go at once, and the follower stops', async () => {
    const path = join(tmp(), 'miner.log');
    writeFileSync(path, 'first\n');
    beforeOpen = {
      path,
      run: () => {
        rmSync(path);
        mkfifo(path);
      },
    };
    const { statuses, follower } = follow(path);
    await eventually(() => expect(statuses).toContainEqual({ type: 'not-a-file' }));
    // A follower parked in open() would never finish its poll, and so never stop.
    const stopped = await Promise.race([follower.stop().then(() => true), new Promise((r) => setTimeout(() => r(false), 3000))]);
    expect(stopped).toBe(true);
  });

  it('when a regular file comes back, it is read', async () => {
    const path = join(tmp(), 'miner.log');
    mkfifo(path);
    const { lines, statuses } = follow(path);
    await eventually(() => expect(statuses).toContainEqual({ type: 'not-a-file' }));
    rmSync(path);
    writeFileSync(path, 'back\n');
    await eventually(() => expect(lines).toEqual(['back']));
  });

  it('a line its handler throws on is reported, and the lines after it in the same read still arrive', async () => {
    const path = join(tmp(), 'miner.log');
    writeFileSync(path, '');
    const { lines, statuses } = follow(path, {
      line: (l) => {
        if (l === 'bad') throw new Error('Value is not a valid number: NaN');
      },
    });
    await eventually(() => expect(statuses).toContainEqual({ type: 'opened', fromByte: 0 }));
    appendFileSync(path, 'one\nbad\ntwo\nthree\n');
    await eventually(() => expect(lines).toEqual(['one', 'bad', 'two', 'three']));
    expect(statuses).toContainEqual({ type: 'line-failed', message: 'Value is not a valid number: NaN' });
    expect(statuses.some((s) => s.type === 'error')).toBe(false);
  });

  it('a log missing for the stale time counts as stale', async () => {
    const path = join(tmp(), 'never.log');
    const { statuses } = follow(path, { staleAfterMs: 200 });
    await eventually(() => expect(statuses).toEqual([{ type: 'missing' }, { type: 'stale', stale: true }]));
    writeFileSync(path, 'here\n');
    await eventually(() => expect(statuses.slice(-2)).toEqual([{ type: 'opened', fromByte: 0 }, { type: 'stale', stale: false }]));
  });
});
