import * as fs from 'fs';
import * as path from 'path';
import { App, Chart, Duration, Testing } from 'cdk8s';
import { CI_CLUSTER, seedFleet, SEED_DOCUMENT_CLUSTER } from '../examples/seed-fleet/fleet';
import { FleetSynth, JobPodTemplate, NodePool, ResourceBudget, ResourceBudgetProps, Rules, RunnerManager, RunnerManagerProps, RunnerToken, Severity } from '../src';
import { q } from './capacity-fixtures';
import { declared } from './declared';
import { refusalReportDir } from '../src/fleet/capacity-refusal';
import { capacityReportFiles, reviewFiles } from '../src/fleet/review-files';
import { withAcknowledgements } from '../src/internal/rules/acknowledgements';
import { CAPACITY_RULE_LIST } from '../src/internal/rules/capacity-rules';
import { formatFinding } from '../src/model/finding';
import { TaintEffect } from '../src/model/taint-effect';

const SEED_JOBS = {
  buildResources: { cpu: { request: '500m', limit: '2' }, memory: { request: '512Mi', limit: '2Gi' } },
  helper: { resources: { cpu: { limit: '500m' }, memory: { limit: '512Mi' } } },
  serviceResources: { cpu: { request: '500m', limit: '2' }, memory: { request: '512Mi', limit: '2Gi' } },
};

function runner(chart: Chart, id: string, props: Partial<RunnerManagerProps> = {}): RunnerManager {
  return new RunnerManager(chart, id, {
    gitlabUrl: 'https://gitlab.example.com/',
    token: RunnerToken.fromSecret('runner-token', 'token'),
    jobPod: props.jobPod ?? new JobPodTemplate(chart, `${id}Jobs`, SEED_JOBS),
    ...props,
  });
}

/** The error the construct throws for `props`, or a failure if it does not throw. */
function thrown(props: ResourceBudgetProps): string {
  const chart = Testing.chart();
  try {
    declared(() => new ResourceBudget(chart, 'Budget', props));
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected the budget to refuse its props');
}

const pool = (p: Partial<NodePool> = {}): NodePool => ({ name: 'ci', nodes: 3, allocatable: { cpu: '8', memory: '32Gi' }, ...p });

/** Captures what FleetSynth prints, without letting it set the test process's exit code. */
function fleetSynth(app: App) {
  const out: string[] = [];
  const spy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: any) => {
    out.push(String(chunk));
    return true;
  });
  const exitCode = process.exitCode;
  try {
    return { result: FleetSynth.synth(app), stderr: out.join('') };
  } finally {
    process.exitCode = exitCode;
    spy.mockRestore();
  }
}

