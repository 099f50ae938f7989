// The questions `create` asks on a terminal, each only when its flag was not given: the stack's
// own, and each profile question that a chosen profile asks (once, however many ask it).
// One package per prompt: @inquirer/prompts would also bring the editor prompt and its
// character-set converters (half a megabyte of the bundle) that create never asks with.
import checkbox from '@inquirer/checkbox';
import input from '@inquirer/input';
import select from '@inquirer/select';
import type { ProfileId } from '../spec/types.js';
import type { CreateAnswers } from '../spec/from-answers.js';
import { PROFILES, type Registry } from '../../profiles/registry.js';
import type { Question } from '../../profiles/types.js';
import { LOG_AGENT_CHOICES, MODE_CHOICES } from './choices.js';
import { promptReceivers } from './receiver-prompts.js';

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
  const chosen = registry.profiles.filter((p) => answers.profiles.includes(p.id as ProfileId));
  for (const q of registry.questions) {
    if (unasked(q.key) && chosen.some((p) => p.questions.asks.includes(q))) out[q.key] = await ask(q, out[q.key]);
  }
  if (unasked('logAgent')) {
    answers.logAgent = await select({ message: 'Log agent', choices: LOG_AGENT_CHOICES, default: a.logAgent });
  }
  if (unasked('receivers')) answers.receivers = await promptReceivers();
  return answers;
}
