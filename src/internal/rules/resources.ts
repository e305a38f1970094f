import { CatalogueRule, RuleHit, problemHit } from './core';
import { RESOURCE_MESSAGES as M } from './resources.messages';
import { Severity } from '../../model/finding';
import type { JobPodModel } from '../../model/job-pod';
import { Quantity } from '../../model/quantity';
import { ContainerResources, RESOURCE_KINDS } from '../../model/resources';
import { kubernetesTable } from '../render/config-toml';
import { volumeOrigin } from '../render/job-volumes';

/** GitLab's documented minimum helper memory for jobs with caches and artifacts. */
const HELPER_MEMORY_MINIMUM = '250Mi';
/** Below this the helper is OOM-killed cloning even small repositories ("--shallow-file died of signal 9"). */
const HELPER_MEMORY_FLOOR = '128Mi';
/** Paths whose contents grow with the build; on tmpfs they eat the container's memory limit. */
const LARGE_PATHS = ['/builds', '/var/lib/docker'];

/** The job pod's container groups, with the prop that sizes each. */
function containers(job: JobPodModel): Array<{ field: string; resources?: ContainerResources }> {
  return [
    { field: 'buildResources', resources: job.buildResources },
    { field: 'helper.resources', resources: job.helper.resources },
    ...(job.services.length > 0 ? [{ field: 'serviceResources', resources: job.serviceResources }] : []),
  ];
}

function helperMemoryLimit(job: JobPodModel): Quantity | undefined {
  const limit = job.helper.resources?.memory?.limit;
  return limit === undefined ? undefined : Quantity.parse(limit);
}

/** @internal Rules about the job pod's resources (pitfalls 3, 4, 14, 15, 18). Capacity (CAP…) is the budget's. */
export const RESOURCE_RULES: CatalogueRule[] = [
  {
    id: 'RES001',
    severity: Severity.WARNING,
    area: 'Resources',
    title: 'A job-pod container with a CPU or memory limit but no request.',
    why: 'Kubernetes sets the request to the limit, so the scheduler reserves the whole limit for every job.',
    fix: 'set the request to what a job typically uses, below the limit.',
    check: ({ manager }) => containers(manager.jobPod).flatMap(({ field, resources }) => (['cpu', 'memory'] as const)
      .filter((kind) => resources?.[kind]?.limit !== undefined && resources[kind]!.request === undefined)
      .map((kind) => problemHit(manager.jobPod.path, `${field}.${kind}.request`, M.noRequest({ kind, limit: resources![kind]!.limit!, field })))),
  },
  {
    id: 'RES002',
    severity: Severity.WARNING,
    area: 'Resources',
    title: `Helper memory limit below ${HELPER_MEMORY_MINIMUM}, GitLab's documented minimum for jobs with caches and artifacts.`,
    why: 'The helper is OOM-killed, and the job fails with "container not found (helper)".',
    fix: `give the helper at least ${HELPER_MEMORY_MINIMUM} of memory.`,
    check: ({ manager }) => {
      const limit = helperMemoryLimit(manager.jobPod);
      const belowMinimum = limit !== undefined && limit.compareTo(Quantity.parse(HELPER_MEMORY_MINIMUM)) < 0;
      if (!limit || !belowMinimum || limit.compareTo(Quantity.parse(HELPER_MEMORY_FLOOR)) < 0) return [];
      return [problemHit(manager.jobPod.path, 'helper.resources.memory.limit',
        M.helperBelowMinimum({ limit: `${limit}`, minimum: HELPER_MEMORY_MINIMUM }))];
    },
  },
  {
    id: 'RES003',
    severity: Severity.ERROR,
    area: 'Resources',
    title: `Helper memory limit below ${HELPER_MEMORY_FLOOR}.`,
    why: 'The helper is OOM-killed while cloning.',
    fix: `give the helper at least ${HELPER_MEMORY_MINIMUM} of memory.`,
    check: ({ manager }) => {
      const limit = helperMemoryLimit(manager.jobPod);
      if (!limit || limit.compareTo(Quantity.parse(HELPER_MEMORY_FLOOR)) >= 0) return [];
      return [problemHit(manager.jobPod.path, 'helper.resources.memory.limit',
        M.helperBelowFloor({ limit: `${limit}`, floor: HELPER_MEMORY_FLOOR, minimum: HELPER_MEMORY_MINIMUM }))];
    },
  },
  {
    id: 'RES005',
    severity: Severity.WARNING,
    area: 'Resources',
    title: 'An overwrite maximum (`*_overwrite_max_allowed`) below the default it bounds.',
    why: 'A job asking for the default value fails.',
    fix: 'raise `maxRequest`/`maxLimit` to at least the request/limit.',
    check: ({ manager }) => containers(manager.jobPod).flatMap(({ field, resources }) => RESOURCE_KINDS.flatMap(({ prop }) => {
      const spec = resources?.[prop];
      const pairs = [['maxRequest', 'request'], ['maxLimit', 'limit']] as const;
      return pairs.flatMap(([maxKey, key]): RuleHit[] => {
        const max = spec?.[maxKey];
        const value = spec?.[key];
        if (max === undefined || value === undefined || Quantity.parse(max).compareTo(Quantity.parse(value)) >= 0) return [];
        return [problemHit(manager.jobPod.path, `${field}.${prop}.${maxKey}`, M.maxBelowDefault({ maxKey, max, key, value, field, prop }))];
      });
    })),
  },
  {
    id: 'RES008',
    severity: Severity.WARNING,
    area: 'Resources',
    title: 'A memory-backed emptyDir (`medium = "Memory"`) without `size_limit`, or over a path that grows with the build.',
    why: 'Its files count against the container\'s memory limit and end in OOM kills.',
    fix: 'give memory-backed volumes a `size_limit` and keep `/builds` and `/var/lib/docker` on disk.',
    check: ({ manager }) => {
      const table = kubernetesTable(manager.jobPod).volumes as Record<string, unknown> | undefined;
      const volumes = (table?.empty_dir ?? []) as Array<Record<string, string>>;
      return volumes.flatMap((v, i) => {
        if (v.medium !== 'Memory') return [];
        const field = volumeOrigin(manager.jobPod, 'empty_dir', i);
        if (LARGE_PATHS.includes(v.mount_path)) {
          return [problemHit(manager.jobPod.path, field, M.largePathOnTmpfs({ name: v.name, mountPath: v.mount_path }))];
        }
        return v.size_limit === undefined ? [problemHit(manager.jobPod.path, `${field}.size_limit`, M.noSizeLimit({ name: v.name }))] : [];
      });
    },
  },
];
