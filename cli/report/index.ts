// The status page of a stack, read from its Prometheus now: what `fibre-stack report` and the demo
// show. Reading is here; making the model and the page is pure (model.ts, html.ts).
import type { StackSpec } from '../spec/types.js';
import type { Registry } from '../../profiles/registry.js';
import { hostAddress } from '../render/addressing.js';
import { statusPlan, type StatusPlan } from './plan.js';
import { fetchStatus, PrometheusApi } from './prometheus-api.js';
import { statusModel, type StatusModel } from './model.js';

export { renderStatusHtml } from './html.js';
export type { StatusModel } from './model.js';

/** The stack's Prometheus as this host reaches it. */
export const stackPrometheusUrl = (spec: StackSpec) => `http://${hostAddress(spec, 'prometheus')}`;

/** Reads the stack's status from Prometheus (`prometheus`: its URL, the stack's by default) each time `read` is called. */
export function statusSource(spec: StackSpec, registry: Registry, opts: { prometheus?: string; guessed?: boolean } = {}): { plan: StatusPlan; read(): Promise<StatusModel> } {
  const plan = statusPlan(spec, registry, opts.guessed);
  const api = new PrometheusApi(opts.prometheus ?? stackPrometheusUrl(spec));
  return { plan, read: async () => statusModel(plan, await fetchStatus(api, plan)) };
}
