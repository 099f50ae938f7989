// WhiteFire miner log lines (ABI.md section 4), parsed into base units. The miners print their
// statistics as whitespace-separated tokens at fixed positions, and a stats line is known by its
// token count alone; so a line with the right count whose fields do not read as numbers is a
// malformed stats line (counted by the collector), while a line with another count is some other
// message of the miner and is ignored.
import { BITSTREAMS, type Bitstream } from './spec.js';

/** Cumulative counts as the miner prints them (`good/total`). */
export interface GoodTotal {
  good: number;
  total: number;
}

export interface MinerStats {
  hashesPerSecond: number;
  clockHertz: number;
  temperatureCelsius: number;
  voltageVolts: number;
  errorRatio: number;
  solutions?: GoodTotal;
  shares?: GoodTotal;
}

export type MinerLine =
  | { kind: 'stats'; stats: MinerStats }
  | { kind: 'share'; result: 'good' | 'bad' }
  | { kind: 'other' }
  | { kind: 'unparseable'; reason: string };

const GIGA = 1e9;
const MEGA = 1e6;

/** Token counts that mark a stats line, per bitstream. */
const STATS_TOKENS: Record<Bitstream, number> = { tokenminer: 10, rb4: 12, nimiq: 15 };

/** Thrown inside a parser when a field is not what the template says; becomes `unparseable`. */
class FieldError extends Error {}

export function parseMinerLine(bitstream: Bitstream, line: string): MinerLine {
  // Nimiq reports each share on its own line, in any shape; the words are all that is known.
  if (bitstream === 'nimiq') {
    if (line.includes('booooo')) return { kind: 'share', result: 'bad' };
    if (line.includes('yay')) return { kind: 'share', result: 'good' };
  }
  const tokens = line.trim().split(/\s+/);
  if (tokens.length !== STATS_TOKENS[bitstream]) return { kind: 'other' };
  try {
    return { kind: 'stats', stats: bitstream === 'nimiq' ? nimiqStats(tokens) : tokenminerStats(tokens, bitstream === 'rb4') };
  } catch (err) {
    if (err instanceof FieldError) return { kind: 'unparseable', reason: err.message };
    throw err;
  }
}

/**
 * The other bitstream whose stats line this is, if any: a card set to the wrong bitstream reads
 * none of its stats lines and would otherwise serve nothing, silently.
 */
export function otherBitstreamOf(bitstream: Bitstream, line: string): Bitstream | undefined {
  return BITSTREAMS.find((b) => b !== bitstream && parseMinerLine(b, line).kind === 'stats');
}

/** A token as a reason quotes it: a log line may hold a megabyte in one token. */
function quote(token: string): string {
  return JSON.stringify(token.length > 40 ? `${token.slice(0, 40)}...` : token);
}

// `t0 t1 <hashrate>GH/s (<clock>MHz) t4 <errors>% <temp>C <volts>V t8 t9`
// RB4 adds `<sol_good>/<sol_total> t10 <share_good>/<share_total>` at 9 and 11.
function tokenminerStats(t: string[], rb4: boolean): MinerStats {
  const stats: MinerStats = {
    hashesPerSecond: number(t[2], '', 'GH/s') * GIGA,
    clockHertz: number(t[3], '(', 'MHz)') * MEGA,
    errorRatio: number(t[5], '', '%') / 100,
    temperatureCelsius: number(t[6], '', 'C'),
    voltageVolts: number(t[7], '', 'V'),
  };
  if (rb4) {
    stats.solutions = goodTotal(t[9]);
    stats.shares = goodTotal(t[11]);
  }
  return stats;
}

// `t0 t1 <hashrate> t3 t4 t5 <clock> t7 <temp>C <volts>XX t10 <errors>% t12 <sol_good>/<sol_total> t14`
// Hashrate in GH/s and clock in MHz, as the other bitstreams print them; the voltage carries a
// two-character suffix whose meaning is not public, so only its length is checked.
function nimiqStats(t: string[]): MinerStats {
  return {
    hashesPerSecond: number(t[2], '', '') * GIGA,
    clockHertz: number(t[6], '', '') * MEGA,
    temperatureCelsius: number(t[8], '', 'C'),
    voltageVolts: number(t[9].slice(0, -2), '', ''),
    errorRatio: number(t[11], '', '%') / 100,
    solutions: goodTotal(t[13]),
  };
}

const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** The number between a token's expected prefix and suffix; anything else is a FieldError. */
function number(token: string, prefix: string, suffix: string): number {
  const upper = token.toUpperCase();
  if (!upper.startsWith(prefix.toUpperCase()) || !upper.endsWith(suffix.toUpperCase()) || token.length < prefix.length + suffix.length) {
    throw new FieldError(`expected ${prefix}<number>${suffix}, got ${quote(token)}`);
  }
  const text = token.slice(prefix.length, token.length - suffix.length);
  if (!NUMBER.test(text)) throw new FieldError(`expected ${prefix}<number>${suffix}, got ${quote(token)}`);
  const value = Number(text);
  // Hundreds of digits read as Infinity, which no gauge or counter can take.
  if (!Number.isFinite(value)) throw new FieldError(`number out of range in ${quote(token)}`);
  return value;
}

function goodTotal(token: string): GoodTotal {
  const m = /^(\d+)\/(\d+)$/.exec(token);
  if (!m) throw new FieldError(`expected <good>/<total>, got ${quote(token)}`);
  const good = Number(m[1]);
  const total = Number(m[2]);
  // Counts beyond 2^53 lose their last digits, and their differences are no longer counts.
  if (!Number.isSafeInteger(total)) throw new FieldError(`count out of range in ${quote(token)}`);
  if (good > total) throw new FieldError(`more good than total in ${quote(token)}`);
  return { good, total };
}
