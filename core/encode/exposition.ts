// Prometheus' text exposition format (0.0.4): the escapes its writer and parser agree on. Help text
// escapes backslash and line feed; a label value also the double quote (prometheus/common@v0.70.0:
// expfmt/text_create.go escaper and quotedEscaper, read back by expfmt/text_parse.go, the parser
// node_exporter@v1.12.1's textfile collector uses).

/** Help text, or a metric name, as the text format writes it. */
export function escapeHelp(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

/** A label value as the text format writes it between its double quotes. */
export function escapeLabelValue(value: string): string {
  return escapeHelp(value).replace(/"/g, '\\"');
}
