import { budget, manager, pool, seedBudget, seedJobPod, seedManager } from './capacity-fixtures';
import { evaluateBudget } from '../src/internal/capacity/evaluate';
import { capacityFindings } from '../src/internal/capacity/findings';
import { BudgetReportInput, renderCapacityReports, REPORT_FILES } from '../src/internal/capacity/report';
import { renderCapacitySvg } from '../src/internal/capacity/svg';
import { BudgetModel } from '../src/model/budget';
import { Finding, Severity } from '../src/model/finding';
import type { ManagerModel } from '../src/model/manager';
import { TaintEffect } from '../src/model/taint-effect';

function input(b: BudgetModel, managers: ManagerModel[]): BudgetReportInput {
  const evaluation = evaluateBudget(b, managers);
  return { model: b, evaluation, findings: capacityFindings(evaluation, managers) };
}

function render(inputs: BudgetReportInput[], fleet: Finding[] = []) {
  const files = renderCapacityReports(inputs, fleet);
  const byName = Object.fromEntries(files.map((f) => [f.fileName, f.content]));
  const jsonText = byName[REPORT_FILES.json];
  return { md: byName[REPORT_FILES.markdown], json: JSON.parse(jsonText), jsonText, svg: byName[REPORT_FILES.svg], files };
}

const FOREIGN: Finding = { ruleId: 'DNS001', severity: Severity.WARNING, path: 'test/Dns', field: 'policy', message: 'something about DNS.', fix: 'fix it.' };

/** The seed's fleet on the seed's cluster: the case the report exists for. */
function seedReport() {
  const seed = input(seedBudget(), [seedManager()]);
  return render([seed], [...seed.findings, FOREIGN]);
}

/** A richer fleet: a tainted pool, an autoscaling pool, two managers sharing it, one with overwrite maxima. */
function richReport() {
  const b = budget([
    pool({ name: 'system', nodes: 2, cpu: '4', memory: '16Gi', taints: [{ key: 'CriticalAddonsOnly', effect: TaintEffect.NO_SCHEDULE }] }),
    pool({
      name: 'ci',
      nodes: 2,
      minNodes: 1,
      maxNodes: 4,
      cpu: '16',
      memory: '64Gi',
      ephemeralStorage: '200Gi',
      as: 'capacity',
      reserved: { cpu: '180m', memory: '2660Mi', ephemeralStorage: '21Gi' },
      daemonSets: { cpu: '350m', memory: '512Mi' },
      daemonSetPods: 4,
      labels: { 'kubernetes.io/arch': 'amd64' },
    }),
  ], { path: 'test/Cluster' });
  const big = manager({
    path: 'test/Big',
    replicas: 2,
    concurrent: 6,
    maxSurge: 1,
    jobPod: seedJobPod({ path: 'test/BigJobs', build: { cpu: { request: '2', limit: '4', maxRequest: '6' }, memory: { request: '4Gi', limit: '8Gi' } } }),
  });
  const small = manager({ path: 'test/Small', replicas: 1, concurrent: 10, jobPod: seedJobPod({ path: 'test/SmallJobs' }) });
  return render([input(b, [big, small])], [FOREIGN]);
}

