// Follows a log file the way `tail -F` does, and then some: a miner restart may truncate its log,
// replace it, or a logrotate may rename it away, and none of that may need an exporter restart or
// count a line twice. It polls (inotify misses changes made through bind mounts and on network
// filesystems, and a poll every fraction of a second costs nothing at log rates) and keeps one
// reader position per file identity (device + inode):
// - a new identity at the path: the old file is read to its end, then the new one from its start;
// - the same file grown smaller, or whose bytes just before our position changed (truncated and
//   rewritten between two polls, or between our size check and our read): read again from the
//   start. The comparison rides on the read that fetches the new bytes, so no rewrite slips in
//   between a check and a read;
// - no file: reported once and waited for; it counts as stale once it has been missing as long as
//   a file that stopped growing would (a log that never appears is a miner that never logs);
// - something other than a regular file at the path (a FIFO, a device, a folder): reported once,
//   never read, and never opened in a way that can block. The exporter often runs as root over a
//   log folder others can write: a FIFO put there must not park a thread of the shared pool in
//   open() until a writer comes, which would freeze every follower of the process;
// - a line without its newline yet: held until the newline arrives;
// - a line its handler throws on: reported, and the lines after it are still handed out.
import { constants } from 'node:fs';
import { open, stat, type FileHandle } from 'node:fs/promises';

export type FollowStatus =
  | { type: 'missing' }
  | { type: 'opened'; fromByte: number }
  | { type: 'truncated' }
  | { type: 'rotated' }
  | { type: 'stale'; stale: boolean }
  /** Something other than a regular file is at the path; it is left alone until that changes. */
  | { type: 'not-a-file' }
  /** The line handler threw on a line; the lines after it were still handed out. */
  | { type: 'line-failed'; message: string }
  | { type: 'error'; message: string }
  /** A poll went through again after an error. */
  | { type: 'recovered' };

export interface FollowHandlers {
  line(text: string): void;
  status(status: FollowStatus): void;
}

export interface FollowOptions {
  /** Milliseconds between polls. */
  pollMs?: number;
  /** The file counts as stale after this long without growing (while it exists). */
  staleAfterMs: number;
  /**
   * When the file already exists at start, read at most this many bytes of what it holds (from
   * the first full line in them), so an old multi-gigabyte log does not stall the start.
   */
  backlogBytes?: number;
}

export interface Follower {
  stop(): Promise<void>;
}

/** Bytes remembered just before the read position, to notice a file rewritten in place. */
const FINGERPRINT_BYTES = 64;
/** A "line" longer than this is cut, so a log of binary garbage cannot exhaust memory. */
const MAX_LINE_BYTES = 1 << 20;
const READ_CHUNK = 1 << 20;

interface OpenFile {
  handle: FileHandle;
  dev: number;
  ino: number;
  position: number;
  /** The last bytes read, ending at `position`. */
  fingerprint: Buffer;
  /** Bytes after the last newline, waiting for the rest of their line. */
  partial: Buffer;
  /** Started mid-file: the first "line" is the end of one whose start was skipped. */
  skipFirstLine: boolean;
}