describe('construct', () => {
  test('allocatable is capacity minus system, kube and eviction reservations', () => {
    const budget = new ResourceBudget(Testing.chart(), 'Budget', {
      nodePools: [{
        name: 'ci',
        nodes: 4,
        capacity: { cpu: '16', memory: '64Gi', ephemeralStorage: '100Gi' },
        reserved: { systemReserved: { cpu: '100m', memory: '1Gi' }, kubeReserved: { cpu: '80m', memory: '1536Mi' }, evictionHard: { memory: '100Mi', ephemeralStorage: '10Gi' } },
        daemonSets: { cpu: '350m', memory: '512Mi', pods: 4 },
      }],
    });
    const [p] = budget._toModel().pools;
    expect(p.allocatable).toEqual({ cpu: q('15.82'), memory: q('62364Mi') + q('512Mi'), ephemeralStorage: q('90Gi') });
    expect(p).toMatchObject({ declaredAs: 'capacity', reservedDeclared: true, daemonSetPods: 4, maxPods: 110 });
    expect(budget.nodePools).toHaveLength(1);
  });

  test('an autoscaling pool keeps min, max and its current count; nodes default to minNodes', () => {
    const budget = new ResourceBudget(Testing.chart(), 'Budget', { nodePools: [pool({ nodes: undefined, minNodes: 1, maxNodes: 10 })] });
    expect(budget._toModel().pools[0]).toMatchObject({ nodes: 1, minNodes: 1, maxNodes: 10 });
  });

  test('a manager keeps its budget; several managers share one', () => {
    const chart = Testing.chart();
    const budget = new ResourceBudget(chart, 'Budget', { nodePools: [pool({ nodes: 10 })] });
    const a = runner(chart, 'A', { budget, concurrent: 4 });
    const b = runner(chart, 'B', { budget, concurrent: 4 });
    runner(chart, 'C');
    expect(a.budget).toBe(budget);
    expect(budget._managers()).toEqual([a._toModel(), b._toModel()]);
    expect(budget._evaluate().evaluation.managers.map((m) => m.path)).toEqual(['test/A', 'test/B']);
  });

  test('a manager without a budget gets warning CAP012', () => {
    const chart = Testing.chart();
    const m = runner(chart, 'Runner', { replicas: 2, concurrent: 5 });
    const [w] = m._findings().filter((f) => f.ruleId === 'CAP012');
    expect(w).toMatchObject({ severity: Severity.WARNING, path: 'test/Runner', field: 'budget' });
    expect(w.message).toContain('the 10 job slots');
    const budgeted = runner(chart, 'Budgeted', { budget: new ResourceBudget(chart, 'Budget', { nodePools: [pool()] }) });
    expect(budgeted._findings().filter((f) => f.ruleId === 'CAP012')).toEqual([]);
  });

  test('_facts: autoscaling, provisioning time, architectures and MTU of the pools a manager\'s job pods may use', () => {
    const chart = Testing.chart();
    const budget = new ResourceBudget(chart, 'Budget', {
      podNetworkMtu: 1450,
      nodePools: [
        pool({ name: 'amd', labels: { 'kubernetes.io/arch': 'amd64' } }),
        pool({ name: 'arm', nodes: undefined, maxNodes: 5, labels: { 'kubernetes.io/arch': 'arm64' }, provisioningTime: Duration.minutes(4) }),
        pool({ name: 'gpu', taints: [{ key: 'nvidia.com/gpu', effect: TaintEffect.NO_SCHEDULE }], provisioningTime: Duration.minutes(9) }),
      ],
    });
    const amdOnly = runner(chart, 'Amd', { budget, jobPod: new JobPodTemplate(chart, 'AmdJobs', { ...SEED_JOBS, nodeSelector: { 'kubernetes.io/arch': 'amd64' } }) });
    const any = runner(chart, 'Any', { budget });
    expect(budget._facts(amdOnly._toModel())).toEqual({ path: 'test/Budget', autoscaling: false, nodeProvisioningSeconds: undefined, architectures: ['amd64'], podNetworkMtu: 1450 });
    expect(budget._facts(any._toModel())).toEqual({ path: 'test/Budget', autoscaling: true, nodeProvisioningSeconds: 240, architectures: ['amd64', 'arm64'], podNetworkMtu: 1450 });
    expect(budget._facts()).toMatchObject({ autoscaling: true, nodeProvisioningSeconds: 540 });
  });
});

