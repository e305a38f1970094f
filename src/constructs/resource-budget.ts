import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { PROP_MESSAGES } from './props.messages';
import { BUDGET_MESSAGES as M } from './resource-budget.messages';
import { CapacityEvaluation, eligibility, evaluateBudget } from '../internal/capacity/evaluate';
import { capacityFindings } from '../internal/capacity/findings';
import { kubernetesSettings } from '../internal/render/job-scheduling';

import { withAcknowledgements } from '../internal/rules/acknowledgements';
import { currentFindings } from '../internal/rules/finding-sources';
import { PROP_RULES } from '../internal/validate/construction-rules';
import { validateLabels, validateTaints } from '../internal/validate/placement';
import { _PropErrors, _validationLine } from '../internal/validate/prop-errors';
import { checkPropStrings } from '../internal/validate/secrets';
import { isDns1123Subdomain, isLabelValue, isMtu, isPlainMap, isWholeNumber, plainProps, show } from '../internal/validate/validators';
import { Amounts, BudgetModel, PoolModel, RESOURCES } from '../model/budget';
import type { BudgetFacts } from '../model/budget-facts';

import { Finding, Severity } from '../model/finding';
import { ManagerModel } from '../model/manager';
import { Quantity } from '../model/quantity';

import { ResourceKind } from '../model/resources';

import type { TaintEffect } from '../model/taint-effect';

/** Kubernetes' default `--max-pods` of the kubelet. */
const DEFAULT_MAX_PODS = 110;
const DEFAULT_CPU_LIMIT_OVERCOMMIT_RATIO = 2;
const ARCH_LABEL = 'kubernetes.io/arch';

/**
 * CPU, memory and ephemeral storage of one node.
 */
export interface NodeResources {
  /** CPU, in cores (`8`, `7.91`) or millicores (`7910m`). */
  readonly cpu: string;

  /** Memory, e.g. `32Gi` or `30310Mi`. */
  readonly memory: string;

  /**
   * Node-local storage for container layers, logs and emptyDir volumes, e.g. `100Gi`.
   *
   * @default - not declared: ephemeral storage is left out of the fit
   */
  readonly ephemeralStorage?: string;
}

/**
 * Resources the kubelet keeps for the system or for Kubernetes' own daemons (`--system-reserved`, `--kube-reserved`).
 */
export interface ReservedResources {
  /**
   * CPU reserved, e.g. `100m`.
   *
   * @default - none
   */
  readonly cpu?: string;

  /**
   * Memory reserved, e.g. `1Gi`.
   *
   * @default - none
   */
  readonly memory?: string;

  /**
   * Ephemeral storage reserved, e.g. `1Gi`.
   *
   * @default - none
   */
  readonly ephemeralStorage?: string;
}

/**
 * The kubelet's hard eviction thresholds (`--eviction-hard`), as absolute amounts. They are taken from allocatable.
 */
export interface EvictionThreshold {
  /**
   * `memory.available`, e.g. `100Mi`.
   *
   * @default - none
   */
  readonly memory?: string;

  /**
   * `nodefs.available` as an amount, e.g. `10Gi` (work out a percentage against the disk size).
   *
   * @default - none
   */
  readonly ephemeralStorage?: string;
}

/**
 * What the kubelet holds back from a node's capacity: allocatable = capacity − system − kube − eviction threshold.
 */
export interface NodeReservations {
  /**
   * `--system-reserved`: the OS and its daemons.
   *
   * @default - none
   */
  readonly systemReserved?: ReservedResources;

  /**
   * `--kube-reserved`: the kubelet and the container runtime.
   *
   * @default - none
   */
  readonly kubeReserved?: ReservedResources;

  /**
   * `--eviction-hard`: below this much free memory or disk the kubelet evicts pods.
   *
   * @default - none
   */
  readonly evictionHard?: EvictionThreshold;
}

/**
 * What the DaemonSets of a pool (CNI, kube-proxy, log and metrics agents) request on every node.
 */
