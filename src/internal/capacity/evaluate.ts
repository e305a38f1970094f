import { EVALUATE_MESSAGES as M } from './evaluate.messages';
import { RESOURCE_LABEL } from './format';
import { place, PlacementResult, PlacementStatus } from './placement';
import { Amounts, BudgetModel, Dimension, Free, PoolModel, RESOURCES } from '../../model/budget';
import type { JobPodModel } from '../../model/job-pod';
import type { ManagerModel } from '../../model/manager';
import { Quantity } from '../../model/quantity';
import { ContainerResources, ResourceKind, ResourceSpec } from '../../model/resources';
import { kubernetesSettings } from '../render/job-scheduling';
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
  /** Pod-level requests and limits from config.toml (`pod_cpu_request`, …), when set: they replace the containers' sum. */
  readonly podLevel?: { readonly requests: Amounts; readonly limits: Amounts };
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
  /** The field behind each exclusion. */
  readonly excludedBy: ExclusionField[];
  /** Nodes the evaluation counts: maxNodes when the pool autoscales. */
  readonly nodes: number;
  readonly free: Free;
  readonly byRequests: NodeFit;
  /** Undefined when a resource the pool declares is unbounded (some container has no limit for it). */
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
  /**
   * The same by limits: pods that can all run at their limits at once, never above `schedulable`. Undefined when a
   * resource some eligible pool declares is unbounded (some container has no limit for it).
   */
  readonly guaranteed?: number;
  /** Why `guaranteed` is undefined: which resources are unbounded, and the containers without a limit. */
  readonly guaranteedUnbounded?: string;
  /** Schedulable pods when every job asks for the most it may. */
  readonly worstCaseSchedulable?: number;
  /** Σ declared per-node size ÷ pod request, the sum-of-capacity arithmetic. Undefined when nothing is requested. */
  readonly naiveByRequests?: NodeFit;
  /** Σ declared per-node size ÷ pod limit. */
  readonly naiveByLimits?: NodeFit;
  /** Managers of one profile share `pools` (the same array): same pod size and scheduling constraints. */
  readonly profile: number;
  /** The pod type (PodType index) the manager's job pods belong to. */
  readonly type: number;
  /** Whether the slots of this manager and of every manager sharing pools with it can all be placed. */
  readonly placement: PlacementStatus;
  /** Job pods placed by the shared placement of all managers of the budget. */
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
  readonly pods: Array<{ readonly manager: number; readonly type: number; readonly count: number }>;
}

/** Everything the verdicts and the report need about one budget. */
export interface CapacityEvaluation {
  readonly budget: BudgetModel;
  readonly managers: ManagerCapacity[];
  readonly nodes: NodeGroup[];
  /** Managers grouped by pod request and usable pools. */
  readonly types: PodType[];
  /** How the placement was decided, per component of types that share pools. */
  readonly placement: PlacementResult;
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
  const settings = kubernetesSettings(job);
  return all.some((res) => RESOURCES.some((r) => res?.[r]?.maxRequest !== undefined || res?.[r]?.maxLimit !== undefined))
    || POD_LEVEL_RESOURCES.some((r) => settings[`pod_${r}_request_overwrite_max_allowed`] !== undefined
      || settings[`pod_${r}_limit_overwrite_max_allowed`] !== undefined);
}

/** The RuntimeClass job pods run with, if config.toml sets one. */
export function runtimeClassOf(job: JobPodModel): string | undefined {
  const name = kubernetesSettings(job).runtime_class_name;
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
  // Pod-level resources (pod_cpu_* and pod_memory_*, runner 18.10 and later) replace the containers' aggregate for
  // that resource; a pod-level limit without a request is also the request (Kubernetes defaults it so). Overhead adds.
  const podLevel = podLevelResources(job, worst);
  for (const r of POD_LEVEL_RESOURCES) {
    const req = podLevel.requests[r] ?? podLevel.limits[r];
    if (req !== undefined) request[r] = req + (overhead?.[r] ?? 0n);
    if (podLevel.limits[r] !== undefined) limit[r] = podLevel.limits[r]! + (overhead?.[r] ?? 0n);
  }
  const hasPodLevel = Object.keys(podLevel.requests).length + Object.keys(podLevel.limits).length > 0;
  return { containers, runtimeClass, overhead, request, limit, ...(hasPodLevel ? { podLevel } : {}) };
}

