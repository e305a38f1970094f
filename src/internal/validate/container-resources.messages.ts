import { show } from './validators';
import type { Problem } from '../../model/problem';

// The wording of the checks of container resources (container-resources.ts) and of the job-only fields refused in a
// manager's resources (manager-resources.ts).

/** What each job-only field of a resource spec is for. */
const JOB_ONLY = {
  maxRequest: 'the most a CI job may request through KUBERNETES_*_REQUEST',
  maxLimit: 'the most a CI job may set as its limit through KUBERNETES_*_LIMIT',
};

export const CONTAINER_RESOURCES_MESSAGES = {
  notResources: (v: unknown): Problem => ({
    message: `${show(v)} is not container resources.`,
    fix: "give { cpu?, memory?, ephemeralStorage? }, e.g. { cpu: { request: '500m', limit: '2' } }.",
  }),
  notSpec: (v: unknown, prop: string): Problem => ({
    message: `${show(v)} is not a resource spec.`,
    fix: `give { request?, limit?, maxRequest?, maxLimit? }, e.g. { request: ${prop === 'cpu' ? "'500m'" : "'512Mi'"} }.`,
  }),
  notQuantity: (v: unknown, prop: string): Problem => ({
    message: `${show(v)} is not a non-negative Kubernetes quantity.`,
    fix: prop === 'cpu' ? "write cores or millicores, e.g. '2', '1.5' or '500m'." : "write bytes with a binary suffix, e.g. '512Mi' or '2Gi'.",
  }),
  requestAboveLimit: (request: string, limit: string): Problem => ({
    message: `request ${request} is above limit ${limit}; the API server rejects such a pod.`,
    fix: `lower the request to at most ${limit} or raise the limit.`,
  }),
  maxRequestAboveMaxLimit: (maxRequest: string, maxLimit: string): Problem => ({
    message: `maxRequest ${maxRequest} is above maxLimit ${maxLimit}, so the largest allowed request could never be used.`,
    fix: `lower maxRequest to at most ${maxLimit} or raise maxLimit.`,
  }),
  /** A job-only field (maxRequest, maxLimit) in a manager's resources. */
  jobOnly: (key: keyof typeof JOB_ONLY): Problem => ({
    message: `${key} is ${JOB_ONLY[key]}; it applies to job containers only, and the manager container would ignore it.`,
    fix: 'drop it here; set it on the JobPodTemplate (buildResources, helper.resources or serviceResources) '
      + 'if jobs may overwrite their resources.',
  }),
};
