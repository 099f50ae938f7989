// The questions `create` asks on a terminal, each only when its flag was not given: the stack's
// own, and each profile question that a chosen profile asks (once, however many ask it).
// One package per prompt: @inquirer/prompts would also bring the editor prompt and its
// character-set converters (half a megabyte of the bundle) that create never asks with.
import checkbox from '@inquirer/checkbox';
import confirm from '@inquirer/confirm';
import input from '@inquirer/input';
import select from '@inquirer/select';
import type { ProfileId } from '../spec/types.js';
import type { CreateAnswers } from '../spec/from-answers.js';
import { PROFILES, type Registry } from '../../profiles/registry.js';
import type { ProfileDef, Question } from '../../profiles/types.js';
import { nodeNameQuestion } from '../../profiles/kit/questions.js';
import { ENGINE_CHOICES, LOG_AGENT_CHOICES, MODE_CHOICES, ROLE_CHOICES } from './choices.js';
import { checkFleetHost } from '../spec/fleet.js';
import { checkHttpUrl } from '../../core/spec/checks.js';
import { promptReceivers } from './receiver-prompts.js';

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
    if (unasked('fleetNodes')) answers.fleetNodes = list(await input({ message: 'The nodes allowed to write, comma-separated (one token each; more later in fibre-stack.yml)', default: answers.fleetNodes.join(', ') }));
    if (answers.tls === 'generate' && unasked('tlsNames')) {
      answers.tlsNames = list(await input({ message: 'Names and addresses nodes reach this hub by (for its certificate)', default: answers.tlsNames.join(', ') }));
    }
  }
}

const list = (s: string) => s.split(/[,\s]+/).map((x) => x.trim()).filter(Boolean);

/** Asks one profile question, starting from its current answer; `taken`: node names already used. */
async function ask(q: Question, current: unknown, taken: readonly string[] = []): Promise<string | string[]> {
  switch (q.kind) {
    case 'text': {
      const check = q.validate;
      const validate = (s: string) => (q === nodeNameQuestion && taken.includes(s.trim()) ? `another node is called ${s.trim()}` : (check?.(s) ?? true));
      return input({ message: q.message, default: current as string, validate });
    }
    case 'list': {
      const check = q.validate;
      return list(await input({ message: q.message, default: (current as string[]).join(', '), validate: check && ((s) => check(list(s))) }));
    }
    case 'choice':
      return select({ message: q.message, choices: q.choices.map((value) => ({ value })), default: current as string });
  }
}

/**
 * "Add another node?" after a profile's first, and its questions for each node added, starting
 * from the first node's answers; a node name must differ from the names before it.
 */
async function askMoreNodes(def: ProfileDef, answers: CreateAnswers): Promise<void> {
  const nodes: Record<string, unknown>[] = [{}];
  const names = () => nodes.map((own) => def.spec.name!(def.questions.settings({ ...answers, ...own } as never, def.spec.defaults())));
  while (await confirm({ message: `Add another ${def.id} node?`, default: false })) {
    const taken = names();
    const own: Record<string, unknown> = {};
    for (const q of def.questions.asks) own[q.key] = await ask(q, (answers as unknown as Record<string, unknown>)[q.key], taken);
    nodes.push(own);
  }
  if (nodes.length > 1) answers.nodes = { ...answers.nodes, [def.id]: nodes };
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
  // A hub runs no exporters and no log agent: its nodes do.
  if (unasked('nodes') && answers.role !== 'hub') {
    for (const def of chosen) if (def.spec.name) await askMoreNodes(def, answers);
  }
  if (unasked('logAgent') && answers.role !== 'hub') {
    answers.logAgent = await select({ message: 'Log agent', choices: LOG_AGENT_CHOICES, default: a.logAgent });
  }
  // A node keeps no Alertmanager: its alerts are the hub's.
  if (unasked('receivers') && answers.role !== 'node') answers.receivers = await promptReceivers();
  return answers;
}
