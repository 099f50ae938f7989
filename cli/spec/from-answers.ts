// The answers `create` gathers (from flags or prompts), turned into a spec. The result goes
// through the spec reader like any fibre-stack.yml, so flags and files are checked the same way.
import { basename } from 'node:path';
import type { FleetEngine, FleetTlsMode, LogAgent, Mode, ProfileId, StackSpec } from './types.js';
import { DEFAULT_PROFILES, defaultSpec } from './defaults.js';
import { readSpecDocument } from './validate.js';
import { FLEET_DEFAULTS } from './fleet.js';
import { PROFILES, type PROFILE_LIST, type Registry } from '../../profiles/registry.js';
import type { AnswersOf, ProfileDef, Question } from '../../profiles/types.js';

/** The answers about the stack itself. */
export interface StackAnswers {
  profiles: ProfileId[];
  mode: Mode;
  logAgent: LogAgent;
  bind: string;
  /** Run the blackbox exporter's synthetic checks (spec: synthetic_checks). */
  syntheticChecks: boolean;
  /** Where alerts go; none: they are kept in Alertmanager and sent nowhere. */
  receivers: ReceiverAnswer[];
  /** Where the Grafana links in alerts point; empty: the stack's own Grafana address. */
  grafanaUrl: string;
  project: string;
  /** What the stack is in a fleet; standalone writes no `fleet:` section. */
  role: 'standalone' | 'node' | 'hub';
  /** Node: the hub's write endpoint, this machine's name and site, its token and CA files. */
  hubUrl: string;
  host: string;
  site: string;
  tokenFile: string;
  caFile: string;
  /** Hub: its engine, its nodes, where vmauth listens, its TLS, and an external engine's URLs. */
  engine: FleetEngine;
  fleetNodes: string[];
  listen: string;
  tls: FleetTlsMode;
  tlsNames: string[];
  tlsCert: string;
  tlsKey: string;
  remoteWriteUrl: string;
  queryUrl: string;
}

/** A receiver as the spec's `alerting.receivers` takes it, and where its secret comes from (never the spec). */
export interface ReceiverAnswer {
  receiver: Record<string, unknown>;
  secret?: SecretSource;
}

/** A secret from the user's file (copied into the stack folder by `create`), or a value given on the command line. */
export type SecretSource = { file: string } | { value: string };

/** The answers the profiles' questions take, each under its key (nodeName, minerLogs, ...). */
export type ProfileAnswers = AnswersOf<(typeof PROFILE_LIST)[number]['questions']['asks']>;

/**
 * The nodes of the profiles described node by node (`--node`, or "add another node?"): each
 * node's own answers over the answers above, which are its defaults. A profile not here has one
 * node, of the answers above.
 */
export type NodeAnswers = Partial<Record<ProfileId, Partial<ProfileAnswers>[]>>;

export type CreateAnswers = StackAnswers & ProfileAnswers & { nodes: NodeAnswers };

/** A compose project name from a folder name: lower-case, safe characters, never empty. */
export function projectNameFor(dir: string): string {
  const name = basename(dir).toLowerCase().replace(/[^a-z0-9_-]+/g, '-').replace(/^[-_]+|-+$/g, '');
  return name || 'fibre-stack';
}

/**
 * Defaults of the fleet answers. `machine` is this machine's host name (read at the edge): a node's
 * `host` and a hub's first certificate name.
 */
export function defaultFleetAnswers(machine: string): Pick<StackAnswers, 'role' | 'hubUrl' | 'host' | 'site' | 'tokenFile' | 'caFile' | 'engine' | 'fleetNodes' | 'listen' | 'tls' | 'tlsNames' | 'tlsCert' | 'tlsKey' | 'remoteWriteUrl' | 'queryUrl'> {
  const host = machine.toLowerCase();
  return {
    role: 'standalone',
    hubUrl: '',
    host,
    site: FLEET_DEFAULTS.site,
    tokenFile: FLEET_DEFAULTS.token_file,
    caFile: FLEET_DEFAULTS.ca_file,
    engine: 'victoriametrics',
    fleetNodes: [],
    listen: FLEET_DEFAULTS.listen_address,
    tls: 'generate',
    tlsNames: [...new Set([host, 'localhost', '127.0.0.1'])],
    tlsCert: '',
    tlsKey: '',
    remoteWriteUrl: '',
    queryUrl: '',
  };
}

