import { Amounts, BudgetModel, Dimension, Free, PoolModel, RESOURCES } from '../../model/budget';
import type { JobPodModel } from '../../model/job-pod';
import type { ManagerModel } from '../../model/manager';
import { Quantity } from '../../model/quantity';
import { ContainerResources, ResourceKind, ResourceSpec } from '../../model/resources';
import { byCodeUnit } from '../render/records';
import { serviceContainerNames } from '../render/service-names';

// Capacity as Kubernetes computes it: pods are placed by their requests, one node at a time, into what is left of a
// node's allocatable after DaemonSets. Pure functions over plain models; every fit decision is exact bigint
// arithmetic on nano-units (Quantity._nanos), never floating point.

/** One container of the job pod, with Kubernetes' effective request (request, else limit, else 0). */
export interface ContainerShape {
  /** The container's name in the pod (`build`, `helper`, a service alias, `init-permissions`). */
  readonly name: string;
  readonly init: boolean;
  /** The JobPodTemplate prop its resources come from. */
  readonly field: string;
  readonly requests: Record<ResourceKind, bigint>;
  /** Undefined where the container has no limit. */
  readonly limits: Amounts;
  /** Where the request is copied from the limit (Kubernetes does that when only a limit is set). */
  readonly requestFromLimit: ResourceKind[];
  /** Resources with neither a request nor a limit. */
  readonly undeclared: ResourceKind[];
}

/** The job pod as the scheduler sees it. */
export interface PodShape {
  readonly containers: ContainerShape[];
  readonly runtimeClass?: string;
  /** The RuntimeClass overhead added to the pod, when the budget declares it. */
  readonly overhead?: Amounts;
  /** max(largest init container, sum of containers) + overhead. */
  readonly request: Record<ResourceKind, bigint>;
  /** The same for limits; undefined where some container has no limit (the pod is then unbounded). */
  readonly limit: Amounts;
}

/** How many jobs a manager takes at once. */
export interface Demand {
  readonly replicas: number;
  readonly concurrent: number;
  readonly limit?: number;
  /** Jobs per manager pod: concurrent, capped by the runner's limit when set. */
  readonly slotsPerReplica: number;
  /** Which setting caps the jobs of one manager pod. */
  readonly cappedBy: 'concurrent' | 'limit';
  readonly maxSurge: number;
  /** replicas × slotsPerReplica. */
  readonly slots: number;
  /** (replicas + maxSurge) × slotsPerReplica: old and new pods both take jobs during a rollout. */
  readonly surgeSlots: number;
}

/** How many job pods one node of a pool takes, and what runs out first. */
export interface NodeFit {
  readonly count: number;
  /** The dimension that limits the count (the first, in DIMENSIONS order, on a tie). */
  readonly binding: Dimension;
}

/** One pool, seen from one manager's job pods. */
export interface PoolFit {
  readonly pool: string;
  /** The pool's position in the budget. */
  readonly index: number;
  readonly eligible: boolean;
  /** Why the pool is excluded, or a note (PreferNoSchedule taints). */
  readonly reasons: string[];
  /** Nodes the evaluation counts: maxNodes when the pool autoscales. */
  readonly nodes: number;
  readonly free: Free;
  readonly byRequests: NodeFit;
  /** Undefined when no resource of the pod has a limit. */
  readonly byLimits?: NodeFit;
  readonly worstCase?: NodeFit;
}

