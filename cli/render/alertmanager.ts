// alertmanager.yml and its notification template. Alerts are routed by severity to the receivers
// that take it (each receiver names its severities in the spec), grouped by alert, job and node,
// repeated by severity; every receiver reads its secret from a file (a `*_file` setting) and
// words its messages with the one template file, alertmanager/templates/fibre-stack.tmpl.
//
// Keys as read in prometheus/alertmanager@v0.34.0 (and the same at v0.28.0, which the tests run):
// config/config.go (route, templates: relative paths joined to the config's folder, L177),
// config/notifiers.go (email: auth_password_file since v0.25.0; slack: api_url_file since v0.22.0),
// notify/telegram/config.go (bot_token_file since v0.26.0, api_url, chat_id; parse_mode HTML by
// default, so values are HTML-escaped), notify/discord/config.go (webhook_url_file since v0.27.0),
// notify/pagerduty/config.go (routing_key_file since v0.25.0, url, severity), notify/webhook/config.go
// (url_file since v0.26.0). The `*_file` settings are read when a notification goes out, relative
// to Alertmanager's working folder (only http_config and templates are resolved against the
// config's folder: config/config.go resolveFilepaths), so they are given as the folder Alertmanager
// runs in sees them: /etc/alertmanager/... in its container, the stack folder natively.
import type { StackSpec } from '../spec/types.js';
import { SEVERITIES, receiverSecretPath, type ReceiverSpec, type Severity } from '../spec/alerting.js';
import { dumpYaml } from '../../core/encode/yaml.js';
import { goTemplateString } from '../../core/encode/go-template.js';
import { GENERATED_MARK, generatedFromSpec } from '../../core/generated.js';
import type { PackageSources, RenderedFile } from './types.js';
import { placementOf, stackPathFor, type Placement } from './addressing.js';
import { stackUrls } from './readme.js';
import { enabledProfiles } from './stack-profiles.js';

/** The receiver of alerts no receiver takes: kept in Alertmanager and Grafana, sent nowhere. */
export const NO_RECEIVER = 'none';

/** The label `alerts test` puts on its test alert: its value names the one receiver it goes to. */
export const TEST_ROUTE_LABEL = 'fibre_stack_test_receiver';
/** And this one is new each run: its group is then new, and notified at once, not a group interval later. */
export const TEST_RUN_LABEL = 'fibre_stack_test_run';

export const TEMPLATE_FILE = 'alertmanager/templates/fibre-stack.tmpl';
/** The package's template text (templates/alertmanager/notifications.tmpl). */
const TEMPLATE_SOURCE = 'alertmanager/notifications.tmpl';

/** How often an alert still firing is sent again: a critical one wakes people, an info one is a daily reminder. */
export const REPEAT_INTERVALS: Record<Severity, string> = { critical: '1h', warning: '4h', info: '24h' };

const tmpl = (name: string) => `{{ template "fibre_stack.${name}" . }}`;

/** One receiver's integration config, its secret given as the file Alertmanager reads. */
function integration(r: ReceiverSpec, secretFile: string): Record<string, unknown> {
  const common = { send_resolved: true };
  switch (r.type) {
    case 'telegram':
      return { telegram_configs: [{ ...common, bot_token_file: secretFile, chat_id: r.chat_id, ...(r.api_url ? { api_url: r.api_url } : {}), message: tmpl('text') }] };
    case 'discord':
      return { discord_configs: [{ ...common, webhook_url_file: secretFile, title: tmpl('title'), message: tmpl('text') }] };
    case 'slack':
      return { slack_configs: [{ ...common, api_url_file: secretFile, ...(r.channel ? { channel: r.channel } : {}), title: tmpl('title'), text: tmpl('text') }] };
    case 'email':
      return {
        email_configs: [{
          ...common, to: r.to, from: r.from, smarthost: r.smarthost, require_tls: r.require_tls,
          ...(r.auth_username ? { auth_username: r.auth_username, auth_password_file: secretFile } : {}),
          headers: { Subject: tmpl('title') }, text: tmpl('text'), html: '',
        }],
      };
    case 'pagerduty':
      return {
        pagerduty_configs: [{
          ...common, routing_key_file: secretFile, ...(r.url ? { url: r.url } : {}), description: tmpl('title'),
          // PagerDuty's Events API v2 severities include ours; anything else is an error there.
          severity: '{{ if .CommonLabels.severity }}{{ .CommonLabels.severity }}{{ else }}error{{ end }}',
          details: { text: tmpl('text') },
        }],
      };
    case 'webhook':
      return { webhook_configs: [{ ...common, ...(r.url ? { url: r.url } : { url_file: secretFile }) }] };
  }
}

function routes(receivers: readonly ReceiverSpec[]): Record<string, unknown>[] {
  // First, one route per receiver for `alerts test`: its test alert reaches that receiver alone, at once.
  const tests = receivers.map((r) => ({
    receiver: r.name, matchers: [`${TEST_ROUTE_LABEL}=${JSON.stringify(r.name)}`], group_by: [TEST_ROUTE_LABEL, TEST_RUN_LABEL], group_wait: '0s',
  }));
  // Then one per severity: every receiver that takes it gets the alert (continue), with its repeat interval.
  const bySeverity = SEVERITIES.flatMap((severity) => {
    const takers = receivers.filter((r) => r.severities.includes(severity));
    if (!takers.length) return [];
    return [{
      matchers: [`severity=${JSON.stringify(severity)}`],
      repeat_interval: REPEAT_INTERVALS[severity],
      routes: takers.map((r) => ({ receiver: r.name, continue: true })),
    }];
  });
  return [...tests, ...bySeverity];
}

