// Writing a stack folder, on real files: what each run does to each file (created, updated,
// unchanged, kept because the user edited it, removed, kept because edited and stale), the
// manifest that tells edited from ours (sha256 of what we last wrote), file modes, and nothing
// written outside the folder or through a symlink.
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MANIFEST_PATH, planStack, safeJoin, writeStack } from '../cli/io/stack-writer.js';
import { UserError } from '../core/errors.js';
import { tempDir } from './support/stack.js';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const manifestOf = (root: string) => JSON.parse(readFileSync(join(root, MANIFEST_PATH), 'utf8'));
const read = (root: string, path: string) => readFileSync(join(root, path), 'utf8');

describe('writeStack', () => {
  it('creates every file with its mode and records each in the manifest', () => {
    const root = join(tempDir(), 'new', 'stack');
    const results = writeStack(root, [
      { path: 'a.yml', content: 'a: 1\n' },
      { path: 'deep/er/b.json', content: '{}' },
      { path: '.env', content: 'SECRET=x\n', mode: 0o600 },
    ]);
    expect(results).toEqual([
      { path: 'a.yml', action: 'created' },
      { path: 'deep/er/b.json', action: 'created' },
      { path: '.env', action: 'created' },
    ]);
    expect(read(root, 'deep/er/b.json')).toBe('{}');
    expect(statSync(join(root, 'a.yml')).mode & 0o777).toBe(0o644);
    expect(statSync(join(root, '.env')).mode & 0o777).toBe(0o600);
    expect(read(root, MANIFEST_PATH)).toBe(
      JSON.stringify({ version: 1, files: { 'a.yml': sha256('a: 1\n'), 'deep/er/b.json': sha256('{}'), '.env': sha256('SECRET=x\n') } }, null, 2) + '\n',
    );
    // No temporary file is left behind.
    expect(readdirSync(root).sort()).toEqual(['.env', '.fibre-stack', 'a.yml', 'deep']);
  });

  it('updates files it wrote, leaves equal ones, and keeps a file the user edited with the new version beside it', () => {
    const root = tempDir();
    writeStack(root, [{ path: 'ours.yml', content: 'v1\n' }, { path: 'same.yml', content: 's\n' }, { path: 'edited.yml', content: 'e1\n' }]);
    writeFileSync(join(root, 'edited.yml'), 'e1\n# mine\n');
    const next = [{ path: 'ours.yml', content: 'v2\n' }, { path: 'same.yml', content: 's\n' }, { path: 'edited.yml', content: 'e2\n' }];
    expect(planStack(root, next)).toEqual([
      { path: 'ours.yml', action: 'updated' },
      { path: 'same.yml', action: 'unchanged' },
      { path: 'edited.yml', action: 'kept-edited', newPath: 'edited.yml.new' },
    ]);
    // planStack only plans.
    expect(read(root, 'ours.yml')).toBe('v1\n');
    writeStack(root, next);
    expect(read(root, 'ours.yml')).toBe('v2\n');
    expect(read(root, 'edited.yml')).toBe('e1\n# mine\n');
    expect(read(root, 'edited.yml.new')).toBe('e2\n');
    // The manifest still holds what we last wrote to edited.yml, so the user's edit stays theirs.
    expect(manifestOf(root).files).toEqual({ 'ours.yml': sha256('v2\n'), 'same.yml': sha256('s\n'), 'edited.yml': sha256('e1\n') });
  });

  it('with force, overwrites edited files and removes stale ones', () => {
    const root = tempDir();
    writeStack(root, [{ path: 'a.yml', content: 'a\n' }, { path: 'old.yml', content: 'o\n' }]);
    writeFileSync(join(root, 'a.yml'), 'mine\n');
    writeFileSync(join(root, 'old.yml'), 'mine too\n');
    expect(writeStack(root, [{ path: 'a.yml', content: 'a2\n' }], { force: true })).toEqual([
      { path: 'a.yml', action: 'updated' },
      { path: 'old.yml', action: 'removed' },
    ]);
    expect(read(root, 'a.yml')).toBe('a2\n');
    expect(existsSync(join(root, 'old.yml'))).toBe(false);
    expect(manifestOf(root).files).toEqual({ 'a.yml': sha256('a2\n') });
  });

  it('removes a file it no longer makes only when unedited, and forgets one already gone', () => {
    const root = tempDir();
    writeStack(root, [{ path: 'keep.yml', content: 'k\n' }, { path: 'gone.yml', content: 'g\n' }, { path: 'edited.yml', content: 'e\n' }, { path: 'deleted.yml', content: 'd\n' }]);
    writeFileSync(join(root, 'edited.yml'), 'e\n# mine\n');
    rmSync(join(root, 'deleted.yml'));
    expect(writeStack(root, [{ path: 'keep.yml', content: 'k\n' }])).toEqual([
      { path: 'keep.yml', action: 'unchanged' },
      { path: 'gone.yml', action: 'removed' },
      { path: 'edited.yml', action: 'kept-stale' },
    ]);
    expect(existsSync(join(root, 'gone.yml'))).toBe(false);
    expect(read(root, 'edited.yml')).toBe('e\n# mine\n');
    expect(manifestOf(root).files).toEqual({ 'keep.yml': sha256('k\n'), 'edited.yml': sha256('e\n'), 'deleted.yml': sha256('d\n') });
  });

  it('writes a preserved file only when absent, and never records it', () => {
    const root = tempDir();
    const preserve = ['fibre-stack.yml'];
    writeStack(root, [{ path: 'fibre-stack.yml', content: 'first\n' }], { preserve });
    expect(read(root, 'fibre-stack.yml')).toBe('first\n');
    expect(manifestOf(root).files).toEqual({ 'fibre-stack.yml': sha256('first\n') });
    writeFileSync(join(root, 'fibre-stack.yml'), 'user spec\n');
    writeFileSync(join(root, MANIFEST_PATH), JSON.stringify({ version: 1, files: {} }));
    expect(writeStack(root, [{ path: 'fibre-stack.yml', content: 'second\n' }], { preserve })).toEqual([{ path: 'fibre-stack.yml', action: 'unchanged' }]);
    expect(read(root, 'fibre-stack.yml')).toBe('user spec\n');
    expect(manifestOf(root).files).toEqual({});
    // Not preserved: the same content is simply recorded as ours.
    writeStack(root, [{ path: 'fibre-stack.yml', content: 'user spec\n' }]);
    expect(manifestOf(root).files).toEqual({ 'fibre-stack.yml': sha256('user spec\n') });
  });

  it('writes untracked files (secrets) without recording them or touching the stack\'s other files', () => {
    const root = tempDir();
    writeStack(root, [{ path: 'a.yml', content: 'a\n' }]);
    const manifest = read(root, MANIFEST_PATH);
    const plan = planStack(root, [{ path: 'secrets/s', content: 'token\n', mode: 0o600 }], { untracked: true });
    expect(plan).toEqual([{ path: 'secrets/s', action: 'created' }]);
    expect(writeStack(root, [{ path: 'secrets/s', content: 'token\n', mode: 0o600 }], { untracked: true, force: true })).toEqual(plan);
    expect(read(root, 'secrets/s')).toBe('token\n');
    expect(statSync(join(root, 'secrets/s')).mode & 0o777).toBe(0o600);
    expect(read(root, 'a.yml')).toBe('a\n');
    expect(read(root, MANIFEST_PATH)).toBe(manifest);
    // Written anew, still unrecorded; and the next run of the stack's own files leaves it alone.
    writeStack(root, [{ path: 'secrets/s', content: 'new\n', mode: 0o600 }], { untracked: true, force: true });
    expect(read(root, 'secrets/s')).toBe('new\n');
    expect(writeStack(root, [{ path: 'a.yml', content: 'a\n' }])).toEqual([{ path: 'a.yml', action: 'unchanged' }]);
    expect(read(root, 'secrets/s')).toBe('new\n');
  });

  it('takes every file as edited when the manifest is damaged or not a manifest', () => {
    for (const damaged of ['{ not json', 'null', '"text"']) {
      const root = tempDir();
      writeStack(root, [{ path: 'a.yml', content: 'a\n' }]);
      writeFileSync(join(root, MANIFEST_PATH), damaged);
      expect(planStack(root, [{ path: 'a.yml', content: 'b\n' }]), damaged).toEqual([{ path: 'a.yml', action: 'kept-edited', newPath: 'a.yml.new' }]);
    }
  });
});

