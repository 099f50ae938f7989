// Turns a bpftrace program of bpf/ into the text bpftrace runs against one binary: fills in the
// binary's path, keeps only the probe blocks the binary declares (bpftrace rejects a whole program
// when one probe is missing), keeps the variant of a probe block the bpftrace build can compile
// (USDT arg6 and later only from bpftrace 0.24) and, for programs that count in kernel maps, adds
// the interval block that prints those maps.
import { UserError } from '../core/errors.js';

export interface BpfProgram {
  text: string;
  /** USDT probes (`provider:name`) the program attaches. */
  probes: string[];
  /** USDT probes the source wants but the binary lacks. */
  missing: string[];
}

// One top-level block per USDT probe, written in bpf/*.bt as `usdt:BINARY:provider:name {` (the brace may start the next line) up
// to the `}` that starts a line. A block may follow a line `// variant: arg6` (it reads USDT
// arguments past arg5, which bpftrace before 0.24 refuses to compile: "x86_64 doesn't support
// arg6", bpftrace/bpftrace@v0.23.5:src/ast/passes/semantic_analyser.cpp 506-508, allowed from
// v0.24.0 1043-1047) or `// variant: no-arg6` (what to run instead on older builds).
const USDT_BLOCK = /^(?:\/\/ variant: (arg6|no-arg6)\n)?usdt:BINARY:(\w+):(\w+)\s*\{[\s\S]*?^\}[^\n]*\n?/gm;

export interface BuildOptions {
  /** For programs that count in kernel maps: how often bpftrace prints them. */
  printMapsEverySeconds?: number;
  /** Whether this bpftrace reads USDT arg6 and later (0.24+). */
  usdtArg6?: boolean;
}

export function buildProgram(source: string, binary: string, available: ReadonlySet<string>, opts: BuildOptions = {}): BpfProgram {
  const { printMapsEverySeconds, usdtArg6 = false } = opts;
  // bpftrace's attach-point grammar has no quoting for paths with spaces, colons or quotes.
  if (!/^[\w./+@-]+$/.test(binary)) {
    throw new UserError(`bpftrace cannot attach to a path with spaces, colons or quotes: ${binary}. Link the binary to a plain path (ln -s "${binary}" /usr/local/bin/bitcoind) and pass that.`);
  }
  const probes: string[] = [];
  const missing: string[] = [];
  let text = source.replace(USDT_BLOCK, (block, variant: string | undefined, provider: string, name: string) => {
    if (variant !== undefined && (variant === 'arg6') !== usdtArg6) return '';
    const id = `${provider}:${name}`;
    if (!available.has(id)) {
      missing.push(id);
      return '';
    }
    probes.push(id);
    return block;
  });
  // Whole-line comments are for readers of bpf/; bpftrace need not see them.
  text = text.replace(/^[ \t]*\/\/[^\n]*\n/gm, '');
  if (printMapsEverySeconds !== undefined) {
    const maps = [...new Set(text.match(/@\w+/g) ?? [])];
    if (maps.length > 0) text += `\ninterval:s:${printMapsEverySeconds} {\n${maps.map((m) => `  print(${m});\n`).join('')}}\n`;
  }
  return { text: text.replaceAll('usdt:BINARY:', `usdt:${binary}:`), probes, missing };
}
