import { PvcAccessMode } from '../../model/job-volumes';
import type { Problem } from '../../model/problem';
import { show } from '../validate/validators';

// The wording of the job-pod volume and security-context findings (src/internal/rules/job-volumes.ts decides when
// they apply).

/** The containers whose security context a finding names, by their config.toml key. */
const CONTAINERS = {
  build_container_security_context: 'build container (where job scripts run)',
  helper_container_security_context: 'helper container',
  init_permissions_container_security_context: 'init-permissions container',
  service_container_security_context: 'service containers',
} as const;

/** @internal The config.toml key of a container's security context. */
export type ContainerContextKey = keyof typeof CONTAINERS;

/** @internal */
export const JOB_VOLUME_MESSAGES = {
  /** VOL001: the node's Docker socket in a hostPath volume. */
  socket: (p: { name: string; path: string }): Problem => ({
    message: `the hostPath volume ${show(p.name)} mounts ${p.path}, the node's Docker socket: every job can start privileged containers `
      + 'and mount the node\'s file system, escaping the pod, and what it builds is not counted against the pod\'s limits.',
    fix: 'use a DindService (a Docker daemon per job, in the job pod), or rootless builds (buildah, kaniko); '
      + 'acknowledge the rule only for a dedicated, single-tenant node pool.',
  }),
  /** VOL002: a single-node claim shared by several job pods. */
  rwo: (p: { claim: string; mode: string; slots: number; path: string; field: string }): Problem => ({
    message: `the claim ${show(p.claim)} is ${p.mode}, but ${p.path} runs up to ${p.slots} jobs at once: a job pod on another node waits `
      + 'for the volume ("Multi-Attach error") until poll_timeout fails the job'
      + `${p.mode === PvcAccessMode.READ_WRITE_ONCE_POD ? ', and even on the same node only one pod may mount it' : ''}.`,
    fix: `use a ReadWriteMany claim (e.g. NFS, CephFS, EFS) and declare accessMode on ${p.field}, or cap the manager at one job at a time.`,
  }),
  /** SEC003: a privileged container outside a DindService. */
  privileged: (p: { key: ContainerContextKey; dind: boolean }): Problem => ({
    message: `the ${CONTAINERS[p.key]} run privileged: a job can reach the node as root, outside the pod.`,
    fix: p.dind
      ? 'drop privileged: the DindService already makes only the service containers privileged.'
      : 'add a DindService if jobs need Docker (it scopes privileged to service containers), or build rootless; '
        + 'acknowledge the rule for a dedicated, trusted node pool.',
  }),
  /** VOL003: a memory-backed volume above the memory limit, or not covered by the request. */
  overLimit: (p: { name: string; size: string; limit: string }): Problem => ({
    message: `the memory-backed volume ${show(p.name)} may hold ${p.size}, but the build container's memory limit is ${p.limit}: `
      + 'tmpfs pages count against the memory of the container writing them, so the job is OOM-killed before the volume is full.',
    fix: `raise buildResources.memory.limit above ${p.size} plus what the job's processes use, or lower sizeLimit.`,
  }),
  unreserved: (p: { name: string; size: string; request: string }): Problem => ({
    message: `the memory-backed volume ${show(p.name)} may hold ${p.size}, but the build container requests only ${p.request}: `
      + 'the scheduler does not reserve tmpfs, so nodes fill beyond what the job pods requested and the kubelet evicts pods under memory pressure.',
    fix: `add the volume's size to buildResources.memory.request (at least ${p.size} on top of what the job's processes use).`,
  }),
};