describe('markdown', () => {
  const { md } = seedReport();

  test("explains the seed's 30 slots against 15 schedulable and 3 guaranteed, and why not '24 / 4.5 = 5'", () => {
    expect(md).toContain('| `test/Runner` | `test/Budget` | 30 | 15 | 3 | **does not fit**: 15 jobs Pending |');
    expect(md).toContain('#### Why not `24 / 4.5 = 5`');
    expect(md).toContain('- pool `workers` (3 nodes, 8 cpu free on each): by requests floor(8 ÷ 1.5) = 5, at their limits floor(8 ÷ 4.5) = 1 per node.');
    expect(md).toContain('So **15** job pods schedule by requests and **3** can all run at their limits at once, against 5 from the sum.');
  });

  test('shows the pod per container, with requests copied from limits marked', () => {
    expect(md).toContain('| helper | 0.5 *(limit)* | 0.5 | 512Mi *(limit)* | 512Mi | — | — |');
    expect(md).toContain('| init-permissions (init) | 0.5 *(limit)* | 0.5 | 512Mi *(limit)* | 512Mi | — | — |');
    expect(md).toContain('| **pod** | **1.5** | **4.5** | **1.5Gi** | **4.5Gi** | **0** | unbounded |');
  });

  test("lists the budget's findings under it, and the rest of the fleet's findings apart", () => {
    const budgetPart = md.slice(md.indexOf('## Budget'), md.indexOf('## Other findings'));
    expect(budgetPart).toContain('- **error CAP003** `test/Runner` `concurrent`: 3 replicas × concurrent 10 = 30 job slots, but only 15 job pods fit');
    expect(budgetPart).not.toContain('DNS001');
    expect(md.slice(md.indexOf('## Other findings'))).toContain('- **warning DNS001** `test/Dns` `policy`: something about DNS.<br>Fix: fix it.');
    expect(md).toContain("(kubectl get node &lt;node&gt; -o jsonpath='{.status.allocatable}')");
  });

  test('table cells escape pipes', () => {
    const piped = render([input(budget([pool()], { path: 'a|b' }), [seedManager()])]).md;
    expect(piped).toContain('| `test/Runner` | `a\\|b` | 30 |');
  });

  test('a richer fleet: ineligible pools, autoscaling, reservations, shared packing, worst case', () => {
    const rich = richReport().md;
    expect(rich).toContain('| `system` | no: taint CriticalAddonsOnly:NoSchedule is not tolerated | — | — | 2 | — | — |');
    expect(rich).toContain('| `ci` | 2 now, 1–4 (evaluated at 4) | 16 − 0.18 reserved − 0.35 DaemonSets = **15.47** |');
    expect(rich).toContain('| **pod, worst case** (overwrite maximum) | **7** |');
    expect(rich).toMatch(/\| `ci` \| \d+ \| `test\/Big` × \d+, `test\/Small` × \d+ \|/);
  });

  test('snapshot (for review)', () => {
    expect(md).toMatchSnapshot();
  });
});

describe('json', () => {
  const { json } = seedReport();

  test('carries the numbers and the exact quantities, schema version 2', () => {
    expect(json.schemaVersion).toBe(2);
    const [b] = json.budgets;
    expect(b.path).toBe('test/Budget');
    expect(b.pools[0]).toMatchObject({ name: 'workers', nodes: 3, evaluatedNodes: 3, declaredAs: 'capacity', free: { cpu: '8', memory: '32Gi', ephemeralStorage: null, pods: 110 } });
    const [m] = b.managers;
    expect(m).toMatchObject({
      path: 'test/Runner',
      verdict: 'does not fit',
      schedulable: 15,
      schedulableAlone: 15,
      guaranteedByLimits: 3,
      placed: 15,
      unplaced: 15,
      demand: { replicas: 3, concurrent: 10, limit: null, slots: 30, surgeSlots: 30, cappedBy: 'concurrent' },
      naive: { byRequests: { jobs: 16, binding: 'cpu' }, byLimits: { jobs: 5, binding: 'cpu' } },
    });
    // Pods are listed once per budget; managers refer to them by index.
    expect(m.pod).toBe(0);
    expect(b.pods).toHaveLength(1);
    expect(b.pods[0].requests).toEqual({ cpu: '1500m', memory: '1536Mi', ephemeralStorage: '0' });
    expect(b.pods[0].limits).toEqual({ cpu: '4500m', memory: '4608Mi', ephemeralStorage: null });
    expect(m).toMatchObject({ profile: 0, type: 0, guaranteedByLimitsUnbounded: null });
    // Per-pool fits are per profile (managers alike share one), and placement is per type.
    expect(b.profiles[0]).toEqual({
      index: 0,
      eligible: [{ pools: ['workers'], reasons: [], nodes: 3, byRequests: { perNode: 5, binding: 'cpu' }, byLimits: { perNode: 1, binding: 'cpu' }, worstCase: null }],
      excluded: [],
    });
    expect(b.types).toEqual([{ managers: ['test/Runner'], requests: { cpu: '1500m', memory: '1536Mi', ephemeralStorage: '0' }, pools: ['workers'], demand: 30, placed: 15, spare: 0 }]);
    expect(b.placement).toEqual({ status: 'does not fit', components: [{ types: [0], pools: ['workers'], status: 'does not fit', method: 'bound', proof: expect.stringContaining('30 job pods, but the nodes of the pools they may use hold at most 15'), searchSteps: 0 }] });
    expect(b.nodes).toEqual([{ pool: 'workers', count: 3, pods: [{ manager: 'test/Runner', type: 0, perNode: 5 }], free: { cpu: '500m', memory: '25088Mi', ephemeralStorage: null, pods: 105 } }]);
    expect(b.findings.map((f: Finding) => f.ruleId)).toEqual(['CAP003', 'CAP005', 'CAP007', 'CAP010']);
    expect(json.otherFindings).toEqual([FOREIGN]);
  });

  test('snapshot (for review)', () => {
    expect(seedReport().jsonText).toMatchSnapshot();
  });
});

