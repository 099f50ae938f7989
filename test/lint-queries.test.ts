// The linter's query-level pieces, one input at a time: Grafana variables found and replaced so
// the real parsers (lezer-promql, the parser of Prometheus' own UI) judge the query itself; which
// series a query selects and whether each counter is read through rate() or a relative; the
// catalog's verdict on each series; and the Go templates of alert annotations.
import { describe, expect, it } from 'vitest';
import { soleVariable, substituteVariables, variablesIn } from '../cli/lint/grafana-vars.js';
import { analysePromql, RATE_INTERVAL_MARK } from '../cli/lint/promql.js';
import { logqlErrors } from '../cli/lint/logql.js';
import { checkSelectors } from '../cli/lint/catalog-check.js';
import { goTemplateErrors } from '../cli/lint/go-template.js';

describe('Grafana variables', () => {
  it('finds every form Grafana interpolates', () => {
    expect(variablesIn('a ${x} b ${y.z:csv} [[w]] [[v:raw]] $node $__rate_interval $1x')).toEqual(['x', 'y.z', 'w', 'v', 'node', '__rate_interval']);
    expect(variablesIn('no variables, $ alone, ${} and [[]]')).toEqual([]);
  });

  it.each([
    ['$ds', 'ds'], ['${DS_PROM}', 'DS_PROM'], ['${ds:text}', 'ds'], ['[[ds]]', 'ds'], ['  $ds  ', 'ds'],
    ['prometheus', undefined], ['$ds-x', undefined], ['[[ds:raw]]', undefined], ['$1', undefined], ['x$ds', undefined],
  ])('soleVariable(%j) is %j', (text, name) => {
    expect(soleVariable(text)).toBe(name);
  });

  it.each([
    ['rate(x{a=~"$node"}[$__rate_interval])', 'rate(x{a=~"x"}[5m])'],
    ['x{$selector, a="b"} offset $off', 'x{grafana_variable="x", a="b"} offset 5m'],
    ['topk(${n:raw}, [[metric]])', 'topk(grafana_variable, grafana_variable)'],
    ["x{a='$v'} + y{b=`$w`}", "x{a='x'} + y{b=`x`}"],
    ['x{a="\\"$v"} / $d', 'x{a="\\"x"} / grafana_variable'],
    ['sum(x[$r:$s]) OFFSET $o', 'sum(x[5m:5m]) OFFSET 5m'],
    ['x{} + $v', 'x{} + grafana_variable'],
    ['}} $v', '}} grafana_variable'],
  ])('substituteVariables(%j) is %j', (query, substituted) => {
    expect(substituteVariables(query)).toBe(substituted);
  });

  it('marks $__rate_interval in a range, and only there', () => {
    expect(substituteVariables('rate(x[$__rate_interval]) + $__rate_interval + rate(y[$r])', '4321ms')).toBe('rate(x[4321ms]) + grafana_variable + rate(y[5m])');
  });
});

describe('PromQL', () => {
  it('lists each selector, and whether a counter-safe function or aggregation reads it', () => {
    expect(analysePromql('sum by (node) (rate(a_total[$__rate_interval])) / count(b) + c + increase(d_total[1h]) + {__name__="e"} + f{__name__="g"} + max(h)').selectors).toEqual([
      { metric: 'a_total', counterSafe: true },
      { metric: 'b', counterSafe: true },
      { metric: 'c', counterSafe: false },
      { metric: 'd_total', counterSafe: true },
      { metric: 'e', counterSafe: false },
      { metric: 'f', counterSafe: false },
      { metric: 'h', counterSafe: false },
    ]);
  });

  it.each(['irate', 'resets', 'changes', 'absent_over_time', 'present_over_time', 'count_over_time', 'timestamp'])('%s() suits a counter', (fn) => {
    expect(analysePromql(`${fn}(x_total[5m])`).selectors).toEqual([{ metric: 'x_total', counterSafe: true }]);
  });

  it.each(['absent', 'count', 'group', 'COUNT'])('%s suits a counter', (fn) => {
    expect(analysePromql(`${fn}(x_total)`).selectors).toEqual([{ metric: 'x_total', counterSafe: true }]);
  });

  it('does not take a matcher other than __name__= for the name', () => {
    expect(analysePromql('{__name__=~"a.*"} + {job="x"}').selectors).toEqual([]);
    expect(analysePromql('{"__name__"="q"}').selectors).toEqual([{ metric: 'q', counterSafe: false }]);
  });

  it('parses a query once: a repeat gets the same report', () => {
    const query = 'sum(rate(memo_probe_total[$__rate_interval]))';
    const first = analysePromql(query);
    expect(first.selectors).toEqual([{ metric: 'memo_probe_total', counterSafe: true }]);
    expect(analysePromql(query)).toBe(first);
    expect(analysePromql(`${query} `)).not.toBe(first);
    const logql = '{job="memo"} |= "x"';
    expect(logqlErrors(logql)).toEqual([]);
    expect(logqlErrors(logql)).toBe(logqlErrors(logql));
    expect(logqlErrors('{job="memo"')).toEqual(logqlErrors('{job="memo"'));
    expect(logqlErrors('{job="memo"').length).toBeGreaterThan(0);
  });

  it('counts rate() and irate() whose range is not $__rate_interval', () => {
    expect(analysePromql('rate(a[5m]) + irate(b[$__rate_interval]) + irate(c[1m]) + increase(d[5m])').ratesWithoutRateInterval).toBe(2);
    expect(analysePromql('rate(a[$__rate_interval])').ratesWithoutRateInterval).toBe(0);
    expect(RATE_INTERVAL_MARK).toBe('4321ms');
  });

  it('reports a syntax error with its column and what follows, and nothing else', () => {
    expect(analysePromql('sum(rate(x[5m])')).toEqual({ errors: ['syntax error at column 16 near "end of query"'], selectors: [], ratesWithoutRateInterval: 0 });
    expect(analysePromql('up{job="a" ==').errors).toEqual(['syntax error at column 12 near "=="', 'syntax error at column 14 near "end of query"']);
    expect(analysePromql('   ').errors).toEqual(['syntax error at column 4 near "end of query"', 'empty query']);
  });
});

