// Exporter settings come from four places, in this order of precedence: a command-line flag, an
// environment variable FIBRE_<NAME>, the YAML file given by --config (or FIBRE_CONFIG), then the
// built-in default. An explicit flag always wins, even when it repeats the default, which is why
// yargs is given no defaults at all: resolveOptions() knows whether a flag was typed.
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import type { Options as YargsOption } from 'yargs';
import { UserError } from '../core/errors.js';
import { DOCUMENT_LIMITS } from '../core/document-limits.js';
import { parseYaml } from '../core/encode/yaml.js';
import { checkNodeName } from '../core/spec/checks.js';

export interface CommonExporterOptions {
  host: string;
  port: number;
  healthPort?: number;
  nodeName: string;
  basicAuth?: { username: string; password: string };
  tls?: { certFile: string; keyFile: string };
}

export type OptionKind = 'string' | 'port' | 'int' | 'number' | 'boolean' | 'list';

/** One setting. Its flag, env var and file key are derived from its key (see names()). */
export interface OptionDecl {
  kind: OptionKind;
  describe: string;
  alias?: string;
  default?: unknown;
  required?: boolean;
  choices?: readonly string[];
  /** Lower bound for numbers (e.g. a speed must be above 0). */
  min?: number;
  /** Upper bound for numbers (e.g. a speed the player can still keep up with). */
  max?: number;
  /** Positional argument rather than a flag (still takes env and file values). */
  positional?: boolean;
}

export type OptionDecls = Record<string, OptionDecl>;

type ValueOf<K extends OptionKind> = K extends 'string' ? string : K extends 'boolean' ? boolean : K extends 'list' ? string[] : number;

/** Resolved values: a setting with a default or marked required is always present. */
export type Resolved<D extends OptionDecls> = {
  [K in keyof D]: D[K] extends { default: unknown } | { required: true } ? ValueOf<D[K]['kind']> : ValueOf<D[K]['kind']> | undefined;
};

/** Some of the settings, as a command line that runs the exporter passes them (see optionArgs). */
export type OptionValues<D extends OptionDecls> = { [K in keyof D]?: ValueOf<D[K]['kind']> };

export type Source = 'flag' | 'env' | 'file' | 'default';

/** Where each setting is read from: `healthPort` is --health-port, FIBRE_HEALTH_PORT, health_port. */
export function names(key: string): { flag: string; env: string; file: string } {
  const snake = key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
  return { flag: snake.replace(/_/g, '-'), env: `FIBRE_${snake.toUpperCase()}`, file: snake };
}

/** yargs option definitions, with no defaults (see the top of this file); --help still shows them. */
export function yargsOptions(decls: OptionDecls): Record<string, YargsOption> {
  const out: Record<string, YargsOption> = {};
  for (const [key, d] of Object.entries(decls)) {
    if (d.positional) continue;
    const n = names(key);
    const def = d.default === undefined ? '' : ` [default: ${Array.isArray(d.default) ? d.default.join(' ') : String(d.default)}]`;
    out[n.flag] = {
      describe: `${d.describe}${def} [env: ${n.env}]`,
      // Numbers get no yargs type: resolveOptions checks them with a message naming their
      // source, where yargs would silently turn `--port abc` into NaN.
      ...(d.kind === 'list' ? { type: 'array' } : d.kind === 'boolean' ? { type: 'boolean' } : d.kind === 'string' ? { type: 'string' } : {}),
      ...(d.kind === 'list' ? { string: true } : {}),
      ...(d.alias ? { alias: d.alias } : {}),
      ...(d.choices ? { choices: [...d.choices] } : {}),
    };
  }
  return out;
}

/**
 * The command-line arguments that give these values, in the order of `values`' keys: `--flag=value`
 * (one per item of a list), a bare flag for true, and the positional last, after `--`. A value is
 * always glued to its flag or behind `--`, so whatever it holds (`--config=/etc/shadow`, `-cc=x`,
 * `--`, spaces, newlines) is read as that value and never as an option; yargs takes everything
 * after the first `=` as the value. The flags come from the same declarations the exporter parses,
 * so the two cannot drift. Add options to such a command line with insertOptions (never after it).
 */
