// WhiteFire miner log lines (ABI.md section 4) read into base units: a stats line is known by its
// token count; with that count but a field that does not read as its template says, it is a
// broken stats line (unparseable, with the reason); with another count, some other message.
import { describe, expect, it } from 'vitest';
import { otherBitstreamOf, parseMinerLine } from '../profiles/miner/parse.js';
import { nimiq, rb4, tokenminer } from './support/miner-lines.js';

describe('stats lines in base units', () => {
  it('tokenminer: GH/s, MHz, %, C, V', () => {
    expect(parseMinerLine('tokenminer', tokenminer(1.5, 500, 0.25, 65, 0.85))).toEqual({
      kind: 'stats',
      stats: { hashesPerSecond: 1.5e9, clockHertz: 5e8, errorRatio: 0.0025, temperatureCelsius: 65, voltageVolts: 0.85 },
    });
  });

  it('RB4: the same, with cumulative solutions and shares', () => {
    expect(parseMinerLine('rb4', rb4(2, '3/4', '10/12'))).toEqual({
      kind: 'stats',
      stats: { hashesPerSecond: 2e9, clockHertz: 6e8, errorRatio: 0.005, temperatureCelsius: 70, voltageVolts: 0.9, solutions: { good: 3, total: 4 }, shares: { good: 10, total: 12 } },
    });
    expect(parseMinerLine('rb4', rb4(2, '0/0', '7/7'))).toMatchObject({ stats: { solutions: { good: 0, total: 0 }, shares: { good: 7, total: 7 } } });
  });

  it('Nimiq: bare numbers, a two-character voltage suffix, and solutions', () => {
    expect(parseMinerLine('nimiq', nimiq(2.5, 450, 70, 0.9, 1.5, '7/9'))).toEqual({
      kind: 'stats',
      stats: { hashesPerSecond: 2.5e9, clockHertz: 4.5e8, temperatureCelsius: 70, voltageVolts: 0.9, errorRatio: 0.015, solutions: { good: 7, total: 9 } },
    });
  });

  it('reads every number form the template allows, and units in any case', () => {
    const t = (ghs: string, mhz: string) => parseMinerLine('tokenminer', `a b ${ghs} (${mhz}) hw 1% 65c 0.8v x y`);
    expect(t('.5gh/s', '500MHZ')).toMatchObject({ kind: 'stats', stats: { hashesPerSecond: 0.5e9, clockHertz: 5e8, temperatureCelsius: 65, voltageVolts: 0.8 } });
    expect(t('+2.GH/s', '1e3MHz')).toMatchObject({ stats: { hashesPerSecond: 2e9, clockHertz: 1e9 } });
    expect(t('-1E-3GH/s', '5e+2MHz')).toMatchObject({ stats: { hashesPerSecond: -1e6, clockHertz: 5e8 } });
  });

  it('splits on any run of whitespace and ignores the line ends', () => {
    expect(parseMinerLine('tokenminer', '  [12:00]\tGPU0   1GH/s (500MHz) hw 0% 60C 0.8V ok 0x1 \r')).toMatchObject({ kind: 'stats', stats: { hashesPerSecond: 1e9 } });
  });
});

describe('Nimiq share lines', () => {
  it.each([
    ['pool says yay!', 'good'],
    ['yay', 'good'],
    ['booooo, share rejected', 'bad'],
    ['yay? booooo', 'bad'],
  ])('%j is a %s share', (text, result) => {
    expect(parseMinerLine('nimiq', text)).toEqual({ kind: 'share', result });
  });

  it('means nothing for the other bitstreams', () => {
    expect(parseMinerLine('tokenminer', 'yay')).toEqual({ kind: 'other' });
    expect(parseMinerLine('rb4', 'booooo')).toEqual({ kind: 'other' });
  });
});

