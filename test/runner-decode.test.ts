import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Chart, Duration, Testing } from 'cdk8s';
import { parse } from 'smol-toml';
import {
  Decoded, decode, decoderAvailable, decoderProblem, DECODER_VERSIONS, NASTY_TOKENS, runInitScript,
} from './runner-decode';
import { seedFleet } from '../examples/seed-fleet/fleet';
import * as lib from '../src';
import {
  DindService, DnsConfig, DnsPolicy, JobPodTemplate, JobService, PullPolicy, RunnerManager, RunnerToken,
} from '../src';
import { renderRunnersToml } from '../src/internal/render/config-toml';
import { compareVersions, featureFlagStatus, keysUnknownTo, keySince } from '../src/internal/runner/version';
import { TaintEffect } from '../src/model/taint-effect';

// Conformance with GitLab Runner's own config loading: every fleet's effective config.toml (the ConfigMap's copy as
// the init container writes it, with a test token) and its Helm runners.config are decoded by
// ../shared/tools/runner-decode with the config types and TOML library of the runner version the fleet declares, and
// must decode with no ignored key, no error, and the token as given. The decoder needs Go: without it this suite fails
// in CI (CI=true) and is left out with a warning elsewhere. The first decode per version builds the decoder (~20 s).

/** One fleet to decode: its chart and the runner version its managers declare. */
interface Fleet {
  readonly name: string;
  readonly chart: Chart;
}

/** The fleet of test/consumer-app, a plain-JavaScript cdk8s app, loaded against this library's sources. */
function consumerFleet(): Chart {
  const file = path.join(__dirname, 'consumer-app', 'fleet.js');
  const mod = { exports: {} as any };
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const load = (id: string) => (id === 'cdk8s-gitlab-runner' ? lib : require(id));
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  new Function('require', 'module', 'exports', fs.readFileSync(file, 'utf8'))(load, mod, mod.exports);
  return mod.exports.declareFleet(Testing.app());
}

/** Escape-hatch keys of [runners.kubernetes], each valid from the version in the reference (keySince). */
const ESCAPE_HATCH: Record<string, unknown> = {
  poll_interval: 5,
  cleanup_resources_timeout: '10m',
  priority_class_name: 'ci-jobs',
  cap_drop: ['NET_RAW'],
  retry_limits: { 'connection refused': 3 },
  image_pull_secrets: ['registry-credentials'],
  print_pod_warning_events: true,
  resource_availability_check_max_attempts: 3,
  allowed_users: ['1000'],
  pod_disruption_budget: true,
  pod_security_context: { run_as_non_root: true, run_as_user: 1000, fs_group: 1000, seccomp_profile: { type: 'RuntimeDefault' } },
  build_container_security_context: { allow_privilege_escalation: false, capabilities: { drop: ['ALL'] } },
  host_aliases: [{ ip: '10.0.0.10', hostnames: ['cache.internal'] }],
  volumes: {
    empty_dir: [{ name: 'scratch', mount_path: '/scratch', medium: 'Memory', size_limit: '1Gi' }],
    config_map: [{ name: 'ca', mount_path: '/ca', read_only: true }],
    nfs: [{ name: 'cache', server: 'nfs.example.com', path: '/cache', mount_path: '/cache' }],
  },
  affinity: { node_affinity: { required_during_scheduling_ignored_during_execution: { node_selector_terms: [{ match_expressions: [{ key: 'pool', operator: 'In', values: ['ci'] }] }] } } },
};

/** The escape hatch without what `version` does not know, so the fleet is valid there. */
function escapeHatchFor(version: string): Record<string, unknown> {
  const wrapped = { runners: [{ kubernetes: JSON.parse(JSON.stringify(ESCAPE_HATCH)) }] };
  for (const key of keysUnknownTo(version, wrapped)) {
    const steps = key.at.split('.').slice(1).flatMap((s) => s.split(/\[(\d+)\]/).filter((x) => x !== ''));
    let node: any = wrapped.runners[0];
    for (const step of steps.slice(0, -1)) node = node[step];
    delete node[steps[steps.length - 1]];
  }
  return wrapped.runners[0].kubernetes;
}

