// `fibre-stack exporter replay [FILE]`: plays a recording (format in exporter/samples/README.md)
// through the code a live exporter uses, so a stack shows live dashboards with nothing live
// behind it. The players are the profiles' (each eBPF profile has one); the command line hands
// them in, so this module names no profile. --speed scales the pace; --loop starts over at the
// end, with heights moved on so the chain keeps growing and counters keep counting.
//
// A recording may come from anyone, so it is bounded: a gap between two events longer than
// MAX_GAP_SECONDS is shortened to it (a timestamp of 1e300 would otherwise park the player for
// good), --speed has a ceiling (exporter/options.ts), each tick plays at most EVENTS_PER_TICK events
// before letting /metrics answer, an event its player throws on is counted and skipped rather than
// ending the run, and label values are bounded by the metric set (exporter/metrics-registry.ts).
import { existsSync, readFileSync } from 'node:fs';
import { UserError } from '../core/errors.js';
import type { MetricDef } from '../core/catalog.js';
import type { MetricSet } from './metrics-registry.js';
import type { CommonExporterOptions } from './options.js';
import { packagePath } from '../core/package-root.js';
import { startRuntime, untilSignal } from './runtime.js';

export interface ReplayOptions extends CommonExporterOptions {
  /** A recording's path, or the name of a shipped sample (a player's name). */
  file?: string;
  speed: number;
  loop: boolean;
}

/** A kernel-map total as bpftrace prints it. */
export interface MapRecord {
  type: 'map';
  name: string;
  value: number | Record<string, number>;
}

/** An event of a recording, as its player decoded it; a `height` moves on with each round. */
export interface RecordedEvent {
  type: string;
  height?: number;
}

export type ReplayEvent = RecordedEvent | MapRecord;

export interface ReplayRecord {
  /** Seconds since the start of the recording. */
  t: number;
  event: ReplayEvent;
}

export interface Recording {
  /** The player's name, from the recording's header. */
  profile: string;
  records: ReplayRecord[];
}

/** What a recording of one profile holds and which live code plays it. */
export interface ReplayPlayer<E extends RecordedEvent = RecordedEvent> {
  metrics: readonly MetricDef[];
  /** The kernel maps its recordings may total (map records), none for most. */
  maps: readonly string[];
  /** Checks and types one event record; throws with the reason when it is not one of its events. */
  decode(record: Record<string, unknown>): E;
  start(metrics: MetricSet, node: string): Player<E>;
}

export interface Player<E extends RecordedEvent = RecordedEvent> {
  event(e: E): void;
  map(r: MapRecord): void;
  /** A loop starts over: state that a restart of the live source would reset. */
  newRound(): void;
}

/**
 * A player by name, loaded when a recording needs it. Recordings name their player in their
 * header; the first player is the one for recordings without a header, and each player's shipped
 * sample is exporter/samples/<name>-replay.jsonl.
 */
export interface ReplaySource {
  name: string;
  load(): Promise<ReplayPlayer>;
}

/** Pause between the last event and the first of the next round when looping. */
const LOOP_GAP_SECONDS = 1;

/** The longest pause between two events that is played as recorded: an hour, longer than any quiet spell of a node. */
export const MAX_GAP_SECONDS = 3600;

const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/** Events played before the player yields to the event loop, however far behind it is. */
const EVENTS_PER_TICK = 1000;

/**
 * An event's whole-number fields must not be below zero (a counter cannot go back, and a live probe
 * never reports such values), except the ones named in `signed` (e.g. -1 for "did not happen").
 * For a player's decode(); throws with the field's name.
 */
export function nonNegative<E extends RecordedEvent>(event: E, signed: ReadonlySet<string> = new Set()): E {
  for (const [field, value] of Object.entries(event)) {
    if (typeof value === 'number' && value < 0 && !signed.has(field)) throw new Error(`${event.type}.${field} must not be negative, got ${value}`);
  }
  return event;
}

/** A shipped sample by name (exporter/samples/<name>-replay.jsonl), or the path as given. */
export function recordingPath(file: string | undefined, sources: readonly ReplaySource[]): string {
  const name = file ?? sources[0].name;
  const sample = packagePath('exporter', 'samples', `${name}-replay.jsonl`);
  if (/^[\w-]+$/.test(name) && !existsSync(name) && existsSync(sample)) return sample;
  return name;
}

