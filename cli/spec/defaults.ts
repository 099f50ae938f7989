import type {
  BitcoindProfileSpec,
  MinerProfileSpec,
  NodeosProfileSpec,
  ProfileId,
  ScrapeProfileSpec,
  StackSpec,
} from './types.js';
import { DEFAULT_IMAGES, DEFAULT_PORTS } from '../services/table.js';

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
