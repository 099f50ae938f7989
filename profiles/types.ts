// What a profile is: everything fibre-stack knows about one kind of thing it monitors, in one
// folder. Adding a profile means a folder shaped like this and one line in registry.ts.
import type { MetricDef } from '../core/catalog.js';
import type { Reader } from '../core/spec/reader.js';
import type { CommonDecls, CommonExporterOptions, OptionDecls, OptionValues, ReplayDecls, ReplayPlayer, Resolved } from '../exporter/index.js';
import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import type { RuleFileSpec } from './kit/rule-kit.js';

/** A Prometheus scrape job, rendered into prometheus.yml with its targets in a file_sd file. */
export interface ScrapeJob {
  job_name: string;
  metrics_path?: string;
  scheme?: 'http' | 'https';
  /** Targets and their labels, written to prometheus/targets/<job_name>.json (file_sd). */
  targets: { targets: string[]; labels: Record<string, string> }[];
  /**
   * host:port of a multi-target exporter (the blackbox exporter) that Prometheus asks about each
   * target, which becomes its `target` parameter and its instance label.
   */
  via?: string;
  /**
   * Keep the labels the target serves over the target's own (prometheus.yml honor_labels): for our
   * exporters, which put `node` on their series themselves; the target's `node` label then fills
   * in only the series without one (up, the self-metrics) instead of renaming theirs exported_node
   * (prometheus/prometheus@v3.14.0:scrape/scrape.go mutateSampleLabels; the same at v2.42.0).
   */
  honor_labels?: boolean;
}

/** What a synthetic check checks: it says how bad a failure is (its alert, cli/services/probe-rules.ts). */
export type ProbeCheck = 'nodeos_api' | 'bitcoind_p2p' | 'bitcoind_rpc' | 'stack_ui';

/** A module of the stack's blackbox exporter config (cli/render/blackbox.ts). */
export type ProbeModule = 'http_2xx' | 'nodeos_head_block' | 'tcp_connect';

/** A synthetic check the blackbox exporter runs, when the stack has them (`synthetic_checks: true`). */
export interface Probe {
  check: ProbeCheck;
  module: ProbeModule;
  /** A URL for the http modules, host:port for tcp_connect, as the blackbox exporter reaches it (where Prometheus runs). */
  target: string;
  /** Labels of its series beside `check`, e.g. the node's name. */
  labels: Record<string, string>;
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
  /**
   * The line's own time: a field a regex captures and its format, a name both agents' timestamp
   * stages know (`RFC3339` parses fractional seconds too). Without it a line is stamped when read.
   */
  timestamp?: { field: string; format: 'RFC3339' };
  /**
   * A Go duration: lines whose time is older than this when read are dropped (the drop stage's
   * older_than). Bounds what a first start (Promtail cannot start a file at its end) or a
   * restart after a long outage sends to Loki, whose default ingestion limit is 4 MB/s.
   */
  maxAge?: string;
}

