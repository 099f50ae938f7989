import { dump, loadAll } from 'js-yaml';
import { documentTooLarge, textTooLarge } from '../document-limits.js';

// Characters a YAML parser may read as a line break or drop (YAML 1.1 treats NEL and the Unicode
// line and paragraph separators as breaks; a BOM mid-stream is not content). JSON.stringify leaves
// them raw, so they are escaped here as well.
const YAML_UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\ufeff]/g;

/**
 * A string as a YAML double-quoted scalar, safe on any one line of a YAML document: quotes,
 * backslashes, newlines and every other control character are escaped, so the value reads back
 * exactly as given.
 */
export function yamlString(value: string): string {
  return JSON.stringify(value).replace(YAML_UNSAFE, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
}

/**
 * A whole YAML document from plain data. js-yaml quotes every string a YAML 1.1 reader (Go's
 * yaml.v2, which Prometheus and Alertmanager use) could take for a bool, number or null.
 */
export function dumpYaml(data: unknown, header?: string): string {
  const body = dump(data, { noRefs: true, lineWidth: -1 });
  return header ? `${header}\n${body}` : body;
}

/**
 * A YAML document from a file we did not write: parsed as js-yaml's default schema does, and
 * refused with the reason (thrown as an Error) when its text or its expansion is beyond
 * DOCUMENT_LIMITS, so a 445-byte alias bomb costs nothing.
 */
export function parseYaml(text: string): unknown {
  const big = textTooLarge(text);
  if (big) throw new Error(`too large to read: ${big}`);
  // A file of nothing but comments is an empty document (null), as Prometheus' and Alertmanager's
  // yaml.v2 read it (`promtool check rules` passes an empty rule file); js-yaml 5's load() refuses
  // it, so the stream is read whole and must hold at most one document.
  const documents = loadAll(text);
  if (documents.length > 1) throw new Error(`holds ${documents.length} YAML documents (separated by ---); expected one`);
  const data = documents[0] ?? null;
  const expanded = documentTooLarge(data);
  if (expanded) throw new Error(`too large to read: ${expanded}`);
  return data;
}
