// Antelope nodeos alerts: head and LIB progress, P2P traffic, and targets this profile cannot read
// (leap 4.0). Names and meanings are spring's prometheus_plugin (profiles/nodeos/metrics.ts).
import type { RuleFileSpec } from '../kit/rule-kit.js';
import { nodeosConfig } from './config.js';
import { MACHINE } from '../kit/machine-labels.js';

const { sel } = nodeosConfig;

/** No byte from any P2P connection for this long: the node is cut off (blocks come every 0.5 s). */
const SILENT_SECONDS = 300;

export const nodeosRules: RuleFileSpec = {
  title: 'Antelope nodeos: head and LIB progress, P2P traffic',
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
          description: 'Prometheus has not scraped nodeos at {{ $labels.instance }} for 5 minutes. nodeos may be down, prometheus_plugin not enabled, or the Host header refused (HTTP 400: set http-alias).',
        },
        {
          alert: 'NodeosHeadNotAdvancing',
          // Antelope chains make a block every 0.5 s, so five minutes without one is an outage.
          // While syncing nodeos reports head every 1000 blocks (minutes at most); while replaying never.
          expr: `changes(nodeos_head_block_num{${sel}}[5m]) == 0`,
          for: '2m',
          severity: 'critical',
          summary: 'Head block of {{ $labels.node }} is not advancing',
          description: 'nodeos on {{ $labels.node }} has not reported a new head block for 7 minutes. It may be out of sync, cut off from its peers, stuck, or replaying.',
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
          // nodeos_p2p_peers counts configured outgoing connections even while they are down, and
          // is 0 on a node with inbound clients only (spring net_plugin.cpp 5021-5031), so it
          // cannot say "no peer". What can: no connection at all, or nothing received on any
          // connection (last_bytes_received, ns since the epoch; closed connections keep their
          // old value, so the newest across them is the one that counts).
          expr: `(time() - max by (job, ${MACHINE}, instance, node) (nodeos_p2p_last_bytes_received{${sel}}) / 1e9 > ${SILENT_SECONDS}) or (nodeos_p2p_peers{${sel}} + nodeos_p2p_clients{${sel}} == 0)`,
          for: '10m',
          severity: 'warning',
          summary: 'nodeos {{ $labels.node }} receives nothing from the P2P network',
          description: 'For 10 minutes nodeos on {{ $labels.node }} has had no P2P connection, or has received no byte on any of them for over 5 minutes. Check p2p-peer-address, the peers, the firewall and `cleos net peers`.',
        },
        {
          alert: 'NodeosLeap4Metrics',
          // leap 4.0 serves head_block_num, num_peers, ... (no nodeos_ prefix) on its own port
          // 9101 (AntelopeIO/leap@v4.0.6 prometheus_plugin.cpp 227-231); none of this profile's
          // panels or other alerts can read them.
          expr: `max by (job, ${MACHINE}, instance, node) (head_block_num{${sel}})`,
          for: '5m',
          severity: 'warning',
          summary: 'nodeos {{ $labels.node }} serves leap 4.0 metrics, which this profile does not chart',
          description: 'The target {{ $labels.instance }} serves leap 4.0 names (head_block_num, num_peers, ...), not the nodeos_* names of leap 5 and spring: the dashboard stays empty and the other nodeos alerts cannot fire. Upgrade nodeos to leap 5 or spring 1.x.',
        },
      ],
    },
  ],
};
