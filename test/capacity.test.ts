import { budget, jobPod, manager, pool, q, seedBudget, seedJobPod, seedManager, service, SEED_BUILD, SEED_HELPER } from './capacity-fixtures';
import { demandOf, eligibility, evaluateBudget, freeOf, hasOverwrites, nodeFit, podShape } from '../src/internal/capacity/evaluate';
import { capacityFindings } from '../src/internal/capacity/findings';
import { showAmount, showAmounts } from '../src/internal/capacity/format';
import { renderCapacityReports } from '../src/internal/capacity/report';
import { CAPACITY_RULE_LIST, CAPACITY_RULES } from '../src/internal/rules/capacity-rules';
import { Severity } from '../src/model/finding';
import type { ManagerModel } from '../src/model/manager';
import { TaintEffect } from '../src/model/taint-effect';

const NO_RUNTIME = { runtimeClasses: {} };

function findings(b = seedBudget(), managers: ManagerModel[] = [seedManager()]) {
  return capacityFindings(evaluateBudget(b, managers), managers);
}

function only(list: ReturnType<typeof findings>, ruleId: string) {
  return list.filter((f) => f.ruleId === ruleId);
}

describe('the job pod, as Kubernetes computes its effective request and limit', () => {
  test("the seed's pod requests 1.5 CPU and 1.5Gi: build + DinD + the helper's limit copied as its request", () => {
    const pod = podShape(seedJobPod(), NO_RUNTIME);
    expect(pod.containers.map((c) => c.name)).toEqual(['build', 'helper', 'docker', 'init-permissions']);
    expect(pod.request).toEqual({ cpu: q('1.5'), memory: q('1.5Gi'), ephemeralStorage: 0n });
    expect(pod.limit).toEqual({ cpu: q('4.5'), memory: q('4.5Gi') });
    const helper = pod.containers.find((c) => c.name === 'helper')!;
    expect(helper.requestFromLimit).toEqual(['cpu', 'memory']);
    expect(helper.requests.cpu).toBe(q('500m'));
  });

  test('init-permissions uses the helper resources and counts as max(init, sum), not on top of the sum', () => {
    const pod = podShape(jobPod({ build: { cpu: { request: '100m' }, memory: { request: '64Mi' } }, helper: { cpu: { request: '1' }, memory: { request: '1Gi' } } }), NO_RUNTIME);
    const init = pod.containers.find((c) => c.init)!;
    expect(init.name).toBe('init-permissions');
    expect(init.requests.cpu).toBe(q('1'));
    expect(pod.request.cpu).toBe(q('1.1'));
    expect(pod.request.memory).toBe(q('1088Mi'));
  });

  test('every service is a container with the service_* resources; unnamed services are svc-0, svc-1', () => {
    const pod = podShape(jobPod({
      build: SEED_BUILD,
      helper: SEED_HELPER,
      services: [service('docker'), service(), service()],
      serviceResources: { cpu: { request: '250m' }, memory: { request: '256Mi' } },
    }), NO_RUNTIME);
    expect(pod.containers.map((c) => c.name)).toEqual(['build', 'helper', 'docker', 'svc-0', 'svc-1', 'init-permissions']);
    expect(pod.request.cpu).toBe(q('1750m'));
    expect(pod.request.memory).toBe(q('1792Mi'));
  });

  test('a container with neither request nor limit requests 0 and makes the pod limit unbounded', () => {
    const pod = podShape(jobPod({ build: { cpu: { request: '1', limit: '2' } } }), NO_RUNTIME);
    const helper = pod.containers.find((c) => c.name === 'helper')!;
    expect(helper.undeclared).toEqual(['cpu', 'memory', 'ephemeralStorage']);
    expect(pod.request.cpu).toBe(q('1'));
    expect(pod.limit.cpu).toBeUndefined();
  });

  test('a declared RuntimeClass overhead is added to the request and the limit', () => {
    const job = seedJobPod({ extraConfig: { runtime_class_name: 'gvisor' } });
    const pod = podShape(job, { runtimeClasses: { gvisor: { cpu: q('250m'), memory: q('256Mi') } } });
    expect(pod.runtimeClass).toBe('gvisor');
    expect(pod.request.cpu).toBe(q('1750m'));
    expect(pod.limit.memory).toBe(q('4864Mi'));
    expect(podShape(job, NO_RUNTIME).request.cpu).toBe(q('1.5'));
  });

  test('the worst case uses the *_overwrite_max_allowed values; a raised limit becomes the request when none is set', () => {
    const job = jobPod({
      build: { cpu: { request: '500m', limit: '1', maxRequest: '3', maxLimit: '4' }, memory: { request: '1Gi' } },
      helper: { cpu: { limit: '200m', maxLimit: '1' }, memory: { request: '128Mi' } },
    });
    expect(hasOverwrites(job)).toBe(true);
    expect(hasOverwrites(seedJobPod())).toBe(false);
    const worst = podShape(job, NO_RUNTIME, true);
    expect(worst.request.cpu).toBe(q('4'));
    expect(worst.limit.cpu).toBe(q('5'));
    expect(podShape(job, NO_RUNTIME).request.cpu).toBe(q('700m'));
  });
});