/** The `fleet:` section the answers make (undefined: standalone), for the spec reader to check. */
function fleetFromAnswers(a: CreateAnswers): Record<string, unknown> | undefined {
  switch (a.role) {
    case 'standalone':
      return undefined;
    case 'node':
      return { role: 'node', host: a.host, site: a.site, hub_url: a.hubUrl, token_file: a.tokenFile, ca_file: a.caFile };
    case 'hub':
      return {
        role: 'hub',
        engine: a.engine,
        listen_address: a.listen,
        nodes: a.fleetNodes,
        tls: { mode: a.tls, names: a.tlsNames, cert_file: a.tlsCert, key_file: a.tlsKey },
        external: { remote_write_url: a.remoteWriteUrl, query_url: a.queryUrl },
      };
  }
}

export function defaultAnswers(dir: string, registry: Registry = PROFILES, machine = 'localhost'): CreateAnswers {
  const spec = defaultSpec();
  const answers: Record<string, unknown> = {};
  for (const def of registry.profiles) {
    // A question several profiles ask takes its default from the first of them.
    for (const [key, value] of Object.entries(def.questions.defaults(def.spec.defaults()))) if (!(key in answers)) answers[key] = value;
  }
  return {
    ...(answers as ProfileAnswers),
    profiles: [...DEFAULT_PROFILES],
    mode: spec.mode,
    logAgent: spec.log_agent,
    bind: spec.bind_address,
    syntheticChecks: spec.synthetic_checks,
    receivers: [],
    grafanaUrl: '',
    project: projectNameFor(dir),
    ...defaultFleetAnswers(machine),
    nodes: {},
  };
}

/**
 * A node's settings from its answers. Those of a node after the profile's first leave its ports
 * out: the spec reader gives it free ones (cli/spec/validate.ts), where the defaults would clash.
 */
function nodeSettings(def: ProfileDef, answers: object, index: number): unknown {
  const settings = def.questions.settings(answers as AnswersOf<readonly Question[]>, def.spec.defaults()) as Record<string, unknown>;
  if (index === 0) return settings;
  const ports = def.ports?.(settings) ?? {};
  return Object.fromEntries(Object.entries(settings).filter(([field]) => !Object.hasOwn(ports, field)));
}

export function specFromAnswers(a: CreateAnswers, registry: Registry = PROFILES): StackSpec {
  const profiles: Record<string, unknown> = {};
  for (const id of a.profiles) {
    const def = registry.get(id);
    // An id no profile has stays in, for the reader to refuse by name.
    const nodes = (a.nodes as Record<string, Partial<ProfileAnswers>[] | undefined>)[id] ?? [{}];
    const settings = def ? nodes.map((own, i) => nodeSettings(def, { ...a, ...own }, i)) : [{}];
    // One node as a mapping, which the reader takes as a list of one: a problem is then named by
    // the key the flags' user would write in fibre-stack.yml (profiles.fibre.bitcoind).
    profiles[id] = settings.length === 1 ? settings[0] : settings;
  }
  const base = defaultSpec();
  const raw = {
    ...base,
    project: a.project,
    mode: a.mode,
    log_agent: a.logAgent,
    bind_address: a.bind,
    synthetic_checks: a.syntheticChecks,
    alerting: { receivers: a.receivers.map((r) => r.receiver), grafana_url: a.grafanaUrl },
    profiles,
    ...(fleetFromAnswers(a) ? { fleet: fleetFromAnswers(a) } : {}),
  };
  return readSpecDocument(raw, { source: 'the options given', registry }).spec;
}
