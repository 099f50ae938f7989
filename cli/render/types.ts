import type { StackSpec, StackSecrets } from '../spec/types.js';

/** One file of a rendered stack, path relative to the stack folder. */
export interface RenderedFile {
  path: string;
  content: string;
  /** File mode; 0o644 unless the file holds a secret. */
  mode?: number;
}

/** Template sources by name (templates/<name>.hbs), read at the edge and passed in. */
export type TemplateSources = Readonly<Record<string, string>>;

export interface RenderInput {
  spec: StackSpec;
  secrets: StackSecrets;
  templates: TemplateSources;
}
