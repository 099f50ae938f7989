// What a stack as specified cannot do on a real host, said when it is created and again when
// `validate` finds the symptom, each with the change that fixes it. Pure: spec (or what Prometheus
// reports) in, sentences out.
import type { StackSpec } from '../spec/types.js';

import type { Registry } from '../../profiles/registry.js';
import { DOCKER_HOST_ALIAS, addressing, placementOf } from './addressing.js';
import { enabledNodes } from './stack-profiles.js';

/** A scrape target the spec gives on this host's loopback, and the address a container scrapes it at. */
export interface LoopbackTarget {
  profile: string;
  target: string;
  scrapedAs: string;
}

/**
 * Targets on the host's loopback in a docker stack. Prometheus in its container reaches the host
 * as host.docker.internal, which compose maps to the bridge's gateway address (host-gateway): a
 * program listening only on 127.0.0.1 is not there. Giving Prometheus the host's network instead
 * would change how every service of the stack finds the others and publishes its port, so the
 * stack keeps the bridge and says what to change.
 */
export function loopbackTargets(spec: StackSpec, registry: Registry): LoopbackTarget[] {
  if (placementOf(spec) !== 'containers') return [];
  const at = addressing(spec);
  const found: LoopbackTarget[] = [];
  for (const { def, settings, exporterService } of enabledNodes(spec, registry)) {
    def.scrapeJobs(
      settings,
      {
        exporter: at.exporter,
        host: (hostPort) => {
          const scrapedAs = at.host(hostPort);
          if (scrapedAs !== hostPort) found.push({ profile: def.id, target: hostPort, scrapedAs });
          return scrapedAs;
        },
      },
      exporterService,
    );
  }
  return found;
}

const LOOPBACK_FIX =
  'make the program listen where containers reach the host: on the docker bridge address (ip -4 addr show docker0, usually 172.17.0.1) ' +
  'or on 0.0.0.0 with a firewall rule that keeps it off other networks; or run the stack natively (mode: native in fibre-stack.yml, then fibre-stack generate)';

/** What `create` says about a loopback target of a docker stack. */
export function loopbackWarning(t: LoopbackTarget): string {
  return `profiles.${t.profile}: ${t.target} is on this host's loopback, which Prometheus in its container cannot reach; it scrapes ${t.scrapedAs} (the docker bridge) instead. To fix: ${LOOPBACK_FIX}.`;
}

/** Notes on a new stack: choices that work today but need the user's attention, and targets that cannot work as given. */
export function stackNotices(spec: StackSpec, registry: Registry): string[] {
  const notes: string[] = [];
  if (spec.log_agent === 'promtail') {
    notes.push(
      `log_agent: promtail reached end of life on 2026-03-02 and is gone from Loki 3.7; the stack pins ${spec.images.promtail}, its last release. ` +
        'Alloy (log_agent: alloy) reads the same logs; `alloy convert --source-format=promtail` turns a Promtail config into an Alloy one.',
    );
  }
  notes.push(...loopbackTargets(spec, registry).map(loopbackWarning));
  return notes;
}

/**
 * What each scrape job's profile says the operator must set (ProfileDef.setupNotes), by job name:
 * `validate` gives it beside a down target of that job.
 */
export function setupNotesByJob(spec: StackSpec, registry: Registry): Map<string, string[]> {
  const at = addressing(spec);
  const byJob = new Map<string, string[]>();
  for (const { def, settings, exporterService } of enabledNodes(spec, registry)) {
    const notes = def.setupNotes?.(settings, at) ?? [];
    if (!notes.length) continue;
    // Nodes of one profile share its job: the notes of each of them, once.
    for (const job of def.scrapeJobs(settings, at, exporterService)) byJob.set(job.job_name, [...new Set([...(byJob.get(job.job_name) ?? []), ...notes])]);
  }
  return byJob;
}

/**
 * Why a scrape target is down, with the fix, when the symptom is one we know; undefined otherwise.
 * `lastError` is Prometheus's text for the failed scrape; `setupNotes` what the target's profile
 * says must be set on the program (setupNotesByJob), which is the fix for both symptoms.
 */
export function downTargetAdvice(scrapeUrl: string, lastError: string, setupNotes: readonly string[] = []): string | undefined {
  let url: URL;
  try {
    url = new URL(scrapeUrl);
  } catch {
    return undefined;
  }
  const notes = setupNotes.join(' ');
  if (url.hostname === DOCKER_HOST_ALIAS && /connection refused|no route to host|i\/o timeout|deadline exceeded/i.test(lastError)) {
    return `the target was given on this host's loopback, which containers cannot reach; to fix: ${notes || LOOPBACK_FIX}`;
  }
  // nodeos (http-validate-host, on by default) answers 400 to a Host header it does not know.
  if (/HTTP status 400/.test(lastError)) {
    return notes
      ? `the program refused the request (HTTP 400), its Host header check refusing ${url.host}; to fix: ${notes}`
      : `the program refused the request, perhaps the Host header ${url.host}: nodeos needs http-alias = ${url.host} (or http-validate-host = false) in its config.ini`;
  }
  return undefined;
}
