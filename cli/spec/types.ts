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
}

/** Secrets are never part of the spec: they live in .env, made at the edge and passed in. */
export interface StackSecrets {
  grafanaAdminPassword: string;
}
