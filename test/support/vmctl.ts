// The history import of docs/fleet.md ("Upgrading a standalone stack to a node"): `vmctl
// prometheus` from Debian trixie (VictoriaMetrics 1.112), run from its local image on the host's
// network. Not Debian 12's 1.79.5: its workers, told to stop, may take the stop before the series
// still queued for them and drop those (VictoriaMetrics/VictoriaMetrics@v1.79.5:app/vmctl/vm/vm.go,
// startWorker's select; drained since 05cf8a6ecc, first released in v1.85.0), which lost the last
// series of a snapshot in about one upgrade test in three.
import { spawnSync } from 'node:child_process';
import { TRIXIE_VMCTL_IMAGE } from './images.js';

export interface VmctlImport {
  status: number | null;
  /** What vmctl printed, stdout then stderr. */
  output: string;
  /** The snapshot's sample count, from vmctl's "Prometheus snapshot stats" (app/vmctl/prometheus/stats.go). */
  snapshotSamples?: number;
  /** The samples vmctl sent, from its "VictoriaMetrics importer stats" (app/vmctl/vm/stats.go). */
  sentSamples?: number;
}

/**
 * Imports a Prometheus snapshot (or TSDB folder) into VictoriaMetrics at `vmAddr` with `labels`
 * added to every series. The folder is mounted read-write at its own path: the TSDB reader makes
 * a sandbox folder in it (prometheus/prometheus tsdb.OpenDBReadOnly).
 */
export function vmctlPrometheus(snapshot: string, vmAddr: string, labels: Record<string, string>): VmctlImport {
  const r = spawnSync('docker', [
    'run', '--rm', '--network', 'host', '--user', '0', '-v', `${snapshot}:${snapshot}`, TRIXIE_VMCTL_IMAGE,
    'prometheus', '-s', '--disable-progress-bar', `--prom-snapshot=${snapshot}`, `--vm-addr=${vmAddr}`,
    ...Object.entries(labels).map(([k, v]) => `--vm-extra-label=${k}=${v}`),
  ], { encoding: 'utf8', timeout: 120_000 });
  const output = `${r.stdout}${r.stderr}`;
  const count = (re: RegExp) => { const m = re.exec(output); return m ? Number(m[1]) : undefined; };
  return { status: r.status, output, snapshotSamples: count(/^\s*samples: (\d+);/m), sentSamples: count(/^\s*total samples: (\d+);/m) };
}
