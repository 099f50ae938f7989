// What a stack needs to know about this host, read here at the edge so that rendering stays pure:
// the groups an exporter's unprivileged container user must be in to read the logs it follows
// (compose `group_add`), since the image's uid 10001 is in no group of the host; and the mount
// point holding each node's datadir, which ties the disk alert to that node's filesystem; and which
// host folders a container binds with propagation sit on a private mount, which dockerd refuses.
import { readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import type { StackSpec } from '../spec/types.js';
import type { HostFacts } from '../render/index.js';
import { exporterRuns, nodeDatadirs } from '../render/stack-profiles.js';
import { CORE_SERVICES, enabledServices } from '../services/table.js';
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
  const privateMounts = readPrivateMounts(spec);
  if (privateMounts.length) facts.privateMounts = privateMounts;
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

/** A line of /proc/self/mountinfo: its mount point and its optional fields (`shared:N`, `master:N`, ...). */
interface MountEntry {
  point: string;
  optional: string[];
}

/** The mounts of /proc/self/mountinfo: mount point (field 5, octal escapes such as `\040` undone) and the optional fields before `-`. */
function mountEntriesOf(mountinfo: string): MountEntry[] {
  return mountinfo
    .split('\n')
    .map((line) => line.split(' '))
    .filter((fields) => fields[4] !== undefined)
    .map((fields) => ({
      point: fields[4].replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8))),
      optional: fields.slice(6, Math.max(6, fields.indexOf('-'))),
    }));
}

/** The mount points of /proc/self/mountinfo, with their octal escapes undone. */
export function mountPointsOf(mountinfo: string): string[] {
  return mountEntriesOf(mountinfo).map((m) => m.point);
}

/**
 * Whether the mount holding `path` passes mounts on to a bind of it: it is shared or a slave, which
 * is what dockerd asks of the source of an `rslave` bind (moby/moby@0021339b92:daemon/oci_linux.go
 * ensureSharedOrSlave). False when no mount holds it.
 */
export function propagatesAt(path: string, mountinfo: string): boolean {
  const entries = mountEntriesOf(mountinfo);
  const point = mountPointFor(path, entries.map((m) => m.point));
  // A mount point mounted over again has several lines: dockerd takes the first of them (getSourceMount keeps the first longest).
  const holding = entries.find((m) => m.point === point);
  return holding?.optional.some((f) => f.startsWith('shared:') || f.startsWith('master:')) ?? false;
}

/**
 * The host folders the stack's containers bind with propagation (the table's hostAccess) that
 * this host's mount table shows on a private mount; none where the table cannot be read.
 */
function readPrivateMounts(spec: StackSpec): string[] {
  const propagated = enabledServices(spec).flatMap((s) => (CORE_SERVICES[s].hostAccess?.mounts ?? []).filter((m) => m.propagation).map((m) => m.host));
  if (!propagated.length) return [];
  let mountinfo: string;
  try {
    mountinfo = readFileSync('/proc/self/mountinfo', 'utf8');
  } catch {
    return [];
  }
  return [...new Set(propagated)].filter((host) => !propagatesAt(resolvedPath(host), mountinfo));
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
