import { CapacityEvaluation, ContainerShape, declaredTotal, eligiblePools, evaluatedNodes, ExclusionField, freeOf, ManagerCapacity, NodeFit, nodeFit, PodShape, PoolFit, runtimeClassOf } from './evaluate';
import { RESOURCE_LABEL, showAmount, showAmounts, showFree } from './format';
import { memoryVolumeFindings } from './memory-volumes';
import { place, PlacementPool } from './placement';
import { Amounts, BudgetModel, RESOURCES } from '../../model/budget';
import { Finding, Severity } from '../../model/finding';
import type { ManagerModel } from '../../model/manager';
import { ResourceKind } from '../../model/resources';
import { settingField } from '../render/job-scheduling';
import { CAPACITY_RULES, CapacityRule } from '../rules/capacity-rules';

// The verdicts of the capacity model, as findings. Pure: they read an evaluation (and may re-evaluate a modified
// budget to prove a suggested fix), never the construct tree.

/** The naive estimate may overstate the real fit by this much (percent) before CAP005 fires. */
const NAIVE_TOLERANCE_PERCENT = 20n;

const MEMO = new WeakMap<PoolFit[], Map<string, unknown>>();

/** A result that depends only on a profile's pools (shared by managers alike) and `key`, computed once. */
function memo<T>(pools: PoolFit[], key: string, compute: () => T): T {
  let byKey = MEMO.get(pools);
  if (byKey === undefined) {
    byKey = new Map();
    MEMO.set(pools, byKey);
  }
  if (!byKey.has(key)) byKey.set(key, compute());
  return byKey.get(key) as T;
}

type Add = (rule: CapacityRule, path: string, field: string, message: string, fix: string) => void;

/** Every capacity finding of one budget, errors first, then by rule id; each (rule, path, field, message) once. */
export function capacityFindings(evaluation: CapacityEvaluation, managers: ManagerModel[]): Finding[] {
  const out: Finding[] = [];
  const seen = new Set<string>();
  const add: Add = (rule, path, field, message, fix) => {
    const key = JSON.stringify([rule.id, path, field, message]);
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ ruleId: rule.id, severity: rule.severity, path, field, message, fix });
  };
  const { budget } = evaluation;
  budget.pools.forEach((p, i) => {
    if (p.declaredAs === 'capacity' && !p.reservedDeclared) {
      add(CAPACITY_RULES.capacityWithoutReserved, budget.path, `nodePools[${i}].reserved`,
        `pool '${p.name}' declares capacity (${showAmounts(p.declared)}) but no reservations, so its allocatable is taken to be the whole capacity; the kubelet's system and kube reservations and the eviction threshold make the real allocatable smaller, and the fit may be overstated.`,
        "declare reserved (systemReserved, kubeReserved, evictionHard), or give allocatable instead of capacity (kubectl get node <node> -o jsonpath='{.status.allocatable}').");
    }
  });
  const search = new FixSearch(evaluation);
  evaluation.managers.forEach((m, i) => managerFindings(add, budget, m, managers[i], evaluation, search));
  const rank = (f: Finding) => (f.severity === Severity.ERROR ? 0 : 1);
  // A stable sort: within one rule, findings keep the order of the pools and managers.
  return out.sort((a, b) => rank(a) - rank(b) || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0));
}

