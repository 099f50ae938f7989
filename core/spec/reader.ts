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
    // Checked before the field's own check, whose message would echo the raw value.
    const wrong = controlCharacter(v) ?? check?.(v);
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

  boolean(obj: Obj, key: string, field: string, fallback: boolean): boolean {
    const v = obj[field];
    if (v === undefined) return fallback;
    if (typeof v !== 'boolean') {
      this.problem(join(key, field), `got ${describe(v)}; allowed: true or false`);
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

/**
 * No setting of a stack has a use for control characters, and they do harm later: a NUL ends a
 * path at the system call (Node refuses it, far from the spec), a newline splits a unit line, a log
 * line or an argument, and a trailing newline or tab copied from a terminal is invisible in the
 * file. So every string value is refused with any of them, naming the first and where it is.
 */
export function controlCharacter(s: string): string | undefined {
  const at = s.search(/[\u0000-\u001f\u007f]/);
  if (at < 0) return undefined;
  const code = s.charCodeAt(at);
  const name = CONTROL_NAMES[code] ?? `control character U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  const where = at === s.length - 1 ? 'at its end' : `at character ${at + 1}`;
  return `${JSON.stringify(s)} holds a ${name} ${where}; remove it (no setting may hold control characters)`;
}

const CONTROL_NAMES: Record<number, string> = { 0: 'NUL byte', 9: 'tab', 10: 'newline', 13: 'carriage return', 127: 'DEL character' };

/** The key of a child as the user would write it: `profiles.miner.logs[0]`. */
export function join(parent: string, child: string | number): string {
  if (typeof child === 'number') return `${parent}[${child}]`;
  return parent ? `${parent}.${child}` : child;
}

/** A value as an error message names it: `string "x"`, `number 2`, `a list`, `a mapping`. */
export function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return `${typeof v} ${JSON.stringify(v)}`;
}
