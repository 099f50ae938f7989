// A syntax check of the Go templates Prometheus expands in alert labels and annotations
// ({{ $labels.node }}, {{ $value | humanize }}): balanced actions, closed strings and
// parentheses, matching if/range/with ... end, known functions, defined variables. Not a full Go
// template parser; it catches what breaks an alert's text in practice.

const GO_BUILTINS = ['and', 'or', 'not', 'len', 'index', 'slice', 'print', 'printf', 'println', 'eq', 'ne', 'lt', 'le', 'gt', 'ge', 'html', 'js', 'urlquery', 'call'];
/** Prometheus' template functions (docs: configuration/template_reference). */
const PROMETHEUS_FUNCS = [
  'query', 'first', 'label', 'value', 'strvalue', 'args', 'reReplaceAll', 'safeHtml', 'match', 'title', 'toUpper', 'toLower',
  'graphLink', 'tableLink', 'sortByLabel', 'humanize', 'humanize1024', 'humanizeDuration', 'humanizePercentage',
  'humanizeTimestamp', 'toTime', 'toDuration', 'now', 'pathPrefix', 'externalURL', 'parseDuration', 'stripPort', 'stripDomain',
];
const FUNCS = new Set([...GO_BUILTINS, ...PROMETHEUS_FUNCS]);
const OPENERS = new Set(['if', 'range', 'with', 'define', 'block']);
const KEYWORDS = new Set([...OPENERS, 'else', 'end', 'template', 'break', 'continue', 'nil', 'true', 'false']);
/** Prometheus defines these before expanding an alert's templates. */
const PREDEFINED = ['labels', 'value', 'externalLabels', 'externalURL'];

export function goTemplateErrors(text: string): string[] {
  const errors: string[] = [];
  const defined = new Set(PREDEFINED);
  const blocks: string[] = [];
  let pos = 0;
  for (;;) {
    const open = text.indexOf('{{', pos);
    if (open < 0) break;
    const close = findActionEnd(text, open + 2);
    if (close < 0) {
      errors.push(`unclosed action "${text.slice(open, open + 20)}"`);
      return errors;
    }
    const body = text.slice(open + 2, close).replace(/^-\s/, '').replace(/\s-$/, '').trim();
    pos = close + 2;
    if (body.startsWith('/*')) {
      if (!body.endsWith('*/')) errors.push('unclosed comment');
      continue;
    }
    const problem = checkAction(body, defined, blocks);
    if (problem) errors.push(`{{${text.slice(open + 2, close)}}}: ${problem}`);
  }
  if (blocks.length > 0) errors.push(`{{ ${blocks[blocks.length - 1]} }} has no {{ end }}`);
  return errors;
}

/** The index of the `}}` closing an action, skipping `}}` inside strings; -1 if none. */
function findActionEnd(text: string, from: number): number {
  let quote: string | undefined;
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\' && quote !== '`') i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === '`' || c === "'") quote = c;
    else if (c === '}' && text[i + 1] === '}') return i;
  }
  return -1;
}

const TOKEN = /\s+|"(?:[^"\\]|\\.)*"|`[^`]*`|'(?:[^'\\]|\\.)+'|\$[A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*|(?:\.[A-Za-z0-9_]+)+|\.|[A-Za-z_][A-Za-z0-9_]*|-?[0-9][0-9.eExXa-fA-F_+-]*|:=|=|\||\(|\)|,/y;

function checkAction(body: string, defined: Set<string>, blocks: string[]): string | undefined {
  if (body === '') return 'empty action';
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < body.length) {
    const at = TOKEN.lastIndex;
    const m = TOKEN.exec(body);
    if (!m) {
      const c = body[at];
      return c === '"' || c === '`' || c === "'" ? 'unterminated string' : `unexpected "${body.slice(at, at + 10)}"`;
    }
    if (m[0].trim() !== '') tokens.push(m[0]);
  }
  let depth = 0;
  for (const t of tokens) {
    if (t === '(') depth++;
    if (t === ')' && --depth < 0) return 'unbalanced parentheses';
  }
  if (depth !== 0) return 'unbalanced parentheses';
  const first = tokens[0];
  if (OPENERS.has(first)) blocks.push(first);
  else if (first === 'else') {
    if (!['if', 'range', 'with'].includes(blocks[blocks.length - 1] ?? '')) return '{{ else }} outside if/range/with';
  } else if (first === 'end') {
    if (!blocks.pop()) return '{{ end }} without an opening action';
    if (tokens.length > 1) return 'unexpected words after end';
  }
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.startsWith('$')) {
      const name = t.slice(1).split('.')[0];
      if (tokens[i + 1] === ':=' || tokens[i + 1] === ',' || (tokens[i + 1] === '=' && defined.has(name))) defined.add(name);
      else if (name !== '' && !defined.has(name)) return `undefined variable $${name}`;
    } else if (/^[A-Za-z_]/.test(t) && !KEYWORDS.has(t) && !FUNCS.has(t)) {
      // A template name after `template`/`define` is a string, so a bare word here is a function call.
      return `function "${t}" not defined`;
    }
  }
  return undefined;
}
