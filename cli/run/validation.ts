// `validate`, service by service: the runner says whether each service runs, then each running
// one is asked over HTTP (checks.ts). Used by the validate and demo commands.
import type { StackDir } from './stack-dir.js';
import type { ServiceState, StackRunner } from './runner.js';
import { stackServices, type StackService } from '../render/stack-services.js';
import { grafanaChecks, prometheusChecks, readinessCheck, type CheckResult } from './checks.js';
import { sleep } from './probe.js';
import { receiversCheck } from './alert-delivery.js';
import { printTable } from './text-table.js';

export interface ServiceReport {
  service: string;
  /** healthy; unhealthy; unavailable (its program could not be had); skipped (disabled in the spec). */
  status: 'healthy' | 'unhealthy' | 'unavailable' | 'skipped';
  checks: CheckResult[];
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
  const ready = await readinessCheck(svc);
  checks.push(ready);
  if (ready.ok) {
    const base = svc.readyUrl.replace(/^(https?:\/\/[^/]+).*$/, '$1');
    if (svc.core === 'prometheus') checks.push(...(await prometheusChecks(stack, base, notRunning)));
    if (svc.core === 'grafana') checks.push(...(await grafanaChecks(stack, base)));
    if (svc.core === 'alertmanager') checks.push(await receiversCheck(base));
  }
  return { service: svc.name, status: checks.every((c) => c.ok) ? 'healthy' : 'unhealthy', checks };
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
  return [...reports, ...disabled];
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
