// `create`'s flags for where alerts go: one set per receiver type, several types at once. A secret
// (token, webhook URL, password, routing key) is given as a file, never as a flag value that
// would sit in the shell's history and the process list: `create` copies it into the stack
// folder for Alertmanager alone. `--alert-webhook URL` stays from the first version of these
// flags; its URL goes into the secret file too.
import type { PlainOption } from '../plain-argv.js';
import { UserError } from '../../core/errors.js';
import { checkHttpUrl } from '../../core/spec/checks.js';
import { RECEIVER_TYPES, SEVERITIES, type ReceiverType } from '../spec/alerting.js';
import type { ReceiverAnswer, SecretSource } from '../spec/from-answers.js';

export interface AlertFlags {
  alertTelegram?: string;
  alertTelegramTokenFile?: string;
  alertTelegramApiUrl?: string;
  alertDiscordUrlFile?: string;
  alertSlackUrlFile?: string;
  alertSlackChannel?: string;
  alertEmail?: string;
  alertEmailFrom?: string;
  alertEmailSmarthost?: string;
  alertEmailUser?: string;
  alertEmailPasswordFile?: string;
  alertPagerdutyKeyFile?: string;
  alertPagerdutyUrl?: string;
  alertWebhook?: string;
  alertWebhookUrlFile?: string;
  alertSeverities?: unknown[];
  grafanaUrl?: string;
}

const s = (describe: string) => ({ type: 'string' as const, describe });

/** The alert flags, as data: yargs' builder and the plain command line (cli/plain-argv.ts) read the same record. */
export const ALERT_OPTIONS = {
  'alert-telegram': s('Send alerts to this Telegram chat id (with --alert-telegram-token-file)'),
  'alert-telegram-token-file': s('File holding the Telegram bot token'),
  'alert-telegram-api-url': s('Telegram Bot API server (default Telegram\'s)'),
  'alert-discord-url-file': s('Send alerts to Discord: file holding the channel webhook URL'),
  'alert-slack-url-file': s('Send alerts to Slack: file holding the incoming-webhook URL'),
  'alert-slack-channel': s('Slack channel (default: the webhook\'s own)'),
  'alert-email': s('Send alerts by e-mail to this address (with --alert-email-from and --alert-email-smarthost)'),
  'alert-email-from': s('Sender address of alert e-mails'),
  'alert-email-smarthost': s('SMTP server as host:port'),
  'alert-email-user': s('SMTP user name (with --alert-email-password-file)'),
  'alert-email-password-file': s('File holding the SMTP password'),
  'alert-pagerduty-key-file': s('Send alerts to PagerDuty: file holding the Events API v2 routing key'),
  'alert-pagerduty-url': s('PagerDuty Events API v2 URL (default PagerDuty\'s; the EU service has its own)'),
  'alert-webhook-url-file': s('Send alerts to a webhook: file holding its URL'),
  'alert-webhook': s('Send alerts to this webhook URL (kept in a secret file, not in fibre-stack.yml)'),
  'alert-severities': {
    type: 'array',
    string: true,
    describe: `Severities a receiver takes, as TYPE=SEVERITY,... (e.g. telegram=critical); ${SEVERITIES.join(', ')}. Defaults: pagerduty critical, webhook all, others critical and warning`,
  },
  'grafana-url': s('Grafana address for the links in alerts, as reached from a phone (default the stack\'s own)'),
} satisfies Record<string, PlainOption>;