export function optionArgs<D extends OptionDecls>(decls: D, values: OptionValues<D>): string[] {
  const positional: string[] = [];
  const flags = Object.entries(values).flatMap(([key, value]) => {
    const d = decls[key];
    if (!d) throw new Error(`no exporter option ${key}`);
    if (value === undefined) return [];
    const flag = `--${names(key).flag}`;
    if (d.positional) {
      positional.push(String(value));
      return [];
    }
    switch (d.kind) {
      case 'boolean':
        // Every boolean we declare defaults to false, so false needs no flag.
        return value ? [flag] : [];
      case 'list':
        return (value as string[]).map((item) => glued(flag, item));
      case 'string':
      case 'port':
      case 'int':
      case 'number':
        return [glued(flag, String(value))];
    }
  });
  return positional.length > 0 ? [...flags, '--', ...positional] : flags;
}

/**
 * `--flag=value`. yargs takes one pair of matching quotes off a value given after `=` (its
 * stripQuotes), so a value that begins and ends with the same quote gets a pair of its own to lose.
 */
function glued(flag: string, value: string): string {
  const quoted = value.length > 0 && (value[0] === '"' || value[0] === "'") && value[value.length - 1] === value[0];
  return quoted ? `${flag}='${value}'` : `${flag}=${value}`;
}

/** A command line of optionArgs with more options (from optionArgs too) added before its `--`. */
export function insertOptions(args: readonly string[], more: readonly string[]): string[] {
  // No value of optionArgs is a bare `--`: values are glued to their flags.
  const end = args.indexOf('--');
  return end < 0 ? [...args, ...more] : [...args.slice(0, end), ...more, ...args.slice(end)];
}

export interface OptionSources {
  /** Parsed command line (yargs argv, camelCase keys); a key absent or undefined was not typed. */
  flags: Record<string, unknown>;
  env: Record<string, string | undefined>;
  /** The --config file's mapping, already loaded (loadConfigFile). */
  file: Record<string, unknown>;
}

/** Resolves every declared setting from flag > env > file > default and checks its value. */
export function resolveOptions<D extends OptionDecls>(decls: D, sources: OptionSources): { values: Resolved<D>; from: Record<keyof D, Source> } {
  const values: Record<string, unknown> = {};
  const from: Record<string, Source> = {};
  for (const [key, d] of Object.entries(decls)) {
    const n = names(key);
    const candidates: [Source, unknown, string][] = [
      ['flag', sources.flags[key], d.positional ? `argument ${n.flag.toUpperCase()}` : `--${n.flag}`],
      ['env', sources.env[n.env], n.env],
      ['file', sources.file[n.file], `${n.file} in the --config file`],
    ];
    const found = candidates.find(([, v]) => v !== undefined && v !== '' && !(Array.isArray(v) && v.length === 0));
    if (found) {
      values[key] = parseValue(found[1], d, found[2]);
      from[key] = found[0];
    } else if (d.default !== undefined) {
      values[key] = d.default;
      from[key] = 'default';
    } else if (d.required) {
      const how = d.positional ? `the ${n.flag.toUpperCase()} argument` : `--${n.flag}`;
      throw new UserError(`missing ${how}: ${d.describe.replace(/\.$/, '')}. Give ${how}, set ${n.env}, or put ${n.file} in the --config file.`);
    }
  }
  return { values: values as Resolved<D>, from: from as Record<keyof D, Source> };
}

function parseValue(raw: unknown, d: OptionDecl, where: string): unknown {
  switch (d.kind) {
    case 'string': {
      const s = scalar(raw, where);
      if (d.choices && !d.choices.includes(s)) throw new UserError(`${where}=${JSON.stringify(s)}: choose one of ${d.choices.join(', ')}.`);
      return s;
    }
    case 'list':
      // From an env var, a comma-separated list; from the file, a YAML list or one string.
      if (Array.isArray(raw)) return raw.map((v) => scalar(v, where));
      return scalar(raw, where).split(',').map((s) => s.trim()).filter(Boolean);
    case 'boolean': {
      if (typeof raw === 'boolean') return raw;
      const s = scalar(raw, where).toLowerCase();
      if (['1', 'true', 'yes', 'on'].includes(s)) return true;
      if (['0', 'false', 'no', 'off'].includes(s)) return false;
      throw new UserError(`${where}=${JSON.stringify(s)}: give true or false.`);
    }
    case 'port':
    case 'int':
    case 'number': {
      const s = scalar(raw, where).trim();
      const num = Number(s);
      const integer = d.kind !== 'number';
      if (s === '' || !Number.isFinite(num) || (integer && !Number.isInteger(num))) {
        throw new UserError(`${where}=${JSON.stringify(s)}: not ${integer ? 'a whole number' : 'a number'}.`);
      }
      if (d.kind === 'port' && (num < 0 || num > 65535)) throw new UserError(`${where}=${s}: a port is between 1 and 65535 (0 picks a free one).`);
      if (d.min !== undefined && num < d.min) throw new UserError(`${where}=${s}: must be at least ${d.min}.`);
      if (d.max !== undefined && num > d.max) throw new UserError(`${where}=${s}: must be at most ${d.max}.`);
      return num;
    }
  }
}

