// What a re-rendered stack means for what runs (`apply`, `upgrade`): which services must take a
// changed file, and how. Prometheus and Alertmanager re-read their files on an HTTP reload; the
// other programs read theirs only at start. Pure.
import type { StackService } from '../render/stack-services.js';
import { SERVICE_NAMES, type CoreService } from '../services/table.js';

export type Change = { service: string; how: 'reload' | 'restart'; why: string };

/** Core services that reload their configuration on POST /-/reload (Prometheus needs --web.enable-lifecycle, which the stack passes). */
const RELOADS: ReadonlySet<CoreService> = new Set(['prometheus', 'alertmanager']);

/** The core service whose folder holds a stack file (prometheus/rules/x.yml → prometheus), if any. */
export function serviceOfFile(path: string): CoreService | undefined {
  const top = path.split('/')[0];
  return SERVICE_NAMES.find((s) => s === top);
}

/**
 * What each running service must do to take `changedFiles` (paths relative to the stack folder)
 * and a changed command line (`argvChanged`: services whose arguments now differ): restart when its
 * arguments changed or it cannot reload, else reload.
 */
export function changesFor(services: readonly StackService[], changedFiles: readonly string[], argvChanged: ReadonlySet<string>): Change[] {
  return services.flatMap((svc): Change[] => {
    if (argvChanged.has(svc.name)) return [{ service: svc.name, how: 'restart', why: 'its command line changed' }];
    const files = changedFiles.filter((f) => svc.core !== undefined && serviceOfFile(f) === svc.core);
    if (files.length === 0) return [];
    const how = svc.core !== undefined && RELOADS.has(svc.core) ? 'reload' : 'restart';
    return [{ service: svc.name, how, why: `${files.join(', ')} changed` }];
  });
}

/** The base URL a service answers on from this host (its readiness URL without the path). */
export const baseUrlOf = (svc: StackService) => svc.readyUrl.replace(/^(https?:\/\/[^/]+).*$/, '$1');

/** The TCP port a service listens on: the one its readiness URL asks. */
export const portOf = (svc: StackService) => Number(new URL(svc.readyUrl).port);