/** What each receiver type's flags say, or undefined when none of them was given. */
function receiverFromFlags(type: ReceiverType, f: AlertFlags): { receiver: Record<string, unknown>; secret?: SecretSource } | undefined {
  const file = (path: string | undefined, flag: string): SecretSource => {
    if (!path) throw new UserError(`--${flag} is needed with the other --alert-${type} flags: name the file that holds ${flag.includes('token') ? 'the bot token' : 'the secret'}`);
    return { file: path };
  };
  switch (type) {
    case 'telegram':
      if (f.alertTelegram === undefined && !f.alertTelegramTokenFile && !f.alertTelegramApiUrl) return undefined;
      if (f.alertTelegram === undefined) throw new UserError('--alert-telegram-token-file and --alert-telegram-api-url need --alert-telegram CHAT_ID, the chat alerts go to');
      return { receiver: { chat_id: f.alertTelegram, ...(f.alertTelegramApiUrl ? { api_url: f.alertTelegramApiUrl } : {}) }, secret: file(f.alertTelegramTokenFile, 'alert-telegram-token-file') };
    case 'discord':
      return f.alertDiscordUrlFile ? { receiver: {}, secret: { file: f.alertDiscordUrlFile } } : undefined;
    case 'slack':
      if (!f.alertSlackUrlFile && !f.alertSlackChannel) return undefined;
      return { receiver: f.alertSlackChannel ? { channel: f.alertSlackChannel } : {}, secret: file(f.alertSlackUrlFile, 'alert-slack-url-file') };
    case 'email': {
      const detail = f.alertEmailFrom ?? f.alertEmailSmarthost ?? f.alertEmailUser ?? f.alertEmailPasswordFile;
      if (f.alertEmail === undefined && detail === undefined) return undefined;
      if (f.alertEmail === undefined) throw new UserError('the --alert-email-* flags need --alert-email TO, the address alerts go to');
      if (f.alertEmailUser && !f.alertEmailPasswordFile) throw new UserError('--alert-email-user needs --alert-email-password-file, the file that holds the SMTP password');
      const receiver = { to: f.alertEmail, from: f.alertEmailFrom, smarthost: f.alertEmailSmarthost, ...(f.alertEmailUser ? { auth_username: f.alertEmailUser } : {}) };
      return { receiver, ...(f.alertEmailUser ? { secret: { file: f.alertEmailPasswordFile! } } : {}) };
    }
    case 'pagerduty':
      if (!f.alertPagerdutyKeyFile && !f.alertPagerdutyUrl) return undefined;
      return { receiver: f.alertPagerdutyUrl ? { url: f.alertPagerdutyUrl } : {}, secret: file(f.alertPagerdutyKeyFile, 'alert-pagerduty-key-file') };
    case 'webhook':
      if (f.alertWebhook !== undefined && f.alertWebhookUrlFile) throw new UserError('give the webhook URL once: --alert-webhook or --alert-webhook-url-file');
      if (f.alertWebhook !== undefined) {
        // Checked here: it goes to the secret file, which the spec reader never sees.
        const wrong = checkHttpUrl(f.alertWebhook);
        if (wrong) throw new UserError(`--alert-webhook: ${wrong}`);
        return { receiver: {}, secret: { value: f.alertWebhook } };
      }
      return f.alertWebhookUrlFile ? { receiver: {}, secret: { file: f.alertWebhookUrlFile } } : undefined;
  }
}

/** `--alert-severities telegram=critical,warning pagerduty=critical` by receiver type. */
function severitiesByType(values: unknown[] | undefined): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const v of values ?? []) {
    const m = /^([a-z]+)=(.*)$/.exec(String(v));
    if (!m || !(RECEIVER_TYPES as readonly string[]).includes(m[1])) {
      throw new UserError(`--alert-severities: got "${String(v)}"; allowed: TYPE=SEVERITY,... with TYPE one of ${RECEIVER_TYPES.join(', ')}, e.g. telegram=critical,warning`);
    }
    out.set(m[1], m[2].split(',').map((x) => x.trim()).filter(Boolean));
  }
  return out;
}

/** The receivers the flags name (the spec reader then checks their values), or undefined when no receiver flag was given. */
export function receiversFromFlags(f: AlertFlags): ReceiverAnswer[] | undefined {
  const severities = severitiesByType(f.alertSeverities);
  const out: ReceiverAnswer[] = [];
  for (const type of RECEIVER_TYPES) {
    const given = receiverFromFlags(type, f);
    if (!given) continue;
    const sev = severities.get(type);
    out.push({ receiver: { name: type, type, ...given.receiver, ...(sev ? { severities: sev } : {}) }, ...(given.secret ? { secret: given.secret } : {}) });
  }
  const stray = [...severities.keys()].filter((t) => !out.some((r) => r.receiver.type === t));
  if (stray.length) throw new UserError(`--alert-severities names ${stray.join(', ')}, which no --alert-* flag sends to`);
  return out.length ? out : undefined;
}
