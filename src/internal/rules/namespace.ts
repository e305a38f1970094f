import { CatalogueRule, problemHit } from './core';
import { NAMESPACE_MESSAGES as M } from './namespace.messages';
import { Severity } from '../../model/finding';

// Where the fleet lands: a chart without a namespace puts the manager and its job pods in `default`, where the Role
// lets the manager create pods (privileged DinD pods included) beside whatever else runs there.

/** The namespace Kubernetes uses when none is given. */
const DEFAULT_NAMESPACE = 'default';

/** @internal */
export const NAMESPACE_RULES: CatalogueRule[] = [
  {
    id: 'NS001',
    severity: Severity.WARNING,
    area: 'Security',
    title: 'The manager or its job pods run in the default namespace.',
    why: "a chart without a namespace puts them in 'default': the manager's Role lets it create and exec into pods there, beside whatever "
      + 'else runs in it, and job pods (privileged DinD pods included) share its quotas and network policies.',
    fix: "give the chart (or the manager and the job pod template) a namespace of CI's own, "
      + "e.g. new Chart(app, 'ci', { namespace: 'gitlab-runner' }).",
    check: ({ manager: m }) => [
      ...(m.namespace === DEFAULT_NAMESPACE
        ? [problemHit(m.path, 'namespace', M.manager())]
        : []),
      ...(m.jobPod.namespace === DEFAULT_NAMESPACE
        ? [problemHit(m.jobPod.path, 'namespace', M.jobPods())]
        : []),
    ],
  },
];
