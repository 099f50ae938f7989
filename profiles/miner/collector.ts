// `fibre-stack exporter miner`: follows each card's log and turns its stats lines into metrics.
// Each card keeps its own state: one card's log gone, replaced by a FIFO, unreadable or written
// in another bitstream's format says so for that card (stderr, /health, the self-metrics) and
// leaves the other cards alone.
import type { Bitstream } from './spec.js';
import { followLog, type FollowStatus, type Follower, type CommonExporterOptions, startRuntime, untilSignal, type ExporterRuntime, type HealthState } from '../../exporter/index.js';
import { minerMetrics } from './metrics.js';
import { otherBitstreamOf, parseMinerLine, type GoodTotal, type MinerStats } from './parse.js';

export interface MinerExporterOptions extends CommonExporterOptions {
  bitstream: Bitstream;
  logs: { path: string; card: string }[];
  staleAfterSeconds: number;
  /** Milliseconds between looks at each log (tests shorten it). */
  pollMs?: number;
}

export interface MinerExporter {
  urls: string[];
  stop(): Promise<void>;
}

/** Runs until SIGINT or SIGTERM. */
export async function runMinerExporter(opts: MinerExporterOptions): Promise<void> {
  const exporter = await startMinerExporter(opts);
  await untilSignal();
  await exporter.stop();
}

/** Where a card's log file stands; only a `following` card's log is read. */
type FileState = { state: 'starting' | 'following' | 'missing' | 'not-a-file' } | { state: 'unreadable'; message: string };

interface Card {
  card: string;
  path: string;
  file: FileState;
  /** Set while its lines are another bitstream's stats lines and none are ours. */
  looksLike?: Bitstream;
}

/** A card's trouble in words for anyone who can reach /health: no path, no error text. */
function troubleText(c: Card, bitstream: Bitstream): string {
  if (c.looksLike) return `log lines are ${c.looksLike} stats lines, not ${bitstream} ones: check --bitstream`;
  switch (c.file.state) {
    case 'starting':
      return 'starting';
    case 'following':
      return 'following its log';
    case 'missing':
      return 'log file missing; waiting for it';
    case 'not-a-file':
      return 'log path is not a regular file (a FIFO, device or folder); not read';
    case 'unreadable':
      return 'log cannot be read';
  }
}

const stuck = (c: Card) => c.looksLike !== undefined || c.file.state === 'not-a-file' || c.file.state === 'unreadable';

/**
 * Healthy while no card is stuck (on something that is not a log, a read error, lines of another
 * bitstream) and at least one card is read. A missing log is not stuck (miners create their log
 * when they start), but its card is stale after --stale-after, which the stale alert reports.
 */
function minerHealth(cards: Card[], bitstream: Bitstream): HealthState {
  if (!cards.some(stuck) && cards.some((c) => c.file.state === 'following')) return { ok: true, reason: '' };
  const others = cards.filter((c) => stuck(c) || c.file.state !== 'following');
  return {
    ok: false,
    reason: others.map((c) => `card ${c.card}: ${troubleText(c, bitstream)}`).join('\n'),
    detail: others.map((c) => `card ${c.card}: ${c.path}${c.file.state === 'unreadable' ? `: ${c.file.message}` : ''}`).join('\n'),
  };
}

export async function startMinerExporter(opts: MinerExporterOptions): Promise<MinerExporter> {
  const cards: Card[] = opts.logs.map(({ path, card }) => ({ path, card, file: { state: 'starting' } }));
  const runtime = await startRuntime(opts, minerMetrics, { bitcoind_path: '' }, () => minerHealth(cards, opts.bitstream));
  const followers: Follower[] = cards.map((c) => {
    // The rig's name on each card's series: cards are named per rig, so `left` alone is ambiguous.
    const cardMetrics = new CardMetrics(runtime, { node: opts.nodeName, card: c.card, bitstream: opts.bitstream }, (looksLike) => (c.looksLike = looksLike));
    return followLog(
      c.path,
      {
        line: (text) => cardMetrics.line(text),
        status: (s) => {
          c.file = nextFileState(c.file, s);
          report(runtime, c.path, c.card, s);
          if (s.type === 'stale') cardMetrics.setStale(s.stale);
        },
      },
      { staleAfterMs: opts.staleAfterSeconds * 1000, pollMs: opts.pollMs },
    );
  });
  return {
    urls: runtime.urls,
    async stop() {
      await Promise.all(followers.map((f) => f.stop()));
      await runtime.close();
    },
  };
}

