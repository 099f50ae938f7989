// The real Alertmanager (Debian trixie's 0.28: the *_file settings arrived in 0.26 and 0.27) with
// the alertmanager.yml and template we render, sending to capture endpoints set through each
// receiver's API URL or smarthost: every receiver gets what an operator acts on (what, which
// node, since when, the summary, the runbook and a Grafana link), routed by severity, and a
// resolved notice; a receiver whose endpoint fails shows in Alertmanager's counters, in
// `validate`'s receivers check and in `alerts test`'s verdict.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertmanagerFlags } from '../cli/render/alertmanager.js';
import { receiverSecretPath } from '../cli/spec/alerting.js';
import { readSpecDocument } from '../cli/spec/validate.js';
import { defaultSpec } from '../cli/spec/defaults.js';
import { FAILED_ATTEMPTS, receiversCheck, receiverCount } from '../cli/run/alert-delivery.js';
import { dumpYaml, parseYaml } from '../core/encode/yaml.js';
import { trixieBuild } from './support/prometheus-builds.js';
import { eventually } from './support/scrape.js';
import { REPLIES, captureHttp, captureSmtp, decodeQuotedPrintable } from './support/capture.js';
import { render, tempDir } from './support/stack.js';

const build = trixieBuild('alert delivery', ['prometheus-alertmanager']);
const PORT = 29793;
const base = `http://127.0.0.1:${PORT}`;

const RUNBOOK = 'https://github.com/fibre-stack/fibre-stack/blob/main/docs/runbooks.md#fibrenoblockconnected';
const critical = {
  labels: { alertname: 'FibreNoBlockConnected', severity: 'critical', job: 'fibre', instance: 'fibre-exporter:9435', node: 'relay-eu-1' },
  annotations: { summary: 'No block connected on relay-eu-1 for 2h', runbook_url: RUNBOOK },
};
const info = {
  labels: { alertname: 'MinerCardRestarted', severity: 'info', job: 'miner', instance: 'miner-exporter:9439', node: 'rig-7' },
  annotations: { summary: 'Card left of rig-7 restarted' },
};

