// Series a query selects, checked against the metric catalog: unknown names, deprecated names,
// counters read raw. Our own files are held to the catalog (errors); files from elsewhere chart
// other exporters' metrics, so for them an unknown name is only noted (warning).
import { seriesNames, type MetricDef } from '../../core/catalog.js';
import { ALL_METRICS } from '../all-metrics.js';
import { ALL_RULE_SPECS } from '../artifacts/rules.js';
import { recordsOf } from '../../profiles/kit/rule-kit.js';
import type { SelectorUse } from './promql.js';

interface SeriesInfo {
  def: MetricDef;
  counter: boolean;
}

/** Series Prometheus makes itself (alert state) rather than any exporter. */
const BUILTIN_SERIES = ['ALERTS', 'ALERTS_FOR_STATE'];

function buildIndex(): Map<string, SeriesInfo> {
  const index = new Map<string, SeriesInfo>();
  for (const def of ALL_METRICS) {
    for (const name of seriesNames(def)) {
      const isBase = name === def.name;
      // A histogram's _bucket/_sum/_count and a summary's _sum/_count only grow, like counters.
      const counter = def.type === 'counter' || (!isBase && (def.type === 'histogram' || def.type === 'summary')) || (def.type === 'histogram' && name.endsWith('_bucket'));
      if (!index.has(name)) index.set(name, { def, counter });
    }
  }
  return index;
}

const INDEX = buildIndex();
const RECORDED = new Set(Object.values(ALL_RULE_SPECS).flatMap((s) => recordsOf(s.groups).map((r) => r.record)));
/** What `substituteVariables` puts where a bare variable stood. */
const VARIABLE_STANDIN = 'grafana_variable';

export interface SeriesProblem {
  kind: 'unknown' | 'deprecated' | 'counter-raw';
  metric: string;
  message: string;
}

/** Problems of one query, each kind and metric once (a query may select a series several times). */
export function checkSelectors(selectors: readonly SelectorUse[], own: boolean): SeriesProblem[] {
  const problems = new Map<string, SeriesProblem>();
  for (const p of selectorProblems(selectors, own)) problems.set(`${p.kind}:${p.metric}`, p);
  return [...problems.values()];
}

function selectorProblems(selectors: readonly SelectorUse[], own: boolean): SeriesProblem[] {
  const problems: SeriesProblem[] = [];
  for (const { metric, counterSafe } of selectors) {
    if (metric === VARIABLE_STANDIN || BUILTIN_SERIES.includes(metric)) continue;
    const info = INDEX.get(metric);
    if (!info) {
      // level:metric:operation names come from recording rules; ours must exist, others' we cannot see.
      if (metric.includes(':')) {
        if (own && !RECORDED.has(metric)) problems.push({ kind: 'unknown', metric, message: `recorded series ${metric} is made by none of fibre-stack's recording rules` });
        continue;
      }
      // Whether an unknown series is a counter we cannot tell: names lie (cAdvisor's
      // container_fs_inodes_total is a gauge), so the counter check stays with the catalog.
      problems.push({ kind: 'unknown', metric, message: `metric ${metric} is not in the fibre-stack metric catalog` });
      continue;
    }
    if (info.def.deprecated) {
      const { since, replacedBy } = info.def.deprecated;
      problems.push({ kind: 'deprecated', metric, message: `metric ${metric} is deprecated since ${since}${replacedBy ? `; use ${replacedBy}` : ''}` });
    }
    if (info.counter && !counterSafe) problems.push(counterRaw(metric));
  }
  return problems;
}

function counterRaw(metric: string): SeriesProblem {
  return {
    kind: 'counter-raw',
    metric,
    message: `${metric} is a counter used without rate()/increase(): its raw value only grows and drops to 0 when the exporter restarts`,
  };
}
