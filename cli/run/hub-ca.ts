// A fleet hub's vmauth answers over https with the certificate `create` made from its own CA
// (cli/io/fleet-tls.ts), which no system trusts: its readiness and validation probes check it
// against that CA (StackService.readyCaFile), as the nodes do.
import { readFileSync } from 'node:fs';
import { resolveArg, type StackService } from '../render/stack-services.js';
import type { StackDir } from './stack-dir.js';

/** The PEM a service's https readiness URL is checked against; undefined: the system's CAs. */
export function readyCa(stack: StackDir, svc: StackService): string | undefined {
  if (!svc.readyCaFile) return undefined;
  try {
    return readFileSync(resolveArg(svc.readyCaFile, stack.dir), 'utf8');
  } catch {
    // Not made (yet): the probe then fails on the certificate and says so.
    return undefined;
  }
}
