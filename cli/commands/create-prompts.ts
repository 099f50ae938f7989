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
import { LOG_AGENT_CHOICES, MODE_CHOICES } from './choices.js';
import { promptReceivers } from './receiver-prompts.js';

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
  const chosen = registry.profiles.filter((p) => answers.profiles.includes(p.id as ProfileId));
  for (const q of registry.questions) {
    if (unasked(q.key) && chosen.some((p) => p.questions.asks.includes(q))) out[q.key] = await ask(q, out[q.key]);
  }
  if (unasked('nodes')) {
    for (const def of chosen) if (def.spec.name) await askMoreNodes(def, answers);
  }
  if (unasked('logAgent')) {
    answers.logAgent = await select({ message: 'Log agent', choices: LOG_AGENT_CHOICES, default: a.logAgent });
  }
  if (unasked('receivers')) answers.receivers = await promptReceivers();
  return answers;
}