function scalar(raw: unknown, where: string): string {
  if (typeof raw === 'string') return raw;
  if (typeof raw === 'number' || typeof raw === 'boolean') return String(raw);
  // yargs gives an array when a flag is repeated; the last one typed wins, as with most CLIs.
  if (Array.isArray(raw) && raw.length > 0) return scalar(raw[raw.length - 1], where);
  throw new UserError(`${where}: expected a single value, got ${JSON.stringify(raw)}.`);
}

/**
 * A small file the exporter is pointed at (--config, the password file): a regular file of at most
 * maxBytes, or an Error saying why not. Opened without blocking and checked on the opened file, so
 * a FIFO or device put at the path (the exporter often runs as root over a folder others can
 * write) can neither hang the start nor feed it without end.
 */
export function readSmallFile(path: string, maxBytes: number): string {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new Error('not a regular file');
    if (st.size > maxBytes) throw new Error(`${st.size} bytes, more than the ${maxBytes} this reads`);
    // One byte more than allowed, so a file that grew since the fstat is noticed.
    const buf = Buffer.alloc(maxBytes + 1);
    let length = 0;
    let n: number;
    while (length < buf.length && (n = readSync(fd, buf, length, buf.length - length, null)) > 0) length += n;
    if (length > maxBytes) throw new Error(`more than the ${maxBytes} bytes this reads`);
    return buf.toString('utf8', 0, length);
  } finally {
    closeSync(fd);
  }
}

const errorText = (err: unknown) => (err as NodeJS.ErrnoException).code ?? (err instanceof Error ? err.message : String(err));