/** A log file the log agent tails, with the labels its stream gets. */
export interface LogSource {
  /** Stable identifier, used for component names in Alloy and job names in Promtail. */
  id: string;
  path: string;
  labels: Record<string, string>;
  parsing?: LogParsing;
  /**
   * Where the first read of the file starts when the agent has no position for it: at its end
   * (no history; Alloy's tail_from_end) or at its start. Later reads go on from the position.
   */
  firstRead?: 'end' | 'start';
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

/**
 * The profile's section of fibre-stack.yml, `profiles.<id>`: a list of nodes (one mapping is a
 * list of one), each read by `read`. Everything else a profile says (scrape jobs, log sources,
 * ports, its exporter) it says of one node; the stack asks it once per node.
 */
export interface ProfileSpecDef<S> {
  /** One node's settings of `- {}`; a fresh object on each call. */
  defaults(): S;
  /**
   * Reads one node's mapping (present, maybe null) at `key`, e.g. `profiles.miner[1]`: every
   * problem goes to the reader, named by its key; a missing field takes its default.
   */
  read(r: Reader, raw: unknown, key: string): S;
  /**
   * The node's name, its `node` label: unique among the profile's nodes. Profiles whose entries
   * are not nodes (scrape: a list of targets) have none.
   */
  name?(settings: S): string;
}

interface QuestionBase<K extends string> {
  /** The answer's name among `create`'s answers, e.g. `minerLogs`. */
  key: K;
  /** Its flag without the dashes, e.g. `miner-log`. */
  flag: string;
  /** The flag's --help text. */
  describe: string;
  /** The prompt's question. */
  message: string;
}

/** One line of text: a string flag, an input prompt. */
export interface TextQuestion<K extends string = string> extends QuestionBase<K> {
  kind: 'text';
  /** Checks a typed answer: true, or what is wrong. Answers from flags are checked by the spec reader. */
  validate?(answer: string): true | string;
}

/** Several values: a flag given more than once or comma-separated; a prompt taking commas or spaces. */
export interface ListQuestion<K extends string = string> extends QuestionBase<K> {
  kind: 'list';
  validate?(answer: string[]): true | string;
}

/** One of a few values: a flag with choices, a select prompt. */
export interface ChoiceQuestion<K extends string = string, C extends string = string> extends QuestionBase<K> {
  kind: 'choice';
  choices: readonly C[];
}

/**
 * Something `create` asks: a flag and a prompt. Profiles that ask the same thing (the node name,
 * say) share one object, so it is one flag and one prompt, asked when any chosen profile asks it.
 */
export type Question = TextQuestion | ListQuestion | ChoiceQuestion;

export type AnswerOf<Q extends Question> = Q extends ChoiceQuestion<string, infer C> ? C : Q extends ListQuestion ? string[] : string;

export type AnswersOf<Qs extends readonly Question[]> = { [Q in Qs[number] as Q['key']]: AnswerOf<Q> };

/** What `create` asks for the profile, and how the answers become its settings. */
export interface ProfileQuestions<S, Qs extends readonly Question[]> {
  /** In the order they are asked, after the stack's own first questions (profiles, mode). */
  asks: Qs;
  /** Each answer's default, read from the profile's default settings. */
  defaults(settings: S): AnswersOf<Qs>;
  /** The profile's settings: its defaults with the answers laid in. */
  settings(answers: AnswersOf<Qs>, defaults: S): S;
}

/**
 * How the stack runs the exporter for some settings: the option values (given as flags in the
 * order of their keys; optionArgs in exporter/options.ts) of its own subcommand, or of
 * `fibre-stack exporter replay` when it plays a recording instead; and the host files it reads.
 */
export type ExporterInvocation<D extends OptionDecls> =
  | { command: 'collector'; values: OptionValues<CommonDecls & D> & { port: number }; hostPaths: string[] }
  | { command: 'replay'; values: OptionValues<ReplayDecls> & { port: number }; hostPaths: string[] };

/** Our exporter for the profile: `fibre-stack exporter <id>`, and how a stack runs it. */
export interface ExporterDef<S, D extends OptionDecls> {
  /** Compose service and systemd unit base name, e.g. `fibre-exporter`. */
  service: string;
  /** The default port of /metrics (and of the spec's exporter_port), and of the health-only port if it has one. */
  port: number;
  healthPort?: number;
  /** Needs eBPF when it runs its own collector (a replay never does). */
  ebpf: boolean;
  /** The subcommand's --help line. */
  describe: string;
  /** The short flag of --config; none where one of the options has -c. */
  configAlias?: string;
  /** The collector's own settings, beside those every exporter has (commonDecls). */
  options: D;
  /** Runs the collector until SIGINT or SIGTERM. Loads the collector's code only then, so `create` never loads tracer code. */
  run(common: CommonExporterOptions, values: Resolved<D>): Promise<void>;
  invocation(settings: S): ExporterInvocation<D>;
}

/** The profile's recordings: played by `fibre-stack exporter replay` (exporter/replay.ts). */
export interface ProfileReplay {
  /** How the replay command's help names the profile's events, e.g. `FIBRE`. */
  label: string;
  /** Loaded only when a recording of this profile is played. */
  load(): Promise<ReplayPlayer>;
}

/**
 * A part of docs/runbooks.md (cli/artifacts/runbooks.ts writes it): a markdown file, by its path
 * in this repository, holding a `## Section` and a `### AlertName` heading per alert. A part
 * several profiles share (exporter health, say) writes `{Prefix}` in its alert headings and
 * `{profiles}` in its section heading; each profile using it gives its prefix, and a heading is
 * written for each profile whose rules have that alert.
 */
export interface RunbookPart {
  file: string;
  /** For a shared part: this profile's alert name prefix, e.g. `Fibre`. */
  prefix?: string;
}

/** How the status page (`fibre-stack report`) shows a headline number. */
export type StatusUnit = 'number' | 'seconds' | 'ratio' | 'per_hour' | 'hashes_per_second' | 'celsius' | 'block_height';

/**
 * A headline number of the profile on the status page: an instant PromQL query, each series of
 * which is one row (named by the labels in `by`), with a sparkline of the same query over the
 * last hour. Queries use only metrics of the profile's catalog (`metrics`).
 */
export interface StatusHeadline {
  title: string;
  query: string;
  unit: StatusUnit;
  /** The labels that name a row: `node`, or `node` and `card`. */
  by: readonly string[];
  /** Said under the title, when the number needs it (what it is compared with, what it leaves out). */
  note?: string;
}

// Settings are read by the profile's methods only, and the registry holds profiles of every
// settings type side by side: with `any` there, a list of them is one type (method parameters
// are checked bivariantly, so nothing is lost inside a profile, where S is exact).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export interface ProfileDef<Id extends string = string, S = any, Qs extends readonly Question[] = readonly Question[]> {
  id: Id;
  title: string;
  spec: ProfileSpecDef<S>;
  questions: ProfileQuestions<S, Qs>;
  metrics: readonly MetricDef[];
  /**
   * The node's scrape jobs. `exporterService` is the service its exporter runs as: the profile's
   * exporter.service for its first node, with `-2`, `-3`, ... for the nodes after it.
   */
  scrapeJobs(settings: S, at: Addressing, exporterService: string): ScrapeJob[];
  /**
   * What the operator must set on the monitored program for the stack to reach it from where
   * Prometheus runs (`at`), one sentence each, in plain text: listed in the stack's README and
   * given by `validate` beside a down target of the profile's jobs. None when nothing needs setting.
   */
  setupNotes?(settings: S, at: Addressing): string[];
  logSources(settings: S): LogSource[];
  /** Synthetic checks of what it watches, reached as `at` says; none when it has nothing users reach. */
  probes?(settings: S, at: Addressing): Probe[];
  /**
   * Ports the node's services listen on, by the settings field that holds each (`exporter_port`):
   * no two services of a stack may share one. A node after the first that leaves such a field out
   * gets a free port in it (cli/spec/validate.ts), so the field must be a number field of S.
   */
  ports?(settings: S): Record<string, number>;
  /** The node's data folder on this host (the disk-fill alert watches its filesystem); none without one. */
  datadir?(settings: S): string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  exporter?: ExporterDef<S, any>;
  replay?: ProfileReplay;
  rules: RuleFileSpec;
  runbook: readonly RunbookPart[];
  /** Its headline numbers on the status page, most important first; none for a profile with no metrics of its own. */
  status?: readonly StatusHeadline[];
  /**
   * Its Grafana dashboard, built with Grafana's foundation SDK. Loads the SDK only when called (by
   * `fibre-stack dashboards`, which ships the JSON under dashboards/ for `create` to copy).
   */
  dashboard?: () => Promise<Dashboard>;
}

/** The settings type of a profile. */
export type SettingsOf<P> = P extends ProfileDef<string, infer S> ? S : never;
