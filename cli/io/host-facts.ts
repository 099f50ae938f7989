// What a docker stack needs to know about this host, read here at the edge so that rendering stays
// pure: the groups an exporter's unprivileged container user must be in to read the logs it
// follows (compose `group_add`), since the image's uid 10001 is in no group of the host.
import { statSync } from 'node:fs';
import { dirname } from 'node:path';
import type { StackSpec } from '../spec/types.js';
import type { HostFacts } from '../render/index.js';
import { exporterRuns } from '../render/stack-profiles.js';
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
  if (spec.mode !== 'docker') return {};
  const readGroups: Record<string, number[]> = {};
  for (const run of exporterRuns(spec, registry)) {
    if (run.ebpf) continue; // runs as root
    for (const path of run.hostPaths) {
      const gids = [...new Set([...groupNeeded(path, 0o004), ...groupNeeded(dirname(path), 0o001)])];
      if (gids.length) readGroups[path] = gids;
    }
  }
  return Object.keys(readGroups).length ? { readGroups } : {};
}