/** The capacity of one manager's job pods on a budget. */
export interface ManagerCapacity {
  readonly path: string;
  readonly name: string;
  readonly jobPodPath: string;
  readonly demand: Demand;
  readonly pod: PodShape;
  /** The pod when every job raises its resources to the *_overwrite_max_allowed values; undefined without overwrites. */
  readonly worstPod?: PodShape;
  readonly pools: PoolFit[];
  /** Σ nodes × per-node fit by requests over the eligible pools, as if the manager had the budget to itself. */
  readonly schedulable: number;
  /** The same by limits: pods that can all run at their limits at once. Undefined when the pod has no limit. */
  readonly guaranteed?: number;
  /** Schedulable pods when every job asks for the most it may. */
  readonly worstCaseSchedulable?: number;
  /** Σ declared per-node size ÷ pod request, the sum-of-capacity arithmetic. Undefined when nothing is requested. */
  readonly naiveByRequests?: NodeFit;
  /** Σ declared per-node size ÷ pod limit. */
  readonly naiveByLimits?: NodeFit;
  /** Job pods placed by the shared first-fit-decreasing packing of all managers of the budget. */
  readonly placed: number;
  /** Slots that found no node. */
  readonly unplaced: number;
  /** Further job pods of this shape that still fit after every manager was packed. */
  readonly spare: number;
}

/** Identical nodes of one pool after packing: how many, what is left on each, and which job pods each holds. */
export interface NodeGroup {
  readonly pool: string;
  /** The pool's position in the budget. */
  readonly poolIndex: number;
  readonly count: number;
  readonly free: Free;
  /** Job pods per node, by manager index (ManagerCapacity order). */
  readonly pods: Array<{ readonly manager: number; readonly count: number }>;
}

/** Everything the verdicts and the report need about one budget. */
export interface CapacityEvaluation {
  readonly budget: BudgetModel;
  readonly managers: ManagerCapacity[];
  readonly nodes: NodeGroup[];
}

// ---------------------------------------------------------------------------------------------------------------
// The job pod

const ZERO: Record<ResourceKind, bigint> = { cpu: 0n, memory: 0n, ephemeralStorage: 0n };

function nanos(text: string | undefined): bigint | undefined {
  return text === undefined ? undefined : Quantity._nanosOf(text);
}

function container(name: string, field: string, resources: ContainerResources | undefined, worst: boolean, init = false): ContainerShape {
  const requests = { ...ZERO };
  const limits: Amounts = {};
  const requestFromLimit: ResourceKind[] = [];
  const undeclared: ResourceKind[] = [];
  for (const r of RESOURCES) {
    const spec: ResourceSpec = resources?.[r] ?? {};
    const request = nanos(worst ? spec.maxRequest ?? spec.request : spec.request);
    const limit = nanos(worst ? spec.maxLimit ?? spec.limit : spec.limit);
    if (limit !== undefined) limits[r] = limit;
    if (request !== undefined) {
      requests[r] = request;
    } else if (limit !== undefined) {
      requests[r] = limit;
      requestFromLimit.push(r);
    } else {
      undeclared.push(r);
    }
  }
  return { name, init, field, requests, limits, requestFromLimit, undeclared };
}

/** Whether any container of the job pod lets jobs raise a request or limit (`*_overwrite_max_allowed`). */
export function hasOverwrites(job: JobPodModel): boolean {
  const all = [job.buildResources, job.helper.resources, job.services.length ? job.serviceResources : undefined];
  return all.some((res) => RESOURCES.some((r) => res?.[r]?.maxRequest !== undefined || res?.[r]?.maxLimit !== undefined));
}

/** The RuntimeClass job pods run with, if config.toml sets one. */
export function runtimeClassOf(job: JobPodModel): string | undefined {
  const name = job.extraConfig.runtime_class_name;
  return typeof name === 'string' && name !== '' ? name : undefined;
}

/**
 * The job pod the Kubernetes executor creates: build, helper, one container per service (all with the service_*
 * resources), and the init container `init-permissions` with the helper's resources.
 */
