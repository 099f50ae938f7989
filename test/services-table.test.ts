// The table of core services is what a new core service needs, with its renderer: every entry is
// complete, every consumer covers every entry, and every fact about a program we cannot run here
// names its upstream source at the pinned version.
import { describe, expect, it } from 'vitest';
import { load } from 'js-yaml';
import { DATASOURCES } from '../core/datasources.js';
import { CORE_SERVICES, LOG_AGENTS, SERVICE_NAMES, enabledServices, type CoreService, type StackKind } from '../cli/services/table.js';
import { SERVICE_RENDERERS } from '../cli/render/core-services.js';
import { runPaths } from '../cli/render/addressing.js';
import { stackServices } from '../cli/render/stack-services.js';
import { releaseFor, releaseTag, versionOfImage } from '../cli/run/releases.js';
import { defaultSpec } from '../cli/spec/defaults.js';
import type { StackSpec } from '../cli/spec/types.js';
import { fileOf, render } from './support/stack.js';

/** The fleet section of the first kind of stack that runs a service (none: standalone). */
function fleetFor(kind: StackKind): StackSpec['fleet'] {
  if (kind === 'standalone') return undefined;
  if (kind === 'node') return { role: 'node', host: 'rig-1', site: 'default', hub_url: 'https://hub.example:8427', token_file: 'fleet/hub.token', ca_file: 'fleet/ca.crt' };
  const engine = kind.slice('hub-'.length) as 'victoriametrics' | 'mimir' | 'external';
  return {
    role: 'hub', engine, listen_address: '0.0.0.0', nodes: ['rig-1'],
    tls: { mode: 'off', names: [], cert_file: '', key_file: '' },
    external: engine === 'external' ? { remote_write_url: 'https://m.example/api/v1/push', query_url: 'https://m.example/prometheus' } : { remote_write_url: '', query_url: '' },
  };
}

/** A stack of the default profile that runs `service` (and everything else it can). */
function specWith(service: CoreService, mode: StackSpec['mode']): StackSpec {
  const def = CORE_SERVICES[service];
  const fleet = fleetFor(def.runsIn[0]);
  return {
    ...defaultSpec(),
    mode,
    log_agent: def.role === 'log-agent' ? (service as StackSpec['log_agent']) : defaultSpec().log_agent,
    synthetic_checks: def.role === 'synthetic-checks',
    ...(fleet ? { fleet } : {}),
  };
}

