import {
  CapacityEvaluation, ContainerShape, declaredTotal, eligiblePools, evaluatedNodes, ExclusionField, freeOf, ManagerCapacity, NodeFit,
  nodeFit, PodShape, PoolFit, runtimeClassOf,
} from './evaluate';
import { FINDINGS_MESSAGES as M } from './findings.messages';
import { RESOURCE_LABEL, showAmount, showAmounts, showFree } from './format';
import { memoryVolumeFindings } from './memory-volumes';
import { place, PlacementPool } from './placement';
import { Amounts, BudgetModel, RESOURCES } from '../../model/budget';
import { Finding, Severity } from '../../model/finding';
import type { ManagerModel } from '../../model/manager';
import type { Problem } from '../../model/problem';
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

type Add = (rule: CapacityRule, path: string, field: string, problem: Problem) => void;

/** Every capacity finding of one budget, errors first, then by rule id; each (rule, path, field, message) once. */
export function capacityFindings(evaluation: CapacityEvaluation, managers: ManagerModel[]): Finding[] {
  const out: Finding[] = [];
  const seen = new Set<string>();
  const add: Add = (rule, path, field, { message, fix }) => {
    const key = JSON.stringify([rule.id, path, field, message]);
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ ruleId: rule.id, severity: rule.severity, path, field, message, fix });
  };
  const { budget } = evaluation;
  budget.pools.forEach((p, i) => {
    if (p.declaredAs === 'capacity' && !p.reservedDeclared) {
      add(CAPACITY_RULES.capacityWithoutReserved, budget.path, `nodePools[${i}].reserved`,
        M.capacityWithoutReserved({ pool: p.name, declared: showAmounts(p.declared) }));
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
      M.unknownRuntimeOverhead({ runtimeClass, budgetPath: budget.path }));
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
  const parts = pod.containers.filter((c) => !c.init && c.requests[r] > 0n).map((c) => M.containerPart(c.name, showAmount(r, c.requests[r])));
  const init = pod.containers.find((c) => c.init);
  const sum = pod.containers.reduce((total, c) => total + (c.init ? 0n : c.requests[r]), 0n);
  return M.containerList({
    parts,
    overhead: pod.overhead?.[r] ? showAmount(r, pod.overhead[r]!) : undefined,
    init: init && init.requests[r] > sum ? { name: init.name, amount: showAmount(r, init.requests[r]) } : undefined,
  });
}

/** The container contributing most of resource `r`, and the spec key its amount comes from. */
function largestContributor(pod: PodShape, r: ResourceKind, worst: boolean): { container: ContainerShape; key: string } {
  const byAmount = pod.containers.filter((c) => !c.init)
    .sort((a, b) => (b.requests[r] > a.requests[r] ? 1 : b.requests[r] < a.requests[r] ? -1 : 0));
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
    add(CAPACITY_RULES.bestEffort, m.jobPodPath, `${field}.${missing[0]}`, M.bestEffort({
      names,
      helperInit: field === 'helper.resources',
      what: missing.map((r) => RESOURCE_LABEL[r]).join(' and '),
      requestFields: missing.map((r) => `${field}.${r}.request`),
    }));
  }
}

function noEligiblePool(add: Add, budget: BudgetModel, m: ManagerCapacity): void {
  const why = m.pools.map((p) => M.poolReasons(p.pool, p.reasons)).join('; ');
  // The field that excludes the most pools is named; the fix covers every field that excludes one.
  const counts = new Map<ExclusionField, number>();
  for (const p of m.pools) for (const f of new Set(p.excludedBy)) counts.set(f, (counts.get(f) ?? 0) + 1);
  const fields = [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([f]) => f);
  const field = fields[0] ?? 'nodeSelector';
  add(CAPACITY_RULES.noEligiblePool, m.jobPodPath, field, M.noEligiblePool({ managerPath: m.path, budgetPath: budget.path, why, fields }));
}

