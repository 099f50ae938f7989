// The stack spec: the typed form of `fibre-stack.yml`, the single source of truth for a stack.
// Keys are snake_case in the file, as Prometheus and Grafana configs are, and kept so here so
// that an error message can name the key exactly as the user wrote it.
import type { CoreService, LogAgent } from '../services/table.js';
import { PROFILE_LIST, type ProfileId } from '../../profiles/registry.js';
import type { SettingsOf } from '../../profiles/types.js';
import type { SPEC_VERSION } from './versions.js';
import type { AlertingSpec } from './alerting.js';

export const MODES = ['docker', 'native'] as const;
export type Mode = (typeof MODES)[number];

/** How `create` describes each run mode where the user chooses one (its prompt and --help). */
export const MODE_NOTES: Record<Mode, string> = {
  docker: 'docker compose',
  native: 'processes on this host',
};

// The log agents are the core services whose role is log-agent in the table.
export { LOG_AGENTS, type LogAgent } from '../services/table.js';

export type { ProfileId };
/** The profiles' ids, in registry order. */
export const PROFILE_IDS = PROFILE_LIST.map((p) => p.id) as readonly ProfileId[];

type ProfileOf<Id extends ProfileId> = Extract<(typeof PROFILE_LIST)[number], { id: Id }>;

/** A profile's section of the spec, e.g. ProfileSettings<'miner'>: its type lives in its folder. */
export type ProfileSettings<Id extends ProfileId> = SettingsOf<ProfileOf<Id>>;

/** `profiles:`, a section per chosen profile: its nodes, one or more, in the order given. */
export type ProfilesSpec = { [Id in ProfileId]?: ProfileSettings<Id>[] };

export type { AlertingSpec, ReceiverSpec, ReceiverType, Severity } from './alerting.js';

/** What a stack is in a fleet (`fleet.role`); a spec without `fleet:` is a standalone stack. */
export const FLEET_ROLES = ['node', 'hub'] as const;
export type FleetRole = (typeof FLEET_ROLES)[number];

/** Where a hub keeps the fleet's metrics: VictoriaMetrics single-node (default), Mimir monolithic, or one the user runs. */
export const FLEET_ENGINES = ['victoriametrics', 'mimir', 'external'] as const;
export type FleetEngine = (typeof FLEET_ENGINES)[number];

/** How a hub's write endpoint speaks TLS: a CA and certificate `create` makes, the user's own files, or plain HTTP. */
export const FLEET_TLS_MODES = ['generate', 'files', 'off'] as const;
export type FleetTlsMode = (typeof FLEET_TLS_MODES)[number];

/** A fleet node: scrapes locally (Prometheus in agent mode), ships metrics and logs to its hub. */
export interface FleetNodeSpec {
  role: 'node';
  /** External label `host` on every series and log line it sends; the name its hub token is made for. */
  host: string;
  /** External label `site`. */
  site: string;
  /** The hub's write endpoint (its vmauth): metrics to <hub_url>/api/v1/write, logs to <hub_url>/loki/api/v1/push. */
  hub_url: string;
  /** Bearer token file in the stack folder, copied from the hub (its fleet/nodes/<host>.token). */
  token_file: string;
  /** CA the hub's certificate is checked against, in the stack folder; empty: the system's CAs. */
  ca_file: string;
}

/** A fleet hub: receives every node's metrics and logs, evaluates the rules, shows the dashboards. */
export interface FleetHubSpec {
  role: 'hub';
  engine: FleetEngine;
  /** Where the write endpoint (vmauth) listens: the one service nodes reach. Every other service stays on bind_address. */
  listen_address: string;
  /** The nodes allowed to write, one bearer token each (a node's token pins its `host` label with VictoriaMetrics). */
  nodes: string[];
  tls: {
    mode: FleetTlsMode;
    /** Names and addresses nodes reach the hub by, put in a generated certificate. */
    names: string[];
    /** The user's certificate and key (mode files), paths in the stack folder or absolute. */
    cert_file: string;
    key_file: string;
  };
  /** engine external: where nodes' metrics are written and where Grafana and the rules read them. */
  external: { remote_write_url: string; query_url: string };
}

export type FleetSpec = FleetNodeSpec | FleetHubSpec;

export interface StackSpec {
  version: typeof SPEC_VERSION;
  /** Compose project name and prefix of everything the stack creates. */
  project: string;
  mode: Mode;
  log_agent: LogAgent;
  /** Address published ports bind to. Loopback unless the user asks otherwise. */
  bind_address: string;
  retention: { metrics: string; logs: string };
  ports: Record<CoreService, number>;
  images: Record<CoreService | 'exporter', string>;
  alerting: AlertingSpec;
  /**
   * Core services the user runs elsewhere or not at all (say, an existing Grafana). Disabling
   * loki also drops the log agent, which would have nowhere to send.
   */
  disabled_services: CoreService[];
  /** Runs the blackbox exporter, probing what users reach (nodeos's API, bitcoind's ports, the stack's UIs). */
  synthetic_checks: boolean;
  profiles: ProfilesSpec;
  /** Absent: a standalone stack. */
  fleet?: FleetSpec;
}

/** Secrets are never part of the spec: they live in .env, made at the edge and passed in. */
export interface StackSecrets {
  grafanaAdminPassword: string;
  /** A hub's bearer token per node, by its .env variable (fleetTokenVar; none on other stacks). */
  fleetTokens?: Readonly<Record<string, string>>;
}
