// fibre-stack.yml says which shape it has in `version`. When a change to fibre-stack reshapes the
// file, SPEC_VERSION goes up by one and a migration from the version before joins MIGRATIONS: a
// pure function of the parsed document that keeps every value the user wrote. Every command reads
// an older file through the chain, in memory; `generate` writes it back in the current version. A
// file from a newer fibre-stack is refused: what its keys mean is unknown here.
import { describe, type Obj, type SpecProblem } from '../../core/spec/reader.js';

export const SPEC_VERSION = 2;

export interface SpecMigration {
  /** The version it reads. It returns the document of the next version (its `version` is set for it). */
  from: number;
  migrate(doc: Obj): Obj;
}

/**
 * Version 2 lists a profile's nodes: `profiles.<id>` is a list of mappings, one per node, where
 * version 1 had one mapping (or nothing, for every default). Each becomes a list of one.
 */
export const NODE_LISTS: SpecMigration = {
  from: 1,
  migrate: (doc) => {
    const profiles = doc.profiles;
    if (profiles === null || typeof profiles !== 'object' || Array.isArray(profiles)) return doc;
    const listed = Object.entries(profiles as Obj).map(([id, section]) => [id, Array.isArray(section) ? section : [section ?? {}]]);
    return { ...doc, profiles: Object.fromEntries(listed) };
  },
};

/** One per version before SPEC_VERSION, oldest first. */
export const MIGRATIONS: readonly SpecMigration[] = [NODE_LISTS];

/** The versions a reader knows: the current one and the chain that leads to it (tests bring their own). */
export interface SpecVersions {
  current: number;
  migrations: readonly SpecMigration[];
}

export const SPEC_VERSIONS: SpecVersions = { current: SPEC_VERSION, migrations: MIGRATIONS };

export type Upgrade =
  | { doc: Obj; from: number }
  /** `newer`: from a later fibre-stack, so nothing else in the file can be read. */
  | { problem: SpecProblem; newer: boolean };

/** Brings a parsed document to the current version, one migration at a time. */
export function upgradeDocument(doc: Obj, versions: SpecVersions = SPEC_VERSIONS): Upgrade {
  const oldest = versions.current - versions.migrations.length;
  versions.migrations.forEach((m, i) => {
    if (m.from !== oldest + i) throw new Error(`spec migrations must run from ${oldest} to ${versions.current - 1} in steps of one; found one from ${m.from}`);
  });
  const known = Array.from({ length: versions.migrations.length + 1 }, (_, i) => oldest + i).join(', ');
  const v = doc.version;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < oldest) {
    const got = v === undefined ? `missing (a file this fibre-stack writes starts with \`version: ${versions.current}\`)` : `got ${describe(v)}`;
    return { problem: { key: 'version', problem: `${got}; allowed: ${known}` }, newer: false };
  }
  if (v > versions.current) {
    return {
      problem: { key: 'version', problem: `got ${describe(v)}; allowed: ${known}. Version ${v} was written by a newer fibre-stack: upgrade fibre-stack to read this file` },
      newer: true,
    };
  }
  let out = doc;
  for (const m of versions.migrations.slice(v - oldest)) out = { ...m.migrate(structuredClone(out)), version: m.from + 1 };
  return { doc: out, from: v };
}
