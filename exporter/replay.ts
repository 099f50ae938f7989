// `fibre-stack exporter replay [FILE]`: plays a recording (format in exporter/samples/README.md)
// through the code the live eBPF exporters use (applyFibreEvent, applyBitcoinCoreEvent and
// applyBitcoinCoreMap), so a stack shows live dashboards with no bitcoind. --speed scales the
// pace; --loop starts over at the end, with heights moved on so the chain keeps growing and
// counters keep counting.
import { existsSync, readFileSync } from 'node:fs';
import { UserError } from '../core/errors.js';
import { checkEventRecord, type EventFields } from '../profiles/bitcoind/events.js';
import { applyBitcoinCoreEvent, applyBitcoinCoreMap, BITCOIN_CORE_EVENT_FIELDS, BITCOIN_CORE_MAP_NAMES, type BitcoinCoreEvent } from '../profiles/bitcoin-core/events.js';
import { bitcoinCoreMetrics } from '../profiles/bitcoin-core/metrics.js';
import type { MetricDef } from '../core/catalog.js';
import { applyFibreEvent, FIBRE_EVENT_FIELDS, type FibreEvent } from '../profiles/fibre/events.js';
import { fibreMetrics } from '../profiles/fibre/metrics.js';
import { MapDeltas } from './bpftrace.js';
import type { MetricSet } from './metrics-registry.js';
import type { CommonExporterOptions } from './options.js';
import { packagePath } from '../core/package-root.js';
import { startRuntime, untilSignal } from './runtime.js';

export interface ReplayOptions extends CommonExporterOptions {
  /** A recording's path, or the name of a shipped sample (`fibre`, `bitcoin-core`). */
  file?: string;
  speed: number;
  loop: boolean;
}

/** A kernel-map total as bpftrace prints it (bitcoin-core recordings). */
export interface MapRecord {
  type: 'map';
  name: string;
  value: number | Record<string, number>;
}

export type ReplayEvent = FibreEvent | BitcoinCoreEvent | MapRecord;

export interface ReplayRecord {
  /** Seconds since the start of the recording. */
  t: number;
  event: ReplayEvent;
}

export interface Recording {
  profile: ProfileId;
  records: ReplayRecord[];
}

type ProfileId = 'fibre' | 'bitcoin-core';

/** What a recording of each profile holds and which live code plays it. */
const PLAYERS: Record<ProfileId, { metrics: readonly MetricDef[]; fields: Record<string, EventFields>; maps: readonly string[]; start(m: MetricSet, node: string): Player }> = {
  fibre: {
    metrics: fibreMetrics,
    fields: FIBRE_EVENT_FIELDS,
    maps: [],
    start: (m, node) => ({ event: (e) => applyFibreEvent(m, node, e as FibreEvent), map: () => undefined, newRound: () => undefined }),
  },
  'bitcoin-core': {
    metrics: bitcoinCoreMetrics,
    fields: BITCOIN_CORE_EVENT_FIELDS,
    maps: BITCOIN_CORE_MAP_NAMES,
    start: (m, node) => {
      const deltas = new MapDeltas();
      // Map totals restart each round, as they do when bpftrace restarts.
      return { event: (e) => applyBitcoinCoreEvent(m, node, e as BitcoinCoreEvent), map: (r) => applyBitcoinCoreMap(m, node, deltas, r.name, r.value), newRound: () => deltas.newRun() };
    },
  },
};

interface Player {
  event(e: FibreEvent | BitcoinCoreEvent): void;
  map(r: MapRecord): void;
  newRound(): void;
}

/** Pause between the last event and the first of the next round when looping. */
const LOOP_GAP_SECONDS = 1;

/** A shipped sample by name (exporter/samples/<name>-replay.jsonl), or the path as given. */
export function recordingPath(file: string | undefined): string {
  const name = file ?? 'fibre';
  const sample = packagePath('exporter', 'samples', `${name}-replay.jsonl`);
  if (/^[\w-]+$/.test(name) && !existsSync(name) && existsSync(sample)) return sample;
  return name;
}

