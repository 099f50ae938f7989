// Templates compiled ahead of time. From the sources (vitest) this is empty and each template is
// compiled on first use; the bundle (scripts/build.mjs) replaces this module with the
// Handlebars.precompile output of every templates/**/*.hbs, keyed by its text, which spares
// `create` compiling them (a fifth of its time). A template whose text differs (edited after
// the build) is not found here and is compiled as before.
import type Handlebars from 'handlebars';

export type TemplateSpec = Parameters<typeof Handlebars.template>[0];

export const PRECOMPILED_TEMPLATES: ReadonlyMap<string, TemplateSpec> = new Map();
