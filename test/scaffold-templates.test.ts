// Templates are text with few holes, and every hole names the encoder for its file's format.
import { describe, expect, it } from 'vitest';
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

  it('both agents carry the same parsing', () => {
    const alloy = fileOf(render(specFor({ profiles: ['fibre'], logAgent: 'alloy' })), 'alloy/config.alloy');
    const promtail = fileOf(render(specFor({ profiles: ['fibre'], logAgent: 'promtail' })), 'promtail/promtail.yml');
    for (const re of BITCOIND_DEBUG_LOG_PARSING.regexes) {
      expect(alloy).toContain(JSON.stringify(re));
      expect(promtail).toContain(re.slice(0, 20));
    }
    expect(alloy).toMatch(/stage\.structured_metadata/);
    expect(promtail).toMatch(/structured_metadata:/);
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
