// PromQL as the linter sees it: does it parse (lezer-promql, the parser of Prometheus' own UI),
// which series does it select, and is each counter read through rate() or a relative of it.
import { parser } from '@prometheus-io/lezer-promql';
import type { SyntaxNode, Tree } from '@lezer/common';
import { substituteVariables } from './grafana-vars.js';

/** Functions and aggregations that make sense on a raw counter. */
const COUNTER_SAFE = new Set([
  'rate', 'irate', 'increase', 'resets', 'changes', 'absent', 'absent_over_time', 'present_over_time',
  'count_over_time', 'timestamp', 'count', 'group', 'count_values',
]);

/** What `$__rate_interval` becomes before parsing: a real duration nobody writes by hand. */
export const RATE_INTERVAL_MARK = '4321ms';

export interface SelectorUse {
  metric: string;
  /** Read through rate(), increase(), count() or another function that suits a counter. */
  counterSafe: boolean;
}

export interface PromqlReport {
  /** Syntax errors, each with its position in the query (after variable substitution). */
  errors: string[];
  selectors: SelectorUse[];
  /** rate()/irate() calls whose range is not `$__rate_interval`. */
  ratesWithoutRateInterval: number;
}

/**
 * Reports by query: a dashboard repeats a query across panels and variables, and each costs a
 * parse. Kept for the process, which lints once and exits; callers only read a report.
 */
const reports = new Map<string, PromqlReport>();

export function analysePromql(query: string): PromqlReport {
  let report = reports.get(query);
  if (!report) reports.set(query, (report = analyse(query)));
  return report;
}

function analyse(query: string): PromqlReport {
  const text = substituteVariables(query, RATE_INTERVAL_MARK);
  const tree = parser.parse(text);
  const report: PromqlReport = { errors: syntaxErrors(tree, text), selectors: [], ratesWithoutRateInterval: 0 };
  if (report.errors.length > 0) return report;
  tree.iterate({
    enter: (ref) => {
      if (ref.name === 'VectorSelector') {
        const metric = metricName(ref.node, text);
        if (metric) report.selectors.push({ metric, counterSafe: counterSafe(ref.node, text) });
      } else if (ref.name === 'FunctionCall') {
        const fn = functionName(ref.node, text);
        if ((fn === 'rate' || fn === 'irate') && !usesRateInterval(ref.node, text)) report.ratesWithoutRateInterval++;
      }
    },
  });
  return report;
}

/** lezer parsers recover from errors: a failed parse shows up as error nodes (⚠) in the tree. */
export function syntaxErrors(tree: Tree, text: string): string[] {
  const errors: string[] = [];
  tree.iterate({
    enter: (ref) => {
      if (!ref.type.isError) return;
      const near = text.slice(ref.from, ref.from + 20) || 'end of query';
      errors.push(`syntax error at column ${ref.from + 1} near "${near}"`);
      return false;
    },
  });
  if (text.trim() === '') errors.push('empty query');
  return errors;
}

function slice(node: SyntaxNode, text: string): string {
  return text.slice(node.from, node.to);
}

/**
 * The node's first child if it has this name. The grammar puts the parts read here first
 * (`Identifier LabelMatchers`, `FunctionIdentifier FunctionCallBody`, `AggregateOp ...`), and
 * firstChild is cheap where getChild walks every child through a new cursor.
 */
function firstChildNamed(node: SyntaxNode, name: string): SyntaxNode | null {
  const child = node.firstChild!; // each of these nodes has children in a tree without errors
  return child.name === name ? child : null;
}

function metricName(selector: SyntaxNode, text: string): string | undefined {
  const id = firstChildNamed(selector, 'Identifier');
  if (id) return slice(id, text);
  // {__name__="x"} selects by name too.
  const matchers = selector.getChild('LabelMatchers');
  for (let m = matchers?.firstChild; m; m = m.nextSibling) {
    const label = m.getChild('LabelName') ?? m.getChild('QuotedLabelName');
    const op = m.getChild('MatchOp');
    const value = m.getChild('StringLiteral');
    if (label && op && value && slice(label, text).replace(/"/g, '') === '__name__' && slice(op, text) === '=') {
      return slice(value, text).slice(1, -1);
    }
  }
  return undefined;
}

function functionName(call: SyntaxNode, text: string): string {
  const id = firstChildNamed(call, 'FunctionIdentifier');
  return id ? slice(id, text) : '';
}

function counterSafe(selector: SyntaxNode, text: string): boolean {
  for (let n = selector.parent; n; n = n.parent) {
    if (n.name === 'FunctionCall' && COUNTER_SAFE.has(functionName(n, text))) return true;
    if (n.name === 'AggregateExpr') {
      const op = firstChildNamed(n, 'AggregateOp');
      if (op && COUNTER_SAFE.has(slice(op, text).toLowerCase())) return true;
    }
  }
  return false;
}

function usesRateInterval(call: SyntaxNode, text: string): boolean {
  return slice(call, text).includes(RATE_INTERVAL_MARK);
}
