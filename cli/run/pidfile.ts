// Pid files of native services, under <stack>/run/. A pid file records the process's start time,
// so a pid the kernel has since given to another program is recognised as stale and never killed.
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

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

export const runDir = (stackDir: string) => join(stackDir, 'run');
/** A JSON record a service leaves in run/: `<service>.pid` while it runs, `<service>.unavailable` when its program could not be had. */
function recordFiles<T extends { service: string }>(suffix: string) {
  const path = (stackDir: string, service: string) => join(runDir(stackDir), `${service}${suffix}`);
  return {
    write(stackDir: string, rec: T): void {
      mkdirSync(runDir(stackDir), { recursive: true });
      writeFileSync(path(stackDir, rec.service), JSON.stringify(rec) + '\n');
    },
    read(stackDir: string, service: string): T | undefined {
      try {
        return JSON.parse(readFileSync(path(stackDir, service), 'utf8')) as T;
      } catch {
        return undefined;
      }
    },
    remove(stackDir: string, service: string): void {
      rmSync(path(stackDir, service), { force: true });
    },
  };
}

const pidFiles = recordFiles<PidRecord>('.pid');
const unavailableFiles = recordFiles<UnavailableRecord>('.unavailable');

export const writePidRecord = pidFiles.write;
export const readPidRecord = pidFiles.read;
export const removePidRecord = pidFiles.remove;
export const writeUnavailable = unavailableFiles.write;
export const readUnavailable = unavailableFiles.read;
export const clearUnavailable = unavailableFiles.remove;

export function pidRecords(stackDir: string): PidRecord[] {
  let names: string[];
  try {
    names = readdirSync(runDir(stackDir));
  } catch {
    return [];
  }
  return names
    .filter((n) => n.endsWith('.pid'))
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

/**
 * True when the recorded process is still alive. A pid and its start time name one process for the
 * life of the machine, even if the program rewrites its command line (Node's process.title does).
 */
export function isSameProcess(rec: PidRecord): boolean {
  const stat = procStat(rec.pid);
  // A zombie has exited; only its parent has not reaped it yet.
  return stat !== undefined && stat.state !== 'Z' && stat.startTicks === rec.startTicks;
}
