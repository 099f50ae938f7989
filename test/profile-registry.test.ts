// A profile is one module: a registry built from the real list plus a throwaway profile (a folder
// under test/fixtures) carries it everywhere a profile goes, with no other file touched: spec
// validation, create's flags and prompts, the stack's Prometheus config and rules, dashboards and
// the runbooks. And the registry refuses what would break far from its cause.
import { afterEach, describe, expect, it, vi } from 'vitest';
import yargs from 'yargs';
import { load } from 'js-yaml';
import { buildRegistry, PROFILE_LIST, PROFILES } from '../profiles/registry.js';
import type { ProfileDef } from '../profiles/types.js';
import { readSpecDocument } from '../cli/spec/validate.js';
import { defaultAnswers, specFromAnswers } from '../cli/spec/from-answers.js';
import { answersFromFlags, createCommandFor } from '../cli/commands/create.js';
import { renderStack } from '../cli/render/index.js';
import { loadPackageSources } from '../cli/io/templates.js';
import { checkedInArtifacts } from '../cli/artifacts/index.js';
import { dashboardsFor, dashboardText } from '../cli/artifacts/dashboards.js';
import { SpecError } from '../core/spec/reader.js';
import { exampleProfile } from './fixtures/profile-example/index.js';
import { fileOf, TEST_SECRETS } from './support/stack.js';

const prompts = vi.hoisted(() => ({ asked: [] as string[], answers: {} as Record<string, unknown> }));
// Each prompt (one package per prompt kind) records its question and answers from the script, or
// takes its default. A checkbox's default is its checked choices; a list of answers is given one
// per time the question is asked.
const answer = vi.hoisted(() => (o: { message: string; default?: unknown; choices?: { value: unknown; checked?: boolean }[] }) => {
  prompts.asked.push(o.message);
  const byDefault = o.default ?? o.choices?.filter((c) => c.checked).map((c) => c.value);
  const scripted = prompts.answers[o.message];
  if (!(o.message in prompts.answers)) return Promise.resolve(byDefault);
  return Promise.resolve(Array.isArray(scripted) && o.message !== 'What do you want to monitor?' ? scripted.shift() : scripted);
});
vi.mock('@inquirer/input', () => ({ default: answer }));
vi.mock('@inquirer/select', () => ({ default: answer }));
vi.mock('@inquirer/checkbox', () => ({ default: answer }));
vi.mock('@inquirer/confirm', () => ({ default: answer }));

const registry = buildRegistry([...PROFILE_LIST, exampleProfile]);

/** The problems the spec reader reports, or [] when it accepts the document. */
function problemsOf(raw: unknown, reg = registry): string[] {
  try {
    readSpecDocument(raw, { registry: reg });
    return [];
  } catch (err) {
    if (!(err instanceof SpecError)) throw err;
    return err.problems.map((p) => `${p.key}: ${p.problem}`);
  }
}

