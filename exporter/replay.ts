// `fibre-stack exporter replay [FILE]`: plays a recording of FIBRE events (format in
// exporter/samples/README.md) through applyFibreEvent, the code the live fibre exporter uses, so
// a stack shows live dashboards with no bitcoind. --speed scales the pace; --loop starts over at
// the end, with heights moved on so the chain keeps growing and counters keep counting.
import { readFileSync } from 'node:fs';
import { UserError } from '../cli/errors.js';
import { checkEventRecord } from '../profiles/bitcoind-events.js';
import { applyFibreEvent, FIBRE_EVENT_FIELDS, type FibreEvent } from '../profiles/fibre/events.js';
import { fibreMetrics } from '../profiles/fibre/metrics.js';
import type { CommonExporterOptions } from './options.js';
import { packagePath } from './package-root.js';
import { startRuntime, untilSignal } from './runtime.js';

export interface ReplayOptions extends CommonExporterOptions {
  file?: string;
  speed: number;
  loop: boolean;
}

export interface ReplayRecord {
  /** Seconds since the start of the recording. */
  t: number;
  event: FibreEvent;
}

export const SAMPLE_RECORDING = ['exporter', 'samples', 'fibre-replay.jsonl'] as const;
/** Pause between the last event and the first of the next round when looping. */
const LOOP_GAP_SECONDS = 1;

/** Reads and checks a recording; a bad line is reported with its number, nothing is half-played. */
export function loadRecording(file: string): ReplayRecord[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UserError(`cannot read the recording ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}. Give a JSON-lines recording (see exporter/samples/README.md).`);
  }
  const records: ReplayRecord[] = [];
  let lastT = 0;
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (line === '') return;
    const where = `${file} line ${index + 1}`;
    let obj: Record<string, unknown>;
    try {
      obj = JSON.parse(line);
    } catch (err) {
      throw new UserError(`${where} is not JSON: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) throw new UserError(`${where}: expected a JSON object`);
    if ('recording' in obj) {
      if (obj.recording !== 'fibre-stack/v1' || (obj.profile !== undefined && obj.profile !== 'fibre')) {
        throw new UserError(`${where}: unsupported recording header (this exporter plays {"recording":"fibre-stack/v1","profile":"fibre"})`);
      }
      return;
    }
    const t = obj.t;
    if (typeof t !== 'number' || !Number.isFinite(t) || t < lastT) throw new UserError(`${where}: "t" must be a number of seconds, not below the previous event's (${lastT})`);
    lastT = t;
    try {
      records.push({ t, event: checkEventRecord<FibreEvent>(FIBRE_EVENT_FIELDS, obj) });
    } catch (err) {
      throw new UserError(`${where}: ${err instanceof Error ? err.message : String(err)}`);
    }
  });
  if (records.length === 0) throw new UserError(`${file} holds no events to replay.`);
  return records;
}

/** The event of a later round: heights moved on by whole rounds, so the chain keeps growing. */
function inRound(event: FibreEvent, round: number, heightSpan: number): FibreEvent {
  return 'height' in event && round > 0 ? { ...event, height: event.height + round * heightSpan } : event;
}

export async function runReplayExporter(opts: ReplayOptions): Promise<void> {
  const file = opts.file ?? packagePath(...SAMPLE_RECORDING);
  const records = loadRecording(file);
  const heights = records.flatMap((r) => ('height' in r.event ? [r.event.height] : []));
  const heightSpan = heights.length > 0 ? Math.max(...heights) - Math.min(...heights) + 1 : 0;
  const roundSeconds = records[records.length - 1].t + LOOP_GAP_SECONDS;

  const health = { ok: true, reason: 'OK' };
  const runtime = await startRuntime(opts, fibreMetrics, { bitcoind_path: `replay:${file}` }, () => health);
  const { metrics, self } = runtime;
  // No probes here: the event types the recording holds stand in for them, so "sees nothing" alerts stay quiet.
  self.probesAttached(new Set(records.map((r) => r.event.type)).size);
  process.stdout.write(
    `replaying ${file}: ${records.length} events over ${records[records.length - 1].t.toFixed(1)} s of recording at ${opts.speed}x${opts.loop ? ', looping' : ''}\n`,
  );

  const started = performance.now();
  let next = 0;
  let round = 0;
  let timer: NodeJS.Timeout | undefined;
  const tick = () => {
    const now = ((performance.now() - started) / 1000) * opts.speed;
    for (;;) {
      const due = round * roundSeconds + records[next].t;
      if (due > now) {
        timer = setTimeout(tick, ((due - now) / opts.speed) * 1000);
        return;
      }
      const event = inRound(records[next].event, round, heightSpan);
      applyFibreEvent(metrics, opts.nodeName, event);
      self.event(event.type);
      if (++next === records.length) {
        if (!opts.loop) {
          process.stdout.write('replay finished; still serving the metrics (Ctrl-C to stop)\n');
          return;
        }
        next = 0;
        round++;
      }
    }
  };
  tick();
  await untilSignal();
  clearTimeout(timer);
  await runtime.close();
}
