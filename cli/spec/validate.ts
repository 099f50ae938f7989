// Validation of a parsed fibre-stack.yml. Every problem names the key as the user wrote it,
// what is wrong, and what is allowed; missing optional keys take their defaults so a spec
// written by hand can be short. The stack's own keys are read here; each profile reads its own
// section (profiles/*/spec.ts), for every profile of the registry.
import { isIpAddress } from '../../core/spec/checks.js';
import { readAlerting } from './alerting.js';
import { describe, join, Reader, SpecError, type Obj, type SpecProblem } from '../../core/spec/reader.js';
import { LOG_AGENTS, MODES, type ProfilesSpec, type StackSpec } from './types.js';
import { defaultSpec } from './defaults.js';
import { SPEC_VERSIONS, upgradeDocument, type SpecVersions } from './versions.js';
import { readFleet } from './fleet.js';
import { PROFILES, type Registry } from '../../profiles/registry.js';
import type { ProfileDef } from '../../profiles/types.js';
import { enabledServices, SERVICE_NAMES, type CoreService } from '../services/table.js';

// Prometheus duration syntax, as retention flags take it.
const DURATION = /^(\d+(ms|s|m|h|d|w|y))+$/;
const checkDuration = (s: string) => (DURATION.test(s) ? undefined : `got "${s}"; allowed: a duration such as 15d, 720h or 2w`);
// Compose project names: lower-case letters, digits, dashes and underscores, starting with a letter or digit.
const checkProject = (s: string) =>
  /^[a-z0-9][a-z0-9_-]*$/.test(s) ? undefined : `got "${s}"; allowed: lower-case letters, digits, "-" and "_", starting with a letter or digit`;
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

const TOP_LEVEL_KEYS = ['version', 'project', 'mode', 'log_agent', 'bind_address', 'retention', 'ports', 'images', 'alerting', 'disabled_services', 'synthetic_checks', 'profiles', 'fleet'];

export interface ReadOptions {
  /** Where the document came from, for the error message. */
  source?: string;
  /** The profiles whose sections may appear (tests add their own). */
  registry?: Registry;
  /** The versions it may be in, and how older ones become current (tests add their own). */
  versions?: SpecVersions;
}

/**
 * Turns a parsed fibre-stack.yml of any version we know into a StackSpec of the current one, and
 * says which version it was in; throws SpecError listing every problem.
 */
export function readSpecDocument(raw: unknown, options: ReadOptions = {}): { spec: StackSpec; fromVersion: number } {
  const { source = 'fibre-stack.yml', registry = PROFILES, versions = SPEC_VERSIONS } = options;
  const problems: SpecProblem[] = [];
  const r = new Reader(problems);
  const d = defaultSpec();
  const given = r.object(raw, '(top level)');
  if (!given) {
    if (raw === undefined || raw === null) r.problem('(top level)', `the file is empty; it needs at least \`version: ${versions.current}\` and \`profiles:\``);
    throw new SpecError(problems, source);
  }
  // The version first: it says how to read everything else.
  const upgrade = upgradeDocument(given, versions);
  if ('problem' in upgrade && upgrade.newer) throw new SpecError([upgrade.problem], source);
  const { doc: top, from: fromVersion } = 'doc' in upgrade ? upgrade : { doc: given, from: versions.current };
  r.noUnknownKeys(top, '', TOP_LEVEL_KEYS);
  if ('problem' in upgrade) problems.push(upgrade.problem);

  const retention = r.object(top.retention, 'retention') ?? {};
  r.noUnknownKeys(retention, 'retention', ['metrics', 'logs']);
  const ports = r.object(top.ports, 'ports') ?? {};
  r.noUnknownKeys(ports, 'ports', SERVICE_NAMES);
  const images = r.object(top.images, 'images') ?? {};
  r.noUnknownKeys(images, 'images', [...SERVICE_NAMES, 'exporter']);

  const spec: StackSpec = {
    version: d.version,
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
    alerting: readAlerting(r, top.alerting),
    disabled_services: [],
    synthetic_checks: r.boolean(top, '', 'synthetic_checks', d.synthetic_checks),
    profiles: {},
  };
  (r.list(top, '', 'disabled_services') ?? []).forEach((s, i) => {
    if (typeof s === 'string' && (SERVICE_NAMES as readonly string[]).includes(s)) {
      if (!spec.disabled_services.includes(s as CoreService)) spec.disabled_services.push(s as CoreService);
    } else r.problem(`disabled_services[${i}]`, `got ${describe(s)}; allowed: ${SERVICE_NAMES.join(', ')}`);
  });

  const profiles = r.object(top.profiles, 'profiles');
  const nodes: ReadNode[] = [];
  if (!profiles || Object.keys(profiles).length === 0) {
    r.problem('profiles', `needs at least one profile; allowed: ${registry.ids.join(', ')}`);
  } else {
    r.noUnknownKeys(profiles, 'profiles', registry.ids);
    const out: Record<string, unknown[]> = {};
    for (const def of registry.profiles) {
      if (!Object.hasOwn(profiles, def.id)) continue;
      const read = readNodes(r, def, profiles[def.id], `profiles.${def.id}`);
      out[def.id] = read.map((n) => n.settings);
      nodes.push(...read);
    }
    spec.profiles = out as ProfilesSpec;
  }
  const fleet = readFleet(r, top.fleet);
  if (fleet) {
    spec.fleet = fleet;
    checkFleetRole(spec, r);
  }
  placePorts(spec, r, nodes);
  if (problems.length) throw new SpecError(problems, source);
  return { spec, fromVersion };
}

