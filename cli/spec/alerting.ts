// The spec's `alerting:` section: where Alertmanager sends alerts. A list of receivers, each a
// chat, mail, pager or webhook integration that takes the severities it names. No secret is ever
// part of the spec: a receiver's token, webhook URL, password or routing key lives in a file of
// its own beside Alertmanager's config (receiverSecretPath), which Alertmanager reads through the
// integration's `*_file` setting.
import { checkHostPort, checkHttpUrl } from '../../core/spec/checks.js';
import { describe, join, type Obj, type Reader } from '../../core/spec/reader.js';

/** The severities our rules give alerts, most urgent first (lint holds rule files to them). */
export const SEVERITIES = ['critical', 'warning', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const RECEIVER_TYPES = ['telegram', 'discord', 'slack', 'email', 'pagerduty', 'webhook'] as const;
export type ReceiverType = (typeof RECEIVER_TYPES)[number];

interface ReceiverBase {
  /** Alertmanager's receiver name, the name of its secret file and `alerts test --receiver`. */
  name: string;
  /** The severities it is sent. */
  severities: Severity[];
}

export type ReceiverSpec = ReceiverBase &
  (
    | { type: 'telegram'; chat_id: number; /** Bot API server; empty: Telegram's. */ api_url: string }
    | { type: 'discord' }
    | { type: 'slack'; /** Empty: the webhook's own channel. */ channel: string }
    | { type: 'email'; to: string; from: string; smarthost: string; /** Empty: no SMTP auth, so no password file. */ auth_username: string; require_tls: boolean }
    | { type: 'pagerduty'; /** Events API v2 endpoint; empty: PagerDuty's. */ url: string }
    | { type: 'webhook'; /** The URL in the spec (as the older `webhook_url` key had it), world-readable; empty: in the secret file. */ url: string }
  );

export interface AlertingSpec {
  receivers: ReceiverSpec[];
  /** Where the Grafana links in messages point: an address people reach from their phones. Empty: the stack's own Grafana address. */
  grafana_url: string;
}

/** What each receiver type keeps in its secret file, for prompts, flags and errors. */
export const RECEIVER_SECRETS: Record<ReceiverType, string> = {
  telegram: 'the bot token',
  discord: 'the webhook URL',
  slack: 'the incoming-webhook URL',
  email: 'the SMTP password',
  pagerduty: 'the Events API v2 routing (integration) key',
  webhook: 'the webhook URL',
};

/** Pager-type receivers wake people: only critical alerts, unless the spec says otherwise. */
export const DEFAULT_SEVERITIES: Record<ReceiverType, readonly Severity[]> = {
  telegram: ['critical', 'warning'],
  discord: ['critical', 'warning'],
  slack: ['critical', 'warning'],
  email: ['critical', 'warning'],
  pagerduty: ['critical'],
  webhook: SEVERITIES,
};

/** Where a receiver's secret lives in the stack folder (inside Alertmanager's mounted folder). */
export function receiverSecretPath(name: string): string {
  return `alertmanager/secrets/${name}`;
}

/** Whether a receiver reads a secret file: all do but e-mail without SMTP auth, and a webhook whose URL the spec holds. */
export function needsSecret(r: ReceiverSpec): boolean {
  if (r.type === 'email') return r.auth_username !== '';
  if (r.type === 'webhook') return r.url === '';
  return true;
}

// A receiver name is a file name and an Alertmanager receiver name; `none` is the stack's own sink.
const RECEIVER_NAME = /^[a-z0-9][a-z0-9_-]{0,31}$/;
const checkReceiverName = (s: string) =>
  s === 'none'
    ? 'got "none"; that name is kept for alerts sent nowhere: choose another'
    : RECEIVER_NAME.test(s) ? undefined : `got "${s}"; allowed: 1 to 32 lower-case letters, digits, "-" and "_", starting with a letter or digit`;
const checkMailAddress = (s: string) => (/^[^\s@<>,]+@[^\s@<>,]+$/.test(s) ? undefined : `got "${s}"; allowed: one address such as ops@example.org`);
const optionalUrl = (s: string) => (s ? checkHttpUrl(s) : undefined);

const KEYS: Record<ReceiverType, readonly string[]> = {
  telegram: ['chat_id', 'api_url'],
  discord: [],
  slack: ['channel'],
  email: ['to', 'from', 'smarthost', 'auth_username', 'require_tls'],
  pagerduty: ['url'],
  webhook: ['url'],
};

function readChatId(r: Reader, obj: Obj, key: string): number {
  const v = obj.chat_id;
  // Group and channel ids are negative; a YAML string of digits is taken as the number it spells.
  const n = typeof v === 'string' && /^-?\d{1,19}$/.test(v) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n === 0) {
    r.problem(join(key, 'chat_id'), `${v === undefined ? 'required' : `got ${describe(v)}`}; allowed: the chat's numeric id, such as 123456789 or -1001234567890 (ask @userinfobot or the Bot API's getUpdates)`);
    return 0;
  }
  return n;
}

