import type { Problem } from '../../model/problem';
import { show } from '../validate/validators';

// The wording of the variable findings (src/internal/rules/variables.ts decides when they apply).

/** @internal */
export const VARIABLE_MESSAGES = {
  /** DNS006: a variable meant to set the pod's DNS. */
  dnsVariable: (p: { name: string; jobPodPath: string; policy?: string }): Problem => ({
    message: `${p.name} is a job variable, and job variables do not control the job pod's DNS: the runner ignores it and the pod keeps `
      + `the DNS of ${p.jobPodPath} (dns_policy ${show(p.policy ?? 'cluster-first')}).`,
    fix: `remove ${p.name}; set the pod's DNS with JobPodTemplateProps.dns (a DnsConfig: policy, nameservers, searches).`,
  }),
  /** VAR001: a KUBERNETES_* variable the executor does not read. */
  unknownVariable: (p: { name: string }): Problem => ({
    message: `${p.name} is not a job variable the Kubernetes executor reads, so it changes nothing (KUBERNETES_* names other than the `
      + 'overwrite variables are `gitlab-runner register` settings of the manager).',
    fix: 'set the matching JobPodTemplate prop instead, or check the spelling against the overwrite variables '
      + '(e.g. KUBERNETES_CPU_REQUEST, KUBERNETES_NODE_SELECTOR_<name>).',
  }),
  /** RES006: an overwrite variable without its maximum. */
  ignoredOverwrite: (p: { name: string; value: string; maxKey: string; prop: string; jobPodPath: string }): Problem => ({
    message: `${p.name}=${show(p.value)} is ignored: the runner reads it only when ${p.maxKey} is set, and ${p.jobPodPath} sets none.`,
    fix: `set ${p.prop} on ${p.jobPodPath} to the most a job may ask for, or drop ${p.name}.`,
  }),
  /** RES007: an overwrite variable that is not a quantity, or above its maximum. */
  notQuantity: (p: { name: string; value: string }): Problem => ({
    message: `${p.name}=${show(p.value)} is not a Kubernetes quantity: the runner fails the job while preparing its pod.`,
    fix: "write a quantity such as '2', '500m' or '4Gi'.",
  }),
  aboveMax: (p: { name: string; value: string; maxKey: string; max: string; prop: string; jobPodPath: string }): Problem => ({
    message: `${p.name}=${show(p.value)} is above ${p.maxKey} = ${show(p.max)}: `
      + 'the runner fails the job ("requested ... is higher than limit allowed").',
    fix: `ask for at most ${p.max}, or raise ${p.prop} on ${p.jobPodPath}.`,
  }),
};