function managerFindings(
  add: Add, budget: BudgetModel, m: ManagerCapacity, model: ManagerModel, evaluation: CapacityEvaluation, search: FixSearch,
): void {
  bestEffort(add, m);
  const runtimeClass = runtimeClassOf(model.jobPod);
  if (runtimeClass !== undefined && budget.runtimeClasses[runtimeClass] === undefined) {
    add(CAPACITY_RULES.unknownRuntimeOverhead, m.jobPodPath, settingField(model.jobPod, 'runtime_class_name', 'runtimeClassName'),
      `job pods run with RuntimeClass '${runtimeClass}', whose pod overhead (the sandbox's own CPU and memory, added to every pod's request) budget ${budget.path} does not declare, so the fit may be overstated.`,
      `declare it in the budget's runtimeClasses: { name: '${runtimeClass}', cpu: ..., memory: ... } (kubectl get runtimeclass ${runtimeClass} -o jsonpath='{.overhead.podFixed}').`);
  }
  const eligible = eligiblePools(m);
  if (eligible.length === 0) {
    noEligiblePool(add, budget, m);
    return;
  }
  memoryVolumeFindings(add, CAPACITY_RULES.memoryVolumes, m, model);
  if (!eligible.some((p) => p.byRequests.count > 0)) {
    podTooLarge(add, CAPACITY_RULES.podTooLarge, m, m.pod, eligible, (p) => p.byRequests, false);
    return;
  }
  if (m.worstPod && !eligible.some((p) => (p.worstCase?.count ?? 0) > 0)) {
    podTooLarge(add, CAPACITY_RULES.worstCaseTooLarge, m, m.worstPod, eligible, (p) => p.worstCase!, true);
  }
  const capacity = m.placed + m.spare;
  if (m.unplaced > 0) demandExceedsFit(add, budget, m, evaluation, search);
  else if (m.demand.maxSurge > 0 && m.demand.surgeSlots > capacity) surgeExceedsFit(add, budget, m, capacity);
  naiveOverstates(add, budget, m, eligible);
  packedLimits(add, budget, m, eligible);
}

function containerList(pod: PodShape, r: ResourceKind): string {
  const parts = pod.containers.filter((c) => !c.init && c.requests[r] > 0n).map((c) => `${c.name} ${showAmount(r, c.requests[r])}`);
  const init = pod.containers.find((c) => c.init);
  const sum = pod.containers.reduce((total, c) => total + (c.init ? 0n : c.requests[r]), 0n);
  const initNote = init && init.requests[r] > sum ? `; the init container ${init.name}, ${showAmount(r, init.requests[r])}, is larger and sets the request` : '';
  const overhead = pod.overhead?.[r] ? ` + runtime overhead ${showAmount(r, pod.overhead[r]!)}` : '';
  return `${parts.join(' + ') || 'nothing'}${overhead}${initNote}`;
}

/** The container contributing most of resource `r`, and the spec key its amount comes from. */
function largestContributor(pod: PodShape, r: ResourceKind, worst: boolean): { container: ContainerShape; key: string } {
  const byAmount = pod.containers.filter((c) => !c.init).sort((a, b) => (b.requests[r] > a.requests[r] ? 1 : b.requests[r] < a.requests[r] ? -1 : 0));
  const c = byAmount[0];
  const fromLimit = c.requestFromLimit.includes(r);
  const key = worst ? (fromLimit ? 'maxLimit' : 'maxRequest') : (fromLimit ? 'limit' : 'request');
  return { container: c, key };
}

/** The container with the largest limit of resource `r` (the one to lower first). */
function largestLimit(pod: PodShape, r: ResourceKind): ContainerShape {
  return pod.containers.filter((c) => !c.init).reduce((a, b) => ((b.limits[r] ?? 0n) > (a.limits[r] ?? 0n) ? b : a));
}

function bestEffort(add: Add, m: ManagerCapacity): void {
  const byField = new Map<string, { names: string[]; missing: ResourceKind[] }>();
  for (const c of m.pod.containers) {
    if (c.init) continue;
    const missing = c.undeclared.filter((r) => r === 'cpu' || r === 'memory');
    if (missing.length === 0) continue;
    const entry = byField.get(c.field) ?? { names: [], missing };
    entry.names.push(c.name);
    byField.set(c.field, entry);
  }
  for (const [field, { names, missing }] of byField) {
    const what = missing.map((r) => RESOURCE_LABEL[r]).join(' and ');
    const init = field === 'helper.resources' ? ' (and the init container init-permissions, which uses the helper\'s resources)' : '';
    add(CAPACITY_RULES.bestEffort, m.jobPodPath, `${field}.${missing[0]}`,
      `container${names.length > 1 ? 's' : ''} ${names.join(', ')}${init} declare${names.length > 1 ? '' : 's'} neither a request nor a limit for ${what}: the scheduler counts ${what} as 0 for them, so job pods pile onto one node and are throttled, OOM-killed or evicted first.`,
      `set ${missing.map((r) => `${field}.${r}.request`).join(' and ')} to what the container needs (e.g. cpu '100m', memory '128Mi' for the helper).`);
  }
}

