// The spec's alerting section: receivers of each type with their defaults and checks, the first
// shape of the section still read, and what create's flags make of it; the rendered
// alertmanager.yml routes by severity, reads every secret from a file and never holds one; the
// counters `alerts test` and `validate` read.
import { describe, expect, it } from 'vitest';
import { load } from 'js-yaml';
import { readSpecDocument } from '../cli/spec/validate.js';
import { defaultSpec } from '../cli/spec/defaults.js';
import { SpecError } from '../core/spec/reader.js';
import { receiversFromFlags } from '../cli/commands/alert-flags.js';
import { counterSamples, failuresByIntegration, receiverCount, receiverLogErrors, testAlert } from '../cli/run/alert-delivery.js';
import { fileOf, render } from './support/stack.js';
import { alertmanagerFlags } from '../cli/render/alertmanager.js';
import type { StackSpec } from '../cli/spec/types.js';

const read = (alerting: unknown, mode = 'docker'): StackSpec => readSpecDocument({ ...defaultSpec(), mode, alerting }).spec;
const problems = (alerting: unknown) => {
  try {
    read(alerting);
  } catch (err) {
    return (err as SpecError).problems;
  }
  return [];
};

describe('alerting receivers in the spec', () => {
  it('takes each type with its defaults: pager critical only, webhook everything, chat and mail critical and warning', () => {
    const spec = read({
      receivers: [
        { name: 'tg', type: 'telegram', chat_id: '-1001234567890' },
        { name: 'pd', type: 'pagerduty' },
        { name: 'hook', type: 'webhook' },
        { name: 'mail', type: 'email', to: 'ops@example.org', from: 'am@example.org', smarthost: 'smtp.example.org:587', auth_username: 'am' },
        { type: 'discord', severities: ['info', 'info'] },
      ],
    });
    expect(spec.alerting.receivers).toEqual([
      { name: 'tg', type: 'telegram', severities: ['critical', 'warning'], chat_id: -1001234567890, api_url: '' },
      { name: 'pd', type: 'pagerduty', severities: ['critical'], url: '' },
      { name: 'hook', type: 'webhook', severities: ['critical', 'warning', 'info'], url: '' },
      { name: 'mail', type: 'email', severities: ['critical', 'warning'], to: 'ops@example.org', from: 'am@example.org', smarthost: 'smtp.example.org:587', auth_username: 'am', require_tls: true },
      { name: 'discord', type: 'discord', severities: ['info'] },
    ]);
  });

  it('still reads the first shape: receiver webhook with webhook_url, or none', () => {
    expect(read({ receiver: 'webhook', webhook_url: 'https://h.example/x' }).alerting.receivers).toEqual([
      { name: 'webhook', type: 'webhook', severities: ['critical', 'warning', 'info'], url: 'https://h.example/x' },
    ]);
    expect(read({ receiver: 'none', webhook_url: '' }).alerting.receivers).toEqual([]);
  });

  it.each<[string, unknown, { key: string; problem: string }[]]>([
    ['a receiver without a type', { receivers: [{ name: 'x' }] }, [{ key: 'alerting.receivers[0].type', problem: 'required; allowed: telegram, discord, slack, email, pagerduty, webhook' }]],
    ['an unknown type', { receivers: [{ type: 'sms' }] }, [{ key: 'alerting.receivers[0].type', problem: 'got string "sms"; allowed: telegram, discord, slack, email, pagerduty, webhook' }]],
    ['a key of another type', { receivers: [{ type: 'slack', chat_id: 1 }] }, [{ key: 'alerting.receivers[0].chat_id', problem: 'unknown key; allowed here: name, type, severities, channel' }]],
    ['a chat id that is not a number', { receivers: [{ type: 'telegram', chat_id: 'ops' }] }, [{ key: 'alerting.receivers[0].chat_id', problem: 'got string "ops"; allowed: the chat\'s numeric id, such as 123456789 or -1001234567890 (ask @userinfobot or the Bot API\'s getUpdates)' }]],
    ['no chat id', { receivers: [{ type: 'telegram' }] }, [{ key: 'alerting.receivers[0].chat_id', problem: 'required; allowed: the chat\'s numeric id, such as 123456789 or -1001234567890 (ask @userinfobot or the Bot API\'s getUpdates)' }]],
    ['an e-mail receiver without its addresses', { receivers: [{ type: 'email', to: 'a b', smarthost: 'smtp' }] }, [
      { key: 'alerting.receivers[0].to', problem: 'got "a b"; allowed: one address such as ops@example.org' },
      { key: 'alerting.receivers[0].from', problem: 'required for a email receiver' },
      { key: 'alerting.receivers[0].smarthost', problem: 'got "smtp"; allowed: host:port, such as 10.0.0.5:9100' },
    ]],
    ['an unknown severity', { receivers: [{ type: 'webhook', severities: ['critical', 'page'] }] }, [{ key: 'alerting.receivers[0].severities[1]', problem: 'got string "page"; allowed: critical, warning, info' }]],
    ['no severities', { receivers: [{ type: 'webhook', severities: [] }] }, [{ key: 'alerting.receivers[0].severities', problem: 'empty: name at least one of critical, warning, info, or remove the receiver' }]],
    ['two receivers of one name', { receivers: [{ type: 'webhook' }, { type: 'webhook' }] }, [{ key: 'alerting.receivers[1].name', problem: '"webhook" is already the name of another receiver; give each its own (it names its secret file)' }]],
    ['a name that is no file name', { receivers: [{ name: '../x', type: 'webhook' }] }, [{ key: 'alerting.receivers[0].name', problem: 'got "../x"; allowed: 1 to 32 lower-case letters, digits, "-" and "_", starting with a letter or digit' }]],
    ['the name none', { receivers: [{ name: 'none', type: 'webhook' }] }, [{ key: 'alerting.receivers[0].name', problem: 'got "none"; that name is kept for alerts sent nowhere: choose another' }]],
    ['both shapes at once', { receiver: 'none', receivers: [] }, [{ key: 'alerting.receiver', problem: 'the older receiver/webhook_url keys and receivers cannot be mixed: keep receivers' }]],
    ['a Grafana URL that is not http', { grafana_url: 'grafana:3000' }, [{ key: 'alerting.grafana_url', problem: 'got "grafana:3000"; allowed: an http:// or https:// URL' }]],
  ])('refuses %s, naming the key', (_what, alerting, expected) => {
    expect(problems(alerting)).toEqual(expected);
  });
});

