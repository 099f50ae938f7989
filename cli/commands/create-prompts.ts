// The questions `create` asks on a terminal, each only when its flag was not given: the stack's
// own, and each profile question that a chosen profile asks (once, however many ask it).
import { checkbox, input, select } from '@inquirer/prompts';
import type { ProfileId } from '../spec/types.js';
import type { CreateAnswers } from '../spec/from-answers.js';
import { PROFILES, type Registry } from '../../profiles/registry.js';
import type { Question } from '../../profiles/types.js';
import { ENGINE_CHOICES, LOG_AGENT_CHOICES, MODE_CHOICES, ROLE_CHOICES } from './choices.js';
import { checkFleetHost } from '../spec/fleet.js';
import { checkHttpUrl } from '../../core/spec/checks.js';

/** An input's validate: true when the check finds nothing, else its message. */
const valid = (check: (s: string) => string | undefined) => (s: string) => check(s.trim()) ?? true;

/** The fleet questions: the role, then what that role needs (a node its hub and name, a hub its engine, nodes and names). */
async function askFleet(answers: CreateAnswers, unasked: (key: string) => boolean): Promise<void> {
  if (unasked('role')) answers.role = await select({ message: 'What is this stack in a fleet?', choices: ROLE_CHOICES, default: answers.role });
  if (answers.role === 'node') {
    if (unasked('hubUrl')) answers.hubUrl = (await input({ message: "The hub's write endpoint (its create printed it), such as https://hub.example:8427", default: answers.hubUrl, validate: valid(checkHttpUrl) })).trim();
    if (unasked('host')) answers.host = (await input({ message: "This machine's name on its series (the hub made a token for it)", default: answers.host, validate: valid(checkFleetHost) })).trim();
    if (unasked('site')) answers.site = (await input({ message: 'Its site', default: answers.site, validate: valid(checkFleetHost) })).trim();
  }
  if (answers.role === 'hub') {
    if (unasked('engine')) answers.engine = await select({ message: 'Where the fleet keeps its metrics', choices: ENGINE_CHOICES, default: answers.engine });
    if (answers.engine === 'external') {
      if (unasked('remoteWriteUrl')) answers.remoteWriteUrl = (await input({ message: "Your engine's remote_write URL", validate: valid(checkHttpUrl) })).trim();
      if (unasked('queryUrl')) answers.queryUrl = (await input({ message: "Your engine's Prometheus query API URL", validate: valid(checkHttpUrl) })).trim();
    }
    if (unasked('nodes')) answers.nodes = list(await input({ message: 'The nodes allowed to write, comma-separated (one token each; more later in fibre-stack.yml)', default: answers.nodes.join(', ') }));
    if (answers.tls === 'generate' && unasked('tlsNames')) {
      answers.tlsNames = list(await input({ message: 'Names and addresses nodes reach this hub by (for its certificate)', default: answers.tlsNames.join(', ') }));
    }
  }
}

const list = (s: string) => s.split(/[,\s]+/).map((x) => x.trim()).filter(Boolean);

/** Asks one profile question, starting from its current answer. */
async function ask(q: Question, current: unknown): Promise<string | string[]> {
  switch (q.kind) {
    case 'text':
      return input({ message: q.message, default: current as string, validate: q.validate });
    case 'list': {
      const check = q.validate;
      return list(await input({ message: q.message, default: (current as string[]).join(', '), validate: check && ((s) => check(list(s))) }));
    }
    case 'choice':
      return select({ message: q.message, choices: q.choices.map((value) => ({ value })), default: current as string });
  }
}

/** Asks for every answer whose key is not in `given`, starting from the defaults in `a`. */
export async function promptAnswers(a: CreateAnswers, given: ReadonlySet<string>, registry: Registry = PROFILES): Promise<CreateAnswers> {
  const answers: CreateAnswers = { ...a };
  // The profiles' answers, by question key.
  const out = answers as unknown as Record<string, unknown>;
  const unasked = (key: string) => !given.has(key);
  if (unasked('profiles')) {
    answers.profiles = await checkbox<ProfileId>({
      message: 'What do you want to monitor?',
      choices: registry.profiles.map((p) => ({ value: p.id as ProfileId, name: `${p.id}: ${p.title}`, checked: a.profiles.includes(p.id as ProfileId) })),
      required: true,
    });
  }
  if (unasked('mode')) {
    answers.mode = await select({ message: 'Run the stack in', choices: MODE_CHOICES, default: a.mode });
  }
  await askFleet(answers, unasked);
  const chosen = registry.profiles.filter((p) => answers.profiles.includes(p.id as ProfileId));
  for (const q of registry.questions) {
    if (unasked(q.key) && chosen.some((p) => p.questions.asks.includes(q))) out[q.key] = await ask(q, out[q.key]);
  }
  if (unasked('logAgent')) {
    answers.logAgent = await select({ message: 'Log agent', choices: LOG_AGENT_CHOICES, default: a.logAgent });
  }
  // A node keeps no Alertmanager: its alerts are the hub's.
  if (unasked('alertWebhook') && answers.role !== 'node') {
    answers.alertWebhook = (await input({ message: 'Alertmanager webhook URL (empty: keep alerts in Alertmanager, send nowhere)', default: a.alertWebhook })).trim();
  }
  return answers;
}
