// Values in Go templates (Alertmanager's notification templates): a value is never pasted into
// template text, where `{{` would start an action, but given as a string constant inside one.

/**
 * A string as a Go template action that prints it: `{{ "..." }}`. JSON's string escapes are a
 * subset of Go's (text/template reads constants with strconv.Unquote); a lone surrogate, which
 * JSON escapes as \udXXX and Go refuses, becomes U+FFFD first, as Go would print it anyway.
 */
export function goTemplateString(value: string): string {
  return `{{ ${JSON.stringify(value.replace(LONE_SURROGATE, '\ufffd'))} }}`;
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
