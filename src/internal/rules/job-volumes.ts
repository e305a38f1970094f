import { CatalogueRule, problemHit, RuleHit } from './core';
import { ContainerContextKey, JOB_VOLUME_MESSAGES as M } from './job-volumes.messages';
import { Severity } from '../../model/finding';
import type { JobPodModel } from '../../model/job-pod';
import { PvcAccessMode } from '../../model/job-volumes';
import type { ManagerModel } from '../../model/manager';
import { Quantity } from '../../model/quantity';
import { kubernetesTable } from '../render/config-toml';
import { memoryVolumes, volumeOrigin } from '../render/job-volumes';

// Rules about the job pod's volumes and security contexts (issue #15): what works but breaks isolation, waits for a
// volume, or is OOM-killed. Warnings, so a deliberate choice can be acknowledged.

/** Paths of the Docker daemon's socket on a node, and the directories holding it. */
const DOCKER_SOCKETS = ['/var/run/docker.sock', '/run/docker.sock'];
/** Access modes that let pods on several nodes mount a claim at once. */
const SHARED_MODES: string[] = [PvcAccessMode.READ_ONLY_MANY, PvcAccessMode.READ_WRITE_MANY];
/** The config.toml key of each container's security context, and the construct prop behind it. */
const CONTAINER_CONTEXTS: Array<{ key: ContainerContextKey; prop: string }> = [
  { key: 'build_container_security_context', prop: 'buildSecurityContext' },
  { key: 'helper_container_security_context', prop: 'helperSecurityContext' },
  { key: 'init_permissions_container_security_context', prop: 'extraConfig.init_permissions_container_security_context' },
  { key: 'service_container_security_context', prop: 'serviceSecurityContext' },
];

function slotsOf(m: ManagerModel): number {
  const perReplica = m.limit !== undefined && m.limit > 0 && m.limit < m.concurrent ? m.limit : m.concurrent;
  return m.replicas * perReplica;
}

function volumesOf(job: JobPodModel, kind: string): Array<{ spec: Record<string, any>; field: string; accessMode?: string }> {
  const table = kubernetesTable(job).volumes as Record<string, Array<Record<string, any>>> | undefined;
  const typed = (job.volumes ?? []).filter((v) => v.kind === kind);
  const extra = ((job.extraConfig.volumes as Record<string, unknown[]> | undefined)?.[kind] ?? []).length;
  return (table?.[kind] ?? []).map((spec, i) => ({ spec, field: volumeOrigin(job, kind, i), accessMode: typed[i - extra]?.accessMode }));
}

const bytes = (q: string): bigint | undefined => (Quantity.isValid(q) ? Quantity._nanosOf(q) : undefined);

/** @internal Rules about job-pod volumes and security contexts. */
export const JOB_VOLUME_RULES: CatalogueRule[] = [
  {
    id: 'VOL001',
    severity: Severity.WARNING,
    area: 'Security',
    title: 'A hostPath volume of the node\'s Docker socket (`/var/run/docker.sock`) or a directory holding it.',
    why: 'It works where the node runs Docker, but every job then controls the node\'s daemon, can escape the pod, '
      + 'and its builds are not counted against the pod\'s limits.',
    fix: 'use a DindService or rootless builds; acknowledge only for a dedicated, single-tenant node pool.',
    check: ({ manager }) => volumesOf(manager.jobPod, 'host_path').flatMap(({ spec, field }): RuleHit[] => {
      const path = String(spec.host_path || spec.mount_path || '').replace(/\/+$/, '') || '/';
      const exposes = DOCKER_SOCKETS.some((s) => s === path || s.startsWith(path === '/' ? '/' : `${path}/`));
      return exposes ? [problemHit(manager.jobPod.path, field, M.socket({ name: String(spec.name), path }))] : [];
    }),
  },
  {
    id: 'VOL002',
    severity: Severity.WARNING,
    area: 'Job pod',
    title: 'A PersistentVolumeClaim that is (or is not declared other than) ReadWriteOnce or ReadWriteOncePod, '
      + 'mounted by the job pods of a manager that runs several jobs at once.',
    why: 'Pods on other nodes wait for the volume until the job times out.',
    fix: 'use a ReadWriteMany claim and declare its `accessMode`, or run one job at a time.',
    check: ({ manager }) => {
      const slots = slotsOf(manager);
      if (slots <= 1) return [];
      return volumesOf(manager.jobPod, 'pvc').flatMap(({ spec, field, accessMode }) => (SHARED_MODES.includes(accessMode ?? '') ? [] : [
        problemHit(manager.jobPod.path, field,
          M.rwo({ claim: String(spec.name), mode: accessMode ?? PvcAccessMode.READ_WRITE_ONCE, slots, path: manager.path, field })),
      ]));
    },
  },
  {
    id: 'VOL003',
    severity: Severity.WARNING,
    area: 'Resources',
    title: 'A memory-backed emptyDir larger than the build container\'s memory limit, or not covered by its memory request.',
    why: 'tmpfs pages count against the writing container\'s memory, and the scheduler does not reserve them.',
    fix: 'size the build container\'s memory request and limit to include the volume, or lower its `sizeLimit`.',
    check: ({ manager }) => {
      const job = manager.jobPod;
      const memory = job.buildResources?.memory;
      return memoryVolumes(job).flatMap((v): RuleHit[] => {
        const size = v.sizeLimit === undefined ? undefined : bytes(v.sizeLimit);
        if (size === undefined) return [];
        const limit = memory?.limit === undefined ? undefined : bytes(memory.limit);
        if (limit !== undefined && size >= limit) {
          return [problemHit(job.path, v.field, M.overLimit({ name: v.name, size: v.sizeLimit!, limit: memory!.limit! }))];
        }
        const request = memory?.request ?? memory?.limit;
        const requested = request === undefined ? 0n : bytes(request) ?? 0n;
        return requested < size ? [problemHit(job.path, v.field, M.unreserved({ name: v.name, size: v.sizeLimit!, request: request ?? '0' }))] : [];
      });
    },
  },
  {
    id: 'SEC003',
    severity: Severity.WARNING,
    area: 'Security',
    title: 'A privileged build, helper or init container, or privileged service containers without a DindService.',
    why: 'Privileged outside the DinD service gives jobs root on the node.',
    fix: 'scope privileged to a DindService\'s containers, or build rootless; acknowledge for a dedicated, trusted node pool.',
    check: ({ manager }) => {
      const job = manager.jobPod;
      const table = kubernetesTable(job) as Record<string, any>;
      const dind = job.services.some((s) => s.dind !== undefined);
      return CONTAINER_CONTEXTS.flatMap(({ key, prop }): RuleHit[] => {
        if (table[key]?.privileged !== true || (key === 'service_container_security_context' && dind)) return [];
        const field = Object.prototype.hasOwnProperty.call(job.extraConfig, key) ? `extraConfig.${key}.privileged` : `${prop}.privileged`;
        return [problemHit(job.path, field, M.privileged({ key, dind }))];
      });
    },
  },
];
