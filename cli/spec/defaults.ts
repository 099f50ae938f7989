import type {
  BitcoindProfileSpec,
  CoreService,
  MinerProfileSpec,
  NodeosProfileSpec,
  ProfileId,
  ScrapeProfileSpec,
  StackSpec,
} from './types.js';

// Pinned image tags: what users run must not move under them. Update these deliberately, together.
export const DEFAULT_IMAGES: StackSpec['images'] = {
  prometheus: 'prom/prometheus:v3.7.3',
  alertmanager: 'prom/alertmanager:v0.29.0',
  grafana: 'grafana/grafana:12.3.0',
  // 3.7 is the first line whose binary checks itself (`loki -health`): its images are distroless.
  loki: 'grafana/loki:3.7.2',
  alloy: 'grafana/alloy:v1.11.3',
  // Promtail reached end of life on 2026-03-02; 3.6.x is its last line.
  promtail: 'grafana/promtail:3.6.0',
  exporter: 'fibre-stack-exporter:0.1.0',
};

export const DEFAULT_PORTS: Record<CoreService, number> = {
  prometheus: 9090,
  alertmanager: 9093,
  grafana: 3000,
  loki: 3100,
  alloy: 12345,
  promtail: 9080,
};

// The FIBRE exporter keeps the original's 9435; the others sit beside it so that native mode,
// where everything shares one host, has no clash (the original miner exporter's 9090 is
// Prometheus's port).
export const DEFAULT_EXPORTER_PORTS = {
  fibre: 9435,
  'bitcoin-core': 9437,
  miner: 9439,
} as const;

export function defaultBitcoindProfile(id: 'fibre' | 'bitcoin-core'): BitcoindProfileSpec {
  return {
    node_name: 'localhost',
    bitcoind: '/usr/local/bin/bitcoind',
    bitcoin_datadir: '/home/bitcoin/.bitcoin',
    exporter_port: DEFAULT_EXPORTER_PORTS[id],
    source: 'ebpf',
    replay_file: '',
  };
}

export function defaultMinerProfile(): MinerProfileSpec {
  return {
    bitstream: 'tokenminer',
    logs: [{ path: '/var/log/whitefire/miner.log', card: 'card0' }],
    exporter_port: DEFAULT_EXPORTER_PORTS.miner,
    stale_after_seconds: 120,
  };
}

export function defaultNodeosProfile(): NodeosProfileSpec {
  return { node_name: 'localhost', url: 'http://127.0.0.1:8888' };
}

export function defaultScrapeProfile(): ScrapeProfileSpec {
  return { targets: [] };
}

export function defaultProfile(id: ProfileId): NonNullable<StackSpec['profiles'][ProfileId]> {
  switch (id) {
    case 'fibre':
    case 'bitcoin-core':
      return defaultBitcoindProfile(id);
    case 'miner':
      return defaultMinerProfile();
    case 'nodeos':
      return defaultNodeosProfile();
    case 'scrape':
      return defaultScrapeProfile();
  }
}

export function defaultSpec(): StackSpec {
  return {
    version: 1,
    project: 'fibre-stack',
    mode: 'docker',
    log_agent: 'alloy',
    bind_address: '127.0.0.1',
    retention: { metrics: '15d', logs: '168h' },
    ports: { ...DEFAULT_PORTS },
    images: { ...DEFAULT_IMAGES },
    alerting: { receiver: 'none', webhook_url: '' },
    disabled_services: [],
    profiles: { fibre: defaultBitcoindProfile('fibre') },
  };
}
