// A reader of ExecStart= lines following systemd.service(5) and systemd.syntax(7): `$$` and `%%`
// undo their escaping, then words split on whitespace with double quotes and C escapes. It is
// the oracle for the encoder's round-trip test, written from the documentation, not from the encoder.
export function parseExecStart(line: string): string[] {
  const words: string[] = [];
  let i = 0;
  const s = line;
  while (i < s.length) {
    while (i < s.length && /\s/.test(s[i])) i++;
    if (i >= s.length) break;
    let word = '';
    let quoted = false;
    while (i < s.length && (quoted || !/\s/.test(s[i]))) {
      const c = s[i];
      if (c === '"') { quoted = !quoted; i++; continue; }
      if (c === '%' && s[i + 1] === '%') { word += '%'; i += 2; continue; }
      if (c === '$' && s[i + 1] === '$') { word += '$'; i += 2; continue; }
      if (c === '\\') {
        const n = s[i + 1];
        const simple: Record<string, string> = { n: '\n', t: '\t', '\\': '\\', '"': '"', "'": "'", r: '\r', a: '\x07', b: '\b', f: '\f', v: '\v', s: ' ' };
        if (n in simple) { word += simple[n]; i += 2; continue; }
        if (n === 'x') { word += String.fromCharCode(parseInt(s.slice(i + 2, i + 4), 16)); i += 4; continue; }
        throw new Error(`unknown escape \\${n}`);
      }
      word += c;
      i++;
    }
    if (quoted) throw new Error('unterminated quote');
    words.push(word);
  }
  return words;
}
