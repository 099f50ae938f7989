// Validation of a parsed fibre-stack.yml. Every problem names the key as the user wrote it,
// what is wrong, and what is allowed; missing optional keys take their defaults so a spec
// written by hand can be short.
import {
  BITSTREAMS,
  EXPORTER_SOURCES,
  LOG_AGENTS,
  MODES,
  PROFILE_IDS,
  type BitcoindProfileSpec,
  type MinerProfileSpec,
  type NodeosProfileSpec,
  type ProfilesSpec,
  type ScrapeProfileSpec,
  type StackSpec,
} from './types.js';
import { defaultProfile, defaultSpec } from './defaults.js';
import { enabledServices, SERVICE_NAMES, type CoreService } from '../services/table.js';

export interface SpecProblem {
  key: string;
  problem: string;
}

export class SpecError extends Error {
  constructor(readonly problems: SpecProblem[], source = 'fibre-stack.yml') {
    super(`${source} is not valid:\n` + problems.map((p) => `  - ${p.key}: ${p.problem}`).join('\n'));
    this.name = 'SpecError';
  }
}

type Obj = Record<string, unknown>;

/** Walks one object, recording problems instead of throwing, so the user sees all of them at once. */
class Reader {
  constructor(readonly problems: SpecProblem[]) {}

  object(value: unknown, key: string): Obj | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'object' || Array.isArray(value)) {
      this.problems.push({ key, problem: `expected a mapping, got ${describe(value)}` });
      return undefined;
    }
    return value as Obj;
  }

  noUnknownKeys(obj: Obj, key: string, allowed: readonly string[]): void {
    for (const k of Object.keys(obj)) {
      if (!allowed.includes(k)) {
        this.problems.push({ key: join(key, k), problem: `unknown key; allowed here: ${allowed.join(', ')}` });
      }
    }
  }

  string(obj: Obj, key: string, field: string, fallback: string, check?: (s: string) => string | undefined): string {
    const v = obj[field];
    if (v === undefined) return fallback;
    if (typeof v !== 'string') {
      this.problems.push({ key: join(key, field), problem: `expected a string, got ${describe(v)}` });
      return fallback;
    }
    const wrong = check?.(v);
    if (wrong) this.problems.push({ key: join(key, field), problem: wrong });
    return v;
  }

  oneOf<T extends string>(obj: Obj, key: string, field: string, allowed: readonly T[], fallback: T): T {
    const v = obj[field];
    if (v === undefined) return fallback;
    if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
      this.problems.push({ key: join(key, field), problem: `got ${describe(v)}; allowed: ${allowed.join(', ')}` });
      return fallback;
    }
    return v as T;
  }

  port(obj: Obj, key: string, field: string, fallback: number): number {
    const v = obj[field];
    if (v === undefined) return fallback;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > 65535) {
      this.problems.push({ key: join(key, field), problem: `got ${describe(v)}; allowed: a whole number from 1 to 65535` });
      return fallback;
    }
    return v;
  }

  positiveInt(obj: Obj, key: string, field: string, fallback: number): number {
    const v = obj[field];
    if (v === undefined) return fallback;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) {
      this.problems.push({ key: join(key, field), problem: `got ${describe(v)}; allowed: a whole number of 1 or more` });
      return fallback;
    }
    return v;
  }

  list(obj: Obj, key: string, field: string): unknown[] | undefined {
    const v = obj[field];
    if (v === undefined) return undefined;
    if (!Array.isArray(v)) {
      this.problems.push({ key: join(key, field), problem: `expected a list, got ${describe(v)}` });
      return undefined;
    }
    return v;
  }
}

function join(parent: string, child: string | number): string {
  if (typeof child === 'number') return `${parent}[${child}]`;
  return parent ? `${parent}.${child}` : child;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return `${typeof v} ${JSON.stringify(v)}`;
}

