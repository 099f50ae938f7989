// Reads what rendering takes from the package, once: templates/**/*.hbs and the prebuilt
// dashboards/*.json (built by `fibre-stack dashboards`); rendering takes them as data and stays
// free of I/O.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { DashboardSources, PackageSources, TemplateSources } from '../render/types.js';
import { packagePath } from '../../core/package-root.js';
import { PROFILES } from '../../profiles/registry.js';

export const TEMPLATES_DIR = packagePath('templates');
export const DASHBOARDS_DIR = packagePath('dashboards');

let cache: TemplateSources | undefined;

export function loadTemplates(dir = TEMPLATES_DIR): TemplateSources {
  if (cache && dir === TEMPLATES_DIR) return cache;
  const out: Record<string, string> = {};
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    // Handlebars templates by name without .hbs; Go templates (.tmpl) are copied as they are, by full name.
    if (!entry.isFile() || !/\.(hbs|tmpl)$/.test(entry.name)) continue;
    const full = join(entry.parentPath, entry.name);
    out[relative(dir, full).replace(/\\/g, '/').replace(/\.hbs$/, '')] = readFileSync(full, 'utf8');
  }
  if (dir === TEMPLATES_DIR) cache = out;
  return out;
}

export function loadDashboards(dir = DASHBOARDS_DIR): DashboardSources {
  const out: Record<string, string> = {};
  for (const name of readdirSync(dir)) if (name.endsWith('.json')) out[name] = readFileSync(join(dir, name), 'utf8');
  return out;
}

export function loadPackageSources(): PackageSources {
  return { templates: loadTemplates(), dashboards: loadDashboards(), profiles: PROFILES };
}
