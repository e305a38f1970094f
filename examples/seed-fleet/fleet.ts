import { App, Chart } from 'cdk8s';
import {
  DindService, DnsConfig, DnsPolicy, JobPodTemplate, PullPolicy, ResourceBudget, ResourceBudgetProps, RunnerManager, RunnerToken, TaintEffect,
} from '../../src';

/**
 * The cluster the seed documents size the fleet for: 3 nodes × 8 cores × 32 GB. The seed's 30 job slots do not fit
 * on it (15 job pods schedule by requests), so synth fails; test/resource-budget.test.ts keeps that true.
 */
export const SEED_DOCUMENT_CLUSTER: ResourceBudgetProps = {
  nodePools: [{ name: 'workers', nodes: 3, capacity: { cpu: '8', memory: '32Gi' } }],
};

/**
 * A cluster the seed's fleet fits on: a tainted system pool job pods stay off, and 4 CI nodes of 16 cores and 64Gi
 * (10 job pods of 1.5 CPU per node after reservations and DaemonSets: 40 for 30 slots).
 */
export const CI_CLUSTER: ResourceBudgetProps = {
  nodePools: [
    {
      name: 'system',
      nodes: 2,
      allocatable: { cpu: '3920m', memory: '14Gi' },
      labels: { 'kubernetes.io/arch': 'amd64' },
      taints: [{ key: 'CriticalAddonsOnly', value: 'true', effect: TaintEffect.NO_SCHEDULE }],
    },
    {
      name: 'ci',
      nodes: 4,
      capacity: { cpu: '16', memory: '64Gi', ephemeralStorage: '200Gi' },
      reserved: {
        systemReserved: { cpu: '100m', memory: '1Gi' },
        kubeReserved: { cpu: '80m', memory: '1536Mi', ephemeralStorage: '1Gi' },
        evictionHard: { memory: '100Mi', ephemeralStorage: '20Gi' },
      },
      daemonSets: { cpu: '350m', memory: '512Mi', pods: 4 },
      labels: { 'kubernetes.io/arch': 'amd64' },
    },
  ],
  // CI builds are bursty: a packed node's CPU limits may add up to 3× its CPU before the budget warns.
  cpuLimitOvercommitRatio: 3,
};

/**
 * The fleet of the seed documents: 3 managers × concurrent 10, DinD without TLS from a private registry,
 * job-pod DNS pinned to the corporate resolvers.
 */
export function seedFleet(app: App, cluster: ResourceBudgetProps = CI_CLUSTER): Chart {
  const chart = new Chart(app, 'gitlab-runner', { namespace: 'gitlab', disableResourceNameHashes: true });
  const budget = new ResourceBudget(chart, 'Cluster', cluster);

  const dns = new DnsConfig(chart, 'Dns', {
    policy: DnsPolicy.NONE,
    nameservers: ['10.0.0.2', '10.1.0.251', '10.1.0.252'],
    searches: ['gitlab.svc.cluster.local', 'svc.cluster.local', 'cluster.local'],
    options: [{ name: 'ndots', value: '2' }],
  });

  const dind = new DindService(chart, 'Dind', {
    image: 'registry.example.com/docker:dind',
    alias: 'docker',
    tls: false,
    insecureRegistries: ['private-registry.example.com'],
    resources: {
      cpu: { request: '500m', limit: '2' },
      memory: { request: '512Mi', limit: '2Gi' },
    },
  });

  const jobs = new JobPodTemplate(chart, 'Jobs', {
    buildResources: {
      cpu: { request: '500m', limit: '2' },
      memory: { request: '512Mi', limit: '2Gi' },
    },
    helper: {
      image: 'registry.example.com/gitlab/gitlab-runner-helper:x86_64-v18.3.0',
      resources: { cpu: { limit: '500m' }, memory: { limit: '512Mi' } },
    },
    services: [dind],
    dns,
    pullPolicy: [PullPolicy.IF_NOT_PRESENT],
  });

  new RunnerManager(chart, 'Runner', {
    name: 'gitlab-runner',
    gitlabUrl: 'http://gitlab.example.com/',
    token: RunnerToken.fromSecret('gitlab-runner-token', 'runner-token'),
    image: 'registry.example.com/gitlab/gitlab-runner:v18.3.0',
    // The plain vX tags are the Ubuntu flavour, whose gitlab-runner user is 999 (alpine-vX images use 100).
    runAsUser: 999,
    fsGroup: 999,
    replicas: 3,
    concurrent: 10,
    jobPod: jobs,
    budget,
  });

  return chart;
}
