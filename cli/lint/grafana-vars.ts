// Grafana variables in queries: found, and replaced by text the PromQL/LogQL parsers accept, so a
// query is judged on its own syntax and not on Grafana's interpolation.

/** `${name}`, `${name:format}`, `[[name]]`, `[[name:format]]`, `$name`. */
const VARIABLE = /\$\{([A-Za-z0-9_.]+)(?::[^}]*)?\}|\[\[([A-Za-z0-9_.]+)(?::[^\]]*)?\]\]|\$([A-Za-z_][A-Za-z0-9_]*)/g;

/** Names of the variables a string refers to. */
export function variablesIn(text: string): string[] {
  return [...text.matchAll(VARIABLE)].map((m) => m[1] ?? m[2] ?? m[3]);
}

/** The name when the whole string is one variable reference (`$ds`, `${DS_X}`, `[[ds]]`), else undefined. */
export function soleVariable(text: string): string | undefined {
  const m = /^(?:\$\{([A-Za-z0-9_.]+)(?::[^}]*)?\}|\[\[([A-Za-z0-9_.]+)\]\]|\$([A-Za-z_][A-Za-z0-9_]*))$/.exec(text.trim());
  return m ? (m[1] ?? m[2] ?? m[3]) : undefined;
}

/**
 * The query with every variable replaced: by a duration where a duration goes (inside `[...]`,
 * after `offset`), by `x` inside quoted strings, by an identifier elsewhere. Replacing keeps the
 * query's length roughly, which matters only for messages. `$__rate_interval` in a range becomes
 * `rateIntervalMark`, so a caller can tell it from a hand-written duration.
 */
export function substituteVariables(query: string, rateIntervalMark = '5m'): string {
  let out = '';
  let last = 0;
  for (const m of query.matchAll(VARIABLE)) {
    const at = m.index ?? 0;
    const name = m[1] ?? m[2] ?? m[3];
    const replacement = replacementAt(query, at);
    out += query.slice(last, at) + (replacement === '5m' && name === '__rate_interval' ? rateIntervalMark : replacement);
    last = at + m[0].length;
  }
  return out + query.slice(last);
}

function replacementAt(query: string, at: number): string {
  const context = contextAt(query, at);
  if (context.inString) return 'x';
  const before = query.slice(0, at);
  // A range or subquery `[5m:1m]`, or an offset: a duration goes there.
  if (/\[[^\]]*$/.test(before) || /\boffset\s*$/i.test(before)) return '5m';
  // Inside {...} a variable stands for matchers (a `selector` constant holding `job="x"`).
  if (context.inBraces) return 'grafana_variable="x"';
  return 'grafana_variable';
}

/** Whether position `at` lies inside a "..." '...' or `...` string, or inside an unclosed `{`. */
function contextAt(text: string, at: number): { inString: boolean; inBraces: boolean } {
  let quote: string | undefined;
  let depth = 0;
  for (let i = 0; i < at; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\' && quote !== '`') i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'" || c === '`') quote = c;
    else if (c === '{') depth++;
    else if (c === '}') depth = Math.max(0, depth - 1);
  }
  return { inString: quote !== undefined, inBraces: depth > 0 };
}
