// A node of the `profiles.miner` section of fibre-stack.yml: a rig, with its bitstream and one log
// per card. Card names are unique within a rig; two rigs may both have a `left`.
import { checkAbsolutePath, checkCardName, checkNodeName } from '../../core/spec/checks.js';
import { join, type Reader } from '../../core/spec/reader.js';

export const BITSTREAMS = ['tokenminer', 'rb4', 'nimiq'] as const;
export type Bitstream = (typeof BITSTREAMS)[number];

export interface MinerLogSpec {
  path: string;
  card: string;
}

export interface MinerProfileSpec {
  /** The rig's name: the `node` label of its cards' series and log lines. */
  node_name: string;
  bitstream: Bitstream;
  logs: MinerLogSpec[];
  exporter_port: number;
  /** Seconds without growth after which a log counts as stale. */
  stale_after_seconds: number;
}

/** Two minutes: miners print their stats line every few seconds. */
export const STALE_AFTER_SECONDS = 120;

export function minerDefaults(exporterPort: number): MinerProfileSpec {
  return {
    node_name: 'localhost',
    bitstream: 'tokenminer',
    logs: [{ path: '/var/log/whitefire/miner.log', card: 'card0' }],
    exporter_port: exporterPort,
    stale_after_seconds: STALE_AFTER_SECONDS,
  };
}

/** Cards are named in the order of the logs; an unnamed one is card0, card1, ... by its place. */
export const defaultCard = (index: number) => `card${index}`;

export function readMiner(r: Reader, value: unknown, key: string, base: MinerProfileSpec): MinerProfileSpec {
  const o = r.object(value, key) ?? {};
  r.noUnknownKeys(o, key, Object.keys(base));
  const rawLogs = r.list(o, key, 'logs');
  const logs = rawLogs
    ? rawLogs.map((item, i) => {
        const k = join(join(key, 'logs'), i);
        const lo = r.object(item, k) ?? {};
        r.noUnknownKeys(lo, k, ['path', 'card']);
        return {
          path: r.string(lo, k, 'path', '', checkAbsolutePath),
          card: r.string(lo, k, 'card', defaultCard(i), checkCardName),
        };
      })
    : base.logs;
  if (rawLogs && logs.length === 0) r.problem(join(key, 'logs'), 'needs at least one log: {path, card}');
  const cards = logs.map((l) => l.card);
  const dup = cards.find((c, i) => cards.indexOf(c) !== i);
  if (dup !== undefined) r.problem(join(key, 'logs'), `card "${dup}" appears twice; each log needs its own card name`);
  return {
    node_name: r.string(o, key, 'node_name', base.node_name, checkNodeName),
    bitstream: r.oneOf(o, key, 'bitstream', BITSTREAMS, base.bitstream),
    logs,
    exporter_port: r.port(o, key, 'exporter_port', base.exporter_port),
    stale_after_seconds: r.positiveInt(o, key, 'stale_after_seconds', base.stale_after_seconds),
  };
}
