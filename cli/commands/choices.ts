// The run modes and log agents `create` offers, each described once for its prompt and its --help
// (the notes live with what they describe: MODE_NOTES, and the services table's choiceNote).
import { FLEET_ENGINES, LOG_AGENTS, MODES, MODE_NOTES } from '../spec/types.js';
import { CORE_SERVICES } from '../services/table.js';

const labelled = (value: string, note: string | undefined) => (note ? `${value} (${note})` : value);

export const MODE_CHOICES = MODES.map((m) => ({ value: m, name: labelled(m, MODE_NOTES[m]) }));

export const LOG_AGENT_CHOICES = LOG_AGENTS.map((a) => ({ value: a, name: labelled(a, CORE_SERVICES[a].choiceNote) }));

export const ROLE_CHOICES = [
  { value: 'standalone' as const, name: 'standalone (one machine, everything on it)' },
  { value: 'node' as const, name: 'node (exporters and agents; ships to a hub)' },
  { value: 'hub' as const, name: "hub (stores and shows every node's data)" },
];

const ENGINE_NOTES: Record<(typeof FLEET_ENGINES)[number], string> = {
  victoriametrics: 'VictoriaMetrics single-node with vmalert, recommended',
  mimir: 'Grafana Mimir, monolithic',
  external: 'one you run: give --remote-write-url and --query-url',
};

export const ENGINE_CHOICES = FLEET_ENGINES.map((e) => ({ value: e, name: labelled(e, ENGINE_NOTES[e]) }));

/** The --help line of a choice flag: every choice with its note. */
export function describeChoices(choices: readonly { name: string }[]): string {
  return choices.map((c) => c.name).join(' or ');
}
