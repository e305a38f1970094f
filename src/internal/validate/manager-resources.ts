import { CONTAINER_RESOURCES_MESSAGES as M } from './container-resources.messages';
import { _PropErrors } from './prop-errors';
import { isPlainMap } from './validators';
import { ContainerResources, RESOURCE_KINDS } from '../../model/resources';

// maxRequest and maxLimit bound what a CI job may ask for through the KUBERNETES_*_REQUEST/LIMIT variables
// (config.toml's *_request_overwrite_max_allowed): they mean something for job containers only. The manager
// container has no such overwrite, so on a manager's resources they would be dropped without a word.

/** The fields of a resource spec that only job containers use. */
const JOB_ONLY_FIELDS = ['maxRequest', 'maxLimit'] as const;

/** Refuses the job-only fields in a manager's `resources` (the quantities are checked by validateContainerResources). */
export function validateManagerResources(errors: _PropErrors, field: string, resources: ContainerResources | undefined): void {
  if (resources === undefined || !isPlainMap(resources)) return;
  for (const { prop } of RESOURCE_KINDS) {
    const spec: unknown = resources[prop];
    if (!isPlainMap(spec)) continue;
    for (const key of JOB_ONLY_FIELDS) {
      if ((spec as Record<string, unknown>)[key] !== undefined) errors.addProblem(`${field}.${prop}.${key}`, M.jobOnly(key));
    }
  }
}
