import { CONSTRUCTION_RULES } from './construction-rules';
import { CONTAINER_RESOURCES_MESSAGES as M } from './container-resources.messages';
import { _PropErrors } from './prop-errors';
import { isPlainMap } from './validators';
import { Quantity } from '../../model/quantity';
import { ContainerResources, RESOURCE_KINDS } from '../../model/resources';

const SPEC_FIELDS = ['request', 'limit', 'maxRequest', 'maxLimit'] as const;

/** Checks every quantity of `resources` and the orderings Kubernetes and the runner enforce; reports under `field`. */
export function validateContainerResources(errors: _PropErrors, field: string, resources: ContainerResources | undefined): void {
  if (resources !== undefined && !isPlainMap(resources)) {
    errors.addProblem(field, M.notResources(resources));
    return;
  }
  for (const { prop } of RESOURCE_KINDS) {
    const spec = resources?.[prop];
    if (spec === undefined) continue;
    if (!isPlainMap(spec)) {
      errors.addProblem(`${field}.${prop}`, M.notSpec(spec, prop));
      continue;
    }
    const parsed: Partial<Record<typeof SPEC_FIELDS[number], Quantity>> = {};
    for (const key of SPEC_FIELDS) {
      const value = spec[key];
      if (value === undefined) continue;
      if (!Quantity.isValid(value)) {
        errors.addProblem(`${field}.${prop}.${key}`, M.notQuantity(value, prop));
        continue;
      }
      parsed[key] = Quantity.parse(value);
    }
    const { request, limit, maxRequest, maxLimit } = parsed;
    if (request && limit && request.compareTo(limit) > 0) {
      errors.addProblem(`${field}.${prop}.request`, M.requestAboveLimit(`${request}`, `${limit}`), CONSTRUCTION_RULES.requestAboveLimit.id);
    }
    if (maxRequest && maxLimit && maxRequest.compareTo(maxLimit) > 0) {
      errors.addProblem(`${field}.${prop}.maxRequest`, M.maxRequestAboveMaxLimit(`${maxRequest}`, `${maxLimit}`));
    }
  }
}