// Prometheus duration syntax, as retention flags take it.
const DURATION = /^(\d+(ms|s|m|h|d|w|y))+$/;
const checkDuration = (s: string) => (DURATION.test(s) ? undefined : `got "${s}"; allowed: a duration such as 15d, 720h or 2w`);
const checkNotEmpty = (s: string) => (s.trim() ? undefined : 'must not be empty');
const checkAbsolutePath = (s: string) => (s.startsWith('/') ? undefined : `got "${s}"; allowed: an absolute path`);
// Compose project names: lower-case letters, digits, dashes and underscores, starting with a letter or digit.
const checkProject = (s: string) =>
  /^[a-z0-9][a-z0-9_-]*$/.test(s) ? undefined : `got "${s}"; allowed: lower-case letters, digits, "-" and "_", starting with a letter or digit`;
const checkHttpUrl = (s: string) => {
  try {
    const u = new URL(s);
    return u.protocol === 'http:' || u.protocol === 'https:' ? undefined : `got "${s}"; allowed: an http:// or https:// URL`;
  } catch {
    return `got "${s}"; allowed: an http:// or https:// URL`;
  }
};
const checkBindAddress = (s: string) =>
  isIpAddress(s) ? undefined : `got "${s}"; allowed: an IPv4 or IPv6 address such as 127.0.0.1 or 0.0.0.0`;
// Image references: no `latest`, and a tag or digest is required so that what users run is pinned.
const checkPinnedImage = (s: string) => {
  if (!/^[a-z0-9][a-z0-9._/:-]*(@sha256:[a-f0-9]{64})?$/.test(s)) return `got "${s}"; allowed: an image reference such as prom/prometheus:v3.7.3`;
  const afterSlash = s.slice(s.lastIndexOf('/') + 1);
  if (s.includes('@sha256:')) return undefined;
  if (!afterSlash.includes(':')) return `got "${s}"; allowed: a pinned tag (name:tag), never an untagged image`;
  if (afterSlash.endsWith(':latest')) return `got "${s}"; allowed: a pinned tag, not "latest"`;
  return undefined;
};

export function isIpAddress(s: string): boolean {
  if (/^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.test(s)) return s.split('.').every((n) => Number(n) <= 255);
  return /^[0-9a-fA-F:]+$/.test(s) && s.includes(':');
}

/** host:port, as a Prometheus static or file_sd target. */
export function checkHostPort(s: string): string | undefined {
  const m = /^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/.exec(s);
  if (!m || Number(m[2]) < 1 || Number(m[2]) > 65535) return `got "${s}"; allowed: host:port, such as 10.0.0.5:9100`;
  return undefined;
}

function readBitcoind(r: Reader, value: unknown, key: string, id: 'fibre' | 'bitcoin-core'): BitcoindProfileSpec {
  const base = defaultProfile(id) as BitcoindProfileSpec;
  const o = r.object(value, key) ?? {};
  r.noUnknownKeys(o, key, Object.keys(base));
  const spec: BitcoindProfileSpec = {
    node_name: r.string(o, key, 'node_name', base.node_name, checkNotEmpty),
    bitcoind: r.string(o, key, 'bitcoind', base.bitcoind, checkAbsolutePath),
    bitcoin_datadir: r.string(o, key, 'bitcoin_datadir', base.bitcoin_datadir, checkAbsolutePath),
    exporter_port: r.port(o, key, 'exporter_port', base.exporter_port),
    source: r.oneOf(o, key, 'source', EXPORTER_SOURCES, base.source),
    replay_file: r.string(o, key, 'replay_file', base.replay_file),
  };
  if (spec.replay_file && !spec.replay_file.startsWith('/')) {
    r.problems.push({ key: join(key, 'replay_file'), problem: `got "${spec.replay_file}"; allowed: an absolute path, or empty for the bundled sample` });
  }
  return spec;
}

