// The status page as one self-contained HTML document: inline CSS and SVG, no script, no external
// asset, so it reads the same offline, from a file, on a phone. Pure: model in, text out. Every
// value from Prometheus goes through htmlText; states are data-state attributes a test (or a
// script) can read.
import { htmlText as h } from '../../core/encode/html.js';
import type { StatusUnit } from '../../profiles/types.js';
import { utc, type AlertView, type HeadlineView, type NodeView, type SectionView, type State, type StatusModel } from './model.js';

const SI = [[1e15, 'P'], [1e12, 'T'], [1e9, 'G'], [1e6, 'M'], [1e3, 'k']] as const;

function si(value: number, unit: string): string {
  const [scale, prefix] = SI.find(([s]) => Math.abs(value) >= s) ?? [1, ''];
  return `${round(value / scale)} ${prefix}${unit}`;
}

/** Three significant digits at most, no trailing zeros. */
const round = (v: number) => String(Number(v.toPrecision(3)));

export function formatValue(value: number | undefined, unit: StatusUnit): string {
  if (value === undefined) return 'no data';
  switch (unit) {
    case 'ratio':
      return `${round(value * 100)} %`;
    case 'seconds':
      return Math.abs(value) < 1 ? `${round(value * 1000)} ms` : `${round(value)} s`;
    case 'per_hour':
      return `${round(value)} /h`;
    case 'hashes_per_second':
      return si(value, 'H/s');
    case 'celsius':
      return `${round(value)} °C`;
    case 'block_height':
      return Math.round(value).toLocaleString('en-US');
    case 'number':
      return round(value);
  }
}

const STATE_WORD: Record<State, string> = { green: 'OK', orange: 'warning', red: 'failing' };

/** A line through the values, scaled to the box; a flat line when they do not vary. */
export function sparkline(values: readonly number[]): string {
  if (values.length < 2) return '';
  const min = Math.min(...values);
  const span = Math.max(...values) - min || 1;
  const points = values.map((v, i) => `${round((i / (values.length - 1)) * 100)},${round(22 - ((v - min) / span) * 20)}`).join(' ');
  return `<svg class="spark" viewBox="0 0 100 24" preserveAspectRatio="none" role="img" aria-label="last hour"><polyline points="${points}"/></svg>`;
}

const badge = (state: State) => `<span class="dot ${state}" aria-hidden="true"></span><span class="sr">${STATE_WORD[state]}</span>`;

function nodeItem(n: NodeView): string {
  const reasons = n.reasons.length ? `<ul class="reasons">${n.reasons.map((r) => `<li>${h(r)}</li>`).join('')}</ul>` : '';
  const host = n.host ? ` data-host="${h(n.host)}"` : '';
  const on = n.host ? ` <span class="host">on ${h(n.host)}</span>` : '';
  return `<li class="node" data-node="${h(n.name)}"${host} data-job="${h(n.job)}" data-instance="${h(n.instance)}" data-state="${n.state}">${badge(n.state)}<span class="name">${h(n.name)}</span>${on} <span class="muted">${h(n.job)} · ${h(n.instance)}</span>${reasons}</li>`;
}

function headline(hl: HeadlineView): string {
  const note = hl.note ? `<div class="muted">${h(hl.note)}</div>` : '';
  const body = hl.error
    ? `<div class="error">${h(hl.error)}</div>`
    : hl.rows.length === 0
      ? '<div class="muted">no data</div>'
      : `<table>${hl.rows.map((r) => `<tr data-row="${h(r.name)}"><th scope="row">${h(r.name)}</th><td class="value">${h(formatValue(r.value, hl.unit))}</td><td>${sparkline(r.spark)}</td></tr>`).join('')}</table>`;
  return `<div class="headline" data-headline="${h(hl.title)}"><h3>${h(hl.title)}</h3>${note}${body}</div>`;
}

