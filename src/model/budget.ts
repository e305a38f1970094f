import { RESOURCE_KINDS, ResourceKind } from './resources';

/** The resources a job pod requests, in the order they are reported. */
export const RESOURCES: ResourceKind[] = RESOURCE_KINDS.map((k) => k.prop);

/** What a node runs out of: the three resources and its pod slots. */
export type Dimension = ResourceKind | 'pods';

export const DIMENSIONS: Dimension[] = [...RESOURCES, 'pods'];

/** Amounts per resource in nano-units; a missing resource is not declared (it does not bind). */
export type Amounts = { [K in ResourceKind]?: bigint };

/** What is free on a node: resources in nano-units, pods as a count. */
export type Free = Amounts & { pods: bigint };

/** A node taint, as the budget declares it. */
export interface TaintModel {
  readonly key: string;
  readonly value?: string;
  readonly effect: string;
}

/** One node pool of a budget, with every quantity already parsed. */
export interface PoolModel {
  readonly name: string;
  /** Nodes now (for an autoscaling pool: between min and max). */
  readonly nodes: number;
  readonly minNodes?: number;
  /** Set when the pool autoscales; supply is evaluated at this size. */
  readonly maxNodes?: number;
  /** The per-node size the user declared: capacity when given, else allocatable (the naive estimate uses it). */
  readonly declared: Amounts;
  readonly declaredAs: 'capacity' | 'allocatable';
  /** Whether reservations were declared along with capacity. */
  readonly reservedDeclared: boolean;
  /** system + kube reserved + hard eviction threshold. */
  readonly reserved: Amounts;
  readonly allocatable: Amounts;
  /** Requests of the DaemonSet pods on every node. */
  readonly daemonSets: Amounts;
  readonly daemonSetPods: number;
  readonly maxPods: number;
  readonly labels: Record<string, string>;
  readonly taints: TaintModel[];
  readonly provisioningSeconds?: number;
}

/** A budget, as the capacity model sees it. */
export interface BudgetModel {
  readonly path: string;
  readonly pools: PoolModel[];
  readonly podNetworkMtu?: number;
  /** CPU limits of a packed node above this multiple of its free CPU are reported. */
  readonly cpuLimitOvercommitRatio: number;
  /** Pod overhead per RuntimeClass name. */
  readonly runtimeClasses: Record<string, Amounts>;
}
