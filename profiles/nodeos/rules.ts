// Antelope nodeos alerts: head and LIB progress, peers.
import type { RuleFileSpec } from '../kit/rule-kit.js';
import { nodeosConfig } from './config.js';

const { sel } = nodeosConfig;

export const nodeosRules: RuleFileSpec = {
  title: 'Antelope nodeos: head and LIB progress, peers',
  groups: [
    {
      name: 'nodeos-alerts',
      rules: [
        {
          alert: 'NodeosDown',
          expr: `up{${sel}} == 0`,
          for: '5m',
          severity: 'critical',
          summary: 'nodeos {{ $labels.node }} cannot be scraped',
          description: 'Prometheus has not scraped nodeos at {{ $labels.instance }} for 5 minutes. nodeos may be down, or prometheus_plugin not enabled.',
        },
        {
          alert: 'NodeosHeadNotAdvancing',
          // Antelope chains make a block every 0.5 s, so five minutes without one is an outage.
          expr: `changes(nodeos_head_block_num{${sel}}[5m]) == 0`,
          for: '2m',
          severity: 'critical',
          summary: 'Head block of {{ $labels.node }} is not advancing',
          description: 'nodeos on {{ $labels.node }} has not applied a block for 7 minutes. It may be out of sync, out of peers or stuck.',
        },
        {
          alert: 'NodeosLibNotAdvancing',
          expr: `changes(nodeos_last_irreversible{${sel}}[10m]) == 0`,
          for: '5m',
          severity: 'critical',
          summary: 'Last irreversible block of {{ $labels.node }} is not advancing',
          description: 'LIB on {{ $labels.node }} has not moved for 15 minutes: finality has stalled on this node or on the chain.',
        },
        {
          alert: 'NodeosLibLagging',
          expr: `nodeos_head_block_num{${sel}} - nodeos_last_irreversible{${sel}} > 1000`,
          for: '10m',
          severity: 'warning',
          summary: 'LIB of {{ $labels.node }} lags head by {{ $value }} blocks',
          description: 'The last irreversible block is more than 1000 blocks behind head for 10 minutes; finality is slow.',
        },
        {
          alert: 'NodeosNoPeers',
          expr: `nodeos_p2p_peers{${sel}} == 0`,
          for: '10m',
          severity: 'warning',
          summary: 'nodeos {{ $labels.node }} has no P2P peers',
          description: 'No P2P connection for 10 minutes; check p2p-peer-address settings and the network.',
        },
      ],
    },
  ],
};
