import type { StackSpec } from '../spec/types.js';
import { dumpYaml } from '../../core/encode/yaml.js';
import { generatedFromSpec } from '../../core/generated.js';
import type { RenderedFile } from './types.js';

export function renderAlertmanager(spec: StackSpec): RenderedFile[] {
  const webhook = spec.alerting.receiver === 'webhook';
  // On a fleet hub the same alert fires on many machines: one notification per machine, and a
  // critical alert silences warnings of its own machine only.
  const fleet = spec.fleet?.role === 'hub' ? ['host'] : [];
  const receiver = webhook ? 'webhook' : 'none';
  const config = {
    route: {
      receiver,
      group_by: ['alertname', 'job', 'node', ...fleet],
      group_wait: '30s',
      group_interval: '5m',
      repeat_interval: '4h',
    },
    // `none` keeps alerts visible in Alertmanager and Grafana without sending them anywhere.
    receivers: [webhook ? { name: receiver, webhook_configs: [{ url: spec.alerting.webhook_url, send_resolved: true }] } : { name: receiver }],
    inhibit_rules: [
      // A critical alert silences the warnings of the same target (and card, for a miner): no
      // alert name fires at two severities, so the name is not among the labels that must match
      // (MinerTemperatureCritical silences MinerTemperatureHigh, FibreNoBlockConnected
      // FibreSlowBlockConnection). A label neither alert has counts as equal.
      { source_matchers: ['severity="critical"'], target_matchers: ['severity="warning"'], equal: ['job', 'instance', 'card', ...fleet] },
    ],
  };
  return [{ path: 'alertmanager/alertmanager.yml', content: dumpYaml(config, generatedFromSpec('#')) }];
}

export function alertmanagerFlags(paths: { config: string; data: string; listen: string }, retention = '120h'): string[] {
  // An empty cluster address turns off gossip: a single Alertmanager needs no peers and no port 9094.
  return [`--config.file=${paths.config}`, `--storage.path=${paths.data}`, `--web.listen-address=${paths.listen}`, `--data.retention=${retention}`, "--cluster.listen-address="];
}
