import type { NodeSelectorRequirement } from '../model/job-scheduling';

// The manager pod's settings of RunnerManagerProps (issue #14): identity, metadata, placement, disruption budget,
// logging and the vetted `[[runners]]` escape hatch. RunnerManagerProps extends ManagerPodProps.

/** The runner's global `log_level` (GitLab Runner accepts these; `warn` is the same as `warning`). */
export enum RunnerLogLevel {
  /** `debug`: everything, including each job request. */
  DEBUG = 'debug',
  /** `info`: the runner's default. */
  INFO = 'info',
  /** `warning`. */
  WARNING = 'warning',
  /** `error`. */
  ERROR = 'error',
  /** `fatal`. */
  FATAL = 'fatal',
  /** `panic`. */
  PANIC = 'panic',
}

/** The runner's global `log_format`. */
export enum RunnerLogFormat {
  /** `runner`: the runner's default, coloured text for terminals. */
  RUNNER = 'runner',
  /** `text`: plain text. */
  TEXT = 'text',
  /** `json`: one JSON object per line, for log collectors. */
  JSON = 'json',
}

/** What the scheduler does with a manager pod a topology spread constraint cannot place. */
export enum WhenUnsatisfiable {
  /** Schedule it anyway, preferring the least crowded domain. */
  SCHEDULE_ANYWAY = 'ScheduleAnyway',
  /** Leave it Pending. */
  DO_NOT_SCHEDULE = 'DoNotSchedule',
}

/** How strictly the manager pods keep off each other's nodes. */
export enum PodAntiAffinity {
  /** No anti-affinity. */
  NONE = 'none',
  /** Prefer nodes without another manager pod of this manager (weight 100). */
  PREFERRED = 'preferred',
  /** Never two manager pods of this manager on one node: replicas beyond the node count stay Pending. */
  REQUIRED = 'required',
}

/** Node labels the scheduler prefers, with a weight. */
export interface PreferredNodeLabels {
  /** The weight of this preference, 1 to 100. */
  readonly weight: number;
  /** Every requirement a node must meet to earn the weight. */
  readonly requirements: NodeSelectorRequirement[];
}

/** The manager pods' affinity: a typed subset of Kubernetes `affinity` that both outputs carry. */
export interface ManagerAffinity {
  /**
   * Requirements every node a manager pod lands on must meet (node affinity, required during scheduling).
   *
   * @default - none
   */
  readonly requiredNodeLabels?: NodeSelectorRequirement[];
  /**
   * Node labels the scheduler prefers (node affinity, preferred during scheduling).
   *
   * @default - none
   */
  readonly preferredNodeLabels?: PreferredNodeLabels[];
  /**
   * Whether the manager pods keep off nodes that run another of them (pod anti-affinity on `kubernetes.io/hostname`).
   *
   * @default PodAntiAffinity.NONE
   */
  readonly podAntiAffinity?: PodAntiAffinity;
}

/** One topology spread constraint of the manager pods; its label selector is the manager's own pods. */
export interface ManagerTopologySpread {
  /** The node label whose values are the domains, e.g. `kubernetes.io/hostname` or `topology.kubernetes.io/zone`. */
  readonly topologyKey: string;
  /**
   * The most the number of manager pods may differ between two domains.
   *
   * @default 1
   */
  readonly maxSkew?: number;
  /**
   * What happens to a pod that cannot be placed within `maxSkew`.
   *
   * @default WhenUnsatisfiable.SCHEDULE_ANYWAY
   */
  readonly whenUnsatisfiable?: WhenUnsatisfiable;
}

/** The manager's ServiceAccount. */
export interface ManagerServiceAccount {
  /**
   * Annotations of the ServiceAccount the library creates, e.g. `eks.amazonaws.com/role-arn` (EKS IRSA) or
   * `iam.gke.io/gcp-service-account` (GKE Workload Identity). Not allowed with `existingName`: that ServiceAccount is
   * not the library's to annotate.
   *
   * @default - none
   */
  readonly annotations?: { [key: string]: string };
  /**
   * An existing ServiceAccount in the manager's namespace for the manager to run as; the library then creates none
   * (the Role is still bound to it).
   *
   * @default - a ServiceAccount named like the manager is created
   */
  readonly existingName?: string;
}

/** The manager's PodDisruptionBudget (`policy/v1`). Give at most one of `maxUnavailable` and `minAvailable`. */
export interface ManagerDisruptionBudget {
  /**
   * Whether to create the PodDisruptionBudget.
   *
   * @default true
   */
  readonly enabled?: boolean;
  /**
   * How many manager pods a voluntary disruption (a node drain) may take down at once.
   *
   * @default 1, unless minAvailable is given
   */
  readonly maxUnavailable?: number;
  /**
   * How many manager pods must stay up during a voluntary disruption.
   *
   * @default - maxUnavailable applies
   */
  readonly minAvailable?: number;
}

/** The manager pod's settings, part of `RunnerManagerProps`. */
export interface ManagerPodProps {
  /**
   * Secrets (of type `kubernetes.io/dockerconfigjson`, in the manager's namespace) to pull the runner image with.
   * Job pods pull with `JobPodTemplate`'s settings, not these.
   *
   * @default - none
   */
  readonly imagePullSecrets?: string[];
  /**
   * The manager's ServiceAccount: annotations for cloud identity, or an existing one to run as.
   *
   * @default - a ServiceAccount named like the manager, without annotations
   */
  readonly serviceAccount?: ManagerServiceAccount;
  /**
   * Annotations of the manager pods.
   *
   * @default - only the config checksum
   */
  readonly podAnnotations?: { [key: string]: string };
  /**
   * Labels of the manager pods, besides the selector labels (`app.kubernetes.io/name`, `app.kubernetes.io/instance`),
   * which they may not change.
   *
   * @default - only the selector labels
   */
  readonly podLabels?: { [key: string]: string };
  /**
   * Node affinity and pod anti-affinity of the manager pods.
   *
   * @default - none
   */
  readonly affinity?: ManagerAffinity;
  /**
   * Topology spread constraints of the manager pods; an empty list turns the default off.
   *
   * @default - with more than one replica, spread across nodes (`kubernetes.io/hostname`, maxSkew 1, ScheduleAnyway)
   */
  readonly topologySpread?: ManagerTopologySpread[];
  /**
   * The PriorityClass of the manager pods.
   *
   * @default - the cluster's default priority
   */
  readonly priorityClassName?: string;
  /**
   * The manager's PodDisruptionBudget.
   *
   * @default - with more than one replica, `maxUnavailable: 1`; none with one replica or none
   */
  readonly disruptionBudget?: ManagerDisruptionBudget;
  /**
   * The runner's log level (global `log_level`).
   *
   * @default - the runner's default, info
   */
  readonly logLevel?: RunnerLogLevel;
  /**
   * The runner's log format (global `log_format`).
   *
   * @default - the runner's default, runner
   */
  readonly logFormat?: RunnerLogFormat;
  /**
   * More `[[runners]]` keys, e.g. `{ output_limit: 16384, pre_build_script: 'echo hi' }`, checked key by key and type by
   * type against GitLab Runner's own: keys the runner does not know, values it cannot decode, keys that typed props
   * own (name, url, limit, environment, kubernetes, ...) and credentials are refused. Keys the fleet's runner version
   * does not know yet are reported at synth.
   *
   * @default - none
   */
  readonly runnerConfig?: { [key: string]: any };
}