describe('create\'s receiver flags', () => {
  it('make one receiver per type given, secrets as files, and severities per type', () => {
    expect(receiversFromFlags({
      alertTelegram: '-100', alertTelegramTokenFile: '/k/tg', alertPagerdutyKeyFile: '/k/pd', alertWebhook: 'https://h.example/x',
      alertEmail: 'ops@example.org', alertEmailFrom: 'am@example.org', alertEmailSmarthost: 'smtp:25', alertSeverities: ['telegram=critical'],
    })).toEqual([
      { receiver: { name: 'telegram', type: 'telegram', chat_id: '-100', severities: ['critical'] }, secret: { file: '/k/tg' } },
      { receiver: { name: 'email', type: 'email', to: 'ops@example.org', from: 'am@example.org', smarthost: 'smtp:25' } },
      { receiver: { name: 'pagerduty', type: 'pagerduty' }, secret: { file: '/k/pd' } },
      { receiver: { name: 'webhook', type: 'webhook' }, secret: { value: 'https://h.example/x' } },
    ]);
    expect(receiversFromFlags({})).toBeUndefined();
  });

  it.each([
    [{ alertTelegramTokenFile: '/k' }, '--alert-telegram-token-file and --alert-telegram-api-url need --alert-telegram CHAT_ID'],
    [{ alertTelegramApiUrl: 'http://x' }, '--alert-telegram-token-file and --alert-telegram-api-url need --alert-telegram CHAT_ID'],
    [{ alertEmailFrom: 'a@b' }, 'the --alert-email-* flags need --alert-email TO'],
    [{ alertSlackChannel: '#ops' }, '--alert-slack-url-file is needed'],
    [{ alertEmail: 'a@b', alertEmailUser: 'u' }, '--alert-email-user needs --alert-email-password-file'],
    [{ alertWebhook: 'x', alertWebhookUrlFile: '/k' }, 'give the webhook URL once'],
    [{ alertDiscordUrlFile: '/k', alertSeverities: ['discord'] }, '--alert-severities: got "discord"'],
    [{ alertDiscordUrlFile: '/k', alertSeverities: ['slack=info'] }, '--alert-severities names slack, which no --alert-* flag sends to'],
  ])('%j is refused: %s', (flags, message) => {
    expect(() => receiversFromFlags(flags)).toThrow(message);
  });
});

