// Reading a parsed YAML document into typed settings. Every problem names the key as the user
// wrote it, what is wrong and what is allowed; problems are collected, not thrown, so the user
// sees all of them at once. The stack's top-level keys (cli/spec/validate.ts) and every profile's
// section (profiles/*/spec.ts) are read with the same Reader.
import { UserError } from '../errors.js';

export interface SpecProblem {
  key: string;
  problem: string;
}

/** A spec that cannot be read, with every problem found; a usage error (exit 2) like any other. */
export class SpecError extends UserError {
  constructor(readonly problems: SpecProblem[], source = 'fibre-stack.yml') {
    super(`${source} is not valid:\n` + problems.map((p) => `  - ${p.key}: ${p.problem}`).join('\n'));
    this.name = 'SpecError';
  }
}

export type Obj = Record<string, unknown>;

/** A field check: undefined when the value is fine, else what is wrong and what is allowed. */
export type Check = (s: string) => string | undefined;

/** Walks one document, recording problems instead of throwing. */
export class Reader {
  constructor(readonly problems: SpecProblem[]) {}

  problem(key: string, problem: string): void {
    this.problems.push({ key, problem });
  }

  object(value: unknown, key: string): Obj | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'object' || Array.isArray(value)) {
      this.problem(key, `expected a mapping, got ${describe(value)}`);
      return undefined;
    }
    return value as Obj;
  }

  noUnknownKeys(obj: Obj, key: string, allowed: readonly string[]): void {
    for (const k of Object.keys(obj)) {
      if (!allowed.includes(k)) this.problem(join(key, k), `unknown key; allowed here: ${allowed.join(', ')}`);
    }
  }

  string(obj: Obj, key: string, field: string, fallback: string, check?: Check): string {
    const v = obj[field];
    if (v === undefined) return fallback;
    if (typeof v !== 'string') {
      this.problem(join(key, field), `expected a string, got ${describe(v)}`);
      return fallback;
    }
    const wrong = check?.(v);
    if (wrong) this.problem(join(key, field), wrong);
    return v;
  }

  oneOf<T extends string>(obj: Obj, key: string, field: string, allowed: readonly T[], fallback: T): T {
    const v = obj[field];
    if (v === undefined) return fallback;
    if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
      this.problem(join(key, field), `got ${describe(v)}; allowed: ${allowed.join(', ')}`);
      return fallback;
    }
    return v as T;
  }

  port(obj: Obj, key: string, field: string, fallback: number): number {
    const v = obj[field];
    if (v === undefined) return fallback;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > 65535) {
      this.problem(join(key, field), `got ${describe(v)}; allowed: a whole number from 1 to 65535`);
      return fallback;
    }
    return v;
  }

  positiveInt(obj: Obj, key: string, field: string, fallback: number): number {
    const v = obj[field];
    if (v === undefined) return fallback;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) {
      this.problem(join(key, field), `got ${describe(v)}; allowed: a whole number of 1 or more`);
      return fallback;
    }
    return v;
  }

  list(obj: Obj, key: string, field: string): unknown[] | undefined {
    const v = obj[field];
    if (v === undefined) return undefined;
    if (!Array.isArray(v)) {
      this.problem(join(key, field), `expected a list, got ${describe(v)}`);
      return undefined;
    }
    return v;
  }
}

/** The key of a child as the user would write it: `profiles.miner.logs[0]`. */
export function join(parent: string, child: string | number): string {
  if (typeof child === 'number') return `${parent}[${child}]`;
  return parent ? `${parent}.${child}` : child;
}

/** A value as an error message names it: `string "x"`, `number 2`, `a list`, `a mapping`. */
export function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return `${typeof v} ${JSON.stringify(v)}`;
}