/** One node of a profile as read: its settings, where it is in the file, and what the user wrote. */
interface ReadNode {
  def: ProfileDef;
  settings: Record<string, unknown>;
  key: string;
  index: number;
  given: Obj;
}

/**
 * A profile's nodes: a list of mappings, or a single mapping (or nothing: `miner:`) for one node,
 * as version 1 files had it, so a hand-written one-node section stays short. Names are unique
 * within the profile, not the stack: fibre and bitcoin-core may watch the same bitcoind, by the
 * same name, and their series differ by job.
 */
function readNodes(r: Reader, def: ProfileDef, raw: unknown, key: string): ReadNode[] {
  const items = Array.isArray(raw) ? raw : [raw];
  if (items.length === 0) r.problem(key, `needs at least one node: a list of mappings such as \`- {}\` (every default), or remove ${def.id}`);
  const nodes = items.map((item, index) => {
    const at = Array.isArray(raw) ? join(key, index) : key;
    const given = typeof item === 'object' && item !== null ? (item as Obj) : {};
    return { def, settings: def.spec.read(r, item, at) as Record<string, unknown>, key: at, index, given };
  });
  const name = def.spec.name;
  if (name) {
    const seen = new Map<string, string>();
    for (const n of nodes) {
      const prior = seen.get(name(n.settings));
      if (prior) r.problem(n.key, `node name "${name(n.settings)}" is also that of ${prior}; each node of ${def.id} needs its own name (node_name), its \`node\` label`);
      else seen.set(name(n.settings), n.key);
    }
  }
  return nodes;
}

/** Turns a parsed fibre-stack.yml into a StackSpec/** Turns a parsed fibre-stack.yml into a StackSpec, or throws SpecError listing every problem. */
export function validateSpec(raw: unknown, source = 'fibre-stack.yml'): StackSpec {
  return readSpecDocument(raw, { source }).spec;
}

/**
 * Every service of a stack shares the host's ports in native mode: two on one port cannot both
 * start. A node after a profile's first that leaves a port out would take the first node's
 * default and clash, so it gets the first free port from that default up instead (after every
 * port the file gives, so that none of those moves); `create` writes it into the file.
 */
/** What a fleet role has no service for: a node's alerts are sent by its hub, a hub has no profile services to probe. */
function checkFleetRole(spec: StackSpec, r: Reader): void {
  if (spec.fleet?.role === 'node' && spec.alerting.receivers.length) {
    r.problem('alerting.receivers', "a fleet node runs no Alertmanager (its hub evaluates the rules and sends the alerts): give the receivers in the hub's fibre-stack.yml and remove them here");
  }
  if (spec.fleet?.role === 'hub' && spec.synthetic_checks) {
    r.problem('synthetic_checks', "a fleet hub runs no synthetic checks (the services they probe run on the nodes): set synthetic_checks: true in the nodes' fibre-stack.yml, whose agents send the results to the hub");
  }
}

function placePorts(spec: StackSpec, r: Reader, nodes: readonly ReadNode[]): void {
  const used = new Map<number, string>();
  const claim = (port: number, key: string) => {
    const prior = used.get(port);
    if (prior) r.problem(key, `port ${port} is already taken by ${prior}; choose another`);
    else used.set(port, key);
  };
  for (const s of enabledServices(spec)) claim(spec.ports[s], `ports.${s}`);
  const open: { node: ReadNode; field: string; from: number }[] = [];
  for (const node of nodes) {
    for (const [field, port] of Object.entries(node.def.ports?.(node.settings) ?? {})) {
      if (node.index > 0 && !Object.hasOwn(node.given, field)) open.push({ node, field, from: port });
      else claim(port, join(node.key, field));
    }
  }
  for (const { node, field, from } of open) {
    let port = from;
    while (used.has(port)) port++;
    node.settings[field] = port;
    claim(port, join(node.key, field));
  }
}
