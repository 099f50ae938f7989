// LogQL: does a Loki query parse (lezer-logql, the grammar of Grafana's Loki editor).
import { parser } from '@grafana/lezer-logql';
import { substituteVariables } from './grafana-vars.js';
import { syntaxErrors } from './promql.js';

/** Errors by query, as promql.ts keeps its reports: a query repeated across panels is parsed once. */
const errorsByQuery = new Map<string, string[]>();

export function logqlErrors(query: string): string[] {
  let errors = errorsByQuery.get(query);
  if (!errors) {
    const text = substituteVariables(query);
    errorsByQuery.set(query, (errors = syntaxErrors(parser.parse(text), text)));
  }
  return errors;
}
