// Bitcoin Core alerts: exporter health, block flow, peers.
import type { RuleFileSpec } from '../kit/rule-kit.js';
import { exporterAlerts } from '../kit/exporter-rules.js';
import { blockConnectedAlerts } from '../bitcoind/rules.js';
import { bitcoinCoreConfig } from './config.js';
import { MACHINE } from '../kit/machine-labels.js';

const { sel, job, alertPrefix } = bitcoinCoreConfig;

export const bitcoinCoreRules: RuleFileSpec = {
  title: 'Bitcoin Core: exporter health, block flow, peers',
  groups: [
    {
      name: 'bitcoin-core-alerts',
      rules: [
        ...exporterAlerts(job, alertPrefix, { probes: true }),
        ...blockConnectedAlerts(job, alertPrefix),
        {
          alert: 'BitcoinCoreNoInboundMessages',
          expr: `sum by (job, ${MACHINE}, node) (rate(bitcoin_net_messages_total{${sel}, direction="inbound"}[15m])) == 0`,
          for: '15m',
          severity: 'warning',
          summary: 'Bitcoin Core on {{ $labels.node }} receives no P2P messages',
          description: 'No inbound P2P message for 15 minutes: the node has likely lost all its peers or its network.',
        },
        {
          alert: 'BitcoinCoreMisbehavingPeers',
          expr: `sum by (job, ${MACHINE}, node) (increase(bitcoin_net_misbehaving_total{${sel}}[1h])) > 20`,
          severity: 'info',
          summary: 'Many misbehaving peers on {{ $labels.node }}',
          description: '{{ $value | humanize }} peers were reported misbehaving in the last hour.',
        },
      ],
    },
  ],
};