function readSeverities(r: Reader, obj: Obj, key: string, type: ReceiverType): Severity[] {
  const list = r.list(obj, key, 'severities');
  if (!list) return [...DEFAULT_SEVERITIES[type]];
  const out: Severity[] = [];
  list.forEach((s, i) => {
    if (typeof s === 'string' && (SEVERITIES as readonly string[]).includes(s)) {
      if (!out.includes(s as Severity)) out.push(s as Severity);
    } else r.problem(join(join(key, 'severities'), i), `got ${describe(s)}; allowed: ${SEVERITIES.join(', ')}`);
  });
  if (list.length === 0) r.problem(join(key, 'severities'), `empty: name at least one of ${SEVERITIES.join(', ')}, or remove the receiver`);
  return out;
}

function readReceiver(r: Reader, raw: unknown, key: string): ReceiverSpec | undefined {
  const obj = r.object(raw, key);
  if (!obj) {
    if (raw === undefined || raw === null) r.problem(key, 'expected a mapping with name and type');
    return undefined;
  }
  if (obj.type === undefined) r.problem(join(key, 'type'), `required; allowed: ${RECEIVER_TYPES.join(', ')}`);
  const type = r.oneOf(obj, key, 'type', RECEIVER_TYPES, 'webhook');
  r.noUnknownKeys(obj, key, ['name', 'type', 'severities', ...KEYS[type]]);
  const base = { name: r.string(obj, key, 'name', type, checkReceiverName), severities: readSeverities(r, obj, key, type) };
  const text = (field: string, check?: (s: string) => string | undefined) => r.string(obj, key, field, '', check);
  const required = (field: string, check: (s: string) => string | undefined) => {
    if (obj[field] === undefined) r.problem(join(key, field), `required for a ${type} receiver`);
    return text(field, check);
  };
  switch (type) {
    case 'telegram':
      return { ...base, type, chat_id: readChatId(r, obj, key), api_url: text('api_url', optionalUrl) };
    case 'discord':
      return { ...base, type };
    case 'slack':
      return { ...base, type, channel: text('channel') };
    case 'email': {
      const tls = obj.require_tls ?? true;
      if (typeof tls !== 'boolean') r.problem(join(key, 'require_tls'), `got ${describe(tls)}; allowed: true or false`);
      return {
        ...base, type,
        to: required('to', checkMailAddress), from: required('from', checkMailAddress), smarthost: required('smarthost', checkHostPort),
        auth_username: text('auth_username'), require_tls: tls !== false,
      };
    }
    case 'pagerduty':
      return { ...base, type, url: text('url', optionalUrl) };
    case 'webhook':
      return { ...base, type, url: text('url', optionalUrl) };
  }
}

/**
 * Reads `alerting:`. The first shape of the section (`receiver: none|webhook` and `webhook_url`)
 * is still read, as a webhook receiver whose URL the spec holds; `generate` writes it back in the
 * list shape.
 */
export function readAlerting(r: Reader, raw: unknown, key = 'alerting'): AlertingSpec {
  const obj = r.object(raw, key) ?? {};
  r.noUnknownKeys(obj, key, ['receivers', 'grafana_url', 'receiver', 'webhook_url']);
  const grafana_url = r.string(obj, key, 'grafana_url', '', optionalUrl);
  if (obj.receiver !== undefined || obj.webhook_url !== undefined) {
    if (obj.receivers !== undefined) r.problem(join(key, 'receiver'), 'the older receiver/webhook_url keys and receivers cannot be mixed: keep receivers');
    const legacy = r.oneOf(obj, key, 'receiver', ['none', 'webhook'] as const, 'none');
    const url = r.string(obj, key, 'webhook_url', '', optionalUrl);
    if (legacy === 'webhook' && !url) r.problem(join(key, 'webhook_url'), 'required when alerting.receiver is webhook');
    const receivers: ReceiverSpec[] = legacy === 'webhook' ? [{ name: 'webhook', type: 'webhook', severities: [...SEVERITIES], url }] : [];
    return { receivers, grafana_url };
  }
  const receivers: ReceiverSpec[] = [];
  (r.list(obj, key, 'receivers') ?? []).forEach((item, i) => {
    const rec = readReceiver(r, item, join(join(key, 'receivers'), i));
    if (!rec) return;
    if (receivers.some((x) => x.name === rec.name)) r.problem(join(join(join(key, 'receivers'), i), 'name'), `"${rec.name}" is already the name of another receiver; give each its own (it names its secret file)`);
    receivers.push(rec);
  });
  return { receivers, grafana_url };
}
