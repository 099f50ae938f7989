// The `fleet:` section of fibre-stack.yml: a node that ships to a hub, or the hub. Absent, the
// stack is standalone, exactly as before fleets existed (so SPEC_VERSION stays: nothing moves).
import { checkHttpUrl, isIpAddress } from '../../core/spec/checks.js';
import { describe, Reader, type Obj } from '../../core/spec/reader.js';
import { FLEET_ENGINES, FLEET_ROLES, FLEET_TLS_MODES, type FleetHubSpec, type FleetNodeSpec, type FleetSpec } from './types.js';

/**
 * A fleet host name: the `host` label of every series and log line a node sends, the name its
 * hub token is made for, part of a file name (fleet/nodes/<host>.token) and of a variable name in
 * the hub's .env. Hostname characters only (lower-case letters, digits, "-", "."), so it survives
 * all of those unquoted and never reads as an option.
 */
export const FLEET_HOST = /^[a-z0-9](?:[a-z0-9.-]{0,61}[a-z0-9])?$/;

export const checkFleetHost = (s: string) =>
  FLEET_HOST.test(s) ? undefined : `got ${JSON.stringify(s)}; allowed: a host name of 1 to 63 lower-case letters, digits, "-" or ".", starting and ending with a letter or digit (such as rig-7)`;

/** The hub's .env variable that holds a node's token: vmauth reads it through its %{VAR} placeholders. */
export function fleetTokenVar(host: string): string {
  return `FLEET_TOKEN_${host.toUpperCase().replace(/[.-]/g, '_')}`;
}

