// The run modes and log agents `create` offers, each described once for its prompt and its --help
// (the notes live with what they describe: MODE_NOTES, and the services table's choiceNote).
import { LOG_AGENTS, MODES, MODE_NOTES } from '../spec/types.js';
import { CORE_SERVICES } from '../services/table.js';

const labelled = (value: string, note: string | undefined) => (note ? `${value} (${note})` : value);

export const MODE_CHOICES = MODES.map((m) => ({ value: m, name: labelled(m, MODE_NOTES[m]) }));

export const LOG_AGENT_CHOICES = LOG_AGENTS.map((a) => ({ value: a, name: labelled(a, CORE_SERVICES[a].choiceNote) }));

/** The --help line of a choice flag: every choice with its note. */
export function describeChoices(choices: readonly { name: string }[]): string {
  return choices.map((c) => c.name).join(' or ');
}
