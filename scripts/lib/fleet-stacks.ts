// Fleet stacks for the fleet tests and the fleet bench: a hub and its nodes made by the built
// `fibre-stack create` (so the files are those a user gets), moved to ports of their own by
// editing fibre-stack.yml and running `fibre-stack generate`, as a user would.
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { load } from 'js-yaml';
import { dumpYaml } from '../../core/encode/yaml.js';
import { packagePath } from '../../core/package-root.js';

const execFileP = promisify(execFile);

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Runs the built CLI and throws with its output when it fails. */
export async function mustCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<string> {
  try {
    const r = await execFileP(process.execPath, [packagePath('dist', 'cli', 'main.js'), ...args], { env: { ...process.env, ...env }, timeout: 300_000, maxBuffer: 32 << 20 });
    return r.stdout;
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    throw new Error(`fibre-stack ${args.join(' ')} exited ${e.code}:\n${e.stdout ?? ''}\n${e.stderr ?? ''}`);
  }
}

/** Edits a stack's fibre-stack.yml and re-renders its files from it. */
export async function editSpec(dir: string, change: (spec: Json) => void): Promise<void> {
  const file = join(dir, 'fibre-stack.yml');
  const spec = load(readFileSync(file, 'utf8')) as Json;
  change(spec);
  writeFileSync(file, dumpYaml(spec));
  await mustCli(['generate', '--dir', dir]);
}

export interface HubPorts {
  vm: number;
  vmalert: number;
  vmauth: number;
  alertmanager: number;
  nodeExporter: number;
}

/** Ports of a hub from a base: VictoriaMetrics base, vmalert +1, vmauth +2, Alertmanager +3 (Grafana, Loki +4, +5 are disabled), node_exporter +6. */
export function hubPorts(base: number): HubPorts {
  return { vm: base, vmalert: base + 1, vmauth: base + 2, alertmanager: base + 3, nodeExporter: base + 6 };
}

/**
 * A native hub (VictoriaMetrics engine) for these nodes, TLS made by create for 127.0.0.1.
 * Grafana and Loki cannot run here: disabled. Alerts go to `webhook` when given.
 */
export async function createHub(root: string, base: number, nodes: string[], opts: { webhook?: string; tls?: 'generate' | 'off'; profiles?: string } = {}): Promise<string> {
  const dir = join(root, 'hub');
  const p = hubPorts(base);
  await mustCli(['create', dir, '--yes', '--mode', 'native', '--role', 'hub', '--nodes', nodes.join(','), '--tls', opts.tls ?? 'generate', '--tls-name', '127.0.0.1', '--project', `fleethub${base}`, '--profiles', opts.profiles ?? 'fibre']);
  await editSpec(dir, (s) => {
    Object.assign(s.ports, { 'victoria-metrics': p.vm, vmalert: p.vmalert, vmauth: p.vmauth, alertmanager: p.alertmanager, grafana: base + 4, loki: base + 5, 'node-exporter': p.nodeExporter });
    s.disabled_services = ['grafana', 'loki'];
    s.fleet.listen_address = '127.0.0.1';
    if (opts.webhook) s.alerting = { receivers: [{ name: 'webhook', type: 'webhook', url: opts.webhook }] };
  });
  return dir;
}

export interface NodeOptions {
  host: string;
  site: string;
  /** The agent's port; the exporter listens on the next one. */
  port: number;
  /** fibre (the replay exporter) or miner (following `minerLog`). */
  profile: 'fibre' | 'miner';
  minerLog?: string;
  /** Where its node_exporter listens; none: it runs none (the nodes of a test share one host, which one of them watches). */
  nodeExporterPort?: number;
}

/** A native node of `hubDir`, with its token and the hub's CA copied over as create tells the user to. */
export async function createNode(root: string, hubDir: string, hubUrl: string, o: NodeOptions): Promise<string> {
  const dir = join(root, o.host);
  const profileArgs = o.profile === 'miner' ? ['--profiles', 'miner', '--miner-log', o.minerLog!] : ['--profiles', 'fibre'];
  await mustCli(['create', dir, '--yes', '--mode', 'native', '--role', 'node', '--hub', hubUrl, '--host', o.host, '--site', o.site, '--project', `fleet${o.host.replace(/\W/g, '')}${o.port}`, ...profileArgs]);
  await editSpec(dir, (s) => {
    s.ports.prometheus = o.port;
    s.profiles[o.profile][0].exporter_port = o.port + 1;
    // The FIBRE profile's replay exporter plays the recording shipped with the package.
    if (o.profile === 'fibre') s.profiles.fibre[0].source = 'replay';
    // No log agent can run here (Alloy is not packaged): logs are not part of these tests.
    s.disabled_services = o.nodeExporterPort ? ['alloy'] : ['alloy', 'node-exporter'];
    if (o.nodeExporterPort) s.ports['node-exporter'] = o.nodeExporterPort;
  });
  mkdirSync(join(dir, 'fleet'), { recursive: true });
  copyFileSync(join(hubDir, 'fleet', 'nodes', `${o.host}.token`), join(dir, 'fleet', 'hub.token'));
  try {
    copyFileSync(join(hubDir, 'fleet', 'tls', 'ca.crt'), join(dir, 'fleet', 'ca.crt'));
  } catch {
    // a hub without TLS has no CA
  }
  return dir;
}

export function tmpRoot(name: string): string {
  return mkdtempSync(join(tmpdir(), `fibre-stack-${name}-`));
}

/** An instant query against VictoriaMetrics. */
export async function vmQuery(vmBase: string, query: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]> {
  const res = await fetch(`${vmBase}/api/v1/query?query=${encodeURIComponent(query)}`, { signal: AbortSignal.timeout(10_000) });
  const body = (await res.json()) as Json;
  if (body.status !== 'success') throw new Error(`${query}: ${JSON.stringify(body)}`);
  return body.data.result;
}

/** Raw samples from VictoriaMetrics' export API (one JSON line per series). */
export async function vmExport(vmBase: string, match: string, startSeconds: number): Promise<{ metric: Record<string, string>; timestamps: number[]; values: number[] }[]> {
  const res = await fetch(`${vmBase}/api/v1/export?match[]=${encodeURIComponent(match)}&start=${startSeconds}`, { signal: AbortSignal.timeout(30_000) });
  if (res.status !== 200) throw new Error(`export ${match}: HTTP ${res.status} ${await res.text()}`);
  return (await res.text()).split('\n').filter(Boolean).map((l) => JSON.parse(l));
}