describe('each entry of the table', () => {
  it.each(SERVICE_NAMES)('%s is complete', (s) => {
    const def = CORE_SERVICES[s];
    expect(def.readyPath).toMatch(/^\//);
    expect(def.image).toMatch(/:[^:]+$/);
    expect(def.image).not.toMatch(/:latest$/);
    expect(def.binaries.length).toBeGreaterThan(0);
    expect(def.howToGet).not.toBe('');
    // A service that keeps data keeps it at an absolute path of its container.
    if (def.containerData !== undefined) expect(def.containerData).toMatch(/^\//);
    for (const m of def.hostAccess?.mounts ?? []) expect([m.host, m.container]).toEqual([expect.stringMatching(/^\//), expect.stringMatching(/^\//)]);
    for (const other of [...def.startsAfter, ...(def.sendsTo ? [def.sendsTo] : [])]) expect(SERVICE_NAMES).toContain(other);
    if (def.datasource) expect(Object.values(DATASOURCES)).toContain(def.datasource.def);
  });

  it('the log agents are the entries with that role, and each sends to the logs service', () => {
    expect(LOG_AGENTS).toEqual(SERVICE_NAMES.filter((s) => CORE_SERVICES[s].role === 'log-agent'));
    for (const agent of LOG_AGENTS) expect(CORE_SERVICES[CORE_SERVICES[agent].sendsTo!].role).toBe('logs');
  });

  it('a stack runs exactly the log agent it names, and none without the service it sends to', () => {
    for (const agent of LOG_AGENTS) {
      const on = enabledServices({ disabled_services: [], log_agent: agent, synthetic_checks: false, mode: 'docker' });
      expect(on.filter((s) => CORE_SERVICES[s].role === 'log-agent')).toEqual([agent]);
      expect(enabledServices({ disabled_services: [CORE_SERVICES[agent].sendsTo!], log_agent: agent, synthetic_checks: false, mode: 'docker' })).not.toContain(agent);
    }
  });

  it('a stack runs the synthetic checks only when its spec turns them on, and not when it disables them', () => {
    const checks = SERVICE_NAMES.filter((s) => CORE_SERVICES[s].role === 'synthetic-checks');
    expect(checks).toEqual(['blackbox']);
    expect(enabledServices({ disabled_services: [], log_agent: 'alloy', synthetic_checks: false, mode: 'native' })).not.toContain('blackbox');
    expect(enabledServices({ disabled_services: [], log_agent: 'alloy', synthetic_checks: true, mode: 'native' })).toContain('blackbox');
    expect(enabledServices({ disabled_services: ['blackbox'], log_agent: 'alloy', synthetic_checks: true, mode: 'native' })).not.toContain('blackbox');
  });

  it('every datasource is provided by one service', () => {
    const provided = SERVICE_NAMES.flatMap((s) => (CORE_SERVICES[s].datasource ? [CORE_SERVICES[s].datasource!.def.uid] : []));
    expect(provided.sort()).toEqual(Object.values(DATASOURCES).map((d) => d.uid).sort());
  });
});

describe('every consumer covers every entry', () => {
  it('each has a renderer', () => {
    expect(Object.keys(SERVICE_RENDERERS).sort()).toEqual([...SERVICE_NAMES].sort());
  });

  it.each(SERVICE_NAMES)('%s: compose runs it with a healthcheck, on a config file the stack has', (s) => {
    const files = render(specWith(s, 'docker'));
    const compose = load(fileOf(files, 'docker-compose.yml')) as { services: Record<string, { image: string; healthcheck?: { test: string[] }; volumes: unknown[] }> };
    const service = compose.services[s];
    expect(service.image).toBe(CORE_SERVICES[s].image);
    // An image nothing inside can ask with (Mimir's distroless one) has no healthcheck.
    if (CORE_SERVICES[s].healthcheck.probe.tool === 'none') expect(service.healthcheck).toBeUndefined();
    else expect(service.healthcheck!.test.join(' ')).toMatch(CORE_SERVICES[s].healthcheck.probe.tool === 'self' ? /-health/ : new RegExp(CORE_SERVICES[s].readyPath.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&')));
    // The config file its command line names is one the stack mounts into it, or its image's own.
    const { config } = runPaths(specWith(s, 'docker'), s, 'containers');
    if (config === undefined) return expect(CORE_SERVICES[s].config).toBeUndefined();
    const mounted = CORE_SERVICES[s].mounts.some((m) => config.startsWith(`${m.container}/`) && files.some((f) => f.path === `${m.stack}${config.slice(m.container.length)}`));
    expect(mounted || config === CORE_SERVICES[s].imageConfig, config).toBe(true);
  });

  const nativeServices = SERVICE_NAMES.filter((s) => !CORE_SERVICES[s].dockerOnly);

  it.each(nativeServices)('%s: natively it runs on its config file (if it has one), which the stack has, and is asked for readiness', (s) => {
    const spec = specWith(s, 'native');
    const files = render(spec);
    const config = CORE_SERVICES[s].config;
    if (config !== undefined) expect(files.map((f) => f.path)).toContain(config);
    const svc = stackServices(spec).find((x) => x.name === s)!;
    expect(svc.program).toEqual({ kind: 'binary', candidates: CORE_SERVICES[s].binaries, image: spec.images[s] });
    expect(svc.readyUrl).toBe(`http://127.0.0.1:${spec.ports[s]}${CORE_SERVICES[s].readyPath}`);
    if (config !== undefined) expect(JSON.stringify(svc.argv)).toContain(config);
  });

  it('a service only containers run is in docker stacks alone, and has no release to download', () => {
    for (const s of SERVICE_NAMES.filter((x) => CORE_SERVICES[x].dockerOnly)) {
      expect(stackServices(specWith(s, 'native')).map((x) => x.name)).not.toContain(s);
      expect(stackServices(specWith(s, 'docker')).map((x) => x.name)).toContain(s);
      expect(() => releaseFor(s, 'amd64')).toThrow(/only in docker mode/);
    }
  });

  it.each(nativeServices)('%s: has a pinned release for this platform', (s) => {
    const release = releaseFor(s, 'amd64');
    expect(release.version).toBe(versionOfImage(CORE_SERVICES[s].image));
    expect(release.binaryNames.length).toBeGreaterThan(0);
  });
});

describe('upstream sources', () => {
  const SOURCE = /^([\w.-]+\/[\w.-]+)@([\w.-]+):(\S+)$/;
  const cannotRunHere: CoreService[] = ['grafana', 'loki', 'alloy', 'promtail', 'cadvisor', 'mimir'];

  it.each(cannotRunHere)('%s: its facts name their upstream source', (s) => {
    const sources = Object.values(CORE_SERVICES[s].sources);
    expect(sources.length).toBeGreaterThan(0);
    for (const source of sources) expect(source).toMatch(SOURCE);
  });

  it.each(SERVICE_NAMES)('%s: sources in its own repository were read at the pinned tag (a pin bump means reading them again)', (s) => {
    const def = CORE_SERVICES[s];
    // A service never run natively has no release: every source of it is its own repository's.
    const repo = def.release.kind === 'grafana-downloads-api' ? 'grafana/grafana' : def.release.kind === 'none' ? SOURCE.exec(Object.values(def.sources)[0])![1] : def.release.repo;
    const pinned = releaseTag(def.release, versionOfImage(def.image)!);
    for (const source of Object.values(def.sources)) {
      const [, from, ref, path] = SOURCE.exec(source)!;
      // Documentation is read where it is current; code and build files at the pinned tag.
      if (from !== repo || path.startsWith('docs/')) continue;
      // Grafana's repository is too big to fetch here: its facts come from stored commits, not tags.
      if (/^[0-9a-f]{10,40}$/.test(ref)) expect(s).toBe('grafana');
      else expect(ref, source).toBe(pinned);
    }
  });
});