/** A fleet on `version` using every typed prop, or only the defaults. */
function matrixFleet(version: string, variant: 'defaults' | 'everything'): Chart {
  const chart = new Chart(Testing.app(), `m-${version.replace(/\./g, '-')}-${variant}`, { namespace: 'ci' });
  const image = `registry.example.com/gitlab/gitlab-runner:alpine-v${version}`;
  if (variant === 'defaults') {
    new RunnerManager(chart, 'Runner', { gitlabUrl: 'https://gitlab.example.com/', token: RunnerToken.fromSecret('t'), jobPod: new JobPodTemplate(chart, 'Jobs'), image });
    return chart;
  }
  const resources = {
    cpu: { request: '250m', limit: '1', maxRequest: '500m', maxLimit: '2' },
    memory: { request: '256Mi', limit: '1Gi', maxRequest: '512Mi', maxLimit: '2Gi' },
    ephemeralStorage: { request: '1Gi', limit: '10Gi', maxRequest: '2Gi', maxLimit: '20Gi' },
  };
  const dns = new DnsConfig(chart, 'Dns', { policy: DnsPolicy.NONE, nameservers: ['10.0.0.2'], searches: ['ci.svc.cluster.local'], options: [{ name: 'ndots', value: '2' }, { name: 'edns0' }] });
  const dind = new DindService(chart, 'Dind', { image: 'registry.example.com/docker:27-dind', alias: 'dockerd', tls: true, mtu: 1450, registryMirrors: ['https://mirror.example.com'], resources });
  const postgres = new JobService(chart, 'Postgres', { image: 'registry.example.com/postgres:16', alias: 'postgres', command: ['postgres', '-c', 'fsync=off'], environment: { POSTGRES_PASSWORD: 'ci' }, port: 5432, resources });
  const jobs = new JobPodTemplate(chart, 'Jobs', {
    namespace: 'ci-jobs',
    image: 'registry.example.com/alpine:3.20',
    buildResources: resources,
    helper: { image: `registry.example.com/gitlab/gitlab-runner-helper:x86_64-v${version}`, resources },
    serviceResources: resources,
    services: [dind, postgres],
    dns,
    pullPolicy: [PullPolicy.IF_NOT_PRESENT, PullPolicy.ALWAYS],
    allowedPullPolicies: [PullPolicy.ALWAYS, PullPolicy.IF_NOT_PRESENT],
    nodeSelector: { 'kubernetes.io/arch': 'amd64' },
    tolerations: [{ key: 'dedicated', value: 'ci', effect: TaintEffect.NO_SCHEDULE }, { key: 'example.com/any' }],
    podLabels: { team: 'platform' },
    podAnnotations: { 'example.com/cost-center': 'ci' },
    pollTimeout: Duration.minutes(10),
    serviceAccountName: 'ci-job',
    extraConfig: escapeHatchFor(version),
  });
  new RunnerManager(chart, 'Runner', {
    gitlabUrl: 'https://gitlab.example.com/',
    token: RunnerToken.fromSecret('ci-runner-token', 'token'),
    jobPod: jobs,
    image,
    replicas: 2,
    concurrent: 8,
    limit: 8,
    requestConcurrency: 4,
    checkInterval: Duration.seconds(5),
    shutdownTimeout: Duration.seconds(60),
    environment: { GIT_DEPTH: '20' },
    // FF_CONCRETE came with 18.11.0.
    featureFlags: { FF_PRINT_POD_EVENTS: true, FF_USE_LEGACY_KUBERNETES_EXECUTION_STRATEGY: false, FF_TIMESTAMPS: true, ...(version === '19.4.0' ? { FF_CONCRETE: false } : {}) },
    metricsPort: 9400,
    metricsService: true,
  });
  return chart;
}

const FLEETS: Fleet[] = [
  { name: 'the example (examples/seed-fleet)', chart: seedFleet(Testing.app()) },
  { name: 'the consumer test\'s fleet (test/consumer-app)', chart: consumerFleet() },
  ...DECODER_VERSIONS.flatMap((v) => (['defaults', 'everything'] as const).map((variant) => ({ name: `a ${v} fleet with ${variant}`, chart: matrixFleet(v, variant) }))),
];

