// What a profile is: everything fibre-stack knows about one kind of thing it monitors, in one
// folder. Adding a profile means a folder shaped like this and one line in registry.ts.
import type { MetricDef } from '../core/catalog.js';
import type { ProfileId, StackSpec } from '../cli/spec/types.js';

/** A Prometheus scrape job, rendered into prometheus.yml with its targets in a file_sd file. */
export interface ScrapeJob {
  job_name: string;
  metrics_path?: string;
  scheme?: 'http' | 'https';
  /** Targets and their labels, written to prometheus/targets/<job_name>.json (file_sd). */
  targets: { targets: string[]; labels: Record<string, string> }[];
}

/**
 * How the log agent parses a source's lines: RE2 regexes with named groups (Go syntax, which
 * Alloy and Promtail both use); which captured fields become labels (few values only) and which
 * travel as structured metadata (hashes, heights, peers, timings).
 */
export interface LogParsing {
  regexes: string[];
  labels: string[];
  structuredMetadata: string[];
}

/** A log file the log agent tails, with the labels its stream gets. */
export interface LogSource {
  /** Stable identifier, used for component names in Alloy and job names in Promtail. */
  id: string;
  path: string;
  labels: Record<string, string>;
  parsing?: LogParsing;
}

/** Our exporter, run for a profile: as a compose service, a systemd unit, or a native process. */
export interface ExporterRun {
  /** Compose service and systemd unit base name, e.g. `fibre-exporter`. */
  service: string;
  port: number;
  /** Arguments after `fibre-stack` (e.g. `exporter fibre --bitcoind ...`). */
  args: string[];
  /** Needs eBPF: host PID namespace, CAP_SYS_ADMIN, tracefs, root. */
  ebpf: boolean;
  /** Host files the exporter reads, mounted read-only at the same path in a container. */
  hostPaths: string[];
}

/** Where Prometheus finds a service: by compose service name, or on loopback in native mode. */
export interface Addressing {
  exporter(service: string, port: number): string;
  /** A host:port on the host itself, as seen from Prometheus (host.docker.internal in docker). */
  host(hostPort: string): string;
}

export interface ProfileDef<Id extends ProfileId = ProfileId> {
  id: Id;
  title: string;
  metrics: readonly MetricDef[];
  scrapeJobs(spec: NonNullable<StackSpec['profiles'][Id]>, at: Addressing): ScrapeJob[];
  logSources(spec: NonNullable<StackSpec['profiles'][Id]>): LogSource[];
  exporter?(spec: NonNullable<StackSpec['profiles'][Id]>): ExporterRun;
}