describe.skipIf(!build)('alert delivery through Alertmanager 0.28', () => {
  let dir: string;
  let data: string;
  let http: Awaited<ReturnType<typeof captureHttp>>;
  let smtp: Awaited<ReturnType<typeof captureSmtp>>;
  let am: { stop(): void } | undefined;
  const posted = (path: string) => http.requests.filter((r) => r.path.startsWith(path));

  beforeAll(async () => {
    http = await captureHttp((path, body) => {
      if (path.startsWith('/telegram/')) return REPLIES.telegram(body);
      const name = path.split('/')[1] as keyof typeof REPLIES;
      return (REPLIES[name] ?? REPLIES.broken)(body);
    });
    smtp = await captureSmtp();
    const { spec } = readSpecDocument({
      ...defaultSpec(),
      mode: 'native',
      alerting: {
        receivers: [
          { name: 'telegram', type: 'telegram', chat_id: -1001234567890, api_url: `${http.url}/telegram` },
          { name: 'slack', type: 'slack' },
          { name: 'discord', type: 'discord' },
          { name: 'pager', type: 'pagerduty', url: `${http.url}/pagerduty/v2/enqueue` },
          { name: 'mail', type: 'email', to: 'ops@example.org', from: 'am@example.org', smarthost: smtp.hostPort, require_tls: false },
          { name: 'hook', type: 'webhook', severities: ['critical', 'warning', 'info'] },
          { name: 'broken', type: 'webhook', severities: ['critical'] },
        ],
      },
      profiles: { fibre: {}, miner: {} },
    });
    dir = tempDir('fibre-stack-delivery-');
    for (const f of render(spec)) {
      if (!f.path.startsWith('alertmanager/')) continue;
      mkdirSync(join(dir, f.path, '..'), { recursive: true });
      writeFileSync(join(dir, f.path), f.content);
    }
    // The flush timings are ours to shorten here: the templates and the routing are under test, not the waits.
    const configPath = join(dir, 'alertmanager/alertmanager.yml');
    const config = parseYaml(readFileSync(configPath, 'utf8')) as { route: Record<string, unknown> };
    Object.assign(config.route, { group_wait: '1s', group_interval: '2s' });
    writeFileSync(configPath, dumpYaml(config));
    const secrets: Record<string, string> = {
      telegram: '123456:TEST-TOKEN', slack: `${http.url}/slack/T000/B000/XXX`, discord: `${http.url}/discord/api/webhooks/1/x`,
      pager: 'R0UTINGKEY', hook: `${http.url}/webhook/alerts`, broken: `${http.url}/broken/alerts`,
    };
    mkdirSync(join(dir, 'alertmanager/secrets'));
    for (const [name, value] of Object.entries(secrets)) writeFileSync(join(dir, receiverSecretPath(name)), `${value}\n`, { mode: 0o600 });
    data = tempDir('fibre-stack-delivery-data-');
    // Its flags as a container runs it (placement containers: receiver names in its counters), in
    // the stack folder as natively, where the *_file paths of a native stack lead.
    am = build!.start('prometheus-alertmanager', alertmanagerFlags({ config: configPath, data, listen: `127.0.0.1:${PORT}`, placement: 'containers' }), { cwd: dir, writes: [data] });
    await eventually(async () => expect((await fetch(`${base}/-/ready`)).status).toBe(200), 30_000, 200);
    const res = await fetch(`${base}/api/v2/alerts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify([critical, info]) });
    expect(res.status).toBe(200);
  }, 120_000);

  afterAll(async () => {
    am?.stop();
    await http?.close();
    await smtp?.close();
    for (const d of [dir, data]) if (d) rmSync(d, { recursive: true, force: true });
  });

  /** What an operator needs on a phone, in a message's text. */
  const actionable = (text: string) => {
    expect(text).toContain('FibreNoBlockConnected');
    expect(text).toContain('relay-eu-1');
    expect(text).toContain('No block connected on relay-eu-1 for 2h');
    expect(text).toMatch(/Since: \d{4}-\d\d-\d\d \d\d:\d\d UTC/);
    expect(text).toContain(`Runbook: ${RUNBOOK}`);
    expect(text).toContain('Grafana: http://127.0.0.1:3000/d/fibre-relay?var-node=relay-eu-1');
  };

  it('Telegram gets the critical alert through the Bot API, with the token from its file and the chat id', async () => {
    const [req] = await eventually(() => { const r = posted('/telegram/'); expect(r.length).toBeGreaterThan(0); return r; }, 30_000, 200);
    expect(req.path).toBe('/telegram/bot123456:TEST-TOKEN/sendMessage');
    const body = JSON.parse(req.body) as { chat_id: number | string; text: string; parse_mode: string };
    // The Bot API takes the id as a number or a string (Alertmanager's client sends a string).
    expect(String(body.chat_id)).toBe('-1001234567890');
    expect(body.text).toMatch(/^CRITICAL FibreNoBlockConnected on relay-eu-1\n/);
    actionable(body.text);
  });

  it('Slack and Discord get a title and the text, from the webhook URLs in their files', async () => {
    const slack = await eventually(() => { const r = posted('/slack/T000/B000/XXX'); expect(r.length).toBeGreaterThan(0); return r[0]; }, 30_000, 200);
    const attachment = (JSON.parse(slack.body) as { attachments: { title: string; text: string }[] }).attachments[0];
    expect(attachment.title).toBe('FIRING: FibreNoBlockConnected on relay-eu-1');
    actionable(attachment.text);
    const discord = await eventually(() => { const r = posted('/discord/api/webhooks/1/x'); expect(r.length).toBeGreaterThan(0); return r[0]; }, 30_000, 200);
    const embed = (JSON.parse(discord.body) as { embeds: { title: string; description: string }[] }).embeds[0];
    expect(embed.title).toBe('FIRING: FibreNoBlockConnected on relay-eu-1');
    actionable(embed.description);
  });

  it('PagerDuty gets an Events API v2 trigger with the routing key from its file and our severity', async () => {
    const req = await eventually(() => { const r = posted('/pagerduty/v2/enqueue'); expect(r.length).toBeGreaterThan(0); return r[0]; }, 30_000, 200);
    const event = JSON.parse(req.body) as { routing_key: string; event_action: string; payload: { summary: string; severity: string; custom_details: { text: string } } };
    expect(event).toMatchObject({ routing_key: 'R0UTINGKEY', event_action: 'trigger', payload: { summary: 'FIRING: FibreNoBlockConnected on relay-eu-1', severity: 'critical' } });
    actionable(event.payload.custom_details.text);
  });

  it('e-mail goes out through the smarthost with the title as subject and the text as body', async () => {
    const mail = decodeQuotedPrintable(await eventually(() => { expect(smtp.mails.length).toBeGreaterThan(0); return smtp.mails[0]; }, 30_000, 200));
    expect(mail).toContain('Subject: FIRING: FibreNoBlockConnected on relay-eu-1');
    expect(mail).toContain('To: ops@example.org');
    actionable(mail.replace(/\r\n/g, '\n'));
  });

  it('routes by severity: the info alert reaches only the receiver that takes info', async () => {
    const hook = await eventually(() => {
      const alerts = posted('/webhook/alerts').flatMap((r) => (JSON.parse(r.body) as { alerts: { labels: Record<string, string> }[] }).alerts);
      expect(alerts.map((a) => a.labels.alertname)).toContain('MinerCardRestarted');
      return alerts;
    }, 30_000, 200);
    expect([...new Set(hook.map((a) => a.labels.alertname))].sort()).toEqual(['FibreNoBlockConnected', 'MinerCardRestarted']);
    const chat = posted('/telegram/').map((r) => (JSON.parse(r.body) as { text: string }).text).join('\n');
    expect(chat).not.toContain('MinerCardRestarted');
  });

  it('a resolved notice follows when the alert ends', async () => {
    const res = await fetch(`${base}/api/v2/alerts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify([{ ...critical, endsAt: new Date().toISOString() }]) });
    expect(res.status).toBe(200);
    const resolved = await eventually(() => {
      const texts = posted('/telegram/').map((r) => (JSON.parse(r.body) as { text: string }).text).filter((t) => t.startsWith('RESOLVED'));
      expect(texts.length).toBeGreaterThan(0);
      return texts[0];
    }, 60_000, 250);
    expect(resolved).toMatch(/^RESOLVED FibreNoBlockConnected on relay-eu-1\n/);
    expect(resolved).toMatch(/Resolved: \d{4}-\d\d-\d\d \d\d:\d\d UTC/);
  }, 90_000);

  it('a receiver whose endpoint fails shows in Alertmanager\'s counters and in validate\'s receivers check', async () => {
    await eventually(async () => {
      const metrics = await (await fetch(`${base}/metrics`)).text();
      expect(receiverCount(metrics, FAILED_ATTEMPTS, { name: 'broken', type: 'webhook' })).toBeGreaterThan(0);
    }, 30_000, 250);
    expect(posted('/broken/alerts').length).toBeGreaterThan(0);
    const check = await eventually(async () => {
      const c = await receiversCheck(base);
      expect(c.ok).toBe(false);
      return c;
    }, 60_000, 500);
    // By receiver: the counters carry its name.
    expect(check.detail).toMatch(/broken \(webhook\): \d+ failed attempt\(s\)/);
    expect(check.detail).not.toContain('hook (webhook)');
  }, 90_000);
});
