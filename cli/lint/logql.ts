// LogQL: does a Loki query parse (lezer-logql, the grammar of Grafana's Loki editor).
import { parser } from '@grafana/lezer-logql';
import { substituteVariables } from './grafana-vars.js';
import { syntaxErrors } from './promql.js';

export function logqlErrors(query: string): string[] {
  const text = substituteVariables(query);
  return syntaxErrors(parser.parse(text), text);
}
