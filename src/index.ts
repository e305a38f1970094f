// The public API. Explicit named exports only: jsii rejects exported functions and constants, and everything under
// src/internal/ (validation, the runner's key tables, renderers, rules, capacity) stays private.
export { Quantity } from './model/quantity';
export { TaintEffect } from './model/taint-effect';
export { Severity } from './model/finding';
export type { Finding } from './model/finding';
export type { ResourceSpec, ContainerResources } from './model/resources';
export { DnsConfig } from './constructs/dns-config';
export { DnsPolicy, ClusterDnsReach } from './model/dns';
export type { DnsConfigProps } from './constructs/dns-config';
export type { DnsOption } from './model/dns';
export { JobService } from './constructs/job-service';
export type { JobServiceProps } from './constructs/job-service';
export { DindService } from './constructs/dind-service';
export type { DindServiceProps } from './constructs/dind-service';
export { JobPodTemplate } from './constructs/job-pod-template';
export { PullPolicy } from './model/job-pod';
export type { JobPodTemplateProps } from './constructs/job-pod-template';
export type { HelperOptions, JobToleration } from './model/job-pod';
export { NodeSelectorOperator } from './model/job-scheduling';
export type {
  JobNodeAffinity, JobOverwriteAllowlists, JobPodResources, JobPodSchedulingProps, NodeSelectorRequirement, NodeSelectorTerm,
  WeightedNodeSelectorTerm,
} from './model/job-scheduling';
export type { Toleration } from './model/toleration';
export { RunnerToken } from './constructs/runner-token';
export { CacheSecret, RunnerCa, RunnerCache, S3Encryption } from './constructs/runner-cache';
export type { AzureCacheOptions, CacheSecretKeys, GcsCacheOptions, RunnerCacheOptions, S3CacheOptions } from './constructs/runner-cache';
export { RunnerManager } from './constructs/runner-manager';
export type { RunnerManagerProps } from './constructs/runner-manager';
export { RunnerLogLevel, RunnerLogFormat, WhenUnsatisfiable, PodAntiAffinity } from './constructs/manager-pod-props';
export type {
  ManagerPodProps, ManagerServiceAccount, ManagerAffinity, PreferredNodeLabels, ManagerTopologySpread, ManagerDisruptionBudget,
} from './constructs/manager-pod-props';
export { ResourceBudget } from './constructs/resource-budget';
export type {
  ResourceBudgetProps, NodePool, NodeResources, ReservedResources, EvictionThreshold, NodeReservations, DaemonSetOverhead, NodeTaint,
  RuntimeClassOverhead,
} from './constructs/resource-budget';
export { FleetSynth } from './fleet/fleet-synth';
export type { FleetSynthResult } from './fleet/fleet-synth';
export { Rules } from './fleet/rules';
export { GitlabCiCheck } from './fleet/gitlab-ci-check';
export { RunnerHelmRelease } from './constructs/runner-helm-release';
export type { RunnerHelmReleaseProps } from './constructs/runner-helm-release';
export { JobVolume, EmptyDirMedium, PvcAccessMode, SeccompProfileType } from './model/job-volumes';
export type {
  JobVolumeMountOptions, EmptyDirJobVolumeOptions, PvcJobVolumeOptions, ObjectJobVolumeOptions, HostPathJobVolumeOptions, CsiJobVolumeOptions,
  NfsJobVolumeOptions, SeccompProfile, JobCapabilities, JobPodSecurityContext, JobContainerSecurityContext,
} from './model/job-volumes';
