// Grafana provisioning: datasources with fixed uids (dashboards refer to them by uid, never by
// name) and a file provider for the dashboards of the chosen profiles. Provisioning keys as in
// grafana/grafana@1411ff8797:pkg/services/provisioning/dashboards/types.go (providers; a relative
// options.path is resolved against Grafana's working directory) and the datasources file's
// apiVersion 1 (pkg/services/provisioning/datasources/types.go).
import type { StackSpec } from '../spec/types.js';

import { dumpYaml } from '../../core/encode/yaml.js';
import { generatedFromSpec } from '../../core/generated.js';
import { dashboardFiles, HOST_DASHBOARD } from '../artifacts/dashboards.js';
import { stackPath, type Arg, type DashboardSources, type RenderedFile } from './types.js';
import { filed, isWildcard, placementOf, runPaths, serviceAddress, stackPathFor, type FiledPaths } from './addressing.js';
import { enabledProfiles } from './stack-profiles.js';
import { fleetHub, hubQueryUrl } from './fleet-hub.js';
import type { Registry } from '../../profiles/registry.js';
import { CORE_SERVICES, datasourceServices, enabledServices } from '../services/table.js';

/** Where Grafana reads dashboards: where the stack's folder is mounted in its container, or in the stack folder natively. */
function grafanaDashboardsPath(spec: StackSpec): string {
  return stackPathFor('grafana', 'grafana/dashboards', placementOf(spec));
}

/**
 * The datasources, by the uids dashboards use. On a fleet hub no Prometheus runs: the `prometheus`
 * datasource is the engine's Prometheus-compatible query API (VictoriaMetrics, Mimir or the
 * user's), so every dashboard works unchanged across the fleet.
 */
function datasources(spec: StackSpec) {
  const hub = fleetHub(spec);
  const services = datasourceServices(hub ? ['prometheus', ...enabledServices(spec)] : enabledServices(spec));
  return services.map((s) => {
    const { def, settings } = CORE_SERVICES[s].datasource!;
    const url = hub && s === 'prometheus' ? hubQueryUrl(spec, hub) : `http://${serviceAddress(spec, s)}`;
    return { name: def.name, uid: def.uid, type: def.type, access: 'proxy', url, ...settings };
  });
}

function ini(sections: Record<string, Record<string, string | number | boolean>>): string {
  return Object.entries(sections)
    .map(([name, keys]) => `[${name}]\n` + Object.entries(keys).map(([k, v]) => `${k} = ${v}`).join('\n'))
    .join('\n\n') + '\n';
}

/** A prebuilt dashboard's text, copied as the package ships it. */
function shipped(dashboards: DashboardSources, file: string): string {
  const text = dashboards[file];
  if (text === undefined) throw new Error(`dashboards/${file} is missing from the fibre-stack package; \`fibre-stack dashboards\` builds it`);
  return text;
}

export function renderGrafana(spec: StackSpec, dashboards: DashboardSources, profiles: Registry): RenderedFile[] {
  const files: RenderedFile[] = [
    {
      path: 'grafana/provisioning/datasources/datasources.yml',
      content: dumpYaml({ apiVersion: 1, datasources: datasources(spec) }, generatedFromSpec('#')),
    },
    {
      path: 'grafana/provisioning/dashboards/dashboards.yml',
      content: dumpYaml(
        {
          apiVersion: 1,
          providers: [{
            name: 'fibre-stack', orgId: 1, folder: 'fibre-stack', type: 'file',
            disableDeletion: true, allowUiUpdates: false, updateIntervalSeconds: 30,
            options: { path: grafanaDashboardsPath(spec), foldersFromFilesStructure: false },
          }],
        },
        generatedFromSpec('#'),
      ),
    },
    ...dashboardFiles(enabledProfiles(spec, profiles).map(({ def }) => def.id), profiles).filter((file) => file !== HOST_DASHBOARD || hasHostMetrics(spec)).map((file) => ({
      path: `grafana/dashboards/${file}`,
      content: shipped(dashboards, file),
    })),
  ];
  switch (placementOf(spec)) {
    case 'containers':
      // In its container Grafana takes its settings from the environment (docker-compose.yml).
      return files;
    case 'host':
      return [...files, grafanaIni(spec)];
  }
}

/** Natively Grafana takes its settings from this file; the admin password comes from .env at start. */
function grafanaIni(spec: StackSpec): RenderedFile {
  const data = filed(runPaths(spec, 'grafana', 'host')).data;
  return {
    path: 'grafana/grafana.ini',
    content: generatedFromSpec(';') + '\n' + ini({
      server: { http_addr: isWildcard(spec.bind_address) ? '' : spec.bind_address, http_port: spec.ports.grafana },
      paths: { data, logs: `${data}/log`, plugins: `${data}/plugins`, provisioning: 'grafana/provisioning' },
      security: { admin_user: 'admin', disable_gravatar: true, cookie_samesite: 'strict' },
      users: { allow_sign_up: false },
      'auth.anonymous': { enabled: false },
      analytics: { reporting_enabled: false, check_for_updates: false, check_for_plugin_updates: false },
    }),
  };
}

/** Grafana's arguments: none in its container (its image starts it with its own grafana.ini), natively ours. */
export function grafanaArgs(at: FiledPaths): Arg[] {
  switch (at.placement) {
    case 'containers':
      return [];
    case 'host':
      return ['--config', stackPath(at.config)];
  }
}

/**
 * grafana.ini holds the same paths, relative; Grafana resolves those against its install folder
 * (makeAbsolute in pkg/setting/setting.go, seen in stored versions of grafana/grafana, not at a
 * tag), so the variables GF_PATHS_<KEY> for the [paths] keys of
 * grafana/grafana@d6b8507785:conf/defaults.ini, which win over the file, give them absolute.
 */
export function grafanaHostEnv(at: FiledPaths): Record<string, Arg> {
  return {
    GF_PATHS_DATA: stackPath(at.data),
    GF_PATHS_LOGS: stackPath(`${at.data}/log`),
    GF_PATHS_PLUGINS: stackPath(`${at.data}/plugins`),
    GF_PATHS_PROVISIONING: stackPath('grafana/provisioning'),
  };
}

/** Whether host metrics reach this Grafana: the stack runs node_exporter, or it is a fleet hub, whose nodes send theirs. */
function hasHostMetrics(spec: StackSpec): boolean {
  return spec.fleet?.role === 'hub' || enabledServices(spec).includes('node-exporter');
}
