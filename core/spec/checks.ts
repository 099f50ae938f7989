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

/**
 * A node name is a label value on every series the node's exporter serves, a Loki label, and an
 * argument in a systemd unit and a compose command. Prometheus would take any string, but the same
 * word has to survive all of those and a person's shell; hostnames, `relay-1`, `bp@eu:2` all fit:
 * letters, digits and `.`, `_`, `-`, `:`, `@`, 1 to 64 of them, starting with a letter or digit, so
 * it can never read as an option.
 */
export const NODE_NAME = /^[A-Za-z0-9][A-Za-z0-9._:@-]{0,63}$/;

export const checkNodeName = (s: string) =>
  NODE_NAME.test(s) ? undefined : `got ${JSON.stringify(s)}; allowed: 1 to 64 letters, digits, ".", "_", "-", ":" or "@", starting with a letter or digit (such as relay-1)`;

/**
 * A card name labels a miner card's series and its log lines: a short name such as `left` or
 * `card0` (letters, digits, `.`, `_`, `-`, 1 to 32 of them, starting with a letter or digit).
 */
export const CARD_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/;

export const checkCardName = (s: string) =>
  CARD_NAME.test(s) ? undefined : `got ${JSON.stringify(s)}; allowed: a short name of 1 to 32 letters, digits, ".", "_" or "-", starting with a letter or digit (such as left or card0)`;
