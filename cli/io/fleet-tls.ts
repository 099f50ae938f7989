// A fleet hub's TLS, made at the edge when `create`/`generate` meet `fleet.tls.mode: generate`: a
// private CA (nodes trust its certificate, fleet/tls/ca.crt) and the hub's certificate for the
// names nodes reach it by, signed by that CA. Made once: existing files are kept, so a node that
// trusts the CA keeps trusting the hub after a regenerate; a new name in tls.names makes a new
// hub certificate from the same CA. Node's crypto cannot issue X.509 certificates, so openssl does
// (installed nearly everywhere; the error says how to get it or bring your own certificate).
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { isIpAddress } from '../../core/spec/checks.js';
import { UserError } from '../../core/errors.js';
import type { StackSpec } from '../spec/types.js';
import { FLEET_TLS } from '../render/fleet-hub.js';

/** What ensureHubTls did, to report. */
export interface TlsResult {
  made: string[];
  kept: string[];
}

const CA_DAYS = 3650;
// 825 days: the longest validity clients such as Apple's accept for a TLS server certificate.
const CERT_DAYS = 825;

function openssl(args: string[], cwd: string): string {
  try {
    return execFileSync('openssl', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === 'ENOENT') throw new UserError('openssl is needed to make the hub\'s CA and certificate: install it (apt-get install openssl), or bring your own with --tls files --tls-cert FILE --tls-key FILE');
    throw new UserError(`openssl ${args[0]} failed: ${(e.stderr ?? e.message).trim()}`);
  }
}

/** subjectAltName for the names: DNS names and IP addresses, each as what it is. */
export function subjectAltName(names: readonly string[]): string {
  return names.map((n) => (isIpAddress(n) ? `IP:${n}` : `DNS:${n}`)).join(',');
}

/** The names the hub's certificate is for, read back from it (to tell whether tls.names changed). */
function certNames(certPath: string, cwd: string): string[] {
  const text = openssl(['x509', '-in', certPath, '-noout', '-ext', 'subjectAltName'], cwd);
  return [...text.matchAll(/(?:DNS|IP Address):([^,\s]+)/g)].map((m) => m[1].toLowerCase()).sort();
}

/** Makes the CA and the hub certificate a `generate` hub needs, keeping what exists. No-op for any other stack. */
export function ensureHubTls(dir: string, spec: StackSpec): TlsResult {
  const result: TlsResult = { made: [], kept: [] };
  if (spec.fleet?.role !== 'hub' || spec.fleet.tls.mode !== 'generate') return result;
  const names = spec.fleet.tls.names;
  // The CA's key apart from fleet/tls, which vmauth's and VictoriaMetrics' containers mount: no service ever reads it.
  mkdirSync(join(dir, FLEET_TLS.dir), { recursive: true, mode: 0o755 });
  mkdirSync(join(dir, dirname(FLEET_TLS.caKey)), { recursive: true, mode: 0o700 });
  const at = (p: string) => join(dir, p);
  if (existsSync(at(FLEET_TLS.ca)) && existsSync(at(FLEET_TLS.caKey))) result.kept.push(FLEET_TLS.ca);
  else {
    openssl(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', at(FLEET_TLS.caKey)], dir);
    chmodSync(at(FLEET_TLS.caKey), 0o600);
    openssl(['req', '-x509', '-new', '-key', at(FLEET_TLS.caKey), '-sha256', '-days', String(CA_DAYS), '-subj', `/CN=fibre-stack fleet CA ${spec.project}`, '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign', '-out', at(FLEET_TLS.ca)], dir);
    result.made.push(FLEET_TLS.ca, FLEET_TLS.caKey);
    rmSync(at(FLEET_TLS.cert), { force: true });
  }
  const wanted = names.map((n) => n.toLowerCase()).sort();
  if (existsSync(at(FLEET_TLS.cert)) && existsSync(at(FLEET_TLS.key)) && certNames(at(FLEET_TLS.cert), dir).join(',') === wanted.join(',')) {
    result.kept.push(FLEET_TLS.cert);
    return result;
  }
  const work = mkdtempSync(join(tmpdir(), 'fibre-stack-tls-'));
  try {
    const ext = join(work, 'ext.cnf');
    writeFileSync(ext, `basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=${subjectAltName(names)}\n`);
    openssl(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', at(FLEET_TLS.key)], dir);
    chmodSync(at(FLEET_TLS.key), 0o600);
    const csr = join(work, 'hub.csr');
    openssl(['req', '-new', '-key', at(FLEET_TLS.key), '-subj', `/CN=${names[0]}`, '-out', csr], dir);
    openssl(['x509', '-req', '-in', csr, '-CA', at(FLEET_TLS.ca), '-CAkey', at(FLEET_TLS.caKey), '-CAcreateserial', '-CAserial', join(work, 'ca.srl'), '-days', String(CERT_DAYS), '-sha256', '-extfile', ext, '-out', at(FLEET_TLS.cert)], dir);
    result.made.push(FLEET_TLS.cert, FLEET_TLS.key);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return result;
}
