// The terminal width string-width gives a string of ASCII characters without escape sequences:
// one per printable character, none for control characters. The bundle (scripts/build.mjs) puts
// this in front of yargs' and cliui's string-width, which build Unicode property regexes when
// first loaded (\p{RGI_Emoji} alone costs 14 ms) and segment every string, while all the help text
// yargs lays out after each command is ASCII. test/bundle.test.ts checks it against both versions.

const PLAIN_ASCII = /^[\x00-\x1a\x1c-\x7f]*$/; // ASCII without ESC, which starts an escape sequence
const CONTROL = /[\x00-\x1f\x7f]/g;

/** The width of a plain ASCII string; undefined for anything else, which string-width measures. */
export function asciiWidth(string) {
  if (typeof string !== 'string' || !PLAIN_ASCII.test(string)) return undefined;
  return string.replace(CONTROL, '').length;
}
