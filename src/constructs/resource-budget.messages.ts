import { PROP_MESSAGES } from './props.messages';
import { show } from '../internal/validate/validators';
import type { Problem } from '../model/problem';

/** An example pool, in the fixes that ask for one. */
const POOL_EXAMPLE = "{ name: 'ci', nodes: 3, allocatable: { cpu: '7910m', memory: '29Gi' } }";

/**
 * @internal The wording of ResourceBudget's prop errors. `pool` is how the message names the pool: its name as
 * `show` writes it, or `RuntimeClass '<name>'` for a RuntimeClass's overhead.
 */
export const BUDGET_MESSAGES = {
  /** Amounts. */
  notResourceMap: (pool: string, given: unknown, allowed: string[]): Problem => ({
    message: `pool ${pool}: ${show(given)} is not a map of resources.`,
    fix: `give { ${allowed.map((r) => `${r}: '…'`).join(', ')} } (any of them), or leave it out.`,
  }),
  notQuantity: (pool: string, text: unknown, resource: string): Problem => ({
    message: `pool ${pool}: ${show(text)} is not a non-negative Kubernetes quantity.`,
    fix: resource === 'cpu' ? "write cores or millicores, e.g. '8', '7.5' or '7910m'." : "write bytes with a binary suffix, e.g. '32Gi' or '512Mi'.",
  }),

  /** The budget. `malformed`: nodePools is given, and is not a list. */
  noPools: (nodePools: unknown, malformed: boolean): Problem => ({
    message: `${malformed ? `${show(nodePools)} is not a list of node pools` : 'the budget declares no node pool'}, so no job pod could be placed.`,
    fix: `declare at least one pool, e.g. ${POOL_EXAMPLE}.`,
  }),
  poolTwice: (name: string, first: number): Problem => ({
    message: `pool ${show(name)} is declared twice (also nodePools[${first}]); reports and fixes name pools, so names must be unique.`,
    fix: 'give each pool its own name, or merge the two.',
  }),
  badRatio: (ratio: unknown): Problem => ({
    message: `${show(ratio)} is not a ratio of at least 1.`,
    fix: 'give how many times the free CPU the limits may add up to, e.g. 2.',
  }),
  runtimeClassesNotList: (value: unknown): Problem => ({
    message: PROP_MESSAGES.notList(value),
    fix: "give runtimeClasses as an array, e.g. [{ name: 'gvisor', cpu: '250m', memory: '120Mi' }].",
  }),
  notRuntimeClass: (rc: unknown): Problem => ({
    message: `${show(rc)} is not a RuntimeClass overhead.`,
    fix: "give { name, cpu?, memory? }, e.g. { name: 'gvisor', cpu: '250m' }.",
  }),
  badRuntimeClassName: (name: unknown): Problem => ({
    message: `${show(name)} is not a RuntimeClass name.`,
    fix: "use a DNS-1123 subdomain, e.g. 'gvisor'.",
  }),
  runtimeClassTwice: (name: string): Problem => ({
    message: `RuntimeClass ${show(name)} is declared twice.`,
    fix: 'declare each RuntimeClass once.',
  }),
  /** How the amount messages name a RuntimeClass. */
  runtimeClassSubject: (name: unknown): string => `RuntimeClass ${show(name)}`,

  /** A pool. */
  notPool: (p: unknown): Problem => ({
    message: `${show(p)} is not a node pool.`,
    fix: `give { name, nodes, allocatable }, e.g. ${POOL_EXAMPLE}.`,
  }),
  badPoolName: (pool: string): Problem => ({
    message: `${pool} is not a usable pool name.`,
    fix: 'use at most 63 letters, digits, -, _ and ., starting and ending alphanumeric.',
  }),
  /** `both`: capacity and allocatable are both given (else neither is). */
  capacityOrAllocatable: (pool: string, both: boolean): Problem => ({
    message: `pool ${pool}: ${both ? 'both capacity and allocatable are given' : 'neither capacity nor allocatable is given'}.`,
    fix: 'give allocatable (what pods may use, from kubectl get node), or capacity with reserved; '
      + "e.g. allocatable: { cpu: '7910m', memory: '29Gi' }.",
  }),
  reservedWithAllocatable: (pool: string): Problem => ({
    message: `pool ${pool}: reserved is subtracted from capacity, but the pool gives allocatable, which already excludes it.`,
    fix: 'drop reserved, or give capacity instead of allocatable.',
  }),
  sizeMissing: (pool: string, resource: string): Problem => ({
    message: `pool ${pool}: ${resource} is missing.`,
    fix: `give the node's ${resource}, e.g. ${resource === 'cpu' ? "'8'" : "'32Gi'"}.`,
  }),
  notReservations: (pool: string, reserved: unknown): Problem => ({
    message: `pool ${pool}: ${show(reserved)} is not a map of reservations.`,
    fix: "give { systemReserved, kubeReserved, evictionHard } (any of them), e.g. { kubeReserved: { cpu: '80m' } }.",
  }),
  cpuEviction: (pool: string): Problem => ({
    message: `pool ${pool}: the kubelet has no CPU eviction threshold.`,
    fix: 'reserve CPU with systemReserved or kubeReserved.',
  }),
  badDaemonSetPods: (pool: string, pods: unknown): Problem => ({
    message: `pool ${pool}: ${show(pods)} is not a whole number of pods.`,
    fix: 'give 0 or more.',
  }),
  badMaxPods: (pool: string, maxPods: unknown): Problem => ({
    message: `pool ${pool}: ${show(maxPods)} is not a whole number of at least 1.`,
    fix: "give the kubelet's --max-pods (110 by default).",
  }),
  /** What a pool's label and taint errors start with. */
  poolSubject: (pool: string): string => `pool ${pool}: `,
  /** `shown`: the duration in seconds (`90s`), or the value as `show` writes it when it is no Duration. */
  badProvisioningTime: (pool: string, shown: string): Problem => ({
    message: `pool ${pool}: ${shown} is not a positive duration.`,
    fix: 'give how long a new node takes to be ready, e.g. Duration.minutes(3).',
  }),
  /** Quantities are given as their text (`Quantity.text`). */
  reservedEverything: (pool: string, resource: string, reserved: string, declared: string): Problem => ({
    message: `pool ${pool}: reservations (${show(reserved)} ${resource}) leave nothing of the node's ${show(declared)}.`,
    fix: 'check the reserved amounts against the node capacity (units: 500m is half a core, 1Gi is 1024Mi).',
  }),
  daemonSetsTakeAll: (pool: string, resource: string, requested: string, allocatable: string): Problem => ({
    message: `pool ${pool}: DaemonSets request ${show(requested)} ${resource}, all of the node's allocatable ${show(allocatable)}; `
      + 'nothing is left for job pods.',
    fix: 'check the DaemonSet requests (they are per node, not per cluster), or use larger nodes.',
  }),
  daemonSetPodsTakeAll: (pool: string, pods: number, maxPods: number): Problem => ({
    message: `pool ${pool}: ${pods} DaemonSet pods take all ${maxPods} pod slots of a node; nothing is left for job pods.`,
    fix: 'check maxPods and daemonSets.pods.',
  }),

  /** Node counts. */
  minWithoutMax: (pool: string): Problem => ({
    message: `pool ${pool}: minNodes without maxNodes.`,
    fix: 'give maxNodes too for an autoscaling pool, or only nodes for a fixed one.',
  }),
  noNodeCount: (pool: string): Problem => ({
    message: `pool ${pool}: the node count is missing.`,
    fix: 'give nodes (how many nodes the pool has), or maxNodes for an autoscaling pool.',
  }),
  badFixedNodes: (pool: string, nodes: unknown): Problem => ({
    message: `pool ${pool}: ${show(nodes)} is not a whole number of at least 1.`,
    fix: 'give how many nodes the pool has, or leave an empty pool out.',
  }),
  badMaxNodes: (pool: string, maxNodes: unknown): Problem => ({
    message: `pool ${pool}: ${show(maxNodes)} is not a whole number of at least 1.`,
    fix: 'give the most nodes the autoscaler may run.',
  }),
  badMinNodes: (pool: string, minNodes: unknown): Problem => ({
    message: `pool ${pool}: ${show(minNodes)} is not a whole number of 0 or more.`,
    fix: 'give the fewest nodes the autoscaler keeps (0 to scale from zero).',
  }),
  minAboveMax: (pool: string, min: number, max: number): Problem => ({
    message: `pool ${pool}: minNodes ${min} is above maxNodes ${max}.`,
    fix: `lower minNodes to at most ${max}, or raise maxNodes.`,
  }),
  badAutoscaledNodes: (pool: string, nodes: unknown): Problem => ({
    message: `pool ${pool}: ${show(nodes)} is not a whole number of 0 or more.`,
    fix: 'give the current node count, between minNodes and maxNodes.',
  }),
  nodesOutsideRange: (pool: string, nodes: number, min: number, max: number): Problem => ({
    message: `pool ${pool}: ${nodes} nodes is outside minNodes ${min} … maxNodes ${max}.`,
    fix: 'give the current node count, between minNodes and maxNodes.',
  }),
};
