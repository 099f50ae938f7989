// What a stack needs to know about this host, read here at the edge so that rendering stays pure:
// the groups an exporter's unprivileged container user must be in to read the logs it follows
// (compose `group_add`), since the image's uid 10001 is in no group of the host; and the mount
// point holding each node's datadir, which ties the disk alert to that node's filesystem.
import { readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import type { StackSpec } from '../spec/types.js';
import type { HostFacts } from '../render/index.js';
import { exporterRuns, nodeDatadirs } from '../render/stack-profiles.js';
import { enabledServices } from '../services/table.js';
import { PROFILES, type Registry } from '../../profiles/registry.js';

/** The gid of `path` when others lack `otherBit` on it (a log: read; its folder: search); else none. */
function groupNeeded(path: string, otherBit: number): number[] {
  try {
    const st = statSync(path);
    return st.mode & otherBit ? [] : [st.gid];
  } catch {
    // Not there yet: nothing to read the group of. `generate` once it exists adds it.
    return [];
  }
}

export function readHostFacts(spec: StackSpec, registry: Registry = PROFILES): HostFacts {
  const datadirMounts = enabledServices(spec).includes('node-exporter') ? readDatadirMounts(nodeDatadirs(spec, registry).map((d) => d.datadir)) : {};
  const facts: HostFacts = Object.keys(datadirMounts).length ? { datadirMounts } : {};
  if (spec.mode !== 'docker') return facts;
  const readGroups: Record<string, number[]> = {};
  for (const run of exporterRuns(spec, registry)) {
    if (run.ebpf) continue; // runs as root
    for (const path of run.hostPaths) {
      const gids = [...new Set([...groupNeeded(path, 0o004), ...groupNeeded(dirname(path), 0o001)])];
      if (gids.length) readGroups[path] = gids;
    }
  }
  return Object.keys(readGroups).length ? { ...facts, readGroups } : facts;
}

/** The mount points of /proc/self/mountinfo (field 5), with its octal escapes (`\040` for a space) undone. */
export function mountPointsOf(mountinfo: string): string[] {
  return mountinfo
    .split('\n')
    .map((line) => line.split(' ')[4])
    .filter((m): m is string => m !== undefined)
    .map((m) => m.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8))));
}

/** The mount point holding `path` (absolute, symlinks resolved): the longest one it is at or under. */
export function mountPointFor(path: string, mountPoints: readonly string[]): string | undefined {
  const under = (m: string) => m === '/' || path === m || path.startsWith(`${m}/`);
  return mountPoints.filter(under).sort((a, b) => b.length - a.length)[0];
}

/**
 * `path` with symlinks resolved as far as it exists: a datadir not made yet lands on the
 * filesystem of its nearest existing folder, as it will when the node creates it.
 */
function resolvedPath(path: string): string {
  const rest: string[] = [];
  let at = posix.normalize(path);
  for (;;) {
    try {
      return join(realpathSync(at), ...rest);
    } catch {
      if (at === '/') return path;
      rest.unshift(posix.basename(at));
      at = posix.dirname(at);
    }
  }
}

/** By datadir, the host mount point holding it; empty where the mount table cannot be read (not Linux). */
function readDatadirMounts(datadirs: readonly string[]): Record<string, string> {
  let mountPoints: string[];
  try {
    mountPoints = mountPointsOf(readFileSync('/proc/self/mountinfo', 'utf8'));
  } catch {
    return {};
  }
  const mounts: Record<string, string> = {};
  for (const datadir of datadirs) {
    const mountpoint = mountPointFor(resolvedPath(datadir), mountPoints);
    if (mountpoint !== undefined) mounts[datadir] = mountpoint;
  }
  return mounts;
}
