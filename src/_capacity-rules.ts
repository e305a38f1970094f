import { Severity } from './problem';

/** @internal One capacity rule: its id, how serious it is, and what it catches (for the README and the report). */
export interface CapacityRule {
  readonly id: string;
  readonly severity: Severity;
  readonly title: string;
}

function rule(id: string, severity: Severity, title: string): CapacityRule {
  return { id, severity, title };
}

/** @internal The capacity rules, by name. Ids are stable: tests, reports and users' suppressions refer to them. */
export const CAPACITY_RULES = {
  podTooLarge: rule('CAP001', Severity.ERROR, "The job pod's effective request fits on no node of the pools it may use."),
  noEligiblePool: rule('CAP002', Severity.ERROR, "No node pool admits the job pod: its node selector or the pools' taints exclude every pool."),
  demandExceedsFit: rule('CAP003', Severity.ERROR, 'More job slots than job pods the cluster can schedule: the extra jobs sit Pending until poll_timeout fails them.'),
  surgeExceedsFit: rule('CAP004', Severity.WARNING, 'During a rollout (maxSurge) the job slots exceed what the cluster can schedule.'),
  naiveOverstates: rule('CAP005', Severity.WARNING, 'The sum-of-capacity estimate overstates the per-node fit by more than 20 % (the "24 / 4.5 = 5" trap).'),
  memoryOvercommit: rule('CAP006', Severity.WARNING, "On a fully packed node the job pods' memory limits exceed the node's free memory: OOM kills and evictions."),
  cpuOvercommit: rule('CAP007', Severity.WARNING, "On a fully packed node the job pods' CPU limits exceed the node's free CPU by more than the allowed ratio."),
  bestEffort: rule('CAP008', Severity.ERROR, 'A job-pod container declares neither a request nor a limit for CPU or memory: job pods pile onto one node.'),
  worstCaseTooLarge: rule('CAP009', Severity.ERROR, 'A job raising its resources to the *_overwrite_max_allowed values gets a pod that fits on no node.'),
  capacityWithoutReserved: rule('CAP010', Severity.WARNING, 'A node pool gives capacity without reservations, so allocatable is taken to equal capacity.'),
  unknownRuntimeOverhead: rule('CAP011', Severity.WARNING, 'The job pod uses a RuntimeClass whose pod overhead the budget does not declare.'),
  noBudget: rule('CAP012', Severity.WARNING, 'A runner manager has no ResourceBudget, so nothing checks that its job slots can be scheduled.'),
  placementUndecided: rule('CAP013', Severity.WARNING, 'Packing did not place every job slot, and the exact search found neither a placement nor a proof that none exists within its work limit.'),
} as const;

/** @internal Every capacity rule, in id order. */
export const CAPACITY_RULE_LIST: CapacityRule[] = Object.values(CAPACITY_RULES).sort((a, b) => (a.id < b.id ? -1 : 1));