describe('alertmanager.yml', () => {
  const spec = read({
    receivers: [
      { name: 'tg', type: 'telegram', chat_id: 42 },
      { name: 'pd', type: 'pagerduty' },
      { name: 'mail', type: 'email', to: 'ops@example.org', from: 'am@example.org', smarthost: 'smtp.example.org:587', auth_username: 'am' },
      { name: 'info', type: 'webhook', severities: ['info'] },
    ],
  });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const am = (s: StackSpec) => load(fileOf(render(s), 'alertmanager/alertmanager.yml')) as any;

  it('routes each severity to the receivers that take it, each with its repeat interval, and everything else nowhere', () => {
    const config = am(spec);
    expect(config.route.receiver).toBe('none');
    expect(config.route.group_by).toEqual(['alertname', 'job', 'node']);
    const bySeverity = config.route.routes.filter((r: { receiver?: string }) => !r.receiver);
    expect(bySeverity.map((r: { matchers: string[]; repeat_interval: string; routes: { receiver: string }[] }) => [r.matchers[0], r.repeat_interval, r.routes.map((x) => x.receiver)])).toEqual([
      ['severity="critical"', '1h', ['tg', 'pd', 'mail']],
      ['severity="warning"', '4h', ['tg', 'mail']],
      ['severity="info"', '24h', ['info']],
    ]);
    for (const r of bySeverity) for (const leaf of r.routes) expect(leaf.continue).toBe(true);
  });

  it('puts a test route per receiver first, each its own group, sent at once', () => {
    const tests = am(spec).route.routes.filter((r: { receiver?: string }) => r.receiver);
    expect(tests).toEqual(['tg', 'pd', 'mail', 'info'].map((name) => ({
      receiver: name, matchers: [`fibre_stack_test_receiver="${name}"`], group_by: ['fibre_stack_test_receiver', 'fibre_stack_test_run'], group_wait: '0s',
    })));
  });

  it('reads every secret from a file where Alertmanager runs: in its container, or the stack folder natively', () => {
    const docker = am(spec).receivers;
    expect(docker[1].telegram_configs[0]).toMatchObject({ bot_token_file: '/etc/alertmanager/secrets/tg', chat_id: 42, send_resolved: true });
    expect(docker[2].pagerduty_configs[0]).toMatchObject({ routing_key_file: '/etc/alertmanager/secrets/pd', severity: expect.stringContaining('.CommonLabels.severity') });
    expect(docker[3].email_configs[0]).toMatchObject({ auth_username: 'am', auth_password_file: '/etc/alertmanager/secrets/mail', require_tls: true });
    expect(docker[4].webhook_configs[0]).toEqual({ send_resolved: true, url_file: '/etc/alertmanager/secrets/info' });
    expect(am({ ...spec, mode: 'native' }).receivers[1].telegram_configs[0].bot_token_file).toBe('alertmanager/secrets/tg');
    expect(am(spec).templates).toEqual(['templates/*.tmpl']);
  });

  it('words every message with our template, and without a receiver sends nothing anywhere', () => {
    const text = fileOf(render(spec), 'alertmanager/alertmanager.yml');
    expect(text).not.toMatch(/bot_token:|api_url:|routing_key:|auth_password:|\burl:/);
    expect(am(spec).receivers[1].telegram_configs[0].message).toBe('{{ template "fibre_stack.text" . }}');
    expect(am(defaultSpec())).toMatchObject({ route: { receiver: 'none' }, receivers: [{ name: 'none' }] });
    expect(am(defaultSpec()).route.routes).toBeUndefined();
  });

  it('in a container, names receivers in Alertmanager\'s counters; natively not (an older Alertmanager refuses the flag)', () => {
    const compose = load(fileOf(render(spec), 'docker-compose.yml')) as { services: Record<string, { command: string[] }> };
    expect(compose.services.alertmanager.command).toContain('--enable-feature=receiver-name-in-metrics');
    expect(alertmanagerFlags({ config: 'c', data: 'd', listen: 'l', placement: 'host' })).not.toContain('--enable-feature=receiver-name-in-metrics');
  });

  it('defines the Grafana link per job from the shipped dashboards, at the grafana_url given', () => {
    const tmpl = fileOf(render({ ...spec, alerting: { ...spec.alerting, grafana_url: 'https://grafana.example/' } }), 'alertmanager/templates/fibre-stack.tmpl');
    expect(tmpl).toContain('{{ define "fibre_stack.grafana_line" }}Grafana: {{ if eq .Labels.job "fibre" }}{{ "https://grafana.example/d/fibre-relay" }}{{ else }}{{ "https://grafana.example/d/fibre-stack-overview" }}{{ end }}{{ if or .Labels.host .Labels.node }}?{{ with .Labels.host }}var-host={{ . }}{{ if $.Labels.node }}&{{ end }}{{ end }}{{ with .Labels.node }}var-node={{ . }}{{ end }}{{ end }}\n{{ end }}');
    expect(tmpl).toContain('{{ define "fibre_stack.text" -}}');
    const noGrafana = fileOf(render({ ...spec, disabled_services: ['grafana'] }), 'alertmanager/templates/fibre-stack.tmpl');
    expect(noGrafana).toContain('{{ define "fibre_stack.grafana_line" }}{{ end }}');
  });
});

