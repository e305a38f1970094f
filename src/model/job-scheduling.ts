import type { Duration } from 'cdk8s';
import type { ResourceSpec } from './resources';

/**
 * The operator of a node selector requirement (Kubernetes `NodeSelectorRequirement.operator`).
 */
export enum NodeSelectorOperator {
  /** The label's value is one of `values` (at least one). */
  IN = 'In',
  /** The label is absent, or its value is none of `values` (at least one). */
  NOT_IN = 'NotIn',
  /** The label is present, whatever its value (no `values`). */
  EXISTS = 'Exists',
  /** The label is absent (no `values`). */
  DOES_NOT_EXIST = 'DoesNotExist',
  /** The label's value, read as an integer, is greater than the one integer in `values`. */
  GT = 'Gt',
  /** The label's value, read as an integer, is less than the one integer in `values`. */
  LT = 'Lt',
}

/**
 * One requirement of a node selector term: a node label (or field), an operator and values.
 */
export interface NodeSelectorRequirement {
  /** The node label key (or, under `matchFields`, the field: only `metadata.name`). */
  readonly key: string;

  /** How the label is compared with `values`. */
  readonly operator: NodeSelectorOperator;

  /**
   * The values: at least one for `In` and `NotIn`, none for `Exists` and `DoesNotExist`, exactly one integer for `Gt`
   * and `Lt`.
   *
   * @default - none
   */
  readonly values?: string[];
}

/**
 * A node selector term: every requirement must hold (AND).
 */
export interface NodeSelectorTerm {
  /**
   * Requirements on node labels.
   *
   * @default - none
   */
  readonly matchExpressions?: NodeSelectorRequirement[];

  /**
   * Requirements on node fields (`metadata.name`).
   *
   * @default - none
   */
  readonly matchFields?: NodeSelectorRequirement[];
}

/**
 * A preferred node selector term and how much the scheduler favours nodes that match it.
 */
export interface WeightedNodeSelectorTerm {
  /** The weight added to a matching node's score, 1 to 100. */
  readonly weight: number;

  /** The term a node should match. */
  readonly preference: NodeSelectorTerm;
}

/**
 * The node affinity of every job pod (`[runners.kubernetes.affinity.node_affinity]`).
 */
export interface JobNodeAffinity {
  /**
   * Terms of which a node must match at least one (OR; the requirements of one term are ANDed)
   * (`required_during_scheduling_ignored_during_execution`). The capacity model counts only the node pools whose
   * labels match.
   *
   * @default - no requirement
   */
  readonly required?: NodeSelectorTerm[];

  /**
   * Terms the scheduler favours, by weight (`preferred_during_scheduling_ignored_during_execution`). They never keep
   * a pod off a node, so the capacity model ignores them.
   *
   * @default - no preference
   */
  readonly preferred?: WeightedNodeSelectorTerm[];
}

/**
 * What a job may change about its pod through CI variables (`KUBERNETES_NAMESPACE_OVERWRITE`, ...). Each allowlist
 * is a Go (RE2) regular expression the runner matches the job's value against; without it, the job's variable is
 * ignored.
 */
export interface JobOverwriteAllowlists {
  /**
   * Namespaces a job may move its pod to (`namespace_overwrite_allowed`). The manager's Role is granted in the
   * template's namespace only, so rule RBAC002 refuses this at synth: jobs moved elsewhere would fail with "forbidden".
   *
   * @default - jobs cannot change the namespace
   */
  readonly namespace?: string;

  /**
   * ServiceAccounts a job may run its pod as (`service_account_overwrite_allowed`).
   *
   * @default - jobs cannot change the ServiceAccount
   */
  readonly serviceAccount?: string;

  /**
   * Whether a job may give its own Kubernetes bearer token (`KUBERNETES_BEARER_TOKEN`), with which the runner then
   * creates its pod (`bearer_token_overwrite_allowed`). A job then acts in the cluster with whatever rights its token
   * has: the fleet warns.
   *
   * @default false
   */
  readonly bearerToken?: boolean;

  /**
   * Node selector entries (`key=value`) a job may add (`node_selector_overwrite_allowed`).
   *
   * @default - jobs cannot change the node selector
   */
  readonly nodeSelector?: string;

  /**
   * Pod labels (`key=value`) a job may add (`pod_labels_overwrite_allowed`).
   *
   * @default - jobs cannot add labels
   */
  readonly podLabels?: string;

  /**
   * Pod annotations (`key=value`) a job may add (`pod_annotations_overwrite_allowed`).
   *
   * @default - jobs cannot add annotations
   */
  readonly podAnnotations?: string;
}

