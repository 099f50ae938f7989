// The receivers' secrets (bot tokens, webhook URLs, SMTP passwords, routing keys), copied by
// `create` from the files the user names into alertmanager/secrets/ of the stack. Each is mode 0600
// and owned by the user Alertmanager runs as: in docker mode the official image's `nobody`
// (prom/alertmanager's Dockerfile: USER nobody, 65534), natively the user who runs `up`. The
// folder is mounted read-only into the container with the rest of alertmanager/. They are never
// in a rendered file, and not in the manifest either (not even as a hash).
import { closeSync, constants, existsSync, fchownSync, fstatSync, lstatSync, openSync, readSync, symlinkSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { StackSpec } from '../spec/types.js';
import type { RenderedFile } from '../render/types.js';
import type { ReceiverAnswer, SecretSource } from '../spec/from-answers.js';
import { RECEIVER_SECRETS, receiverSecretPath } from '../spec/alerting.js';
import { writeStack } from './stack-writer.js';
import { UserError } from '../../core/errors.js';

/** The uid and gid of `nobody`, whom prom/alertmanager runs as (prometheus/alertmanager@v0.34.0:Dockerfile). */
export const CONTAINER_USER = 65534;

// A token, URL, password or key is short; anything larger is a wrong file.
const MAX_SECRET_BYTES = 64 * 1024;

/** Reads a user's secret file: a regular file of a few bytes to 64 KiB; opened without blocking, so a FIFO is refused, not waited on. */
export function readSecretFile(path: string, what: string): string {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    throw new UserError(`cannot read ${path} (${(err as NodeJS.ErrnoException).code}): name the file that holds ${what}`);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new UserError(`${path} is not a regular file: name the file that holds ${what}`);
    if (st.size > MAX_SECRET_BYTES) throw new UserError(`${path} is ${st.size} bytes, more than ${what} can be: is it the right file?`);
    const buf = Buffer.alloc(st.size);
    const n = readSync(fd, buf, 0, st.size, 0);
    const text = buf.subarray(0, n).toString('utf8');
    if (!text.trim()) throw new UserError(`${path} is empty: it should hold ${what}`);
    return text.trim() + '\n';
  } finally {
    closeSync(fd);
  }
}

function secretText(source: SecretSource, what: string): string {
  return 'value' in source ? source.value.trim() + '\n' : readSecretFile(source.file, what);
}

export interface SecretWrite {
  path: string;
  /** Said when the file could not be given to the user Alertmanager runs as. */
  warning?: string;
}

/**
 * The secret file of each receiver that was given one, read from the user's files now: a file
 * that cannot be read stops `create` before anything is written.
 */
export function receiverSecretFiles(spec: StackSpec, answers: readonly ReceiverAnswer[]): RenderedFile[] {
  return answers.flatMap((a) => {
    const rec = spec.alerting.receivers.find((r) => r.name === a.receiver.name);
    if (!a.secret || !rec) return [];
    return [{ path: receiverSecretPath(rec.name), content: secretText(a.secret, RECEIVER_SECRETS[rec.type]), mode: 0o600 }];
  });
}

/** Writes the secret files, for the spec's run mode. */
export function writeReceiverSecrets(dir: string, spec: StackSpec, files: readonly RenderedFile[]): SecretWrite[] {
  if (!files.length) return [];
  // Written as the stack's other files are (inside the folder, never through a link), always anew,
  // and left out of the manifest.
  writeStack(dir, files, { force: true, untracked: true });
  return files.map((f) => ({ path: f.path, warning: spec.mode === 'docker' ? giveToContainerUser(dir, f.path) : undefined }));
}

/** In docker mode Alertmanager reads the file as nobody: only root can give it to nobody. */
function giveToContainerUser(dir: string, path: string): string | undefined {
  const full = join(dir, path);
  const fd = openSync(full, constants.O_RDONLY | constants.O_NOFOLLOW);
  try {
    fchownSync(fd, CONTAINER_USER, CONTAINER_USER);
    return undefined;
  } catch {
    return `${path} is yours, mode 0600, but Alertmanager reads it in its container as nobody (uid 65534): run \`sudo chown 65534:65534 ${full}\`, else that receiver's notifications fail`;
  } finally {
    closeSync(fd);
  }
}

/**
 * A docker-mode stack run natively runs from its twin (cli/run/native-variant.ts), where
 * Alertmanager's working folder is the twin's and its `*_file` paths lead to the twin's
 * alertmanager/secrets: that is made a link to the stack's own, so the secrets stay in one place.
 */
export function shareReceiverSecrets(stackDir: string, twinDir: string): void {
  const secrets = join(stackDir, 'alertmanager', 'secrets');
  const inTwin = join(twinDir, 'alertmanager', 'secrets');
  if (!existsSync(secrets) || lstatExists(inTwin)) return;
  symlinkSync(relative(join(twinDir, 'alertmanager'), secrets), inTwin);
}

function lstatExists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}