export function followLog(path: string, handlers: FollowHandlers, options: FollowOptions): Follower {
  const pollMs = options.pollMs ?? 250;
  const backlogBytes = options.backlogBytes ?? 1 << 20;
  let file: OpenFile | undefined;
  let firstLook = true;
  let missingReported = false;
  let notAFileReported = false;
  let lastError = '';
  let lastGrowth = Date.now();
  let stale = false;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  // One read buffer for the follower's life: polls run one at a time, and everything kept from a
  // read (lines, the fingerprint, a partial line) is copied out of it.
  const buf = Buffer.allocUnsafe(FINGERPRINT_BYTES + READ_CHUNK);

  const setStale = (value: boolean) => {
    if (value !== stale) {
      stale = value;
      handlers.status({ type: 'stale', stale: value });
    }
  };

  /**
   * Reads from the position to the end of the file, emitting every complete line. Each read also
   * fetches the bytes just before the position and compares them with the ones we read there: a
   * miner that truncates and rewrites its log between our size check and our read would otherwise
   * have its first new lines skipped. Stops at the first read that shows a rewrite.
   */
  const drain = async (f: OpenFile): Promise<'grew' | 'same' | 'rewritten'> => {
    let grew = false;
    for (;;) {
      const known = f.fingerprint.length;
      const { bytesRead } = await f.handle.read(buf, 0, known + READ_CHUNK, f.position - known);
      if (bytesRead < known || !buf.subarray(0, known).equals(f.fingerprint)) return 'rewritten';
      if (bytesRead === known) return grew ? 'grew' : 'same';
      grew = true;
      const chunk = buf.subarray(known, bytesRead);
      f.position += chunk.length;
      f.fingerprint = Buffer.from(buf.subarray(Math.max(0, bytesRead - FINGERPRINT_BYTES), bytesRead));
      emitLines(f, chunk);
    }
  };

  /** One line to the handler; what it throws is reported, so the lines after it still arrive. */
  const emit = (text: string) => {
    try {
      handlers.line(text);
    } catch (err) {
      handlers.status({ type: 'line-failed', message: err instanceof Error ? err.message : String(err) });
    }
  };

  const emitLines = (f: OpenFile, chunk: Buffer) => {
    let data = f.partial.length > 0 ? Buffer.concat([f.partial, chunk]) : chunk;
    let nl: number;
    while ((nl = data.indexOf(0x0a)) !== -1) {
      if (f.skipFirstLine) f.skipFirstLine = false;
      else emit(data.subarray(0, nl).toString('utf8').replace(/\r$/, ''));
      data = data.subarray(nl + 1);
    }
    while (data.length > MAX_LINE_BYTES) {
      emit(data.subarray(0, MAX_LINE_BYTES).toString('utf8'));
      data = data.subarray(MAX_LINE_BYTES);
    }
    // Copy: `data` may be a view into the shared read buffer.
    f.partial = Buffer.from(data);
  };

  /** The old file is gone from the path: read what is left, including an unterminated last line. */
  const retire = async (f: OpenFile) => {
    try {
      // Were it rewritten too, that would no longer be ours to follow: the path holds another file.
      await drain(f);
      if (f.partial.length > 0) emit(f.partial.toString('utf8').replace(/\r$/, ''));
    } finally {
      await f.handle.close().catch(() => undefined);
    }
  };

  /** Opens the path if it is a regular file; undefined when something else was put there. */
  const openAt = async (start: 'beginning' | 'backlog'): Promise<boolean> => {
    // O_NONBLOCK: a FIFO swapped in since our stat() opens at once instead of waiting for a
    // writer; the fstat below then sees what was opened and lets it go. Regular files ignore it.
    const handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
    try {
      const st = await handle.stat();
      if (!st.isFile()) {
        await handle.close();
        return false;
      }
      const f: OpenFile = { handle, dev: st.dev, ino: st.ino, position: 0, fingerprint: Buffer.alloc(0), partial: Buffer.alloc(0), skipFirstLine: false };
      if (start === 'backlog' && st.size > backlogBytes) {
        // Start inside the file, on a line boundary: the bytes before the first newline are the
        // tail of a line whose start is skipped.
        f.position = st.size - backlogBytes;
        f.skipFirstLine = true;
      }
      file = f;
      handlers.status({ type: 'opened', fromByte: f.position });
      return true;
    } catch (err) {
      await handle.close().catch(() => undefined);
      throw err;
    }
  };

  /** The file was truncated or rewritten under us: read it again from its start. */
  const restart = (f: OpenFile) => {
    f.position = 0;
    f.skipFirstLine = false;
    f.fingerprint = Buffer.alloc(0);
    // The held partial line belonged to the old content; its end will never come.
    f.partial = Buffer.alloc(0);
    handlers.status({ type: 'truncated' });
    lastGrowth = Date.now();
  };

  const poll = async () => {
    let st;
    try {
      st = await stat(path);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw err;
      if (file) {
        await retire(file);
        file = undefined;
      }
      firstLook = false;
      notAFileReported = false;
      if (!missingReported) {
        missingReported = true;
        handlers.status({ type: 'missing' });
      }
      // Missing since the start or since the file went: as stale as a log that stopped growing.
      if (Date.now() - lastGrowth >= options.staleAfterMs) setStale(true);
      return;
    }
    missingReported = false;
    if (file && (file.dev !== st.dev || file.ino !== st.ino)) {
      await retire(file);
      file = undefined;
      handlers.status({ type: 'rotated' });
    }
    // A first look at the path, without opening it: no open() at all of a device or a FIFO.
    const opened = !file && st.isFile() && (await openAt(firstLook ? 'backlog' : 'beginning'));
    if (!file) {
      firstLook = false;
      if (!notAFileReported) {
        notAFileReported = true;
        handlers.status({ type: 'not-a-file' });
      }
      if (Date.now() - lastGrowth >= options.staleAfterMs) setStale(true);
      return;
    }
    notAFileReported = false;
    if (opened) {
      // A file there when we start is an old log: take only its recent part (openAt). One that
      // appears later is new: all of it is news.
      lastGrowth = Date.now();
      setStale(false);
    }
    firstLook = false;
    const f = file!;
    if ((await f.handle.stat()).size < f.position) restart(f);
    let read = await drain(f);
    // Each pass reads some new content before it can report another rewrite (after a restart
    // there is nothing to compare yet), so only a file rewritten without end keeps us here.
    while (read === 'rewritten') {
      restart(f);
      read = await drain(f);
    }
    if (read === 'grew') {
      lastGrowth = Date.now();
      setStale(false);
    } else if (Date.now() - lastGrowth >= options.staleAfterMs) {
      setStale(true);
    }
  };

  const loop = async () => {
    try {
      await poll();
      if (lastError) handlers.status({ type: 'recovered' });
      lastError = '';
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      // Say it once, not every poll; keep trying, since permissions and mounts get fixed.
      if (message !== lastError) handlers.status({ type: 'error', message });
      lastError = message;
    }
    if (!stopped) timer = setTimeout(() => (running = loop()), pollMs);
  };

  running = loop();
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
      if (file) await file.handle.close().catch(() => undefined);
      file = undefined;
    },
  };
}