const managersOf = (chart: Chart) => chart.node.findAll().filter((c): c is RunnerManager => c instanceof RunnerManager);

describe('the decoder check itself', () => {
  test('a missing decoder fails in CI and is a warning elsewhere', () => {
    const missing = path.join(__dirname, 'no-such-run.sh');
    expect(decoderProblem({ PATH: process.env.PATH }, missing)).toMatch(/no-such-run\.sh is missing/);
    expect(() => decoderAvailable({ CI: 'true', PATH: process.env.PATH }, missing)).toThrow(/CI must run the runner conformance checks/);
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      expect(decoderAvailable({ PATH: process.env.PATH }, missing)).toBe(false);
      expect(warn).toHaveBeenCalledWith(expect.stringContaining('runner-decode checks not run'));
    } finally {
      warn.mockRestore();
    }
  });

  test('Go missing from PATH is a problem', () => {
    expect(decoderProblem({ PATH: '/nonexistent' })).toMatch(/Go is not installed/);
  });

  test('every fleet runs a runner version the decoder has, and all three versions are covered', () => {
    const versions = FLEETS.flatMap((f) => managersOf(f.chart).map((m) => m.runnerVersion));
    expect(versions.every((v) => (DECODER_VERSIONS as readonly string[]).includes(v))).toBe(true);
    expect(new Set(versions)).toEqual(new Set(DECODER_VERSIONS));
  });
});

