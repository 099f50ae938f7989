// The exporter of a bitcoind-backed profile: its options (beside the common ones), and how a stack
// runs it, tracing bitcoind or replaying a recording. Light on purpose: the collector itself is
// loaded only when it runs.
import type { EbpfExporterOptions, OptionDecls } from '../../exporter/index.js';
import type { ExporterDef } from '../types.js';
import type { BitcoindProfileSpec } from './spec.js';

const bitcoindOptions = {
  bitcoind: { kind: 'string', alias: 'b', required: true, describe: 'Path of the bitcoind binary whose tracepoints are read.' },
  pid: { kind: 'int', alias: 'p', min: 1, describe: 'PID of the running bitcoind (found from /proc/*/exe when absent); once it exits, its node (data folder) is followed.' },
  datadir: {
    kind: 'string',
    describe: 'Data folder of the node to watch, where its bitcoind.pid and debug.log are (the chain subfolder, e.g. ~/.bitcoin/signet): told apart from other bitcoind processes of the same binary by it, and followed across restarts.',
  },
  bpftrace: { kind: 'string', describe: 'The bpftrace executable (or a wrapper taking the same arguments); the one on PATH when absent.' },
} as const satisfies OptionDecls;

export interface BitcoindExporterParts {
  /** The default /metrics port; the health-only port is the next one. */
  port: number;
  describe: string;
  /** Loads and runs the profile's collector. */
  collect(opts: EbpfExporterOptions): Promise<void>;
}

export function bitcoindExporter(id: string, parts: BitcoindExporterParts): ExporterDef<BitcoindProfileSpec, typeof bitcoindOptions> {
  return {
    service: `${id}-exporter`,
    port: parts.port,
    healthPort: parts.port + 1,
    ebpf: true,
    describe: parts.describe,
    configAlias: 'c',
    options: bitcoindOptions,
    run: (common, values) => parts.collect({ ...common, bitcoind: values.bitcoind, pid: values.pid, datadir: values.datadir, bpftrace: values.bpftrace }),
    invocation: (p) => {
      const common = { nodeName: p.node_name, port: p.exporter_port };
      if (p.source === 'replay') {
        // The replay exporter serves the same metrics from a recording: no bitcoind, no eBPF.
        // Without a recording of its own, the sample shipped for this profile, named by its id.
        const file = p.replay_file || id;
        return { command: 'replay', values: { file, loop: true, ...common }, hostPaths: p.replay_file ? [p.replay_file] : [] };
      }
      // The data folder names the node among the bitcoind processes of one binary. It is not
      // mounted into a container (it holds the wallet): there the node is told by the command
      // line of its process, on the host also by its bitcoind.pid.
      // No health-only port (its default is port + 1): a stack checks /health on the metrics port,
      // and a second port per node would be one more for the nodes to clash on. The exporter opens
      // none when both are the same (exporter/http.ts).
      return { command: 'collector', values: { bitcoind: p.bitcoind, datadir: p.bitcoin_datadir, ...common, healthPort: p.exporter_port }, hostPaths: [p.bitcoind] };
    },
  };
}
