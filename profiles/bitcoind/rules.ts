// Alerts on validation:block_connected, which FIBRE bitcoind and Bitcoin Core both fire.
import type { AlertSpec } from '../kit/rule-kit.js';
import { MACHINE } from '../kit/machine-labels.js';

/** The runbook of these alerts, shared by fibre and bitcoin-core (see RunbookPart). */
export const BLOCK_FLOW_RUNBOOK = 'profiles/bitcoind/runbook.md';

/** Two hours without a block: about e^-12 likely on a healthy node (blocks average 10 minutes). */
const NO_BLOCK_WINDOW = '2h';
const NO_BLOCK_SECONDS = 7200;

export function blockConnectedAlerts(job: string, prefix: string): AlertSpec[] {
  const sel = `job="${job}"`;
  return [
    {
      alert: `${prefix}NoBlockConnected`,
      // Only once the exporter has run for the whole window: a fresh start has seen nothing yet.
      expr: `increase(bitcoin_blocks_connected_total{${sel}}[${NO_BLOCK_WINDOW}]) == 0 and on (job, ${MACHINE}, instance) (time() - fibre_exporter_start_time_seconds{${sel}}) > ${NO_BLOCK_SECONDS}`,
      for: '5m',
      severity: 'critical',
      summary: `No block connected on {{ $labels.node }} for ${NO_BLOCK_WINDOW}`,
      description: `bitcoind on {{ $labels.node }} has connected no block in ${NO_BLOCK_WINDOW}. It may be stuck, out of peers, or no longer traced.`,
    },
    {
      alert: `${prefix}SlowBlockConnection`,
      expr: `histogram_quantile(0.95, sum by (le, job, ${MACHINE}, node) (rate(bitcoin_block_connection_duration_seconds_bucket{${sel}}[1h]))) > 2.5`,
      for: '30m',
      severity: 'warning',
      summary: `Slow block connection on {{ $labels.node }}`,
      description: `95% of blocks took up to {{ $value | humanizeDuration }} to connect over the last hour (threshold 2.5 s).`,
    },
  ];
}