export interface DaemonSetOverhead {
  /**
   * CPU requested by all DaemonSet pods of one node together.
   *
   * @default - none
   */
  readonly cpu?: string;

  /**
   * Memory requested by all DaemonSet pods of one node together.
   *
   * @default - none
   */
  readonly memory?: string;

  /**
   * Ephemeral storage requested by all DaemonSet pods of one node together.
   *
   * @default - none
   */
  readonly ephemeralStorage?: string;

  /**
   * How many DaemonSet pods run on every node; each takes one of the node's pod slots.
   *
   * @default 0
   */
  readonly pods?: number;
}

/**
 * A taint of every node of a pool.
 */
export interface NodeTaint {
  /** The taint key, e.g. `dedicated`. */
  readonly key: string;

  /**
   * The taint value.
   *
   * @default - none
   */
  readonly value?: string;

  /** What the taint does to pods that do not tolerate it. */
  readonly effect: TaintEffect;
}

/**
 * A group of identical nodes: a node pool, node group or machine set.
 */
export interface NodePool {
  /** The pool's name, unique within the budget; reports and messages use it. */
  readonly name: string;

  /**
   * How many nodes the pool has. For an autoscaling pool, how many it runs today (between minNodes and maxNodes).
   *
   * @default - required for a fixed-size pool; minNodes for an autoscaling one
   */
  readonly nodes?: number;

  /**
   * The fewest nodes an autoscaling pool shrinks to (0 for scale from zero). Only with maxNodes.
   *
   * @default 0
   */
  readonly minNodes?: number;

  /**
   * The most nodes the cluster autoscaler grows the pool to. Setting it makes the pool autoscale, and capacity is
   * evaluated with the pool at this size.
   *
   * @default - the pool does not autoscale
   */
  readonly maxNodes?: number;

  /**
   * What one node has (its instance type). Give `reserved` too, or allocatable is taken to be the whole capacity.
   * Give either capacity or allocatable.
   *
   * @default - use allocatable
   */
  readonly capacity?: NodeResources;

  /**
   * What one node offers pods (`kubectl get node -o jsonpath='{.status.allocatable}'`): capacity minus reservations.
   * Give either capacity or allocatable.
   *
   * @default - computed from capacity and reserved
   */
  readonly allocatable?: NodeResources;

  /**
   * What the kubelet holds back from capacity. Only with capacity.
   *
   * @default - nothing (a warning says the fit may be overstated)
   */
  readonly reserved?: NodeReservations;

  /**
   * The kubelet's `--max-pods`: pods one node runs, DaemonSet pods included. On EKS with the VPC CNI it is much
   * lower (e.g. 17 or 29), and often runs out before CPU or memory.
   *
   * @default 110
   */
  readonly maxPods?: number;

  /**
   * What DaemonSets request on every node.
   *
   * @default - nothing
   */
  readonly daemonSets?: DaemonSetOverhead;

  /**
   * Labels of every node, matched against the job pods' node selector. Include `kubernetes.io/arch`.
   *
   * @default - none
   */
  readonly labels?: { [key: string]: string };

  /**
   * Taints of every node. Job pods use the pool only if they tolerate every NoSchedule and NoExecute taint.
   *
   * @default - none
   */
  readonly taints?: NodeTaint[];

  /**
   * How long a new node of an autoscaling pool takes to become ready for pods.
   *
   * @default - not declared
   */
  readonly provisioningTime?: Duration;
}

/**
 * The pod overhead of a RuntimeClass (gVisor, Kata): added to the request of every pod that runs with it.
 */
export interface RuntimeClassOverhead {
  /** The RuntimeClass name, as `runtime_class_name` gives it. */
  readonly name: string;

  /**
   * CPU added per pod (`overhead.podFixed.cpu`).
   *
   * @default - none
   */
  readonly cpu?: string;

  /**
   * Memory added per pod (`overhead.podFixed.memory`).
   *
   * @default - none
   */
  readonly memory?: string;
}

