// The `profiles.nodeos` section of fibre-stack.yml: where nodeos serves its metrics.
import { checkHttpUrl, checkNodeName } from '../../core/spec/checks.js';
import type { Reader } from '../../core/spec/reader.js';

export interface NodeosProfileSpec {
  node_name: string;
  /** Base URL of nodeos's http_plugin, e.g. http://127.0.0.1:8888 */
  url: string;
}

export function nodeosDefaults(): NodeosProfileSpec {
  return { node_name: 'localhost', url: 'http://127.0.0.1:8888' };
}

export function readNodeos(r: Reader, value: unknown, key: string): NodeosProfileSpec {
  const base = nodeosDefaults();
  const o = r.object(value, key) ?? {};
  r.noUnknownKeys(o, key, Object.keys(base));
  return {
    node_name: r.string(o, key, 'node_name', base.node_name, checkNodeName),
    url: r.string(o, key, 'url', base.url, checkHttpUrl),
  };
}
