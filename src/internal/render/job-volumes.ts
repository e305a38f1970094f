import { compact, nonEmptyRecord, sortedByKey } from './records';
import type { JobPodModel } from '../../model/job-pod';
import {
  JOB_VOLUME_KINDS, JobContainerSecurityContext, JobPodSecurityContext, JobVolumeKind, JobVolumeModel, SECURITY_CONTEXT_KEYS, SeccompProfile,
} from '../../model/job-volumes';

// The typed volumes and security contexts of a job pod template as `[runners.kubernetes]` tables, in the runner's
// spelling (../shared/reference/gitlab-runner-config-keys-by-version.json; common/config.go KubernetesVolumes and the
// KubernetesPodSecurityContext / KubernetesContainerSecurityContext structs).

/** One typed volume as its `[[runners.kubernetes.volumes.<kind>]]` table. */
export function volumeTable(v: JobVolumeModel): Record<string, unknown> {
  const common = { name: v.name, mount_path: v.mountPath, sub_path: v.subPath };
  const readOnly = v.readOnly === true ? true : undefined;
  const map = (m: Record<string, string> | undefined) => (m === undefined ? undefined : nonEmptyRecord(sortedByKey(m)));
  switch (v.kind) {
    case 'empty_dir': return compact({ ...common, medium: v.medium || undefined, size_limit: v.sizeLimit });
    case 'pvc': return compact({ ...common, read_only: readOnly });
    case 'secret':
    case 'config_map': return compact({ ...common, read_only: readOnly, items: map(v.items) });
    case 'host_path': return compact({ ...common, read_only: readOnly, host_path: v.hostPath });
    case 'csi': return compact({ ...common, driver: v.driver, fs_type: v.fsType, read_only: readOnly, volume_attributes: map(v.volumeAttributes) });
    case 'nfs': return compact({ ...common, server: v.server, path: v.path, read_only: readOnly });
  }
}

/** The typed volumes by kind, each kind in declaration order. */
export function typedVolumeTables(job: Pick<JobPodModel, 'volumes'>): Partial<Record<JobVolumeKind, Record<string, unknown>[]>> {
  const byKind: Partial<Record<JobVolumeKind, Record<string, unknown>[]>> = {};
  for (const kind of JOB_VOLUME_KINDS) {
    const list = (job.volumes ?? []).filter((v) => v.kind === kind).map(volumeTable);
    if (list.length) byKind[kind] = list;
  }
  return byKind;
}

/**
 * The prop a merged `volumes.<kind>[index]` entry of config.toml comes from: the escape hatch's entries come first,
 * then the typed ones (JobPodTemplate `volumes`), then the construct-owned ones (the DinD certificates).
 */
export function volumeOrigin(job: Pick<JobPodModel, 'volumes' | 'extraConfig'>, kind: string, index: number): string {
  const extra = ((job.extraConfig.volumes as Record<string, unknown[]> | undefined)?.[kind] ?? []).length;
  if (index < extra) return `extraConfig.volumes.${kind}[${index}]`;
  const typed = (job.volumes ?? []).map((v, i) => ({ v, i })).filter(({ v }) => v.kind === kind);
  const own = typed[index - extra];
  return own ? `volumes[${own.i}]` : `volumes.${kind}[${index}]`;
}

function seccompTable(p: SeccompProfile | undefined): Record<string, unknown> | undefined {
  return p === undefined ? undefined : compact({ type: p.type, localhost_profile: p.localhostProfile });
}

/** `pod_security_context`. */
export function podSecurityContextTable(c: JobPodSecurityContext | undefined): Record<string, unknown> | undefined {
  if (c === undefined) return undefined;
  return nonEmptyRecord(compact({
    fs_group: c.fsGroup,
    run_as_group: c.runAsGroup,
    run_as_non_root: c.runAsNonRoot,
    run_as_user: c.runAsUser,
    supplemental_groups: c.supplementalGroups?.length ? [...c.supplementalGroups] : undefined,
    seccomp_profile: seccompTable(c.seccompProfile),
  }));
}

/** A `*_container_security_context`; `base` holds what a construct sets (the DinD service's privileged). */
export function containerSecurityContextTable(
  c: JobContainerSecurityContext | undefined, base: Record<string, unknown> = {},
): Record<string, unknown> | undefined {
  const capabilities = c?.capabilities === undefined ? undefined : nonEmptyRecord(compact({
    add: c.capabilities.add?.length ? [...c.capabilities.add] : undefined,
    drop: c.capabilities.drop?.length ? [...c.capabilities.drop] : undefined,
  }));
  return nonEmptyRecord(compact({
    ...base,
    capabilities,
    privileged: c?.privileged ?? base.privileged,
    run_as_user: c?.runAsUser,
    run_as_group: c?.runAsGroup,
    run_as_non_root: c?.runAsNonRoot,
    read_only_root_filesystem: c?.readOnlyRootFilesystem,
    allow_privilege_escalation: c?.allowPrivilegeEscalation,
    seccomp_profile: seccompTable(c?.seccompProfile),
  }));
}