function podTooLarge(
  add: Add, rule: CapacityRule, m: ManagerCapacity, pod: PodShape, eligible: PoolFit[], fit: (p: PoolFit) => NodeFit, worst: boolean,
): void {
  // The resource to name: one the pod needs more of than any node has free.
  const over = RESOURCES.find((r) => eligible.every((p) => p.free[r] !== undefined && pod.request[r] > p.free[r]!))
    ?? (fit(eligible[0]).binding as ResourceKind);
  const best = eligible.reduce((a, b) => ((b.free[over] ?? 0n) > (a.free[over] ?? 0n) ? b : a));
  const { container, key } = largestContributor(pod, over, worst);
  const field = `${container.field}.${over}.${key}`;
  add(rule, m.jobPodPath, field, M.podTooLarge({
    worst,
    resource: RESOURCE_LABEL[over],
    request: showAmount(over, pod.request[over]),
    containers: containerList(pod, over),
    largestFree: showFree(best.free, over),
    pool: best.pool,
    field,
  }));
}

/** Per-pool packing as a phrase: `pool 'workers' takes 5 per node × 3 nodes (cpu binds: 8 free ÷ 1.5)`. */
function poolSentence(m: ManagerCapacity, p: PoolFit, budget: BudgetModel): string {
  const b = p.byRequests.binding;
  return M.poolSentence({
    pool: p.pool,
    count: p.byRequests.count,
    nodes: p.nodes,
    autoscaling: budget.pools[p.index].maxNodes !== undefined,
    binds: b === 'pods' ? { pods: p.free.pods }
      : { resource: RESOURCE_LABEL[b], free: showFree(p.free, b), size: showAmount(b, m.pod.request[b]) },
  });
}

function slotsSentence(m: ManagerCapacity): string {
  const d = m.demand;
  return M.slotsSentence({
    replicas: d.replicas, cappedByLimit: d.cappedBy === 'limit', slotsPerReplica: d.slotsPerReplica, concurrent: d.concurrent, slots: d.slots,
  });
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
    fixes.push(M.fixLowerSlots({ field, perReplica, replicas: d.replicas }));
  } else if (d.replicas > 1) {
    const replicas = search.largest(`replicas|${m.type}|${others}|${d.replicas}`, 1, d.replicas - 1,
      (n) => search.fits(c, { type: m.type, demand: others + n }));
    if (replicas !== undefined) fixes.push(M.fixLowerReplicas({ replicas, field }));
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
      fixes.push(M.fixAddNodes({ pool: pool.name, nodes: pool.nodes, maxNodes: pool.maxNodes, added, perNode: widest.byRequests.count }));
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
  const rest = more.length ? [M.morePools(more.length, more.reduce((sum, p) => sum + p.nodes * p.byRequests.count, 0))] : [];
  const how = [...shown, ...rest].join('; ');
  const field = d.cappedBy;
  if (verdict.status !== 'does not fit') {
    add(CAPACITY_RULES.placementUndecided, m.path, field, M.placementUndecided({
      slots: slotsSentence(m), budgetPath: budget.path, placed: m.placed, work: verdict.work, how, unplaced: m.unplaced,
    }));
    return;
  }
  // One pod type alone on its pools: the per-node fit above is the proof. With several types, say which bound holds.
  const proof = verdict.types.length === 1 ? undefined
    : verdict.method === 'bound' ? { bound: verdict.proof! } : 'search' as const;
  add(CAPACITY_RULES.demandExceedsFit, m.path, field, M.demandExceedsFit({
    slots: slotsSentence(m),
    placed: m.placed,
    budgetPath: budget.path,
    shortBy: shared ? m.schedulable - m.placed : undefined,
    requests: showAmounts(m.pod.request),
    how,
    proof,
    unplaced: m.unplaced,
    fixes: provenFixes(search, evaluation, m),
  }));
}

function surgeExceedsFit(add: Add, budget: BudgetModel, m: ManagerCapacity, capacity: number): void {
  const d = m.demand;
  const allowed = Math.floor(capacity / Math.max(d.slotsPerReplica, 1)) - d.replicas;
  add(CAPACITY_RULES.surgeExceedsFit, m.path, 'maxSurge', M.surgeExceedsFit({
    replicas: d.replicas,
    maxSurge: d.maxSurge,
    slotsPerReplica: d.slotsPerReplica,
    surgeSlots: d.surgeSlots,
    capacity,
    budgetPath: budget.path,
    allowed,
  }));
}

