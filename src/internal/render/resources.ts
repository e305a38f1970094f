import { ContainerResources, RESOURCE_KINDS, ResourceKind } from '../../model/resources';
import { isPlainMap } from '../validate/validators';

/** The Kubernetes `resources` block of a container (requests and limits only), or undefined when empty. */
type KubeResources = { requests?: Record<string, string>; limits?: Record<string, string> };

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
