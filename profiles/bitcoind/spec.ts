// The `profiles.fibre` and `profiles.bitcoin-core` sections of fibre-stack.yml: one shape, as both
// watch a bitcoind.
import { checkAbsolutePath, checkNodeName } from '../../core/spec/checks.js';
import { join, type Reader } from '../../core/spec/reader.js';

export const EXPORTER_SOURCES = ['ebpf', 'replay'] as const;
export type ExporterSource = (typeof EXPORTER_SOURCES)[number];

export interface BitcoindProfileSpec {
  node_name: string;
  /** Where the exporter reads USDT probes from: the bitcoind binary. */
  bitcoind: string;
  /** Where the log agent finds debug.log. */
  bitcoin_datadir: string;
  exporter_port: number;
  /** `ebpf` traces a live bitcoind; `replay` plays recorded events (the demo). */
  source: ExporterSource;
  /** The JSON-lines recording `source: replay` plays; empty for the sample shipped for the profile. */
  replay_file: string;
  /** bitcoind's P2P and RPC ports on this host, which the synthetic checks try to connect to (mainnet's by default). */
  p2p_port: number;
  rpc_port: number;
}

export function bitcoindDefaults(exporterPort: number): BitcoindProfileSpec {
  return {
    node_name: 'localhost',
    bitcoind: '/usr/local/bin/bitcoind',
    bitcoin_datadir: '/home/bitcoin/.bitcoin',
    exporter_port: exporterPort,
    source: 'ebpf',
    replay_file: '',
    p2p_port: 8333,
    rpc_port: 8332,
  };
}

export function readBitcoind(r: Reader, value: unknown, key: string, base: BitcoindProfileSpec): BitcoindProfileSpec {
  const o = r.object(value, key) ?? {};
  r.noUnknownKeys(o, key, Object.keys(base));
  const spec: BitcoindProfileSpec = {
    node_name: r.string(o, key, 'node_name', base.node_name, checkNodeName),
    bitcoind: r.string(o, key, 'bitcoind', base.bitcoind, checkAbsolutePath),
    bitcoin_datadir: r.string(o, key, 'bitcoin_datadir', base.bitcoin_datadir, checkAbsolutePath),
    exporter_port: r.port(o, key, 'exporter_port', base.exporter_port),
    source: r.oneOf(o, key, 'source', EXPORTER_SOURCES, base.source),
    replay_file: r.string(o, key, 'replay_file', base.replay_file),
    p2p_port: r.port(o, key, 'p2p_port', base.p2p_port),
    rpc_port: r.port(o, key, 'rpc_port', base.rpc_port),
  };
  if (spec.replay_file && !spec.replay_file.startsWith('/')) {
    r.problem(join(key, 'replay_file'), `got "${spec.replay_file}"; allowed: an absolute path, or empty for the bundled sample`);
  }
  return spec;
}
