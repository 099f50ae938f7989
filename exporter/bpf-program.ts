// Turns a bpftrace program of bpf/ into the text bpftrace runs against one binary: fills in the
// binary's path, keeps only the probe blocks the binary declares (bpftrace rejects a whole program
// when one probe is missing) and, for programs that count in kernel maps, adds the interval block
// that prints those maps.
import { UserError } from '../core/errors.js';

export interface BpfProgram {
  text: string;
  /** USDT probes (`provider:name`) the program attaches. */
  probes: string[];
  /** USDT probes the source wants but the binary lacks. */
  missing: string[];
  /** Probes that are not USDT (the interval printer): bpftrace counts them in attached_probes. */
  otherProbes: number;
}

// One top-level block per USDT probe, written in bpf/*.bt as `usdt:BINARY:provider:name {` (the brace may start the next line) up
// to the `}` that starts a line.
const USDT_BLOCK = /^usdt:BINARY:(\w+):(\w+)\s*\{[\s\S]*?^\}[^\n]*\n?/gm;

export function buildProgram(source: string, binary: string, available: ReadonlySet<string>, printMapsEverySeconds?: number): BpfProgram {
  // bpftrace's attach-point grammar has no quoting for paths with spaces, colons or quotes.
  if (!/^[\w./+@-]+$/.test(binary)) {
    throw new UserError(`bpftrace cannot attach to a path with spaces, colons or quotes: ${binary}. Link the binary to a plain path (ln -s "${binary}" /usr/local/bin/bitcoind) and pass that.`);
  }
  const probes: string[] = [];
  const missing: string[] = [];
  // Whole-line comments are for readers of bpf/; bpftrace need not see them.
  let text = source.replace(/^[ \t]*\/\/[^\n]*\n/gm, '').replace(USDT_BLOCK, (block, provider: string, name: string) => {
    const id = `${provider}:${name}`;
    if (!available.has(id)) {
      missing.push(id);
      return '';
    }
    probes.push(id);
    return block;
  });
  let otherProbes = 0;
  if (printMapsEverySeconds !== undefined) {
    const maps = [...new Set(text.match(/@\w+/g) ?? [])];
    if (maps.length > 0) {
      text += `\ninterval:s:${printMapsEverySeconds} {\n${maps.map((m) => `  print(${m});\n`).join('')}}\n`;
      otherProbes = 1;
    }
  }
  return { text: text.replaceAll('usdt:BINARY:', `usdt:${binary}:`), probes, missing, otherProbes };
}
