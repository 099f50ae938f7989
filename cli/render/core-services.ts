// What fibre-stack renders for each core service: its config files and its command line. With its
// entry in the table (cli/services/table.ts) this is all a core service needs: compose, the
// service inventory both runners use and the stack's file list are built from the two.
import type { StackSpec } from '../spec/types.js';

import type { Arg, HostFacts, PackageSources, RenderedFile } from './types.js';
import { filed, type RunPaths } from './addressing.js';
import { cadvisorFlags, nodeExporterFiles, nodeExporterFlags } from './host-metrics.js';
import { prometheusFlags, renderPrometheus } from './prometheus.js';
import { alertmanagerFlags, renderAlertmanager } from './alertmanager.js';
import { grafanaArgs, grafanaHostEnv, renderGrafana } from './grafana.js';
import { renderLoki } from './loki.js';
import { alloyArgs, renderAlloy, renderPromtail } from './log-agent.js';
import { blackboxArgs, renderBlackbox } from './blackbox.js';
import type { CoreService } from '../services/table.js';
import { renderVictoriaMetrics, renderVmalert, renderVmauth, victoriaMetricsArgs, vmalertArgs, vmauthArgs, vmauthDotenv, vmauthTlsMounts } from './fleet-hub.js';
import { fleetMounts } from './fleet-node.js';
import { mimirArgs, renderMimir } from './fleet-mimir.js';
import { PROFILES } from '../../profiles/registry.js';

export interface ServiceRenderer {
  /** Its files in the stack folder (only asked of services the stack runs); `host`: what was read of this host at the edge. */
  files(spec: StackSpec, sources: PackageSources, host: HostFacts): RenderedFile[];
  /** Its arguments after the program name, given where its config and data are and where it listens; none runs its image's own command. */
  args(spec: StackSpec, at: RunPaths): Arg[];
  /** Variables its process on the host needs beyond its arguments. */
  hostEnv?(at: RunPaths): Record<string, Arg>;
  /** Variables of the stack's .env it starts with, beyond the table's fromDotenv (secrets that depend on the spec). */
  dotenv?(spec: StackSpec): string[];
  /** Files outside its table mounts its container reads (a fleet node's token and CA), stack or host path -> container path. */
  mounts?(spec: StackSpec): { source: string; target: string }[];
}

const configFileFlag = (at: RunPaths) => [`-config.file=${filed(at).config}`];

export const SERVICE_RENDERERS: Record<CoreService, ServiceRenderer> = {
  prometheus: {
    files: (spec, sources) => renderPrometheus(spec, sources.profiles),
    args: (spec, at) => prometheusFlags(spec, filed(at)),
    mounts: fleetMounts,
  },
  alertmanager: { files: renderAlertmanager, args: (_spec, at) => alertmanagerFlags(filed(at)) },
  grafana: { files: (spec, sources) => renderGrafana(spec, sources.dashboards, sources.profiles), args: (_spec, at) => grafanaArgs(filed(at)), hostEnv: (at) => grafanaHostEnv(filed(at)) },
  loki: { files: renderLoki, args: (_spec, at) => configFileFlag(at) },
  alloy: { files: (spec, sources) => renderAlloy(spec, sources.templates, sources.profiles), args: (_spec, at) => alloyArgs(filed(at)), mounts: fleetMounts },
  promtail: { files: (spec, sources) => renderPromtail(spec, sources.profiles), args: (_spec, at) => configFileFlag(at), mounts: fleetMounts },
  blackbox: { files: renderBlackbox, args: blackboxArgs },
  'node-exporter': { files: (spec, sources, host) => nodeExporterFiles(spec, sources.profiles, host), args: (_spec, at) => nodeExporterFlags(at) },
  cadvisor: { files: () => [], args: (_spec, at) => cadvisorFlags(at) },
  'victoria-metrics': { files: renderVictoriaMetrics, args: (spec, at) => victoriaMetricsArgs(spec, filed(at)) },
  // The rule files are the profiles' of the package (args has no sources): the same registry renders them.
  vmalert: { files: (spec, sources) => renderVmalert(spec, sources.profiles), args: (spec, at) => vmalertArgs(spec, at, PROFILES) },
  vmauth: { files: renderVmauth, args: (spec, at) => vmauthArgs(spec, filed(at)), dotenv: vmauthDotenv, mounts: vmauthTlsMounts },
  mimir: { files: (spec, sources) => renderMimir(spec, sources.profiles), args: (spec, at) => mimirArgs(spec, filed(at)) },
};