describe('demand', () => {
  test('replicas × concurrent, capped by a positive runner limit, and the rollout surge reported apart', () => {
    expect(demandOf(seedManager())).toMatchObject({ slotsPerReplica: 10, slots: 30, surgeSlots: 30, cappedBy: 'concurrent' });
    expect(demandOf(seedManager({ limit: 4 }))).toMatchObject({ slotsPerReplica: 4, slots: 12, cappedBy: 'limit' });
    expect(demandOf(seedManager({ limit: 0 })).slots).toBe(30);
    expect(demandOf(seedManager({ limit: 25 })).slots).toBe(30);
    expect(demandOf(seedManager({ maxSurge: 1 }))).toMatchObject({ slots: 30, surgeSlots: 40 });
  });
});

describe('supply', () => {
  test('free = allocatable − DaemonSets; pod slots = maxPods − DaemonSet pods', () => {
    const p = pool({ cpu: '16', memory: '64Gi', as: 'capacity', reserved: { cpu: '180m', memory: '2Gi' }, daemonSets: { cpu: '320m', memory: '1Gi' }, daemonSetPods: 4 });
    expect(freeOf(p)).toEqual({ cpu: q('15.5'), memory: q('61Gi'), pods: 106n });
  });

  test('per-node fit is the minimum over the resources the pod requests, and names what binds', () => {
    const free = { cpu: q('8'), memory: q('32Gi'), pods: 110n };
    expect(nodeFit(free, { cpu: q('1.5'), memory: q('1.5Gi') })).toEqual({ count: 5, binding: 'cpu' });
    expect(nodeFit(free, { cpu: q('100m'), memory: q('8Gi') })).toEqual({ count: 4, binding: 'memory' });
    expect(nodeFit(free, { cpu: q('4.5'), memory: q('4.5Gi') })).toEqual({ count: 1, binding: 'cpu' });
    // A resource the node does not declare does not bind; pods always do.
    expect(nodeFit(free, { cpu: q('100m'), memory: q('100Mi'), ephemeralStorage: q('10Gi') })).toEqual({ count: 80, binding: 'cpu' });
    expect(nodeFit({ ...free, pods: 12n }, { cpu: q('100m'), memory: q('100Mi') })).toEqual({ count: 12, binding: 'pods' });
    expect(nodeFit(free, { cpu: 0n, memory: 0n })).toEqual({ count: 110, binding: 'pods' });
  });

  test('node selector and taints decide which pools a job pod may use', () => {
    const ci = pool({ labels: { 'kubernetes.io/arch': 'amd64' }, taints: [{ key: 'dedicated', value: 'ci', effect: TaintEffect.NO_SCHEDULE }] });
    expect(eligibility(jobPod(), ci)).toEqual({ eligible: false, reasons: ['taint dedicated=ci:NoSchedule is not tolerated'], excludedBy: ['tolerations'] });
    expect(eligibility(jobPod({ tolerations: [{ key: 'dedicated' }] }), ci).eligible).toBe(true);
    expect(eligibility(jobPod({ tolerations: [{ key: 'dedicated', value: 'ci', effect: TaintEffect.NO_SCHEDULE }] }), ci).eligible).toBe(true);
    expect(eligibility(jobPod({ tolerations: [{ key: 'dedicated', value: 'other' }] }), ci).eligible).toBe(false);
    expect(eligibility(jobPod({ tolerations: [{ key: 'dedicated', effect: TaintEffect.NO_EXECUTE }] }), ci).eligible).toBe(false);
    const tolerant = { tolerations: [{ key: 'dedicated' }] };
    expect(eligibility(jobPod({ ...tolerant, nodeSelector: { 'kubernetes.io/arch': 'arm64' } }), ci).reasons)
      .toEqual(['node selector kubernetes.io/arch=arm64, but the nodes have kubernetes.io/arch=amd64']);
    expect(eligibility(jobPod({ ...tolerant, nodeSelector: { pool: 'ci' } }), ci).reasons).toEqual(['nodes lack the label pool=ci the node selector requires']);
    const soft = pool({ taints: [{ key: 'spot', effect: TaintEffect.PREFER_NO_SCHEDULE }] });
    const r = eligibility(jobPod(), soft);
    expect(r.eligible).toBe(true);
    expect(r.reasons[0]).toMatch(/spot:PreferNoSchedule is not tolerated: the scheduler avoids these nodes/);
  });
});

