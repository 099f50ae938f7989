// Datasource references in a dashboard, resolved as a fibre-stack Grafana resolves them: every
// reference style found in real dashboards, one at a time, with the verdict and its words.
import { describe, expect, it } from 'vitest';
import { PROVISIONED_UIDS, resolveDatasource, type DashboardScope } from '../cli/lint/datasources.js';

const scope: DashboardScope = {
  datasourceVars: new Map([['datasource', 'prometheus'], ['logs', 'loki']]),
  variables: new Set(['datasource', 'logs', 'node']),
  inputs: new Map([['DS_PROM', 'prometheus']]),
};
const resolve = (ref: unknown) => resolveDatasource(ref, scope);
const NOT_PROVISIONED = (value: string) =>
  `datasource "${value}" is not provisioned in a fibre-stack (uids: prometheus, loki, alertmanager); use one of those uids or a datasource variable`;

describe('resolveDatasource', () => {
  it('knows the uids every stack provisions', () => {
    expect(PROVISIONED_UIDS).toEqual({ prometheus: 'prometheus', loki: 'loki', alertmanager: 'alertmanager' });
  });

  it.each<[string, unknown, ReturnType<typeof resolveDatasource>]>([
    ['no reference: the default datasource', undefined, { ok: true, type: undefined, viaVariable: false }],
    ['null: the default datasource', null, { ok: true, type: undefined, viaVariable: false }],
    ['an object without uid: the default, of its type', { type: 'prometheus' }, { ok: true, type: 'prometheus', viaVariable: false }],
    ['an object with an empty uid', { type: 'loki', uid: '' }, { ok: true, type: 'loki', viaVariable: false }],
    ['an object with a null uid, typed "datasource"', { type: 'datasource', uid: null }, { ok: true, type: undefined, viaVariable: false }],
    ['a provisioned uid', 'loki', { ok: true, type: 'loki', viaVariable: false }],
    ['a provisioned uid in an object of its type', { type: 'prometheus', uid: 'prometheus' }, { ok: true, type: 'prometheus', viaVariable: false }],
    ['Grafana\'s built-in', '-- Grafana --', { ok: true, type: 'grafana', viaVariable: false }],
    ['the mixed datasource', { uid: '-- Mixed --' }, { ok: true, type: 'mixed', viaVariable: false }],
    ['the dashboard datasource', '-- Dashboard --', { ok: true, type: 'dashboard', viaVariable: false }],
    ['a datasource variable', '$datasource', { ok: true, type: 'prometheus', viaVariable: true }],
    ['a datasource variable in braces, in an object that names its type', { type: 'loki', uid: '${logs}' }, { ok: true, type: 'loki', viaVariable: true }],
    ['a datasource variable of another type than the reference says', { type: 'prometheus', uid: '$logs' }, { ok: true, type: 'prometheus', viaVariable: true }],
  ])('accepts %s', (_what, ref, verdict) => {
    expect(resolve(ref)).toEqual(verdict);
  });

  it.each<[string, unknown, ReturnType<typeof resolveDatasource>]>([
    ['a uid that is not a string', { type: 'prometheus', uid: 7 }, { ok: false, severity: 'error', type: 'prometheus', message: 'datasource uid 7 is not a string' }],
    ['a list', ['prometheus'], { ok: false, severity: 'error', type: undefined, message: 'datasource reference ["prometheus"] is neither a uid, a name nor a {type, uid} object' }],
    ['a number', 3, { ok: false, severity: 'error', type: undefined, message: 'datasource reference 3 is neither a uid, a name nor a {type, uid} object' }],
    ['an export placeholder', '${DS_PROM}', {
      ok: false, severity: 'error', type: 'prometheus',
      message: '"${DS_PROM}" is an export placeholder (__inputs); Grafana fills it in only on import through its UI, and a provisioned dashboard keeps it literally. Use a datasource variable instead',
    }],
    ['an export placeholder in an object that names its type', { type: 'loki', uid: '${DS_PROM}' }, {
      ok: false, severity: 'error', type: 'loki',
      message: '"${DS_PROM}" is an export placeholder (__inputs); Grafana fills it in only on import through its UI, and a provisioned dashboard keeps it literally. Use a datasource variable instead',
    }],
    ['a variable that is not a datasource variable', '$node', { ok: false, severity: 'error', type: undefined, message: '"$node" refers to variable node, which is not a datasource variable' }],
    ['a variable the dashboard does not define', { type: 'prometheus', uid: '${ds}' }, { ok: false, severity: 'error', type: 'prometheus', message: '"${ds}" refers to variable ds, which the dashboard does not define' }],
    ['a provisioned uid of another type than the reference says', { type: 'loki', uid: 'prometheus' }, {
      ok: false, severity: 'error', type: 'loki', message: 'datasource uid "prometheus" is a prometheus datasource, but the reference says type loki',
    }],
    ['a provisioned name', 'Prometheus', {
      ok: false, severity: 'warning', type: 'prometheus',
      message: 'datasource referenced by name "Prometheus": it resolves only while a datasource has that name. Use {type: "prometheus", uid: "prometheus"} or a datasource variable',
    }],
    ['a provisioned name in an object that names its type', { type: 'loki', uid: 'Loki' }, { ok: false, severity: 'error', type: 'loki', message: NOT_PROVISIONED('Loki') }],
    ['a uid of another Grafana, Loki-like', 'my-loki-2', { ok: false, severity: 'error', type: 'loki', message: NOT_PROVISIONED('my-loki-2') }],
    ['a uid of another Grafana, Prometheus-like', 'Thanos', { ok: false, severity: 'error', type: 'prometheus', message: NOT_PROVISIONED('Thanos') }],
    ['a uid of another Grafana, of no known kind', 'P1809F7CD0C75ACF3', { ok: false, severity: 'error', type: undefined, message: NOT_PROVISIONED('P1809F7CD0C75ACF3') }],
  ])('refuses %s', (_what, ref, verdict) => {
    expect(resolve(ref)).toEqual(verdict);
  });

  it.each(['prom-eu', 'MIMIR', 'cortex', 'victoria-metrics'])('takes %j for a Prometheus-like datasource', (name) => {
    expect(resolve(name)).toMatchObject({ ok: false, type: 'prometheus' });
  });
});