describe('other lines and broken stats lines', () => {
  it.each([
    ['tokenminer', 'starting miner v1.2'],
    ['tokenminer', ''],
    ['tokenminer', rb4(2, '1/1', '1/1')],
    ['rb4', tokenminer(1, 500, 0, 60, 0.8)],
    ['nimiq', tokenminer(1, 500, 0, 60, 0.8)],
    ['tokenminer', 'a b c d e f g h i j k'],
  ] as const)('%s: %j is another message', (bitstream, text) => {
    expect(parseMinerLine(bitstream, text)).toEqual({ kind: 'other' });
  });

  it.each([
    ['tokenminer', 'a b fastGH/s (500MHz) hw 1% 65C 0.8V x y', 'expected <number>GH/s, got "fastGH/s"'],
    ['tokenminer', 'a b GH/s (500MHz) hw 1% 65C 0.8V x y', 'expected <number>GH/s, got "GH/s"'],
    ['tokenminer', 'a b 1MH/s (500MHz) hw 1% 65C 0.8V x y', 'expected <number>GH/s, got "1MH/s"'],
    ['tokenminer', 'a b 1GH/s 500MHz) hw 1% 65C 0.8V x y', 'expected (<number>MHz), got "500MHz)"'],
    ['tokenminer', 'a b 1GH/s (500MHz hw 1% 65C 0.8V x y', 'expected (<number>MHz), got "(500MHz"'],
    ['tokenminer', 'a b 1GH/s (MHz) hw 1% 65C 0.8V x y', 'expected (<number>MHz), got "(MHz)"'],
    ['tokenminer', 'a b 1GH/s (500MHz) hw 1 65C 0.8V x y', 'expected <number>%, got "1"'],
    ['tokenminer', 'a b 1GH/s (500MHz) hw 1% 65F 0.8V x y', 'expected <number>C, got "65F"'],
    ['tokenminer', 'a b 1GH/s (500MHz) hw 1% 65C 0.8 x y', 'expected <number>V, got "0.8"'],
    ['tokenminer', 'a b 1.2.3GH/s (500MHz) hw 1% 65C 0.8V x y', 'expected <number>GH/s, got "1.2.3GH/s"'],
    ['tokenminer', 'a b 1e5eGH/s (500MHz) hw 1% 65C 0.8V x y', 'expected <number>GH/s, got "1e5eGH/s"'],
    ['tokenminer', 'a b x1GH/s (500MHz) hw 1% 65C 0.8V x y', 'expected <number>GH/s, got "x1GH/s"'],
    ['tokenminer', 'a b .GH/s (500MHz) hw 1% 65C 0.8V x y', 'expected <number>GH/s, got ".GH/s"'],
    ['rb4', rb4(2, '5/4', '1/1'), 'more good than total in "5/4"'],
    ['rb4', rb4(2, '3/4', '1/x'), 'expected <good>/<total>, got "1/x"'],
    ['rb4', rb4(2, '34', '1/1'), 'expected <good>/<total>, got "34"'],
    ['rb4', rb4(2, '3/4/5', '1/1'), 'expected <good>/<total>, got "3/4/5"'],
    ['rb4', rb4(2, '-1/4', '1/1'), 'expected <good>/<total>, got "-1/4"'],
    ['nimiq', '12:00:00 nimiq 2.5 GH/s at clk 450 MHz 70C 9V err 1.5% sol 7/9 end', 'expected <number>, got ""'],
    ['nimiq', '12:00:00 nimiq fast GH/s at clk 450 MHz 70C 0.9VX err 1.5% sol 7/9 end', 'expected <number>, got "fast"'],
    ['nimiq', '12:00:00 nimiq 2.5 GH/s at clk 450 MHz 70 0.9VX err 1.5% sol 7/9 end', 'expected <number>C, got "70"'],
    ['nimiq', '12:00:00 nimiq 2.5 GH/s at clk 450 MHz 70C 0.9VX err 1.5 sol 7/9 end', 'expected <number>%, got "1.5"'],
    ['nimiq', '12:00:00 nimiq 2.5 GH/s at clk 450 MHz 70C 0.9VX err 1.5% sol 9/7 end', 'more good than total in "9/7"'],
  ] as const)('%s: %j is a broken stats line: %s', (bitstream, text, reason) => {
    expect(parseMinerLine(bitstream, text)).toEqual({ kind: 'unparseable', reason });
  });

  it('quotes at most 40 characters of a token, a log line may hold a megabyte in one', () => {
    const forty = 'x'.repeat(36) + 'GH/s';
    expect(parseMinerLine('tokenminer', `a b ${forty} (500MHz) hw 1% 65C 0.8V x y`)).toEqual({ kind: 'unparseable', reason: `expected <number>GH/s, got "${forty}"` });
    expect(parseMinerLine('tokenminer', `a b y${forty} (500MHz) hw 1% 65C 0.8V x y`)).toEqual({ kind: 'unparseable', reason: `expected <number>GH/s, got "y${forty.slice(0, 39)}..."` });
  });

  it('refuses numbers no gauge can take and counts beyond exact integers', () => {
    const huge = '1' + '0'.repeat(400);
    expect(parseMinerLine('tokenminer', `a b ${huge}GH/s (500MHz) hw 1% 65C 0.8V x y`)).toEqual({ kind: 'unparseable', reason: `number out of range in "${huge.slice(0, 40)}..."` });
    expect(parseMinerLine('rb4', rb4(2, '1/9007199254740993', '1/1'))).toEqual({ kind: 'unparseable', reason: 'count out of range in "1/9007199254740993"' });
    expect(parseMinerLine('rb4', rb4(2, '1/9007199254740991', '1/1'))).toMatchObject({ kind: 'stats', stats: { solutions: { good: 1, total: 9007199254740991 } } });
  });
});

describe('a card set to the wrong bitstream', () => {
  it.each([
    ['rb4', tokenminer(1, 500, 0, 60, 0.8), 'tokenminer'],
    ['nimiq', rb4(2, '1/1', '1/1'), 'rb4'],
    ['tokenminer', nimiq(2.5, 450, 70, 0.9, 1.5, '7/9'), 'nimiq'],
    ['tokenminer', tokenminer(1, 500, 0, 60, 0.8), undefined],
    ['rb4', 'starting miner v1.2', undefined],
    ['rb4', 'a b fastGH/s (500MHz) hw 1% 65C 0.8V x y', undefined],
  ] as const)('%s reading %j: the stats line of %s', (bitstream, text, other) => {
    expect(otherBitstreamOf(bitstream, text)).toBe(other);
  });
});
