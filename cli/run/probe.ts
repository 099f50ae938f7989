// Small HTTP probes for readiness and validation: never throw, always answer within a timeout.
import { get } from 'node:https';
export interface Probe {
  /** HTTP status, or 0 when nothing answered. */
  status: number;
  body: string;
  /** Why nothing answered (connection refused, timeout), when status is 0. */
  error?: string;
}

export interface ProbeOptions {
  timeoutMs?: number;
  headers?: Record<string, string>;
  method?: 'GET' | 'POST';
  /** PEM of the CA an https URL's certificate is checked against (a fleet hub's own CA), instead of the system's. */
  ca?: string;
}

export async function probe(url: string, opts: ProbeOptions = {}): Promise<Probe> {
  if (opts.ca !== undefined && url.startsWith('https:')) return probeWithCa(url, opts.ca, opts);
  try {
    const res = await fetch(url, { method: opts.method ?? 'GET', headers: opts.headers, signal: AbortSignal.timeout(opts.timeoutMs ?? 3000), redirect: 'manual' });
    return { status: res.status, body: await res.text() };
  } catch (err) {
    const cause = (err as Error).cause as NodeJS.ErrnoException | undefined;
    const error = cause?.code === 'ECONNREFUSED' ? 'connection refused' : (err as Error).name === 'TimeoutError' ? 'no answer in time' : (cause?.message ?? (err as Error).message);
    return { status: 0, body: '', error };
  }
}

/** A GET over https trusting `ca`: fetch cannot be given a CA, node:https can. */
function probeWithCa(url: string, ca: string, opts: ProbeOptions): Promise<Probe> {
  return new Promise((resolve) => {
    const req = get(url, { ca, headers: opts.headers, timeout: opts.timeoutMs ?? 3000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', (err) => resolve({ status: 0, body: '', error: err.message }));
    });
    req.on('timeout', () => req.destroy(new Error('no answer in time')));
    req.on('error', (err: NodeJS.ErrnoException) => resolve({ status: 0, body: '', error: err.code === 'ECONNREFUSED' ? 'connection refused' : err.message }));
  });
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