/** What to change for CAP002, per field. */
const EXCLUSION_FIX: Record<ExclusionField, string> = {
  'nodeSelector': 'make nodeSelector match the labels of the pool meant for CI (or declare those labels on the pool)',
  'extraConfig.affinity': 'make the required node affinity (extraConfig.affinity.node_affinity) match the labels of the pool meant for CI (or declare those labels on the pool)',
  'nodeAffinity': 'make the required node affinity (nodeAffinity.required) match the labels of the pool meant for CI (or declare those labels on the pool)',
  'tolerations': 'add tolerations for the taints of the pool meant for CI, or remove those taints',
};

function noEligiblePool(add: Add, budget: BudgetModel, m: ManagerCapacity): void {
  const why = m.pools.map((p) => `pool '${p.pool}': ${p.reasons.join('; ')}`).join('; ');
  // The field that excludes the most pools is named; the fix covers every field that excludes one.
  const counts = new Map<ExclusionField, number>();
  for (const p of m.pools) for (const f of new Set(p.excludedBy)) counts.set(f, (counts.get(f) ?? 0) + 1);
  const fields = [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([f]) => f);
  const field = fields[0] ?? 'nodeSelector';
  add(CAPACITY_RULES.noEligiblePool, m.jobPodPath, field,
    `job pods of ${m.path} may use no node pool of budget ${budget.path} (${why}); every job would stay Pending until poll_timeout fails it.`,
    `${fields.map((f) => EXCLUSION_FIX[f]).join('; and ') || EXCLUSION_FIX.nodeSelector}.`);
}

function podTooLarge(
  add: Add, rule: CapacityRule, m: ManagerCapacity, pod: PodShape, eligible: PoolFit[], fit: (p: PoolFit) => NodeFit, worst: boolean,
): void {
  // The resource to name: one the pod needs more of than any node has free.
  const over = RESOURCES.find((r) => eligible.every((p) => p.free[r] !== undefined && pod.request[r] > p.free[r]!))
    ?? (fit(eligible[0]).binding as ResourceKind);
  const best = eligible.reduce((a, b) => ((b.free[over] ?? 0n) > (a.free[over] ?? 0n) ? b : a));
  const { container, key } = largestContributor(pod, over, worst);
  const what = worst ? 'when a job raises its resources to the *_overwrite_max_allowed values, its pod' : 'the job pod';
  add(rule, m.jobPodPath, `${container.field}.${over}.${key}`,
    `${what} requests ${RESOURCE_LABEL[over]} ${showAmount(over, pod.request[over])} (${containerList(pod, over)}), but the largest free node of the pools it may use has ${showFree(best.free, over)} (pool '${best.pool}', allocatable minus DaemonSets), so the pod never schedules and every job fails after poll_timeout.`,
    `lower ${container.field}.${over}.${key} so the pod needs at most ${showFree(best.free, over)} ${RESOURCE_LABEL[over]}, or add a pool of larger nodes to the budget.`);
}

/** Per-pool packing as a phrase: `pool 'workers' takes 5 per node × 3 nodes (cpu binds: 8 free ÷ 1.5)`. */
function poolSentence(m: ManagerCapacity, p: PoolFit, budget: BudgetModel): string {
  const pool = budget.pools[p.index];
  const autoscaling = pool.maxNodes !== undefined ? ', its autoscaling maximum' : '';
  const b = p.byRequests.binding;
  const basis = b === 'pods'
    ? `pods bind: ${p.free.pods} pod slots free after DaemonSets`
    : `${RESOURCE_LABEL[b]} binds: ${showFree(p.free, b)} free ÷ ${showAmount(b, m.pod.request[b])}`;
  return `pool '${p.pool}' takes ${p.byRequests.count} per node × ${p.nodes} node${p.nodes === 1 ? '' : 's'}${autoscaling} (${basis})`;
}

function slotsSentence(m: ManagerCapacity): string {
  const d = m.demand;
  const per = d.cappedBy === 'limit' ? `limit ${d.slotsPerReplica}` : `concurrent ${d.concurrent}`;
  return `${d.replicas} replica${d.replicas === 1 ? '' : 's'} × ${per} = ${d.slots} job slots`;
}

