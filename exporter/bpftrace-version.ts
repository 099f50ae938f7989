// What changes between the bpftrace builds users run (0.17 Debian 12, 0.20 Ubuntu 24.04, 0.23
// Debian 13, 0.24+ current), read in bpftrace's source at those tags (bpftrace/bpftrace@vX:path):
// how to ask for string length and buffer size without a warning, whether USDT arg6 can be read,
// and how `-f json` writes map keys. Only 0.17 and 0.23 run in our tests; 0.20 and 0.24+ are
// handled from their source alone (README, profile table).
import { spawnSync } from 'node:child_process';
import { UserError } from '../core/errors.js';

export interface BpftraceVersion {
  major: number;
  minor: number;
  patch: number;
}

/** `bpftrace v0.17.0`, `bpftrace v0.23.2`, `bpftrace v0.24.0-12-gabc` ... */
export function parseBpftraceVersion(text: string): BpftraceVersion | undefined {
  const m = /\bv?(\d+)\.(\d+)\.(\d+)/.exec(text);
  return m ? { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]) } : undefined;
}

/** Whether v is at least major.minor. */
export function atLeast(v: BpftraceVersion, major: number, minor: number): boolean {
  return v.major > major || (v.major === major && v.minor >= minor);
}

export function versionText(v: BpftraceVersion): string {
  return `${v.major}.${v.minor}.${v.patch}`;
}

/** Runs `bpftrace --version`. */
export function bpftraceVersion(bpftrace: string): BpftraceVersion {
  const r = spawnSync(bpftrace, ['--version'], { encoding: 'utf8', timeout: 30_000 });
  const v = parseBpftraceVersion(`${r.stdout ?? ''}`);
  if (r.status !== 0 || !v) {
    throw new UserError(`${bpftrace} --version did not print a bpftrace version (${r.error?.message ?? (r.stderr || r.stdout || `exit ${r.status}`).trim()}): give the bpftrace executable with --bpftrace (FIBRE_BPFTRACE).`);
  }
  if (!atLeast(v, 0, 17)) throw new UserError(`bpftrace ${versionText(v)} is too old: fibre-stack needs 0.17 or later (Debian 12 ships 0.17).`);
  return v;
}

/**
 * Whether this bpftrace reads USDT arguments past arg5: from 0.24 (v0.24.0:src/ast/passes/
 * semantic_analyser.cpp 1043-1047); before, `arg6` is a compile error on x86-64
 * (v0.17.0 semantic_analyser.cpp 365-384 ... v0.23.5 506-508).
 */
export function readsUsdtArg6(v: BpftraceVersion): boolean {
  return atLeast(v, 0, 24);
}

/**
 * The environment bpftrace runs with. Every variable set here is one the build reads, so no
 * build prints a deprecation warning on each start:
 * - String length. Hex hashes are 64 characters and str() counts the NUL, so 64 cuts them.
 *   0.17-0.19 read BPFTRACE_STRLEN (default 64, at most 200: v0.17.0:src/main.cpp 249-256);
 *   0.20-0.23 warn "BPFTRACE_STRLEN is deprecated" on it and read BPFTRACE_MAX_STRLEN
 *   (v0.20.4:src/main.cpp 273-285, default 64 in 0.20-0.22: v0.20.4:src/config.cpp 20);
 *   0.23 defaults to 1024 (v0.23.5:src/config.cpp 28) and still reads BPFTRACE_MAX_STRLEN
 *   without a warning (v0.23.2:src/main.cpp 256-258); 0.24+ ignores BPFTRACE_STRLEN
 *   (v0.24.0:src/config.cpp 290, 363-381), so from 0.24 nothing is set. On 0.23 this matters
 *   for speed: str() makes a string of max_strlen bytes (v0.23.2:src/ast/passes/
 *   semantic_analyser.cpp 895-918), each printf record carries its strings at that size, so
 *   1024 makes a block_reconstructed record ~2 KiB and the ring buffer holds a tenth of the
 *   events (docs/ebpf-performance.md). 80 keeps a hash whole; a mempool reject reason (up to 118 characters, Bitcoin Core
 *   doc/tracing.md) is cut at 79 before 0.23, which only merges a few very long reasons.
 * - Output buffer. 0.17 gives each CPU a perf buffer of BPFTRACE_PERF_RB_PAGES pages (default 64:
 *   v0.17.0:src/bpftrace.h 186, bpftrace.cpp 1283): 1024 is 4 MiB a CPU. From 0.18 printf goes
 *   through one BPF ring buffer of that many pages in all (v0.20.4:src/map.cpp 163-168,
 *   v0.24.0:src/ast/passes/codegen_llvm.cpp 4565-4570), so 4096 pages (16 MiB, the most 0.25+
 *   picks by itself: v0.26.1:docs/language.md 350-359) to absorb the same bursts on a few CPUs.
 */
export function bpftraceEnv(v: BpftraceVersion): Record<string, string> {
  const env: Record<string, string> = {};
  if (!atLeast(v, 0, 20)) env.BPFTRACE_STRLEN = '80';
  else if (!atLeast(v, 0, 24)) env.BPFTRACE_MAX_STRLEN = '80';
  env.BPFTRACE_PERF_RB_PAGES = atLeast(v, 0, 18) ? '4096' : '1024';
  return env;
}

/**
 * From 0.24 `-f json` removes every space from a map key (and the parentheses around a tuple):
 * v0.24.0:src/output/json.cpp 96-113, `std::erase(s, ' ')`; up to 0.23 keys are kept verbatim
 * (v0.17.0:src/output.cpp 865-875, v0.23.5:src/output.cpp 1191-1200). Given the values a key
 * can take, this gives back the original of a key 0.24+ printed.
 */
export function mapKeyRestorer(v: BpftraceVersion, withSpaces: readonly string[]): (key: string) => string {
  if (!atLeast(v, 0, 24)) return (key) => key;
  const originals = new Map(withSpaces.map((s) => [s.replaceAll(' ', ''), s]));
  return (key) => originals.get(key) ?? key;
}
