// The exporter's HTTP side: /metrics for Prometheus, /health and /ready for healthchecks. The
// health endpoints are also served on a separate port when asked, so a healthcheck needs neither
// the basic-auth password nor the TLS certificate of the metrics port.
//
// /health answers anyone who reaches the port, so its reason names what is wrong in words that
// give nothing away (a card name and its state, never a file path or an error text); the detail
// goes only to a caller who gave the basic-auth credentials of /metrics. Without basic auth there
// is no such caller: the detail is then on the exporter's stderr only.
import { timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { UserError } from '../core/errors.js';
import { Exposition, type ExpositionSource } from './exposition.js';

export interface HealthState {
  ok: boolean;
  /** Why it is not OK, for anyone: names and states only. */
  reason: string;
  /** More, for authenticated callers only (paths, error texts); one line each. */
  detail?: string;
}

export interface ServeOptions {
  host: string;
  port: number;
  healthPort?: number;
  /** The metrics to serve; /metrics renders again only what changed since the last scrape. */
  metrics: ExpositionSource;
  health: () => HealthState;
  basicAuth?: { username: string; password: string };
  tls?: { certFile: string; keyFile: string };
}

/** How soon after a change the background rendering runs (and at most how often). */
const PRERENDER_MS = 500;

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** Serves /metrics, /health, /ready on port (and /health, /ready on healthPort when given). Health: 200 "OK" or 503 + reason. */
export async function serveMetrics(opts: ServeOptions): Promise<{ urls: string[]; close(): Promise<void> }> {
  const servers: http.Server[] = [];
  const urls: string[] = [];
  const exposition = new Exposition(opts.metrics);
  const ahead = prerender(exposition);
  const release = () => {
    ahead.stop();
    exposition.close();
  };
  try {
    const main = createServer(opts.tls, metricsHandler(opts, exposition));
    const port = await listen(main, opts.host, opts.port, '--port');
    servers.push(main);
    const base = `${opts.tls ? 'https' : 'http'}://${displayHost(opts.host)}:${port}`;
    urls.push(`${base}/metrics`, `${base}/health`);
    // Port 0 means "any free port", so two zeros are two servers.
    if (opts.healthPort !== undefined && (opts.healthPort === 0 || opts.healthPort !== opts.port)) {
      // Plain HTTP on purpose: it serves no data, and container healthchecks have no CA to trust.
      const side = http.createServer(healthHandler(opts.health, () => false));
      const healthPort = await listen(side, opts.host, opts.healthPort, '--health-port');
      servers.push(side);
      urls.push(`http://${displayHost(opts.host)}:${healthPort}/health`);
    }
  } catch (err) {
    release();
    await Promise.all(servers.map(closeServer));
    throw err;
  }
  return {
    urls,
    close: async () => {
      release();
      await Promise.all(servers.map(closeServer));
    },
  };
}

/** Renders ahead after a change, so the next scrape usually finds the body ready. */
function prerender(exposition: Exposition): { stop(): void } {
  const timer = setInterval(() => {
    if (!exposition.current) exposition.body().catch(() => undefined);
  }, PRERENDER_MS);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}

function metricsHandler(opts: ServeOptions, exposition: Exposition): Handler {
  const authorized = opts.basicAuth ? basicAuthCheck(opts.basicAuth) : () => true;
  const authenticated = opts.basicAuth ? authorized : () => false;
  const health = healthHandler(opts.health, authenticated);
  return (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== '/metrics') return health(req, res);
    if (!methodAllowed(req, res)) return;
    if (!authorized(req.headers.authorization)) {
      res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="fibre-stack exporter", charset="UTF-8"', 'Content-Type': 'text/plain' });
      res.end('Unauthorized\n');
      return;
    }
    exposition.body().then(
      (body) => {
        res.writeHead(200, { 'Content-Type': exposition.contentType, 'Content-Length': body.length });
        if (req.method === 'HEAD') return res.end();
        // Corked, so the pieces leave in one write.
        res.cork();
        for (const part of body.parts) res.write(part);
        res.end();
      },
      (err: unknown) => {
        res.writeHead(500, { 'Content-Type': 'text/plain' });
        res.end(`collecting metrics failed: ${err instanceof Error ? err.message : String(err)}\n`);
      },
    );
  };
}

/** `authenticated` says whether a request carries the basic-auth credentials (always false without them). */
function healthHandler(health: () => HealthState, authenticated: (header: string | undefined) => boolean): Handler {
  return (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== '/health' && path !== '/ready') {
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end('Not found: try /metrics, /health or /ready\n');
      return;
    }
    if (!methodAllowed(req, res)) return;
    const state = health();
    const detail = state.detail && authenticated(req.headers.authorization) ? `\n${state.detail}\n` : '';
    res.writeHead(state.ok ? 200 : 503, { 'Content-Type': 'text/plain' });
    res.end((state.ok ? 'OK' : `${state.reason}\n`) + detail);
  };
}

function methodAllowed(req: IncomingMessage, res: ServerResponse): boolean {
  if (req.method === 'GET' || req.method === 'HEAD') return true;
  res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain' });
  res.end('Method not allowed\n');
  return false;
}

/** Compares in constant time, so response timing does not reveal how much of a guess was right. */
function basicAuthCheck(expected: { username: string; password: string }): (header: string | undefined) => boolean {
  const want = Buffer.from(`${expected.username}:${expected.password}`);
  return (header) => {
    const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
    if (!match) return false;
    const got = Buffer.from(match[1], 'base64');
    return got.length === want.length && timingSafeEqual(got, want);
  };
}

function createServer(tls: ServeOptions['tls'], handler: Handler): http.Server {
  if (!tls) return http.createServer(handler);
  return https.createServer({ cert: readTlsFile(tls.certFile, '--tls-cert'), key: readTlsFile(tls.keyFile, '--tls-key') }, handler);
}

function readTlsFile(file: string, flag: string): Buffer {
  try {
    return readFileSync(file);
  } catch (err) {
    throw new UserError(`cannot read ${flag} ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}. Give a readable PEM file.`);
  }
}

function listen(server: http.Server, host: string, port: number, flag: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE') reject(new UserError(`${host}:${port} is already in use: stop what listens there or choose another ${flag}.`));
      else if (err.code === 'EACCES') reject(new UserError(`no permission to listen on ${host}:${port}: choose a port above 1023 with ${flag}.`));
      else if (err.code === 'EADDRNOTAVAIL' || err.code === 'ENOTFOUND') reject(new UserError(`cannot listen on ${host}: no such local address; check --host.`));
      else reject(err);
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function closeServer(server: http.Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
    // Keep-alive connections from a scraper would otherwise hold close() open until they time out.
    server.closeAllConnections();
  });
}

/** A URL a person can open: the wildcard addresses are reachable on loopback. */
function displayHost(host: string): string {
  if (host === '0.0.0.0' || host === '') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}