/** The four security-context keys of `[runners.kubernetes]` the typed props render (DinD's privileged included). */
export function securityContextTables(job: JobPodModel, dind: boolean): Record<string, unknown> {
  const s = job.security ?? {};
  return {
    pod_security_context: podSecurityContextTable(s.pod),
    build_container_security_context: containerSecurityContextTable(s.build),
    helper_container_security_context: containerSecurityContextTable(s.helper),
    // DinD needs privileged; scoping it to service containers keeps the build, helper and init containers unprivileged.
    service_container_security_context: containerSecurityContextTable(s.service, dind ? { privileged: true } : {}),
  };
}

/** The pod's volume source of the kinds the runner added last (getVolumesForCSIs, getVolumesForNFSs). */
export function extraVolumeSource(kind: string, spec: Record<string, any>): Record<string, unknown> {
  if (kind === 'csi') {
    // The runner always sends fsType and readOnly (pointers to the config's values, '' and false when unset).
    return {
      csi: compact({ driver: spec.driver, fsType: spec.fs_type ?? '', readOnly: spec.read_only ?? false, volumeAttributes: spec.volume_attributes }),
    };
  }
  return { nfs: compact({ server: spec.server, path: spec.path, readOnly: spec.read_only === true ? true : undefined }) };
}

/** A seccomp profile as the runner sends it (KubernetesSeccompProfile.toAPI): none for an unknown type or a Localhost without file. */
export function seccompProfile(p: Record<string, any> | undefined): Record<string, unknown> | undefined {
  if (p === undefined || !p.type || !['RuntimeDefault', 'Unconfined', 'Localhost'].includes(p.type)) return undefined;
  if (p.type !== 'Localhost') return { type: p.type };
  return p.localhost_profile ? { type: p.type, localhostProfile: p.localhost_profile } : undefined;
}

/** One memory-backed emptyDir of the job pod (tmpfs), with the prop it comes from. */
export interface MemoryVolume {
  readonly name: string;
  readonly field: string;
  /** `size_limit`, when set and a valid quantity. */
  readonly sizeLimit?: string;
}

/**
 * The memory-backed emptyDirs the user declared (typed or through the escape hatch). The DinD certificates volume is
 * left out: it holds a few kilobytes of certificates, far below its size limit.
 */
export function memoryVolumes(job: Pick<JobPodModel, 'volumes' | 'extraConfig'>): MemoryVolume[] {
  const extra = ((job.extraConfig.volumes as Record<string, unknown> | undefined)?.empty_dir ?? []) as Array<Record<string, unknown>>;
  const all = [...(Array.isArray(extra) ? extra : []), ...(job.volumes ?? []).filter((v) => v.kind === 'empty_dir').map(volumeTable)];
  return all.flatMap((v, i) => (v?.medium === 'Memory' ? [compact({
    name: String(v.name),
    field: volumeOrigin(job, 'empty_dir', i),
    sizeLimit: typeof v.size_limit === 'string' && v.size_limit.trim() !== '' ? v.size_limit : undefined,
  })] : []));
}

const camel = (key: string) => key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/**
 * The typed prop behind a `[runners.kubernetes]` key path (below that table, e.g. `volumes.nfs` or
 * `pod_security_context.seccomp_profile`), or undefined when the escape hatch or another prop sets it.
 */
export function typedOrigin(job: Pick<JobPodModel, 'volumes' | 'security' | 'extraConfig'>, below: string): string | undefined {
  const [top, second] = below.split(/[.[]/);
  if (top === 'volumes') {
    const extra = (job.extraConfig.volumes as Record<string, unknown> | undefined)?.[second];
    const index = (job.volumes ?? []).findIndex((v) => v.kind === second);
    return extra === undefined && index >= 0 ? `volumes[${index}]` : undefined;
  }
  const ctx = SECURITY_CONTEXT_KEYS.find((k) => k.key === top);
  if (ctx === undefined || job.security?.[ctx.which] === undefined || Object.prototype.hasOwnProperty.call(job.extraConfig, top)) return undefined;
  return [ctx.prop, ...below.split('.').slice(1).map(camel)].join('.');
}
