// Small HTTP probes for readiness and validation: never throw, always answer within a timeout.
export interface Probe {
  /** HTTP status, or 0 when nothing answered. */
  status: number;
  body: string;
  /** Why nothing answered (connection refused, timeout), when status is 0. */
  error?: string;
}

export async function probe(url: string, opts: { timeoutMs?: number; headers?: Record<string, string>; method?: 'GET' | 'POST' } = {}): Promise<Probe> {
  try {
    const res = await fetch(url, { method: opts.method ?? 'GET', headers: opts.headers, signal: AbortSignal.timeout(opts.timeoutMs ?? 3000), redirect: 'manual' });
    return { status: res.status, body: await res.text() };
  } catch (err) {
    const cause = (err as Error).cause as NodeJS.ErrnoException | undefined;
    const error = cause?.code === 'ECONNREFUSED' ? 'connection refused' : (err as Error).name === 'TimeoutError' ? 'no answer in time' : (cause?.message ?? (err as Error).message);
    return { status: 0, body: '', error };
  }
}

/**
 * A probe's outcome in words, for progress and validation tables: on one line, since a body may be
 * a whole page (node_exporter answers its landing page's HTML).
 */
export function describeProbe(p: Probe): string {
  const body = p.body.replace(/\s+/g, ' ').trim().slice(0, 120);
  return p.status === 0 ? (p.error ?? 'no answer') : `HTTP ${p.status}${body ? `: ${body}` : ''}`;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Asks a service to re-read its configuration (POST /-/reload: Prometheus, Alertmanager); says why when it refused. */
export async function reloadOverHttp(baseUrl: string): Promise<{ ok: boolean; detail: string }> {
  const p = await probe(`${baseUrl}/-/reload`, { method: 'POST', timeoutMs: 30_000 });
  return p.status === 200 ? { ok: true, detail: 'reloaded' } : { ok: false, detail: `reload refused: ${describeProbe(p)}` };
}
