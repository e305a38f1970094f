import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { CapacityEvaluation, eligibility, evaluateBudget } from '../internal/capacity/evaluate';
import { capacityFindings } from '../internal/capacity/findings';
import { kubernetesSettings } from '../internal/render/job-scheduling';

import { withAcknowledgements } from '../internal/rules/acknowledgements';
import { currentFindings } from '../internal/rules/finding-sources';
import { PROP_RULES } from '../internal/validate/construction-rules';
import { validateLabels, validateTaints } from '../internal/validate/placement';
import { _PropErrors, _validationLine } from '../internal/validate/prop-errors';
import { checkPropStrings } from '../internal/validate/secrets';
import { isDns1123Subdomain, isLabelValue, isMtu, isPlainMap, isWholeNumber, MTU_FIX, plainProps, show } from '../internal/validate/validators';
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
    errors.add(field, `pool ${pool}: ${show(given)} is not a map of resources.`, `give { ${allowed.map((r) => `${r}: '…'`).join(', ')} } (any of them), or leave it out.`);
    return out;
  }
  for (const r of allowed) {
    const text = given[r];
    if (text === undefined) continue;
    if (!Quantity.isValid(text)) {
      errors.add(`${field}.${r}`, `pool ${pool}: ${show(text)} is not a non-negative Kubernetes quantity.`,
        r === 'cpu' ? "write cores or millicores, e.g. '8', '7.5' or '7910m'." : "write bytes with a binary suffix, e.g. '32Gi' or '512Mi'.");
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
    errors.add('nodePools', `${props.nodePools === undefined || Array.isArray(props.nodePools) ? 'the budget declares no node pool' : `${show(props.nodePools)} is not a list of node pools`}, so no job pod could be placed.`,
      "declare at least one pool, e.g. { name: 'ci', nodes: 3, allocatable: { cpu: '7910m', memory: '29Gi' } }.");
  }
  const names = new Map<string, number>();
  (Array.isArray(props.nodePools) ? props.nodePools : []).forEach((p, i) => {
    const pool = buildPool(errors, `nodePools[${i}]`, p);
    if (typeof p?.name === 'string') {
      const first = names.get(p.name);
      if (first !== undefined) {
        errors.add(`nodePools[${i}].name`, `pool ${show(p.name)} is declared twice (also nodePools[${first}]); reports and fixes name pools, so names must be unique.`, 'give each pool its own name, or merge the two.');
      } else {
        names.set(p.name, i);
      }
    }
    if (pool) pools.push(pool);
  });
  const ratio = props.cpuLimitOvercommitRatio ?? DEFAULT_CPU_LIMIT_OVERCOMMIT_RATIO;
  if (typeof ratio !== 'number' || !Number.isFinite(ratio) || ratio < 1) {
    errors.add('cpuLimitOvercommitRatio', `${show(ratio)} is not a ratio of at least 1.`, 'give how many times the free CPU the limits may add up to, e.g. 2.');
  }
  if (props.podNetworkMtu !== undefined && !isMtu(props.podNetworkMtu)) {
    errors.add('podNetworkMtu', `${show(props.podNetworkMtu)} is not a usable MTU.`, MTU_FIX);
  }
  const runtimeClasses: Record<string, Amounts> = {};
  if (props.runtimeClasses !== undefined && !Array.isArray(props.runtimeClasses)) {
    errors.add('runtimeClasses', `${show(props.runtimeClasses)} is not a list.`, "give runtimeClasses as an array, e.g. [{ name: 'gvisor', cpu: '250m', memory: '120Mi' }].");
  }
  (Array.isArray(props.runtimeClasses) ? props.runtimeClasses : []).forEach((rc, i) => {
    const field = `runtimeClasses[${i}]`;
    if (rc === null || typeof rc !== 'object') {
      errors.add(field, `${show(rc)} is not a RuntimeClass overhead.`, "give { name, cpu?, memory? }, e.g. { name: 'gvisor', cpu: '250m' }.");
      return;
    }
    if (!isDns1123Subdomain(rc.name)) errors.add(`${field}.name`, `${show(rc.name)} is not a RuntimeClass name.`, "use a DNS-1123 subdomain, e.g. 'gvisor'.");
    else if (runtimeClasses[rc.name] !== undefined) errors.add(`${field}.name`, `RuntimeClass ${show(rc.name)} is declared twice.`, 'declare each RuntimeClass once.');
    runtimeClasses[rc.name] = parseAmounts(errors, field, `RuntimeClass ${show(rc.name)}`, rc, ['cpu', 'memory']);
  });
  return { path, pools, podNetworkMtu: props.podNetworkMtu, cpuLimitOvercommitRatio: ratio, runtimeClasses };
}

