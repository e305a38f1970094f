import { CatalogueRule, problemHit } from './core';
import { JOB_SCHEDULING_MESSAGES as M } from './job-scheduling.messages';
import { Severity } from '../../model/finding';
import { kubernetesSettings, settingField } from '../render/job-scheduling';
import { serviceContainerNames } from '../render/service-names';

// Warnings about the job pod's scheduling, identity and resource settings: what works, but not as a reader of the
// props would expect. Message text is in job-scheduling.messages.ts.

const POD_LEVEL_KEYS = ['pod_cpu_request', 'pod_cpu_limit', 'pod_memory_request', 'pod_memory_limit'];

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
      ? [problemHit(m.jobPod.path, settingField(m.jobPod, 'bearer_token_overwrite_allowed', 'overwriteAllowed.bearerToken'),
        M.bearerToken({ namespace: m.jobPod.namespace }))]
      : []),
  },
  {
    id: 'RES009',
    severity: Severity.WARNING,
    area: 'Resources',
    title: 'Pod-level resources (`pod_cpu_request`, `pod_memory_limit`, ...).',
    why: 'Kubernetes honours them only with the `PodLevelResources` feature gate.',
    fix: 'make sure the cluster has the feature gate on, and keep container requests as well; acknowledge once checked.',
    check: ({ manager: m }) => {
      const settings = kubernetesSettings(m.jobPod);
      const keys = POD_LEVEL_KEYS.filter((k) => settings[k] !== undefined);
      if (keys.length === 0) return [];
      const field = settingField(m.jobPod, keys[0], 'podResources');
      return [problemHit(m.jobPod.path, field, M.podLevel({ keys }))];
    },
  },
  {
    id: 'SVC004',
    severity: Severity.WARNING,
    area: 'Services',
    title: 'Resources declared on one service (a `DindService`, a `JobService`) while `serviceResources` is not set.',
    why: 'The runner applies them to every service container of the job pod.',
    fix: 'declare service resources once, with the JobPodTemplate `serviceResources` prop, sized for the largest service.',
    check: ({ manager: m }) => {
      const job = m.jobPod;
      const from = job.services.find((s) => s.path === job.serviceResourcesFrom);
      if (from === undefined) return [];
      const names = serviceContainerNames(job.services.map((s) => s.alias));
      const others = job.services.map((s, i) => ({ s, name: names[i] })).filter(({ s }) => s.resources === undefined)
        .map(({ s, name }) => M.otherService({ path: s.path, image: s.image, container: name }));
      if (others.length === 0) return [];
      return [problemHit(job.path, `services.${from.path.split('/').pop()}.resources`, M.serviceWide({ from: from.path, others }))];
    },
  },
];
