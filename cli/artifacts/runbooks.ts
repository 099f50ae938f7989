// docs/runbooks.md, one section per alert we ship: each profile's runbook parts in registry order
// (a part several profiles share once, where it first appears), then the stack's own. Every
// alert's runbook_url (profiles/kit/rule-kit.ts) points at its heading there. `fibre-stack
// dashboards` writes it and `--check` compares it, as it does the dashboards and rule files.
import { readFileSync } from 'node:fs';
import { GENERATED_MARK } from '../../core/generated.js';
import { packagePath } from '../../core/package-root.js';
import { alertsOf } from '../../profiles/kit/rule-kit.js';
import { PROFILES, type Registry } from '../../profiles/registry.js';

export const RUNBOOKS_PATH = 'docs/runbooks.md';

/** The stack's own section, beside its rules (cli/services/rules.ts). */
const STACK_RUNBOOK = 'cli/services/runbook.md';
/** The host's section, beside its rules (cli/services/host-rules.ts). */
const HOST_RUNBOOK = 'cli/services/host-runbook.md';
/** The fleet hub's section, beside its rules (cli/services/fleet-rules.ts). */
const FLEET_RUNBOOK = 'cli/services/fleet-runbook.md';

const INTRO = `# Runbooks

<!-- ${GENERATED_MARK} from profiles/**/runbook.md, ${STACK_RUNBOOK}, ${HOST_RUNBOOK} and ${FLEET_RUNBOOK}: edit those, then run \`fibre-stack dashboards\`. -->

One section per alert fibre-stack ships (\`rules/*.yml\`, made from \`profiles/*/rules.ts\`). Each
alert's \`runbook_url\` points at its section here. Every section says what the alert means, what to
check first and how to make it stop.

Commands assume a stack made by \`fibre-stack create\` and run from its folder.
`;

/** A profile using a runbook part: its id, its alert prefix for a shared part, and its alerts. */
interface PartUser {
  id: string;
  prefix?: string;
  alerts: Set<string>;
}

export function runbooksText(registry: Registry = PROFILES): string {
  const parts = new Map<string, PartUser[]>();
  for (const def of registry.profiles) {
    const alerts = new Set(alertsOf(def.rules.groups).map((a) => a.alert));
    for (const part of def.runbook) parts.set(part.file, [...(parts.get(part.file) ?? []), { id: def.id, prefix: part.prefix, alerts }]);
  }
  return [INTRO, ...[...parts].map(([file, users]) => partText(file, users)), read(STACK_RUNBOOK), read(HOST_RUNBOOK), read(FLEET_RUNBOOK)].join('\n');
}

function read(file: string): string {
  try {
    return readFileSync(packagePath(file), 'utf8');
  } catch (err) {
    throw new Error(`runbook part ${file} (named by a profile's runbook) cannot be read: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
}

/**
 * A part's text. In a shared part, `{profiles}` names the profiles using it, and a heading with
 * `{Prefix}` becomes one heading per profile that has that alert (`### {Prefix}ExporterDown` is
 * `### FibreExporterDown`, `### MinerExporterDown`, ...).
 */
function partText(file: string, users: PartUser[]): string {
  return read(file)
    .replaceAll('{profiles}', users.map((u) => u.id).join(', '))
    .replace(/^(#+ )(.*)\{Prefix\}(.*)$/gm, (line, hashes: string, before: string, after: string) => {
      const headings = users.flatMap((u) => (u.prefix !== undefined && u.alerts.has(`${before}${u.prefix}${after}`) ? [`${hashes}${before}${u.prefix}${after}`] : []));
      if (headings.length === 0) throw new Error(`${file}: no profile using it has the alert of "${line}"`);
      return headings.join('\n');
    });
}
