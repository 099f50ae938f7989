// Alerts on the synthetic checks (cli/render/probes.ts): one per kind of check, as bad as what
// fails. Each probe's series carries its `check` label; a stack without the blackbox exporter has
// no probe_success series, and no alert.
import type { AlertSpec, RuleGroupSpec } from '../../profiles/kit/rule-kit.js';
import type { ProbeCheck } from '../../profiles/types.js';
/** The Prometheus job of the probes (cli/render/probes.ts). */
export const PROBE_JOB = 'probe';

const FOR = '5m';

function probeFailing(check: ProbeCheck, alert: string, severity: AlertSpec['severity'], summary: string, impact: string): AlertSpec {
  return {
    alert,
    expr: `probe_success{job="${PROBE_JOB}", check="${check}"} == 0`,
    for: FOR,
    severity,
    summary,
    description: `Every probe of {{ $labels.instance }} has failed for 5 minutes. ${impact}`,
  };
}

const ALERTS: Record<ProbeCheck, AlertSpec> = {
  nodeos_api: probeFailing('nodeos_api', 'NodeosApiProbeFailing', 'critical', 'nodeos {{ $labels.node }} does not answer get_info with a head block',
    'Wallets and apps using this node get errors or a node that has applied no block.'),
  bitcoind_p2p: probeFailing('bitcoind_p2p', 'BitcoindP2pProbeFailing', 'critical', 'bitcoind {{ $labels.node }} refuses P2P connections at {{ $labels.instance }}',
    'Peers cannot connect: the node neither receives nor relays blocks from new connections.'),
  bitcoind_rpc: probeFailing('bitcoind_rpc', 'BitcoindRpcProbeFailing', 'warning', 'bitcoind {{ $labels.node }} refuses RPC connections at {{ $labels.instance }}',
    'Tools and services using its RPC (wallets, pools, scripts) fail.'),
  stack_ui: probeFailing('stack_ui', 'StackUiProbeFailing', 'warning', '{{ $labels.service }} does not answer at {{ $labels.instance }}',
    'People cannot open it, though its own process may still be up.'),
};

export const probeRules: RuleGroupSpec = { name: 'synthetic-checks', rules: Object.values(ALERTS) };

/** The alert of a kind of check. */
export const probeAlert = (check: ProbeCheck): string => ALERTS[check].alert;
