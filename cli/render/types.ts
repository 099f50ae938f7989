import type { StackSpec, StackSecrets } from '../spec/types.js';
import type { Registry } from '../../profiles/registry.js';

/** One file of a rendered stack, path relative to the stack folder. */
export interface RenderedFile {
  path: string;
  content: string;
  /** File mode; 0o644 unless the file holds a secret. */
  mode?: number;
}

/** Template sources by name (templates/<name>.hbs), read at the edge and passed in. */
export type TemplateSources = Readonly<Record<string, string>>;

/** The prebuilt dashboards the package ships, JSON text by file name (dashboards/<file>), read at the edge and passed in. */
export type DashboardSources = Readonly<Record<string, string>>;

/** What rendering takes from the fibre-stack package besides the spec: templates, prebuilt dashboards and the profiles. */
export interface PackageSources {
  templates: TemplateSources;
  dashboards: DashboardSources;
  /** The profiles the spec's `profiles:` section names (profiles/registry.ts; a test may bring its own). */
  profiles: Registry;
}

export interface RenderInput {
  spec: StackSpec;
  secrets: StackSecrets;
  templates: TemplateSources;
}

/** A path inside the stack folder. Most programs resolve relative paths against their working
 * directory (the stack folder); Grafana resolves them against its install folder, so the
 * supervisor makes these absolute at run time. */
export interface StackPath {
  stackPath: string;
}

/** An argument or environment value of a service's process: text, or a path in the stack folder. */
export type Arg = string | StackPath;

export const stackPath = (path: string): StackPath => ({ stackPath: path });

/** What rendering needs to know about this host, read at the edge (cli/io/host-facts.ts). */
export interface HostFacts {
  /**
   * By host path an exporter reads (a log), the groups its unprivileged container user must be in
   * to read it and search its folder: the gids of those that are not readable by others. A miner log
   * is often root:adm 0640, which the exporter's uid 10001 cannot read otherwise.
   */
  readGroups?: Readonly<Record<string, readonly number[]>>;
  /** By node datadir (cli/render/stack-profiles.ts nodeDatadirs), the host's mount point holding it. */
  datadirMounts?: Readonly<Record<string, string>>;
  /**
   * Host folders a container binds with mount propagation (the table's hostAccess mounts that set
   * `propagation`) whose mount here is private: neither shared nor a slave (no `shared:` or
   * `master:` field in /proc/self/mountinfo), as on a host not booted by systemd (WSL, Synology DSM,
   * a container). dockerd refuses to start a container with such a bind (moby/moby@0021339b92:
   * daemon/oci_linux.go, WithMounts and ensureSharedOrSlave), so compose binds them without it.
   */
  privateMounts?: readonly string[];
}
