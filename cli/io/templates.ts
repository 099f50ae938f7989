// Reads templates/**/*.hbs once; rendering takes them as data and stays free of I/O.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { TemplateSources } from '../render/types.js';
import { packagePath } from '../../core/package-root.js';

export const TEMPLATES_DIR = packagePath('templates');

let cache: TemplateSources | undefined;

export function loadTemplates(dir = TEMPLATES_DIR): TemplateSources {
  if (cache && dir === TEMPLATES_DIR) return cache;
  const out: Record<string, string> = {};
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.hbs')) continue;
    const full = join(entry.parentPath, entry.name);
    out[relative(dir, full).replace(/\\/g, '/').replace(/\.hbs$/, '')] = readFileSync(full, 'utf8');
  }
  if (dir === TEMPLATES_DIR) cache = out;
  return out;
}