/**
 * Properties for `ResourceBudget`.
 */
export interface ResourceBudgetProps {
  /** The node pools job pods may be scheduled on (and the others: eligibility follows labels and taints). */
  readonly nodePools: NodePool[];

  /**
   * The MTU of the pod network (1450 on VXLAN overlays, 1440 on Calico IPIP), for rules that check DinD against it.
   *
   * @default - not declared
   */
  readonly podNetworkMtu?: number;

  /**
   * How far the CPU limits of the job pods on a fully packed node may exceed its free CPU before a warning, as a
   * multiple (2 = limits may add up to twice the CPU).
   *
   * @default 2
   */
  readonly cpuLimitOvercommitRatio?: number;

  /**
   * Pod overheads of the RuntimeClasses job pods may run with (`runtime_class_name`).
   *
   * @default - none
   */
  readonly runtimeClasses?: RuntimeClassOverhead[];
}

/**
 * The cluster capacity CI may use, and the check that every attached `RunnerManager`'s job slots can be scheduled.
 *
 * Kubernetes places a job pod by its requests (build + helper + every service, or the init container if larger),
 * on one node, inside that node's allocatable minus its DaemonSets. Synth fails when the job slots of the attached
 * managers (replicas × concurrent) exceed what fits that way; `FleetSynth` writes a capacity report next to the
 * manifests.
 */
export class ResourceBudget extends Construct {
  /** The node pools of the budget. */
  public readonly nodePools: NodePool[];
  /** The pod network MTU, if declared. */
  public readonly podNetworkMtu?: number;

  private readonly model: BudgetModel;
  private readonly managers: ManagerModel[] = [];
  private evaluated?: { managers: readonly ManagerModel[]; value: { evaluation: CapacityEvaluation; findings: Finding[] } };
  private readonly eligibleByConstraints = new Map<string, PoolModel[]>();

  constructor(scope: Construct, id: string, props: ResourceBudgetProps) {
    props = plainProps(props);
    super(scope, id);
    this.nodePools = Array.isArray(props?.nodePools) ? [...props.nodePools] : [];
    this.podNetworkMtu = props?.podNetworkMtu;
    const errors = new _PropErrors(this, PROP_RULES.budget.id);
    this.model = buildModel(errors, this.node.path, props ?? ({} as ResourceBudgetProps));
    // Pool names, labels and taints are written to the capacity reports in dist/.
    checkPropStrings(errors, props);
    if (errors.record()) return;
    this.node.addValidation({
      validate: () => currentFindings(this).filter((f) => f.severity === Severity.ERROR).map((f) => _validationLine(f, this)),
    });
  }

  /** @internal The budget's plain model. */
  public _toModel(): BudgetModel {
    return this.model;
  }

  /** @internal Attaches a manager (RunnerManager does, when it is given this budget). */
  public _register(manager: ManagerModel): void {
    this.managers.push(manager);
  }

  /** @internal The models of the managers attached to this budget, in the order they were declared. */
  public _managers(): ManagerModel[] {
    return [...this.managers];
  }

  /**
   * @internal The capacity of every attached manager. Evaluated once per set of attached managers: the checks, the
   * review files and a refusal report of one synth share it.
   */
  public _evaluate(): { evaluation: CapacityEvaluation; findings: Finding[] } {
    // Models never change once built, and managers only register: the same models in the same order are the same set.
    const managers = this._managers();
    const before = this.evaluated?.managers;
    if (before === undefined || before.length !== managers.length || before.some((m, i) => m !== managers[i])) {
      const evaluation = evaluateBudget(this.model, managers);
      this.evaluated = { managers, value: { evaluation, findings: capacityFindings(evaluation, managers) } };
    }
    // The warnings users acknowledged (Rules.acknowledge) are marked, in the synth output and the report alike; an
    // acknowledgement may come after an evaluation, so they are applied on every call.
    const { evaluation, findings } = this.evaluated!.value;
    return { evaluation, findings: withAcknowledgements(this, findings) };
  }