function readMiner(r: Reader, value: unknown, key: string): MinerProfileSpec {
  const base = defaultProfile('miner') as MinerProfileSpec;
  const o = r.object(value, key) ?? {};
  r.noUnknownKeys(o, key, Object.keys(base));
  const rawLogs = r.list(o, key, 'logs');
  const logs = rawLogs
    ? rawLogs.map((item, i) => {
        const k = join(join(key, 'logs'), i);
        const lo = r.object(item, k) ?? {};
        r.noUnknownKeys(lo, k, ['path', 'card']);
        return {
          path: r.string(lo, k, 'path', '', checkAbsolutePath),
          card: r.string(lo, k, 'card', `card${i}`, checkNotEmpty),
        };
      })
    : base.logs;
  if (rawLogs && logs.length === 0) r.problems.push({ key: join(key, 'logs'), problem: 'needs at least one log: {path, card}' });
  const cards = logs.map((l) => l.card);
  const dup = cards.find((c, i) => cards.indexOf(c) !== i);
  if (dup !== undefined) r.problems.push({ key: join(key, 'logs'), problem: `card "${dup}" appears twice; each log needs its own card name` });
  return {
    bitstream: r.oneOf(o, key, 'bitstream', BITSTREAMS, base.bitstream),
    logs,
    exporter_port: r.port(o, key, 'exporter_port', base.exporter_port),
    stale_after_seconds: r.positiveInt(o, key, 'stale_after_seconds', base.stale_after_seconds),
  };
}

function readNodeos(r: Reader, value: unknown, key: string): NodeosProfileSpec {
  const base = defaultProfile('nodeos') as NodeosProfileSpec;
  const o = r.object(value, key) ?? {};
  r.noUnknownKeys(o, key, Object.keys(base));
  return {
    node_name: r.string(o, key, 'node_name', base.node_name, checkNotEmpty),
    url: r.string(o, key, 'url', base.url, checkHttpUrl),
  };
}

function readScrape(r: Reader, value: unknown, key: string): ScrapeProfileSpec {
  const o = r.object(value, key) ?? {};
  r.noUnknownKeys(o, key, ['targets']);
  const raw = r.list(o, key, 'targets') ?? [];
  const targets: string[] = [];
  raw.forEach((t, i) => {
    const k = join(join(key, 'targets'), i);
    if (typeof t !== 'string') r.problems.push({ key: k, problem: `expected host:port, got ${describe(t)}` });
    else {
      const wrong = checkHostPort(t);
      if (wrong) r.problems.push({ key: k, problem: wrong });
      targets.push(t);
    }
  });
  return { targets };
}

