// fibre-stack.yml validation: every mistake is named with its key, what is wrong and what is
// allowed (README, "The stack spec"), all of them at once, and a short spec takes the defaults.
import { describe, expect, it } from 'vitest';
import { validateSpec } from '../cli/spec/validate.js';
import { checkHostPort, isIpAddress } from '../core/spec/checks.js';
import { SpecError, controlCharacter, type SpecProblem } from '../core/spec/reader.js';
import { defaultSpec } from '../cli/spec/defaults.js';
import { fleetTokenVar } from '../cli/spec/fleet.js';

/** The problems validateSpec reports for a parsed document, or [] when it accepts it. */
function problemsOf(raw: unknown): SpecProblem[] {
  try {
    validateSpec(raw);
    return [];
  } catch (err) {
    if (!(err instanceof SpecError)) throw err;
    return err.problems;
  }
}

const minimal = (extra: Record<string, unknown> = {}) => ({ version: 2, profiles: { fibre: {} }, ...extra });

describe('a valid spec', () => {
  it('the shortest one takes every default', () => {
    expect(validateSpec(minimal())).toEqual(defaultSpec());
  });

  it('keeps what the user wrote, for every key', () => {
    const raw = {
      version: 2,
      project: 'relay_2-b',
      mode: 'native',
      log_agent: 'promtail',
      bind_address: '::1',
      retention: { metrics: '30d', logs: '720h' },
      ports: { prometheus: 19090, alertmanager: 19093, grafana: 13000, loki: 13100, alloy: 12346, promtail: 19080, blackbox: 19115 },
      images: { prometheus: 'registry.example/prom/prometheus:v3.7.3', exporter: 'fibre-stack-exporter@sha256:' + 'a'.repeat(64) },
      alerting: { receivers: [{ name: 'ops', type: 'telegram', severities: ['critical'], chat_id: -100123, api_url: '' }], grafana_url: 'https://grafana.example/' },
      disabled_services: ['grafana', 'grafana'],
      synthetic_checks: true,
      profiles: {
        fibre: { node_name: 'relay-1', bitcoind: '/opt/b/bitcoind', bitcoin_datadir: '/data', exporter_port: 9500, source: 'replay', replay_file: '/r.jsonl', p2p_port: 18333, rpc_port: 18332 },
        'bitcoin-core': { exporter_port: 9501 },
        miner: { bitstream: 'rb4', logs: [{ path: '/var/log/a.log', card: 'left' }, { path: '/var/log/b.log' }], exporter_port: 9502, stale_after_seconds: 30 },
        nodeos: { node_name: 'bp', url: 'http://10.0.0.1:8888' },
        scrape: { targets: ['10.0.0.5:9100', '[::1]:9100'] },
      },
    };
    const spec = validateSpec(raw);
    expect(spec).toEqual({
      ...raw,
      ports: { ...defaultSpec().ports, ...raw.ports },
      images: { ...defaultSpec().images, ...raw.images },
      disabled_services: ['grafana'],
      profiles: {
        fibre: [raw.profiles.fibre],
        'bitcoin-core': [{ node_name: 'localhost', bitcoind: '/usr/local/bin/bitcoind', bitcoin_datadir: '/home/bitcoin/.bitcoin', exporter_port: 9501, source: 'ebpf', replay_file: '', p2p_port: 8333, rpc_port: 8332 }],
        miner: [{ ...raw.profiles.miner, node_name: 'localhost', logs: [{ path: '/var/log/a.log', card: 'left' }, { path: '/var/log/b.log', card: 'card1' }] }],
        nodeos: [raw.profiles.nodeos],
        scrape: [raw.profiles.scrape],
      },
    });
  });

  it('takes a profile given as an empty mapping, or nothing, as one node with every default', () => {
    expect(validateSpec({ version: 2, profiles: { miner: null, nodeos: {}, scrape: {} } }).profiles).toEqual({
      miner: [{ node_name: 'localhost', bitstream: 'tokenminer', logs: [{ path: '/var/log/whitefire/miner.log', card: 'card0' }], exporter_port: 9439, stale_after_seconds: 120 }],
      nodeos: [{ node_name: 'localhost', url: 'http://127.0.0.1:8888' }],
      scrape: [{ targets: [] }],
    });
  });
});

