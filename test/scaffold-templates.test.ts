// Templates are text with few holes, and every hole names the encoder for its file's format.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dump, load } from 'js-yaml';
import { loadTemplates } from '../cli/io/templates.js';
import { ENCODING_HELPERS } from '../cli/render/handlebars.js';
import { BITCOIND_DEBUG_LOG_PARSING } from '../profiles/bitcoind/log.js';
import { fileOf, render, specFor, tempDir } from './support/stack.js';
import { prerequisites } from './support/prereq.js';
import type { CreateAnswers } from '../cli/spec/from-answers.js';

const BLOCK_HELPERS = new Set(['#each', '/each', '#if', '/if', 'else', '#unless', '/unless']);

describe('templates', () => {
  const templates = loadTemplates();

  it('has the templates the renderer uses', () => {
    expect(Object.keys(templates).sort()).toEqual(['alertmanager/notifications.tmpl', 'alloy/config.alloy', 'stack/README.md', 'systemd/exporter.service']);
  });

  // Handlebars templates only: a Go template (.tmpl) is copied as it is, its holes are Alertmanager's.
  it.each(Object.keys(loadTemplates()).filter((name) => !name.endsWith('.tmpl')))('%s: no bare hole', (name) => {
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

/** Every field the regexes capture from a line, as the agents' successive regex stages would (later stages overwrite). */
function fields(line: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const re of BITCOIND_DEBUG_LOG_PARSING.regexes.map(asJs)) {
    for (const [k, v] of Object.entries(re.exec(line)?.groups ?? {})) if (v !== undefined) out[k] = v;
  }
  return out;
}

const H = '00000000000000000001a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f7';

describe('bitcoind debug.log lines of the current FIBRE fork (bitcoinfibre@c879b092 and @79a8ee9a source)', () => {
  it('the race line yields every field, the winner as a label', () => {
    const line = `2026-11-23T10:00:00Z UDP: block=${H} height=871234 winner=FIBRE/UDP winner_peer=203.0.113.5:8333 udp=12.34ms udp_peer=203.0.113.5:8333 cmpct=45.10ms cmpct_peer=198.51.100.7:8333`;
    expect(fields(line)).toEqual({
      time: '2026-11-23T10:00:00Z', block: H, height: '871234', winner: 'FIBRE/UDP', winner_peer: '203.0.113.5:8333',
      udp: '12.34ms', udp_peer: '203.0.113.5:8333', cmpct: '45.10ms', cmpct_peer: '198.51.100.7:8333',
    });
  });

  it('the reconstruction line of the v30.0 branch (with the pool, which may hold and end in spaces) and of older builds', () => {
    // bitcoinfibre@c879b092:src/udprelay.cpp 722; DetectPool's "Binance Pool " ends in a space.
    const withPool = `[*] 2025-12-04T18:15:01.123456Z UDP: Block ${H} (pool=Binance Pool ) reconstructed from 203.0.113.5:8336 with 412 chunks in 23.500000 ms (430 recvd from 3 peers)`;
    expect(fields(withPool)).toEqual({
      time: '2025-12-04T18:15:01.123456Z', block: H, pool: 'Binance Pool', source_peer: '203.0.113.5:8336', chunks: '412', reconstruct_ms: '23.500000', chunks_received: '430', chunk_peers: '3',
    });
    expect(fields(`2025-12-04T18:15:01Z UDP: Block ${H} (pool=Foundry USA) reconstructed from [2001:db8::1]:8336 with 5 chunks in 1.0 ms (5 recvd from 1 peers)`)).toMatchObject({ pool: 'Foundry USA', source_peer: '[2001:db8::1]:8336' });
    const older = `2025-12-04T18:15:01Z UDP: Block ${H} reconstructed from 203.0.113.5:8336 with 412 chunks in 23.5 ms (430 recvd from 3 peers)`;
    expect(fields(older)).toEqual({ time: '2025-12-04T18:15:01Z', block: H, source_peer: '203.0.113.5:8336', chunks: '412', reconstruct_ms: '23.5', chunks_received: '430', chunk_peers: '3' });
  });

  it('the other UDP lines an operator filters on: header send, mempool-provided chunks, coinbase scriptSig, failing peers and blocks', () => {
    expect(fields(`2025-12-04T18:15:01Z UDP: Starting header send for block ${H} at 1764872101000000 us`)).toEqual({ time: '2025-12-04T18:15:01Z', block: H, send_start_us: '1764872101000000' });
    expect(fields(`2025-12-04T18:15:01Z UDP: Initialized block ${H} with 380/412 mempool-provided chunks (or more)`)).toMatchObject({ block: H, mempool_chunks: '380', total_chunks: '412' });
    expect(fields(`2025-12-04T18:15:01Z UDP: block=${H} scriptsig=03a1b20d2f466f756e64727920555341`)).toMatchObject({ block: H, scriptsig: '03a1b20d2f466f756e64727920555341' });
    expect(fields('2025-12-04T18:15:01Z UDP: Failed to decode received header and short txids from 203.0.113.9:8336, disconnecting')).toMatchObject({ problem: 'Failed to decode received header and short txids', peer: '203.0.113.9:8336' });
    expect(fields('2025-12-04T18:15:01Z UDP: FEC chunk decode failed for chunk 7 from block 12345 from 203.0.113.9:8336')).toMatchObject({ problem: 'FEC chunk decode failed', peer: '203.0.113.9:8336' });
    expect(fields(`2025-12-04T18:15:01Z UDP: Failed to decode block ${H}`)).toMatchObject({ problem: 'Failed to decode block', block: H });
    expect(fields(`2025-12-04T18:15:01Z UDP: Unable to process mempool for block ${H} from 198.51.100.2:8336, disconnecting`)).toMatchObject({ problem: 'Unable to process mempool', block: H, peer: '198.51.100.2:8336' });
    expect(fields('2025-12-04T18:15:01Z UDP: Got wrong obj_length/chunsk_sent for block id 99 from peer 203.0.113.9:8336! Check your trusted peers are behaving well')).toMatchObject({ problem: 'Got wrong obj_length/chunsk_sent', peer: '203.0.113.9:8336' });
    expect(fields('2025-12-04T18:15:01Z UDP: Unable to decode block from trusted peer(s), check your trusted peers are behaving well.')).toEqual({ time: '2025-12-04T18:15:01Z', problem: 'Unable to decode block' });
  });

  it.runIf(prerequisites('debug.log regexes in RE2', { commands: ['promtool'] }))('compile in Go RE2, the agents\' syntax (promtool compiles relabel regexes with it)', () => {
    const file = join(tempDir(), 'prometheus.yml');
    const relabel = BITCOIND_DEBUG_LOG_PARSING.regexes.map((regex) => ({ source_labels: ['__address__'], regex, target_label: 'x' }));
    writeFileSync(file, dump({ scrape_configs: [{ job_name: 'x', static_configs: [{ targets: ['a:1'] }], relabel_configs: relabel }] }));
    const r = spawnSync('promtool', ['check', 'config', file], { encoding: 'utf8' });
    expect(r.stdout + r.stderr).toContain('SUCCESS');
  });

  it('labels only fields of few values; every other captured field is structured metadata, none is both', () => {
    const { regexes, labels, structuredMetadata, timestamp } = BITCOIND_DEBUG_LOG_PARSING;
    expect(labels).toEqual(['winner', 'pool', 'problem']);
    const captured = new Set(regexes.flatMap((re) => [...re.matchAll(/\(\?P<(\w+)>/g)].map((m) => m[1])));
    expect(new Set([...labels, ...structuredMetadata, timestamp!.field])).toEqual(captured);
    expect(labels.filter((l) => structuredMetadata.includes(l))).toEqual([]);
  });
});

describe('the log agents ship debug.log the same way', () => {
  const promtailOf = (spec: Parameters<typeof render>[0]) =>
    load(fileOf(render(spec), 'promtail/promtail.yml')) as { scrape_configs: { job_name: string; static_configs: { labels: Record<string, string> }[]; pipeline_stages: Record<string, Record<string, string>>[] }[] };
  /** The body of one component, from its header to its closing brace at the line start. */
  const component = (alloy: string, header: string) => alloy.slice(alloy.indexOf(header), alloy.indexOf('\n}\n', alloy.indexOf(header)));
  const STRING = '("(?:[^"\\\\]|\\\\.)*")';
  const literals = (text: string, pattern: string) => [...text.matchAll(new RegExp(pattern, 'g'))].map((m) => JSON.parse(m[1]) as string);

  it('both agents carry the same parsing: the same regexes (whole), labels, structured metadata, timestamp and age limit', () => {
    const alloy = fileOf(render(specFor({ profiles: ['fibre'], logAgent: 'alloy' })), 'alloy/config.alloy');
    const promtail = promtailOf(specFor({ profiles: ['fibre'], logAgent: 'promtail' }));
    const { regexes, labels, structuredMetadata } = BITCOIND_DEBUG_LOG_PARSING;

    // Alloy: string literals, read with Go/JSON string rules, in the debug.log pipeline.
    const pipeline = component(alloy, 'loki.process "fibre_debug_log" {');
    /** The keys of a stage's `values = { "key" = "", ... }`. */
    const stageKeys = (stage: string) => {
      const start = pipeline.indexOf(`${stage} {`);
      return literals(pipeline.slice(start, pipeline.indexOf('\n  }\n', start)), `${STRING} = "",`);
    };
    expect(literals(pipeline, `stage\\.regex \\{\\s*expression = ${STRING}`)).toEqual(regexes);
    expect(stageKeys('stage.labels')).toEqual(labels);
    expect(stageKeys('stage.structured_metadata')).toEqual(structuredMetadata);
    expect(pipeline).toMatch(/stage\.timestamp \{\s*source = "time"\s*format = "RFC3339"\s*\}/);
    expect(pipeline).toMatch(/stage\.drop \{\s*(?:\/\/[^\n]*\s*)?older_than\s*= "1h"/);

    // Promtail: YAML, read back.
    const stages = promtail.scrape_configs.find((c) => c.job_name === 'fibre_debug_log')!.pipeline_stages;
    expect(stages.filter((s) => s.regex).map((s) => s.regex.expression)).toEqual(regexes);
    expect(Object.keys(stages.find((s) => s.labels)!.labels)).toEqual(labels);
    expect(Object.keys(stages.find((s) => s.structured_metadata)!.structured_metadata)).toEqual(structuredMetadata);
    expect(stages.find((s) => s.timestamp)!.timestamp).toEqual({ source: 'time', format: 'RFC3339' });
    expect(stages.find((s) => s.drop)!.drop).toMatchObject({ older_than: '1h' });
    // The stages run in order: the time is parsed before the age check uses it.
    expect(stages.findIndex((s) => s.timestamp)).toBeLessThan(stages.findIndex((s) => s.drop));
  });

  it('a first start begins at the end of debug.log (Alloy tail_from_end), not with its history; other logs unchanged', () => {
    const alloy = fileOf(render(specFor({ profiles: ['fibre', 'miner'], minerLogs: ['/a/x.log'] })), 'alloy/config.alloy');
    expect(component(alloy, 'loki.source.file "fibre_debug_log" {')).toMatch(/\n  tail_from_end = true/);
    expect(alloy.match(/tail_from_end/g)).toHaveLength(1);
  });

  it('fibre and bitcoin-core on one datadir tail its debug.log once, in both agents', () => {
    const both: Partial<CreateAnswers> = { profiles: ['fibre', 'bitcoin-core'], bitcoinDatadir: '/srv/bitcoin' };
    const alloy = fileOf(render(specFor({ ...both, logAgent: 'alloy' })), 'alloy/config.alloy');
    expect(alloy.match(/"__path__" = "\/srv\/bitcoin\/debug\.log"/g)).toHaveLength(1);
    expect(alloy.match(/^loki\.source\.file /gm)).toHaveLength(1);
    const promtail = promtailOf(specFor({ ...both, logAgent: 'promtail' }));
    const paths = promtail.scrape_configs.flatMap((c) => c.static_configs.map((sc) => sc.labels.__path__));
    expect(paths).toEqual(['/srv/bitcoin/debug.log']);
    expect(promtail.scrape_configs[0].static_configs[0].labels).toMatchObject({ job: 'bitcoind' });
    expect(promtail.scrape_configs[0].static_configs[0].labels.profile).toBeUndefined();
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