/** Turns a parsed fibre-stack.yml into a StackSpec, or throws SpecError listing every problem. */
export function validateSpec(raw: unknown, source = 'fibre-stack.yml'): StackSpec {
  const problems: SpecProblem[] = [];
  const r = new Reader(problems);
  const d = defaultSpec();
  const top = r.object(raw, '(top level)');
  if (!top) {
    if (raw === undefined || raw === null) problems.push({ key: '(top level)', problem: 'the file is empty; it needs at least `version: 1` and `profiles:`' });
    throw new SpecError(problems, source);
  }
  r.noUnknownKeys(top, '', ['version', 'project', 'mode', 'log_agent', 'bind_address', 'retention', 'ports', 'images', 'alerting', 'disabled_services', 'profiles']);
  if (top.version !== 1) problems.push({ key: 'version', problem: `got ${describe(top.version)}; allowed: 1` });

  const retention = r.object(top.retention, 'retention') ?? {};
  r.noUnknownKeys(retention, 'retention', ['metrics', 'logs']);
  const ports = r.object(top.ports, 'ports') ?? {};
  r.noUnknownKeys(ports, 'ports', SERVICE_NAMES);
  const images = r.object(top.images, 'images') ?? {};
  r.noUnknownKeys(images, 'images', [...SERVICE_NAMES, 'exporter']);
  const alerting = r.object(top.alerting, 'alerting') ?? {};
  r.noUnknownKeys(alerting, 'alerting', ['receiver', 'webhook_url']);

  const spec: StackSpec = {
    version: 1,
    project: r.string(top, '', 'project', d.project, checkProject),
    mode: r.oneOf(top, '', 'mode', MODES, d.mode),
    log_agent: r.oneOf(top, '', 'log_agent', LOG_AGENTS, d.log_agent),
    bind_address: r.string(top, '', 'bind_address', d.bind_address, checkBindAddress),
    retention: {
      metrics: r.string(retention, 'retention', 'metrics', d.retention.metrics, checkDuration),
      logs: r.string(retention, 'retention', 'logs', d.retention.logs, checkDuration),
    },
    ports: Object.fromEntries(SERVICE_NAMES.map((s) => [s, r.port(ports, 'ports', s, d.ports[s])])) as StackSpec['ports'],
    images: Object.fromEntries(
      ([...SERVICE_NAMES, 'exporter'] as const).map((s) => [s, r.string(images, 'images', s, d.images[s], checkPinnedImage)]),
    ) as StackSpec['images'],
    alerting: {
      receiver: r.oneOf(alerting, 'alerting', 'receiver', ['none', 'webhook'] as const, d.alerting.receiver),
      webhook_url: r.string(alerting, 'alerting', 'webhook_url', '', (s) => (s ? checkHttpUrl(s) : undefined)),
    },
    disabled_services: [],
    profiles: {},
  };
  (r.list(top, '', 'disabled_services') ?? []).forEach((s, i) => {
    if (typeof s === 'string' && (SERVICE_NAMES as readonly string[]).includes(s)) {
      if (!spec.disabled_services.includes(s as CoreService)) spec.disabled_services.push(s as CoreService);
    } else problems.push({ key: `disabled_services[${i}]`, problem: `got ${describe(s)}; allowed: ${SERVICE_NAMES.join(', ')}` });
  });
  if (spec.alerting.receiver === 'webhook' && !spec.alerting.webhook_url) {
    problems.push({ key: 'alerting.webhook_url', problem: 'required when alerting.receiver is webhook' });
  }

  const profiles = r.object(top.profiles, 'profiles');
  if (!profiles || Object.keys(profiles).length === 0) {
    problems.push({ key: 'profiles', problem: `needs at least one profile; allowed: ${PROFILE_IDS.join(', ')}` });
  } else {
    r.noUnknownKeys(profiles, 'profiles', PROFILE_IDS);
    const out: ProfilesSpec = {};
    // A profile given as an empty mapping (`miner:` or `miner: {}`) takes every default.
    const present = (id: string) => Object.prototype.hasOwnProperty.call(profiles, id);
    if (present('fibre')) out.fibre = readBitcoind(r, profiles.fibre, 'profiles.fibre', 'fibre');
    if (present('bitcoin-core')) out['bitcoin-core'] = readBitcoind(r, profiles['bitcoin-core'], 'profiles.bitcoin-core', 'bitcoin-core');
    if (present('miner')) out.miner = readMiner(r, profiles.miner, 'profiles.miner');
    if (present('nodeos')) out.nodeos = readNodeos(r, profiles.nodeos, 'profiles.nodeos');
    if (present('scrape')) out.scrape = readScrape(r, profiles.scrape, 'profiles.scrape');
    spec.profiles = out;
  }
  checkPortClashes(spec, problems);
  if (problems.length) throw new SpecError(problems, source);
  return spec;
}

/** In native mode every service shares the host, so two of them on one port cannot both start. */
function checkPortClashes(spec: StackSpec, problems: SpecProblem[]): void {
  const used = new Map<number, string>();
  const claim = (port: number, key: string) => {
    const prior = used.get(port);
    if (prior) problems.push({ key, problem: `port ${port} is already taken by ${prior}; choose another` });
    else used.set(port, key);
  };
  for (const s of enabledServices(spec)) claim(spec.ports[s], `ports.${s}`);
  for (const id of ['fibre', 'bitcoin-core', 'miner'] as const) {
    const p = spec.profiles[id];
    if (p) claim(p.exporter_port, `profiles.${id}.exporter_port`);
  }
}
