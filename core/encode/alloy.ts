/**
 * A string literal in Alloy's configuration syntax, which takes Go-style escapes. JSON's escapes
 * are a subset of those, so JSON.stringify gives a literal that Alloy reads back unchanged.
 */
export function alloyString(value: string): string {
  return JSON.stringify(value);
}
