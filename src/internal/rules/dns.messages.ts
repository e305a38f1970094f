import { quoteList } from './core';
import { DnsPolicy } from '../../model/dns';
import type { Problem } from '../../model/problem';

// The wording of the DNS findings (src/internal/rules/dns.ts decides when they apply).

/** The pod's DNS policy, as a message names it. */
function policyText(policy?: DnsPolicy): string {
  return `dns_policy '${policy ?? DnsPolicy.CLUSTER_FIRST}'${policy === undefined ? ' (the default)' : ''}`;
}

/** @internal */
export const DNS_MESSAGES = {
  /** DNS004: dockerd --dns does not reach dockerd's own pulls. */
  dockerdDnsOnly: (p: { dockerdDns: string[]; names: string[]; jobPodPath: string; policy?: DnsPolicy }): Problem => ({
    message: `dockerd gets --dns=${p.dockerdDns.join(',')}, which only reaches the containers it starts (RUN steps); `
      + `its own pulls of ${quoteList(p.names)} use the job pod's resolv.conf, `
      + `which ${p.jobPodPath} leaves to the cluster (${policyText(p.policy)}, no nameservers).`,
    fix: `give ${p.jobPodPath} a DnsConfig whose nameservers resolve ${quoteList(p.names)} `
      + '(e.g. policy DnsPolicy.NONE with your resolvers); keep dns here only for RUN steps.',
  }),
  /** DNS005: an in-cluster-only cluster DNS for outside names. */
  inClusterOnly: (p: { jobPodPath: string; policy?: DnsPolicy; names: string[]; extraNameservers: boolean }): Problem => ({
    message: `${p.jobPodPath} resolves through the cluster DNS (${policyText(p.policy)}), which is declared to answer in-cluster names only, `
      + `yet its jobs must resolve ${quoteList(p.names)} `
      + '(the helper clones from GitLab, dockerd pulls from registries)'
      + `${p.extraNameservers ? '; extra nameservers do not help, the cluster DNS answers first and its "no such name" is final' : ''}.`,
    fix: `set policy: DnsPolicy.NONE with nameservers that resolve ${quoteList(p.names)} `
      + '(add the cluster DNS and cluster search domains if jobs also use in-cluster Services).',
  }),
  /** DNS007: the node's resolv.conf for in-cluster names. */
  nodeResolver: (p: { names: string[] }): Problem => ({
    message: `policy 'default' gives job pods the node's resolv.conf, which does not know in-cluster names, yet jobs need ${quoteList(p.names)}.`,
    fix: 'use DnsPolicy.CLUSTER_FIRST, or DnsPolicy.NONE listing the cluster DNS and the cluster search domains.',
  }),
  /** DNS008: loopback nameservers only, and no dockerd --dns. */
  loopbackOnly: (p: { nameservers: string[] }): Problem => ({
    message: `the job pod's nameservers (${p.nameservers.join(', ')}) are all loopback addresses, which containers dockerd starts cannot reach, `
      + 'so dockerd hands them 8.8.8.8 and 8.8.4.4.',
    fix: 'set dns to resolvers reachable from inside a container, e.g. the node-local DNS cache or your corporate resolvers.',
  }),
  /** DNS009: nameservers after the cluster DNS. */
  afterClusterDns: (p: { nameservers: string[]; policy?: DnsPolicy }): Problem => ({
    message: `${p.nameservers.join(', ')} come after the cluster DNS (${policyText(p.policy)}); `
      + 'resolvers stop at its first answer, so names it does not know still fail.',
    fix: 'use policy DnsPolicy.NONE with these nameservers first, or drop them if the cluster DNS forwards those names.',
  }),
};
