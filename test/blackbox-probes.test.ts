// The synthetic checks with real programs: Debian's prometheus-blackbox-exporter runs the config
// the stack renders, started with the arguments the native runner uses, against local stand-ins
// for what it probes (a get_info answering with a head block and one without, an open and a
// closed TCP port); then Debian's Prometheus, on the stack's rendered prometheus.yml, asks it
// through the probe job, and each check's probe_success lands under its labels.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer } from 'node:net';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { prerequisites } from './support/prereq.js';
import { render, tempDir } from './support/stack.js';
import { eventually, scrape } from './support/scrape.js';
import { writeStack } from '../cli/io/stack-writer.js';
import { resolveArg, stackServices } from '../cli/render/stack-services.js';
import { defaultProfile, defaultSpec } from '../cli/spec/defaults.js';
import type { StackSpec } from '../cli/spec/types.js';

const BLACKBOX = 'prometheus-blackbox-exporter';
const ready = prerequisites('blackbox-probes', { commands: [BLACKBOX, 'prometheus'] });
const BASE = 29910;

/** nodeos's get_info as spring writes it (fc JSON, no spaces), with this head block. */
const getInfo = (head: number) => JSON.stringify({ server_version: 'd133c641', chain_id: 'aca376f2', head_block_num: head, last_irreversible_block_num: Math.max(0, head - 3) });

async function listen<T extends Server | TcpServer>(server: T): Promise<number> {
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return (server.address() as AddressInfo).port;
}

function nodeosStandIn(head: number): Server {
  return createHttpServer((req, res) => {
    if (req.url === '/v1/chain/get_info') res.writeHead(200, { 'content-type': 'application/json' }).end(getInfo(head));
    else res.writeHead(404).end();
  });
}

describe.skipIf(!ready)('synthetic checks with the blackbox exporter', () => {
  const servers: (Server | TcpServer)[] = [];
  const children: ChildProcess[] = [];
  let dir: string;
  let spec: StackSpec;
  const port = { withHead: 0, withoutHead: 0, open: 0, closed: 0 };

  beforeAll(async () => {
    const withHead = nodeosStandIn(1234);
    const withoutHead = nodeosStandIn(0);
    const open = createTcpServer((s) => s.end());
    const closed = createTcpServer();
    servers.push(withHead, withoutHead, open);
    port.withHead = await listen(withHead);
    port.withoutHead = await listen(withoutHead);
    port.open = await listen(open);
    // A port nothing listens on: taken, then given back.
    port.closed = await listen(closed);
    await new Promise((ok) => closed.close(ok));

    spec = {
      ...defaultSpec(),
      mode: 'native',
      project: 'blackboxtest',
      ports: { ...defaultSpec().ports, prometheus: BASE, blackbox: BASE + 1 },
      disabled_services: ['alertmanager', 'grafana', 'loki'],
      synthetic_checks: true,
      profiles: {
        nodeos: [{ node_name: 'eos1', url: `http://127.0.0.1:${port.withHead}` }],
        'bitcoin-core': [{ ...defaultProfile('bitcoin-core'), node_name: 'btc1', exporter_port: BASE + 2, p2p_port: port.open, rpc_port: port.closed }],
      },
    };
    dir = tempDir('blackbox-');
    writeStack(dir, render(spec));
    // Each program started as the native runner starts it: its rendered arguments, in the stack folder.
    const start = (name: string, program: string) => {
      const svc = stackServices(spec).find((s) => s.name === name)!;
      const child = spawn(program, svc.argv.map((a) => resolveArg(a, dir)), { cwd: dir, stdio: 'ignore' });
      children.push(child);
    };
    start('blackbox', BLACKBOX);
    start('prometheus', 'prometheus');
    await eventually(async () => expect((await fetch(`http://127.0.0.1:${BASE + 1}/-/healthy`)).status).toBe(200), 20_000, 200);
  }, 60_000);

  afterAll(async () => {
    for (const c of children) c.kill('SIGTERM');
    for (const s of servers) s.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('accepts the rendered config', () => {
    const r = spawnSync(BLACKBOX, ['--config.check', `--config.file=${join(dir, 'blackbox', 'blackbox.yml')}`], { encoding: 'utf8' });
    expect(r.status, r.stdout + r.stderr).toBe(0);
  });

  const probe = async (module: string, target: string) =>
    (await scrape(`http://127.0.0.1:${BASE + 1}/probe?${new URLSearchParams({ module, target })}`)).get('probe_success');

  it('nodeos_head_block passes a get_info with a head block, and fails one without, a 404 and a closed port', async () => {
    expect(await probe('nodeos_head_block', `http://127.0.0.1:${port.withHead}/v1/chain/get_info`)).toBe(1);
    expect(await probe('nodeos_head_block', `http://127.0.0.1:${port.withoutHead}/v1/chain/get_info`)).toBe(0);
    expect(await probe('nodeos_head_block', `http://127.0.0.1:${port.withHead}/v1/chain/get_block`)).toBe(0);
    expect(await probe('nodeos_head_block', `http://127.0.0.1:${port.closed}/v1/chain/get_info`)).toBe(0);
    // The plain http module asks for a 2xx only: the answer without a head block passes it.
    expect(await probe('http_2xx', `http://127.0.0.1:${port.withoutHead}/v1/chain/get_info`)).toBe(1);
  });

  it('tcp_connect passes an open port and fails a closed one', async () => {
    expect(await probe('tcp_connect', `127.0.0.1:${port.open}`)).toBe(1);
    expect(await probe('tcp_connect', `127.0.0.1:${port.closed}`)).toBe(0);
  });

  it('Prometheus runs every check of the stack through the probe job, each under its labels', async () => {
    type Result = { metric: Record<string, string>; value: [number, string] };
    const results = await eventually(async () => {
      const res = await fetch(`http://127.0.0.1:${BASE}/api/v1/query?query=${encodeURIComponent('probe_success{job="probe"}')}`);
      const r = ((await res.json()) as { data: { result: Result[] } }).data.result;
      expect(r.length).toBe(4);
      return r;
    }, 60_000, 1000);
    const byCheck = Object.fromEntries(results.map((r) => [r.metric.check, { ...r.metric, value: r.value[1] }]));
    expect(byCheck.nodeos_api).toMatchObject({ node: 'eos1', instance: `http://127.0.0.1:${port.withHead}/v1/chain/get_info`, value: '1' });
    expect(byCheck.bitcoind_p2p).toMatchObject({ node: 'btc1', instance: `127.0.0.1:${port.open}`, value: '1' });
    expect(byCheck.bitcoind_rpc).toMatchObject({ node: 'btc1', instance: `127.0.0.1:${port.closed}`, value: '0' });
    expect(byCheck.stack_ui).toMatchObject({ service: 'prometheus', instance: `http://127.0.0.1:${BASE}/-/ready`, value: '1' });
  }, 90_000);
});
