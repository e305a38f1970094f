import { Severity } from '../../model/finding';
import type { RuleSpec } from '../../model/rule';

/** @internal One capacity rule: checked at synth by the budget (src/internal/capacity), listed under Capacity. */
export type CapacityRule = RuleSpec;

function rule(id: string, severity: Severity, title: string, fix: string, why: string): CapacityRule {
  return { id, severity, checkedAt: ['synth'], area: 'Capacity', title, fix, why };
}

/** @internal The capacity rules, by name. Ids are stable: tests, reports and users' acknowledgements refer to them. */
export const CAPACITY_RULES = {
  podTooLarge: rule('CAP001', Severity.ERROR, "The job pod's effective request fits on no node of the pools it may use.",
    'lower the requests of the job pod, or add a pool of larger nodes it may use.',
    'The pod stays Pending, and every job fails when poll_timeout runs out.'),
  noEligiblePool: rule('CAP002', Severity.ERROR, "No node pool admits the job pod: its node selector or the pools' taints exclude every pool.",
    "align the template's nodeSelector and tolerations with a pool's labels and taints.",
    'The pod stays Pending, and every job fails when poll_timeout runs out. The field is the one that excludes the most pools '
    + '(`nodeSelector`, `nodeAffinity`, `extraConfig.affinity` or `tolerations`); the fix covers every field that excludes one.'),
  demandExceedsFit: rule('CAP003', Severity.ERROR,
    'More job slots than job pods the cluster can schedule: the extra jobs sit Pending until poll_timeout fails them.',
    'lower concurrent (or limit) to what fits, or add nodes; the finding names both numbers.',
    'Raised only when no placement exists (a bound or the exact search proves it). States both numbers and the fixes: the largest `concurrent` or '
    + '`limit` (or `replicas`) that fits, and the fewest nodes to add to the pool that fits most of these pods (or the `maxNodes` to raise), each '
    + 'found by doubling then bisection and re-checked by the same placement, so the number clears the error and one less (one more slot) does not. '
    + 'A fix makes every manager sharing those pools fit.'),
  surgeExceedsFit: rule('CAP004', Severity.WARNING, 'During a rollout (`maxSurge`) the job slots exceed what the cluster can schedule.',
    'lower maxSurge or concurrent, or add nodes for the rollout.',
    'While old and new manager pods run side by side, the extra jobs sit Pending until poll_timeout fails them.'),
  naiveOverstates: rule('CAP005', Severity.WARNING,
    'The sum-of-capacity estimate (Σ node size ÷ pod request or limit) overstates the per-node fit by more than 20 % (the "24 / 4.5 = 5" trap).',
    'plan with the per-node fit the finding states, not the sum of the cluster.',
    'A pod does not split across nodes: planning with the sum promises job slots the nodes cannot hold.'),
  memoryOvercommit: rule('CAP006', Severity.WARNING,
    "On a fully packed node the job pods' memory limits exceed the node's free memory (or a container has no memory limit).",
    'lower the memory limits towards the requests, or give jobs fewer slots per node.',
    'OOM kills and evictions, when the jobs use what their limits allow.'),
  cpuOvercommit: rule('CAP007', Severity.WARNING,
    "On a fully packed node the job pods' CPU limits exceed the node's free CPU by more than `cpuLimitOvercommitRatio`.",
    'lower the CPU limits, or raise cpuLimitOvercommitRatio if the throttling is accepted.',
    'Jobs that use their limits together are throttled, and builds take longer than planned.'),
  bestEffort: rule('CAP008', Severity.ERROR, 'A job-pod container declares neither a request nor a limit for CPU or memory.',
    'give every job-pod container a CPU and a memory request.',
    'The scheduler reserves nothing for it, so job pods pile onto one node.'),
  worstCaseTooLarge: rule('CAP009', Severity.ERROR,
    'A job raising its resources to the `*_overwrite_max_allowed` values gets a pod that fits on no node.',
    'lower maxRequest/maxLimit to what a node of the pools can hold.',
    'That job\'s pod stays Pending until poll_timeout fails the job.'),
  capacityWithoutReserved: rule('CAP010', Severity.WARNING,
    'A node pool gives capacity without reservations, so allocatable is taken to equal capacity.',
    "give the pool's allocatable, or its reservations (reserved, eviction threshold) with the capacity.",
    'The kubelet keeps part of every node for the system, so the budget overstates what job pods get.'),
  unknownRuntimeOverhead: rule('CAP011', Severity.WARNING, 'The job pod uses a RuntimeClass whose pod overhead the budget does not declare.',
    "declare the RuntimeClass's overhead in the budget's runtimeClasses.",
    'Kubernetes adds the overhead to the request of every such pod, so the budget counts each job pod too small.'),
  noBudget: rule('CAP012', Severity.WARNING, 'A runner manager has no ResourceBudget.',
    'declare the cluster CI runs on with a ResourceBudget and pass it as budget.',
    'Nothing checks that its job slots can be scheduled.'),
  placementUndecided: rule('CAP013', Severity.WARNING,
    'Packing did not place every job slot, and the exact search found neither a placement nor a proof that none exists within its work limit.',
    "check the packing by hand; then acknowledge it on the manager: `Rules.acknowledge(runner, 'CAP013', 'checked by hand')`.",
    'The slots may fit: an error must be a proof, so this is a warning.'),
  memoryVolumes: rule('CAP014', Severity.WARNING,
    'On a node packed by requests, the job pods with their memory-backed emptyDirs full use more memory than the node has free.',
    "add the volumes' size to the build container's memory request, or lower their sizeLimit.",
    "The scheduler reserves nothing for tmpfs, whose pages count against the writing container's memory."),
} as const;

/** @internal Every capacity rule, in id order. */
export const CAPACITY_RULE_LIST: CapacityRule[] = Object.values(CAPACITY_RULES).sort((a, b) => (a.id < b.id ? -1 : 1));
