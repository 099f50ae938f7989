import { dump } from 'js-yaml';

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
