/** @internal A topology spread constraint of the manager pods, as Kubernetes spells its fields. */
export interface ManagerTopologySpreadModel {
  readonly topologyKey: string;
  readonly maxSkew: number;
  readonly whenUnsatisfiable: string;
}

/** @internal The PodDisruptionBudget of the manager pods: exactly one of the two is set. */
export interface ManagerDisruptionBudgetModel {
  readonly maxUnavailable?: number;
  readonly minAvailable?: number;
}

/** @internal The manager pod's settings beyond the runner itself (#14): identity, metadata, placement, logging. */
export interface ManagerPodModel {
  /** Secrets the kubelet pulls the runner image with. */
  readonly imagePullSecrets: string[];
  /** Whether the library creates the ServiceAccount (false: an existing one, `serviceAccountName`, is used). */
  readonly createServiceAccount: boolean;
  /** The ServiceAccount the manager runs as. */
  readonly serviceAccountName: string;
  readonly serviceAccountAnnotations: Record<string, string>;
  readonly podAnnotations: Record<string, string>;
  readonly podLabels: Record<string, string>;
  /** Kubernetes `affinity`, as the API spells it. */
  readonly affinity?: Record<string, unknown>;
  readonly topologySpread: ManagerTopologySpreadModel[];
  readonly priorityClassName?: string;
  readonly disruptionBudget?: ManagerDisruptionBudgetModel;
  /** The runner's global `log_level`, `log_format`. */
  readonly logLevel?: string;
  readonly logFormat?: string;
  /** Vetted `[[runners]]` keys of the escape hatch (`runnerConfig`). */
  readonly runnerConfig: Record<string, unknown>;
}
