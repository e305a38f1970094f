import type { DnsModel } from './dns';
import type { JobSecurityModel, JobVolumeModel } from './job-volumes';
import type { ContainerResources } from './resources';
import type { ServiceModel } from './service';
import type { Toleration } from './toleration';

/**
 * When the kubelet pulls a job image (`pull_policy`), in the runner's spelling.
 */
export enum PullPolicy {
  /** Pull on every job. */
  ALWAYS = 'always',
  /** Never pull; the image must be on the node. */
  NEVER = 'never',
  /** Pull only when the node does not have the image. */
  IF_NOT_PRESENT = 'if-not-present',
}

/**
 * The helper container of every job pod: it clones the repository and moves caches and artifacts, for the whole job.
 */
export interface HelperOptions {
  /**
   * The helper image. Pin it to the runner's version and the nodes' architecture, and mirror it for air-gapped clusters.
   *
   * @default - the runner's own `gitlab-runner-helper:<arch>-v<version>` from GitLab's registry
   */
  readonly image?: string;

  /**
   * Resources of the helper container. The init container `init-permissions` uses the same values.
   *
   * @default - none (the helper then runs BestEffort)
   */
  readonly resources?: ContainerResources;
}

/**
 * A toleration of every job pod (`node_tolerations`).
 *
 * @deprecated use `Toleration`, the one type for manager and job pod tolerations.
 */
export interface JobToleration extends Toleration {}

/** @internal The plain model of a job pod template. */
export interface JobPodModel {
  readonly path: string;
  readonly namespace: string;
  readonly image?: string;
  readonly buildResources?: ContainerResources;
  readonly helper: HelperOptions;
  readonly serviceResources?: ContainerResources;
  /** The service whose own resources became every service's (`service_*`), when `serviceResources` is not set. */
  readonly serviceResourcesFrom?: string;
  readonly services: ServiceModel[];
  readonly dns?: DnsModel;
  readonly pullPolicy: PullPolicy[];
  readonly allowedPullPolicies: PullPolicy[];
  readonly nodeSelector: Record<string, string>;
  readonly tolerations: JobToleration[];
  readonly podLabels: Record<string, string>;
  readonly podAnnotations: Record<string, string>;
  readonly pollTimeoutSeconds?: number;
  readonly serviceAccountName?: string;
  readonly extraConfig: Record<string, unknown>;
  /** Typed volumes (JobPodTemplate `volumes`), rendered after the escape hatch's. */
  readonly volumes?: JobVolumeModel[];
  /** Typed security contexts. */
  readonly security?: JobSecurityModel;
  /** The config.toml keys of the scheduling, identity, overwrite and pod-level resource props (job-scheduling.ts). */
  readonly scheduling: Record<string, unknown>;
}

/** @internal Keys the typed props render; setting them through extraConfig would fight the model. */
export const OWNED_KEYS: Record<string, string> = {
  namespace: 'namespace',
  image: 'image',
  helper_image: 'helper.image',
  services: 'services',
  dns_policy: 'dns',
  dns_config: 'dns',
  pull_policy: 'pullPolicy',
  allowed_pull_policies: 'allowedPullPolicies',
  node_selector: 'nodeSelector',
  node_tolerations: 'tolerations',
  pod_labels: 'podLabels',
  pod_annotations: 'podAnnotations',
  poll_timeout: 'pollTimeout',
  service_account: 'serviceAccountName',
  service_container_security_context: 'serviceSecurityContext',
};
