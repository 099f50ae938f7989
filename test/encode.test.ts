// The format encoders, value by value: what each writes for the characters its format treats
// specially (as the format's documentation says to write them), and that the format's reader
// gives the value back: js-yaml for YAML, JSON.parse for Alloy's Go-style strings, the systemd
// ExecStart reader written from systemd.syntax(7) for unit files.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { load } from 'js-yaml';
import { alloyString } from '../core/encode/alloy.js';
import { EnvEncodingError, envLine, envValue, parseEnvText } from '../core/encode/env.js';
import { htmlText } from '../core/encode/html.js';
import { goTemplateString } from '../core/encode/go-template.js';
import { systemdCommand, systemdWord } from '../core/encode/systemd.js';
import { dumpYaml, parseYaml, yamlString } from '../core/encode/yaml.js';
import { DOCUMENT_LIMITS } from '../core/document-limits.js';
import { parseExecStart } from './support/systemd-words.js';

describe('systemd', () => {
  it.each([
    ['plain', '"plain"'],
    ['', '""'],
    ['back\\slash', '"back\\\\slash"'],
    ['say "hi"', '"say \\"hi\\""'],
    ['100%n', '"100%%n"'],
    ['$HOME ${X}', '"$$HOME $${X}"'],
    ['two\nlines', '"two\\nlines"'],
    ['tab\there', '"tab\\there"'],
    ['bell\u0007 esc\u001b del\u007f soh\u0001', '"bell\\x07 esc\\x1b del\\x7f soh\\x01"'],
    ['space and ünï ✓', '"space and ünï ✓"'],
  ])('systemdWord(%j) is %s', (value, word) => {
    expect(systemdWord(value)).toBe(word);
    expect(parseExecStart(word)).toEqual([value]);
  });

  it('quotes every argument of a command line on its own', () => {
    const argv = ['/usr/bin/env', 'fibre-stack', '--node-name', 'a b', '%i', ''];
    expect(systemdCommand(argv)).toBe('"/usr/bin/env" "fibre-stack" "--node-name" "a b" "%%i" ""');
    expect(systemdCommand([])).toBe('');
  });

  it('property: any arguments read back as themselves', () => {
    const arg = fc.string({ unit: 'binary', maxLength: 20 }).map((s) => s.replace(/\0/g, ''));
    fc.assert(fc.property(fc.array(arg, { minLength: 1, maxLength: 5 }), (argv) => {
      expect(parseExecStart(systemdCommand(argv))).toEqual(argv);
    }));
  });
});

describe('YAML', () => {
  it.each([
    ['plain', '"plain"'],
    ['a"b\n  evil: 1', '"a\\"b\\n  evil: 1"'],
    ['nel\u0085 ls\u2028 ps\u2029 bom\ufeff', '"nel\\u0085 ls\\u2028 ps\\u2029 bom\\ufeff"'],
    ['del\u007f c1\u009f', '"del\\u007f c1\\u009f"'],
    ['ünï ✓ \u00a0', '"ünï ✓ \u00a0"'],
  ])('yamlString(%j) is %s', (value, scalar) => {
    expect(yamlString(value)).toBe(scalar);
    expect(load(`key: ${yamlString(value)}`)).toEqual({ key: value });
  });

  it('property: any string reads back as itself on one line', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 30 }), (value) => {
      const line = `key: ${yamlString(value)}`;
      expect(line).not.toMatch(/[\n\r\u0085\u2028\u2029]/);
      expect(load(line)).toEqual({ key: value });
    }));
  });

  it('dumps whole documents with every YAML 1.1 look-alike quoted, no anchors and no folding', () => {
    const shared = { a: 1 };
    const long = 'many words '.repeat(20).trim();
    const data = { bools: ['yes', 'no', 'on', 'off', 'true'], nulls: ['null', '~', ''], numbers: ['0x1F', '1e3', '012'], twice: [shared, shared], long };
    const text = dumpYaml(data);
    expect(text).toBe(
      "bools:\n  - 'yes'\n  - 'no'\n  - 'on'\n  - 'off'\n  - 'true'\nnulls:\n  - 'null'\n  - '~'\n  - ''\nnumbers:\n  - '0x1F'\n  - '1e3'\n  - '012'\n" +
        `twice:\n  - a: 1\n  - a: 1\nlong: ${long}\n`,
    );
    expect(load(text)).toEqual(data);
  });

  it('refuses to parse a text beyond the document limit, saying how large it is', () => {
    const text = 'a: 1\n#' + 'x'.repeat(DOCUMENT_LIMITS.maxBytes);
    expect(() => parseYaml(text)).toThrow(new Error(`too large to read: ${DOCUMENT_LIMITS.maxBytes + 6} bytes, more than the ${DOCUMENT_LIMITS.maxBytes} this reads`));
    expect(parseYaml('a: 1\n#x\n')).toEqual({ a: 1 });
  });

  it('puts the header, when given, on the lines before the document', () => {
    expect(dumpYaml({ a: 1 }, '# generated\n# by fibre-stack')).toBe('# generated\n# by fibre-stack\na: 1\n');
    expect(dumpYaml({ a: 1 }, '')).toBe('a: 1\n');
  });
});