describe('mistakes, each named with its key and what is allowed', () => {
  it.each<[string, unknown, SpecProblem[]]>([
    ['an empty file', null, [{ key: '(top level)', problem: 'the file is empty; it needs at least `version: 2` and `profiles:`' }]],
    ['a list at the top', [1], [{ key: '(top level)', problem: 'expected a mapping, got a list' }]],
    ['a version before the first', { version: 0, profiles: { fibre: {} } }, [{ key: 'version', problem: 'got number 0; allowed: 1, 2' }]],
    ['no version', { profiles: { fibre: {} } }, [{ key: 'version', problem: 'missing (a file this fibre-stack writes starts with `version: 2`); allowed: 1, 2' }]],
    ['a version from a newer fibre-stack, alone: nothing else can be read', { version: 3, colour: 'blue', profiles: {} }, [
      { key: 'version', problem: 'got number 3; allowed: 1, 2. Version 3 was written by a newer fibre-stack: upgrade fibre-stack to read this file' },
    ]],
    ['no profiles', { version: 2 }, [{ key: 'profiles', problem: 'needs at least one profile; allowed: fibre, bitcoin-core, miner, nodeos, scrape' }]],
    ['an empty profiles mapping', { version: 2, profiles: {} }, [{ key: 'profiles', problem: 'needs at least one profile; allowed: fibre, bitcoin-core, miner, nodeos, scrape' }]],
    ['an unknown top-level key', minimal({ colour: 'blue' }), [{ key: 'colour', problem: 'unknown key; allowed here: version, project, mode, log_agent, bind_address, retention, ports, images, alerting, disabled_services, synthetic_checks, profiles, fleet' }]],
    ['an unknown profile', { version: 2, profiles: { fibre: {}, dogecoin: {} } }, [{ key: 'profiles.dogecoin', problem: 'unknown key; allowed here: fibre, bitcoin-core, miner, nodeos, scrape' }]],
    ['a mode not offered', minimal({ mode: 'kubernetes' }), [{ key: 'mode', problem: 'got string "kubernetes"; allowed: docker, native' }]],
    ['a log agent not offered', minimal({ log_agent: 7 }), [{ key: 'log_agent', problem: 'got number 7; allowed: alloy, promtail' }]],
    ['a project with capitals', minimal({ project: 'My-Stack' }), [{ key: 'project', problem: 'got "My-Stack"; allowed: lower-case letters, digits, "-" and "_", starting with a letter or digit' }]],
    ['a project starting with a dash', minimal({ project: '-x' }), [{ key: 'project', problem: 'got "-x"; allowed: lower-case letters, digits, "-" and "_", starting with a letter or digit' }]],
    ['a host name as bind address', minimal({ bind_address: 'example.com' }), [{ key: 'bind_address', problem: 'got "example.com"; allowed: an IPv4 or IPv6 address such as 127.0.0.1 or 0.0.0.0' }]],
    ['a project that is not a string', minimal({ project: 12 }), [{ key: 'project', problem: 'expected a string, got number 12' }]],
    ['retention as a list', minimal({ retention: ['15d'] }), [{ key: 'retention', problem: 'expected a mapping, got a list' }]],
    ['retention in plain numbers', minimal({ retention: { metrics: '15', logs: '2 weeks' } }), [
      { key: 'retention.metrics', problem: 'got "15"; allowed: a duration such as 15d, 720h or 2w' },
      { key: 'retention.logs', problem: 'got "2 weeks"; allowed: a duration such as 15d, 720h or 2w' },
    ]],
    ['an unknown retention key', minimal({ retention: { traces: '1d' } }), [{ key: 'retention.traces', problem: 'unknown key; allowed here: metrics, logs' }]],
    ['ports out of range', minimal({ ports: { prometheus: 0, grafana: 65536, loki: 3100.5, alloy: '12345' } }), [
      { key: 'ports.prometheus', problem: 'got number 0; allowed: a whole number from 1 to 65535' },
      { key: 'ports.grafana', problem: 'got number 65536; allowed: a whole number from 1 to 65535' },
      { key: 'ports.loki', problem: 'got number 3100.5; allowed: a whole number from 1 to 65535' },
      { key: 'ports.alloy', problem: 'got string "12345"; allowed: a whole number from 1 to 65535' },
    ]],
    ['a port of an unknown service', minimal({ ports: { jaeger: 16686 } }), [{ key: 'ports.jaeger', problem: 'unknown key; allowed here: prometheus, alertmanager, grafana, loki, alloy, promtail, blackbox, node-exporter, cadvisor, victoria-metrics, vmalert, vmauth, mimir' }]],
    ['images that are not pinned', minimal({ images: { prometheus: 'prom/prometheus', grafana: 'grafana/grafana:latest', loki: 'Grafana/Loki:3', exporter: 'localhost:5000/exporter' } }), [
      { key: 'images.prometheus', problem: 'got "prom/prometheus"; allowed: a pinned tag (name:tag), never an untagged image' },
      { key: 'images.grafana', problem: 'got "grafana/grafana:latest"; allowed: a pinned tag, not "latest"' },
      { key: 'images.loki', problem: 'got "Grafana/Loki:3"; allowed: an image reference such as prom/prometheus:v3.7.3' },
      { key: 'images.exporter', problem: 'got "localhost:5000/exporter"; allowed: a pinned tag (name:tag), never an untagged image' },
    ]],
    ['an image of an unknown service', minimal({ images: { jaeger: 'jaeger:1' } }), [{ key: 'images.jaeger', problem: 'unknown key; allowed here: prometheus, alertmanager, grafana, loki, alloy, promtail, blackbox, node-exporter, cadvisor, victoria-metrics, vmalert, vmauth, mimir, exporter' }]],
    ['a webhook receiver without its URL', minimal({ alerting: { receiver: 'webhook' } }), [{ key: 'alerting.webhook_url', problem: 'required when alerting.receiver is webhook' }]],
    ['a webhook URL that is not http', minimal({ alerting: { receiver: 'webhook', webhook_url: 'ftp://x' } }), [{ key: 'alerting.webhook_url', problem: 'got "ftp://x"; allowed: an http:// or https:// URL' }]],
    ['a webhook URL that is no URL', minimal({ alerting: { webhook_url: 'not a url' } }), [{ key: 'alerting.webhook_url', problem: 'got "not a url"; allowed: an http:// or https:// URL' }]],
    ['an unknown receiver', minimal({ alerting: { receiver: 'email', to: 'x' } }), [
      { key: 'alerting.to', problem: 'unknown key; allowed here: receivers, grafana_url, receiver, webhook_url' },
      { key: 'alerting.receiver', problem: 'got string "email"; allowed: none, webhook' },
    ]],
    ['an unknown disabled service', minimal({ disabled_services: ['grafana', 'jaeger', 3] }), [
      { key: 'disabled_services[1]', problem: 'got string "jaeger"; allowed: prometheus, alertmanager, grafana, loki, alloy, promtail, blackbox, node-exporter, cadvisor, victoria-metrics, vmalert, vmauth, mimir' },
      { key: 'disabled_services[2]', problem: 'got number 3; allowed: prometheus, alertmanager, grafana, loki, alloy, promtail, blackbox, node-exporter, cadvisor, victoria-metrics, vmalert, vmauth, mimir' },
    ]],
    ['disabled services as a mapping', minimal({ disabled_services: { grafana: true } }), [{ key: 'disabled_services', problem: 'expected a list, got a mapping' }]],
    ['synthetic checks turned on by a word', minimal({ synthetic_checks: 'yes' }), [{ key: 'synthetic_checks', problem: 'got string "yes"; allowed: true or false' }]],
    ['bitcoind profile fields', { version: 2, profiles: { fibre: { node_name: ' ', bitcoind: 'bin/bitcoind', bitcoin_datadir: '~/.bitcoin', source: 'pcap', replay_file: 'rec.jsonl', p2p_port: 0, rpc_port: '8332', extra: 1 } } }, [
      { key: 'profiles.fibre.extra', problem: 'unknown key; allowed here: node_name, bitcoind, bitcoin_datadir, exporter_port, source, replay_file, p2p_port, rpc_port' },
      { key: 'profiles.fibre.node_name', problem: 'got " "; allowed: 1 to 64 letters, digits, ".", "_", "-", ":" or "@", starting with a letter or digit (such as relay-1)' },
      { key: 'profiles.fibre.bitcoind', problem: 'got "bin/bitcoind"; allowed: an absolute path' },
      { key: 'profiles.fibre.bitcoin_datadir', problem: 'got "~/.bitcoin"; allowed: an absolute path' },
      { key: 'profiles.fibre.source', problem: 'got string "pcap"; allowed: ebpf, replay' },
      { key: 'profiles.fibre.p2p_port', problem: 'got number 0; allowed: a whole number from 1 to 65535' },
      { key: 'profiles.fibre.rpc_port', problem: 'got string "8332"; allowed: a whole number from 1 to 65535' },
      { key: 'profiles.fibre.replay_file', problem: 'got "rec.jsonl"; allowed: an absolute path, or empty for the bundled sample' },
    ]],
    ['a profile that is not a mapping', { version: 2, profiles: { 'bitcoin-core': 'yes' } }, [{ key: 'profiles.bitcoin-core', problem: 'expected a mapping, got string "yes"' }]],
    ['miner fields', { version: 2, profiles: { miner: { bitstream: 'x11', logs: [{ path: 'm.log', card: '', colour: 1 }, 'b'], stale_after_seconds: 0 } } }, [
      { key: 'profiles.miner.logs[0].colour', problem: 'unknown key; allowed here: path, card' },
      { key: 'profiles.miner.logs[0].path', problem: 'got "m.log"; allowed: an absolute path' },
      { key: 'profiles.miner.logs[0].card', problem: 'got ""; allowed: a short name of 1 to 32 letters, digits, ".", "_" or "-", starting with a letter or digit (such as left or card0)' },
      { key: 'profiles.miner.logs[1]', problem: 'expected a mapping, got string "b"' },
      { key: 'profiles.miner.bitstream', problem: 'got string "x11"; allowed: tokenminer, rb4, nimiq' },
      { key: 'profiles.miner.stale_after_seconds', problem: 'got number 0; allowed: a whole number of 1 or more' },
    ]],
    ['a miner without logs', { version: 2, profiles: { miner: { logs: [] } } }, [{ key: 'profiles.miner.logs', problem: 'needs at least one log: {path, card}' }]],
    ['a miner card named twice', { version: 2, profiles: { miner: { logs: [{ path: '/a', card: 'left' }, { path: '/b', card: 'left' }] } } }, [
      { key: 'profiles.miner.logs', problem: 'card "left" appears twice; each log needs its own card name' },
    ]],
    ['a fractional stale time', { version: 2, profiles: { miner: { stale_after_seconds: 1.5 } } }, [{ key: 'profiles.miner.stale_after_seconds', problem: 'got number 1.5; allowed: a whole number of 1 or more' }]],
    ['nodeos fields', { version: 2, profiles: { nodeos: { node_name: '', url: 'localhost:8888', x: 1 } } }, [
      { key: 'profiles.nodeos.x', problem: 'unknown key; allowed here: node_name, url' },
      { key: 'profiles.nodeos.node_name', problem: 'got ""; allowed: 1 to 64 letters, digits, ".", "_", "-", ":" or "@", starting with a letter or digit (such as relay-1)' },
      { key: 'profiles.nodeos.url', problem: 'got "localhost:8888"; allowed: an http:// or https:// URL' },
    ]],
    ['scrape targets', { version: 2, profiles: { scrape: { targets: ['nohost', 9100, 'h:0', 'h:65536', 'h:9100'], jobs: [] } } }, [
      { key: 'profiles.scrape.jobs', problem: 'unknown key; allowed here: targets' },
      { key: 'profiles.scrape.targets[0]', problem: 'got "nohost"; allowed: host:port, such as 10.0.0.5:9100' },
      { key: 'profiles.scrape.targets[1]', problem: 'expected host:port, got number 9100' },
      { key: 'profiles.scrape.targets[2]', problem: 'got "h:0"; allowed: host:port, such as 10.0.0.5:9100' },
      { key: 'profiles.scrape.targets[3]', problem: 'got "h:65536"; allowed: host:port, such as 10.0.0.5:9100' },
    ]],
  ])('%s', (_what, raw, expected) => {
    expect(problemsOf(raw)).toEqual(expected);
  });

  it('says all of them at once, under the file name it read', () => {
    let error: unknown;
    try {
      validateSpec({ version: 2, mode: 'k8s', profiles: {} }, '/srv/stack/fibre-stack.yml');
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(SpecError);
    expect((error as SpecError).name).toBe('SpecError');
    expect((error as SpecError).message).toBe(
      '/srv/stack/fibre-stack.yml is not valid:\n  - mode: got string "k8s"; allowed: docker, native\n  - profiles: needs at least one profile; allowed: fibre, bitcoin-core, miner, nodeos, scrape',
    );
  });
});

describe('edges of what is allowed', () => {
  it('takes the first and last port, and a stale time of one second', () => {
    const spec = validateSpec({ version: 2, ports: { prometheus: 1, grafana: 65535 }, profiles: { miner: { stale_after_seconds: 1 } } });
    expect([spec.ports.prometheus, spec.ports.grafana, spec.profiles.miner![0].stale_after_seconds]).toEqual([1, 65535, 1]);
  });

  it('names a null where a mapping or a string belongs', () => {
    expect(problemsOf(minimal({ project: null, alerting: null }))).toEqual([{ key: 'project', problem: 'expected a string, got null' }]);
  });

  it.each([
    ['relay\u0000', '"relay\\u0000" holds a NUL byte at its end; remove it (no setting may hold control characters)'],
    ['re\tlay', '"re\\tlay" holds a tab at character 3; remove it (no setting may hold control characters)'],
    ['\nrelay', '"\\nrelay" holds a newline at character 1; remove it (no setting may hold control characters)'],
    ['relay\r', '"relay\\r" holds a carriage return at its end; remove it (no setting may hold control characters)'],
    ['a\u007fb', '"a\u007fb" holds a DEL character at character 2; remove it (no setting may hold control characters)'],
    ['a\u001bb\u0001', '"a\\u001bb\\u0001" holds a control character U+001B at character 2; remove it (no setting may hold control characters)'],
  ])('refuses a control character in any string: %j', (value, problem) => {
    expect(controlCharacter(value)).toBe(problem);
    expect(problemsOf(minimal({ project: value }))).toEqual([{ key: 'project', problem }]);
  });

  it('takes a string without control characters, unicode included', () => {
    expect(controlCharacter('relay-1 ünï ✓ \u0080')).toBeUndefined();
  });
});

describe('ports two services would both listen on', () => {
  it('are refused, naming the service that has it first', () => {
    expect(problemsOf(minimal({ ports: { grafana: 9090 } }))).toEqual([{ key: 'ports.grafana', problem: 'port 9090 is already taken by ports.prometheus; choose another' }]);
  });

  it('include the exporters of the profiles', () => {
    expect(problemsOf({ version: 2, ports: { loki: 9435 }, profiles: { fibre: {}, 'bitcoin-core': { exporter_port: 9435 }, miner: { exporter_port: 9090 } } })).toEqual([
      { key: 'profiles.fibre.exporter_port', problem: 'port 9435 is already taken by ports.loki; choose another' },
      { key: 'profiles.bitcoin-core.exporter_port', problem: 'port 9435 is already taken by ports.loki; choose another' },
      { key: 'profiles.miner.exporter_port', problem: 'port 9090 is already taken by ports.prometheus; choose another' },
    ]);
  });

  it('leave out disabled services and the log agent not chosen', () => {
    expect(problemsOf(minimal({ ports: { grafana: 9090, promtail: 12345 }, disabled_services: ['grafana'] }))).toEqual([]);
    expect(problemsOf(minimal({ ports: { alloy: 9090 }, log_agent: 'promtail' }))).toEqual([]);
    expect(problemsOf(minimal({ ports: { promtail: 9090 } }))).toEqual([]);
  });
});

describe('several nodes of a profile', () => {
  const core = (nodes: unknown[]) => ({ version: 2, profiles: { 'bitcoin-core': nodes } });
  const portsOf = (raw: unknown, id: 'bitcoin-core' | 'miner' = 'bitcoin-core') => validateSpec(raw).profiles[id]!.map((n) => n.exporter_port);

  it('are a list, read in order, each node by its own reader with the defaults', () => {
    const spec = validateSpec(core([{ node_name: 'a', bitcoin_datadir: '/srv/a' }, { node_name: 'b', bitcoin_datadir: '/srv/b', exporter_port: 9600 }]));
    expect(spec.profiles['bitcoin-core']).toEqual([
      { node_name: 'a', bitcoind: '/usr/local/bin/bitcoind', bitcoin_datadir: '/srv/a', exporter_port: 9437, source: 'ebpf', replay_file: '', p2p_port: 8333, rpc_port: 8332 },
      { node_name: 'b', bitcoind: '/usr/local/bin/bitcoind', bitcoin_datadir: '/srv/b', exporter_port: 9600, source: 'ebpf', replay_file: '', p2p_port: 8333, rpc_port: 8332 },
    ]);
  });

  it('name each problem by the node\'s place in the list', () => {
    expect(problemsOf(core([{ node_name: 'a' }, { node_name: 'b', bitcoind: 'bitcoind' }, 'c']))).toEqual([
      { key: 'profiles.bitcoin-core[1].bitcoind', problem: 'got "bitcoind"; allowed: an absolute path' },
      { key: 'profiles.bitcoin-core[2]', problem: 'expected a mapping, got string "c"' },
    ]);
  });

  it('need one node at least', () => {
    expect(problemsOf(core([]))).toEqual([{ key: 'profiles.bitcoin-core', problem: 'needs at least one node: a list of mappings such as `- {}` (every default), or remove bitcoin-core' }]);
  });

  it('need names of their own within the profile, but may share one with another profile\'s node', () => {
    expect(problemsOf(core([{ node_name: 'a' }, { node_name: 'b' }, { node_name: 'a' }]))).toEqual([
      { key: 'profiles.bitcoin-core[2]', problem: 'node name "a" is also that of profiles.bitcoin-core[0]; each node of bitcoin-core needs its own name (node_name), its `node` label' },
    ]);
    expect(problemsOf({ version: 2, profiles: { miner: [{ logs: [{ path: '/a' }] }, { logs: [{ path: '/b' }] }] } })).toEqual([
      { key: 'profiles.miner[1]', problem: 'node name "localhost" is also that of profiles.miner[0]; each node of miner needs its own name (node_name), its `node` label' },
    ]);
    expect(problemsOf({ version: 2, profiles: { fibre: [{ node_name: 'a' }], 'bitcoin-core': [{ node_name: 'a' }], nodeos: [{ node_name: 'a' }] } })).toEqual([]);
    // Scrape's entries are target lists, not nodes: nothing to name.
    expect(problemsOf({ version: 2, profiles: { scrape: [{ targets: ['h:1'] }, { targets: ['h:2'] }] } })).toEqual([]);
  });

  it('are rigs with cards of their own: two rigs may both have a card called left', () => {
    const raw = { version: 2, profiles: { miner: [{ node_name: 'rig-a', logs: [{ path: '/a', card: 'left' }] }, { node_name: 'rig-b', logs: [{ path: '/b', card: 'left' }] }] } };
    expect(validateSpec(raw).profiles.miner!.map((n) => [n.node_name, n.logs[0].card])).toEqual([['rig-a', 'left'], ['rig-b', 'left']]);
    expect(problemsOf({ version: 2, profiles: { miner: [{ node_name: 'rig a' }] } })).toEqual([
      { key: 'profiles.miner[0].node_name', problem: 'got "rig a"; allowed: 1 to 64 letters, digits, ".", "_", "-", ":" or "@", starting with a letter or digit (such as relay-1)' },
    ]);
  });

  it('after the first, take the first free port from the profile\'s default up when they give none', () => {
    // 9438 is free; 9439 is the miner's; 9440 is given to the fourth node, which keeps it.
    const raw = {
      version: 2,
      profiles: {
        'bitcoin-core': [{ node_name: 'a' }, { node_name: 'b' }, { node_name: 'c' }, { node_name: 'd', exporter_port: 9440 }, { node_name: 'e' }],
        miner: [{}],
      },
    };
    expect(portsOf(raw)).toEqual([9437, 9438, 9441, 9440, 9442]);
    // The stack's own ports count too.
    expect(portsOf({ version: 2, ports: { loki: 9438 }, profiles: { 'bitcoin-core': [{ node_name: 'a' }, { node_name: 'b' }] } })).toEqual([9437, 9439]);
    // A first node is never moved: its clash is said.
    expect(problemsOf({ version: 2, ports: { loki: 9437 }, profiles: { 'bitcoin-core': [{ node_name: 'a' }, { node_name: 'b' }] } })).toEqual([
      { key: 'profiles.bitcoin-core[0].exporter_port', problem: 'port 9437 is already taken by ports.loki; choose another' },
    ]);
  });

  it('clash on the ports they give, named by their place', () => {
    expect(problemsOf(core([{ node_name: 'a' }, { node_name: 'b', exporter_port: 9437 }]))).toEqual([
      { key: 'profiles.bitcoin-core[1].exporter_port', problem: 'port 9437 is already taken by profiles.bitcoin-core[0].exporter_port; choose another' },
    ]);
  });
});

describe('addresses', () => {
  it.each([
    ['127.0.0.1', true], ['0.0.0.0', true], ['255.255.255.255', true], ['256.0.0.1', false], ['1.2.3', false], ['1.2.3.4.5', false],
    ['::1', true], ['fe80::1', true], ['::', true], ['1234', false], ['example.com', false], ['::g', false], ['', false],
  ])('isIpAddress(%j) is %s', (s, ok) => {
    expect(isIpAddress(s)).toBe(ok);
  });

  it.each([
    ['10.0.0.5:9100', undefined], ['localhost:1', undefined], ['[::1]:65535', undefined], ['my-host.lan:9100', undefined],
    ['10.0.0.5', 'got "10.0.0.5"; allowed: host:port, such as 10.0.0.5:9100'],
    ['h:123456', 'got "h:123456"; allowed: host:port, such as 10.0.0.5:9100'],
    ['::1:9100', 'got "::1:9100"; allowed: host:port, such as 10.0.0.5:9100'],
    ['h:9100/metrics', 'got "h:9100/metrics"; allowed: host:port, such as 10.0.0.5:9100'],
  ])('checkHostPort(%j)', (s, problem) => {
    expect(checkHostPort(s)).toBe(problem);
  });
});

describe('fleet: a node or a hub (absent: standalone)', () => {
  const node = { role: 'node', host: 'rig-7', hub_url: 'https://hub.example:8427/' };
  const hub = { role: 'hub', nodes: ['rig-1', 'rig-2'], tls: { names: ['hub.example', '10.0.0.1'] } };

  it('a node keeps what the user wrote and takes the defaults for the rest; a trailing slash of hub_url goes', () => {
    expect(validateSpec(minimal({ fleet: node })).fleet).toEqual({
      role: 'node', host: 'rig-7', site: 'default', hub_url: 'https://hub.example:8427', token_file: 'fleet/hub.token', ca_file: 'fleet/ca.crt',
    });
    const full = { role: 'node', host: 'a.b-c', site: 'eu-1', hub_url: 'http://10.0.0.1:8427', token_file: '/etc/fs/token', ca_file: '' };
    expect(validateSpec(minimal({ fleet: full })).fleet).toEqual(full);
  });

  it('a hub takes VictoriaMetrics, 0.0.0.0 and a generated certificate unless told otherwise', () => {
    expect(validateSpec(minimal({ fleet: hub })).fleet).toEqual({
      role: 'hub', engine: 'victoriametrics', listen_address: '0.0.0.0', nodes: ['rig-1', 'rig-2'],
      tls: { mode: 'generate', names: ['hub.example', '10.0.0.1'], cert_file: '', key_file: '' },
      external: { remote_write_url: '', query_url: '' },
    });
    const ext = { role: 'hub', engine: 'external', listen_address: '::', nodes: [], tls: { mode: 'files', cert_file: 'c.pem', key_file: '/k.pem' }, external: { remote_write_url: 'https://m.example/api/v1/push', query_url: 'https://m.example/prometheus' } };
    expect(validateSpec(minimal({ fleet: ext })).fleet).toEqual({ ...ext, tls: { ...ext.tls, names: [] } });
  });

  it.each<[string, unknown, SpecProblem[]]>([
    ['no role', {}, [{ key: 'fleet.role', problem: 'required; allowed: node, hub' }]],
    ['a role not offered', { role: 'relay' }, [{ key: 'fleet.role', problem: 'got string "relay"; allowed: node, hub' }]],
    ['a node without host or hub', { role: 'node' }, [
      { key: 'fleet.host', problem: 'required for a node: the name its series carry as `host` and its hub token was made for' },
      { key: 'fleet.hub_url', problem: "required for a node: the hub's write endpoint, such as https://hub.example:8427" },
    ]],
    ['a host name that is no host name', { ...node, host: 'Rig_7' }, [{ key: 'fleet.host', problem: 'got "Rig_7"; allowed: a host name of 1 to 63 lower-case letters, digits, "-" or ".", starting and ending with a letter or digit (such as rig-7)' }]],
    ['a site ending in a dash', { ...node, site: 'eu-' }, [{ key: 'fleet.site', problem: 'got "eu-"; allowed: a host name of 1 to 63 lower-case letters, digits, "-" or ".", starting and ending with a letter or digit (such as rig-7)' }]],
    ['a hub URL that is not http', { ...node, hub_url: 'ftp://hub' }, [{ key: 'fleet.hub_url', problem: 'got "ftp://hub"; allowed: an http:// or https:// URL' }]],
    ['a hub URL with a query', { ...node, hub_url: 'https://hub/?x=1' }, [{ key: 'fleet.hub_url', problem: 'got "https://hub/?x=1"; allowed: a URL without ?query or #fragment' }]],
    ['a token file that reads as an option, a CA file leaving the stack', { ...node, token_file: '-x', ca_file: '../ca.crt' }, [
      { key: 'fleet.token_file', problem: 'got "-x"; allowed: a file path, not starting with "-"' },
      { key: 'fleet.ca_file', problem: 'got "../ca.crt"; allowed: a path without ".."' },
    ]],
    ['an empty token file', { ...node, token_file: '' }, [{ key: 'fleet.token_file', problem: 'must not be empty' }]],
    ['hub keys on a node', { ...node, engine: 'mimir' }, [{ key: 'fleet.engine', problem: 'unknown key; allowed here: role, host, site, hub_url, token_file, ca_file' }]],
    ['node keys on a hub', { ...hub, host: 'x' }, [{ key: 'fleet.host', problem: 'unknown key; allowed here: role, engine, listen_address, nodes, tls, external' }]],
    ['an engine not offered', { ...hub, engine: 'thanos' }, [{ key: 'fleet.engine', problem: 'got string "thanos"; allowed: victoriametrics, mimir, external' }]],
    ['a listen address that is a name', { ...hub, listen_address: 'hub.example' }, [{ key: 'fleet.listen_address', problem: 'got "hub.example"; allowed: an IPv4 or IPv6 address such as 0.0.0.0' }]],
    ['nodes: a bad name, a number, one twice, two sharing a token variable', { ...hub, nodes: ['ok', 'A B', 7, 'ok', 'rig-1', 'rig.1'] }, [
      { key: 'fleet.nodes[1]', problem: 'got "A B"; allowed: a host name of 1 to 63 lower-case letters, digits, "-" or ".", starting and ending with a letter or digit (such as rig-7)' },
      { key: 'fleet.nodes[2]', problem: 'got number 7; allowed: a host name such as rig-7' },
      { key: 'fleet.nodes[3]', problem: 'ok is listed twice' },
      { key: 'fleet.nodes[5]', problem: 'rig.1 and rig-1 differ only in "-" and "."; rename one' },
    ]],
    ['a generated certificate without names', { ...hub, tls: {} }, [{ key: 'fleet.tls.names', problem: 'required with tls.mode generate: the names and addresses nodes reach the hub by (the certificate is made for them)' }]],
    ['certificate names that are neither name nor address', { ...hub, tls: { names: ['hub example', 3] } }, [
      { key: 'fleet.tls.names[0]', problem: 'got "hub example"; allowed: a DNS name or an IP address' },
      { key: 'fleet.tls.names[1]', problem: 'got number 3; allowed: a DNS name or an IP address' },
    ]],
    ['own certificate files, not named', { ...hub, tls: { mode: 'files' } }, [
      { key: 'fleet.tls.cert_file', problem: 'required with tls.mode files: your certificate (PEM)' },
      { key: 'fleet.tls.key_file', problem: 'required with tls.mode files: its private key (PEM)' },
    ]],
    ['an unknown tls key', { ...hub, tls: { names: ['h'], ca: 'x' } }, [{ key: 'fleet.tls.ca', problem: 'unknown key; allowed here: mode, names, cert_file, key_file' }]],
    ['an external engine without its URLs', { ...hub, engine: 'external' }, [
      { key: 'fleet.external.remote_write_url', problem: "required with engine external: your engine's remote_write URL" },
      { key: 'fleet.external.query_url', problem: "required with engine external: your engine's Prometheus query API URL" },
    ]],
    ['external URLs with another engine', { ...hub, external: { query_url: 'https://q.example' } }, [{ key: 'fleet.external', problem: 'only used with engine external; engine is victoriametrics' }]],
    ['an external URL that is no URL', { ...hub, engine: 'external', external: { remote_write_url: 'x', query_url: 'https://q' } }, [{ key: 'fleet.external.remote_write_url', problem: 'got "x"; allowed: an http:// or https:// URL' }]],
    ['an engine URL with a vmauth placeholder, which would carry a token', { ...hub, engine: 'external', external: { remote_write_url: 'https://m.example/w?t=%{FLEET_TOKEN_RIG_1}', query_url: 'https://q' } }, [
      { key: 'fleet.external.remote_write_url', problem: 'got "https://m.example/w?t=%{FLEET_TOKEN_RIG_1}"; allowed: a URL without "%{" (vmauth would fill in a variable there)' },
    ]],
    ['an unknown external key', { ...hub, engine: 'external', external: { remote_write_url: 'https://w', query_url: 'https://q', token: 'x' } }, [{ key: 'fleet.external.token', problem: 'unknown key; allowed here: remote_write_url, query_url' }]],
    ['fleet as a list', [node], [{ key: 'fleet', problem: 'expected a mapping, got a list' }]],
  ])('%s', (_name, fleet, problems) => {
    expect(problemsOf(minimal({ fleet }))).toEqual(problems);
  });

  it('a token variable per node: upper case, "-" and "." as "_"', () => {
    expect(fleetTokenVar('rig-7.eu')).toBe('FLEET_TOKEN_RIG_7_EU');
  });

  it("a node's receivers are refused (its hub sends the alerts), a hub's kept; a hub's synthetic checks are refused, a node's kept", () => {
    const receivers = [{ name: 'ops', type: 'webhook', url: 'https://hooks.example/x' }];
    expect(problemsOf(minimal({ fleet: node, alerting: { receivers } }))).toEqual([
      { key: 'alerting.receivers', problem: "a fleet node runs no Alertmanager (its hub evaluates the rules and sends the alerts): give the receivers in the hub's fibre-stack.yml and remove them here" },
    ]);
    expect(validateSpec(minimal({ fleet: hub, alerting: { receivers } })).alerting.receivers.map((r) => r.name)).toEqual(['ops']);
    expect(problemsOf(minimal({ fleet: hub, synthetic_checks: true }))).toEqual([
      { key: 'synthetic_checks', problem: "a fleet hub runs no synthetic checks (the services they probe run on the nodes): set synthetic_checks: true in the nodes' fibre-stack.yml, whose agents send the results to the hub" },
    ]);
    expect(validateSpec(minimal({ fleet: node, synthetic_checks: true })).synthetic_checks).toBe(true);
  });

  it("a hub's write endpoint takes a port of its own: it clashes like any other", () => {
    expect(problemsOf(minimal({ fleet: hub, ports: { vmauth: 3000 } }))).toEqual([{ key: 'ports.vmauth', problem: 'port 3000 is already taken by ports.grafana; choose another' }]);
  });
});
