// Stack folders for the run tests: rendered by the real renderer on ports that do not clash with a
// stack a developer may be running on the defaults.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { StackSpec } from '../../cli/spec/types.js';
import { renderStack } from '../../cli/render/index.js';
import { writeStack } from '../../cli/io/stack-writer.js';
import { loadPackageSources } from '../../cli/io/templates.js';
import { demoSpec } from '../../cli/commands/demo.js';

const execFileP = promisify(execFile);
export const CLI = join(import.meta.dirname, '..', '..', 'dist', 'cli', 'main.js');

/** The demo's spec (replay exporter) on ports base+N, with changes applied. */
export function testSpec(mode: StackSpec['mode'], base: number, change: (s: StackSpec) => void = () => {}): StackSpec {
  const spec = demoSpec(mode);
  spec.project = `a3test${base}`;
  spec.ports = { ...spec.ports, prometheus: base, alertmanager: base + 1, grafana: base + 2, loki: base + 3, alloy: base + 4, promtail: base + 5, 'node-exporter': base + 7, cadvisor: base + 8 };
  spec.profiles.fibre![0].exporter_port = base + 6;
  change(spec);
  return spec;
}

export function writeTestStack(spec: StackSpec): string {
  const dir = mkdtempSync(join(tmpdir(), 'fibre-stack-run-'));
  writeStack(dir, renderStack(spec, { grafanaAdminPassword: 'test-password-123' }, loadPackageSources()));
  return dir;
}

/** Runs the built CLI; never throws, so a test can assert on the exit code. */
export async function cli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await execFileP(process.execPath, [CLI, ...args], { env: { ...process.env, ...env }, timeout: 300_000, maxBuffer: 32 << 20 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}
