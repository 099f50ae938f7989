// One Handlebars instance for the stack's templates. HTML escaping is off because none of our
// files is HTML; instead every hole names the encoder of its file's format, and a test checks
// that no template has a bare hole.
import Handlebars from 'handlebars';
import { alloyString } from '../../core/encode/alloy.js';
import { systemdCommand, systemdWord } from '../../core/encode/systemd.js';
import { yamlString } from '../../core/encode/yaml.js';
import type { TemplateSources } from './types.js';
import { PRECOMPILED_TEMPLATES } from './precompiled-templates.js';

/** How every template is compiled; scripts/build.mjs precompiles with the same (test/bundle.test.ts). */
const COMPILE_OPTIONS = { strict: true, noEscape: true } as const;

const hb = Handlebars.create();

/** Helpers that encode a value for one format: the only way a value may enter a template. */
export const ENCODING_HELPERS = {
  alloy: (v: unknown) => alloyString(String(v)),
  /** An Alloy identifier (component label reference); refuses anything else rather than encode it. */
  alloyIdent: (v: unknown) => {
    const s = String(v);
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(s)) throw new Error(`not an Alloy identifier: ${JSON.stringify(s)}`);
    return s;
  },
  systemdWord: (v: unknown) => systemdWord(String(v)),
  systemdCommand: (v: unknown) => systemdCommand(v as string[]),
  yaml: (v: unknown) => yamlString(String(v)),
  /** Free text for Markdown or comments: one line, no template or HTML tricks. */
  text: (v: unknown) => String(v).replace(/[\r\n]+/g, ' ').replace(/[<>`]/g, ''),
} as const;

for (const [name, fn] of Object.entries(ENCODING_HELPERS)) {
  hb.registerHelper(name, (value: unknown) => new Handlebars.SafeString(fn(value)));
}

const compiled = new Map<string, HandlebarsTemplateDelegate>();

export function renderTemplate(templates: TemplateSources, name: string, data: object): string {
  const source = templates[name];
  if (source === undefined) throw new Error(`template ${name} is missing from templates/`);
  let fn = compiled.get(source);
  if (!fn) {
    const spec = PRECOMPILED_TEMPLATES.get(source);
    fn = spec ? hb.template(spec) : hb.compile(source, COMPILE_OPTIONS);
    compiled.set(source, fn);
  }
  return fn(data);
}
