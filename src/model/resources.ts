/**
 * Request, limit and the most a job may raise them to, for one resource of one container.
 *
 * Values are Kubernetes quantities (`500m`, `2`, `512Mi`, `2Gi`).
 */
export interface ResourceSpec {
  /**
   * What the scheduler reserves for the container.
   *
   * @default - none; Kubernetes then copies the limit, or reserves nothing if there is no limit either
   */
  readonly request?: string;

  /**
   * The ceiling: CPU above it is throttled, memory above it is OOM-killed.
   *
   * @default - no limit
   */
  readonly limit?: string;

  /**
   * The largest request a job may ask for with its `KUBERNETES_*_REQUEST` variable (`*_request_overwrite_max_allowed`).
   * Without it the runner ignores the job's variable.
   *
   * @default - jobs cannot raise the request
   */
  readonly maxRequest?: string;

  /**
   * The largest limit a job may ask for with its `KUBERNETES_*_LIMIT` variable (`*_limit_overwrite_max_allowed`).
   *
   * @default - jobs cannot raise the limit
   */
  readonly maxLimit?: string;
}

/**
 * CPU, memory and ephemeral storage of one container of the job pod.
 */
export interface ContainerResources {
  /**
   * CPU, in cores (`2`, `1.5`) or millicores (`500m`).
   *
   * @default - nothing requested or limited
   */
  readonly cpu?: ResourceSpec;

  /**
   * Memory, in bytes with a suffix (`512Mi`, `2Gi`).
   *
   * @default - nothing requested or limited
   */
  readonly memory?: ResourceSpec;

  /**
   * Ephemeral (node-local) storage: container writable layers, logs and emptyDir volumes.
   *
   * @default - nothing requested or limited
   */
  readonly ephemeralStorage?: ResourceSpec;
}

/** The three resources a job-pod container declares, with their config.toml spelling. */
export const RESOURCE_KINDS = [
  { prop: 'cpu', toml: 'cpu' },
  { prop: 'memory', toml: 'memory' },
  { prop: 'ephemeralStorage', toml: 'ephemeral_storage' },
] as const;

export type ResourceKind = typeof RESOURCE_KINDS[number]['prop'];
