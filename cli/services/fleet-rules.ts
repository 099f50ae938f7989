// The hub's view of its nodes: a node whose series stop arriving. Only a fleet hub loads this file
// (cli/artifacts/rules.ts fleetRuleFile); every node's series carry its `host` and `site` external
// labels, and `up` is one of them for as long as the node's agent scrapes anything.
import type { RuleFileSpec } from '../../profiles/kit/rule-kit.js';

/**
 * How long without a sample counts as silent. Longer than a few scrape intervals, shorter than the
 * default 5 min lookback a bare `up` would need to vanish from an instant query. Windows on both
 * sides of `unless` because a silent node's series have no staleness marker: only explicit ranges
 * tell "seen lately" from "seen at all" the same way in Prometheus (promtool) and MetricsQL.
 */
const SILENT_WINDOW = '2m';
/** How long a node is remembered after it went silent: after that, it is taken as retired. */
const MEMORY_WINDOW = '1d';

export const fleetRules: RuleFileSpec = {
  title: 'fibre-stack fleet hub: nodes that stop sending',
  groups: [
    {
      name: 'fleet-alerts',
      rules: [
        {
          alert: 'FleetNodeSilent',
          expr:
            `group by (host, site) (present_over_time(up{host!=""}[${MEMORY_WINDOW}]))` +
            ` unless group by (host, site) (present_over_time(up{host!=""}[${SILENT_WINDOW}]))`,
          for: '3m',
          severity: 'critical',
          summary: 'Node {{ $labels.host }} (site {{ $labels.site }}) has gone silent',
          description:
            `No sample from {{ $labels.host }} has reached the hub for over 5 minutes although it sent during the last day: the node, its agent or the network to the hub is down, or the hub refuses its token.`,
        },
      ],
    },
  ],
};
