// The stack spec: the typed form of `fibre-stack.yml`, the single source of truth for a stack.
// Keys are snake_case in the file, as Prometheus and Grafana configs are, and kept so here so
// that an error message can name the key exactly as the user wrote it.
import type { CoreService } from '../services/table.js';

export const PROFILE_IDS = ['fibre', 'bitcoin-core', 'miner', 'nodeos', 'scrape'] as const;
export type ProfileId = (typeof PROFILE_IDS)[number];

export const MODES = ['docker', 'native'] as const;
export type Mode = (typeof MODES)[number];

export const LOG_AGENTS = ['alloy', 'promtail'] as const;
export type LogAgent = (typeof LOG_AGENTS)[number];

export const BITSTREAMS = ['tokenminer', 'rb4', 'nimiq'] as const;
export type Bitstream = (typeof BITSTREAMS)[number];

export const EXPORTER_SOURCES = ['ebpf', 'replay'] as const;
export type ExporterSource = (typeof EXPORTER_SOURCES)[number];

/** A bitcoind-backed profile: FIBRE or mainline Bitcoin Core. */
export interface BitcoindProfileSpec {
  node_name: string;
  /** Where the exporter reads USDT probes from: the bitcoind binary. */
  bitcoind: string;
  /** Where the log agent finds debug.log. */
  bitcoin_datadir: string;
  exporter_port: number;
  /** `ebpf` traces a live bitcoind; `replay` plays recorded events (the demo). */
  source: ExporterSource;
  /** The JSON-lines recording `source: replay` plays; empty for the sample shipped in the image. */
  replay_file: string;
}

export interface MinerLogSpec {
  path: string;
  card: string;
}

export interface MinerProfileSpec {
  bitstream: Bitstream;
  logs: MinerLogSpec[];
  exporter_port: number;
  /** Seconds without growth after which a log counts as stale. */
  stale_after_seconds: number;
}

export interface NodeosProfileSpec {
  node_name: string;
  /** Base URL of nodeos's http_plugin, e.g. http://127.0.0.1:8888 */
  url: string;
}

export interface ScrapeProfileSpec {
  targets: string[];
}

export interface ProfilesSpec {
  fibre?: BitcoindProfileSpec;
  'bitcoin-core'?: BitcoindProfileSpec;
  miner?: MinerProfileSpec;
  nodeos?: NodeosProfileSpec;
  scrape?: ScrapeProfileSpec;
}

export interface AlertingSpec {
  receiver: 'none' | 'webhook';
  webhook_url: string;
}

export interface StackSpec {
  version: 1;
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
  profiles: ProfilesSpec;
}

/** Secrets are never part of the spec: they live in .env, made at the edge and passed in. */
export interface StackSecrets {
  grafanaAdminPassword: string;
}
