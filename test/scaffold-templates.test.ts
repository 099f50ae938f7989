// Templates are text with few holes, and every hole names the encoder for its file's format.
import { describe, expect, it } from 'vitest';
import { load } from 'js-yaml';
import { loadTemplates } from '../cli/io/templates.js';
import { ENCODING_HELPERS } from '../cli/render/handlebars.js';
import { BITCOIND_DEBUG_LOG_PARSING } from '../profiles/bitcoind/log.js';
import { fileOf, render, specFor } from './support/stack.js';

const BLOCK_HELPERS = new Set(['#each', '/each', '#if', '/if', 'else', '#unless', '/unless']);

describe('templates', () => {
  const templates = loadTemplates();

  it('has the templates the renderer uses', () => {
    expect(Object.keys(templates).sort()).toEqual(['alloy/config.alloy', 'stack/README.md', 'systemd/exporter.service']);
  });

  it.each(Object.keys(loadTemplates()))('%s: no bare hole', (name) => {
    for (const m of templates[name].matchAll(/\{\{\{?\s*([^}]*?)\s*\}?\}\}/g)) {
      const [head] = m[1].split(/\s+/);
      if (BLOCK_HELPERS.has(head)) continue;
      expect(m[0].startsWith('{{{'), `${name}: triple-stash ${m[0]}`).toBe(false);
      expect(Object.keys(ENCODING_HELPERS), `${name}: ${m[0]} must go through an encoding helper`).toContain(head);
    }
  });
});

/** RE2 named groups (?P<x>...) are JavaScript's (?<x>...). */
const asJs = (re: string) => new RegExp(re.replace(/\(\?P</g, '(?<'));

describe('FIBRE race fields in bitcoind debug.log (ABI.md section 1)', () => {
  const [race, reconstructed] = BITCOIND_DEBUG_LOG_PARSING.regexes.map(asJs);

  it('the race line yields every field, the winner as a label', () => {
    const line = '2026-11-23T10:00:00Z UDP: block=00000000000000000001a2b3c4 height=871234 winner=FIBRE/UDP winner_peer=203.0.113.5:8333 udp=12.34ms udp_peer=203.0.113.5:8333 cmpct=45.10ms cmpct_peer=198.51.100.7:8333';
    expect(race.exec(line)?.groups).toEqual({
      block: '00000000000000000001a2b3c4', height: '871234', winner: 'FIBRE/UDP', winner_peer: '203.0.113.5:8333',
      udp: '12.34ms', udp_peer: '203.0.113.5:8333', cmpct: '45.10ms', cmpct_peer: '198.51.100.7:8333',
    });
    expect(BITCOIND_DEBUG_LOG_PARSING.labels).toEqual(['winner']);
    for (const g of Object.keys(race.exec(line)!.groups!)) {
      if (g !== 'winner') expect(BITCOIND_DEBUG_LOG_PARSING.structuredMetadata, g).toContain(g);
    }
  });

  it('the reconstruction line yields peer, chunks and time', () => {
    const line = 'UDP: Block 0000000000000000000abc reconstructed from 203.0.113.5:8333 with 412 chunks in 23.5 ms (430 recvd from 3 peers)';
    expect(reconstructed.exec(line)?.groups).toMatchObject({ block: '0000000000000000000abc', source_peer: '203.0.113.5:8333', chunks: '412', reconstruct_ms: '23.5' });
  });

  it('both agents carry the same parsing: the same regexes, labels and structured metadata, whole', () => {
    const alloy = fileOf(render(specFor({ profiles: ['fibre'], logAgent: 'alloy' })), 'alloy/config.alloy');
    const promtail = load(fileOf(render(specFor({ profiles: ['fibre'], logAgent: 'promtail' })), 'promtail/promtail.yml')) as {
      scrape_configs: { job_name: string; pipeline_stages: Record<string, Record<string, string>>[] }[];
    };
    const { regexes, labels, structuredMetadata } = BITCOIND_DEBUG_LOG_PARSING;

    // Alloy: string literals, read with Go/JSON string rules, in the debug.log pipeline.
    const pipeline = alloy.slice(alloy.indexOf('loki.process "fibre_debug_log" {'));
    const literals = (text: string, pattern: string) => [...text.matchAll(new RegExp(pattern, 'g'))].map((m) => JSON.parse(m[1]) as string);
    const STRING = '("(?:[^"\\\\]|\\\\.)*")';
    /** The keys of a stage's `values = { "key" = "", ... }`. */
    const stageKeys = (stage: string) => {
      const start = pipeline.indexOf(`${stage} {`);
      return literals(pipeline.slice(start, pipeline.indexOf('\n  }\n', start)), `${STRING} = "",`);
    };
    expect(literals(pipeline, `stage\\.regex \\{\\s*expression = ${STRING}`)).toEqual(regexes);
    expect(stageKeys('stage.labels')).toEqual(labels);
    expect(stageKeys('stage.structured_metadata')).toEqual(structuredMetadata);

    // Promtail: YAML, read back.
    const stages = promtail.scrape_configs.find((c) => c.job_name === 'fibre_debug_log')!.pipeline_stages;
    expect(stages.filter((s) => s.regex).map((s) => s.regex.expression)).toEqual(regexes);
    expect(Object.keys(stages.find((s) => s.labels)!.labels)).toEqual(labels);
    expect(Object.keys(stages.find((s) => s.structured_metadata)!.structured_metadata)).toEqual(structuredMetadata);
  });

  it('the Alloy config references only components it declares, with balanced braces', () => {
    const alloy = fileOf(render(specFor({ profiles: ['fibre', 'miner'], minerLogs: ['/a/x.log', '/b/y.log'] })), 'alloy/config.alloy');
    const declared = new Set([...alloy.matchAll(/^([a-z_.]+) "([A-Za-z0-9_]+)" \{/gm)].map((m) => `${m[1]}.${m[2]}`));
    const referenced = [...alloy.matchAll(/= \[?((?:local\.file_match|loki\.process|loki\.write)\.[A-Za-z0-9_]+)\./g)].map((m) => m[1]);
    expect(referenced.length).toBeGreaterThan(0);
    for (const r of referenced) expect(declared, r).toContain(r);
    const stripped = alloy.replace(/"(?:[^"\\]|\\.)*"/g, '""').replace(/\/\/.*$/gm, '');
    expect(stripped.split('{').length).toBe(stripped.split('}').length);
  });
});
