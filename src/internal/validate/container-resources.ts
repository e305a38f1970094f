import { CONSTRUCTION_RULES } from './construction-rules';
import { _PropErrors } from './prop-errors';
import { isPlainMap, show } from './validators';
import { Quantity } from '../../model/quantity';
import { ContainerResources, RESOURCE_KINDS } from '../../model/resources';

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

