import { CatalogueRule, hit, quoteList } from './core';
import { Severity } from '../../model/finding';
import { kubernetesSettings, settingField } from '../render/job-scheduling';
import { serviceContainerNames } from '../render/service-names';
import { show } from '../validate/validators';

// Warnings about the job pod's scheduling, identity and resource settings: what works, but not as a reader of the
// props would expect. Message text is in MESSAGES.

const POD_LEVEL_KEYS = ['pod_cpu_request', 'pod_cpu_limit', 'pod_memory_request', 'pod_memory_limit'];

const MESSAGES = {
  bearerToken: (namespace: string) => ({
    message: `jobs may hand the runner their own Kubernetes bearer token (KUBERNETES_BEARER_TOKEN), and the runner then creates their pods with it: whoever can set CI variables on a project acts in the cluster with that token's rights, outside the manager's Role in '${namespace}'.`,
    fix: 'leave overwriteAllowed.bearerToken off unless every project on this runner is trusted; acknowledge SEC004 with the reason if it must stay.',
  }),
  podLevel: (keys: string[]) => ({
    message: `pod-level resources (${quoteList(keys)}) take effect only where the Kubernetes PodLevelResources feature gate is on (API server and kubelets); without it the API server drops them and the pod is sized by its containers alone. The capacity model counts the pod-level values.`,
    fix: 'check the cluster enables PodLevelResources (kubectl get --raw /metrics | grep PodLevelResources), and give the containers requests too; acknowledge RES009 once checked.',
  }),
  serviceWide: (from: string, others: string[]) => ({
    message: `the runner has one set of service resources (service_*) for every service container: the resources declared on ${from} also apply to ${quoteList(others)}.`,
    fix: 'declare the resources once with the JobPodTemplate serviceResources prop (they then plainly apply to every service), or size them for the largest service.',
  }),
};

/** @internal Rules about the job pod's scheduling, identity and resources (issue 15). */
export const JOB_SCHEDULING_RULES: CatalogueRule[] = [
  {
    id: 'SEC004',
    severity: Severity.WARNING,
    area: 'Security',
    title: '`bearer_token_overwrite_allowed`: a job may give the runner its own Kubernetes bearer token, with which the runner creates the job pod.',
    why: 'Anyone who can set a CI variable of a project on this runner then chooses the identity the runner acts with in the cluster.',
    fix: 'leave `overwriteAllowed.bearerToken` off; acknowledge the warning where every project is trusted.',
    check: ({ manager: m }) => (kubernetesSettings(m.jobPod).bearer_token_overwrite_allowed === true
      ? [hit(m.jobPod.path, settingField(m.jobPod, 'bearer_token_overwrite_allowed', 'overwriteAllowed.bearerToken'), MESSAGES.bearerToken(m.jobPod.namespace).message, MESSAGES.bearerToken(m.jobPod.namespace).fix)]
      : []),
  },
  {
    id: 'RES009',
    severity: Severity.WARNING,
    area: 'Resources',
    title: 'Pod-level resources (`pod_cpu_request`, `pod_memory_limit`, ...): Kubernetes honours them only with the `PodLevelResources` feature gate.',
    fix: 'make sure the cluster has the feature gate on, and keep container requests as well; acknowledge once checked.',
    check: ({ manager: m }) => {
      const settings = kubernetesSettings(m.jobPod);
      const keys = POD_LEVEL_KEYS.filter((k) => settings[k] !== undefined);
      if (keys.length === 0) return [];
      const field = settingField(m.jobPod, keys[0], 'podResources');
      const { message, fix } = MESSAGES.podLevel(keys);
      return [hit(m.jobPod.path, field, message, fix)];
    },
  },
  {
    id: 'SVC004',
    severity: Severity.WARNING,
    area: 'Services',
    title: 'Resources declared on one service (a `DindService`, a `JobService`) while `serviceResources` is not set: the runner applies them to every service container of the job pod.',
    fix: 'declare service resources once, with the JobPodTemplate `serviceResources` prop, sized for the largest service.',
    check: ({ manager: m }) => {
      const job = m.jobPod;
      const from = job.services.find((s) => s.path === job.serviceResourcesFrom);
      if (from === undefined) return [];
      const names = serviceContainerNames(job.services.map((s) => s.alias));
      const others = job.services.map((s, i) => ({ s, name: names[i] })).filter(({ s }) => s.resources === undefined)
        .map(({ s, name }) => `${s.path} (${show(s.image)}, container ${name})`);
      if (others.length === 0) return [];
      const { message, fix } = MESSAGES.serviceWide(from.path, others);
      return [hit(job.path, `services.${from.path.split('/').pop()}.resources`, message, fix)];
    },
  },
];
