import { CONSTRUCTION_RULES } from './_rules-construction';
import { isPlainMap, show } from './_validators';
import { _PropErrors } from './problem';
import { Quantity } from './quantity';

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

const SPEC_FIELDS = ['request', 'limit', 'maxRequest', 'maxLimit'] as const;

/** Checks every quantity of `resources` and the orderings Kubernetes and the runner enforce; reports under `field`. */
export function validateContainerResources(errors: _PropErrors, field: string, resources: ContainerResources | undefined): void {
  if (resources !== undefined && !isPlainMap(resources)) {
    errors.add(field, `${show(resources)} is not container resources.`, "give { cpu?, memory?, ephemeralStorage? }, e.g. { cpu: { request: '500m', limit: '2' } }.");
    return;
  }
  for (const { prop } of RESOURCE_KINDS) {
    const spec = resources?.[prop];
    if (spec === undefined) continue;
    if (!isPlainMap(spec)) {
      errors.add(`${field}.${prop}`, `${show(spec)} is not a resource spec.`, `give { request?, limit?, maxRequest?, maxLimit? }, e.g. { request: ${prop === 'cpu' ? "'500m'" : "'512Mi'"} }.`);
      continue;
    }
    const parsed: Partial<Record<typeof SPEC_FIELDS[number], Quantity>> = {};
    for (const key of SPEC_FIELDS) {
      const value = spec[key];
      if (value === undefined) continue;
      if (!Quantity.isValid(value)) {
        errors.add(`${field}.${prop}.${key}`, `${show(value)} is not a non-negative Kubernetes quantity.`,
          prop === 'cpu' ? "write cores or millicores, e.g. '2', '1.5' or '500m'." : "write bytes with a binary suffix, e.g. '512Mi' or '2Gi'.");
        continue;
      }
      parsed[key] = Quantity.parse(value);
    }
    const { request, limit, maxRequest, maxLimit } = parsed;
    if (request && limit && request.compareTo(limit) > 0) {
      errors.add(`${field}.${prop}.request`, `request ${request} is above limit ${limit}; the API server rejects such a pod.`,
        `lower the request to at most ${limit} or raise the limit.`, CONSTRUCTION_RULES.requestAboveLimit.id);
    }
    if (maxRequest && maxLimit && maxRequest.compareTo(maxLimit) > 0) {
      errors.add(`${field}.${prop}.maxRequest`, `maxRequest ${maxRequest} is above maxLimit ${maxLimit}, so the largest allowed request could never be used.`,
        `lower maxRequest to at most ${maxLimit} or raise maxLimit.`);
    }
  }
}

/** The config.toml keys of one container's resources: `<prefix>cpu_request`, `<prefix>cpu_limit_overwrite_max_allowed`, ... */
export function resourceTomlKeys(prefix: string, resources: ContainerResources | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const { prop, toml } of RESOURCE_KINDS) {
    const spec = resources?.[prop];
    // Invalid specs (null, a string) are reported by validateContainerResources; they render nothing.
    if (spec === undefined || !isPlainMap(spec)) continue;
    if (spec.request !== undefined) out[`${prefix}${toml}_request`] = spec.request;
    if (spec.limit !== undefined) out[`${prefix}${toml}_limit`] = spec.limit;
    if (spec.maxRequest !== undefined) out[`${prefix}${toml}_request_overwrite_max_allowed`] = spec.maxRequest;
    if (spec.maxLimit !== undefined) out[`${prefix}${toml}_limit_overwrite_max_allowed`] = spec.maxLimit;
  }
  return out;
}

/** The Kubernetes `resources` block of a container (requests and limits only), or undefined when empty. */
type KubeResources = { requests?: Record<string, string>; limits?: Record<string, string> };

export function kubeResources(resources: ContainerResources | undefined): KubeResources | undefined {
  const requests: Record<string, string> = {};
  const limits: Record<string, string> = {};
  const kubeName: Record<ResourceKind, string> = { cpu: 'cpu', memory: 'memory', ephemeralStorage: 'ephemeral-storage' };
  for (const { prop } of RESOURCE_KINDS) {
    const spec = resources?.[prop];
    if (spec?.request !== undefined) requests[kubeName[prop]] = spec.request;
    if (spec?.limit !== undefined) limits[kubeName[prop]] = spec.limit;
  }
  const out: KubeResources = {};
  if (Object.keys(requests).length) out.requests = requests;
  if (Object.keys(limits).length) out.limits = limits;
  return Object.keys(out).length ? out : undefined;
}
