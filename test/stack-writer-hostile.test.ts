// Writing into a folder someone else can write to (fibre-stack runs as root): links planted in
// advance never redirect a write, a read or a removal outside the folder, a refusal leaves the
// folder as it was, and folders are readable by the services' own users whatever the umask.
import { chmodSync, mkdtempSync, existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, renameSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MANIFEST_PATH, writeStack } from '../cli/io/stack-writer.js';
import { UserError } from '../core/errors.js';

const tempDir = (prefix = 'fibre-stack-test-') => mkdtempSync(join(tmpdir(), prefix));

/** A file outside the stack folder that an attacker would like us to overwrite, chmod or delete. */
function victim(): string {
  const path = join(tempDir('fibre-victim-'), 'precious');
  writeFileSync(path, 'do not touch\n');
  chmodSync(path, 0o600);
  return path;
}

const unchanged = (path: string) => {
  expect(readFileSync(path, 'utf8')).toBe('do not touch\n');
  expect(statSync(path).mode & 0o777).toBe(0o600);
};

describe('a stack folder with planted links', () => {
  it('a link planted at the old predictable temporary name is never written through', () => {
    const root = tempDir();
    const target = victim();
    for (const name of ['a.yml', '.env']) symlinkSync(target, join(root, `${name}.tmp-${process.pid}`));
    writeStack(root, [{ path: 'a.yml', content: 'a: 1\n' }, { path: '.env', content: 'S=1\n', mode: 0o600 }]);
    unchanged(target);
    expect(readFileSync(join(root, 'a.yml'), 'utf8')).toBe('a: 1\n');
    expect(lstatSync(join(root, 'a.yml')).isSymbolicLink()).toBe(false);
  });

  it('refuses a target that is a link, before writing any file', () => {
    const root = tempDir();
    const target = victim();
    symlinkSync(target, join(root, 'b.yml'));
    const write = () => writeStack(root, [{ path: 'a.yml', content: 'a\n' }, { path: 'b.yml', content: 'b\n' }]);
    expect(write).toThrow(UserError);
    expect(write).toThrow(/refusing to touch b\.yml: it is a symlink/);
    unchanged(target);
    expect(readdirSync(root)).toEqual(['b.yml']);
  });

  it('refuses a folder that leads outside, before writing any file, and creates no missing folder', () => {
    const outside = tempDir('fibre-outside-');
    const parent = tempDir();
    const root = join(parent, 'stack');
    mkdirSync(root);
    symlinkSync(outside, join(root, 'prometheus'));
    const write = () => writeStack(root, [{ path: 'a.yml', content: 'a\n' }, { path: 'prometheus/rules/x.yml', content: 'x\n' }]);
    expect(write).toThrow(/refusing to touch prometheus\/rules\/x\.yml: .*prometheus resolves to .*outside the stack folder/);
    expect(readdirSync(outside)).toEqual([]);
    expect(readdirSync(root)).toEqual(['prometheus']);
  });

  it('never removes a file whose manifest entry leads outside through a linked folder', () => {
    const root = tempDir();
    const target = victim();
    writeStack(root, [{ path: 'sub/old.yml', content: 'old\n' }]);
    // Between two runs someone swaps the folder for a link and forges the manifest's digest.
    const manifest = JSON.parse(readFileSync(join(root, MANIFEST_PATH), 'utf8'));
    manifest.files['sub/precious'] = '0'.repeat(64);
    writeFileSync(join(root, MANIFEST_PATH), JSON.stringify(manifest));
    writeFileSync(join(root, 'sub', 'old.yml'), 'old\n');
    const subReal = join(root, 'sub');
    const moved = join(root, 'moved');
    renameSync(subReal, moved);
    symlinkSync(join(target, '..'), subReal);
    expect(() => writeStack(root, [{ path: 'new.yml', content: 'n\n' }], { force: true })).toThrow(/refusing to touch sub\/(old\.yml|precious): .*outside the stack folder/);
    unchanged(target);
    expect(existsSync(join(root, 'new.yml'))).toBe(false);
  });

  it('refuses a manifest that is a link', () => {
    const root = tempDir();
    const target = victim();
    mkdirSync(join(root, '.fibre-stack'));
    symlinkSync(target, join(root, MANIFEST_PATH));
    expect(() => writeStack(root, [{ path: 'a.yml', content: 'a\n' }])).toThrow(/refusing to touch \.fibre-stack\/manifest\.json: it is a symlink/);
    unchanged(target);
  });
});

describe('modes under a strict umask', () => {
  let saved: number;
  beforeEach(() => {
    saved = process.umask(0o077);
  });
  afterEach(() => {
    process.umask(saved);
  });

  it('folders come out 0755 and files 0644, secrets 0600', () => {
    const root = join(tempDir(), 'stack');
    writeStack(root, [
      { path: 'prometheus/rules/a.yml', content: 'a\n' },
      { path: 'grafana/provisioning/datasources/ds.yml', content: 'd\n' },
      { path: '.env', content: 'S=1\n', mode: 0o600 },
    ]);
    const mode = (p: string) => statSync(join(root, p)).mode & 0o777;
    expect([mode('prometheus'), mode('prometheus/rules'), mode('grafana/provisioning/datasources'), mode('.fibre-stack')]).toEqual([0o755, 0o755, 0o755, 0o755]);
    expect([mode('prometheus/rules/a.yml'), mode('grafana/provisioning/datasources/ds.yml'), mode(MANIFEST_PATH)]).toEqual([0o644, 0o644, 0o644]);
    expect(mode('.env')).toBe(0o600);
  });

  it('an existing folder of ours made 0700 under that umask is opened up for the services on the next run', () => {
    const root = tempDir();
    mkdirSync(join(root, 'loki'), { mode: 0o700 });
    writeStack(root, [{ path: 'loki/loki.yml', content: 'l\n' }]);
    expect(statSync(join(root, 'loki')).mode & 0o777).toBe(0o755);
  });
});
