// `create`'s questions on where alerts go: which receivers (several at once), then for each what it
// needs. A secret is asked for as the path of a file that holds it, never typed in (it would show
// on the screen); the file is checked here, and copied into the stack by `create`.
import checkbox from '@inquirer/checkbox';
import input from '@inquirer/input';
import { RECEIVER_SECRETS, RECEIVER_TYPES, type ReceiverType } from '../spec/alerting.js';
import type { ReceiverAnswer } from '../spec/from-answers.js';
import { readSecretFile } from '../io/receiver-secrets.js';

const TITLES: Record<ReceiverType, string> = {
  telegram: 'Telegram (a bot posts to a chat)',
  discord: 'Discord (a channel webhook)',
  slack: 'Slack (an incoming webhook)',
  email: 'e-mail (through an SMTP server)',
  pagerduty: 'PagerDuty (Events API v2; critical alerts only by default)',
  webhook: 'a webhook of your own',
};

const fileHolding = (what: string) => async (): Promise<string> =>
  input({
    message: `File that holds ${what}`,
    validate: (path) => {
      try {
        readSecretFile(path.trim(), what);
        return true;
      } catch (err) {
        return (err as Error).message;
      }
    },
  }).then((p) => p.trim());

const required = (s: string) => (s.trim() ? true : 'required');

async function askReceiver(type: ReceiverType): Promise<ReceiverAnswer> {
  const secret = fileHolding(RECEIVER_SECRETS[type]);
  const base = { name: type, type };
  switch (type) {
    case 'telegram': {
      const chat = await input({ message: 'Telegram chat id (a number; a group\'s starts with -100)', validate: (s) => (/^-?\d+$/.test(s.trim()) ? true : 'a number such as -1001234567890') });
      return { receiver: { ...base, chat_id: chat.trim() }, secret: { file: await secret() } };
    }
    case 'email': {
      const to = await input({ message: 'Send alert e-mails to', validate: required });
      const from = await input({ message: 'From address', validate: required });
      const smarthost = await input({ message: 'SMTP server (host:port)', default: 'localhost:25', validate: required });
      const user = (await input({ message: 'SMTP user name (empty: no authentication)' })).trim();
      return { receiver: { ...base, to: to.trim(), from: from.trim(), smarthost: smarthost.trim(), ...(user ? { auth_username: user } : {}) }, ...(user ? { secret: { file: await secret() } } : {}) };
    }
    default:
      return { receiver: base, secret: { file: await secret() } };
  }
}

/** Asks which receivers alerts go to and what each needs; none chosen: alerts stay in Alertmanager. */
export async function promptReceivers(): Promise<ReceiverAnswer[]> {
  const types = await checkbox<ReceiverType>({
    message: 'Send alerts to (none: they stay in Alertmanager and Grafana)',
    choices: RECEIVER_TYPES.map((t) => ({ value: t, name: TITLES[t] })),
  });
  const out: ReceiverAnswer[] = [];
  for (const t of types) out.push(await askReceiver(t));
  return out;
}
