// Text and attribute values in HTML. Every value the status page shows (node names, label values,
// alert summaries: all from Prometheus, some from users or from the monitored programs) goes
// through here, so none can open a tag, close an attribute or start an entity.
const HTML_SPECIAL: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** `value` as HTML text or a quoted attribute value (the five characters HTML treats specially, replaced). */
export function htmlText(value: string): string {
  return value.replace(/[&<>"']/g, (c) => HTML_SPECIAL[c]);
}
