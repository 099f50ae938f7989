// The synthetic checks as a Prometheus job: every probe of the profiles (nodeos's API, bitcoind's
// ports) and of the stack's own UIs, asked through the blackbox exporter's /probe. Each target
// group carries its module as `__param_module`, which Prometheus sends as the `module` URL
// parameter (prometheus/prometheus@v2.42.0 and @v3.14.0: scrape/target.go, ParamLabelPrefix).
import type { StackSpec } from '../spec/types.js';
import type { Probe, ProfileDef, ScrapeJob } from '../../profiles/types.js';
import { addressing, serviceAddress } from './addressing.js';
import { CORE_SERVICES, enabledServices } from '../services/table.js';
import { PROBE_JOB } from '../services/probe-rules.js';

/** The stack's services with a page users open, at their readiness path (the blackbox exporter runs beside them). */
function stackUiProbes(spec: StackSpec): Probe[] {
  return enabledServices(spec)
    .filter((s) => CORE_SERVICES[s].uiPath && CORE_SERVICES[s].role !== 'synthetic-checks')
    .map((s) => ({ check: 'stack_ui', module: 'http_2xx', target: `http://${serviceAddress(spec, s)}${CORE_SERVICES[s].readyPath}`, labels: { service: s } }));
}

/** Every probe of the stack: its own UIs, then each of its profiles' (enabledProfiles in stack-profiles.ts). */
export function stackProbes(spec: StackSpec, profiles: readonly { def: ProfileDef; settings: unknown }[]): Probe[] {
  const at = addressing(spec);
  return [...stackUiProbes(spec), ...profiles.flatMap(({ def, settings }) => def.probes?.(settings, at) ?? [])];
}

/** The probe job, when the stack runs the blackbox exporter. */
export function probeJobs(spec: StackSpec, profiles: readonly { def: ProfileDef; settings: unknown }[]): ScrapeJob[] {
  if (!enabledServices(spec).includes('blackbox')) return [];
  return [
    {
      job_name: PROBE_JOB,
      metrics_path: '/probe',
      via: serviceAddress(spec, 'blackbox'),
      targets: stackProbes(spec, profiles).map((p) => ({ targets: [p.target], labels: { __param_module: p.module, check: p.check, ...p.labels } })),
    },
  ];
}
