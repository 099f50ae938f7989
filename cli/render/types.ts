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