describe('svg', () => {
  const { svg } = seedReport();

  test('is one SVG document with the numbers a reviewer looks for', () => {
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    expect(svg).toContain('test/Runner: 30 job slots · 15 schedulable by requests · 3 guaranteed by limits · 15 Pending');
    expect(svg).toContain('one job pod: requests cpu 1.5, memory 1.5Gi; limits cpu 4.5, memory 4.5Gi');
    expect((svg.match(/<g><title>workers #\d/g) ?? [])).toHaveLength(3);
    expect(svg).not.toMatch(/NaN|undefined|Infinity/);
    // 5 job pods per node, each a block on the cpu and the memory bar.
    expect((svg.match(/fill="#1f77b4" stroke="#ffffff"/g) ?? [])).toHaveLength(30);
  });

  test('draws the pods\' limits above an overcommitted node, and marks pools job pods may not use', () => {
    expect(svg).toContain('>2.8×</text>');
    const rich = richReport().svg;
    expect(rich).toContain('>no jobs</text>');
    expect(rich).not.toMatch(/NaN|undefined|Infinity/);
  });

  test('groups identical nodes when there are many, and caps the columns', () => {
    const many = renderCapacitySvg([evaluateBudget(budget(Array.from({ length: 50 }, (_, i) => pool({ name: `p${i}`, nodes: 2 }))), [seedManager()])]);
    expect(many).toContain('>×2</text>');
    expect(many).toContain('… and 10 more node groups (see capacity-report.md)');
    expect(renderCapacitySvg([])).toContain('No budget declared.');
  });

  test('escapes text', () => {
    const b = budget([pool()], { path: 'a<b>&"c"' });
    const out = renderCapacitySvg([evaluateBudget(b, [seedManager()])]);
    expect(out).toContain('Budget a&lt;b&gt;&amp;&quot;c&quot;');
  });

  test('snapshot (for review)', () => {
    expect(svg).toMatchSnapshot();
  });
});

test('deterministic: the same fleet renders byte-identical files', () => {
  expect(richReport().files).toEqual(richReport().files);
  expect(seedReport().files).toEqual(seedReport().files);
});

test('several budgets share one report; a budget without managers says so', () => {
  const { md, json, svg } = render([input(seedBudget(), [seedManager()]), input(budget([pool()], { path: 'test/Empty' }), [])]);
  expect(json.budgets.map((b: { path: string }) => b.path)).toEqual(['test/Budget', 'test/Empty']);
  expect(md).toContain('## Budget `test/Empty`');
  expect(svg).toContain('No runner manager uses this budget.');
  expect(render([]).md).toContain('No runner manager is attached to a budget.');
});

describe('a large fleet', () => {
  test('groups identical pools, node groups and managers; grows with distinct ones, not managers × pools; no stack overflow', () => {
    // 1,000 pools of 2 sizes and 2 labels, 300 managers of 3 job pods, one of them pinned to label a.
    const pools = Array.from({ length: 1000 }, (_, i) => pool({ name: `pool-${i}`, nodes: 1, cpu: i % 2 ? '16' : '8', labels: { g: i % 4 < 2 ? 'a' : 'b' } }));
    const shapes = ['500m', '1', '2'];
    const managers = Array.from({ length: 300 }, (_, i) => manager({
      path: `test/Runner${i}`,
      concurrent: 2,
      jobPod: seedJobPod({ path: `test/Jobs${i % 3}`, build: { cpu: { request: shapes[i % 3] }, memory: { request: '1Gi' } }, nodeSelector: i % 3 === 0 ? { g: 'a' } : {} }),
    }));
    const { md, json, files } = render([input(budget(pools), managers)]);
    expect(json.budgets[0].managers).toHaveLength(300);
    // Four kinds of pool, each one row in the pools table.
    expect(md).toContain('`pool-0`, `pool-4`, `pool-8` and 247 more (250)');
    // One section per kind of manager, each naming how many are alike.
    expect(md.match(/^### Job pods of .*\(100 managers alike\)$/gm)).toHaveLength(3);
    expect(json.budgets[0].profiles).toHaveLength(3);
    expect(json.budgets[0].pods).toHaveLength(3);
    // Without grouping, 300 managers × 1,000 pool rows would be about 30 MB of Markdown alone. The JSON keeps one
    // entry per pool (about 0.8 kB each) and per manager, but per-pool fits only per profile.
    expect(Buffer.byteLength(md)).toBeLessThan(100_000);
    const bytes = files.reduce((s, f) => s + Buffer.byteLength(f.content), 0);
    expect(bytes).toBeLessThan(2_500_000);
  });
});
