// The public API. Explicit named exports only: jsii rejects exported functions and constants, and the internal
// renderers and checks (src/_*.ts) stay private.
export { Quantity } from './quantity';
export { TaintEffect } from './taint-effect';
export { Severity } from './problem';
export type { Finding } from './problem';
export type { ResourceSpec, ContainerResources } from './container-resources';
export { DnsConfig, DnsPolicy, ClusterDnsReach } from './dns-config';
export type { DnsConfigProps, DnsOption } from './dns-config';
export { JobService } from './job-service';
export type { JobServiceProps } from './job-service';
export { DindService } from './dind-service';
export type { DindServiceProps } from './dind-service';
export { JobPodTemplate, PullPolicy } from './job-pod-template';
export type { JobPodTemplateProps, HelperOptions, JobToleration } from './job-pod-template';
export { RunnerToken } from './runner-token';
export { RunnerManager } from './runner-manager';
export type { RunnerManagerProps } from './runner-manager';
export { ResourceBudget } from './resource-budget';
export type {
  ResourceBudgetProps, NodePool, NodeResources, ReservedResources, EvictionThreshold, NodeReservations, DaemonSetOverhead, NodeTaint,
  RuntimeClassOverhead,
} from './resource-budget';
export { FleetSynth } from './fleet-synth';
export type { FleetSynthResult } from './fleet-synth';
export { Rules } from './rules';
export { GitlabCiCheck } from './gitlab-ci-check';
export { RunnerHelmRelease } from './runner-helm-release';
export type { RunnerHelmReleaseProps } from './runner-helm-release';
