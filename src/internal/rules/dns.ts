import { CatalogueRule, RuleContext, dindServices, problemHit, uniqueSorted } from './core';
import { DNS_MESSAGES as M } from './dns.messages';
import { ClusterDnsReach, DnsPolicy } from '../../model/dns';
import { Severity } from '../../model/finding';
import type { JobPodModel } from '../../model/job-pod';
import { hostOf, imageRegistry, isInClusterName, isLoopbackHost } from '../render/service-names';
import { isIpAddress } from '../validate/validators';

// The job pod's DNS (dns_policy + dns_config) is every container's resolv.conf, dockerd's own included; dockerd's
// --dns reaches only the containers dockerd starts (domain.md §3). These rules hold the two layers apart.

/** Whether the pod asks the cluster DNS first (no policy, `cluster-first`, `cluster-first-with-host-net`). */
function usesClusterDns(job: JobPodModel): boolean {
  const policy = job.dns?.policy;
  return policy === undefined || policy === DnsPolicy.CLUSTER_FIRST || policy === DnsPolicy.CLUSTER_FIRST_WITH_HOST_NET;
}

/** Registries the job pod's dockerd pulls from by name, and the registries its images come from. */
function registries(job: JobPodModel): string[] {
  const images = [job.image, job.helper.image, ...job.services.map((s) => s.image)].filter((i): i is string => i !== undefined);
  return uniqueSorted([...dindServices(job).flatMap((s) => s.dind.registries), ...images.flatMap((i) => imageRegistry(i) ?? []).map(hostOf)]);
}

/** Names outside the cluster that the job pod itself must resolve: the GitLab instance and dockerd's registries. */
function externalNames(ctx: RuleContext): string[] {
  const gitlab = hostOf(ctx.manager.gitlabUrl);
  const dockerd = dindServices(ctx.manager.jobPod).flatMap((s) => s.dind.registries);
  return uniqueSorted([gitlab, ...dockerd]).filter((h) => !isInClusterName(h) && !isIpAddress(h));
}

const WORD_CHAR = /[A-Za-z0-9_]/;

/**
 * @internal The `*.svc` and `*.svc.cluster.local` names in a string, as `/[a-z0-9-]+(\.[a-z0-9-]+)*\.svc(\.cluster\.local)?\b/g`
 * finds them, in one pass: that expression backtracks over every start position, quadratic in a long variable.
 * A name is the longest run of non-empty labels of `[a-z0-9-]` ending in a label `svc` (followed by a '-' or nothing
 * within the run), optionally followed by `.cluster.local`.
 */
export function svcNamesIn(value: string): string[] {
  const names: string[] = [];
  // Runs of name characters; a name never spans two of them.
  for (const run of value.matchAll(/[a-z0-9.-]+/g)) {
    const text = run[0];
    const end = run.index + text.length;
    /** A word boundary right after index `i` of the value. */
    const boundaryAfter = (i: number) => i >= value.length || !WORD_CHAR.test(value[i]) || i < end;
    // Labels with their start offsets in `text`.
    const labels: Array<{ text: string; at: number }> = [];
    let at = 0;
    for (const label of text.split('.')) {
      labels.push({ text: label, at });
      at += label.length + 1;
    }
    let first = 0;
    while (first < labels.length) {
      // A maximal stretch of non-empty labels starts at `first`.
      if (labels[first].text === '') {
        first++;
        continue;
      }
      let last = first;
      while (last + 1 < labels.length && labels[last + 1].text !== '') last++;
      // The greedy match ends at the last 'svc' label of the stretch that is not its first label.
      let k = -1;
      for (let j = last; j > first; j--) {
        const t = labels[j].text;
        const afterSvc = run.index + labels[j].at + 3;
        if (t.startsWith('svc') && (t.length === 3 ? boundaryAfter(afterSvc) : t[3] === '-')) {
          k = j;
          break;
        }
      }
      if (k < 0) {
        first = last + 1;
        continue;
      }
      let stop = labels[k].at + 3;
      const local = labels[k + 2];
      if (labels[k].text === 'svc' && labels[k + 1]?.text === 'cluster' && local !== undefined && local.text.startsWith('local')
        && (local.text.length === 5 ? boundaryAfter(run.index + local.at + 5) : local.text[5] === '-')) {
        stop = local.at + 5;
      }
      names.push(text.slice(labels[first].at, stop));
      // Nothing after the last 'svc' label of the stretch starts another name within it.
      first = last + 1;
    }
  }
  return names;
}

/** In-cluster names the job pod needs: a GitLab inside the cluster, `*.svc` names in the build environment. */
function inClusterNames(ctx: RuleContext): string[] {
  const gitlab = hostOf(ctx.manager.gitlabUrl);
  const fromEnv = Object.values(ctx.manager.environment).flatMap(svcNamesIn);
  return uniqueSorted([...(isInClusterName(gitlab) && !isIpAddress(gitlab) ? [gitlab] : []), ...fromEnv]);
}