describe('series against the catalog', () => {
  const raw = (metric: string) => ({ metric, counterSafe: false });

  it('reads a counter, and a histogram\'s _bucket, _sum and _count, as counters', () => {
    const names = ['fibre_blocks_reconstructed_total', 'fibre_block_chunks_used_bucket', 'fibre_block_chunks_used_sum', 'fibre_block_chunks_used_count'];
    expect(checkSelectors(names.map(raw), true)).toEqual(
      names.map((metric) => ({
        kind: 'counter-raw',
        metric,
        message: `${metric} is a counter used without rate()/increase(): its raw value only grows and drops to 0 when the exporter restarts`,
      })),
    );
    expect(checkSelectors(names.map((metric) => ({ metric, counterSafe: true })), true)).toEqual([]);
  });

  it('takes a gauge raw', () => {
    expect(checkSelectors([raw('fibre_last_block_height'), raw('fpga_miner_temperature_celsius')], true)).toEqual([]);
  });

  it('names an unknown metric, an unknown recorded series only in our own files, and skips what Grafana and Prometheus make', () => {
    expect(checkSelectors([raw('fibre_blocks_relayed'), raw('node:nothing:rate5m'), raw('grafana_variable'), raw('ALERTS'), raw('ALERTS_FOR_STATE')], true)).toEqual([
      { kind: 'unknown', metric: 'fibre_blocks_relayed', message: 'metric fibre_blocks_relayed is not in the fibre-stack metric catalog' },
      { kind: 'unknown', metric: 'node:nothing:rate5m', message: "recorded series node:nothing:rate5m is made by none of fibre-stack's recording rules" },
    ]);
    expect(checkSelectors([raw('node:nothing:rate5m')], false)).toEqual([]);
  });

  it('names the replacement of a deprecated metric, and says each problem once', () => {
    expect(checkSelectors([raw('hashrate'), raw('hashrate')], true)).toEqual([
      { kind: 'deprecated', metric: 'hashrate', message: 'metric hashrate is deprecated since 0.1.0; use fpga_miner_hashrate_hashes_per_second' },
    ]);
  });
});

describe('Go templates of alert annotations', () => {
  it.each([
    '{{ $labels.instance }} at {{ printf "%.2f" $value }}% {{ $value | humanizePercentage }}',
    '{{ range $k, $v := $labels }}{{ $k }}={{ $v }} {{ end }}',
    '{{ with query "up" }}{{ . | first | value }}{{ else }}none{{ end }}',
    '{{- if gt $value 1.0 -}}many{{- else if eq $value 1.0 }}one{{ end }}',
    '{{ $x := 1 }}{{ $x = 2 }}{{ $x }}',
    '{{/* a comment */}}{{ $externalLabels.cluster }} {{ $externalURL }}',
    '{{ "}}" }} {{ `a}}b` }} {{ \'x\' }}',
    'no template at all',
  ])('accepts %j', (text) => {
    expect(goTemplateErrors(text)).toEqual([]);
  });

  it.each([
    ['{{ "unterminated }}', ['unclosed action "{{ "unterminated }}"']],
    ['exporter {{ $labels.instance is down', ['unclosed action "{{ $labels.instance "']],
    ['{{ end }}', ['{{ end }}: {{ end }} without an opening action']],
    ['{{ if true }}a{{ end x }}', ['{{ end x }}: unexpected words after end']],
    ['{{ else }}', ['{{ else }}: {{ else }} outside if/range/with']],
    ['{{ define "x" }}{{ else }}{{ end }}', ['{{ else }}: {{ else }} outside if/range/with']],
    ['{{ (len $labels }}', ['{{ (len $labels }}: unbalanced parentheses']],
    ['{{ len $labels) }}', ['{{ len $labels) }}: unbalanced parentheses']],
    ['{{ $valeu }}', ['{{ $valeu }}: undefined variable $valeu']],
    ['{{ $x = 1 }}', ['{{ $x = 1 }}: undefined variable $x']],
    ['{{ $value | humanise }}', ['{{ $value | humanise }}: function "humanise" not defined']],
    ['{{ if gt $value 1.0 }}many', ['{{ if }} has no {{ end }}']],
    ['{{ range $labels }}{{ with $value }}x{{ end }}', ['{{ range }} has no {{ end }}']],
    ['{{ }}', ['{{ }}: empty action']],
    ['{{/* open }}', ['unclosed comment']],
    ['{{ $value # }}', ['{{ $value # }}: unexpected "#"']],
    ["{{ 'x }}", ['unclosed action "{{ \'x }}"']],
  ])('rejects %j', (text, errors) => {
    expect(goTemplateErrors(text)).toEqual(errors);
  });
});