describe('evaluation', () => {
  test("the seed's cluster: 5 per node, 15 schedulable against 30 slots, 3 guaranteed by limits, the sum says 5", () => {
    const [m] = evaluateBudget(seedBudget(), [seedManager()]).managers;
    expect(m.pools[0].byRequests).toEqual({ count: 5, binding: 'cpu' });
    expect(m.pools[0].byLimits).toEqual({ count: 1, binding: 'cpu' });
    expect(m.schedulable).toBe(15);
    expect(m.guaranteed).toBe(3);
    expect(m.naiveByLimits).toEqual({ count: 5, binding: 'cpu' });
    expect(m.naiveByRequests).toEqual({ count: 16, binding: 'cpu' });
    expect({ placed: m.placed, unplaced: m.unplaced, spare: m.spare }).toEqual({ placed: 15, unplaced: 15, spare: 0 });
  });

  test("the seeds' exercise: 4 nodes × 16 cores × 64Gi, jobs of 2 CPU / 2Gi (docs/capacity.md numbers)", () => {
    const exercise = jobPod({
      build: { cpu: { limit: '2' }, memory: { limit: '2Gi' } },
      helper: { cpu: { request: '100m', limit: '500m' }, memory: { request: '128Mi', limit: '512Mi' } },
    });
    const bare = budget([pool({ name: 'ci', nodes: 4, cpu: '16', memory: '64Gi', as: 'capacity', reserved: {} })]);
    const real = budget([pool({
      name: 'ci',
      nodes: 4,
      cpu: '16',
      memory: '64Gi',
      as: 'capacity',
      reserved: { cpu: '180m', memory: '2660Mi' },
      daemonSets: { cpu: '350m', memory: '512Mi' },
      daemonSetPods: 4,
    })]);
    const m = manager({ replicas: 1, concurrent: 32, jobPod: exercise });
    const [onBare] = evaluateBudget(bare, [m]).managers;
    const [onReal] = evaluateBudget(real, [m]).managers;
    expect(onBare.pod.request).toEqual({ cpu: q('2.1'), memory: q('2176Mi'), ephemeralStorage: 0n });
    expect(onBare.pod.limit).toEqual({ cpu: q('2.5'), memory: q('2560Mi') });
    expect(onBare.naiveByLimits).toEqual({ count: 25, binding: 'cpu' });
    expect(onBare.naiveByRequests).toEqual({ count: 30, binding: 'cpu' });
    expect([onBare.pools[0].byRequests.count, onBare.schedulable, onBare.guaranteed]).toEqual([7, 28, 24]);
    expect([onReal.pools[0].byRequests.count, onReal.schedulable, onReal.guaranteed]).toEqual([7, 28, 24]);
    expect(onReal.pools[0].free.cpu).toBe(q('15.47'));
    // A pod of exactly 2 CPU fits 8 on a node only if the kubelet keeps nothing back.
    const exact = manager({ concurrent: 32, jobPod: jobPod({ build: { cpu: { request: '2' }, memory: { request: '2Gi' } } }) });
    expect(evaluateBudget(bare, [exact]).managers[0].schedulable).toBe(32);
    expect(evaluateBudget(real, [exact]).managers[0].schedulable).toBe(28);
  });

  test('an autoscaling pool is evaluated at its maximum', () => {
    const b = budget([pool({ nodes: 1, minNodes: 0, maxNodes: 6 })]);
    expect(evaluateBudget(b, [seedManager()]).managers[0]).toMatchObject({ schedulable: 30, unplaced: 0 });
  });

  test('identical nodes are one group until a manager runs out part-way', () => {
    const b = budget([pool({ nodes: 10, cpu: '4' })]);
    const e = evaluateBudget(b, [manager({ concurrent: 10, jobPod: jobPod({ build: { cpu: { request: '1' }, memory: { request: '1Gi' } }, helper: { cpu: { request: '0' }, memory: { request: '0' } } }) })]);
    expect(e.nodes.map((g) => [g.count, g.pods.map((p) => p.count)])).toEqual([[2, [4]], [1, [2]], [7, []]]);
    expect(e.nodes[1].free.cpu).toBe(q('2'));
    expect(e.managers[0].spare).toBe(30);
  });

  test('several shapes are packed first-fit decreasing: the larger pods are placed first, whatever the declaration order', () => {
    const small = manager({ path: 'test/Small', concurrent: 2, jobPod: jobPod({ path: 'test/SmallJobs', build: { cpu: { request: '1' }, memory: { request: '1Gi' } }, helper: { cpu: { request: '0' }, memory: { request: '0' } } }) });
    const large = manager({ path: 'test/Large', concurrent: 2, jobPod: jobPod({ path: 'test/LargeJobs', build: { cpu: { request: '3' }, memory: { request: '1Gi' } }, helper: { cpu: { request: '0' }, memory: { request: '0' } } }) });
    const b = budget([pool({ nodes: 2, cpu: '4' })]);
    const e = evaluateBudget(b, [small, large]);
    expect(e.managers.map((m) => m.unplaced)).toEqual([0, 0]);
    expect(e.nodes).toHaveLength(1);
    expect(e.nodes[0].pods).toEqual([{ manager: 1, type: 1, count: 1 }, { manager: 0, type: 0, count: 1 }]);
    // Alone, each shape would have the whole pool.
    expect(e.managers.map((m) => m.schedulable)).toEqual([8, 2]);
  });

  test('managers sharing a pool compete for it; each job template uses only the pools it is eligible for', () => {
    const arm = pool({ name: 'arm', nodes: 2, labels: { 'kubernetes.io/arch': 'arm64' } });
    const amd = pool({ name: 'amd', nodes: 1, labels: { 'kubernetes.io/arch': 'amd64' } });
    const armJobs = seedJobPod({ path: 'test/ArmJobs', nodeSelector: { 'kubernetes.io/arch': 'arm64' } });
    const a = manager({ path: 'test/A', concurrent: 8, jobPod: armJobs });
    const b = manager({ path: 'test/B', concurrent: 8, jobPod: armJobs });
    const e = evaluateBudget(budget([arm, amd]), [a, b]);
    expect(e.managers.map((m) => m.pools.map((p) => p.eligible))).toEqual([[true, false], [true, false]]);
    expect(e.managers.map((m) => [m.placed, m.unplaced])).toEqual([[8, 0], [2, 6]]);
    expect(e.managers[1].schedulable).toBe(10);
  });
});

