// Validation of a parsed fibre-stack.yml. Every problem names the key as the user wrote it,
// what is wrong, and what is allowed; missing optional keys take their defaults so a spec
// written by hand can be short. The stack's own keys are read here; each profile reads its own
// section (profiles/*/spec.ts), for every profile of the registry.
import { checkHttpUrl, isIpAddress } from '../../core/spec/checks.js';
import { describe, Reader, SpecError, type SpecProblem } from '../../core/spec/reader.js';
import { LOG_AGENTS, MODES, type ProfilesSpec, type StackSpec } from './types.js';
import { defaultSpec } from './defaults.js';
import { SPEC_VERSIONS, upgradeDocument, type SpecVersions } from './versions.js';
import { readFleet } from './fleet.js';
import { PROFILES, type Registry } from '../../profiles/registry.js';
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

const TOP_LEVEL_KEYS = ['version', 'project', 'mode', 'log_agent', 'bind_address', 'retention', 'ports', 'images', 'alerting', 'disabled_services', 'profiles', 'fleet'];

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
  const alerting = r.object(top.alerting, 'alerting') ?? {};
  r.noUnknownKeys(alerting, 'alerting', ['receiver', 'webhook_url']);

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
    } else r.problem(`disabled_services[${i}]`, `got ${describe(s)}; allowed: ${SERVICE_NAMES.join(', ')}`);
  });
  if (spec.alerting.receiver === 'webhook' && !spec.alerting.webhook_url) {
    r.problem('alerting.webhook_url', 'required when alerting.receiver is webhook');
  }

  const profiles = r.object(top.profiles, 'profiles');
  if (!profiles || Object.keys(profiles).length === 0) {
    r.problem('profiles', `needs at least one profile; allowed: ${registry.ids.join(', ')}`);
  } else {
    r.noUnknownKeys(profiles, 'profiles', registry.ids);
    const out: Record<string, unknown> = {};
    // A profile given as an empty mapping (`miner:` or `miner: {}`) takes every default.
    for (const def of registry.profiles) {
      if (Object.hasOwn(profiles, def.id)) out[def.id] = def.spec.read(r, profiles[def.id], `profiles.${def.id}`);
    }
    spec.profiles = out as ProfilesSpec;
  }
  const fleet = readFleet(r, top.fleet);
  if (fleet) spec.fleet = fleet;
  checkPortClashes(spec, r, registry);
  if (problems.length) throw new SpecError(problems, source);
  return { spec, fromVersion };
}

/** Turns a parsed fibre-stack.yml into a StackSpec, or throws SpecError listing every problem. */
export function validateSpec(raw: unknown, source = 'fibre-stack.yml'): StackSpec {
  return readSpecDocument(raw, { source }).spec;
}

/** Every service of a stack shares the host's ports in native mode: two on one port cannot both start. */
function checkPortClashes(spec: StackSpec, r: Reader, registry: Registry): void {
  const used = new Map<number, string>();
  const claim = (port: number, key: string) => {
    const prior = used.get(port);
    if (prior) r.problem(key, `port ${port} is already taken by ${prior}; choose another`);
    else used.set(port, key);
  };
  for (const s of enabledServices(spec)) claim(spec.ports[s], `ports.${s}`);
  const settings = spec.profiles as Record<string, unknown>;
  for (const def of registry.profiles) {
    if (settings[def.id] === undefined || !def.ports) continue;
    for (const [field, port] of Object.entries(def.ports(settings[def.id]))) claim(port, `profiles.${def.id}.${field}`);
  }
}
