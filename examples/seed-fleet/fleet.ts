import { App, Chart } from 'cdk8s';
import {
  DindService, DnsConfig, DnsPolicy, JobPodTemplate, PullPolicy, RunnerManager, RunnerToken,
} from '../../src';

/**
 * The fleet of the seed documents: 3 managers × concurrent 10, DinD without TLS from a private registry,
 * job-pod DNS pinned to the corporate resolvers.
 */
export function seedFleet(app: App): Chart {
  const chart = new Chart(app, 'gitlab-runner', { namespace: 'gitlab', disableResourceNameHashes: true });

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
  });

  return chart;
}