/** How much larger `naive` is than `real`, in percent, rounded to the nearest whole percent. */
function percentOver(naive: number, real: number): bigint {
  return ((BigInt(naive) - BigInt(real)) * 200n + BigInt(real)) / (2n * BigInt(real));
}

function naiveOverstates(add: Add, budget: BudgetModel, m: ManagerCapacity, eligible: PoolFit[]): void {
  const cases: Array<{
    basis: 'requests' | 'limits'; naive?: NodeFit; real?: number; size: Amounts; pick: (p: PoolFit) => NodeFit | undefined;
  }> = [
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
    add(CAPACITY_RULES.naiveOverstates, budget.path, 'nodePools', M.naiveOverstates({
      managerPath: m.path,
      basis: c.basis,
      total: showAmount(r, total),
      resource: RESOURCE_LABEL[r],
      size: showAmount(r, c.size[r]!),
      naive: c.naive.count,
      real: c.real,
      percent: percentOver(c.naive.count, c.real),
      pool: sample.pool,
      perNode: perNode !== undefined ? showAmount(r, perNode) : 'n/a',
      free: showFree(sample.free, r),
      fit: fit.count,
      nextSize: nextSize !== undefined ? showAmount(r, nextSize) : undefined,
    }));
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

function packedLimits(add: Add, budget: BudgetModel, m: ManagerCapacity, eligible: PoolFit[]): void {
  const packed = memo(m.pools, 'packed', () => eligible.filter((p) => p.byRequests.count > 0));
  const memLimit = m.pod.limit.memory;
  if (memLimit === undefined) {
    const open = m.pod.containers.filter((c) => !c.init && c.limits.memory === undefined);
    const busiest = memo(m.pools, 'busiest', () => packed.filter((p) => p.free.memory !== undefined)
      .reduce<PoolFit | undefined>((a, b) => (a === undefined || b.byRequests.count > a.byRequests.count ? b : a), undefined));
    if (busiest) {
      const field = `${open[0].field}.memory.limit`;
      add(CAPACITY_RULES.memoryOvercommit, m.jobPodPath, field, M.memoryUnlimited({
        names: open.map((x) => x.name), pool: busiest.pool, pods: busiest.byRequests.count, free: showAmount('memory', busiest.free.memory!), field,
      }));
    }
  } else {
    const hit = memo(m.pools, `memory|${memLimit}`, () => worstPool(packed,
      (p) => p.free.memory !== undefined && memLimit * BigInt(p.byRequests.count) > p.free.memory,
      (p) => [memLimit * BigInt(p.byRequests.count), p.free.memory!]));
    if (hit) {
      const { worst: p, others } = hit;
      const n = p.byRequests.count;
      const k = BigInt(n);
      add(CAPACITY_RULES.memoryOvercommit, m.jobPodPath, `${largestLimit(m.pod, 'memory').field}.memory.limit`, M.memoryOvercommit({
        pool: p.pool,
        others,
        pods: n,
        request: showAmount('memory', m.pod.request.memory),
        limit: showAmount('memory', memLimit),
        total: showAmount('memory', memLimit * k),
        free: showAmount('memory', p.free.memory!),
        perPod: showAmount('memory', p.free.memory! / k),
      }));
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
  add(CAPACITY_RULES.cpuOvercommit, m.jobPodPath, `${largestLimit(m.pod, 'cpu').field}.cpu.limit`, M.cpuOvercommit({
    pool: p.pool,
    others,
    pods: n,
    limit: showAmount('cpu', cpuLimit),
    total: showAmount('cpu', cpuLimit * k),
    ratio,
    free: showAmount('cpu', p.free.cpu!),
    allowed: budget.cpuLimitOvercommitRatio,
    ratioNeeded: (hundredths + 99n) / 100n,
  }));
}