/** Re-checks a changed budget with the same placement, restricted to the component the change is in. */
class FixSearch {
  private readonly pools: PlacementPool[];
  private readonly memo = new Map<string, number | undefined>();

  constructor(private readonly evaluation: CapacityEvaluation) {
    this.pools = evaluation.budget.pools.map((p) => ({ count: evaluatedNodes(p), free: freeOf(p) }));
  }

  /** Whether every slot of component `c` is placed when type `t` has `demand` and pool `pool` has `extra` more nodes. */
  fits(c: number, change: { type?: number; demand?: number; pool?: number; extra?: number }): boolean {
    const component = this.evaluation.placement.components[c];
    const inside = new Set(component.types);
    const types = this.evaluation.types.map((t, i) => (inside.has(i)
      ? { size: t.request, demand: i === change.type ? change.demand! : t.demand, pools: t.pools }
      : { size: t.request, demand: 0, pools: [] }));
    const pools = change.pool === undefined ? this.pools
      : this.pools.map((p, i) => (i === change.pool ? { ...p, count: p.count + change.extra! } : p));
    return place(pools, types, () => '').status === 'fits';
  }

  /** The largest n in [lo, hi] for which `ok(n)` holds, given ok is monotone (true up to some n); undefined if ok(lo) fails. */
  largest(key: string, lo: number, hi: number, ok: (n: number) => boolean): number | undefined {
    if (this.memo.has(key)) return this.memo.get(key);
    let answer: number | undefined;
    if (lo <= hi && ok(lo)) {
      let good = lo;
      let bad = hi + 1;
      while (bad - good > 1) {
        const mid = good + Math.floor((bad - good) / 2);
        if (ok(mid)) good = mid;
        else bad = mid;
      }
      answer = good;
    }
    this.memo.set(key, answer);
    return answer;
  }

  /** The smallest n ≥ 1 for which `ok(n)` holds, searched by doubling then bisection up to `most`; undefined if ok(most) fails. */
  smallest(key: string, most: number, ok: (n: number) => boolean): number | undefined {
    if (this.memo.has(key)) return this.memo.get(key);
    let answer: number | undefined;
    if (most >= 1 && ok(most)) {
      let bad = 0;
      let good = most;
      for (let n = 1; n < most; n *= 2) {
        if (ok(n)) {
          good = n;
          break;
        }
        bad = n;
      }
      while (good - bad > 1) {
        const mid = bad + Math.floor((good - bad) / 2);
        if (ok(mid)) good = mid;
        else bad = mid;
      }
      answer = good;
    }
    this.memo.set(key, answer);
    return answer;
  }
}

/** The suggested fixes for manager `m` whose component does not fit, each re-checked by the placement and minimal. */
function provenFixes(search: FixSearch, evaluation: CapacityEvaluation, m: ManagerCapacity): string[] {
  const d = m.demand;
  const t = evaluation.types[m.type];
  const c = evaluation.placement.componentOf[m.type];
  const others = t.demand - d.slots;
  const fixes: string[] = [];
  const field = d.cappedBy;
  const perReplica = search.largest(`slots|${m.type}|${others}|${d.replicas}|${d.slotsPerReplica}`, 1, d.slotsPerReplica - 1,
    (n) => search.fits(c, { type: m.type, demand: others + d.replicas * n }));
  if (perReplica !== undefined) {
    fixes.push(`lower ${field} to ${perReplica} (${d.replicas} × ${perReplica} = ${d.replicas * perReplica} slots)`);
  } else if (d.replicas > 1) {
    const replicas = search.largest(`replicas|${m.type}|${others}|${d.replicas}`, 1, d.replicas - 1, (n) => search.fits(c, { type: m.type, demand: others + n }));
    if (replicas !== undefined) fixes.push(`lower replicas to ${replicas} with ${field} 1`);
  }
  // The pool whose nodes each take the most of these pods; adding nodes there is searched, not estimated.
  const widest = eligiblePools(m).filter((p) => p.byRequests.count > 0)
    .reduce<PoolFit | undefined>((a, b) => (a === undefined || b.byRequests.count > a.byRequests.count ? b : a), undefined);
  if (widest) {
    const component = evaluation.placement.components[c];
    // Enough nodes for every type of the component that may use the pool to have nodes of its own: if adding nodes
    // to this pool can make the component fit, this many do (more nodes never hurt).
    const most = component.types.reduce((sum, ti) => {
      const other = evaluation.types[ti];
      const fit = other.pools.includes(widest.index) ? nodeFit(widest.free, other.request).count : 0;
      return sum + (fit > 0 ? Math.ceil(other.demand / fit) : 0);
    }, 0);
    const added = search.smallest(`nodes|${c}|${widest.index}`, most, (n) => search.fits(c, { pool: widest.index, extra: n }));
    if (added !== undefined) {
      const pool = evaluation.budget.pools[widest.index];
      const what = pool.maxNodes !== undefined
        ? `raise maxNodes of pool '${pool.name}' from ${pool.maxNodes} to ${pool.maxNodes + added}`
        : `add ${added} node${added === 1 ? '' : 's'} to pool '${pool.name}' (${pool.nodes} → ${pool.nodes + added})`;
      fixes.push(`${what}, each fitting ${widest.byRequests.count} of these job pods`);
    }
  }
  return fixes;
}