/** A name or address for a certificate: a host name (dots allowed) or an IP address. */
const checkTlsName = (s: string) =>
  isIpAddress(s) || /^[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$/.test(s) ? undefined : `got ${JSON.stringify(s)}; allowed: a DNS name or an IP address`;

/** A path in the stack folder (relative) or elsewhere (absolute): never an option, never a parent escape. */
const checkFilePath = (s: string) => {
  if (!s) return 'must not be empty';
  if (s.startsWith('-')) return `got ${JSON.stringify(s)}; allowed: a file path, not starting with "-"`;
  return s.split('/').includes('..') ? `got ${JSON.stringify(s)}; allowed: a path without ".."` : undefined;
};

/**
 * An engine URL vmauth forwards to. vmauth fills %{VAR} placeholders from its environment anywhere in
 * its config (lib/envtemplate, v1.79.5 and v1.150.0), and its environment holds the nodes' tokens:
 * a URL with `%{` could send a token to whoever runs that URL.
 */
const checkEngineUrl = (s: string) => {
  if (!s) return undefined;
  return checkHttpUrl(s) ?? (s.includes('%{') ? `got "${s}"; allowed: a URL without "%{" (vmauth would fill in a variable there)` : undefined);
};

const NODE_KEYS = ['role', 'host', 'site', 'hub_url', 'token_file', 'ca_file'];
const HUB_KEYS = ['role', 'engine', 'listen_address', 'nodes', 'tls', 'external'];

/** Defaults a node or hub takes for what its section leaves out (create fills host from this machine's name). */
export const FLEET_DEFAULTS = {
  site: 'default',
  token_file: 'fleet/hub.token',
  ca_file: 'fleet/ca.crt',
  listen_address: '0.0.0.0',
} as const;

function readNode(r: Reader, f: Obj, key: string): FleetNodeSpec {
  r.noUnknownKeys(f, key, NODE_KEYS);
  if (f.host === undefined) r.problem(`${key}.host`, 'required for a node: the name its series carry as `host` and its hub token was made for');
  if (f.hub_url === undefined) r.problem(`${key}.hub_url`, "required for a node: the hub's write endpoint, such as https://hub.example:8427");
  const hubUrl = r.string(f, key, 'hub_url', '', (s) => checkHttpUrl(s) ?? (new URL(s).search || new URL(s).hash ? `got "${s}"; allowed: a URL without ?query or #fragment` : undefined));
  return {
    role: 'node',
    host: r.string(f, key, 'host', '', checkFleetHost),
    site: r.string(f, key, 'site', FLEET_DEFAULTS.site, checkFleetHost),
    hub_url: hubUrl.replace(/\/+$/, ''),
    token_file: r.string(f, key, 'token_file', FLEET_DEFAULTS.token_file, checkFilePath),
    ca_file: r.string(f, key, 'ca_file', FLEET_DEFAULTS.ca_file, (s) => (s === '' ? undefined : checkFilePath(s))),
  };
}

function readHub(r: Reader, f: Obj, key: string): FleetHubSpec {
  r.noUnknownKeys(f, key, HUB_KEYS);
  const tls = r.object(f.tls, `${key}.tls`) ?? {};
  r.noUnknownKeys(tls, `${key}.tls`, ['mode', 'names', 'cert_file', 'key_file']);
  const external = r.object(f.external, `${key}.external`) ?? {};
  r.noUnknownKeys(external, `${key}.external`, ['remote_write_url', 'query_url']);
  const hub: FleetHubSpec = {
    role: 'hub',
    engine: r.oneOf(f, key, 'engine', FLEET_ENGINES, 'victoriametrics'),
    listen_address: r.string(f, key, 'listen_address', FLEET_DEFAULTS.listen_address, (s) =>
      isIpAddress(s) ? undefined : `got "${s}"; allowed: an IPv4 or IPv6 address such as 0.0.0.0`,
    ),
    nodes: [],
    tls: {
      mode: r.oneOf(tls, `${key}.tls`, 'mode', FLEET_TLS_MODES, 'generate'),
      names: [],
      cert_file: r.string(tls, `${key}.tls`, 'cert_file', '', (s) => (s === '' ? undefined : checkFilePath(s))),
      key_file: r.string(tls, `${key}.tls`, 'key_file', '', (s) => (s === '' ? undefined : checkFilePath(s))),
    },
    external: {
      remote_write_url: r.string(external, `${key}.external`, 'remote_write_url', '', checkEngineUrl),
      query_url: r.string(external, `${key}.external`, 'query_url', '', (s) => (s ? checkHttpUrl(s) : undefined)),
    },
  };
  const vars = new Map<string, string>();
  (r.list(f, key, 'nodes') ?? []).forEach((n, i) => {
    const at = `${key}.nodes[${i}]`;
    const wrong = typeof n === 'string' ? checkFleetHost(n) : `got ${describe(n)}; allowed: a host name such as rig-7`;
    if (wrong) return r.problem(at, wrong);
    const name = n as string;
    // rig-7 and rig.7 would share one token variable, so one would write as the other.
    const clash = vars.get(fleetTokenVar(name));
    if (clash !== undefined) return r.problem(at, clash === name ? `${name} is listed twice` : `${name} and ${clash} differ only in "-" and "."; rename one`);
    vars.set(fleetTokenVar(name), name);
    hub.nodes.push(name);
  });
  const names = r.list(tls, `${key}.tls`, 'names') ?? [];
  names.forEach((n, i) => {
    const wrong = typeof n === 'string' ? checkTlsName(n) : `got ${describe(n)}; allowed: a DNS name or an IP address`;
    if (wrong) r.problem(`${key}.tls.names[${i}]`, wrong);
    else hub.tls.names.push(n as string);
  });
  if (hub.tls.mode === 'generate' && names.length === 0) r.problem(`${key}.tls.names`, 'required with tls.mode generate: the names and addresses nodes reach the hub by (the certificate is made for them)');
  if (hub.tls.mode === 'files') {
    if (!hub.tls.cert_file) r.problem(`${key}.tls.cert_file`, 'required with tls.mode files: your certificate (PEM)');
    if (!hub.tls.key_file) r.problem(`${key}.tls.key_file`, 'required with tls.mode files: its private key (PEM)');
  }
  if (hub.engine === 'external') {
    if (!hub.external.remote_write_url) r.problem(`${key}.external.remote_write_url`, "required with engine external: your engine's remote_write URL");
    if (!hub.external.query_url) r.problem(`${key}.external.query_url`, "required with engine external: your engine's Prometheus query API URL");
  } else if (hub.external.remote_write_url || hub.external.query_url) {
    r.problem(`${key}.external`, `only used with engine external; engine is ${hub.engine}`);
  }
  return hub;
}

/** Reads `fleet:`; undefined when absent (a standalone stack). */
export function readFleet(r: Reader, raw: unknown, key = 'fleet'): FleetSpec | undefined {
  const f = r.object(raw, key);
  if (!f) return undefined;
  if (f.role === undefined) {
    r.problem(`${key}.role`, `required; allowed: ${FLEET_ROLES.join(', ')}`);
    return undefined;
  }
  // A role not offered says nothing about which keys belong: only the role is reported.
  if (!(FLEET_ROLES as readonly unknown[]).includes(f.role)) return void r.oneOf(f, key, 'role', FLEET_ROLES, 'node');
  return f.role === 'node' ? readNode(r, f, key) : readHub(r, f, key);
}
