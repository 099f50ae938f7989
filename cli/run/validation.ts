// `validate`, service by service: the runner says whether each service runs, then each running
// one is asked over HTTP (checks.ts). Used by the validate and demo commands.
import type { StackDir } from './stack-dir.js';
import type { ServiceState, StackRunner } from './runner.js';
import { stackServices, type StackService } from '../render/stack-services.js';
import { grafanaChecks, prometheusChecks, readinessCheck, targetsCheck, type CheckResult } from './checks.js';
import { hubChecks, hubQueryBase, hubView, nodeChecks, nodeView, type FleetView } from './fleet-checks.js';
import { sleep } from './probe.js';
import { readyCa } from './hub-ca.js';
import { receiversCheck } from './alert-delivery.js';
import { printTable } from './text-table.js';

export interface ServiceReport {
  service: string;
  /** healthy; unhealthy; unavailable (its program could not be had); skipped (disabled in the spec). */
  status: 'healthy' | 'unhealthy' | 'unavailable' | 'skipped';
  checks: CheckResult[];
  /** A fleet hub's nodes (on its `fleet` line), or a node's send queues (on its prometheus line). */
  fleet?: FleetView;
}

/** Every check of one service. */
async function serviceReport(stack: StackDir, svc: StackService, state: ServiceState, notRunning: ReadonlySet<string>): Promise<ServiceReport> {
  if (state.unavailable) {
    return { service: svc.name, status: 'unavailable', checks: [{ check: 'program', ok: false, detail: state.detail }] };
  }
  const checks: CheckResult[] = [{ check: state.check, ok: state.running, detail: state.detail }];
  // What this host cannot reach is judged by its runner alone (an exporter container's healthcheck is GET /health inside).
  // A service that does not run is not asked at all: whatever answers on its port is another program.
  if (!state.reachableFromHost || !state.running) return { service: svc.name, status: state.running ? 'healthy' : 'unhealthy', checks };
  if (state.identity) {
    checks.push({ check: 'listener', ok: state.identity.ours, detail: state.identity.detail });
    if (!state.identity.ours) return { service: svc.name, status: 'unhealthy', checks };
  }
  const ready = await readinessCheck(svc, readyCa(stack, svc));
  checks.push(ready);
  if (ready.ok) {
    const base = svc.readyUrl.replace(/^(https?:\/\/[^/]+).*$/, '$1');
    if (svc.core === 'prometheus' && stack.spec.fleet?.role === 'node') {
      // An agent has no rules, and its queue is what matters: are the samples getting to the hub?
      checks.push(await targetsCheck(stack, base, notRunning));
      const view = await nodeView(base).catch((err: Error) => err);
      if (view instanceof Error) checks.push({ check: 'remote write', ok: false, detail: view.message });
      else return withChecks(svc.name, [...checks, ...nodeChecks(view)], view);
    } else if (svc.core === 'prometheus') checks.push(...(await prometheusChecks(stack, base, notRunning)));
    if (svc.core === 'grafana') checks.push(...(await grafanaChecks(stack, base)));
    if (svc.core === 'alertmanager') checks.push(await receiversCheck(base));
  }
  return withChecks(svc.name, checks);
}

function withChecks(service: string, checks: CheckResult[], fleet?: FleetView): ServiceReport {
  return { service, status: checks.every((c) => c.ok) ? 'healthy' : 'unhealthy', checks, ...(fleet ? { fleet } : {}) };
}

/** A hub's nodes, as one more line of the report: `fleet`, asked of the engine. */
async function hubReport(stack: StackDir, services: readonly StackService[], reports: readonly ServiceReport[]): Promise<ServiceReport | undefined> {
  const hub = stack.spec.fleet;
  if (hub?.role !== 'hub') return undefined;
  const base = hubQueryBase(hub, services);
  const engine = reports.find((r) => r.service === (hub.engine === 'victoriametrics' ? 'victoria-metrics' : hub.engine));
  if (!base) return withChecks('fleet', [{ check: 'engine', ok: false, detail: 'the hub has no query URL for its engine (fleet.external.query_url)' }]);
  if (engine && engine.status !== 'healthy') return withChecks('fleet', [{ check: 'engine', ok: false, detail: `${engine.service} is not healthy: the nodes cannot be asked for` }]);
  const view = await hubView(hub, base).catch((err: Error) => err);
  if (view instanceof Error) return withChecks('fleet', [{ check: 'engine', ok: false, detail: view.message }]);
  return withChecks('fleet', hubChecks(view), view);
}

/** Validates the whole stack, given what its runner says of each service: every enabled service, and a skipped line for each disabled one. */
export async function validateStack(stack: StackDir, states: ReadonlyMap<string, ServiceState>): Promise<ServiceReport[]> {
  const services = stackServices(stack.spec);
  const unavailable = new Set([...states.values()].filter((s) => s.unavailable).map((s) => s.service));
  const reports = await Promise.all(
    services.map((svc) => {
      const state = states.get(svc.name);
      if (!state) throw new Error(`the runner said nothing of ${svc.name}`);
      return serviceReport(stack, svc, state, unavailable);
    }),
  );
  const disabled: ServiceReport[] = stack.spec.disabled_services.map((s) => ({
    service: s,
    status: 'skipped',
    checks: [{ check: 'disabled', ok: true, detail: 'in disabled_services of fibre-stack.yml: not checked' }],
  }));
  const fleet = await hubReport(stack, services, reports);
  return [...reports, ...(fleet ? [fleet] : []), ...disabled];
}

export const allHealthy = (reports: ServiceReport[]) => reports.every((r) => r.status === 'healthy' || r.status === 'skipped');

/**
 * How often a wait checks again. Checks are a few loopback requests; polling finely matters
 * because Prometheus hands targets to its scrapers on a 5 s tick, and a coarse poll adds up to
 * its own period after that.
 */
const POLL_MS = 250;

/** Validates once, or polls until healthy (but for unavailable services) or `waitSeconds` have passed. */
export async function validateUntil(stack: StackDir, runner: StackRunner, waitSeconds: number, onRetry?: (reports: ServiceReport[]) => void): Promise<ServiceReport[]> {
  const deadline = Date.now() + waitSeconds * 1000;
  for (;;) {
    const reports = await validateStack(stack, await runner.serviceStates(stack));
    // A service whose program could not be had stays that way until the next `up`: no use waiting for it.
    const settled = reports.every((r) => r.status !== 'unhealthy');
    if (settled || Date.now() >= deadline) return reports;
    onRetry?.(reports);
    await sleep(Math.min(POLL_MS, Math.max(0, deadline - Date.now())));
  }
}

/** The reports as a table for people, and a verdict line. */
export function printReports(reports: ServiceReport[]): void {
  const mark = (r: ServiceReport, ok: boolean) => (r.status === 'skipped' ? 'skip' : ok ? 'ok' : 'FAIL');
  printTable(
    ['SERVICE', 'CHECK', 'RESULT', 'DETAIL'],
    reports.flatMap((r) => r.checks.map((c, i) => [i === 0 ? r.service : '', c.check, mark(r, c.ok), c.detail])),
  );
  const bad = reports.filter((r) => r.status === 'unhealthy' || r.status === 'unavailable');
  process.stdout.write(bad.length === 0 ? '\nThe stack is healthy.\n' : `\nNot healthy: ${bad.map((r) => `${r.service} (${r.status})`).join(', ')}\n`);
}
