// create and generate as a user runs them: what they write, what they refuse, what they keep.
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { load } from 'js-yaml';
import { CREATE_CLI, runCli } from './support/cli.js';
import { tempDir } from './support/stack.js';

const ALL = 'fibre,bitcoin-core,miner,nodeos,scrape';

function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

describe('create', () => {
  it('writes a complete stack with a fresh secret and no default password', () => {
    const a = join(tempDir(), 'stack-a');
    const b = join(tempDir(), 'stack-b');
    for (const dir of [a, b]) {
      const r = runCli(['create', dir, '--yes', '--profiles', ALL, '--scrape-target', '10.1.2.3:9100']);
      // nodeos's default address is the host's loopback, which a docker stack cannot scrape: said, not refused.
      expect(r.stderr).toMatch(/^warning: profiles\.nodeos: 127\.0\.0\.1:8888 is on this host's loopback/m);
      for (const line of r.stderr.trimEnd().split('\n')) expect(line).toMatch(/^warning: /);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('Next steps');
    }
    for (const f of ['fibre-stack.yml', 'docker-compose.yml', 'prometheus/prometheus.yml', 'alertmanager/alertmanager.yml', 'loki/loki.yml', 'alloy/config.alloy', 'grafana/provisioning/datasources/datasources.yml', 'systemd/fibre-stack-fibre-exporter.service', '.fibre-stack/manifest.json']) {
      expect(existsSync(join(a, f)), f).toBe(true);
    }
    expect(statSync(join(a, '.env')).mode & 0o777).toBe(0o600);
    const password = (dir: string) => /GF_SECURITY_ADMIN_PASSWORD=(.*)/.exec(readFileSync(join(dir, '.env'), 'utf8'))![1];
    expect(password(a).length).toBeGreaterThanOrEqual(32);
    expect(password(a)).not.toBe(password(b));
    expect(readFileSync(join(a, '.env.example'), 'utf8')).toMatch(/GF_SECURITY_ADMIN_PASSWORD=\n/);
    // The secret lives only in .env; nothing anywhere says admin/admin.
    for (const f of listFiles(a).filter((p) => !p.endsWith('/.env'))) {
      const text = readFileSync(f, 'utf8');
      expect(text.includes(password(a)), f).toBe(false);
      expect(text, f).not.toMatch(/admin_password\s*=\s*admin|PASSWORD:\s*admin\b/i);
    }
  });

  it('refuses a non-empty folder unless --overwrite, and changes nothing', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'precious.txt'), 'mine');
    const r = runCli(['create', dir, '--yes']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/not empty.*--overwrite/);
    expect(readdirSync(dir)).toEqual(['precious.txt']);
    const o = runCli(['create', dir, '--yes', '--overwrite']);
    expect(o.code).toBe(0);
    expect(readFileSync(join(dir, 'precious.txt'), 'utf8')).toBe('mine');
    expect(existsSync(join(dir, 'fibre-stack.yml'))).toBe(true);
  });

  it('--dry-run lists the files and writes nothing', () => {
    const dir = join(tempDir(), 'dry');
    const r = runCli(['create', dir, '--yes', '--dry-run', '--profiles', 'miner', '--miner-log', '/var/log/m.log']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('prometheus/prometheus.yml');
    expect(existsSync(dir)).toBe(false);
  });

  it('--json prints what it wrote for scripts', () => {
    const dir = join(tempDir(), 'json');
    const r = runCli(['create', dir, '--yes', '--json', '--mode', 'native', '--log-agent', 'promtail']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { files: { path: string; action: string }[]; urls: { name: string }[] };
    expect(out.files.find((f) => f.path === 'promtail/promtail.yml')?.action).toBe('created');
    expect(out.urls.map((u) => u.name)).toContain('grafana');
  });

  it.each([
    [['--bind', 'example.com'], /bind_address.*IPv4 or IPv6/],
    [['--profiles', 'scrape', '--scrape-target', 'nohost'], /profiles\.scrape\.targets\[0\].*host:port/],
    [['--profiles', 'fibre', '--bitcoind', 'relative/bitcoind'], /profiles\.fibre\.bitcoind.*absolute path/],
    [['--profiles', 'nodeos', '--nodeos-url', 'ftp://x'], /profiles\.nodeos\.url.*http/],
    [['--profiles', 'dogecoin'], /unknown profile dogecoin/],
    [['--alert-webhook', 'not a url'], /--alert-webhook: got "not a url"; allowed: an http:\/\/ or https:\/\/ URL/],
    [['--alert-telegram', '12'], /--alert-telegram-token-file is needed/],
    [['--alert-telegram', 'chat', '--alert-telegram-token-file', '/etc/hostname'], /alerting\.receivers\[0\]\.chat_id: got string "chat"/],
    [['--alert-telegram-token-file', '/nonexistent/token', '--alert-telegram', '1'], /cannot read \/nonexistent\/token \(ENOENT\)/],
    [['--node', 'bitcoin-core:node-name=a', '--node', 'bitcoin-core:node-name=a'], /profiles\.bitcoin-core\[1\]: node name "a" is also that of profiles\.bitcoin-core\[0\]/],
    [['--node', 'bitcoin-core:datadir=/srv/a'], /--node bitcoin-core:datadir=\/srv\/a: "datadir=\/srv\/a" is not KEY=VALUE with KEY one of bitcoin-core's: node-name, bitcoind, bitcoin-datadir/],
    [['--node', 'scrape:scrape-target=h:1'], /--node scrape:scrape-target=h:1: start with the profile of the node, one of fibre, bitcoin-core, miner, nodeos/],
    [['--profiles', 'fibre', '--node', 'miner'], /--node: miner is not among --profiles fibre/],
  ])('bad input %j: exit 2, names the key, writes nothing', (flags, message) => {
    const dir = join(tempDir(), 'bad');
    const r = runCli(['create', dir, '--yes', ...flags]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(existsSync(dir)).toBe(false);
  });

  it('--node, repeated, makes the nodes of a profile, each with its own exporter and the other flags as defaults', () => {
    const dir = join(tempDir(), 'nodes');
    const r = runCli([
      'create', dir, '--yes', '--mode', 'native', '--bitcoind', '/opt/bitcoind',
      '--node', 'bitcoin-core:node-name=a,bitcoin-datadir=/srv/a', '--node', 'bitcoin-core:node-name=b,bitcoin-datadir=/srv/b',
      '--node', 'miner:node-name=rig-a,miner-log=/var/log/a/left.log,card=left,miner-log=/var/log/a/right.log,card=right',
      '--node', 'miner:node-name=rig-b,miner-log=/var/log/b/left.log,card=left',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Created a native stack for bitcoin-core (2 nodes), miner (2 nodes)');
    const spec = load(readFileSync(join(dir, 'fibre-stack.yml'), 'utf8')) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(spec.version).toBe(2);
    expect(spec.profiles['bitcoin-core'].map((n: Record<string, unknown>) => [n.node_name, n.bitcoind, n.bitcoin_datadir, n.exporter_port])).toEqual([
      ['a', '/opt/bitcoind', '/srv/a', 9437],
      ['b', '/opt/bitcoind', '/srv/b', 9438],
    ]);
    expect(spec.profiles.miner.map((n: Record<string, unknown>) => [n.node_name, n.logs, n.exporter_port])).toEqual([
      ['rig-a', [{ path: '/var/log/a/left.log', card: 'left' }, { path: '/var/log/a/right.log', card: 'right' }], 9439],
      ['rig-b', [{ path: '/var/log/b/left.log', card: 'left' }], 9440],
    ]);
    expect(readdirSync(join(dir, 'systemd')).filter((f) => f.includes('exporter')).sort()).toEqual([
      'fibre-stack-bitcoin-core-exporter-2.service', 'fibre-stack-bitcoin-core-exporter.service',
      'fibre-stack-miner-exporter-2.service', 'fibre-stack-miner-exporter.service',
    ]);
    expect(JSON.parse(readFileSync(join(dir, 'prometheus/targets/miner.json'), 'utf8'))).toEqual([
      { targets: ['127.0.0.1:9439'], labels: { node: 'rig-a' } },
      { targets: ['127.0.0.1:9440'], labels: { node: 'rig-b' } },
    ]);
  });

  it('without a terminal and without --yes it says how to proceed instead of hanging', () => {
    const dir = join(tempDir(), 'notty');
    const r = runCli(['create', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--yes');
  });

  it('npx create-fibre-stack is create', () => {
    const dir = join(tempDir(), 'npx');
    const r = runCli([dir, '--yes', '--profiles', 'nodeos'], { bin: CREATE_CLI });
    expect(r.code).toBe(0);
    const spec = load(readFileSync(join(dir, 'fibre-stack.yml'), 'utf8')) as { profiles: Record<string, unknown> };
    expect(Object.keys(spec.profiles)).toEqual(['nodeos']);
  });
});

describe('generate', () => {
  function created(profiles = 'fibre,scrape'): string {
    const dir = join(tempDir(), 'gen');
    expect(runCli(['create', dir, '--yes', '--profiles', profiles, '--scrape-target', '10.0.0.1:9100']).code).toBe(0);
    return dir;
  }

  it('keeps a file the user edited, writes <file>.new beside it, and --force overwrites', () => {
    const dir = created();
    const prom = join(dir, 'prometheus/prometheus.yml');
    const mine = readFileSync(prom, 'utf8') + '# my tweak\n';
    writeFileSync(prom, mine);
    const specPath = join(dir, 'fibre-stack.yml');
    writeFileSync(specPath, readFileSync(specPath, 'utf8').replace('15d', '30d'));
    const r = runCli(['generate', '--dir', dir]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('prometheus/prometheus.yml.new');
    expect(readFileSync(prom, 'utf8')).toBe(mine);
    // The compose file was not edited, so it follows the spec.
    expect(readFileSync(join(dir, 'docker-compose.yml'), 'utf8')).toContain('retention.time=30d');
    const f = runCli(['generate', '--dir', dir, '--force']);
    expect(f.code).toBe(0);
    expect(readFileSync(prom, 'utf8')).not.toContain('my tweak');
  });

  it('keeps the password and the spec as they are', () => {
    const dir = created();
    const env = readFileSync(join(dir, '.env'), 'utf8');
    const spec = readFileSync(join(dir, 'fibre-stack.yml'), 'utf8');
    expect(runCli(['generate', '--dir', dir]).code).toBe(0);
    expect(readFileSync(join(dir, '.env'), 'utf8')).toBe(env);
    expect(readFileSync(join(dir, 'fibre-stack.yml'), 'utf8')).toBe(spec);
  });

  it('removes files of a dropped profile only when unedited', () => {
    const dir = created('fibre,miner');
    const unit = join(dir, 'systemd/fibre-stack-miner-exporter.service');
    const target = join(dir, 'prometheus/targets/miner.json');
    writeFileSync(unit, readFileSync(unit, 'utf8') + '# mine\n');
    const specPath = join(dir, 'fibre-stack.yml');
    const spec = load(readFileSync(specPath, 'utf8')) as { profiles: Record<string, unknown> };
    delete spec.profiles.miner;
    writeFileSync(specPath, JSON.stringify(spec));
    const r = runCli(['generate', '--dir', dir]);
    expect(r.code).toBe(0);
    expect(existsSync(target)).toBe(false);
    expect(existsSync(unit)).toBe(true);
  });

  it('an invalid spec: exit 2, every problem named with what is allowed, nothing written', () => {
    const dir = created();
    const specPath = join(dir, 'fibre-stack.yml');
    writeFileSync(specPath, readFileSync(specPath, 'utf8').replace('mode: docker', 'mode: kubernetes').replace('log_agent: alloy', 'log_agent: fluentd\ncolour: blue'));
    const before = readFileSync(join(dir, 'docker-compose.yml'), 'utf8');
    const r = runCli(['generate', '--dir', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/mode: got string "kubernetes"; allowed: docker, native/);
    expect(r.stderr).toMatch(/log_agent: .*allowed: alloy, promtail/);
    expect(r.stderr).toMatch(/colour: unknown key/);
    expect(readFileSync(join(dir, 'docker-compose.yml'), 'utf8')).toBe(before);
  });

  it('says where to go when there is no spec', () => {
    const r = runCli(['generate', '--dir', tempDir()]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no fibre-stack\.yml.*fibre-stack create/);
  });
});
