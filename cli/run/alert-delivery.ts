// Whether Alertmanager's notifications get through, from its own counters and log: used by
// `fibre-stack alerts test` (one test alert per receiver) and by `validate` (failures so far).
//
// Counters as served at prometheus/alertmanager@v0.34.0:notify/metrics.go (notify/notify.go at
// v0.28.0): alertmanager_notification_requests_total and _failed_total count each attempt, by
// `integration` (telegram, slack, email, ...), at once; alertmanager_notifications_failed_total
// only counts a notification once its retries are given up, too late to wait for. A `receiver_name` label is added only with
// --enable-feature=receiver-name-in-metrics (featurecontrol/featurecontrol.go, from v0.27.0), which
// older Alertmanagers refuse as an unknown flag: so a test sends to one receiver at a time and
// reads the change of its integration's counters, taking receiver_name when it is there.
// The log's failure lines ("Notify attempt failed, will retry later", "Notify for alerts failed")
// carry receiver=<name>: notify/notify.go and dispatch/dispatch.go at both tags.
import type { ReceiverSpec } from '../spec/alerting.js';
import { TEST_ROUTE_LABEL, TEST_RUN_LABEL } from '../render/alertmanager.js';
import { describeProbe, probe } from './probe.js';

/** One sample of a counter Alertmanager serves: its labels and value. */
export interface CounterSample {
  labels: Record<string, string>;
  value: number;
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/** The samples of one metric in the Prometheus text format (Alertmanager's /metrics). */
export function counterSamples(text: string, metric: string): CounterSample[] {
  const out: CounterSample[] = [];
  for (const line of text.split('\n')) {
    const m = SAMPLE.exec(line);
    if (!m || m[1] !== metric) continue;
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(LABEL)) labels[l[1]] = l[2].replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
    out.push({ labels, value: Number(m[3]) });
  }
  return out;
}

export const ATTEMPTS = 'alertmanager_notification_requests_total';
export const FAILED_ATTEMPTS = 'alertmanager_notification_requests_failed_total';

/** The total of a counter over the samples of one receiver: its integration, and its name where the labels carry it. */
export function receiverCount(text: string, metric: string, r: Pick<ReceiverSpec, 'name' | 'type'>): number {
  return counterSamples(text, metric)
    .filter((s) => s.labels.integration === r.type && (s.labels.receiver_name === undefined || s.labels.receiver_name === r.name))
    .reduce((sum, s) => sum + s.value, 0);
}

/**
 * Failed attempts so far, by integration (and receiver where named): for `validate`. Empty when
 * every attempt got through. Attempts, not notifications: a notification is counted as failed only
 * once Alertmanager gives up retrying it, a group interval later.
 */
export function failuresByIntegration(text: string): string[] {
  return counterSamples(text, FAILED_ATTEMPTS)
    .filter((s) => s.value > 0)
    .map((s) => `${s.labels.receiver_name ? `${s.labels.receiver_name} (${s.labels.integration})` : s.labels.integration}: ${s.value} failed attempt(s)`);
}

/** The lines of Alertmanager's log about a receiver's failed notifications, newest last. */
export function receiverLogErrors(lines: readonly string[], receiver: string): string[] {
  return lines.filter((l) => l.includes(`receiver=${receiver} `) && /level=(warn|error)/i.test(l)).slice(-3);
}

/** The test alert `alerts test` posts: routed to one receiver alone by the test route (cli/render/alertmanager.ts), a group of its own each run. */
export function testAlert(receiver: string, run: string, now: Date): Record<string, unknown> {
  return {
    labels: { alertname: 'FibreStackTestAlert', severity: 'info', [TEST_ROUTE_LABEL]: receiver, [TEST_RUN_LABEL]: run },
    annotations: {
      summary: `Test alert from fibre-stack alerts test to receiver ${receiver}: alerts reach you.`,
      runbook_url: 'https://github.com/fibre-stack/fibre-stack/blob/main/docs/alerting.md#alerts-test',
    },
    startsAt: now.toISOString(),
    // It resolves itself; the resolved notice follows one group interval later.
    endsAt: new Date(now.getTime() + 60_000).toISOString(),
  };
}

/** `validate`'s check of Alertmanager: every notification so far got through (failures count from its last start). */
export async function receiversCheck(base: string): Promise<{ check: string; ok: boolean; detail: string }> {
  const url = `${base}/metrics`;
  const p = await probe(url, { timeoutMs: 5000 });
  if (p.status !== 200) return { check: 'receivers', ok: false, detail: `${url}: ${describeProbe(p)}` };
  const failures = failuresByIntegration(p.body);
  return failures.length
    ? { check: 'receivers', ok: false, detail: `notifications failed since Alertmanager started: ${failures.join('; ')}. \`fibre-stack alerts test\` says why` }
    : { check: 'receivers', ok: true, detail: 'no failed notification since Alertmanager started' };
}
