import type { CacheModel, SecretKeyModel } from './cache';
import type { JobPodModel, JobToleration } from './job-pod';
import type { ManagerPodModel } from './manager-pod';
import type { MonitoringModel } from './monitoring';
import type { ContainerResources } from './resources';

/** @internal The plain model of a runner manager. */
export interface ManagerModel {
  readonly path: string;
  readonly name: string;
  readonly runnerName: string;
  readonly namespace: string;
  readonly image: string;
  /** The GitLab Runner version the image holds, `X.Y.Z`. */
  readonly runnerVersion: string;
  readonly gitlabUrl: string;
  readonly token: { readonly secretName: string; readonly key: string };
  readonly replicas: number;
  readonly concurrent: number;
  readonly limit?: number;
  readonly requestConcurrency?: number;
  readonly checkIntervalSeconds: number;
  readonly shutdownTimeoutSeconds: number;
  readonly terminationGracePeriodSeconds: number;
  readonly maxSurge: number;
  readonly environment: Record<string, string>;
  readonly featureFlags: Record<string, boolean>;
  readonly metricsPort: number;
  readonly metricsService: boolean;
  /** The prometheus-operator monitors asked for (none when absent). */
  readonly monitoring?: MonitoringModel;
  readonly resources: ContainerResources;
  readonly nodeSelector: Record<string, string>;
  readonly tolerations: JobToleration[];
  readonly runAsUser: number;
  readonly fsGroup: number;
  readonly jobPod: JobPodModel;
  /** Pod identity, metadata, placement, disruption budget, logging and the `[[runners]]` escape hatch (#14). */
  readonly pod?: ManagerPodModel;
  /** The distributed cache (`[runners.cache]`), if any. */
  readonly cache?: CacheModel;
  /** The CA bundle the runner trusts for GitLab (`tls-ca-file`), from a Secret. */
  readonly tlsCa?: SecretKeyModel;
}