/**
 * Pod-level CPU and memory of the job pod (`pod_cpu_request`, `pod_memory_limit`, ...; GitLab Runner 18.10 and
 * later). Kubernetes honours them only with the `PodLevelResources` feature gate.
 */
export interface JobPodResources {
  /**
   * CPU of the whole pod: request, limit and the most a job may raise them to (`KUBERNETES_POD_CPU_*`).
   *
   * @default - the sum of the containers' CPU
   */
  readonly cpu?: ResourceSpec;

  /**
   * Memory of the whole pod: request, limit and the most a job may raise them to (`KUBERNETES_POD_MEMORY_*`).
   *
   * @default - the sum of the containers' memory
   */
  readonly memory?: ResourceSpec;
}

/**
 * Scheduling, identity, overwrite and pod-level resource settings of `JobPodTemplate`.
 */
export interface JobPodSchedulingProps {
  /**
   * The node affinity of every job pod.
   *
   * @default - none
   */
  readonly nodeAffinity?: JobNodeAffinity;

  /**
   * The RuntimeClass of job pods (`runtime_class_name`), e.g. `gvisor` or `kata`. A ResourceBudget's
   * `runtimeClasses` overhead is added to every job pod that uses it.
   *
   * @default - the cluster's default runtime
   */
  readonly runtimeClassName?: string;

  /**
   * The PriorityClass of job pods (`priority_class_name`).
   *
   * @default - the cluster's default priority
   */
  readonly priorityClassName?: string;

  /**
   * Secrets (in the job namespace) the kubelet uses to pull the job's images (`image_pull_secrets`). Only the names
   * are written; the credentials stay in the Secrets.
   *
   * @default - none
   */
  readonly imagePullSecrets?: string[];

  /**
   * Whether the runner also adds the image pull Secrets of the job pod's ServiceAccount
   * (`use_service_account_image_pull_secrets`).
   *
   * @default false
   */
  readonly useServiceAccountImagePullSecrets?: boolean;

  /**
   * How long Kubernetes waits after stopping a job pod before killing it (`pod_termination_grace_period_seconds`).
   *
   * @default - Kubernetes' default, 30 seconds
   */
  readonly podTerminationGracePeriod?: Duration;

  /**
   * The grace period the runner gives when it deletes the pod of a finished job (`cleanup_grace_period_seconds`).
   *
   * @default - Kubernetes' default, 30 seconds
   */
  readonly cleanupGracePeriod?: Duration;

  /**
   * What jobs may change about their pod through CI variables.
   *
   * @default - nothing
   */
  readonly overwriteAllowed?: JobOverwriteAllowlists;

  /**
   * Pod-level requests and limits (GitLab Runner 18.10 and later; Kubernetes' `PodLevelResources` feature gate).
   * When set, the pod-level request of a resource replaces the sum of the containers' requests for scheduling.
   *
   * @default - none: the containers' resources only
   */
  readonly podResources?: JobPodResources;
}

/** @internal The config.toml key each scheduling prop renders, with the prop's name, for messages. */
export const SCHEDULING_KEYS: Record<string, string> = {
  affinity: 'nodeAffinity',
  runtime_class_name: 'runtimeClassName',
  priority_class_name: 'priorityClassName',
  image_pull_secrets: 'imagePullSecrets',
  use_service_account_image_pull_secrets: 'useServiceAccountImagePullSecrets',
  pod_termination_grace_period_seconds: 'podTerminationGracePeriod',
  cleanup_grace_period_seconds: 'cleanupGracePeriod',
  namespace_overwrite_allowed: 'overwriteAllowed.namespace',
  service_account_overwrite_allowed: 'overwriteAllowed.serviceAccount',
  bearer_token_overwrite_allowed: 'overwriteAllowed.bearerToken',
  node_selector_overwrite_allowed: 'overwriteAllowed.nodeSelector',
  pod_labels_overwrite_allowed: 'overwriteAllowed.podLabels',
  pod_annotations_overwrite_allowed: 'overwriteAllowed.podAnnotations',
  pod_cpu_request: 'podResources.cpu.request',
  pod_cpu_limit: 'podResources.cpu.limit',
  pod_cpu_request_overwrite_max_allowed: 'podResources.cpu.maxRequest',
  pod_cpu_limit_overwrite_max_allowed: 'podResources.cpu.maxLimit',
  pod_memory_request: 'podResources.memory.request',
  pod_memory_limit: 'podResources.memory.limit',
  pod_memory_request_overwrite_max_allowed: 'podResources.memory.maxRequest',
  pod_memory_limit_overwrite_max_allowed: 'podResources.memory.maxLimit',
};