function buildPool(errors: _PropErrors, field: string, p: NodePool): PoolModel | undefined {
  if (p === null || typeof p !== 'object') {
    errors.add(field, `${show(p)} is not a node pool.`, "give { name, nodes, allocatable }, e.g. { name: 'ci', nodes: 3, allocatable: { cpu: '7910m', memory: '29Gi' } }.");
    return undefined;
  }
  const before = errors.count;
  const name = show(p?.name);
  if (typeof p?.name !== 'string' || !isLabelValue(p.name) || p.name === '') {
    errors.add(`${field}.name`, `${name} is not a usable pool name.`, 'use at most 63 letters, digits, -, _ and ., starting and ending alphanumeric.');
  }
  const count = poolCounts(errors, field, name, p);

  if ((p.capacity === undefined) === (p.allocatable === undefined)) {
    errors.add(`${field}.allocatable`, `pool ${name}: ${p.capacity ? 'both capacity and allocatable are given' : 'neither capacity nor allocatable is given'}.`,
      "give allocatable (what pods may use, from kubectl get node), or capacity with reserved; e.g. allocatable: { cpu: '7910m', memory: '29Gi' }.");
  }
  if (p.reserved !== undefined && p.capacity === undefined) {
    errors.add(`${field}.reserved`, `pool ${name}: reserved is subtracted from capacity, but the pool gives allocatable, which already excludes it.`, 'drop reserved, or give capacity instead of allocatable.');
  }
  const sizeField = p.capacity !== undefined ? 'capacity' : 'allocatable';
  const size = p.capacity ?? p.allocatable;
  if (isPlainMap(size)) {
    for (const r of ['cpu', 'memory'] as const) {
      if ((size as Amountable)[r] === undefined) errors.add(`${field}.${sizeField}.${r}`, `pool ${name}: ${r} is missing.`, `give the node's ${r}, e.g. ${r === 'cpu' ? "'8'" : "'32Gi'"}.`);
    }
  }
  const declared = parseAmounts(errors, `${field}.${sizeField}`, name, size);
  if (p.reserved !== undefined && !isPlainMap(p.reserved)) {
    errors.add(`${field}.reserved`, `pool ${name}: ${show(p.reserved)} is not a map of reservations.`, "give { systemReserved, kubeReserved, evictionHard } (any of them), e.g. { kubeReserved: { cpu: '80m' } }.");
  }
  const reserved = sum(
    parseAmounts(errors, `${field}.reserved.systemReserved`, name, p.reserved?.systemReserved),
    parseAmounts(errors, `${field}.reserved.kubeReserved`, name, p.reserved?.kubeReserved),
    parseAmounts(errors, `${field}.reserved.evictionHard`, name, p.reserved?.evictionHard, ['memory', 'ephemeralStorage']),
  );
  if (p.reserved?.evictionHard && (p.reserved.evictionHard as { cpu?: string }).cpu !== undefined) {
    errors.add(`${field}.reserved.evictionHard.cpu`, `pool ${name}: the kubelet has no CPU eviction threshold.`, 'reserve CPU with systemReserved or kubeReserved.');
  }
  const daemonSets = parseAmounts(errors, `${field}.daemonSets`, name, p.daemonSets);
  const dsPods = p.daemonSets?.pods ?? 0;
  if (!isWholeNumber(dsPods)) errors.add(`${field}.daemonSets.pods`, `pool ${name}: ${show(dsPods)} is not a whole number of pods.`, 'give 0 or more.');
  const maxPods = p.maxPods ?? DEFAULT_MAX_PODS;
  if (!isWholeNumber(maxPods, false)) errors.add(`${field}.maxPods`, `pool ${name}: ${show(maxPods)} is not a whole number of at least 1.`, "give the kubelet's --max-pods (110 by default).");
  validateLabels(errors, `${field}.labels`, p.labels, `pool ${name}: `);
  validateTaints(errors, `${field}.taints`, p.taints, { noun: 'taint', effectRequired: true, oneEffectPerKey: false, subject: `pool ${name}: ` });
  const provisioning: unknown = p.provisioningTime;
  if (provisioning !== undefined && !(provisioning instanceof Duration && provisioning.toSeconds({ integral: false }) > 0)) {
    const shown = provisioning instanceof Duration ? `${provisioning.toSeconds({ integral: false })}s` : show(provisioning);
    errors.add(`${field}.provisioningTime`, `pool ${name}: ${shown} is not a positive duration.`, 'give how long a new node takes to be ready, e.g. Duration.minutes(3).');
  }
  if (errors.count > before) return undefined;

  const allocatable: Amounts = {};
  for (const r of RESOURCES) {
    if (declared[r] === undefined) continue;
    allocatable[r] = declared[r]! - (reserved[r] ?? 0n);
    if (allocatable[r]! <= 0n) {
      errors.add(`${field}.reserved`, `pool ${name}: reservations (${show(Quantity._fromNanos(reserved[r]!).text)} ${r}) leave nothing of the node's ${show(Quantity._fromNanos(declared[r]!).text)}.`,
        'check the reserved amounts against the node capacity (units: 500m is half a core, 1Gi is 1024Mi).');
    } else if (daemonSets[r] !== undefined && daemonSets[r]! >= allocatable[r]!) {
      errors.add(`${field}.daemonSets.${r}`, `pool ${name}: DaemonSets request ${show(Quantity._fromNanos(daemonSets[r]!).text)} ${r}, all of the node's allocatable ${show(Quantity._fromNanos(allocatable[r]!).text)}; nothing is left for job pods.`,
        'check the DaemonSet requests (they are per node, not per cluster), or use larger nodes.');
    }
  }
  if (dsPods >= maxPods) {
    errors.add(`${field}.daemonSets.pods`, `pool ${name}: ${dsPods} DaemonSet pods take all ${maxPods} pod slots of a node; nothing is left for job pods.`, 'check maxPods and daemonSets.pods.');
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
    if (p.minNodes !== undefined) errors.add(`${field}.minNodes`, `pool ${name}: minNodes without maxNodes.`, 'give maxNodes too for an autoscaling pool, or only nodes for a fixed one.');
    if (p.nodes === undefined) errors.add(`${field}.nodes`, `pool ${name}: the node count is missing.`, 'give nodes (how many nodes the pool has), or maxNodes for an autoscaling pool.');
    else if (!isWholeNumber(p.nodes, false)) errors.add(`${field}.nodes`, `pool ${name}: ${show(p.nodes)} is not a whole number of at least 1.`, 'give how many nodes the pool has, or leave an empty pool out.');
    return { nodes: p.nodes ?? 0 };
  }
  const min = p.minNodes ?? 0;
  if (!isWholeNumber(p.maxNodes, false)) errors.add(`${field}.maxNodes`, `pool ${name}: ${show(p.maxNodes)} is not a whole number of at least 1.`, 'give the most nodes the autoscaler may run.');
  if (!isWholeNumber(min)) {
    errors.add(`${field}.minNodes`, `pool ${name}: ${show(min)} is not a whole number of 0 or more.`, 'give the fewest nodes the autoscaler keeps (0 to scale from zero).');
  } else if (isWholeNumber(p.maxNodes, false) && min > p.maxNodes) {
    errors.add(`${field}.minNodes`, `pool ${name}: minNodes ${min} is above maxNodes ${p.maxNodes}.`, `lower minNodes to at most ${p.maxNodes}, or raise maxNodes.`);
  }
  const nodes = p.nodes ?? min;
  if (p.nodes !== undefined && !isWholeNumber(p.nodes)) {
    errors.add(`${field}.nodes`, `pool ${name}: ${show(p.nodes)} is not a whole number of 0 or more.`, 'give the current node count, between minNodes and maxNodes.');
  } else if (p.nodes !== undefined && isWholeNumber(min) && isWholeNumber(p.maxNodes, false) && (p.nodes < min || p.nodes > p.maxNodes)) {
    errors.add(`${field}.nodes`, `pool ${name}: ${p.nodes} nodes is outside minNodes ${min} … maxNodes ${p.maxNodes}.`, 'give the current node count, between minNodes and maxNodes.');
  }
  return { nodes, minNodes: min };
}