function demandExceedsFit(add: Add, budget: BudgetModel, m: ManagerCapacity, evaluation: CapacityEvaluation, search: FixSearch): void {
  const d = m.demand;
  const verdict = evaluation.placement.components[evaluation.placement.componentOf[m.type]];
  const eligible = eligiblePools(m).filter((p) => p.byRequests.count > 0);
  const shared = m.placed < m.schedulable;
  const shown = eligible.slice(0, 3).map((p) => poolSentence(m, p, budget));
  const more = eligible.slice(3);
  const how = [...shown, ...(more.length ? [`${more.length} more pools take ${more.reduce((sum, p) => sum + p.nodes * p.byRequests.count, 0)}`] : [])].join('; ');
  const field = d.cappedBy;
  if (verdict.status !== 'does not fit') {
    add(CAPACITY_RULES.placementUndecided, m.path, field,
      `${slotsSentence(m)} on budget ${budget.path}: packing placed only ${m.placed} of them, and an exact search within its limit (${verdict.work} steps) found neither a placement of every job slot nor a proof that none exists (${how}). The slots may fit; if they do not, ${m.unplaced} jobs would sit Pending until poll_timeout.`,
      'lower concurrent or add nodes until the report shows every slot placed, or acknowledge CAP013 on the manager with Rules.acknowledge once you have checked the packing.');
    return;
  }
  const sharedNote = shared ? ` (${m.schedulable - m.placed} fewer than its pools hold alone: other managers of the budget take their share)` : '';
  // One pod type alone on its pools: the per-node fit above is the proof. With several types, say which bound holds.
  const why = verdict.types.length === 1 ? ''
    : verdict.method === 'bound' ? ` No placement exists: ${verdict.proof}.`
      : ' No placement exists: an exact search over every way to put the job pods of the managers sharing these pools on their nodes found none.';
  const fixes = provenFixes(search, evaluation, m);
  add(CAPACITY_RULES.demandExceedsFit, m.path, field,
    `${slotsSentence(m)}, but only ${m.placed} job pods fit on budget ${budget.path}${sharedNote}. Kubernetes places a job pod by its requests (${showAmounts(m.pod.request)}) on one node: ${how}.${why} The other ${m.unplaced} jobs would sit Pending and fail when poll_timeout expires.`,
    fixes.length ? `${fixes.join(', or ')}.` : 'free room on the pools these job pods may use (other managers share them), or let the job pods use more pools.');
}

function surgeExceedsFit(add: Add, budget: BudgetModel, m: ManagerCapacity, capacity: number): void {
  const d = m.demand;
  const allowed = Math.floor(capacity / Math.max(d.slotsPerReplica, 1)) - d.replicas;
  add(CAPACITY_RULES.surgeExceedsFit, m.path, 'maxSurge',
    `during a rollout (${d.replicas} + maxSurge ${d.maxSurge}) × ${d.slotsPerReplica} = ${d.surgeSlots} job slots, but only ${capacity} job pods fit on budget ${budget.path}: jobs taken by the surge pods would sit Pending and fail when poll_timeout expires.`,
    allowed > 0 ? `lower maxSurge to ${allowed}, or add nodes.` : 'set maxSurge to 0, so old manager pods finish their jobs before new ones take jobs, or add nodes.');
}