describe('bad input', () => {
  test('every problem of the budget is listed at once, naming the budget, the pool and the field', () => {
    const message = thrown({
      nodePools: [
        pool({ nodes: 0 }),
        pool({ name: 'ci', nodes: -2, allocatable: { cpu: 'eight', memory: '32Gi' } }),
        pool({ name: 'auto', nodes: undefined, minNodes: 5, maxNodes: 3 }),
        pool({ name: 'tainted', taints: [{ key: 'dedicated', effect: 'NoWay' as TaintEffect }] }),
      ],
    });
    const lines = message.split('\n').slice(1).map((l) => l.trim());
    expect(lines).toEqual([
      "[test/Budget] nodePools[0].nodes: pool 'ci': 0 is not a whole number of at least 1. Fix: give how many nodes the pool has, or leave an empty pool out.",
      "[test/Budget] nodePools[1].nodes: pool 'ci': -2 is not a whole number of at least 1. Fix: give how many nodes the pool has, or leave an empty pool out.",
      "[test/Budget] nodePools[1].allocatable.cpu: pool 'ci': 'eight' is not a non-negative Kubernetes quantity. Fix: write cores or millicores, e.g. '8', '7.5' or '7910m'.",
      "[test/Budget] nodePools[1].name: pool 'ci' is declared twice (also nodePools[0]); reports and fixes name pools, so names must be unique. Fix: give each pool its own name, or merge the two.",
      "[test/Budget] nodePools[2].minNodes: pool 'auto': minNodes 5 is above maxNodes 3. Fix: lower minNodes to at most 3, or raise maxNodes.",
      "[test/Budget] nodePools[3].taints[0].effect: pool 'tainted': 'NoWay' is not a taint effect. Fix: use TaintEffect.NO_SCHEDULE, PREFER_NO_SCHEDULE or NO_EXECUTE.",
    ]);
  });

  test('a pool with nothing left after reservations or DaemonSets', () => {
    expect(thrown({ nodePools: [pool({ allocatable: undefined, capacity: { cpu: '2', memory: '8Gi' }, reserved: { systemReserved: { cpu: '1' }, kubeReserved: { cpu: '1000m' } } })] }))
      .toContain("[test/Budget] nodePools[0].reserved: pool 'ci': reservations ('2' cpu) leave nothing of the node's '2'.");
    expect(thrown({ nodePools: [pool({ daemonSets: { memory: '32Gi' } })] }))
      .toContain("nodePools[0].daemonSets.memory: pool 'ci': DaemonSets request '32Gi' memory, all of the node's allocatable '32Gi'; nothing is left for job pods.");
    expect(thrown({ nodePools: [pool({ maxPods: 17, daemonSets: { pods: 17 } })] }))
      .toContain("nodePools[0].daemonSets.pods: pool 'ci': 17 DaemonSet pods take all 17 pod slots of a node");
  });

  test('capacity and allocatable: exactly one, with cpu and memory; reserved only with capacity', () => {
    expect(thrown({ nodePools: [pool({ allocatable: undefined })] })).toContain("nodePools[0].allocatable: pool 'ci': neither capacity nor allocatable is given.");
    expect(thrown({ nodePools: [pool({ capacity: { cpu: '8', memory: '32Gi' } })] })).toContain("pool 'ci': both capacity and allocatable are given.");
    expect(thrown({ nodePools: [pool({ allocatable: { cpu: '8' } as any })] })).toContain("nodePools[0].allocatable.memory: pool 'ci': memory is missing.");
    expect(thrown({ nodePools: [pool({ reserved: { systemReserved: { cpu: '1' } } })] })).toContain('nodePools[0].reserved: pool \'ci\': reserved is subtracted from capacity');
    expect(thrown({ nodePools: [pool({ allocatable: undefined, capacity: { cpu: '8', memory: '32Gi' }, reserved: { evictionHard: { cpu: '1' } as any } })] }))
      .toContain('nodePools[0].reserved.evictionHard.cpu: pool \'ci\': the kubelet has no CPU eviction threshold.');
  });

  test('counts, names, labels, taints, and budget-wide settings', () => {
    const message = thrown({
      nodePools: [
        pool({ name: 'bad name', maxPods: 0, daemonSets: { pods: 1.5 }, labels: { 'bad key!': 'x' }, taints: [{ key: '', value: 'a b', effect: TaintEffect.NO_SCHEDULE }] }),
        pool({ name: 'fixed', minNodes: 1 }),
        pool({ name: 'missing', nodes: undefined }),
        pool({ name: 'outside', nodes: 9, maxNodes: 4 }),
        pool({ name: 'slow', provisioningTime: Duration.seconds(0) }),
      ],
      cpuLimitOvercommitRatio: 0.5,
      podNetworkMtu: 100,
      runtimeClasses: [{ name: 'gvisor', cpu: 'x' }, { name: 'gvisor' }, { name: 'Bad_Name' }],
    });
    for (const field of [
      'nodePools[0].name', 'nodePools[0].maxPods', 'nodePools[0].daemonSets.pods', 'nodePools[0].labels.bad key!', 'nodePools[0].taints[0].key',
      'nodePools[0].taints[0].value', 'nodePools[1].minNodes', 'nodePools[2].nodes', 'nodePools[3].nodes', 'nodePools[4].provisioningTime',
      'cpuLimitOvercommitRatio', 'podNetworkMtu', 'runtimeClasses[0].cpu', 'runtimeClasses[1].name', 'runtimeClasses[2].name',
    ]) {
      expect(message).toContain(`[test/Budget] ${field}: `);
    }
    expect(thrown({ nodePools: [] })).toContain('[test/Budget] nodePools: the budget declares no node pool');
  });
});