/** Reads a --config YAML file: a mapping whose keys are among the declared settings. */
export function loadConfigFile(path: string | undefined, decls: OptionDecls): Record<string, unknown> {
  if (!path) return {};
  let text: string;
  try {
    text = readSmallFile(path, DOCUMENT_LIMITS.maxBytes);
  } catch (err) {
    throw new UserError(`cannot read the config file ${path}: ${errorText(err)}. Check --config / FIBRE_CONFIG.`);
  }
  let doc: unknown;
  try {
    // Bounded: an alias bomb is refused with the reason instead of eating the memory.
    doc = parseYaml(text);
  } catch (err) {
    throw new UserError(`the config file ${path} is not valid YAML: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (doc === null || doc === undefined) return {};
  if (typeof doc !== 'object' || Array.isArray(doc)) throw new UserError(`the config file ${path} must be a YAML mapping of settings (e.g. \`port: 9435\`).`);
  const known = Object.keys(decls).map((k) => names(k).file);
  const unknown = Object.keys(doc).filter((k) => !known.includes(k));
  if (unknown.length > 0) throw new UserError(`the config file ${path} has unknown setting(s) ${unknown.join(', ')}; known: ${known.join(', ')}.`);
  return doc as Record<string, unknown>;
}

/** Settings every exporter mode shares. Modes add theirs beside these. */
export function commonDecls(defaults: { port: number; healthPort?: number }) {
  return {
    host: { kind: 'string', default: '0.0.0.0', describe: 'Address to listen on (all interfaces, so Prometheus in another container reaches it; 127.0.0.1 keeps it on this host).' },
    port: { kind: 'port', default: defaults.port, describe: 'Port serving /metrics, /health and /ready.' },
    healthPort: { kind: 'port', ...(defaults.healthPort === undefined ? {} : { default: defaults.healthPort }), describe: 'Extra plain-HTTP port serving only /health and /ready.' },
    nodeName: { kind: 'string', alias: 'n', default: 'localhost', describe: 'Node name put in the node label and fibre_exporter_info.' },
    basicAuthUser: { kind: 'string', describe: 'Require HTTP basic auth on /metrics with this user (password from --basic-auth-password-file or FIBRE_BASIC_AUTH_PASSWORD).' },
    basicAuthPasswordFile: { kind: 'string', describe: 'File holding the basic-auth password (never give a password on the command line).' },
    tlsCert: { kind: 'string', describe: 'PEM certificate: serve /metrics over HTTPS (with --tls-key).' },
    tlsKey: { kind: 'string', describe: 'PEM private key for --tls-cert.' },
  } as const satisfies OptionDecls;
}

export type CommonDecls = ReturnType<typeof commonDecls>;

/**
 * --speed bounds: below the least, one recorded second is over 15 minutes; above the most, a
 * recording's hours pass in a second, and more only means more events per tick.
 */
export const MIN_REPLAY_SPEED = 0.001;
export const MAX_REPLAY_SPEED = 100_000;

/**
 * `fibre-stack exporter replay`: a recording played through a profile's metrics. The players are
 * the profiles' (exporter/replay.ts); `port` is the default profile's exporter port.
 */
export function replayDecls(defaults: { port: number; samples: readonly string[] }) {
  return {
    ...commonDecls({ port: defaults.port }),
    file: { kind: 'string', positional: true, describe: `JSON-lines recording to replay, or a shipped sample by name: ${defaults.samples.join(', ')} [default: ${defaults.samples[0]}].` },
    speed: { kind: 'number', min: MIN_REPLAY_SPEED, max: MAX_REPLAY_SPEED, default: 1, describe: 'Pace: 1 plays at the recorded pace, 10 ten times faster.' },
    loop: { kind: 'boolean', default: false, describe: 'Start over at the end of the recording.' },
  } as const satisfies OptionDecls;
}

export type ReplayDecls = ReturnType<typeof replayDecls>;

/** The basic-auth and TLS pieces of CommonExporterOptions, checked for completeness. */
export function commonExporterOptions(
  v: Resolved<ReturnType<typeof commonDecls>>,
  env: Record<string, string | undefined>,
): CommonExporterOptions {
  // The same rule as the spec's node_name: it labels every series and fibre_exporter_info.
  const badName = checkNodeName(v.nodeName);
  if (badName) throw new UserError(`--node-name: ${badName}.`);
  const out: CommonExporterOptions = { host: v.host, port: v.port, nodeName: v.nodeName };
  if (v.healthPort !== undefined) out.healthPort = v.healthPort;
  const password = v.basicAuthPasswordFile !== undefined ? readPasswordFile(v.basicAuthPasswordFile) : env.FIBRE_BASIC_AUTH_PASSWORD;
  if (v.basicAuthUser !== undefined) {
    if (!password) throw new UserError('--basic-auth-user needs a password: put it in a file given by --basic-auth-password-file, or set FIBRE_BASIC_AUTH_PASSWORD.');
    out.basicAuth = { username: v.basicAuthUser, password };
  } else if (password) {
    throw new UserError('a basic-auth password is set but no user: add --basic-auth-user (or FIBRE_BASIC_AUTH_USER).');
  }
  if ((v.tlsCert === undefined) !== (v.tlsKey === undefined)) throw new UserError('TLS needs both --tls-cert and --tls-key.');
  if (v.tlsCert !== undefined && v.tlsKey !== undefined) out.tls = { certFile: v.tlsCert, keyFile: v.tlsKey };
  return out;
}

/** Far more than any password. */
const PASSWORD_FILE_BYTES = 4096;

function readPasswordFile(path: string): string {
  let text: string;
  try {
    text = readSmallFile(path, PASSWORD_FILE_BYTES);
  } catch (err) {
    throw new UserError(`cannot read --basic-auth-password-file ${path}: ${errorText(err)}.`);
  }
  // Editors and `echo` leave a final newline that is not part of the password.
  const password = text.replace(/\r?\n$/, '');
  if (!password) throw new UserError(`--basic-auth-password-file ${path} is empty.`);
  return password;
}
