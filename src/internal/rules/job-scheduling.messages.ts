import { quoteList } from './core';
import type { Problem } from '../../model/problem';
import { show } from '../validate/validators';

// The wording of the job pod's scheduling, identity and resource warnings (src/internal/rules/job-scheduling.ts
// decides when they apply).

/** @internal */
export const JOB_SCHEDULING_MESSAGES = {
  /** SEC004: jobs may hand the runner their own bearer token. */
  bearerToken: (p: { namespace: string }): Problem => ({
    message: 'jobs may hand the runner their own Kubernetes bearer token (KUBERNETES_BEARER_TOKEN), and the runner then creates their pods '
      + 'with it: whoever can set CI variables on a project acts in the cluster with that token\'s rights, '
      + `outside the manager's Role in '${p.namespace}'.`,
    fix: 'leave overwriteAllowed.bearerToken off unless every project on this runner is trusted; '
      + 'acknowledge SEC004 with the reason if it must stay.',
  }),
  /** RES009: pod-level resources need a feature gate. */
  podLevel: (p: { keys: string[] }): Problem => ({
    message: `pod-level resources (${quoteList(p.keys)}) take effect only where the Kubernetes PodLevelResources feature gate is on `
      + '(API server and kubelets); without it the API server drops them and the pod is sized by its containers alone. '
      + 'The capacity model counts the pod-level values.',
    fix: 'check the cluster enables PodLevelResources (kubectl get --raw /metrics | grep PodLevelResources), '
      + 'and give the containers requests too; acknowledge RES009 once checked.',
  }),
  /** SVC004: one service's resources apply to every service container. */
  serviceWide: (p: { from: string; others: string[] }): Problem => ({
    message: 'the runner has one set of service resources (service_*) for every service container: '
      + `the resources declared on ${p.from} also apply to ${quoteList(p.others)}.`,
    fix: 'declare the resources once with the JobPodTemplate serviceResources prop (they then plainly apply to every service), '
      + 'or size them for the largest service.',
  }),
  /** SVC004: how another service reads in the message. */
  otherService: (p: { path: string; image: string; container: string }): string => `${p.path} (${show(p.image)}, container ${p.container})`,
};
