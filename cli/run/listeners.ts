// Who listens on a TCP port of this host, from the kernel's own tables: /proc/net/tcp and tcp6
// list the listening sockets with their inode, and /proc/<pid>/fd says which process holds each
// inode. This is how `up` refuses a port another program holds, and how readiness is credited
// only when the answer comes from our own process, never from whatever else answers there.
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';

export interface Listener {
  port: number;
  /** The address it listens on: 0.0.0.0 or :: for every address. */
  address: string;
  /** Processes holding the socket (empty when this user may not see them: another user's). */
  pids: number[];
}

const TCP_LISTEN = '0A';

/** An address of /proc/net/tcp{,6} in words: IPv4 as dotted quad; IPv6 loopback, any and v4-mapped named, the rest as hex. */
function decodeAddress(hex: string): string {
  if (hex.length === 8) return [3, 2, 1, 0].map((i) => parseInt(hex.slice(i * 2, i * 2 + 2), 16)).join('.');
  if (/^0+$/.test(hex)) return '::';
  if (hex === '00000000000000000000000001000000') return '::1';
  // ::ffff:a.b.c.d is stored as three 32-bit words then the IPv4 address, each in host order.
  if (hex.startsWith('0000000000000000FFFF0000')) return decodeAddress(hex.slice(24));
  return hex;
}

/** Listening sockets by inode, from one of /proc/net/tcp, /proc/net/tcp6. */
function listening(table: string): { port: number; address: string; inode: string }[] {
  let text: string;
  try {
    text = readFileSync(table, 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .slice(1)
    .map((line) => line.trim().split(/\s+/))
    .filter((f) => f.length > 9 && f[3] === TCP_LISTEN)
    .map((f) => {
      const [addr, port] = f[1].split(':');
      return { port: parseInt(port, 16), address: decodeAddress(addr), inode: f[9] };
    });
}

/** Every pid holding one of these socket inodes. */
function holders(inodes: ReadonlySet<string>): Map<string, number[]> {
  const out = new Map<string, number[]>();
  if (inodes.size === 0) return out;
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${name}/fd`);
    } catch {
      continue; // exited, or another user's
    }
    for (const fd of fds) {
      let target: string;
      try {
        target = readlinkSync(`/proc/${name}/fd/${fd}`);
      } catch {
        continue;
      }
      const m = /^socket:\[(\d+)\]$/.exec(target);
      if (!m || !inodes.has(m[1])) continue;
      const pids = out.get(m[1]) ?? [];
      if (!pids.includes(Number(name))) pids.push(Number(name));
      out.set(m[1], pids);
    }
  }
  return out;
}

const WILDCARD = new Set(['0.0.0.0', '::']);

/** True when a socket on `listenerAddress` takes the port from one wanting `wanted` (either is a wildcard, or they are the same). */
export function clashes(listenerAddress: string, wanted: string): boolean {
  return WILDCARD.has(listenerAddress) || WILDCARD.has(wanted) || listenerAddress === wanted || (wanted === 'localhost' && listenerAddress === '127.0.0.1');
}

/** The sockets listening on `port` that would take it from a program wanting it on `address`, and who holds them. */
export function listenersOn(port: number, address = '0.0.0.0'): Listener[] {
  const sockets = [...listening('/proc/net/tcp'), ...listening('/proc/net/tcp6')].filter((s) => s.port === port && clashes(s.address, address));
  const byInode = holders(new Set(sockets.map((s) => s.inode)));
  return sockets.map((s) => ({ port: s.port, address: s.address, pids: byInode.get(s.inode) ?? [] }));
}

/** A process in words: its pid and command line (cut short), for "port 9090 is held by ...". */
export function describeProcess(pid: number): string {
  try {
    const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
    return `pid ${pid} (${argv.length > 100 ? `${argv.slice(0, 100)}...` : argv})`;
  } catch {
    return `pid ${pid}`;
  }
}

/** Who holds a port, in words. */
export function describeListeners(listeners: Listener[]): string {
  const pids = [...new Set(listeners.flatMap((l) => l.pids))];
  return pids.length ? pids.map(describeProcess).join(', ') : 'a process this user cannot see (another user\'s)';
}