export function renderAlertmanagerConfig(spec: StackSpec): string {
  const receivers = spec.alerting.receivers;
  const secretFile = (name: string) => stackPathFor('alertmanager', receiverSecretPath(name), placementOf(spec));
  // On a fleet hub the same alert fires on many machines: one notification per machine, and a
  // critical alert silences warnings of its own machine only.
  const fleet = spec.fleet?.role === 'hub' ? ['host'] : [];
  const config = {
    templates: ['templates/*.tmpl'],
    route: {
      receiver: NO_RECEIVER,
      group_by: ['alertname', 'job', 'node', ...fleet],
      group_wait: '30s',
      group_interval: '5m',
      repeat_interval: REPEAT_INTERVALS.warning,
      ...(receivers.length ? { routes: routes(receivers) } : {}),
    },
    // `none` keeps alerts visible in Alertmanager and Grafana without sending them anywhere.
    receivers: [{ name: NO_RECEIVER }, ...receivers.map((r) => ({ name: r.name, ...integration(r, secretFile(r.name)) }))],
    inhibit_rules: [
      // A critical alert silences the warnings of the same target (and card, for a miner): no
      // alert name fires at two severities, so the name is not among the labels that must match
      // (MinerTemperatureCritical silences MinerTemperatureHigh, FibreNoBlockConnected
      // FibreSlowBlockConnection). A label neither alert has counts as equal.
      { source_matchers: ['severity="critical"'], target_matchers: ['severity="warning"'], equal: ['job', 'instance', 'card', ...fleet] },
    ],
  };
  return dumpYaml(config, generatedFromSpec('#'));
}

/** A shipped dashboard's uid. */
function uidOf(sources: PackageSources, file: string): string {
  const text = sources.dashboards[file];
  if (text === undefined) throw new Error(`dashboards/${file} is missing from the fibre-stack package; \`fibre-stack dashboards\` builds it`);
  return String((JSON.parse(text) as { uid: unknown }).uid);
}

/** `?var-host=H&var-node=N`, each part only when the alert has that label (the dashboards' variables). */
const MACHINE_AND_NODE_QUERY =
  '{{ if or .Labels.host .Labels.node }}?{{ with .Labels.host }}var-host={{ . }}{{ if $.Labels.node }}&{{ end }}{{ end }}{{ with .Labels.node }}var-node={{ . }}{{ end }}{{ end }}';

/**
 * The line with an alert's Grafana link: its profile's dashboard (a job is named after its
 * profile) for its machine (on a fleet hub) and node, else the overview. None when the stack has
 * no Grafana and no grafana_url.
 */
function grafanaLine(spec: StackSpec, sources: PackageSources): string {
  const base = spec.alerting.grafana_url || stackUrls(spec).find((u) => u.name === 'grafana')?.url;
  if (!base) return '';
  const dashboard = (file: string) => goTemplateString(`${base.replace(/\/+$/, '')}/d/${uidOf(sources, file)}`);
  const cases = enabledProfiles(spec, sources.profiles)
    .filter(({ def }) => def.dashboard)
    .map(({ def }, i) => `{{ ${i ? 'else if' : 'if'} eq .Labels.job ${JSON.stringify(def.id)} }}${dashboard(`${def.id}.json`)}`)
    .join('');
  const overview = dashboard('stack-overview.json');
  return `Grafana: ${cases ? `${cases}{{ else }}${overview}{{ end }}` : overview}${MACHINE_AND_NODE_QUERY}\n`;
}

export function renderAlertmanager(spec: StackSpec, sources: PackageSources): RenderedFile[] {
  const body = sources.templates[TEMPLATE_SOURCE];
  if (body === undefined) throw new Error(`templates/${TEMPLATE_SOURCE} is missing from the fibre-stack package`);
  const template = [
    `{{/* ${GENERATED_MARK} from fibre-stack.yml and templates/${TEMPLATE_SOURCE}; \`fibre-stack generate\` rewrites it. */}}`,
    `{{ define "fibre_stack.grafana_line" }}${grafanaLine(spec, sources)}{{ end }}`,
    body,
  ].join('\n');
  return [
    { path: 'alertmanager/alertmanager.yml', content: renderAlertmanagerConfig(spec) },
    { path: TEMPLATE_FILE, content: template },
  ];
}

export function alertmanagerFlags(paths: { config: string; data: string; listen: string; placement?: Placement }, retention = '120h'): string[] {
  // An empty cluster address turns off gossip: a single Alertmanager needs no peers and no port 9094.
  const flags = [`--config.file=${paths.config}`, `--storage.path=${paths.data}`, `--web.listen-address=${paths.listen}`, `--data.retention=${retention}`, "--cluster.listen-address="];
  // The pinned image (0.27 or later) names the receiver in its notification counters, which `alerts
  // test` and `validate` then report by receiver (featurecontrol/featurecontrol.go at v0.34.0). Not
  // natively: an Alertmanager from PATH may be older, and refuses a flag it does not know.
  return paths.placement === 'containers' ? [...flags, '--enable-feature=receiver-name-in-metrics'] : flags;
}