describe('Alloy', () => {
  it.each([
    ['plain', '"plain"'],
    ['a"b\\c\nd\te', '"a\\"b\\\\c\\nd\\te"'],
    ['\u0001', '"\\u0001"'],
  ])('alloyString(%j) is %s', (value, literal) => {
    expect(alloyString(value)).toBe(literal);
    expect(JSON.parse(literal)).toBe(value);
  });
});

describe('.env', () => {
  it('writes the characters every compose version reads back unchanged, bare', () => {
    expect(envValue('')).toBe('');
    expect(envLine('GF_SECURITY_ADMIN_PASSWORD', 'aZ09_.,:@+/=-')).toBe('GF_SECURITY_ADMIN_PASSWORD=aZ09_.,:@+/=-');
    expect(envLine('_X1', 'v')).toBe('_X1=v');
  });

  it.each(['a b', 'a"b', "a'b", 'a$b', 'a\nb', 'a#b', 'a\\b', 'a`b', 'é', 'a\tb'])('refuses the value %j, saying what survives', (bad) => {
    expect(() => envValue(bad)).toThrow(
      new EnvEncodingError(`cannot write ${JSON.stringify(bad)} to .env: only letters, digits and _ . , : @ + / = - survive every compose version unchanged`),
    );
  });

  it.each(['lower', '1ABC', 'A-B', 'A B', ''])('refuses the variable name %j', (name) => {
    expect(() => envLine(name, 'x')).toThrow(new EnvEncodingError(`bad .env variable name ${JSON.stringify(name)}`));
  });

  it('reads back what it wrote, skipping comments and blank lines, trimming values', () => {
    const text = ['# comment', '', envLine('A', 'x=y'), '  B=two  ', 'lower_ok=1', 'not a line', '#C=3', 'D='].join('\n');
    expect(parseEnvText(text)).toEqual({ A: 'x=y', B: 'two', lower_ok: '1', D: '' });
  });
});

describe('HTML', () => {
  it.each([
    ['plain', 'plain'],
    ['a & b', 'a &amp; b'],
    ['<script>', '&lt;script&gt;'],
    ['say "hi"', 'say &quot;hi&quot;'],
    ["it's", 'it&#39;s'],
    ['&amp;', '&amp;amp;'],
  ])('writes %j as %j', (value, encoded) => {
    expect(htmlText(value)).toBe(encoded);
  });

  it('leaves no character that starts markup, an entity or ends an attribute, and decodes back to the value', () => {
    const decode = (s: string) => s.replace(/&(amp|lt|gt|quot|#39);/g, (_, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[e]!);
    fc.assert(fc.property(fc.string(), (value) => {
      const encoded = htmlText(value);
      expect(encoded).not.toMatch(/[<>"']|&(?!(amp|lt|gt|quot|#39);)/);
      expect(decode(encoded)).toBe(value);
    }));
  });
});

// Go's text/template reads a string constant with strconv.Unquote, whose escapes include JSON's;
// the real Alertmanager renders these in test/alerting-delivery.test.ts (the Grafana link).
describe('Go template string constants', () => {
  it.each([
    ['http://g:3000/d/x', '{{ "http://g:3000/d/x" }}'],
    ['a {{ .Labels }} b', '{{ "a {{ .Labels }} b" }}'],
    ['say "hi" \\ there', '{{ "say \\"hi\\" \\\\ there" }}'],
    ['two\nlines', '{{ "two\\nlines" }}'],
    ['lone \ud800 surrogate', '{{ "lone \ufffd surrogate" }}'],
    ['low \udc00 alone', '{{ "low \ufffd alone" }}'],
    ['pair \ud83d\ude00 kept', '{{ "pair \ud83d\ude00 kept" }}'],
  ])('writes %j as %s', (value, encoded) => {
    expect(goTemplateString(value)).toBe(encoded);
  });

  it('prints the value back, whatever it holds, as one action', () => {
    fc.assert(fc.property(fc.string(), (value) => {
      const encoded = goTemplateString(value);
      expect(encoded.startsWith('{{ "') && encoded.endsWith('" }}')).toBe(true);
      expect(JSON.parse(encoded.slice(3, -3))).toBe(value);
    }));
  });
});
