/**
 * What the rule catalogue needs to know about the cluster a manager is budgeted against. `ResourceBudget` provides
 * it (`_facts()`), so rules never reach into the capacity model.
 */
export interface BudgetFacts {
  /** Construct path of the budget. */
  readonly path: string;
  /** Whether any node pool the manager's job pods may use autoscales. */
  readonly autoscaling: boolean;
  /** The longest declared time for a new node to become ready, in seconds, if declared. */
  readonly nodeProvisioningSeconds?: number;
  /** CPU architectures (`kubernetes.io/arch` label values) of the node pools job pods may use. */
  readonly architectures: string[];
  /** The pod network MTU declared for the cluster, if any. */
  readonly podNetworkMtu?: number;
}
