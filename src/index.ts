export { Quantity } from './quantity';
export { Severity, Finding } from './problem';
export { ResourceSpec, ContainerResources } from './container-resources';
export { DnsConfig, DnsConfigProps, DnsOption, DnsPolicy } from './dns-config';
export { JobService, JobServiceProps } from './job-service';
export { DindService, DindServiceProps } from './dind-service';
export { JobPodTemplate, JobPodTemplateProps, HelperOptions, JobToleration, PullPolicy } from './job-pod-template';
export { RunnerToken } from './runner-token';
export { RunnerManager, RunnerManagerProps } from './runner-manager';
export { FleetSynth, FleetSynthResult } from './fleet-synth';
export { RunnerHelmRelease } from './runner-helm-release';
export type { RunnerHelmReleaseProps } from './runner-helm-release';
export { ResourceBudget } from './resource-budget';
export type {
  ResourceBudgetProps, NodePool, NodeResources, ReservedResources, EvictionThreshold, NodeReservations, DaemonSetOverhead, NodeTaint,
  RuntimeClassOverhead,
} from './resource-budget';
export { ClusterDnsReach } from './dns-config';
export { Rules } from './rules';
export { GitlabCiCheck } from './gitlab-ci-check';
