// Limits on documents read from files fibre-stack did not write (rule files and dashboards given to
// `lint`, the exporter's --config, a fibre-stack.yml from someone else's repository). A few hundred
// bytes of YAML aliases stand for billions of values, and a JSON file nested 100,000 deep breaks any
// recursive walk: both are refused up front with the reason, so later code walks bounded data.

export interface DocumentLimits {
  /** Bytes of text. */
  maxBytes: number;
  /** Values a full walk would visit; a value shared through YAML aliases counts each time it is reached. */
  maxValues: number;
  /** Levels of nesting (js-yaml already stops at 100; JSON.parse has no limit). */
  maxDepth: number;
}

/** Far beyond any real rule file, dashboard or config (the largest dashboards in the wild are a few MB). */
export const DOCUMENT_LIMITS: DocumentLimits = { maxBytes: 32 * 1024 * 1024, maxValues: 1_000_000, maxDepth: 100 };

/** Why a text is too large to parse, or undefined. */
export function textTooLarge(text: string, limits: DocumentLimits = DOCUMENT_LIMITS): string | undefined {
  const bytes = Buffer.byteLength(text);
  return bytes > limits.maxBytes ? `${bytes} bytes, more than the ${limits.maxBytes} this reads` : undefined;
}

/** Why a parsed document is beyond the limits, or undefined. Walks with its own stack, never recursing. */
export function documentTooLarge(data: unknown, limits: DocumentLimits = DOCUMENT_LIMITS): string | undefined {
  const stack: [value: unknown, depth: number][] = [[data, 1]];
  let values = 0;
  while (stack.length > 0) {
    const [value, depth] = stack.pop()!;
    if (++values > limits.maxValues) return `it holds more than ${limits.maxValues} values once aliases are expanded`;
    if (depth > limits.maxDepth) return `it is nested more than ${limits.maxDepth} levels deep`;
    if (value !== null && typeof value === 'object') {
      for (const child of Array.isArray(value) ? value : Object.values(value)) stack.push([child, depth + 1]);
    }
  }
  return undefined;
}
