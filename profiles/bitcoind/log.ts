// bitcoind's debug.log lines that carry FIBRE block race results (ABI.md section 1, -debug=bench).
import type { LogParsing } from '../types.js';

/** The Loki `job` of debug.log, for fibre and bitcoin-core alike (its `profile` label tells them apart). */
export const BITCOIND_LOG_JOB = 'bitcoind';

export const BITCOIND_DEBUG_LOG_PARSING: LogParsing = {
  regexes: [
    // UDP: block=<hash> height=<n> winner=<mechanism> winner_peer=<ip:port|n/a> udp=<x.xxms|n/a> udp_peer=<..> cmpct=<x.xxms|n/a> cmpct_peer=<..>
    'UDP: block=(?P<block>[0-9a-f]+) height=(?P<height>\\d+) winner=(?P<winner>\\S+) winner_peer=(?P<winner_peer>\\S+) udp=(?P<udp>\\S+) udp_peer=(?P<udp_peer>\\S+) cmpct=(?P<cmpct>\\S+) cmpct_peer=(?P<cmpct_peer>\\S+)',
    // UDP: Block <hash> reconstructed from <peer> with <n> chunks in <x> ms (<n> recvd from <n> peers)
    'UDP: Block (?P<block>[0-9a-f]+) reconstructed from (?P<source_peer>\\S+) with (?P<chunks>\\d+) chunks in (?P<reconstruct_ms>[0-9.]+) ms',
  ],
  // The winning mechanism has a handful of values; everything else would explode cardinality.
  labels: ['winner'],
  structuredMetadata: ['block', 'height', 'winner_peer', 'udp', 'udp_peer', 'cmpct', 'cmpct_peer', 'source_peer', 'chunks', 'reconstruct_ms'],
};
