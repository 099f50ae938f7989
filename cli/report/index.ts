// The status page of a stack, read from its Prometheus now: what `fibre-stack report` and the demo
// show. Reading is here; making the model and the page is pure (model.ts, html.ts).
import type { StackSpec } from '../spec/types.js';
import type { Registry } from '../../profiles/registry.js';
import { hostAddress } from '../render/addressing.js';
import { stackServices } from '../render/stack-services.js';
import { hubQueryBase } from '../run/fleet-checks.js';
import { UserError } from '../../core/errors.js';
import { statusPlan, type StatusPlan } from './plan.js';
import { fetchStatus, PrometheusApi } from './prometheus-api.js';
import { statusModel, type StatusModel } from './model.js';

export { renderStatusHtml } from './html.js';
export type { StatusModel } from './model.js';

/**
 * The stack's Prometheus as this host reaches it; a fleet hub's metrics engine (its Prometheus
 * API, as validate asks it). A fleet node keeps no metrics to ask: its agent answers no queries.
 */
export function stackPrometheusUrl(spec: StackSpec): string {
  const fleet = spec.fleet;
  if (fleet?.role === 'node') throw new UserError(`this stack is a fleet node: its Prometheus runs in agent mode and keeps nothing to report on; run fibre-stack report on its hub (${fleet.hub_url}), or pass --prometheus URL`);
  if (fleet?.role === 'hub') {
    const url = hubQueryBase(fleet, stackServices(spec));
    if (!url) throw new UserError(`this fleet hub runs no ${fleet.engine} here to ask: pass --prometheus URL`);
    return url;
  }
  return `http://${hostAddress(spec, 'prometheus')}`;
}

/** Reads the stack's status from Prometheus (`prometheus`: its URL, the stack's by default) each time `read` is called. */
export function statusSource(spec: StackSpec, registry: Registry, opts: { prometheus?: string; guessed?: boolean } = {}): { plan: StatusPlan; read(): Promise<StatusModel> } {
  const plan = statusPlan(spec, registry, opts.guessed);
  const api = new PrometheusApi(opts.prometheus ?? stackPrometheusUrl(spec));
  return { plan, read: async () => statusModel(plan, await fetchStatus(api, plan)) };
}