describe('what alerts test and validate read', () => {
  const metrics = [
    '# HELP alertmanager_notification_requests_total The total number of attempted notification requests.',
    'alertmanager_notification_requests_total{integration="telegram"} 3',
    'alertmanager_notification_requests_total{integration="webhook",receiver_name="hook"} 2',
    'alertmanager_notification_requests_total{integration="webhook",receiver_name="other"} 5',
    'alertmanager_notification_requests_failed_total{integration="telegram"} 0',
    'alertmanager_notification_requests_failed_total{integration="webhook",receiver_name="hook"} 4',
    'alertmanager_notification_requests_failed_total_other{integration="telegram"} 9',
  ].join('\n');

  it('counts a receiver\'s attempts by its integration, and by its name where the labels carry it', () => {
    expect(counterSamples(metrics, 'alertmanager_notification_requests_total')).toHaveLength(3);
    expect(counterSamples('m{a="q\\"uo\\\\te\\n"} 1', 'm')).toEqual([{ labels: { a: 'q"uo\\te\n' }, value: 1 }]);
    expect(receiverCount(metrics, 'alertmanager_notification_requests_total', { name: 'tg', type: 'telegram' })).toBe(3);
    expect(receiverCount(metrics, 'alertmanager_notification_requests_total', { name: 'hook', type: 'webhook' })).toBe(2);
    expect(receiverCount(metrics, 'alertmanager_notification_requests_failed_total', { name: 'tg', type: 'telegram' })).toBe(0);
  });

  it('names the integrations with failed attempts', () => {
    expect(failuresByIntegration(metrics)).toEqual(['hook (webhook): 4 failed attempt(s)']);
    expect(failuresByIntegration('alertmanager_notification_requests_failed_total{integration="email"} 1')).toEqual(['email: 1 failed attempt(s)']);
  });

  it('keeps the log\'s warnings and errors about the receiver, newest last', () => {
    const lines = [
      'time=1 level=WARN msg="Notify attempt failed, will retry later" receiver=hook integration=webhook[0] err="unexpected status code 500"',
      'time=2 level=INFO msg="Notify success" receiver=hook integration=webhook[0]',
      'time=3 level=ERROR msg="Notify for alerts failed" receiver=hooks integration=webhook[0]',
      'level=warn ts=4 msg="Notify attempt failed" receiver=hook integration=webhook[0]',
    ];
    expect(receiverLogErrors(lines, 'hook')).toEqual([lines[0], lines[3]]);
  });

  it('posts a test alert that only the receiver\'s test route takes, resolving itself', () => {
    const a = testAlert('tg', 'abc', new Date('2026-01-01T00:00:00Z')) as { labels: Record<string, string>; startsAt: string; endsAt: string };
    expect(a.labels).toMatchObject({ alertname: 'FibreStackTestAlert', fibre_stack_test_receiver: 'tg', fibre_stack_test_run: 'abc' });
    expect(Date.parse(a.endsAt) - Date.parse(a.startsAt)).toBe(60_000);
  });
});