export function podShape(job: JobPodModel, budget: Pick<BudgetModel, 'runtimeClasses'>, worst = false): PodShape {
  const containers = [
    container('build', 'buildResources', job.buildResources, worst),
    container('helper', 'helper.resources', job.helper.resources, worst),
    ...serviceContainerNames(job.services.map((s) => s.alias)).map((name) => container(name, 'serviceResources', job.serviceResources, worst)),
    container('init-permissions', 'helper.resources', job.helper.resources, worst, true),
  ];
  const runtimeClass = runtimeClassOf(job);
  const overhead = runtimeClass !== undefined ? budget.runtimeClasses[runtimeClass] : undefined;
  const request = { ...ZERO };
  const limit: Amounts = {};
  for (const r of RESOURCES) {
    const sum = (pick: (c: ContainerShape) => bigint | undefined): bigint | undefined => {
      let total = 0n;
      let initMax = 0n;
      for (const c of containers) {
        const v = pick(c);
        if (v === undefined) return undefined;
        if (c.init) initMax = v > initMax ? v : initMax;
        else total += v;
      }
      return (total > initMax ? total : initMax) + (overhead?.[r] ?? 0n);
    };
    request[r] = sum((c) => c.requests[r])!;
    const l = sum((c) => c.limits[r]);
    if (l !== undefined) limit[r] = l;
  }
  return { containers, runtimeClass, overhead, request, limit };
}

// ---------------------------------------------------------------------------------------------------------------
// Demand

