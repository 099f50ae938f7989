// Pid files of native services, under <stack>/run/. Everything in them is public or forgeable (a
// pid and its start time can be read by anyone; the file can be edited), so a pid file is only a
// hint: before a process is signalled or counted as running, it is proved to be the one `up`
// started (isOurProcess). Files are read and written without following symlinks.
import { closeSync, constants, fstatSync, openSync, readFileSync, readSync, readdirSync, readlinkSync, realpathSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { folderInStack } from './stack-dir.js';

export interface PidRecord {
  service: string;
  pid: number;
  /** The executable and every argument, as the process was started. */
  argv: string[];
  /** Start time from /proc/<pid>/stat: with the pid, it identifies the process. */
  startTicks: string;
  startedAt: string;
}

/** Why a service of the stack is not running: its program could not be had. */
export interface UnavailableRecord {
  service: string;
  reason: string;
  remedy: string;
}

/** A service name as the stack's services are named: what a record file may be called. */
const SERVICE_NAME = /^[a-z][a-z0-9-]{0,62}$/;
/** More than any record we write; a bigger file is not ours. */
const MAX_RECORD_BYTES = 64 * 1024;

export const runDir = (stackDir: string) => join(stackDir, 'run');

/** The contents of a regular file, opened without following a symlink; undefined when it is not one. */
function readOwnFile(path: string): string | undefined {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch {
    return undefined;
  }
  try {
    const info = fstatSync(fd);
    if (!info.isFile() || info.size > MAX_RECORD_BYTES) return undefined;
    const buf = Buffer.alloc(info.size);
    return buf.subarray(0, readSync(fd, buf, 0, info.size, 0)).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

/** A JSON record a service leaves in run/: `<service>.pid` while it runs, `<service>.unavailable` when its program could not be had. */
function recordFiles<T extends { service: string }>(suffix: string, valid: (x: Record<string, unknown>) => boolean) {
  const path = (stackDir: string, service: string) => {
    if (!SERVICE_NAME.test(service)) throw new Error(`not a service name: ${JSON.stringify(service)}`);
    return join(runDir(stackDir), `${service}${suffix}`);
  };
  return {
    /** Written to a fresh file (exclusive creation) renamed over the old one: a symlink planted there is replaced, never followed. */
    write(stackDir: string, rec: T): void {
      const dir = folderInStack(stackDir, 'run');
      const tmp = join(dir, `.${rec.service}${suffix}.${randomBytes(6).toString('hex')}`);
      writeFileSync(tmp, JSON.stringify(rec) + '\n', { flag: 'wx', mode: 0o644 });
      renameSync(tmp, path(stackDir, rec.service));
    },
    /** The record, when the file is one of ours in shape and names this service; anything else is ignored. */
    read(stackDir: string, service: string): T | undefined {
      const text = readOwnFile(path(stackDir, service));
      if (text === undefined) return undefined;
      let doc: unknown;
      try {
        doc = JSON.parse(text);
      } catch {
        return undefined;
      }
      if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return undefined;
      const rec = doc as Record<string, unknown>;
      return rec.service === service && valid(rec) ? (rec as unknown as T) : undefined;
    },
    remove(stackDir: string, service: string): void {
      rmSync(path(stackDir, service), { force: true });
    },
  };
}

const isStringArray = (x: unknown) => Array.isArray(x) && x.length > 0 && x.every((a) => typeof a === 'string');
const pidFiles = recordFiles<PidRecord>(
  '.pid',
  (r) => Number.isSafeInteger(r.pid) && (r.pid as number) > 1 && typeof r.startTicks === 'string' && /^\d+$/.test(r.startTicks) && isStringArray(r.argv),
);
const unavailableFiles = recordFiles<UnavailableRecord>('.unavailable', (r) => typeof r.reason === 'string' && typeof r.remedy === 'string');

export const writePidRecord = pidFiles.write;
export const readPidRecord = pidFiles.read;
export const removePidRecord = pidFiles.remove;
export const writeUnavailable = unavailableFiles.write;
export const readUnavailable = unavailableFiles.read;
export const clearUnavailable = unavailableFiles.remove;

/** The pid records in run/ (only files named after a service, holding a well-formed record for it). */
export function pidRecords(stackDir: string): PidRecord[] {
  let names: string[];
  try {
    names = readdirSync(runDir(stackDir));
  } catch {
    return [];
  }
  return names
    .filter((n) => n.endsWith('.pid') && SERVICE_NAME.test(n.slice(0, -'.pid'.length)))
    .map((n) => readPidRecord(stackDir, n.slice(0, -'.pid'.length)))
    .filter((r): r is PidRecord => r !== undefined);
}

/** State and start time (clock ticks after boot) of a process, from /proc/<pid>/stat. */
function procStat(pid: number): { state: string; startTicks: string } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces; fields count from after it.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state: rest[0], startTicks: rest[19] };
  } catch {
    return undefined;
  }
}

/** The start time of a process we just started, recorded so the pid can be recognised later. */
export function startTicksOf(pid: number): string | undefined {
  return procStat(pid)?.startTicks;
}

/** Variables every process `up` starts carries: its stack folder and service. Only a process we started has them. */
export function ownerEnv(stackDir: string, service: string): Record<string, string> {
  return { FIBRE_STACK_DIR: realpathSync(stackDir), FIBRE_STACK_SERVICE: service };
}

const readProc = (pid: number, what: string) => {
  try {
    return readFileSync(`/proc/${pid}/${what}`, 'utf8');
  } catch {
    return undefined;
  }
};
const linkOf = (path: string) => {
  try {
    return readlinkSync(path).replace(/ \(deleted\)$/, '');
  } catch {
    return undefined;
  }
};
const realOr = (path: string) => {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
};

/**
 * Why the recorded process is not one `up` started for this stack, or undefined when it is. It
 * is ours when: the pid is not 1 nor this process; it is alive with the recorded start time; its
 * executable and command line are the ones recorded; its working folder is the stack folder; and
 * its environment carries the stack folder and service `up` gave it. The last two cannot be forged
 * by editing a pid file, which is what makes the rest (all public) trustworthy.
 */
export function notOurs(stackDir: string, rec: PidRecord): string | undefined {
  if (rec.pid <= 1 || rec.pid === process.pid) return `pid ${rec.pid} is never one of ours`;
  const stat = procStat(rec.pid);
  // A zombie has exited; only its parent has not reaped it yet.
  if (stat === undefined || stat.state === 'Z') return `pid ${rec.pid} has exited`;
  if (stat.startTicks !== rec.startTicks) return `pid ${rec.pid} is another process now (its start time differs)`;
  const cmdline = readProc(rec.pid, 'cmdline');
  if (cmdline === undefined || cmdline !== rec.argv.join('\0') + '\0') return `pid ${rec.pid} runs another command line`;
  const exe = linkOf(`/proc/${rec.pid}/exe`);
  if (exe === undefined || realOr(exe) !== realOr(rec.argv[0])) return `pid ${rec.pid} runs another program (${exe ?? 'unknown'})`;
  const root = realOr(stackDir);
  if (linkOf(`/proc/${rec.pid}/cwd`) !== root) return `pid ${rec.pid} does not run in the stack folder`;
  const env = (readProc(rec.pid, 'environ') ?? '').split('\0');
  const want = ownerEnv(stackDir, rec.service);
  if (!Object.entries(want).every(([k, v]) => env.includes(`${k}=${v}`))) return `pid ${rec.pid} was not started by fibre-stack for this stack`;
  return undefined;
}

export const isOurProcess = (stackDir: string, rec: PidRecord) => notOurs(stackDir, rec) === undefined;