// Throws (the suite fails) in CI when Go or the decoder is missing; elsewhere the checks below are left out with a warning.
if (decoderAvailable(process.env)) {
  interface Case {
    readonly fleet: string;
    readonly manager: RunnerManager;
    readonly token: string;
    readonly effective: string;
    readonly template: string;
  }
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'runner-decode-'));
  const cases: Case[] = [];
  const effective = new Map<string, Decoded>();
  const templates = new Map<string, Decoded>();
  const older = new Map<string, Map<string, Decoded>>();
  let richest: string;

  beforeAll(() => {
    FLEETS.forEach((fleet, i) => {
      const manifests = Testing.synth(fleet.chart);
      for (const manager of managersOf(fleet.chart)) {
        const dir = fs.mkdtempSync(path.join(work, `${i}-`));
        const deployment = manifests.find((o) => o.kind === 'Deployment' && o.metadata.name === manager.name);
        const configMap = manifests.find((o) => o.kind === 'ConfigMap' && o.metadata.name === `${manager.name}-config`);
        const token = NASTY_TOKENS[cases.length % NASTY_TOKENS.length][1];
        const run = runInitScript(deployment, configMap.data['config.toml'], token, dir);
        if (run.status !== 0) throw new Error(`the init script failed for ${fleet.name}: ${run.stderr}`);
        const file = path.join(work, `${cases.length}-${manager.runnerVersion}.toml`);
        fs.copyFileSync(run.configFile, file);
        const template = path.join(work, `${cases.length}-${manager.runnerVersion}-runners-config.toml`);
        fs.writeFileSync(template, renderRunnersToml(manager._toModel()));
        cases.push({ fleet: fleet.name, manager, token, effective: file, template });
      }
    });
    for (const version of DECODER_VERSIONS) {
      const mine = cases.filter((c) => c.manager.runnerVersion === version);
      const tomls = mine.map((c) => c.effective);
      // The richest 19.4.0 config also goes through the older decoders: what they ignore must be what keysUnknownTo says.
      richest = cases.find((c) => c.manager.runnerVersion === '19.4.0' && c.fleet.endsWith('everything'))!.effective;
      const extra = version === '19.4.0' ? [] : [richest];
      const all = decode(version, [...tomls, ...extra]);
      for (const f of tomls) effective.set(f, all.get(f)!);
      if (extra.length) older.set(version, new Map([[richest, all.get(richest)!]]));
      for (const [f, d] of decode(version, mine.map((c) => c.template), { template: true })) templates.set(f, d);
    }
  }, 600_000);

  afterAll(() => { fs.rmSync(work, { recursive: true, force: true }); });

  describe.each(FLEETS.map((f) => f.name))('%s', (name) => {
    test('the effective config.toml decodes with the runner\'s own types of its version: no ignored key, no error, the token as written', () => {
      const mine = cases.filter((c) => c.fleet === name);
      expect(mine.length).toBeGreaterThan(0);
      for (const c of mine) {
        const d = effective.get(c.effective)!;
        // A token that really holds `$NAME` is flagged by the decoder before 18.10.0 (it would be sent literally);
        // here literally is what is meant, and the view below shows the runner reads exactly that.
        const problems = d.problems.filter((p) => !(c.token.includes('$') && p.startsWith('UNEXPANDED runners[0].token = ')));
        expect(problems).toEqual([]);
        expect(d.result).toMatch(new RegExp(`: ${d.problems.length} problem\\(s\\), \\d+ key\\(s\\) decoded \\(GitLab Runner ${c.manager.runnerVersion.replace(/\./g, '\\.')}\\)$`));
        expect(d.view.runners).toHaveLength(1);
        expect(d.view.runners[0].token).toBe(c.token);
        expect(d.view.concurrent).toBe(c.manager.concurrent);
      }
    });

    test('its Helm runners.config decodes as a --template-config of that version', () => {
      for (const c of cases.filter((x) => x.fleet === name)) {
        const d = templates.get(c.template)!;
        expect(d.problems).toEqual([]);
        expect(d.result).toMatch(/: 0 problem\(s\)/);
      }
    });
  });

  test('the example decodes with runner 18.3.0, the version of its image tag', () => {
    const c = cases.find((x) => x.fleet.startsWith('the example'))!;
    expect(c.manager.runnerVersion).toBe('18.3.0');
    expect(effective.get(c.effective)!.result).toMatch(/\(GitLab Runner 18\.3\.0\)$/);
  });

  test.each(DECODER_VERSIONS.filter((v) => v !== '19.4.0'))('what runner %s ignores of a 19.4.0 config is what the library\'s version table says', (version) => {
    const d = older.get(version)!.get(richest)!;
    const view = parse(fs.readFileSync(richest, 'utf8')) as any;
    // A key the library's table lists is reported as a whole; the decoder lists it and each key below it.
    const ours = keysUnknownTo(version, view).map((k) => k.keyPath);
    const undecoded = d.problems.filter((p) => p.startsWith('UNDECODED ')).map((p) => p.slice('UNDECODED '.length));
    expect(ours.length).toBeGreaterThan(0);
    for (const key of ours) expect(undecoded).toContainEqual(expect.stringMatching(new RegExp(`^${key.replace(/\./g, '\\.')}( |$)`)));
    for (const line of undecoded) {
      const key = line.split(' ')[0];
      // BurntSushi/toml v1.4.0 (runner 18.3.0) names undecoded keys of nested arrays of tables after the table's
      // last key, so only the table's path is trustworthy there.
      const trusted = line.includes('(reported') ? key.slice(0, key.lastIndexOf('.')) : key;
      expect(ours.some((k) => trusted === k || trusted.startsWith(`${k}.`) || k.startsWith(`${trusted}.`))).toBe(true);
    }
    const ignoredFlags = d.problems.filter((p) => p.startsWith('IGNORED ')).map((p) => /feature_flags\.(\w+)/.exec(p)![1]);
    expect(ignoredFlags).toEqual(Object.keys(view.runners[0].feature_flags ?? {}).filter((f) => featureFlagStatus(version, f).status !== 'ok' && featureFlagStatus(version, f).status !== 'deprecated'));
  });

  test('the richest fleet holds keys and a flag newer than 18.9.0, so the comparison above means something', () => {
    expect(featureFlagStatus('18.9.0', 'FF_CONCRETE').status).toBe('notYet');
    expect(Object.keys(ESCAPE_HATCH).filter((k) => compareVersions(keySince(`runners.kubernetes.${k}`) ?? '17.0.0', '18.9.0') > 0)).toContain('pod_disruption_budget');
  });
}
