// Datasource references in a dashboard, resolved the way a fibre-stack Grafana resolves them:
// provisioned uids (prometheus, loki, alertmanager), Grafana's built-ins, and datasource template
// variables. Every reference style found in real dashboards is understood: null, plain strings
// (names or uids), `$var` / `${var}` strings, `${DS_X}` export placeholders with `__inputs`, and
// `{type, uid}` objects.
import { DATASOURCES } from '../../core/datasources.js';
import { soleVariable } from './grafana-vars.js';

/** Provisioned by every fibre-stack (cli/render/grafana.ts): uid → plugin type. */
export const PROVISIONED_UIDS: Record<string, string> = Object.fromEntries(Object.values(DATASOURCES).map((d) => [d.uid, d.type]));
/** The names those datasources carry; a name works in Grafana, but only as long as nobody renames it. */
const PROVISIONED_NAMES: Record<string, string> = Object.fromEntries(Object.values(DATASOURCES).map((d) => [d.name, d.uid]));
const BUILTIN: Record<string, string> = { '-- Grafana --': 'grafana', grafana: 'grafana', '-- Mixed --': 'mixed', '-- Dashboard --': 'dashboard' };

export interface DashboardScope {
  /** Datasource template variables: name → plugin type (their `query`). */
  datasourceVars: Map<string, string>;
  /** Every template variable name. */
  variables: Set<string>;
  /** `__inputs` of type datasource: name → plugin id. */
  inputs: Map<string, string>;
}

export type Resolution =
  | { ok: true; type: string | undefined; viaVariable: boolean }
  | { ok: false; severity: 'error' | 'warning'; message: string; type: string | undefined };

/** `undefined` type means "the default datasource" (Prometheus in a fibre-stack). */
export function resolveDatasource(ref: unknown, scope: DashboardScope): Resolution {
  if (ref === undefined || ref === null) return { ok: true, type: undefined, viaVariable: false };
  if (typeof ref === 'string') return resolveString(ref, undefined, scope);
  if (typeof ref === 'object' && !Array.isArray(ref)) {
    const { type, uid } = ref as { type?: unknown; uid?: unknown };
    const declared = typeof type === 'string' && type !== 'datasource' ? type : undefined;
    if (uid === undefined || uid === null || uid === '') return { ok: true, type: declared, viaVariable: false };
    if (typeof uid !== 'string') return { ok: false, severity: 'error', message: `datasource uid ${JSON.stringify(uid)} is not a string`, type: declared };
    return resolveString(uid, declared, scope);
  }
  return { ok: false, severity: 'error', message: `datasource reference ${JSON.stringify(ref)} is neither a uid, a name nor a {type, uid} object`, type: undefined };
}

function resolveString(value: string, declared: string | undefined, scope: DashboardScope): Resolution {
  if (value in BUILTIN) return { ok: true, type: BUILTIN[value], viaVariable: false };
  const variable = soleVariable(value);
  if (variable !== undefined) {
    const varType = scope.datasourceVars.get(variable);
    if (varType !== undefined) return { ok: true, type: declared ?? varType, viaVariable: true };
    const input = scope.inputs.get(variable);
    if (input !== undefined) {
      return {
        ok: false, severity: 'error', type: declared ?? input,
        message: `"${value}" is an export placeholder (__inputs); Grafana fills it in only on import through its UI, and a provisioned dashboard keeps it literally. Use a datasource variable instead`,
      };
    }
    if (scope.variables.has(variable)) return { ok: false, severity: 'error', type: declared, message: `"${value}" refers to variable ${variable}, which is not a datasource variable` };
    return { ok: false, severity: 'error', type: declared, message: `"${value}" refers to variable ${variable}, which the dashboard does not define` };
  }
  const uidType = PROVISIONED_UIDS[value];
  if (uidType !== undefined) {
    if (declared && declared !== uidType) return { ok: false, severity: 'error', type: declared, message: `datasource uid "${value}" is a ${uidType} datasource, but the reference says type ${declared}` };
    return { ok: true, type: uidType, viaVariable: false };
  }
  const nameType = PROVISIONED_NAMES[value];
  if (nameType !== undefined && !declared) {
    return { ok: false, severity: 'warning', type: nameType, message: `datasource referenced by name "${value}": it resolves only while a datasource has that name. Use {type: "${nameType}", uid: "${nameType}"} or a datasource variable` };
  }
  return {
    ok: false, severity: 'error', type: declared ?? guessType(value),
    message: `datasource "${value}" is not provisioned in a fibre-stack (uids: ${Object.keys(PROVISIONED_UIDS).join(', ')}); use one of those uids or a datasource variable`,
  };
}

/** For a name we cannot resolve, which query language its queries are probably in. */
function guessType(name: string): string | undefined {
  if (/loki/i.test(name)) return 'loki';
  if (/prom|thanos|mimir|cortex|victoria/i.test(name)) return 'prometheus';
  return undefined;
}
