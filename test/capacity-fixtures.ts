import { BudgetModel, PoolModel } from '../src/model/budget';
import type { JobPodModel, JobToleration } from '../src/model/job-pod';
import type { ManagerModel } from '../src/model/manager';
import { Quantity } from '../src/model/quantity';
import { ContainerResources } from '../src/model/resources';
import type { ServiceModel } from '../src/model/service';
import { TaintEffect } from '../src/model/taint-effect';

// Literal models for the pure capacity tests: only the fields the capacity model reads, no App.

export const q = (text: string): bigint => Quantity._nanosOf(text);

/** The seed's job pod: build and DinD 500m/512Mi requests with 2/2Gi limits, helper with limits only (500m/512Mi). */
export const SEED_BUILD: ContainerResources = { cpu: { request: '500m', limit: '2' }, memory: { request: '512Mi', limit: '2Gi' } };
export const SEED_HELPER: ContainerResources = { cpu: { limit: '500m' }, memory: { limit: '512Mi' } };

export function service(alias?: string): ServiceModel {
  return { path: `test/${alias ?? 'svc'}`, image: 'docker:dind', alias, command: [], environment: {} };
}

export interface JobOptions {
  readonly path?: string;
  readonly build?: ContainerResources;
  readonly helper?: ContainerResources;
  readonly services?: ServiceModel[];
  readonly serviceResources?: ContainerResources;
  readonly nodeSelector?: Record<string, string>;
  readonly tolerations?: JobToleration[];
  readonly extraConfig?: Record<string, unknown>;
  readonly scheduling?: Record<string, unknown>;
  readonly pollTimeoutSeconds?: number;
}

export function jobPod(o: JobOptions = {}): JobPodModel {
  return {
    path: o.path ?? 'test/Jobs',
    namespace: 'ci',
    buildResources: o.build,
    helper: { resources: o.helper },
    serviceResources: o.serviceResources,
    services: o.services ?? [],
    pullPolicy: [],
    allowedPullPolicies: [],
    nodeSelector: o.nodeSelector ?? {},
    tolerations: o.tolerations ?? [],
    podLabels: {},
    podAnnotations: {},
    pollTimeoutSeconds: o.pollTimeoutSeconds,
    extraConfig: o.extraConfig ?? {},
    scheduling: o.scheduling ?? {},
  } as JobPodModel;
}

/** The seed's job pod model. */
export function seedJobPod(o: JobOptions = {}): JobPodModel {
  return jobPod({ build: SEED_BUILD, helper: SEED_HELPER, services: [service('docker')], serviceResources: SEED_BUILD, ...o });
}

export interface ManagerOptions {
  readonly path?: string;
  readonly replicas?: number;
  readonly concurrent?: number;
  readonly limit?: number;
  readonly maxSurge?: number;
  readonly jobPod?: JobPodModel;
}

export function manager(o: ManagerOptions = {}): ManagerModel {
  const path = o.path ?? 'test/Runner';
  return {
    path,
    name: path.split('/').pop()!.toLowerCase(),
    replicas: o.replicas ?? 1,
    concurrent: o.concurrent ?? 1,
    limit: o.limit,
    maxSurge: o.maxSurge ?? 0,
    jobPod: o.jobPod ?? seedJobPod(),
  } as ManagerModel;
}

/** The seed's fleet: 3 replicas × concurrent 10 of the seed's job pod. */
export function seedManager(o: ManagerOptions = {}): ManagerModel {
  return manager({ replicas: 3, concurrent: 10, ...o });
}

export interface PoolOptions {
  readonly name?: string;
  readonly nodes?: number;
  readonly minNodes?: number;
  readonly maxNodes?: number;
  readonly cpu?: string;
  readonly memory?: string;
  readonly ephemeralStorage?: string;
  /** Declare the size as allocatable (default) or as capacity. */
  readonly as?: 'capacity' | 'allocatable';
  readonly reserved?: { cpu?: string; memory?: string; ephemeralStorage?: string };
  readonly daemonSets?: { cpu?: string; memory?: string; ephemeralStorage?: string };
  readonly daemonSetPods?: number;
  readonly maxPods?: number;
  readonly labels?: Record<string, string>;
  readonly taints?: Array<{ key: string; value?: string; effect: TaintEffect }>;
}

function amounts(given: { cpu?: string; memory?: string; ephemeralStorage?: string } | undefined) {
  const out: { cpu?: bigint; memory?: bigint; ephemeralStorage?: bigint } = {};
  for (const r of ['cpu', 'memory', 'ephemeralStorage'] as const) if (given?.[r] !== undefined) out[r] = q(given[r]!);
  return out;
}

export function pool(o: PoolOptions = {}): PoolModel {
  const declared = amounts({ cpu: o.cpu ?? '8', memory: o.memory ?? '32Gi', ephemeralStorage: o.ephemeralStorage });
  const reserved = amounts(o.reserved);
  const allocatable: typeof declared = {};
  for (const r of ['cpu', 'memory', 'ephemeralStorage'] as const) if (declared[r] !== undefined) allocatable[r] = declared[r]! - (reserved[r] ?? 0n);
  return {
    name: o.name ?? 'workers',
    nodes: o.nodes ?? 3,
    minNodes: o.minNodes,
    maxNodes: o.maxNodes,
    declared,
    declaredAs: o.as ?? 'allocatable',
    reservedDeclared: o.reserved !== undefined,
    reserved,
    allocatable,
    daemonSets: amounts(o.daemonSets),
    daemonSetPods: o.daemonSetPods ?? 0,
    maxPods: o.maxPods ?? 110,
    labels: o.labels ?? {},
    taints: o.taints ?? [],
  };
}

export function budget(pools: PoolModel[], o: Partial<BudgetModel> = {}): BudgetModel {
  return { path: 'test/Budget', pools, cpuLimitOvercommitRatio: 2, runtimeClasses: {}, ...o };
}

/** The seed's cluster: 3 nodes × 8 CPU × 32Gi, declared as capacity without reservations. */
export function seedBudget(): BudgetModel {
  return budget([pool({ as: 'capacity' })]);
}