describe('a profile added to the list', () => {
  it('has its section of fibre-stack.yml read by its own reader, defaults and all', () => {
    const { spec } = readSpecDocument({ version: 2, profiles: { example: [{ address: '10.0.0.7:6060' }, { node_name: 'n2' }], nodeos: {} } }, { registry });
    expect(spec.profiles).toEqual({
      nodeos: [{ node_name: 'localhost', url: 'http://127.0.0.1:8888' }],
      example: [{ node_name: 'localhost', address: '10.0.0.7:6060' }, { node_name: 'n2', address: '127.0.0.1:6060' }],
    });
    expect(problemsOf({ version: 2, profiles: { example: [{ node_name: 'n1' }, { node_name: 'n1' }] } })).toEqual([
      'profiles.example[1]: node name "n1" is also that of profiles.example[0]; each node of example needs its own name (node_name), its `node` label',
    ]);
    expect(problemsOf({ version: 2, profiles: { example: { address: 'nohost', colour: 1 } } })).toEqual([
      'profiles.example.colour: unknown key; allowed here: node_name, address',
      'profiles.example.address: got "nohost"; allowed: host:port, such as 10.0.0.5:9100',
    ]);
    expect(problemsOf({ version: 2, profiles: { dogecoin: {} } })).toEqual(['profiles.dogecoin: unknown key; allowed here: fibre, bitcoin-core, miner, nodeos, scrape, example']);
  });

  it('is refused by name where it is not in the registry', () => {
    expect(problemsOf({ version: 2, profiles: { example: {} } }, PROFILES)).toEqual(['profiles.example: unknown key; allowed here: fibre, bitcoin-core, miner, nodeos, scrape']);
  });

  it('brings its flag to create, beside the shared --node-name', async () => {
    const out = await new Promise<string>((resolve) => {
      yargs().wrap(null).command(createCommandFor(registry)).parse(['create', '--help'], (_err: unknown, _argv: unknown, output: string) => resolve(output));
    });
    expect(out).toContain('--example-address');
    expect(out).toContain('Example node metrics address, host:port');
    expect(out).toContain('What to monitor, comma-separated: fibre,bitcoin-core,miner,nodeos,scrape,example');
    expect(out.match(/--node-name/g)).toHaveLength(1);

    const args = { dir: '/tmp/x', profiles: ['example,fibre'], 'example-address': '10.0.0.7:6060', 'node-name': 'n1', yes: true, overwrite: false, dryRun: false, json: false };
    const { answers, given } = answersFromFlags(args, defaultAnswers('/tmp/x', registry), registry);
    expect([...given]).toEqual(['profiles', 'nodeName', 'exampleAddress']);
    const spec = specFromAnswers(answers, registry);
    expect((spec.profiles as Record<string, unknown>).example).toEqual([{ node_name: 'n1', address: '10.0.0.7:6060' }]);
    expect(spec.profiles.fibre?.[0].node_name).toBe('n1');

    // --node: a node of it by its own flags, over the others.
    const more = { ...args, node: ['example:node-name=n2,example-address=10.0.0.8:6060', 'example'] };
    const nodes = answersFromFlags(more, defaultAnswers('/tmp/x', registry), registry);
    expect((specFromAnswers(nodes.answers, registry).profiles as Record<string, unknown>).example).toEqual([
      { node_name: 'n2', address: '10.0.0.8:6060' },
      { node_name: 'n1', address: '10.0.0.7:6060' },
    ]);
  });

  describe('asks its question when chosen, once, in its place', () => {
    afterEach(() => {
      prompts.asked = [];
      prompts.answers = {};
    });

    it('after the profiles before it', async () => {
      const { promptAnswers } = await import('../cli/commands/create-prompts.js');
      prompts.answers = { 'What do you want to monitor?': ['fibre', 'example'], 'Example node metrics address (host:port)': '10.9.9.9:6060' };
      const a = await promptAnswers(defaultAnswers('/tmp/x', registry), new Set(), registry);
      expect(prompts.asked).toEqual([
        'What do you want to monitor?',
        'Run the stack in',
        'What is this stack in a fleet?',
        'Node name (the `node` label on its series)',
        'Path of the bitcoind binary',
        'bitcoind data folder (where debug.log is)',
        'Example node metrics address (host:port)',
        'Add another fibre node?',
        'Add another example node?',
        'Log agent',
        'Send alerts to (none: they stay in Alertmanager and Grafana)',
      ]);
      expect((specFromAnswers(a, registry).profiles as Record<string, unknown>).example).toEqual([{ node_name: 'localhost', address: '10.9.9.9:6060' }]);
    });

    it('for each node added, after "add another node?", with the first node\'s answers as defaults', async () => {
      const { promptAnswers } = await import('../cli/commands/create-prompts.js');
      prompts.answers = {
        'What do you want to monitor?': ['example'],
        'Node name (the `node` label on its series)': ['n1', 'n2'],
        'Example node metrics address (host:port)': ['10.9.9.9:6060', '10.9.9.8:6060'],
        'Add another example node?': [true, false],
      };
      const a = await promptAnswers(defaultAnswers('/tmp/x', registry), new Set(), registry);
      expect(prompts.asked.filter((m) => m.startsWith('Add another'))).toEqual(['Add another example node?', 'Add another example node?']);
      expect((specFromAnswers(a, registry).profiles as Record<string, unknown>).example).toEqual([
        { node_name: 'n1', address: '10.9.9.9:6060' },
        { node_name: 'n2', address: '10.9.9.8:6060' },
      ]);
    });

    it('not when another profile is chosen', async () => {
      const { promptAnswers } = await import('../cli/commands/create-prompts.js');
      prompts.answers = { 'What do you want to monitor?': ['nodeos'] };
      await promptAnswers(defaultAnswers('/tmp/x', registry), new Set(), registry);
      expect(prompts.asked).not.toContain('Example node metrics address (host:port)');
      expect(prompts.asked).toContain('Node name (the `node` label on its series)');
    });
  });

  it('reaches the stack: its scrape job and file_sd targets, its rule file, its dashboard', async () => {
    const spec = readSpecDocument({ version: 2, profiles: { example: [{ node_name: 'n1', address: 'localhost:6060' }, { node_name: 'n2', address: '10.0.0.8:6060' }] } }, { registry }).spec;
    const [dashboard] = await dashboardsFor(['example'], registry).then((ds) => ds.filter((d) => d.file === 'example.json'));
    const sources = loadPackageSources();
    const files = renderStack(spec, TEST_SECRETS, { ...sources, dashboards: { ...sources.dashboards, 'example.json': dashboardText(dashboard) }, profiles: registry });
    const prometheus = load(fileOf(files, 'prometheus/prometheus.yml')) as { scrape_configs: Record<string, unknown>[] };
    expect(prometheus.scrape_configs).toContainEqual({
      job_name: 'example',
      metrics_path: '/debug/metrics/prometheus',
      file_sd_configs: [{ files: ['targets/example.json'], refresh_interval: '30s' }],
    });
    // A localhost target is the host's, seen from the Prometheus container.
    // One job, each node a target of it with its own label.
    expect(JSON.parse(fileOf(files, 'prometheus/targets/example.json'))).toEqual([
      { targets: ['host.docker.internal:6060'], labels: { node: 'n1' } },
      { targets: ['10.0.0.8:6060'], labels: { node: 'n2' } },
    ]);
    expect(fileOf(files, 'docker-compose.yml')).toContain('host.docker.internal:host-gateway');
    expect(fileOf(files, 'prometheus/rules/example.yml')).toContain('alert: ExampleNodeDown');
    expect(JSON.parse(fileOf(files, 'grafana/dashboards/example.json'))).toMatchObject({ uid: 'fibre-stack-example', title: 'Example chain node' });
  });

  it('reaches what `fibre-stack dashboards` checks in: dashboard, rule file and runbook section', async () => {
    const artifacts = await checkedInArtifacts(registry);
    const paths = artifacts.map((a) => a.path);
    expect(paths).toEqual(expect.arrayContaining(['dashboards/example.json', 'rules/example.yml', 'docs/runbooks.md']));
    const runbooks = artifacts.find((a) => a.path === 'docs/runbooks.md')!.content;
    expect(runbooks).toContain('## Example chain node\n\n### ExampleNodeDown\n');
    // In registry order: after the real profiles' sections, before the stack's own.
    expect(runbooks.indexOf('### ExampleNodeDown')).toBeGreaterThan(runbooks.indexOf('### ScrapeTargetDown'));
    expect(runbooks.indexOf('### ExampleNodeDown')).toBeLessThan(runbooks.indexOf('## The stack itself'));
  });
});

describe('the registry refuses', () => {
  const renamed = (changes: Partial<ProfileDef>): ProfileDef => ({ ...exampleProfile, id: 'example-2', ...changes });

  it('two profiles of one id', () => {
    expect(() => buildRegistry([...PROFILE_LIST, exampleProfile, exampleProfile])).toThrow('two profiles are called example');
  });

  it('two questions of one key or flag that are not the same question', () => {
    const copy = { ...exampleProfile.questions.asks[1] };
    expect(() => buildRegistry([exampleProfile, renamed({ questions: { ...exampleProfile.questions, asks: [copy] } })])).toThrow(/question exampleAddress \(--example-address\) is another profile's/);
  });

  it('two exporters of one service', () => {
    const miner = PROFILE_LIST[2];
    expect(() => buildRegistry([miner, renamed({ exporter: miner.exporter })])).toThrow('example-2: exporter service miner-exporter is another profile\'s');
  });
});