describe('verdicts', () => {
  test("CAP003: the seed's 30 slots against 15 schedulable fails, naming both numbers and the smallest fixes", () => {
    const [f] = only(findings(), 'CAP003');
    expect(f).toMatchObject({ severity: Severity.ERROR, path: 'test/Runner', field: 'concurrent' });
    expect(f.message).toContain('3 replicas × concurrent 10 = 30 job slots, but only 15 job pods fit on budget test/Budget');
    expect(f.message).toContain("pool 'workers' takes 5 per node × 3 nodes (cpu binds: 8 free ÷ 1.5)");
    expect(f.fix).toBe("lower concurrent to 5 (3 × 5 = 15 slots), or add 3 nodes to pool 'workers' (3 → 6), each fitting 5 of these job pods.");
  });

  test('CAP003 names limit when the runner limit caps the slots, and maxNodes for an autoscaling pool', () => {
    const [f] = only(findings(budget([pool({ nodes: 1, maxNodes: 2 })]), [seedManager({ limit: 6 })]), 'CAP003');
    expect(f.field).toBe('limit');
    expect(f.message).toContain('3 replicas × limit 6 = 18 job slots, but only 10 job pods fit');
    expect(f.fix).toBe("lower limit to 3 (3 × 3 = 9 slots), or raise maxNodes of pool 'workers' from 2 to 4, each fitting 5 of these job pods.");
  });

  test('CAP003 suggests fewer replicas when even concurrent 1 is too many', () => {
    const [f] = only(findings(budget([pool({ nodes: 1, cpu: '3' })]), [seedManager({ replicas: 3, concurrent: 1 })]), 'CAP003');
    expect(f.fix).toMatch(/^lower replicas to 2 with concurrent 1, or add 1 node to pool 'workers'/);
  });

  test('CAP003 fixes are re-checked by the placement: a larger shape sharing the pool takes new nodes too', () => {
    const big = manager({ path: 'test/Big', concurrent: 4, jobPod: jobPod({ path: 'test/BigJobs', build: { cpu: { request: '6' }, memory: { request: '1Gi' } }, helper: { cpu: { request: '0' }, memory: { request: '0' } } }) });
    const small = manager({ path: 'test/Small', concurrent: 10, jobPod: jobPod({ path: 'test/SmallJobs', build: { cpu: { request: '1' }, memory: { request: '1Gi' } }, helper: { cpu: { request: '0' }, memory: { request: '0' } } }) });
    const b = budget([pool({ nodes: 2, cpu: '8' })]);
    const list = findings(b, [big, small]);
    const bigFix = list.find((f) => f.path === 'test/Big')!.fix;
    const smallFix = list.find((f) => f.path === 'test/Small')!.fix;
    // A fix makes every slot of the pools the two share fit: 4 big pods need 4 nodes, with 2 small pods beside each;
    // the other 2 small pods need a fifth node, so 3 nodes are added for either manager.
    expect(bigFix).toBe("lower concurrent to 1 (1 × 1 = 1 slots), or add 3 nodes to pool 'workers' (2 → 5), each fitting 1 of these job pods.");
    expect(smallFix).toBe("add 3 nodes to pool 'workers' (2 → 5), each fitting 8 of these job pods.");
    const fixed = budget([pool({ nodes: 5, cpu: '8' })]);
    expect(evaluateBudget(fixed, [big, small]).managers.map((m) => m.unplaced)).toEqual([0, 0]);
    expect(evaluateBudget(budget([pool({ nodes: 4, cpu: '8' })]), [big, small]).managers[1].unplaced).toBeGreaterThan(0);
  });

  test('CAP001: a pod larger than every node it may use, naming the container and the largest free node', () => {
    const job = seedJobPod({ build: { cpu: { request: '7.5' }, memory: { request: '1Gi' } } });
    const list = findings(seedBudget(), [seedManager({ jobPod: job })]);
    const [f] = only(list, 'CAP001');
    expect(f).toMatchObject({ severity: Severity.ERROR, path: 'test/Jobs', field: 'buildResources.cpu.request' });
    expect(f.message).toContain('the job pod requests cpu 8.5 (build 7.5 + helper 0.5 + docker 0.5)');
    expect(f.message).toContain("has 8 (pool 'workers'");
    expect(only(list, 'CAP003')).toEqual([]);
  });

  test('CAP009: a worst-case overwrite that fits no node is an error of its own', () => {
    const job = seedJobPod({ build: { cpu: { request: '500m', limit: '2', maxRequest: '16' }, memory: { request: '512Mi', limit: '2Gi' } } });
    const [f] = only(findings(seedBudget(), [seedManager({ concurrent: 5, replicas: 1, jobPod: job })]), 'CAP009');
    expect(f).toMatchObject({ severity: Severity.ERROR, field: 'buildResources.cpu.maxRequest' });
    expect(f.message).toMatch(/^when a job raises its resources to the \*_overwrite_max_allowed values, its pod requests cpu 17/);
  });

  test('CAP002: no eligible pool, with each pool\'s reason; tolerations when only taints exclude', () => {
    const tainted = budget([pool({ taints: [{ key: 'dedicated', value: 'ci', effect: TaintEffect.NO_SCHEDULE }] })]);
    const [t] = only(findings(tainted), 'CAP002');
    expect(t).toMatchObject({ severity: Severity.ERROR, path: 'test/Jobs', field: 'tolerations' });
    expect(t.message).toContain("pool 'workers': taint dedicated=ci:NoSchedule is not tolerated");
    const [s] = only(findings(seedBudget(), [seedManager({ jobPod: seedJobPod({ nodeSelector: { 'kubernetes.io/arch': 'arm64' } }) })]), 'CAP002');
    expect(s.field).toBe('nodeSelector');
  });

  test('CAP002 names tolerations when a taint excludes the pool, even beside a PreferNoSchedule note; affinity when it excludes', () => {
    const tainted = pool({ taints: [{ key: 'dedicated', value: 'ci', effect: TaintEffect.NO_SCHEDULE }, { key: 'spot', effect: TaintEffect.PREFER_NO_SCHEDULE }] });
    const [t] = only(findings(budget([tainted])), 'CAP002');
    expect(t.field).toBe('tolerations');
    expect(t.fix).toBe('add tolerations for the taints of the pool meant for CI, or remove those taints.');
    // Two pools: one excluded by a taint, one by the selector; the fix names both fields.
    const other = pool({ name: 'arm', labels: { 'kubernetes.io/arch': 'arm64' } });
    const job = seedJobPod({ nodeSelector: { 'kubernetes.io/arch': 'amd64' } });
    const [both] = only(findings(budget([pool({ labels: { 'kubernetes.io/arch': 'amd64' }, taints: [{ key: 'dedicated', effect: TaintEffect.NO_SCHEDULE }] }), other]), [seedManager({ jobPod: job })]), 'CAP002');
    expect(both.fix).toContain('add tolerations for the taints');
    expect(both.fix).toContain('make nodeSelector match the labels');
    const pinned = seedJobPod({ extraConfig: { affinity: { node_affinity: { required_during_scheduling_ignored_during_execution: { node_selector_terms: [{ match_expressions: [{ key: 'pool', operator: 'In', values: ['ci'] }] }] } } } } });
    const [a] = only(findings(budget([pool({ labels: { pool: 'build' } })]), [seedManager({ jobPod: pinned })]), 'CAP002');
    expect(a.field).toBe('extraConfig.affinity');
    expect(a.message).toContain('the node labels match no term of the required node affinity');
  });

  test('CAP013: when the search reaches its work limit the verdict is a warning, never CAP003', () => {
    // Pods of 7, 7 and 4 CPU on two nodes of 10 CPU: packing fails, no bound proves it, and the search is cut short.
    const shaped = (i: number, cpu: string) => manager({ path: `test/R${i}`, jobPod: jobPod({ path: `test/J${i}`, build: { cpu: { request: cpu }, memory: { request: '1Gi' } }, helper: { cpu: { request: '0' }, memory: { request: '0' } } }) });
    const managers = [shaped(0, '7'), shaped(1, '7'), shaped(2, '4')];
    const b = budget([pool({ nodes: 2, cpu: '10' })]);
    const cut = evaluateBudget(b, managers, 1);
    expect(cut.placement.status).toBe('undecided');
    const list = capacityFindings(cut, managers);
    expect(list.filter((f) => f.ruleId === 'CAP003')).toEqual([]);
    const [w] = only(list, 'CAP013');
    expect(w.severity).toBe(Severity.WARNING);
    expect(w.message).toContain('found neither a placement of every job slot nor a proof that none exists');
    // The report says undecided for that manager, not "does not fit".
    const json = JSON.parse(renderCapacityReports([{ model: b, evaluation: cut, findings: list }], [])[1].content);
    const unplaced = json.budgets[0].managers.filter((m: { unplaced: number }) => m.unplaced > 0);
    expect(unplaced.map((m: { verdict: string }) => m.verdict)).toEqual(['undecided']);
    expect(json.budgets[0].placement.status).toBe('undecided');
    // With the default limit the search proves it, and CAP003 names the search.
    const full = capacityFindings(evaluateBudget(b, managers), managers);
    const [e] = only(full, 'CAP003');
    expect(e.message).toContain('No placement exists: an exact search');
    expect(e.fix).toContain("add 1 node to pool 'workers' (2 → 3)");
  });

  test('required node affinity: In, NotIn, Exists, DoesNotExist, Gt, Lt against pool labels; terms are ORed', () => {
    const labelled = pool({ labels: { tier: 'ci', cores: '16' } });
    const required = (terms: unknown[]) => ({
      affinity: { node_affinity: { required_during_scheduling_ignored_during_execution: { node_selector_terms: terms } } },
    });
    type Expressions = Array<Record<string, unknown>>;
    const affinity = (...terms: Expressions[]) => jobPod({ extraConfig: required(terms.map((e) => ({ match_expressions: e }))) });
    const eligible = (...terms: Expressions[]) => eligibility(affinity(...terms), labelled).eligible;
    expect(eligible([{ key: 'tier', operator: 'In', values: ['ci', 'x'] }])).toBe(true);
    expect(eligible([{ key: 'tier', operator: 'In', values: ['x'] }])).toBe(false);
    expect(eligible([{ key: 'tier', operator: 'NotIn', values: ['x'] }])).toBe(true);
    expect(eligible([{ key: 'tier', operator: 'NotIn', values: ['ci'] }])).toBe(false);
    expect(eligible([{ key: 'tier', operator: 'Exists' }])).toBe(true);
    expect(eligible([{ key: 'gpu', operator: 'Exists' }])).toBe(false);
    expect(eligible([{ key: 'gpu', operator: 'DoesNotExist' }])).toBe(true);
    expect(eligible([{ key: 'cores', operator: 'Gt', values: ['8'] }])).toBe(true);
    expect(eligible([{ key: 'cores', operator: 'Lt', values: ['8'] }])).toBe(false);
    // Expressions of a term are ANDed; terms are ORed.
    expect(eligible([{ key: 'tier', operator: 'Exists' }, { key: 'gpu', operator: 'Exists' }])).toBe(false);
    expect(eligible([{ key: 'gpu', operator: 'Exists' }], [{ key: 'tier', operator: 'In', values: ['ci'] }])).toBe(true);
    // A term on node names (match_fields) may match any pool: exclusion must be a proof.
    expect(eligibility(jobPod({ extraConfig: required([{ match_fields: [{ key: 'metadata.name', operator: 'In', values: ['n1'] }] }]) }), labelled).eligible).toBe(true);
  });

  test('pod-level resources replace the containers\' sum for their resource; a pod-level limit alone is also the request', () => {
    const job = seedJobPod({ extraConfig: { pod_cpu_request: '3', pod_memory_limit: '6Gi' } });
    const shape = podShape(job, { runtimeClasses: {} });
    expect(shape.request.cpu).toBe(q('3'));
    expect(shape.request.memory).toBe(q('6Gi'));
    expect(shape.limit.memory).toBe(q('6Gi'));
    // The containers' CPU limits still add up (no pod-level CPU limit).
    expect(shape.limit.cpu).toBe(q('4.5'));
    // 8 CPU per node: 2 pods of 3 CPU instead of 5 of 1.5.
    const e = evaluateBudget(seedBudget(), [seedManager({ jobPod: job })]);
    expect(e.managers[0].pools[0].byRequests).toEqual({ count: 2, binding: 'cpu' });
    // The worst case reads the pod-level overwrite maxima.
    const worst = seedJobPod({ extraConfig: { pod_cpu_request: '1', pod_cpu_request_overwrite_max_allowed: '4' } });
    expect(hasOverwrites(worst)).toBe(true);
    expect(podShape(worst, { runtimeClasses: {} }, true).request.cpu).toBe(q('4'));
  });

  test('CAP004: the rollout surge exceeding the fit is a warning with the largest safe maxSurge', () => {
    const b = budget([pool({ nodes: 7 })]);
    const [f] = only(findings(b, [seedManager({ maxSurge: 2 })]), 'CAP004');
    expect(f).toMatchObject({ severity: Severity.WARNING, field: 'maxSurge' });
    expect(f.message).toContain('(3 + maxSurge 2) × 10 = 50 job slots, but only 35 job pods fit');
    expect(f.fix).toBe('set maxSurge to 0, so old manager pods finish their jobs before new ones take jobs, or add nodes.');
    expect(only(findings(budget([pool({ nodes: 9 })]), [seedManager({ maxSurge: 2 })]), 'CAP004')[0].fix).toBe('lower maxSurge to 1, or add nodes.');
    expect(only(findings(b, [seedManager()]), 'CAP004')).toEqual([]);
  });

  test("CAP005: the seed's '24 / 4.5 = 5' overstates the 3 that fit by limits; a 7 % gap by requests stays quiet", () => {
    const list = only(findings(), 'CAP005');
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ severity: Severity.WARNING, path: 'test/Budget', field: 'nodePools' });
    expect(list[0].message).toContain('the sum-of-capacity estimate by limits (24 cpu ÷ 4.5 per pod = 5 jobs) overstates the per-node fit (3) by 67 %');
    expect(list[0].fix).toContain('a pod limit of at most 4 cpu would fit 2 per node');
  });

  test('CAP006: memory limits of a packed node above its free memory, and pods without a memory limit', () => {
    const job = seedJobPod({ build: { cpu: { request: '500m', limit: '2' }, memory: { request: '512Mi', limit: '8Gi' } } });
    const [f] = only(findings(seedBudget(), [seedManager({ concurrent: 1, replicas: 1, jobPod: job })]), 'CAP006');
    expect(f).toMatchObject({ severity: Severity.WARNING, path: 'test/Jobs', field: 'buildResources.memory.limit' });
    expect(f.message).toContain('the 5 job pods (placed by their 1.5Gi memory request) may use up to 5 × 10.5Gi = 52.5Gi memory by their limits, more than the node\'s 32Gi free');
    const open = seedJobPod({ build: { cpu: { request: '500m', limit: '2' }, memory: { request: '512Mi' } } });
    const [g] = only(findings(seedBudget(), [seedManager({ concurrent: 1, replicas: 1, jobPod: open })]), 'CAP006');
    expect(g.field).toBe('buildResources.memory.limit');
    expect(g.message).toMatch(/^container build of the job pod has no memory limit/);
    expect(only(findings(seedBudget(), [seedManager({ concurrent: 1, replicas: 1 })]), 'CAP006')).toEqual([]);
  });

  test('CAP007: CPU limits above the allowed overcommit ratio, reported once for the worst pool', () => {
    const b = budget([pool({ name: 'small' }), pool({ name: 'big', cpu: '16', memory: '64Gi' })]);
    const list = only(findings(b, [seedManager({ concurrent: 1, replicas: 1 })]), 'CAP007');
    expect(list).toHaveLength(1);
    expect(list[0].message).toContain("on a fully packed node of pool 'small' (and on 1 other pool) the 5 job pods may use up to 5 × 4.5 = 22.5 CPU by their limits, 2.81× the node's 8 free CPU (allowed: 2×)");
    expect(list[0].fix).toContain("raising the budget's cpuLimitOvercommitRatio to 3");
    expect(only(findings(budget(b.pools, { cpuLimitOvercommitRatio: 3 }), [seedManager({ concurrent: 1, replicas: 1 })]), 'CAP007')).toEqual([]);
  });

  test('CAP008: a container with neither request nor limit is an error naming the prop', () => {
    const job = jobPod({ build: SEED_BUILD, services: [service('docker'), service('db')] });
    const list = only(findings(seedBudget(), [seedManager({ jobPod: job })]), 'CAP008');
    expect(list.map((f) => [f.field, f.severity])).toEqual([['helper.resources.cpu', Severity.ERROR], ['serviceResources.cpu', Severity.ERROR]]);
    expect(list[0].message).toContain('container helper (and the init container init-permissions');
    expect(list[1].message).toMatch(/^containers docker, db declare neither a request nor a limit for cpu and memory/);
  });

  test('CAP010 and CAP011: capacity without reservations, and a RuntimeClass of unknown overhead', () => {
    const list = findings(seedBudget(), [seedManager({ jobPod: seedJobPod({ extraConfig: { runtime_class_name: 'kata' } }) })]);
    expect(only(list, 'CAP010')[0]).toMatchObject({ severity: Severity.WARNING, field: 'nodePools[0].reserved' });
    expect(only(list, 'CAP011')[0]).toMatchObject({ severity: Severity.WARNING, path: 'test/Jobs', field: 'extraConfig.runtime_class_name' });
    expect(only(findings(budget([pool()])), 'CAP010')).toEqual([]);
  });

  test('a fleet that fits has no finding; errors come first; the same finding is reported once', () => {
    const roomy = budget([pool({ nodes: 6 })], { cpuLimitOvercommitRatio: 3 });
    expect(findings(roomy, [seedManager()]).map((f) => f.ruleId)).toEqual(['CAP005']);
    expect(findings(budget([pool({ nodes: 6, cpu: '9' })], { cpuLimitOvercommitRatio: 3 }), [seedManager()])).toEqual([]);
    const twins = [seedManager({ path: 'test/A' }), seedManager({ path: 'test/B' })];
    const list = findings(seedBudget(), twins.map((m) => ({ ...m, jobPod: seedJobPod({ build: { cpu: { limit: '2' } } }) })));
    expect(list.filter((f) => f.ruleId === 'CAP008' && f.field === 'buildResources.memory')).toHaveLength(1);
    const severities = list.map((f) => f.severity);
    expect(severities.indexOf(Severity.WARNING)).toBeGreaterThan(severities.lastIndexOf(Severity.ERROR));
  });

  test('rule ids are unique and every rule the verdicts use is in the catalogue', () => {
    const ids = CAPACITY_RULE_LIST.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual([...ids].sort());
    expect(CAPACITY_RULES.noBudget.id).toBe('CAP012');
  });
});

describe('display', () => {
  test('amounts read as cores and binary sizes; a ~ marks a cut value', () => {
    expect(showAmount('cpu', q('1500m'))).toBe('1.5');
    expect(showAmount('cpu', q('7910m'))).toBe('7.91');
    expect(showAmount('cpu', q('1n'))).toBe('~0');
    expect(showAmount('memory', q('1536Mi'))).toBe('1.5Gi');
    expect(showAmount('memory', q('2660Mi'))).toBe('~2.59Gi');
    expect(showAmount('memory', q('512'))).toBe('512');
    expect(showAmounts({ cpu: q('1'), memory: 0n })).toBe('cpu 1');
    expect(showAmounts({})).toBe('nothing');
  });
});
