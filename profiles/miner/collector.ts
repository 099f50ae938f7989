// `fibre-stack exporter miner`: follows each card's log and turns its stats lines into metrics.
import type { Bitstream } from './spec.js';
import { followLog, type FollowStatus, type Follower, type CommonExporterOptions, startRuntime, untilSignal, type ExporterRuntime } from '../../exporter/index.js';
import { minerMetrics } from './metrics.js';
import { parseMinerLine, type GoodTotal, type MinerStats } from './parse.js';

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

export async function startMinerExporter(opts: MinerExporterOptions): Promise<MinerExporter> {
  const present = new Map(opts.logs.map((l) => [l.path, false]));
  const runtime = await startRuntime(opts, minerMetrics, { bitcoind_path: '' }, () => {
    const waiting = [...present].filter(([, there]) => !there).map(([path]) => path);
    // Healthy while at least one log is there to read; a card whose log is missing shows in
    // fibre_exporter_errors_total{error_type="log_missing"} and on stderr.
    return waiting.length < present.size ? { ok: true, reason: '' } : { ok: false, reason: `waiting for log file(s): ${waiting.join(', ')}` };
  });
  const followers: Follower[] = opts.logs.map(({ path, card }) => {
    const cardMetrics = new CardMetrics(runtime, { card, bitstream: opts.bitstream });
    return followLog(
      path,
      {
        line: (text) => cardMetrics.line(opts.bitstream, text),
        status: (s) => {
          present.set(path, s.type !== 'missing' && (s.type !== 'error' || present.get(path) === true));
          report(runtime, path, card, s);
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
      return say(s.stale ? `${path} has not grown for a while (fpga_miner_log_stale=1)` : `${path} is growing again`);
    case 'error':
      runtime.self.error('log_read');
      return say(`cannot read ${path}: ${s.message}; retrying${s.message.includes('EACCES') ? ` (this exporter runs as uid ${process.getuid?.()}: make the log readable to it, or run the exporter as the miner's user)` : ''}`);
  }
}

/** One card's series. Counters follow the miner's cumulative figures by their increases. */
class CardMetrics {
  private lastSolutions: GoodTotal | undefined;
  private lastShares: GoodTotal | undefined;

  constructor(
    private readonly runtime: ExporterRuntime,
    private readonly labels: { card: string; bitstream: Bitstream },
  ) {
    // Zeroed up front, so rate() and absent() work before the first share.
    for (const result of ['good', 'bad']) {
      runtime.metrics.counter('fpga_miner_solutions_total').inc({ ...labels, result }, 0);
      runtime.metrics.counter('fpga_miner_shares_total').inc({ ...labels, result }, 0);
    }
    runtime.metrics.gauge('fpga_miner_log_stale').set(labels, 0);
  }

  line(bitstream: Bitstream, text: string): void {
    const parsed = parseMinerLine(bitstream, text);
    switch (parsed.kind) {
      case 'stats':
        this.runtime.self.event('stats_line');
        return this.stats(parsed.stats);
      case 'share':
        this.runtime.self.event('share_line');
        this.runtime.metrics.counter('fpga_miner_shares_total').inc({ ...this.labels, result: parsed.result });
        return;
      case 'unparseable':
        this.runtime.self.error('unparseable_line');
        return;
      case 'other':
        return;
    }
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
