// `fibre-stack lint` as a user runs it (the built CLI): exit codes, output naming file and place,
// --json for scripts, and the default paths (the package's own dashboards/ and rules/).
import { mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from './support/cli.js';

describe('fibre-stack lint', () => {
  it('exits 0 on the built-in dashboards and rules (the default paths)', () => {
    const r = runCli(['lint']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/6 dashboard\(s\), 8 rule file\(s\) \(and 8 promtool test file\(s\)[^)]*\): 0 error\(s\), 0 warning\(s\)/);
    expect(r.code).toBe(0);
  });

  it('exits 1 on an error, naming the file, dashboard and panel', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lint-cli-'));
    const d = JSON.parse(readFileSync(join(ROOT, 'dashboards', 'miner.json'), 'utf8'));
    const p = d.panels.find((x: { type: string }) => x.type === 'timeseries');
    p.targets[0].expr = 'fpga_miner_temperature_celsius{card=~"$card"';
    writeFileSync(join(dir, 'miner.json'), JSON.stringify(d));
    const r = runCli(['lint', dir]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`${join(dir, 'miner.json')}: dashboard "WhiteFire FPGA Miners" › panel "${p.title}" (id ${p.id}) › target A: error [promql-parse]`);

    const json = runCli(['lint', dir, '--json']);
    expect(json.code).toBe(1);
    const report = JSON.parse(json.stdout);
    expect(report.errors).toBe(1);
    expect(report.findings[0]).toMatchObject({ severity: 'error', rule: 'promql-parse', file: join(dir, 'miner.json') });
  });

  it('exits 0 when there are only warnings, and --no-warnings hides them', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lint-cli-'));
    writeFileSync(join(dir, 'theirs.yml'), 'groups:\n  - name: g\n    rules:\n      - alert: host_down\n        expr: up == 0\n        labels: {severity: page}\n');
    const r = runCli(['lint', dir, '--no-promtool']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/warning \[alert-name\]/);
    expect(r.stdout).toMatch(/warning \[alert-severity\]/);
    expect(runCli(['lint', dir, '--no-warnings', '--no-promtool']).stdout).not.toMatch(/warning \[/);
  });

  it('says so when promtool is not on PATH, and still lints', () => {
    const bin = mkdtempSync(join(tmpdir(), 'lint-cli-path-'));
    symlinkSync('/bin/sh', join(bin, 'sh'));
    const r = runCli(['lint', join(ROOT, 'rules')], { env: { PATH: bin } });
    expect(r.stdout).toMatch(/8 rule file\(s\).*: 0 error\(s\).*promtool not run \(not on PATH\)/);
    expect(r.code).toBe(0);
  });

  it('exits 2 for a path that does not exist', () => {
    const r = runCli(['lint', '/nonexistent/dashboards']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no such file or folder: \/nonexistent\/dashboards/);
  });

  it('exits 2 for a file it cannot lint', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lint-cli-'));
    writeFileSync(join(dir, 'notes.txt'), 'hello');
    expect(runCli(['lint', join(dir, 'notes.txt')]).code).toBe(2);
  });

  it('dashboards --check agrees with the checked-in files', () => {
    const r = runCli(['dashboards', '--check']);
    expect(r.stdout).toMatch(/match the code/);
    expect(r.code).toBe(0);
  });
});