/** How much larger `naive` is than `real`, in percent, rounded to the nearest whole percent. */
function percentOver(naive: number, real: number): bigint {
  return ((BigInt(naive) - BigInt(real)) * 200n + BigInt(real)) / (2n * BigInt(real));
}

function naiveOverstates(add: Add, budget: BudgetModel, m: ManagerCapacity, eligible: PoolFit[]): void {
  const cases: Array<{ basis: string; naive?: NodeFit; real?: number; size: Amounts; pick: (p: PoolFit) => NodeFit | undefined }> = [
    { basis: 'requests', naive: m.naiveByRequests, real: m.schedulable, size: m.pod.request, pick: (p) => p.byRequests },
    { basis: 'limits', naive: m.naiveByLimits, real: m.guaranteed, size: m.pod.limit, pick: (p) => p.byLimits },
  ];
  for (const c of cases) {
    if (c.naive === undefined || c.real === undefined || c.real === 0) continue;
    if (BigInt(c.naive.count) * 100n <= BigInt(c.real) * (100n + NAIVE_TOLERANCE_PERCENT)) continue;
    const r = c.naive.binding as ResourceKind;
    const sample = memo(m.pools, 'sample', () => eligible.reduce((a, b) => (b.nodes > a.nodes ? b : a)));
    const total = memo(m.pools, `total|${r}`, () => declaredTotal(eligible.map((f) => budget.pools[f.index]), r)!);
    const fit = c.pick(sample)!;
    const perNode = budget.pools[sample.index].declared[r];
    const freeR = sample.free[r];
    const nextSize = freeR !== undefined ? freeR / BigInt(fit.count + 1) : undefined;
    const word = c.basis === 'requests' ? 'request' : 'limit';
    add(CAPACITY_RULES.naiveOverstates, budget.path, 'nodePools',
      `for job pods of ${m.path}, the sum-of-capacity estimate by ${c.basis} (${showAmount(r, total)} ${RESOURCE_LABEL[r]} ÷ ${showAmount(r, c.size[r]!)} per pod = ${c.naive.count} jobs) overstates the per-node fit (${c.real}) by ${percentOver(c.naive.count, c.real)} %: a pod must fit on one node, and a node of pool '${sample.pool}' (${perNode !== undefined ? showAmount(r, perNode) : 'n/a'} ${RESOURCE_LABEL[r]}, ${showFree(sample.free, r)} free) takes ${fit.count}, the rest of it staying unused.`,
      `size the fleet by the per-node fit (${c.real}), not by the sum${nextSize !== undefined ? `; a pod ${word} of at most ${showAmount(r, nextSize)} ${RESOURCE_LABEL[r]} would fit ${fit.count + 1} per node` : ''}, or choose nodes whose free ${RESOURCE_LABEL[r]} is a multiple of the pod's ${word}.`);
  }
}

/** Of the pools where `over` holds, the one where `ratio` (a fraction) is largest, and how many others there are. */
function worstPool(
  pools: PoolFit[], over: (p: PoolFit) => boolean, ratio: (p: PoolFit) => [bigint, bigint],
): { worst: PoolFit; others: number } | undefined {
  let worst: PoolFit | undefined;
  let count = 0;
  for (const p of pools) {
    if (!over(p)) continue;
    count++;
    if (worst === undefined) {
      worst = p;
      continue;
    }
    const [a, b] = ratio(p);
    const [c, d] = ratio(worst);
    if (a * d > c * b) worst = p;
  }
  return worst === undefined ? undefined : { worst, others: count - 1 };
}

function othersNote(others: number): string {
  return others > 0 ? ` (and on ${others} other pool${others === 1 ? '' : 's'})` : '';
}

