// What the fibre and bitcoin-core collectors share: typed events read from the tab-separated lines
// bpf/*.bt print (or from replay records), and validation:block_connected, which both FIBRE
// bitcoind and Bitcoin Core fire.
import type { MetricSet } from '../../exporter/index.js';

export type FieldKind = 'hash' | 'string' | 'int';
/** An event's fields in the order its printf line carries them after the event name. */
export type EventFields = Record<string, FieldKind>;

/**
 * Parses `NAME\tFIELD\t...` into `{type: NAME, field: value, ...}` by the event's field list.
 * Throws with the reason when the line is not one of the events or a field is malformed.
 */
export function parseEventLine<E>(events: Record<string, EventFields>, line: string): E {
  const values = line.split('\t');
  const type = values[0];
  const fields = Object.hasOwn(events, type) ? events[type] : undefined;
  if (!fields) throw new Error(`unknown event ${JSON.stringify(type)}`);
  const names = Object.keys(fields);
  if (values.length - 1 !== names.length) throw new Error(`${type}: expected ${names.length} fields, got ${values.length - 1}`);
  // A plain loop and no per-field strings: this runs once per traced event, up to ~100,000 a second.
  const event: Record<string, unknown> = { type };
  for (let i = 0; i < names.length; i++) event[names[i]] = fieldValue(fields[names[i]], values[i + 1], type, names[i]);
  return event as E;
}

/** Checks a decoded JSON record (replay) against the same field lists; extra keys are ignored. */
export function checkEventRecord<E>(events: Record<string, EventFields>, record: Record<string, unknown>): E {
  const type = record.type;
  const fields = typeof type === 'string' && Object.hasOwn(events, type) ? events[type] : undefined;
  if (!fields) throw new Error(`unknown event type ${JSON.stringify(type)} (known: ${Object.keys(events).join(', ')})`);
  const event: Record<string, unknown> = { type };
  for (const [name, kind] of Object.entries(fields)) {
    const v = record[name];
    if (kind === 'int' ? !Number.isSafeInteger(v) : typeof v !== 'string') throw new Error(`${type}.${name} must be ${kind === 'int' ? 'a whole number' : 'a string'}, got ${JSON.stringify(v)}`);
    event[name] = fieldValue(kind, String(v), type as string, name);
  }
  return event as E;
}

/** The message names the field as `event.field`, made only when a field is malformed. */
function fieldValue(kind: FieldKind, s: string, type: string, name: string): string | number {
  switch (kind) {
    case 'int':
      if (!/^-?\d+$/.test(s)) throw new Error(`${type}.${name} is not a whole number: ${JSON.stringify(s)}`);
      return Number(s);
    case 'hash':
      if (!/^[0-9a-f]{64}$/.test(s)) throw new Error(`${type}.${name} is not a 64-character hex hash: ${JSON.stringify(s)}`);
      return s;
    case 'string':
      return s;
  }
}

/**
 * A label value from a string the traced program passed: kept when it looks like the bounded
 * vocabulary it should be (message types, peers, reasons such as `min relay fee not met`), else `other`, so a corrupted or
 * hostile string cannot create unbounded series.
 */
export function labelValue(s: string): string {
  return /^[\w .:[\]/*+(),=-]{1,64}$/.test(s) ? s : 'other';
}

export interface BlockConnectedEvent {
  type: 'block_connected';
  hash: string;
  height: number;
  txs: number;
  inputs: number;
  sigops: number;
  /** Connect time in nanoseconds. */
  nanos: number;
}

export const BLOCK_CONNECTED_FIELDS: EventFields = { hash: 'hash', height: 'int', txs: 'int', inputs: 'int', sigops: 'int', nanos: 'int' };

export function applyBlockConnected(m: MetricSet, node: string, e: BlockConnectedEvent): void {
  m.counter('bitcoin_blocks_connected_total').inc({ node });
  m.histogram('bitcoin_block_connection_duration_seconds').observe({ node }, e.nanos / 1e9);
  m.histogram('bitcoin_block_tx_count').observe({ node }, e.txs);
}