/** Jobs a manager takes at once, and during a rollout. */
export function demandOf(m: ManagerModel): Demand {
  const capped = m.limit !== undefined && m.limit > 0 && m.limit < m.concurrent;
  const slotsPerReplica = capped ? m.limit! : m.concurrent;
  return {
    replicas: m.replicas,
    concurrent: m.concurrent,
    limit: m.limit,
    slotsPerReplica,
    cappedBy: capped ? 'limit' : 'concurrent',
    maxSurge: m.maxSurge,
    slots: m.replicas * slotsPerReplica,
    surgeSlots: (m.replicas + m.maxSurge) * slotsPerReplica,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Supply

const SCHEDULING_EFFECTS = new Set(['NoSchedule', 'NoExecute']);

/** Whether job pods of `job` may land on `pool` (node selector against labels, tolerations against taints), and why not. */
export function eligibility(job: Pick<JobPodModel, 'nodeSelector' | 'tolerations'>, pool: PoolModel): { eligible: boolean; reasons: string[] } {
  const reasons: string[] = [];
  const notes: string[] = [];
  for (const [key, value] of Object.entries(job.nodeSelector).sort(([a], [b]) => byCodeUnit(a, b))) {
    const has = pool.labels[key];
    if (has === undefined) reasons.push(`nodes lack the label ${key}=${value} the node selector requires`);
    else if (has !== value) reasons.push(`node selector ${key}=${value}, but the nodes have ${key}=${has}`);
  }
  for (const taint of pool.taints) {
    const tolerated = job.tolerations.some((t) => t.key === taint.key
      && (t.value === undefined || t.value === (taint.value ?? ''))
      && (t.effect === undefined || t.effect === taint.effect));
    if (tolerated) continue;
    const shown = `${taint.key}${taint.value !== undefined ? `=${taint.value}` : ''}:${taint.effect}`;
    if (SCHEDULING_EFFECTS.has(taint.effect)) reasons.push(`taint ${shown} is not tolerated`);
    else notes.push(`taint ${shown} is not tolerated: the scheduler avoids these nodes while others have room`);
  }
  return { eligible: reasons.length === 0, reasons: [...reasons, ...notes] };
}

/** What one node of a pool has for job pods: allocatable minus DaemonSets, and pod slots minus DaemonSet pods. */
export function freeOf(pool: PoolModel): Free {
  const free: Free = { pods: BigInt(pool.maxPods - pool.daemonSetPods) };
  for (const r of RESOURCES) {
    const a = pool.allocatable[r];
    if (a !== undefined) free[r] = a - (pool.daemonSets[r] ?? 0n);
  }
  return free;
}

/** Nodes the evaluation counts: an autoscaling pool at its maximum. */
export function evaluatedNodes(pool: PoolModel): number {
  return pool.maxNodes ?? pool.nodes;
}

/**
 * Job pods of size `size` that fit on one node with `free`: min over the dimensions of floor(free / size). A
 * resource the pod does not ask for, or the node does not declare, does not bind; pods always do (one per pod).
 */
export function nodeFit(free: Free, size: Amounts): NodeFit {
  let count = free.pods < 0n ? 0n : free.pods;
  let binding: Dimension = 'pods';
  for (const r of RESOURCES) {
    const need = size[r];
    const have = free[r];
    if (need === undefined || need <= 0n || have === undefined) continue;
    const n = have <= 0n ? 0n : have / need;
    if (n < count || (n === count && binding === 'pods')) {
      count = n;
      binding = r;
    }
  }
  return { count: Number(count), binding };
}

/** floor(Σ declared per-node size × nodes / size), min over the resources the size declares: the sum-of-capacity estimate. */
function naive(pools: PoolModel[], size: Amounts): NodeFit | undefined {
  let best: NodeFit | undefined;
  for (const r of RESOURCES) {
    const need = size[r];
    if (need === undefined || need <= 0n) continue;
    const total = declaredTotal(pools, r);
    if (total === undefined) continue;
    const n = Number(total / need);
    if (best === undefined || n < best.count) best = { count: n, binding: r };
  }
  return best;
}

/** Σ declared per-node size × nodes of resource `r` over `pools`; undefined when no pool declares it. */
export function declaredTotal(pools: PoolModel[], r: ResourceKind): bigint | undefined {
  let total: bigint | undefined;
  for (const p of pools) {
    const per = p.declared[r];
    if (per !== undefined) total = (total ?? 0n) + per * BigInt(evaluatedNodes(p));
  }
  return total;
}

function hasAny(size: Amounts): boolean {
  return RESOURCES.some((r) => size[r] !== undefined && size[r]! > 0n);
}

// ---------------------------------------------------------------------------------------------------------------
// Packing: first-fit decreasing over groups of identical nodes

interface Group {
  pool: number;
  count: number;
  free: Free;
  pods: Array<{ manager: number; count: number }>;
}

function minus(free: Free, size: Record<ResourceKind, bigint>, n: number): Free {
  const k = BigInt(n);
  const out: Free = { pods: free.pods - k };
  for (const r of RESOURCES) {
    const have = free[r];
    if (have !== undefined) out[r] = have - size[r] * k;
  }
  return out;
}

/** Compares the dominant share (largest fraction of the biggest free node) of two pod sizes, exactly. */
function dominantShare(size: Record<ResourceKind, bigint>, largest: Amounts): [bigint, bigint] {
  let best: [bigint, bigint] = [0n, 1n];
  for (const r of RESOURCES) {
    const of = largest[r];
    if (of === undefined || of <= 0n) continue;
    if (size[r] * best[1] > best[0] * of) best = [size[r], of];
  }
  return best;
}

interface PackItem {
  readonly manager: number;
  readonly size: Record<ResourceKind, bigint>;
  readonly demand: number;
  readonly eligible: boolean[];
}

/**
 * Packs every manager's job pods onto the pools, largest pods first, each pod on the first node it fits. Nodes of a
 * pool start as one group; a group splits only where a manager's pods run out part-way, so the cost depends on the
 * number of pools and managers, not on the number of identical nodes.
 */
function pack(pools: PoolModel[], items: PackItem[]): { groups: Group[]; placed: number[] } {
  const groups: Group[] = pools.map((p, i) => ({ pool: i, count: evaluatedNodes(p), free: freeOf(p), pods: [] }));
  const largest: Amounts = {};
  for (const g of groups) {
    for (const r of RESOURCES) {
      const v = g.free[r];
      if (v !== undefined && (largest[r] === undefined || v > largest[r]!)) largest[r] = v;
    }
  }
  const shares = items.map((it) => dominantShare(it.size, largest));
  const order = items.map((_, i) => i).sort((a, b) => {
    const [na, da] = shares[a];
    const [nb, db] = shares[b];
    const cmp = nb * da - na * db;
    return cmp > 0n ? 1 : cmp < 0n ? -1 : a - b;
  });
  const placed = items.map(() => 0);
  for (const i of order) {
    const item = items[i];
    let remaining = item.demand;
    for (let gi = 0; gi < groups.length && remaining > 0; gi++) {
      const g = groups[gi];
      if (!item.eligible[g.pool]) continue;
      const f = nodeFit(g.free, item.size).count;
      if (f === 0) continue;
      if (remaining >= f * g.count) {
        g.free = minus(g.free, item.size, f);
        g.pods = [...g.pods, { manager: item.manager, count: f }];
        remaining -= f * g.count;
        continue;
      }
      const full = Math.floor(remaining / f);
      const rest = remaining % f;
      const split: Group[] = [];
      const filled = (count: number, perNode: number): Group =>
        ({ pool: g.pool, count, free: minus(g.free, item.size, perNode), pods: [...g.pods, { manager: item.manager, count: perNode }] });
      if (full > 0) split.push(filled(full, f));
      if (rest > 0) split.push(filled(1, rest));
      const untouched = g.count - full - (rest > 0 ? 1 : 0);
      if (untouched > 0) split.push({ ...g, count: untouched });
      groups.splice(gi, 1, ...split);
      remaining = 0;
    }
    placed[i] = item.demand - remaining;
  }
  return { groups, placed };
}

// ---------------------------------------------------------------------------------------------------------------
// Evaluation

/** Evaluates every manager attached to a budget: pod shape, demand, per-node fit, and the shared packing. */
export function evaluateBudget(budget: BudgetModel, managers: ManagerModel[]): CapacityEvaluation {
  const pools = budget.pools;
  const frees = pools.map(freeOf);
  const partial = managers.map((m) => {
    const pod = podShape(m.jobPod, budget);
    const worstPod = hasOverwrites(m.jobPod) ? podShape(m.jobPod, budget, true) : undefined;
    const limited = hasAny(pod.limit);
    const poolFits: PoolFit[] = pools.map((p, i) => {
      const { eligible, reasons } = eligibility(m.jobPod, p);
      return {
        pool: p.name,
        index: i,
        eligible,
        reasons,
        nodes: evaluatedNodes(p),
        free: frees[i],
        byRequests: nodeFit(frees[i], pod.request),
        byLimits: limited ? nodeFit(frees[i], pod.limit) : undefined,
        worstCase: worstPod ? nodeFit(frees[i], worstPod.request) : undefined,
      };
    });
    const eligiblePools = pools.filter((_, i) => poolFits[i].eligible);
    const total = (pick: (f: PoolFit) => NodeFit | undefined) =>
      poolFits.reduce((sum, f) => sum + (f.eligible ? f.nodes * (pick(f)?.count ?? 0) : 0), 0);
    return {
      path: m.path,
      name: m.name,
      jobPodPath: m.jobPod.path,
      demand: demandOf(m),
      pod,
      worstPod,
      pools: poolFits,
      schedulable: total((f) => f.byRequests),
      guaranteed: limited ? total((f) => f.byLimits) : undefined,
      worstCaseSchedulable: worstPod ? total((f) => f.worstCase) : undefined,
      naiveByRequests: naive(eligiblePools, pod.request),
      naiveByLimits: naive(eligiblePools, pod.limit),
    };
  });
  const items: PackItem[] = partial.map((m, i) => ({
    manager: i, size: m.pod.request, demand: m.demand.slots, eligible: m.pools.map((f) => f.eligible),
  }));
  const { groups, placed } = pack(pools, items);
  const result: ManagerCapacity[] = partial.map((m, i) => {
    let spare = 0;
    for (const g of groups) {
      if (items[i].eligible[g.pool]) spare += g.count * nodeFit(g.free, m.pod.request).count;
    }
    return { ...m, placed: placed[i], unplaced: m.demand.slots - placed[i], spare };
  });
  const nodes: NodeGroup[] = groups.map((g) => ({ pool: pools[g.pool].name, poolIndex: g.pool, count: g.count, free: g.free, pods: g.pods }));
  return { budget, managers: result, nodes };
}
