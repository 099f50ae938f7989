// Field checks the stack's keys and the profiles' sections share. Each returns undefined when
// the value is fine, else what is wrong and what is allowed (see Reader.string).

export const checkNotEmpty = (s: string) => (s.trim() ? undefined : 'must not be empty');

export const checkAbsolutePath = (s: string) => (s.startsWith('/') ? undefined : `got "${s}"; allowed: an absolute path`);

export const checkHttpUrl = (s: string) => {
  try {
    const u = new URL(s);
    return u.protocol === 'http:' || u.protocol === 'https:' ? undefined : `got "${s}"; allowed: an http:// or https:// URL`;
  } catch {
    return `got "${s}"; allowed: an http:// or https:// URL`;
  }
};

export function isIpAddress(s: string): boolean {
  if (/^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.test(s)) return s.split('.').every((n) => Number(n) <= 255);
  return /^[0-9a-fA-F:]+$/.test(s) && s.includes(':');
}

/** host:port, as a Prometheus static or file_sd target. */
export function checkHostPort(s: string): string | undefined {
  const m = /^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/.exec(s);
  if (!m || Number(m[2]) < 1 || Number(m[2]) > 65535) return `got "${s}"; allowed: host:port, such as 10.0.0.5:9100`;
  return undefined;
}