describe('nothing is written outside the stack folder', () => {
  it('refuses paths that climb out', () => {
    const root = tempDir();
    for (const bad of ['../x', 'a/../../x', '/etc/passwd', 'a/../../../x', '..']) {
      expect(() => safeJoin(root, bad), bad).toThrow(new Error(`refusing to write ${JSON.stringify(bad)}: outside the stack folder`));
    }
    // Refused for what they are, not for where they land: with the stack at /, they land inside it.
    for (const bad of ['/etc/passwd', '../etc/passwd']) {
      expect(() => safeJoin('/', bad), bad).toThrow(new Error(`refusing to write ${JSON.stringify(bad)}: outside the stack folder`));
    }
    expect(safeJoin(root, 'a/./b.yml')).toBe(join(root, 'a/b.yml'));
    expect(safeJoin(root, 'a/../b')).toBe(join(root, 'b'));
    // Names that only begin with two dots stay inside.
    for (const odd of ['..x', '..x/y.yml', 'a/..b']) expect(safeJoin(root, odd)).toBe(join(root, odd));
  });

  it('refuses to follow a symlink inside the folder that points out of it', () => {
    const root = tempDir();
    const outside = tempDir();
    symlinkSync(outside, join(root, 'prometheus'));
    const files = [{ path: 'prometheus/prometheus.yml', content: 'global: {}\n' }];
    expect(() => writeStack(root, files)).toThrow(
      new UserError(`refusing to touch prometheus/prometheus.yml: ${join(root, 'prometheus')} resolves to ${outside}, outside the stack folder (a symlink?); remove the link and run again`),
    );
    expect(readdirSync(outside)).toEqual([]);
    // Nor one that stays inside: a folder of the stack is a folder.
    mkdirSync(join(root, 'real'));
    symlinkSync(join(root, 'real'), join(root, 'alias'));
    expect(() => writeStack(root, [{ path: 'alias/x.yml', content: 'x\n' }])).toThrow(
      new UserError(`refusing to write into ${join(root, 'alias')}: it is a symlink or not a folder; remove it and run again`),
    );
    expect(readdirSync(join(root, 'real'))).toEqual([]);
  });

  it('refuses to write through a symlinked file', () => {
    const root = tempDir();
    const outside = join(tempDir(), 'target.yml');
    writeFileSync(outside, 'theirs\n');
    symlinkSync(outside, join(root, 'a.yml'));
    expect(() => writeStack(root, [{ path: 'a.yml', content: 'x\n' }], { force: true })).toThrow(
      new UserError('refusing to touch a.yml: it is a symlink; remove it and run again'),
    );
    expect(readFileSync(outside, 'utf8')).toBe('theirs\n');
  });

  it('refuses before writing anything, so a refusal leaves the folder as it was', () => {
    const root = tempDir();
    const outside = tempDir();
    symlinkSync(outside, join(root, 'prometheus'));
    expect(() => writeStack(root, [{ path: 'a.yml', content: 'a\n' }, { path: 'prometheus/x.yml', content: 'x\n' }])).toThrow(UserError);
    expect(readdirSync(root)).toEqual(['prometheus']);
    // The manifest's folder too.
    rmSync(join(root, 'prometheus'));
    symlinkSync(outside, join(root, '.fibre-stack'));
    expect(() => writeStack(root, [{ path: 'a.yml', content: 'a\n' }])).toThrow(
      new UserError(`refusing to touch ${MANIFEST_PATH}: ${join(root, '.fibre-stack')} resolves to ${outside}, outside the stack folder (a symlink?); remove the link and run again`),
    );
    expect(readdirSync(root)).toEqual(['.fibre-stack']);
    expect(readdirSync(outside)).toEqual([]);
  });

  it('takes no path from the manifest that leads out of the folder', () => {
    const root = tempDir();
    writeStack(root, [{ path: 'a.yml', content: 'a\n' }]);
    writeFileSync(join(root, MANIFEST_PATH), JSON.stringify({ version: 1, files: { '../victim.txt': 'x' } }));
    expect(() => planStack(root, [{ path: 'a.yml', content: 'a\n' }])).toThrow(new Error('refusing to write "../victim.txt": outside the stack folder'));
  });
});