function section(s: SectionView): string {
  const reasons = s.reasons.length ? `<ul class="reasons">${s.reasons.map((r) => `<li>${h(r)}</li>`).join('')}</ul>` : '';
  const nodes = s.nodes.length ? `<ul class="nodes">${s.nodes.map(nodeItem).join('')}</ul>` : '';
  const headlines = s.headlines.length ? `<div class="headlines">${s.headlines.map(headline).join('')}</div>` : '';
  return `<section class="card" data-section="${h(s.id)}" data-state="${s.state}"><h2>${badge(s.state)}${h(s.title)}</h2>${reasons}${nodes}${headlines}</section>`;
}

function alertRow(a: AlertView): string {
  return `<tr data-alert="${h(a.name)}" data-severity="${h(a.severity)}"><td><span class="sev ${h(a.severity)}">${h(a.severity || 'none')}</span></td><td><b>${h(a.name)}</b> ${h(a.where)}<div>${h(a.summary)}</div></td><td class="muted">since ${h(utc(a.since))}</td></tr>`;
}

const CSS = `
:root{color-scheme:light dark;--bg:#fff;--fg:#1b1f24;--muted:#667;--card:#f5f6f8;--line:#d8dbe0;--green:#1a7f37;--orange:#c76a00;--red:#cf222e}
@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--muted:#8b949e;--card:#161b22;--line:#30363d}}
*{box-sizing:border-box}body{margin:0;padding:1rem;font:15px/1.4 system-ui,sans-serif;background:var(--bg);color:var(--fg)}
header{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:baseline}h1{font-size:1.3rem;margin:0}h2{font-size:1.1rem;margin:0 0 .5rem}h3{font-size:.95rem;margin:.5rem 0 0}
.muted{color:var(--muted);font-size:.85rem}.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(min(100%,22rem),1fr));gap:1rem;margin-top:1rem}
.card{background:var(--card);border:1px solid var(--line);border-left:6px solid var(--line);border-radius:6px;padding:.75rem}
.card[data-state=green]{border-left-color:var(--green)}.card[data-state=orange]{border-left-color:var(--orange)}.card[data-state=red]{border-left-color:var(--red)}
.dot{display:inline-block;width:.75em;height:.75em;border-radius:50%;margin-right:.4em;vertical-align:baseline}.dot.green{background:var(--green)}.dot.orange{background:var(--orange)}.dot.red{background:var(--red)}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
ul{margin:.25rem 0;padding-left:1.1rem}.nodes{list-style:none;padding:0}.node{margin:.3rem 0;overflow-wrap:anywhere}.reasons{font-size:.9rem}
table{border-collapse:collapse;width:100%}td,th{padding:.15rem .3rem;text-align:left;vertical-align:middle;overflow-wrap:anywhere}th{font-weight:normal}.value{font-variant-numeric:tabular-nums;white-space:nowrap}
.spark{width:6rem;height:1.5rem;display:block}.spark polyline{fill:none;stroke:currentColor;stroke-width:1.5;vector-effect:non-scaling-stroke}
.sev{padding:0 .3rem;border-radius:3px;color:#fff;background:var(--muted)}.sev.critical{background:var(--red)}.sev.warning{background:var(--orange)}
.error{color:var(--red)}#alerts{margin-top:1rem}#alerts td{border-top:1px solid var(--line)}
`;

/** `refreshSeconds`: a served page asks the browser to load it again this often (a meta refresh, no script). */
export function renderStatusHtml(model: StatusModel, opts: { refreshSeconds?: number } = {}): string {
  const refresh = opts.refreshSeconds ? `<meta http-equiv="refresh" content="${opts.refreshSeconds}">` : '';
  const alerts = model.alerts.length
    ? `<table>${model.alerts.map(alertRow).join('')}</table>`
    : '<p class="muted">No alert is firing.</p>';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">${refresh}
<title>${h(STATE_WORD[model.state])}: fibre-stack status</title><style>${CSS}</style></head>
<body data-state="${model.state}">
<header><h1>${badge(model.state)}fibre-stack status</h1><span class="muted">${h(utc(model.generatedAt))} · from ${h(model.source)}</span></header>
<section id="alerts" data-firing="${model.alerts.length}"><h2>Firing alerts (${model.alerts.length})</h2>${alerts}</section>
<div class="grid">${model.sections.map(section).join('')}</div>
</body></html>
`;
}