/** The resources config.toml can set for the whole pod (there is no pod-level ephemeral storage key). */
const POD_LEVEL_RESOURCES: ResourceKind[] = ['cpu', 'memory'];

/** The pod-level requests and limits the escape hatch sets (`pod_cpu_request`, …; the overwrite maxima for the worst case). */
function podLevelResources(job: JobPodModel, worst: boolean): { requests: Amounts; limits: Amounts } {
  const requests: Amounts = {};
  const limits: Amounts = {};
  const settings = kubernetesSettings(job);
  const read = (key: string): bigint | undefined => {
    const raw = (worst ? settings[`${key}_overwrite_max_allowed`] : undefined) ?? settings[key];
    return typeof raw === 'string' && Quantity.isValid(raw) ? Quantity._nanosOf(raw) : undefined;
  };
  for (const r of POD_LEVEL_RESOURCES) {
    const req = read(`pod_${r}_request`);
    const lim = read(`pod_${r}_limit`);
    if (req !== undefined) requests[r] = req;
    if (lim !== undefined) limits[r] = lim;
  }
  return { requests, limits };
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

/** The JobPodTemplate field that excludes a pool: the node selector, the escape hatch's required node affinity, or tolerations. */
export type ExclusionField = 'nodeSelector' | 'extraConfig.affinity' | 'nodeAffinity' | 'tolerations';

/** Why job pods may not use a pool, or a note about it. */
export interface Eligibility {
  readonly eligible: boolean;
  /** Reasons the pool is excluded, then notes (PreferNoSchedule taints). */
  readonly reasons: string[];
  /** The field behind each exclusion, in the order of the reasons. */
  readonly excludedBy: ExclusionField[];
}

/** Whether a required node-affinity match expression holds for a pool's labels (Kubernetes' NodeSelectorRequirement). */
function matchesExpression(labels: Record<string, string>, e: Record<string, unknown>): boolean | undefined {
  const key = e.key;
  const operator = typeof e.operator === 'string' ? e.operator : '';
  const values = Array.isArray(e.values) ? e.values.filter((v): v is string => typeof v === 'string') : [];
  if (typeof key !== 'string') return undefined;
  const has = Object.prototype.hasOwnProperty.call(labels, key) ? labels[key] : undefined;
  switch (operator) {
    case 'In': return has !== undefined && values.includes(has);
    case 'NotIn': return has === undefined || !values.includes(has);
    case 'Exists': return has !== undefined;
    case 'DoesNotExist': return has === undefined;
    case 'Gt':
    case 'Lt': {
      const whole = /^-?\d+$/;
      if (has === undefined || values.length !== 1 || !whole.test(values[0])) return false;
      if (!whole.test(has)) return false;
      return operator === 'Gt' ? BigInt(has) > BigInt(values[0]) : BigInt(has) < BigInt(values[0]);
    }
    default: return undefined;
  }
}

/**
 * The required node affinity the escape hatch sets (`affinity.node_affinity.required_during_scheduling_ignored_during_execution`):
 * terms are ORed, the match expressions of a term ANDed. A term with `match_fields` (node names, which a pool does not
 * declare) or an operator this model does not know counts as matching, so exclusion stays a proof.
 */
function affinityExcludes(job: Pick<JobPodModel, 'extraConfig' | 'scheduling'>, pool: PoolModel): string | undefined {
  const affinity = kubernetesSettings(job).affinity as Record<string, any> | undefined;
  const required = affinity?.node_affinity?.required_during_scheduling_ignored_during_execution;
  const terms: unknown = required?.node_selector_terms;
  if (!Array.isArray(terms) || terms.length === 0) return undefined;
  for (const term of terms) {
    if (term === null || typeof term !== 'object') return undefined;
    const t = term as Record<string, unknown>;
    if (Array.isArray(t.match_fields) && t.match_fields.length > 0) return undefined;
    const expressions = Array.isArray(t.match_expressions) ? t.match_expressions : [];
    const results = expressions.map((e) => (e !== null && typeof e === 'object'
      ? matchesExpression(pool.labels, e as Record<string, unknown>) : undefined));
    if (results.every((r) => r !== false)) return undefined;
  }
  return M.affinityUnmatched(affinityField(job) === 'nodeAffinity' ? 'nodeAffinity.required' : 'extraConfig.affinity.node_affinity');
}

/** The prop that sets the job pod's affinity: the typed `nodeAffinity` or the escape hatch. */
function affinityField(job: Pick<JobPodModel, 'scheduling'>): ExclusionField {
  return job.scheduling.affinity !== undefined ? 'nodeAffinity' : 'extraConfig.affinity';
}

/** Whether job pods of `job` may land on `pool` (node selector and required node affinity against labels, tolerations against taints), and why not. */
export function eligibility(job: Pick<JobPodModel, 'nodeSelector' | 'tolerations' | 'extraConfig' | 'scheduling'>, pool: PoolModel): Eligibility {
  const reasons: string[] = [];
  const excludedBy: ExclusionField[] = [];
  const notes: string[] = [];
  const selector = Object.entries(job.nodeSelector);
  if (selector.length > 1) selector.sort(([a], [b]) => byCodeUnit(a, b));
  for (const [key, value] of selector) {
    const has = pool.labels[key];
    if (has === undefined) reasons.push(M.labelMissing(key, value));
    else if (has !== value) reasons.push(M.labelDiffers(key, value, has));
    else continue;
    excludedBy.push('nodeSelector');
  }
  const affinity = affinityExcludes(job, pool);
  if (affinity !== undefined) {
    reasons.push(affinity);
    excludedBy.push(affinityField(job));
  }
  for (const taint of pool.taints) {
    const tolerated = job.tolerations.some((t) => t.key === taint.key
      && (t.value === undefined || t.value === (taint.value ?? ''))
      && (t.effect === undefined || t.effect === taint.effect));
    if (tolerated) continue;
    const shown = `${taint.key}${taint.value !== undefined ? `=${taint.value}` : ''}:${taint.effect}`;
    if (SCHEDULING_EFFECTS.has(taint.effect)) {
      reasons.push(M.taintNotTolerated(shown, false));
      excludedBy.push('tolerations');
    } else {
      notes.push(M.taintNotTolerated(shown, true));
    }
  }
  return { eligible: reasons.length === 0, reasons: [...reasons, ...notes], excludedBy };
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

// ---------------------------------------------------------------------------------------------------------------
// Evaluation

const ELIGIBLE = new WeakMap<PoolFit[], PoolFit[]>();

/** The pools a manager's job pods may use (memoized per profile: managers alike share the array). */
export function eligiblePools(m: Pick<ManagerCapacity, 'pools'>): PoolFit[] {
  let eligible = ELIGIBLE.get(m.pools);
  if (eligible === undefined) {
    eligible = m.pools.filter((p) => p.eligible);
    ELIGIBLE.set(m.pools, eligible);
  }
  return eligible;
}

/** Managers whose job pods have one request and one set of usable pools: the placement treats them as one. */
export interface PodType {
  /** Manager indices (ManagerCapacity order), in construct order. */
  readonly managers: number[];
  readonly request: Record<ResourceKind, bigint>;
  /** Pools the type may use and where one of its pods fits on a node. */
  readonly pools: number[];
  readonly demand: number;
  /** Job pods placed (all of them unless the placement failed). */
  readonly placed: number;
  /** Further pods of this shape that fit after the placement. */
  readonly spare: number;
}

/** The unbounded resources that bind on some eligible pool, with the containers lacking a limit, as a reason. */
function unboundedReason(pod: PodShape, declaredByEligible: Set<ResourceKind>): string | undefined {
  const binding = RESOURCES.filter((r) => pod.limit[r] === undefined && declaredByEligible.has(r));
  if (binding.length === 0) return undefined;
  return binding.map((r) => {
    const open = pod.containers.filter((c) => c.limits[r] === undefined).map((c) => c.name);
    return M.unbounded(RESOURCE_LABEL[r], open);
  }).join('; ');
}

/** What every manager with one pod size and one set of scheduling constraints shares: the per-pool view. */
interface Profile {
  readonly index: number;
  readonly pools: PoolFit[];
  /** Resources some eligible pool declares (an unbounded one of these leaves nothing guaranteed). */
  readonly declaredByEligible: Set<ResourceKind>;
  readonly schedulable: number;
  /** By limits, over the pools where the limit is bounded; only meaningful when the manager's pod is bounded. */
  readonly guaranteed: number;
  readonly worstCaseSchedulable?: number;
  readonly naiveByRequests?: NodeFit;
  readonly naiveByLimits?: NodeFit;
}

function profileOf(pools: PoolModel[], frees: Free[], job: JobPodModel, pod: PodShape, worstPod: PodShape | undefined, index: number): Profile {
  const declaredByEligible = new Set<ResourceKind>();
  const poolFits: PoolFit[] = pools.map((p, i) => {
    const { eligible, reasons, excludedBy } = eligibility(job, p);
    if (eligible) for (const r of RESOURCES) if (frees[i][r] !== undefined) declaredByEligible.add(r);
    const byRequests = nodeFit(frees[i], pod.request);
    const openHere = RESOURCES.some((r) => pod.limit[r] === undefined && frees[i][r] !== undefined);
    // Fits by limits and in the worst case matter only where the pods may go.
    const limitFit = openHere || !eligible ? undefined : nodeFit(frees[i], pod.limit);
    return {
      pool: p.name,
      index: i,
      eligible,
      reasons,
      excludedBy,
      nodes: evaluatedNodes(p),
      free: frees[i],
      byRequests,
      // Never above the fit by requests: a pod placed by its requests is the most that can run at its limits.
      byLimits: limitFit && limitFit.count > byRequests.count ? byRequests : limitFit,
      worstCase: worstPod && eligible ? nodeFit(frees[i], worstPod.request) : undefined,
    };
  });
  const usable = pools.filter((_, i) => poolFits[i].eligible);
  const total = (pick: (f: PoolFit) => NodeFit | undefined) =>
    poolFits.reduce((sum, f) => sum + (f.eligible ? f.nodes * (pick(f)?.count ?? 0) : 0), 0);
  const schedulable = total((f) => f.byRequests);
  return {
    index,
    pools: poolFits,
    declaredByEligible,
    schedulable,
    guaranteed: Math.min(total((f) => f.byLimits), schedulable),
    worstCaseSchedulable: worstPod ? total((f) => f.worstCase) : undefined,
    naiveByRequests: naive(usable, pod.request),
    naiveByLimits: naive(usable, pod.limit),
  };
}

/** Evaluates every manager attached to a budget: pod shape, demand, per-node fit, and the shared placement. */
export function evaluateBudget(budget: BudgetModel, managers: ManagerModel[], workLimit?: number): CapacityEvaluation {
  const pools = budget.pools;
  const frees = pools.map(freeOf);
  // Managers whose pods have the same requests, limits and worst case, and the same selector, affinity and
  // tolerations, see every pool alike: their per-pool fits are computed once and shared.
  const profiles = new Map<string, Profile>();
  const partial = managers.map((m) => {
    const pod = podShape(m.jobPod, budget);
    const worstPod = hasOverwrites(m.jobPod) ? podShape(m.jobPod, budget, true) : undefined;
    const key = JSON.stringify([
      RESOURCES.map((r) => [`${pod.request[r]}`, `${pod.limit[r] ?? '-'}`, `${worstPod?.request[r] ?? '-'}`]),
      Object.entries(m.jobPod.nodeSelector).sort(([a], [b]) => byCodeUnit(a, b)), m.jobPod.tolerations, kubernetesSettings(m.jobPod).affinity ?? null,
    ]);
    let profile = profiles.get(key);
    if (profile === undefined) {
      profile = profileOf(pools, frees, m.jobPod, pod, worstPod, profiles.size);
      profiles.set(key, profile);
    }
    const unbounded = unboundedReason(pod, profile.declaredByEligible);
    return {
      path: m.path,
      name: m.name,
      jobPodPath: m.jobPod.path,
      demand: demandOf(m),
      pod,
      worstPod,
      profile: profile.index,
      pools: profile.pools,
      schedulable: profile.schedulable,
      guaranteed: unbounded === undefined ? profile.guaranteed : undefined,
      guaranteedUnbounded: unbounded,
      worstCaseSchedulable: profile.worstCaseSchedulable,
      naiveByRequests: profile.naiveByRequests,
      naiveByLimits: unbounded === undefined ? profile.naiveByLimits : undefined,
    };
  });
  const byKey = new Map<string, number>();
  const typeOf: number[] = [];
  const shapes: Array<{ managers: number[]; request: Record<ResourceKind, bigint>; pools: number[]; demand: number }> = [];
  const usableOf = new Map<number, { usable: number[]; key: string }>();
  partial.forEach((m, i) => {
    let entry = usableOf.get(m.profile);
    if (entry === undefined) {
      const indices = m.pools.filter((f) => f.eligible && f.byRequests.count > 0).map((f) => f.index);
      entry = { usable: indices, key: indices.join(',') };
      usableOf.set(m.profile, entry);
    }
    const usable = entry.usable;
    const key = `${RESOURCES.map((r) => m.pod.request[r]).join(',')}|${entry.key}`;
    let t = byKey.get(key);
    if (t === undefined) {
      t = shapes.length;
      byKey.set(key, t);
      shapes.push({ managers: [], request: m.pod.request, pools: usable, demand: 0 });
    }
    shapes[t].managers.push(i);
    shapes[t].demand += m.demand.slots;
    typeOf.push(t);
  });
  const placement = place(
    pools.map((p, i) => ({ count: evaluatedNodes(p), free: frees[i] })),
    shapes.map((t) => ({ size: t.request, demand: t.demand, pools: t.pools })),
    (t) => shapeName(shapes[t].managers.map((i) => partial[i].path)),
    workLimit,
  );
  const types: PodType[] = shapes.map((t, ti) => {
    const allowed = new Set(t.pools);
    let spare = 0;
    for (const g of placement.groups) if (allowed.has(g.pool)) spare += g.count * nodeFit(g.free, t.request).count;
    return { ...t, placed: placement.placed[ti], spare };
  });
  // A type's placed pods go to its managers in construct order.
  const left = types.map((t) => t.placed);
  const result: ManagerCapacity[] = partial.map((m, i) => {
    const t = typeOf[i];
    const placed = Math.min(left[t], m.demand.slots);
    left[t] -= placed;
    const component = placement.components[placement.componentOf[t]];
    return { ...m, type: t, placed, unplaced: m.demand.slots - placed, spare: types[t].spare, placement: component?.status ?? 'fits' };
  });
  const nodes: NodeGroup[] = placement.groups.map((g) => ({
    pool: pools[g.pool].name,
    poolIndex: g.pool,
    count: g.count,
    free: g.free,
    pods: g.pods.map((p) => ({ manager: types[p.type].managers[0], type: p.type, count: p.count })),
  }));
  return { budget, managers: result, nodes, types, placement };
}

/** A type in messages: its managers, the first three by path. */
function shapeName(paths: string[]): string {
  return M.shapeName(paths.slice(0, 3), paths.length - 3);
}
