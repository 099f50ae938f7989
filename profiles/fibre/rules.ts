// FIBRE relay alerts and the recording rules its dashboard's race view reads.
import type { RuleFileSpec } from '../kit/rule-kit.js';
import { exporterAlerts } from '../kit/exporter-rules.js';
import { blockConnectedAlerts } from '../bitcoind/rules.js';
import { fibreConfig } from './config.js';
import { MACHINE } from '../kit/machine-labels.js';

const { sel, job, alertPrefix } = fibreConfig;

export const fibreRules: RuleFileSpec = {
  title: 'FIBRE relay: exporter health, block flow, reconstruction and races',
  groups: [
    {
      name: 'fibre-recording',
      rules: [
        // One hour of race outcomes per node and mechanism: the dashboard's win share and the alert read it.
        { record: 'node_mechanism:fibre_block_race_wins:increase1h', expr: `sum by (job, ${MACHINE}, node, mechanism) (increase(fibre_block_race_wins_total{${sel}}[1h]))` },
        { record: 'node:fibre_block_reconstruction_duration_seconds:p95_1h', expr: `histogram_quantile(0.95, sum by (le, job, ${MACHINE}, node) (rate(fibre_block_reconstruction_duration_seconds_bucket{${sel}}[1h])))` },
      ],
    },
    {
      name: 'fibre-alerts',
      rules: [
        ...exporterAlerts(job, alertPrefix, { probes: true }),
        ...blockConnectedAlerts(job, alertPrefix),
        {
          alert: 'FibreReconstructionSlow',
          expr: 'node:fibre_block_reconstruction_duration_seconds:p95_1h > 1',
          for: '30m',
          severity: 'warning',
          summary: 'Slow FIBRE block reconstruction on {{ $labels.node }}',
          description: '95% of blocks took up to {{ $value | humanizeDuration }} from first header packet to reconstruction over the last hour (threshold 1 s). Check packet loss and the FEC peers.',
        },
        {
          alert: 'FibreUdpNeverWins',
          // Races happened (compact blocks won some) but FIBRE/UDP won none: the UDP path is likely broken.
          expr: `sum by (job, ${MACHINE}, node) (node_mechanism:fibre_block_race_wins:increase1h{mechanism="bip152_cmpct"}) >= 3 unless on (job, ${MACHINE}, node) sum by (job, ${MACHINE}, node) (node_mechanism:fibre_block_race_wins:increase1h{mechanism="fibre_udp"}) > 0`,
          for: '1h',
          severity: 'warning',
          summary: 'FIBRE/UDP won no block race on {{ $labels.node }} for an hour',
          description: 'Compact blocks won {{ $value }} races in the last hour and FIBRE/UDP none. Check UDP reachability, the FIBRE peers and their bandwidth settings.',
        },
      ],
    },
  ],
};