  /** @internal Capacity findings of the attached managers (errors also fail synth through node validation). */
  public _findings(): Finding[] {
    return this._evaluate().findings;
  }

  /** @internal What rules may know about the cluster `manager`'s job pods run on (all pools when no manager is given). */
  public _facts(model?: ManagerModel): BudgetFacts {
    // Job pods with the same selector, affinity and tolerations may use the same pools: worked out once per budget.
    const key = model ? JSON.stringify([model.jobPod.nodeSelector, model.jobPod.tolerations, kubernetesSettings(model.jobPod).affinity ?? null]) : '';
    let pools = this.eligibleByConstraints.get(key);
    if (pools === undefined) {
      pools = model ? this.model.pools.filter((p) => eligibility(model.jobPod, p).eligible) : this.model.pools;
      this.eligibleByConstraints.set(key, pools);
    }
    const seconds = pools.map((p) => p.provisioningSeconds).filter((s): s is number => s !== undefined);
    const architectures = [...new Set(pools.map((p) => p.labels[ARCH_LABEL]).filter((a): a is string => a !== undefined))].sort();
    return {
      path: this.node.path,
      autoscaling: pools.some((p) => p.maxNodes !== undefined),
      nodeProvisioningSeconds: seconds.length ? seconds.reduce((a, b) => Math.max(a, b)) : undefined,
      architectures,
      podNetworkMtu: this.podNetworkMtu,
    };
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Props → model, collecting every problem

type Amountable = { [K in ResourceKind]?: string };

function parseAmounts(errors: _PropErrors, field: string, pool: string, given: Amountable | undefined, allowed: ResourceKind[] = RESOURCES): Amounts {
  const out: Amounts = {};
  if (given === undefined) return out;
  if (!isPlainMap(given)) {
    errors.addProblem(field, M.notResourceMap(pool, given, allowed));
    return out;
  }
  for (const r of allowed) {
    const text = given[r];
    if (text === undefined) continue;
    if (!Quantity.isValid(text)) {
      errors.addProblem(`${field}.${r}`, M.notQuantity(pool, text, r));
      continue;
    }
    out[r] = Quantity._nanosOf(text);
  }
  return out;
}

function sum(...parts: Amounts[]): Amounts {
  const out: Amounts = {};
  for (const part of parts) {
    for (const r of RESOURCES) if (part[r] !== undefined) out[r] = (out[r] ?? 0n) + part[r]!;
  }
  return out;
}

function buildModel(errors: _PropErrors, path: string, props: ResourceBudgetProps): BudgetModel {
  const pools: PoolModel[] = [];
  if (!Array.isArray(props.nodePools) || props.nodePools.length === 0) {
    const malformed = props.nodePools !== undefined && !Array.isArray(props.nodePools);
    errors.addProblem('nodePools', M.noPools(props.nodePools, malformed));
  }
  const names = new Map<string, number>();
  (Array.isArray(props.nodePools) ? props.nodePools : []).forEach((p, i) => {
    const pool = buildPool(errors, `nodePools[${i}]`, p);
    if (typeof p?.name === 'string') {
      const first = names.get(p.name);
      if (first !== undefined) {
        errors.addProblem(`nodePools[${i}].name`, M.poolTwice(p.name, first));
      } else {
        names.set(p.name, i);
      }
    }
    if (pool) pools.push(pool);
  });
  const ratio = props.cpuLimitOvercommitRatio ?? DEFAULT_CPU_LIMIT_OVERCOMMIT_RATIO;
  if (typeof ratio !== 'number' || !Number.isFinite(ratio) || ratio < 1) {
    errors.addProblem('cpuLimitOvercommitRatio', M.badRatio(ratio));
  }
  if (props.podNetworkMtu !== undefined && !isMtu(props.podNetworkMtu)) {
    errors.addProblem('podNetworkMtu', PROP_MESSAGES.notMtu(props.podNetworkMtu));
  }
  const runtimeClasses: Record<string, Amounts> = {};
  if (props.runtimeClasses !== undefined && !Array.isArray(props.runtimeClasses)) {
    errors.addProblem('runtimeClasses', M.runtimeClassesNotList(props.runtimeClasses));
  }
  (Array.isArray(props.runtimeClasses) ? props.runtimeClasses : []).forEach((rc, i) => {
    const field = `runtimeClasses[${i}]`;
    if (rc === null || typeof rc !== 'object') {
      errors.addProblem(field, M.notRuntimeClass(rc));
      return;
    }
    if (!isDns1123Subdomain(rc.name)) errors.addProblem(`${field}.name`, M.badRuntimeClassName(rc.name));
    else if (runtimeClasses[rc.name] !== undefined) errors.addProblem(`${field}.name`, M.runtimeClassTwice(rc.name));
    runtimeClasses[rc.name] = parseAmounts(errors, field, M.runtimeClassSubject(rc.name), rc, ['cpu', 'memory']);
  });
  return { path, pools, podNetworkMtu: props.podNetworkMtu, cpuLimitOvercommitRatio: ratio, runtimeClasses };
}

function buildPool(errors: _PropErrors, field: string, p: NodePool): PoolModel | undefined {
  if (p === null || typeof p !== 'object') {
    errors.addProblem(field, M.notPool(p));
    return undefined;
  }
  const before = errors.count;
  const name = show(p?.name);
  if (typeof p?.name !== 'string' || !isLabelValue(p.name) || p.name === '') {
    errors.addProblem(`${field}.name`, M.badPoolName(name));
  }
  const count = poolCounts(errors, field, name, p);

  if ((p.capacity === undefined) === (p.allocatable === undefined)) {
    errors.addProblem(`${field}.allocatable`, M.capacityOrAllocatable(name, Boolean(p.capacity)));
  }
  if (p.reserved !== undefined && p.capacity === undefined) {
    errors.addProblem(`${field}.reserved`, M.reservedWithAllocatable(name));
  }
  const sizeField = p.capacity !== undefined ? 'capacity' : 'allocatable';
  const size = p.capacity ?? p.allocatable;
  if (isPlainMap(size)) {
    for (const r of ['cpu', 'memory'] as const) {
      if ((size as Amountable)[r] === undefined) errors.addProblem(`${field}.${sizeField}.${r}`, M.sizeMissing(name, r));
    }
  }
  const declared = parseAmounts(errors, `${field}.${sizeField}`, name, size);
  if (p.reserved !== undefined && !isPlainMap(p.reserved)) {
    errors.addProblem(`${field}.reserved`, M.notReservations(name, p.reserved));
  }
  const reserved = sum(
    parseAmounts(errors, `${field}.reserved.systemReserved`, name, p.reserved?.systemReserved),
    parseAmounts(errors, `${field}.reserved.kubeReserved`, name, p.reserved?.kubeReserved),
    parseAmounts(errors, `${field}.reserved.evictionHard`, name, p.reserved?.evictionHard, ['memory', 'ephemeralStorage']),
  );
  if (p.reserved?.evictionHard && (p.reserved.evictionHard as { cpu?: string }).cpu !== undefined) {
    errors.addProblem(`${field}.reserved.evictionHard.cpu`, M.cpuEviction(name));
  }
  const daemonSets = parseAmounts(errors, `${field}.daemonSets`, name, p.daemonSets);
  const dsPods = p.daemonSets?.pods ?? 0;
  if (!isWholeNumber(dsPods)) errors.addProblem(`${field}.daemonSets.pods`, M.badDaemonSetPods(name, dsPods));
  const maxPods = p.maxPods ?? DEFAULT_MAX_PODS;
  if (!isWholeNumber(maxPods, false)) errors.addProblem(`${field}.maxPods`, M.badMaxPods(name, maxPods));
  validateLabels(errors, `${field}.labels`, p.labels, M.poolSubject(name));
  validateTaints(errors, `${field}.taints`, p.taints, { noun: 'taint', effectRequired: true, oneEffectPerKey: false, subject: M.poolSubject(name) });
  const provisioning: unknown = p.provisioningTime;
  if (provisioning !== undefined && !(provisioning instanceof Duration && provisioning.toSeconds({ integral: false }) > 0)) {
    const shown = provisioning instanceof Duration ? `${provisioning.toSeconds({ integral: false })}s` : show(provisioning);
    errors.addProblem(`${field}.provisioningTime`, M.badProvisioningTime(name, shown));
  }
  if (errors.count > before) return undefined;

  const allocatable: Amounts = {};
  for (const r of RESOURCES) {
    if (declared[r] === undefined) continue;
    allocatable[r] = declared[r]! - (reserved[r] ?? 0n);
    if (allocatable[r]! <= 0n) {
      const text = (nanos: bigint): string => Quantity._fromNanos(nanos).text;
      errors.addProblem(`${field}.reserved`, M.reservedEverything(name, r, text(reserved[r]!), text(declared[r]!)));
    } else if (daemonSets[r] !== undefined && daemonSets[r]! >= allocatable[r]!) {
      const text = (nanos: bigint): string => Quantity._fromNanos(nanos).text;
      errors.addProblem(`${field}.daemonSets.${r}`, M.daemonSetsTakeAll(name, r, text(daemonSets[r]!), text(allocatable[r]!)));
    }
  }
  if (dsPods >= maxPods) {
    errors.addProblem(`${field}.daemonSets.pods`, M.daemonSetPodsTakeAll(name, dsPods, maxPods));
  }
  if (errors.count > before) return undefined;
  return {
    name: p.name,
    nodes: count.nodes,
    minNodes: count.minNodes,
    maxNodes: p.maxNodes,
    declared,
    declaredAs: sizeField,
    reservedDeclared: p.reserved !== undefined,
    reserved,
    allocatable,
    daemonSets,
    daemonSetPods: dsPods,
    maxPods,
    labels: { ...(p.labels ?? {}) },
    taints: (p.taints ?? []).map((t) => ({ key: t.key, value: t.value, effect: t.effect })),
    provisioningSeconds: p.provisioningTime?.toSeconds({ integral: false }),
  };
}

function poolCounts(errors: _PropErrors, field: string, name: string, p: NodePool): { nodes: number; minNodes?: number } {
  if (p.maxNodes === undefined) {
    if (p.minNodes !== undefined) errors.addProblem(`${field}.minNodes`, M.minWithoutMax(name));
    if (p.nodes === undefined) errors.addProblem(`${field}.nodes`, M.noNodeCount(name));
    else if (!isWholeNumber(p.nodes, false)) errors.addProblem(`${field}.nodes`, M.badFixedNodes(name, p.nodes));
    return { nodes: p.nodes ?? 0 };
  }
  const min = p.minNodes ?? 0;
  if (!isWholeNumber(p.maxNodes, false)) errors.addProblem(`${field}.maxNodes`, M.badMaxNodes(name, p.maxNodes));
  if (!isWholeNumber(min)) {
    errors.addProblem(`${field}.minNodes`, M.badMinNodes(name, min));
  } else if (isWholeNumber(p.maxNodes, false) && min > p.maxNodes) {
    errors.addProblem(`${field}.minNodes`, M.minAboveMax(name, min, p.maxNodes));
  }
  const nodes = p.nodes ?? min;
  if (p.nodes !== undefined && !isWholeNumber(p.nodes)) {
    errors.addProblem(`${field}.nodes`, M.badAutoscaledNodes(name, p.nodes));
  } else if (p.nodes !== undefined && isWholeNumber(min) && isWholeNumber(p.maxNodes, false) && (p.nodes < min || p.nodes > p.maxNodes)) {
    errors.addProblem(`${field}.nodes`, M.nodesOutsideRange(name, p.nodes, min, p.maxNodes));
  }
  return { nodes, minNodes: min };
}