/** Reads and checks a recording; a bad line is reported with its number, nothing is half-played. */
export async function loadRecording(file: string, sources: readonly ReplaySource[]): Promise<{ recording: Recording; player: ReplayPlayer }> {
  const names = sources.map((s) => s.name);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UserError(
      `cannot read the recording ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}. Give a JSON-lines recording (see exporter/samples/README.md) or a shipped sample: ${names.join(', ')}.`,
    );
  }
  let source = sources[0];
  let player: ReplayPlayer | undefined;
  const records: ReplayRecord[] = [];
  let lastT = 0;
  /** Where the last event plays, after long gaps were shortened. */
  let playT = 0;
  let shortened = 0;
  for (const [index, raw] of text.split('\n').entries()) {
    const line = raw.trim();
    if (line === '') continue;
    const where = `${file} line ${index + 1}`;
    let obj: Record<string, unknown>;
    try {
      obj = JSON.parse(line);
    } catch (err) {
      throw new UserError(`${where} is not JSON: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) throw new UserError(`${where}: expected a JSON object`);
    if ('recording' in obj) {
      const named = obj.profile === undefined ? sources[0] : sources.find((s) => s.name === obj.profile);
      if (obj.recording !== 'fibre-stack/v1' || records.length > 0 || !named) {
        throw new UserError(`${where}: unsupported recording header; the first line may be {"recording":"fibre-stack/v1","profile":"${names.join('" or "')}"}`);
      }
      source = named;
      continue;
    }
    const t = obj.t;
    if (typeof t !== 'number' || !Number.isFinite(t) || t < lastT) throw new UserError(`${where}: "t" must be a number of seconds, not below the previous event's (${lastT})`);
    const gap = t - lastT;
    if (gap > MAX_GAP_SECONDS) shortened++;
    playT += Math.min(gap, MAX_GAP_SECONDS);
    lastT = t;
    player ??= await source.load();
    try {
      records.push({ t: playT, event: obj.type === 'map' ? checkMapRecord(player.maps, obj) : player.decode(obj) });
    } catch (err) {
      throw new UserError(`${where}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  if (!player || records.length === 0) throw new UserError(`${file} holds no events to replay.`);
  if (shortened > 0) process.stdout.write(`${file}: ${shortened} pause(s) longer than ${MAX_GAP_SECONDS} s between events are played as ${MAX_GAP_SECONDS} s\n`);
  return { recording: { profile: source.name, records }, player };
}

function checkMapRecord(maps: readonly string[], obj: Record<string, unknown>): MapRecord {
  const { name, value } = obj;
  if (typeof name !== 'string' || !maps.includes(name)) throw new Error(`map records name one of the maps ${maps.join(', ') || '(none in this profile)'}, not ${JSON.stringify(name)}`);
  const total = (v: unknown) => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
  const ok = total(value) || (typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).every(total));
  if (!ok) throw new Error(`${name}: "value" must be a total (a whole number) or an object of totals by key`);
  return { type: 'map', name, value: value as MapRecord['value'] };
}

/** A record of the recording's format rather than of its player: `"type": "map"`. */
function isMapRecord(event: ReplayEvent): event is MapRecord {
  return event.type === 'map';
}

/** The event of a later round: heights moved on by whole rounds, so the chain keeps growing. */
function inRound(event: RecordedEvent, round: number, heightSpan: number): RecordedEvent {
  return event.height !== undefined && round > 0 ? { ...event, height: event.height + round * heightSpan } : event;
}

export async function runReplayExporter(opts: ReplayOptions, sources: readonly ReplaySource[]): Promise<void> {
  const file = recordingPath(opts.file, sources);
  const { recording, player: played } = await loadRecording(file, sources);
  const { profile, records } = recording;
  const heights = records.flatMap(({ event }) => (!isMapRecord(event) && event.height !== undefined ? [event.height] : []));
  const heightSpan = heights.length > 0 ? Math.max(...heights) - Math.min(...heights) + 1 : 0;
  const last = records[records.length - 1].t;
  const roundSeconds = last + LOOP_GAP_SECONDS;

  const health = { ok: true, reason: 'OK' };
  const runtime = await startRuntime(opts, played.metrics, { bitcoind_path: `replay:${file}` }, () => health);
  const { metrics, self } = runtime;
  const player = played.start(metrics, opts.nodeName);
  // No probes here: the event types the recording holds stand in for them, so "sees nothing" alerts stay quiet.
  self.probesAttached(new Set(records.map((r) => r.event.type)).size);
  process.stdout.write(`replaying ${file} (${profile}): ${records.length} events over ${last.toFixed(1)} s of recording at ${opts.speed}x${opts.loop ? ', looping' : ''}\n`);

  const started = performance.now();
  let next = 0;
  let round = 0;
  let timer: NodeJS.Timeout | undefined;
  let failures = 0;
  /** Plays one record; one its player throws on is counted and said (the first few), never fatal. */
  const play = (event: ReplayEvent) => {
    try {
      if (isMapRecord(event)) player.map(event);
      else {
        player.event(inRound(event, round, heightSpan));
        self.event(event.type);
      }
    } catch (err) {
      self.error('replay_event');
      if (++failures <= 3) process.stderr.write(`replay: a ${event.type} event could not be played (${err instanceof Error ? err.message : String(err)}); skipped\n`);
    }
  };
  const tick = () => {
    const now = ((performance.now() - started) / 1000) * opts.speed;
    for (let played = 0; ; played++) {
      if (played === EVENTS_PER_TICK) {
        // Behind the recording: catch up, but let /metrics and signals in between.
        timer = setTimeout(tick, 0);
        return;
      }
      const due = round * roundSeconds + records[next].t;
      if (due > now) {
        // Capped: past 2^31-1 ms, setTimeout fires at once, which would spin instead of wait.
        timer = setTimeout(tick, Math.min(((due - now) / opts.speed) * 1000, MAX_TIMEOUT_MS));
        return;
      }
      play(records[next].event);
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