function packedLimits(add: Add, budget: BudgetModel, m: ManagerCapacity, eligible: PoolFit[]): void {
  const packed = memo(m.pools, 'packed', () => eligible.filter((p) => p.byRequests.count > 0));
  const memLimit = m.pod.limit.memory;
  if (memLimit === undefined) {
    const open = m.pod.containers.filter((c) => !c.init && c.limits.memory === undefined);
    const busiest = memo(m.pools, 'busiest', () => packed.filter((p) => p.free.memory !== undefined)
      .reduce<PoolFit | undefined>((a, b) => (a === undefined || b.byRequests.count > a.byRequests.count ? b : a), undefined));
    if (busiest) {
      add(CAPACITY_RULES.memoryOvercommit, m.jobPodPath, `${open[0].field}.memory.limit`,
        `container${open.length > 1 ? 's' : ''} ${open.map((x) => x.name).join(', ')} of the job pod ha${open.length > 1 ? 've' : 's'} no memory limit: on a fully packed node of pool '${busiest.pool}' (${busiest.byRequests.count} job pods) nothing stops them from using more than the node's ${showAmount('memory', busiest.free.memory!)} free memory, and the kubelet then evicts or the kernel OOM-kills pods, other jobs' included.`,
        `set ${open[0].field}.memory.limit (a memory limit fails only the job that exceeds it).`);
    }
  } else {
    const hit = memo(m.pools, `memory|${memLimit}`, () => worstPool(packed, (p) => p.free.memory !== undefined && memLimit * BigInt(p.byRequests.count) > p.free.memory,
      (p) => [memLimit * BigInt(p.byRequests.count), p.free.memory!]));
    if (hit) {
      const { worst: p, others } = hit;
      const n = p.byRequests.count;
      const k = BigInt(n);
      add(CAPACITY_RULES.memoryOvercommit, m.jobPodPath, `${largestLimit(m.pod, 'memory').field}.memory.limit`,
        `on a fully packed node of pool '${p.pool}'${othersNote(others)} the ${n} job pods (placed by their ${showAmount('memory', m.pod.request.memory)} memory request) may use up to ${n} × ${showAmount('memory', memLimit)} = ${showAmount('memory', memLimit * k)} memory by their limits, more than the node's ${showAmount('memory', p.free.memory!)} free: when several jobs peak together the kubelet evicts or the kernel OOM-kills pods.`,
        `raise the memory requests toward the limits (fewer pods per node, each guaranteed its memory), or lower the memory limits to at most ${showAmount('memory', p.free.memory! / k)} per pod.`);
    }
  }
  const cpuLimit = m.pod.limit.cpu;
  if (cpuLimit === undefined) return;
  const ratioPermille = BigInt(Math.round(budget.cpuLimitOvercommitRatio * 1000));
  const hit = memo(m.pools, `cpu|${cpuLimit}|${ratioPermille}`, () => worstPool(packed,
    (p) => p.free.cpu !== undefined && cpuLimit * BigInt(p.byRequests.count) * 1000n > p.free.cpu * ratioPermille,
    (p) => [cpuLimit * BigInt(p.byRequests.count), p.free.cpu!]));
  if (!hit) return;
  const { worst: p, others } = hit;
  const n = p.byRequests.count;
  const k = BigInt(n);
  const hundredths = (cpuLimit * k * 100n) / p.free.cpu!;
  const ratio = `${hundredths / 100n}.${(hundredths % 100n).toString().padStart(2, '0')}`;
  add(CAPACITY_RULES.cpuOvercommit, m.jobPodPath, `${largestLimit(m.pod, 'cpu').field}.cpu.limit`,
    `on a fully packed node of pool '${p.pool}'${othersNote(others)} the ${n} job pods may use up to ${n} × ${showAmount('cpu', cpuLimit)} = ${showAmount('cpu', cpuLimit * k)} CPU by their limits, ${ratio}× the node's ${showAmount('cpu', p.free.cpu!)} free CPU (allowed: ${budget.cpuLimitOvercommitRatio}×): concurrent builds get throttled and run slower than their limits promise.`,
    `raise the CPU requests toward the limits, lower the CPU limits, or accept it by raising the budget's cpuLimitOvercommitRatio to ${(hundredths + 99n) / 100n}.`);
}