/** A card's log file state after a status of its follower. */
function nextFileState(current: FileState, s: FollowStatus): FileState {
  switch (s.type) {
    case 'missing':
      return { state: 'missing' };
    case 'not-a-file':
      return { state: 'not-a-file' };
    case 'error':
      return { state: 'unreadable', message: s.message };
    case 'opened':
    case 'recovered':
      return { state: 'following' };
    case 'truncated':
    case 'rotated':
    case 'stale':
    case 'line-failed':
      return current;
  }
}

function report(runtime: ExporterRuntime, path: string, card: string, s: FollowStatus): void {
  const say = (text: string): void => {
    process.stderr.write(`miner ${card}: ${text}\n`);
  };
  switch (s.type) {
    case 'missing':
      runtime.self.error('log_missing');
      return say(`${path} does not exist (yet); waiting for it to appear`);
    case 'opened':
      return say(`following ${path}${s.fromByte > 0 ? ` from byte ${s.fromByte} (older content skipped)` : ''}`);
    case 'truncated':
      runtime.self.event('log_truncated');
      return say(`${path} was truncated; reading it again from the start`);
    case 'rotated':
      runtime.self.event('log_rotated');
      return say(`${path} was replaced (rotated or recreated); following the new file`);
    case 'stale':
      return say(s.stale ? `${path} has not grown, or has been missing, for a while (fpga_miner_log_stale=1)` : `${path} is growing again`);
    case 'not-a-file':
      runtime.self.error('log_not_a_file');
      return say(`${path} is not a regular file (a FIFO, device or folder?); it is not read until a log file is there`);
    case 'line-failed':
      runtime.self.error('line_failed');
      return say(`a line of ${path} could not be turned into metrics (${s.message}); the lines after it are read`);
    case 'recovered':
      return say(`${path} can be read again`);
    case 'error':
      runtime.self.error('log_read');
      return say(`cannot read ${path}: ${s.message}; retrying${s.message.includes('EACCES') ? ` (this exporter runs as uid ${process.getuid?.()}: make the log readable to it, or run the exporter as the miner's user)` : ''}`);
  }
}

/** Lines of another bitstream's stats, with none of ours, after which a card is set wrong. */
const WRONG_BITSTREAM_LINES = 3;
/** Unparseable lines are explained on stderr at most this often per card (the first at once). */
const UNPARSEABLE_REPORT_MS = 60_000;

/** One card's series. Counters follow the miner's cumulative figures by their increases. */
class CardMetrics {
  private lastSolutions: GoodTotal | undefined;
  private lastShares: GoodTotal | undefined;
  /** Lines of another bitstream's stats since our last stats line. */
  private foreignLines = 0;
  private wrongBitstream = false;
  private lastUnparseableReport = -Infinity;
  private unparseableSinceReport = 0;

  constructor(
    private readonly runtime: ExporterRuntime,
    private readonly labels: { node: string; card: string; bitstream: Bitstream },
    /** Told when the card's lines turn out to be another bitstream's, and when ours come again. */
    private readonly onBitstream: (looksLike: Bitstream | undefined) => void,
  ) {
    // Zeroed up front, so rate() and absent() work before the first share.
    for (const result of ['good', 'bad']) {
      runtime.metrics.counter('fpga_miner_solutions_total').inc({ ...labels, result }, 0);
      runtime.metrics.counter('fpga_miner_shares_total').inc({ ...labels, result }, 0);
    }
    runtime.metrics.gauge('fpga_miner_log_stale').set(labels, 0);
  }

  line(text: string): void {
    const parsed = parseMinerLine(this.labels.bitstream, text);
    switch (parsed.kind) {
      case 'stats':
        this.runtime.self.event('stats_line');
        this.ours();
        return this.stats(parsed.stats);
      case 'share':
        this.runtime.self.event('share_line');
        this.runtime.metrics.counter('fpga_miner_shares_total').inc({ ...this.labels, result: parsed.result });
        return;
      case 'unparseable':
        this.runtime.self.error('unparseable_line');
        return this.unparseable(parsed.reason);
      case 'other':
        return this.foreign(otherBitstreamOf(this.labels.bitstream, text));
    }
  }

  private ours(): void {
    this.foreignLines = 0;
    if (!this.wrongBitstream) return;
    this.wrongBitstream = false;
    this.say(`${this.labels.bitstream} stats lines again`);
    this.onBitstream(undefined);
  }

  /** A line that is not ours: counted when it is another bitstream's stats line. */
  private foreign(looksLike: Bitstream | undefined): void {
    if (!looksLike) return;
    this.runtime.self.error('bitstream_mismatch');
    if (++this.foreignLines < WRONG_BITSTREAM_LINES || this.wrongBitstream) return;
    this.wrongBitstream = true;
    this.say(`its log lines are ${looksLike} stats lines, not ${this.labels.bitstream} ones; no series until --bitstream matches the miner (${looksLike}?)`);
    this.onBitstream(looksLike);
  }

  /** Says why a line was unparseable: the first at once, then at most once a minute with a count. */
  private unparseable(reason: string): void {
    this.unparseableSinceReport++;
    const now = Date.now();
    if (now - this.lastUnparseableReport < UNPARSEABLE_REPORT_MS) return;
    const more = this.unparseableSinceReport > 1 ? ` (${this.unparseableSinceReport} unparseable stats lines since the last report)` : '';
    this.say(`unparseable stats line: ${reason}${more}`);
    this.lastUnparseableReport = now;
    this.unparseableSinceReport = 0;
  }

  private say(text: string): void {
    process.stderr.write(`miner ${this.labels.card}: ${text}\n`);
  }

  setStale(stale: boolean): void {
    this.runtime.metrics.gauge('fpga_miner_log_stale').set(this.labels, stale ? 1 : 0);
  }

  private stats(s: MinerStats): void {
    const m = this.runtime.metrics;
    m.gauge('fpga_miner_hashrate_hashes_per_second').set(this.labels, s.hashesPerSecond);
    m.gauge('fpga_miner_clock_hertz').set(this.labels, s.clockHertz);
    m.gauge('fpga_miner_temperature_celsius').set(this.labels, s.temperatureCelsius);
    m.gauge('fpga_miner_voltage_volts').set(this.labels, s.voltageVolts);
    m.gauge('fpga_miner_error_ratio').set(this.labels, s.errorRatio);
    m.gauge('fpga_miner_last_update_timestamp_seconds').set(this.labels, Date.now() / 1000);
    if (s.solutions) this.lastSolutions = this.count('fpga_miner_solutions_total', this.lastSolutions, s.solutions);
    if (s.shares) this.lastShares = this.count('fpga_miner_shares_total', this.lastShares, s.shares);
  }

  /**
   * Adds what the miner's cumulative figures grew by since the last line. Figures that went down
   * mean the miner restarted and counts from zero again, so all of the new figures are new.
   */
  private count(name: string, last: GoodTotal | undefined, now: GoodTotal): GoodTotal {
    const bad = now.total - now.good;
    const lastBad = last ? last.total - last.good : 0;
    const restarted = last !== undefined && (now.good < last.good || bad < lastBad);
    const counter = this.runtime.metrics.counter(name);
    counter.inc({ ...this.labels, result: 'good' }, restarted || !last ? now.good : now.good - last.good);
    counter.inc({ ...this.labels, result: 'bad' }, restarted || !last ? bad : bad - lastBad);
    return now;
  }
}