/** @internal DNS rules (pitfalls 7, 23–25; the three wrong configurations of domain.md §3). */
export const DNS_RULES: CatalogueRule[] = [
  {
    id: 'DNS004',
    severity: Severity.WARNING,
    area: 'DNS',
    title: 'dockerd `--dns` set while the job pod keeps the cluster\'s default DNS and images come from a private registry.',
    why: '`--dns` reaches only containers dockerd starts (`RUN` steps); dockerd\'s own pulls (`FROM`) use the pod\'s resolv.conf.',
    fix: 'give the job pod nameservers that resolve the registry (`JobPodTemplateProps.dns`); keep `--dns` only for `RUN` steps.',
    check: ({ manager }) => {
      const job = manager.jobPod;
      const customised = !usesClusterDns(job) || (job.dns?.nameservers.length ?? 0) > 0;
      const names = registries(job);
      if (customised || names.length === 0) return [];
      return dindServices(manager.jobPod).filter((s) => s.dind.dockerdDns.length > 0).map((s) => problemHit(s.path, 'dns',
        M.dockerdDnsOnly({ dockerdDns: s.dind.dockerdDns, names, jobPodPath: job.path, policy: job.dns?.policy })));
    },
  },
  {
    id: 'DNS005',
    severity: Severity.ERROR,
    area: 'DNS',
    title: 'The job pod resolves through a cluster DNS declared to answer in-cluster names only (`clusterDnsReach: IN_CLUSTER_ONLY`) '
      + 'while its jobs need outside names (GitLab, registries).',
    why: 'Those lookups fail: `lookup registry.example.com: i/o timeout`.',
    fix: 'use `DnsPolicy.NONE` with nameservers that resolve those names, or `DnsPolicy.DEFAULT` (the nodes\' resolvers).',
    check: (ctx) => {
      const job = ctx.manager.jobPod;
      const names = externalNames(ctx);
      if (job.dns?.clusterDnsReach !== ClusterDnsReach.IN_CLUSTER_ONLY || !usesClusterDns(job) || names.length === 0) return [];
      return [problemHit(job.dns.path, 'policy',
        M.inClusterOnly({ jobPodPath: job.path, policy: job.dns.policy, names, extraNameservers: job.dns.nameservers.length > 0 }))];
    },
  },
  {
    id: 'DNS007',
    severity: Severity.WARNING,
    area: 'DNS',
    title: '`dns_policy = "default"` (the node\'s resolv.conf) while jobs need in-cluster names '
      + '(a GitLab Service, `*.svc` hosts in the build environment).',
    why: 'Those names stop resolving.',
    fix: 'keep `cluster-first`, or use `none` with the cluster DNS among the nameservers and the cluster search domains.',
    check: (ctx) => {
      const job = ctx.manager.jobPod;
      const names = inClusterNames(ctx);
      if (job.dns?.policy !== DnsPolicy.DEFAULT || names.length === 0) return [];
      return [problemHit(job.dns.path, 'policy', M.nodeResolver({ names }))];
    },
  },
  {
    id: 'DNS008',
    severity: Severity.WARNING,
    area: 'DNS',
    title: 'Only loopback nameservers in the job pod while DinD sets no `--dns`.',
    why: 'dockerd gives the containers it starts Google\'s 8.8.8.8 and 8.8.4.4 instead, which corporate networks often block.',
    fix: 'set the DindService\'s `dns` to reachable resolvers.',
    check: ({ manager }) => {
      const dns = manager.jobPod.dns;
      if (!dns || dns.policy !== DnsPolicy.NONE || dns.nameservers.length === 0 || !dns.nameservers.every(isLoopbackHost)) return [];
      return dindServices(manager.jobPod).filter((s) => s.dind.dockerdDns.length === 0).map((s) => problemHit(s.path, 'dns',
        M.loopbackOnly({ nameservers: dns.nameservers })));
    },
  },
  {
    id: 'DNS009',
    severity: Severity.WARNING,
    area: 'DNS',
    title: 'Nameservers added to a `cluster-first` pod.',
    why: 'The cluster DNS answers first and its "no such name" is final, so the extra nameservers only help when it times out.',
    fix: 'use `DnsPolicy.NONE` if the extra nameservers must answer names the cluster DNS does not know.',
    check: ({ manager }) => {
      const job = manager.jobPod;
      // With IN_CLUSTER_ONLY declared, DNS005 reports the same pod as an error.
      if (!job.dns || job.dns.nameservers.length === 0 || !usesClusterDns(job)) return [];
      if (job.dns.clusterDnsReach === ClusterDnsReach.IN_CLUSTER_ONLY) return [];
      return [problemHit(job.dns.path, 'nameservers', M.afterClusterDns({ nameservers: job.dns.nameservers, policy: job.dns.policy }))];
    },
  },
];