describe('folder modes', () => {
  it('makes every folder it writes into readable by the services\' users, keeping what its owner had', () => {
    const root = tempDir();
    mkdirSync(join(root, 'strict'), { mode: 0o700 });
    chmodSync(join(root, 'strict'), 0o700);
    mkdirSync(join(root, 'open'));
    chmodSync(join(root, 'open'), 0o777);
    writeStack(root, [{ path: 'strict/a.yml', content: 'a\n' }, { path: 'open/b.yml', content: 'b\n' }, { path: 'new/deeper/c.yml', content: 'c\n' }]);
    const mode = (path: string) => statSync(join(root, path)).mode & 0o777;
    expect([mode('strict'), mode('open'), mode('new'), mode('new/deeper'), mode('.fibre-stack')]).toEqual([0o755, 0o777, 0o755, 0o755, 0o755]);
  });

  it('leaves the stack folder itself as its owner made it', () => {
    const root = tempDir();
    chmodSync(root, 0o700);
    writeStack(root, [{ path: 'a.yml', content: 'a\n' }]);
    expect(statSync(root).mode & 0o777).toBe(0o700);
  });

  it('refuses a file where a folder must be', () => {
    const root = tempDir();
    writeFileSync(join(root, 'grafana'), 'a file');
    expect(() => writeStack(root, [{ path: 'grafana/x.yml', content: 'x\n' }])).toThrow(
      new UserError(`refusing to write into ${join(root, 'grafana')}: it is a symlink or not a folder; remove it and run again`),
    );
    expect(readFileSync(join(root, 'grafana'), 'utf8')).toBe('a file');
  });
});