describe('validation', () => {
  const smallCluster = () => {
    const app = Testing.app();
    const chart = seedFleet(app, SEED_DOCUMENT_CLUSTER);
    return { app, chart };
  };

  test("the seed's own cluster fails Testing.synth and app.synth(), naming both numbers", () => {
    const { app, chart } = smallCluster();
    expect(() => Testing.synth(chart)).toThrow(/CAP003 \[gitlab-runner\/Runner\] concurrent: 3 replicas × concurrent 10 = 30 job slots, but only 15 job pods fit/);
    expect(() => app.synth()).toThrow(/Validation failed[\s\S]*\[gitlab-runner\/Cluster\] CAP003/);
  });

  test('FleetSynth refuses the seed\'s cluster, writes nothing, and prints the error with its fix', () => {
    const { app } = smallCluster();
    const { result, stderr } = fleetSynth(app);
    expect(result.written).toBe(false);
    expect(fs.readdirSync(app.outdir)).toEqual([]);
    const errors = result.findings.filter((f) => f.severity === Severity.ERROR);
    expect(errors.map((f) => f.ruleId)).toEqual(['CAP003']);
    expect(stderr).toContain(`error CAP003 ${formatFinding(errors[0])}`);
    expect(errors[0].fix).toBe("lower concurrent to 5 (3 × 5 = 15 slots), or add 3 nodes to pool 'workers' (3 → 6), each fitting 5 of these job pods.");
    expect(stderr).toMatch(/warning CAP005 \[gitlab-runner\/Cluster\] nodePools: .*\(24 cpu ÷ 4\.5 per pod = 5 jobs\) overstates the per-node fit \(3\)/);
  });

  test('a refusal writes the capacity report beside dist/ and prints the capacity section; the next passing synth removes it', () => {
    const { app } = smallCluster();
    const dir = refusalReportDir(app.outdir);
    try {
      const { result, stderr } = fleetSynth(app);
      expect(result.written).toBe(false);
      expect(fs.readdirSync(app.outdir)).toEqual([]);
      expect(fs.readdirSync(dir).sort()).toEqual(['capacity-report.json', 'capacity-report.md', 'capacity-report.svg']);
      expect(stderr).toContain('budget gitlab-runner/Cluster: 1 manager(s), 30 job slots, 15 placed; 1 manager(s) short of nodes (placement: does not fit).');
      expect(stderr).toContain('gitlab-runner/Runner: 30 job slots, 15 placed, 15 Pending (15 schedulable with the budget to itself)');
      expect(stderr).toContain(`Full capacity report (Markdown, JSON, SVG): ${dir}${path.sep}`);
      const report = JSON.parse(fs.readFileSync(path.join(dir, 'capacity-report.json'), 'utf-8'));
      expect(report.budgets[0].managers[0]).toMatchObject({ verdict: 'does not fit', placed: 15, unplaced: 15 });
      expect(report.budgets[0].findings.map((f: { ruleId: string }) => f.ruleId)).toContain('CAP003');
      expect(fs.readFileSync(path.join(dir, 'capacity-report.md'), 'utf-8')).toContain('**does not fit**: 15 jobs Pending');
      const passing = new App({ outdir: app.outdir });
      seedFleet(passing);
      expect(fleetSynth(passing).result.written).toBe(true);
      expect(fs.existsSync(dir)).toBe(false);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the example fleet fits its declared cluster: synth writes the manifests and the capacity report', () => {
    const app = Testing.app();
    seedFleet(app);
    const { result } = fleetSynth(app);
    expect(result.findings.filter((f) => f.ruleId.startsWith('CAP'))).toEqual([]);
    expect(result.written).toBe(true);
    expect(fs.readdirSync(app.outdir)).toEqual(expect.arrayContaining(['capacity-report.json', 'capacity-report.md', 'capacity-report.svg']));
    const report = JSON.parse(fs.readFileSync(path.join(app.outdir, 'capacity-report.json'), 'utf-8'));
    expect(report.budgets[0].managers[0]).toMatchObject({ path: 'gitlab-runner/Runner', schedulable: 40, guaranteedByLimits: null, placed: 30, unplaced: 0, verdict: 'fits' });
    // The CI pool declares ephemeral storage and no job container limits it: nothing is guaranteed, and the report says why.
    expect(report.budgets[0].managers[0].guaranteedByLimitsUnbounded).toBe('ephemeral storage is unbounded (no limit on build, helper, docker, init-permissions)');
    expect(CI_CLUSTER.nodePools.map((p) => p.name)).toEqual(['system', 'ci']);
  });

  test('with two budgets, the first writes one report covering both', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'fleet');
    const east = new ResourceBudget(chart, 'East', { nodePools: [pool({ name: 'east', nodes: 6 })] });
    const west = new ResourceBudget(chart, 'West', { nodePools: [pool({ name: 'west', nodes: 6 })] });
    runner(chart, 'A', { budget: east, concurrent: 5 });
    runner(chart, 'B', { budget: west, concurrent: 5 });
    // FleetSynth assembles the report once, at the first budget.
    const all = reviewFiles(app.node.findAll(), []);
    expect(all.filter((f) => f.source === west)).toEqual([]);
    const files = all.filter((f) => f.source === east).map((f) => f.file);
    expect(files.map((f) => f.fileName)).toEqual(['capacity-report.md', 'capacity-report.json', 'capacity-report.svg']);
    const md = files[0].content;
    expect(md).toContain('## Budget `fleet/East`');
    expect(md.indexOf('## Budget `fleet/East`')).toBeLessThan(md.indexOf('## Budget `fleet/West`'));
    expect(md).toContain('## Budget `fleet/West`');
    const { result } = fleetSynth(app);
    expect(result.written).toBe(true);
    const written = fs.readFileSync(path.join(app.outdir, 'capacity-report.md'), 'utf-8');
    expect(written).toBe(capacityReportFiles([east, west], result.findings)[0].content);
    expect(written.match(/^## Budget /gm)).toHaveLength(2);
  });

  test('an error finding from a shared budget fails synth even when only one of its managers overflows', () => {
    const chart = Testing.chart();
    const budget = new ResourceBudget(chart, 'Budget', { nodePools: [pool({ nodes: 2 })] });
    // Job pods of 1 CPU (build 500m + helper 500m): 8 per node, 16 in all, for 10 + 8 slots.
    runner(chart, 'Fits', { budget, concurrent: 10 });
    runner(chart, 'Overflows', { budget, concurrent: 8 });
    expect(() => Testing.synth(chart)).toThrow(/CAP003 \[test\/Overflows\] concurrent: 1 replica × concurrent 8 = 8 job slots, but only 6 job pods fit on budget test\/Budget \(10 fewer than its pools hold alone/);
  });
});

describe('acknowledging capacity warnings', () => {
  test('CAP013 can be acknowledged on the manager it names; capacity errors cannot', () => {
    const chart = Testing.chart();
    const budget = new ResourceBudget(chart, 'Budget', { nodePools: [pool({ nodes: 2 })] });
    const r = runner(chart, 'Runner', { budget, concurrent: 4 });
    expect(() => declared(() => Rules.acknowledge(r, 'CAP003', 'we know'), chart)).toThrow(/CAP003 is an error, and errors cannot be acknowledged/);
    Rules.acknowledge(r, 'CAP013', 'packing checked by hand');
    const finding = { ruleId: 'CAP013', severity: Severity.WARNING, path: r.node.path, field: 'concurrent', message: 'undecided.', fix: 'check.' };
    expect(withAcknowledgements(chart, [finding])[0].message).toBe('undecided. (acknowledged: packing checked by hand)');
  });
});

describe('docs/capacity.md', () => {
  test("quotes the seed cluster's error exactly as synth prints it", () => {
    const app = Testing.app();
    seedFleet(app, SEED_DOCUMENT_CLUSTER);
    const { result } = fleetSynth(app);
    const error = result.findings.find((f) => f.ruleId === 'CAP003')!;
    const readme = fs.readFileSync(path.join(__dirname, '..', 'docs', 'capacity.md'), 'utf-8');
    const section = readme.slice(readme.indexOf('<!-- capacity:start -->'), readme.indexOf('<!-- capacity:end -->'));
    expect(section).toContain(`error CAP003 ${formatFinding(error)}`);
  });

  test('lists every capacity rule with its severity', () => {
    const readme = fs.readFileSync(path.join(__dirname, '..', 'docs', 'capacity.md'), 'utf-8');
    const section = readme.slice(readme.indexOf('<!-- capacity:start -->'), readme.indexOf('<!-- capacity:end -->'));
    for (const rule of CAPACITY_RULE_LIST) expect(section).toContain(`| ${rule.id} | ${rule.severity} |`);
  });
});
