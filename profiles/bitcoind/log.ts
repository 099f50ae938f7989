// bitcoind's debug.log as the log agents parse it: the line's own time, and the fields of the UDP
// block-relay lines the current FIBRE fork writes. Formats are the fork's source, not ABI.md:
// - bitcoinfibre/bitcoinfibre@c879b092 (branch v30.0, its current release branch):src/udprelay.cpp
//   lines 349, 648-650, 603-625/793-795/928-1141 (peer problems), 722 (reconstruction, with pool),
//   751, 828;
// - bitcoinfibre@79a8ee9a (newer, with the race code): src/fibrerace.cpp (the race line),
//   src/udprelay.cpp (the reconstruction line without pool, `UDP: block=%s scriptsig=%s`).
// The layout of a line is bitcoin/bitcoin@v30.0:src/logging.cpp 298-316 and 405-420: an ISO 8601
// UTC time (`2025-10-09T16:04:52Z`, `.123456Z` with -logtimemicros), then the message; while
// v30's rate limiter suppresses any source location every line starts with `[*] ` (481-485).
import type { LogParsing } from '../types.js';

/** The Loki `job` of debug.log, for fibre and bitcoin-core alike. */
export const BITCOIND_LOG_JOB = 'bitcoind';

export const BITCOIND_DEBUG_LOG_PARSING: LogParsing = {
  regexes: [
    // [*] 2025-10-09T16:04:52Z ...   (or 2025-10-09T16:04:52.123456Z with -logtimemicros)
    '^(?:\\[\\*\\] )?(?P<time>\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(?:\\.\\d+)?Z) ',
    // UDP: block=<hash> height=<n> winner=<mechanism> winner_peer=<ip:port|n/a> udp=<x.xxms|n/a> udp_peer=<..> cmpct=<x.xxms|n/a> cmpct_peer=<..>
    'UDP: block=(?P<block>[0-9a-f]+) height=(?P<height>\\d+) winner=(?P<winner>\\S+) winner_peer=(?P<winner_peer>\\S+) udp=(?P<udp>\\S+) udp_peer=(?P<udp_peer>\\S+) cmpct=(?P<cmpct>\\S+) cmpct_peer=(?P<cmpct_peer>\\S+)',
    // UDP: Block <hash> (pool=<name>) reconstructed from <peer> with <n> chunks in <x> ms (<n> recvd from <n> peers)
    // The pool (DetectPool's table: "Foundry USA", "Binance Pool " ...) may hold spaces and end in one; "(pool=...) " is absent in older builds.
    'UDP: Block (?P<block>[0-9a-f]+) (?:\\(pool=(?P<pool>[^)]*?) ?\\) )?reconstructed from (?P<source_peer>\\S+) with (?P<chunks>\\d+) chunks in (?P<reconstruct_ms>[0-9.]+) ms \\((?P<chunks_received>\\d+) recvd from (?P<chunk_peers>\\d+) peers\\)',
    // UDP: block=<hash> scriptsig=<hex>   (the coinbase scriptSig, which names the pool)
    'UDP: block=(?P<block>[0-9a-f]+) scriptsig=(?P<scriptsig>[0-9a-f]*)$',
    // UDP: Starting header send for block <hash> at <µs since the epoch> us
    'UDP: Starting header send for block (?P<block>[0-9a-f]+) at (?P<send_start_us>\\d+) us',
    // UDP: Initialized block <hash> with <n>/<n> mempool-provided chunks (or more)
    'UDP: Initialized block (?P<block>[0-9a-f]+) with (?P<mempool_chunks>\\d+)/(?P<total_chunks>\\d+) mempool-provided chunks',
    // A peer or block that failed: the problem (a fixed phrase of the source) and, when the line names them, the block and the peer.
    'UDP: (?P<problem>Failed to decode received header and short txids|Got invalid header and short txids|Unable to decode block|Failed to decode block|Unable to process mempool|FEC chunk decode failed|Tx decode failed|Got invalidly-sized block message|Got wrong obj_length/chunsk_sent|Got block contents that couldn\'t match header)(?:(?: for block)? (?P<block>[0-9a-f]{64}))?(?:.*? from (?:peer )?(?P<peer>\\[?[0-9A-Fa-f.:]+\\]?:\\d+))?',
  ],
  // Few values each (mechanisms, the pool table, the problem phrases); hashes, heights, peers and
  // times would explode the stream count, so they travel as structured metadata.
  labels: ['winner', 'pool', 'problem'],
  structuredMetadata: [
    'block', 'height', 'winner_peer', 'udp', 'udp_peer', 'cmpct', 'cmpct_peer', 'source_peer', 'chunks', 'reconstruct_ms', 'chunks_received', 'chunk_peers',
    'scriptsig', 'send_start_us', 'mempool_chunks', 'total_chunks', 'peer',
  ],
  timestamp: { field: 'time', format: 'RFC3339' },
  // What a first start (or a long outage) sends: see LogParsing.maxAge and the README.
  maxAge: '1h',
};
