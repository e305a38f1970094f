import { _PropErrors } from './prop-errors';
import { isPlainMap } from './validators';
import { ContainerResources, RESOURCE_KINDS } from '../../model/resources';

// maxRequest and maxLimit bound what a CI job may ask for through the KUBERNETES_*_REQUEST/LIMIT variables
// (config.toml's *_request_overwrite_max_allowed): they mean something for job containers only. The manager
// container has no such overwrite, so on a manager's resources they would be dropped without a word.

/** The job-only fields of a resource spec, and what each is for. */
const JOB_ONLY_FIELDS = {
  maxRequest: 'the most a CI job may request through KUBERNETES_*_REQUEST',
  maxLimit: 'the most a CI job may set as its limit through KUBERNETES_*_LIMIT',
} as const;

const MESSAGE = (key: string, what: string) => `${key} is ${what}; it applies to job containers only, and the manager container would ignore it.`;
const FIX = 'drop it here; set it on the JobPodTemplate (buildResources, helper.resources or serviceResources) if jobs may overwrite their resources.';

/** Refuses the job-only fields in a manager's `resources` (the quantities are checked by validateContainerResources). */
export function validateManagerResources(errors: _PropErrors, field: string, resources: ContainerResources | undefined): void {
  if (resources === undefined || !isPlainMap(resources)) return;
  for (const { prop } of RESOURCE_KINDS) {
    const spec: unknown = resources[prop];
    if (!isPlainMap(spec)) continue;
    for (const [key, what] of Object.entries(JOB_ONLY_FIELDS)) {
      if ((spec as Record<string, unknown>)[key] !== undefined) errors.add(`${field}.${prop}.${key}`, MESSAGE(key, what), FIX);
    }
  }
}