/** Reads and checks a recording; a bad line is reported with its number, nothing is half-played. */
export function loadRecording(file: string): Recording {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UserError(
      `cannot read the recording ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}. Give a JSON-lines recording (see exporter/samples/README.md) or a shipped sample: fibre, bitcoin-core.`,
    );
  }
  let profile: ProfileId = 'fibre';
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
      const known = Object.keys(PLAYERS);
      if (obj.recording !== 'fibre-stack/v1' || records.length > 0 || (obj.profile !== undefined && !known.includes(String(obj.profile)))) {
        throw new UserError(`${where}: unsupported recording header; the first line may be {"recording":"fibre-stack/v1","profile":"${known.join('" or "')}"}`);
      }
      profile = (obj.profile as ProfileId | undefined) ?? 'fibre';
      return;
    }
    const t = obj.t;
    if (typeof t !== 'number' || !Number.isFinite(t) || t < lastT) throw new UserError(`${where}: "t" must be a number of seconds, not below the previous event's (${lastT})`);
    lastT = t;
    try {
      records.push({ t, event: obj.type === 'map' ? checkMapRecord(PLAYERS[profile].maps, obj) : checkEventRecord<ReplayEvent>(PLAYERS[profile].fields, obj) });
    } catch (err) {
      throw new UserError(`${where}: ${err instanceof Error ? err.message : String(err)}`);
    }
  });
  if (records.length === 0) throw new UserError(`${file} holds no events to replay.`);
  return { profile, records };
}

function checkMapRecord(maps: readonly string[], obj: Record<string, unknown>): MapRecord {
  const { name, value } = obj;
  if (typeof name !== 'string' || !maps.includes(name)) throw new Error(`map records name one of the maps ${maps.join(', ') || '(none in this profile)'}, not ${JSON.stringify(name)}`);
  const total = (v: unknown) => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
  const ok = total(value) || (typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).every(total));
  if (!ok) throw new Error(`${name}: "value" must be a total (a whole number) or an object of totals by key`);
  return { type: 'map', name, value: value as MapRecord['value'] };
}

/** The event of a later round: heights moved on by whole rounds, so the chain keeps growing. */
function inRound(event: ReplayEvent, round: number, heightSpan: number): ReplayEvent {
  return 'height' in event && round > 0 ? { ...event, height: event.height + round * heightSpan } : event;
}

export async function runReplayExporter(opts: ReplayOptions): Promise<void> {
  const file = recordingPath(opts.file);
  const { profile, records } = loadRecording(file);
  const heights = records.flatMap((r) => ('height' in r.event ? [r.event.height] : []));
  const heightSpan = heights.length > 0 ? Math.max(...heights) - Math.min(...heights) + 1 : 0;
  const last = records[records.length - 1].t;
  const roundSeconds = last + LOOP_GAP_SECONDS;

  const health = { ok: true, reason: 'OK' };
  const runtime = await startRuntime(opts, PLAYERS[profile].metrics, { bitcoind_path: `replay:${file}` }, () => health);
  const { metrics, self } = runtime;
  const player = PLAYERS[profile].start(metrics, opts.nodeName);
  // No probes here: the event types the recording holds stand in for them, so "sees nothing" alerts stay quiet.
  self.probesAttached(new Set(records.map((r) => r.event.type)).size);
  process.stdout.write(`replaying ${file} (${profile}): ${records.length} events over ${last.toFixed(1)} s of recording at ${opts.speed}x${opts.loop ? ', looping' : ''}\n`);

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
      if (event.type === 'map') player.map(event);
      else {
        player.event(event);
        self.event(event.type);
      }
      if (++next === records.length) {
        if (!opts.loop) {
          process.stdout.write('replay finished; still serving the metrics (Ctrl-C to stop)\n');
          return;
        }
        next = 0;
        round++;
        player.newRound();
      }
    }
  };
  tick();
  await untilSignal();
  clearTimeout(timer);
  await runtime.close();
}
