// Typed volumes and security contexts of the job pod: `[runners.kubernetes.volumes]` and the runner's
// `*_security_context` tables. Plain value types; the checks are in src/internal/validate/job-volumes.ts and the
// rendering in src/internal/render/job-volumes.ts.

/** Where an emptyDir volume keeps its files (`medium`, in the runner's and Kubernetes' spelling). */
export enum EmptyDirMedium {
  /** The node's default storage (its disk); counts against ephemeral storage. */
  DEFAULT = '',
  /** tmpfs: fast, but every byte written counts against the memory of the container that writes it. */
  MEMORY = 'Memory',
}

/** The access mode of an existing PersistentVolumeClaim, as declared on the claim. */
export enum PvcAccessMode {
  /** Mounted read-write by the pods of one node at a time. */
  READ_WRITE_ONCE = 'ReadWriteOnce',
  /** Mounted read-write by one pod at a time. */
  READ_WRITE_ONCE_POD = 'ReadWriteOncePod',
  /** Mounted read-only by many nodes. */
  READ_ONLY_MANY = 'ReadOnlyMany',
  /** Mounted read-write by many nodes. */
  READ_WRITE_MANY = 'ReadWriteMany',
}

/** Options every job volume has. */
export interface JobVolumeMountOptions {
  /** The absolute path the volume is mounted at, in every container of the job pod (build, helper, services). */
  readonly mountPath: string;

  /**
   * A path inside the volume to mount instead of its root (`sub_path`).
   *
   * @default - the volume's root
   */
  readonly subPath?: string;
}

/** Options of `JobVolume.emptyDir`. */
export interface EmptyDirJobVolumeOptions extends JobVolumeMountOptions {
  /** The volume's name in the pod: a DNS-1123 label. */
  readonly name: string;

  /**
   * Where the files live. `EmptyDirMedium.MEMORY` is a tmpfs whose contents count against the memory of the
   * container writing them.
   *
   * @default EmptyDirMedium.DEFAULT (the node's disk)
   */
  readonly medium?: EmptyDirMedium;

  /**
   * The most the volume may hold, a Kubernetes quantity (`size_limit`), e.g. `1Gi`. Give one for a memory-backed
   * volume: without it the tmpfs may grow up to the pod's memory limit.
   *
   * @default - no limit
   */
  readonly sizeLimit?: string;
}

/** Options of `JobVolume.persistentVolumeClaim`. */
export interface PvcJobVolumeOptions extends JobVolumeMountOptions {
  /** The existing claim's name; the runner also names the pod's volume after it, so it must be a DNS-1123 label. */
  readonly claimName: string;

  /**
   * Mount the claim read-only.
   *
   * @default false
   */
  readonly readOnly?: boolean;

  /**
   * The claim's access mode, as declared on the PersistentVolumeClaim (the library cannot read it). With
   * ReadWriteOnce or ReadWriteOncePod, concurrent jobs on other nodes (or any other pod) wait for the volume.
   *
   * @default - not declared: treated as ReadWriteOnce, the default of most storage classes
   */
  readonly accessMode?: PvcAccessMode;
}

/** Options of `JobVolume.secret` and `JobVolume.configMap`. */
export interface ObjectJobVolumeOptions extends JobVolumeMountOptions {
  /** The Secret's or ConfigMap's name; the runner also names the pod's volume after it (a DNS-1123 label). */
  readonly name: string;

  /**
   * Keys of the object to project, each to a relative path in the volume (`items`).
   *
   * @default - every key, each as a file named after it
   */
  readonly items?: { [key: string]: string };

  /**
   * Mount the volume read-only.
   *
   * @default false
   */
  readonly readOnly?: boolean;
}

/** Options of `JobVolume.hostPath`. */
export interface HostPathJobVolumeOptions extends JobVolumeMountOptions {
  /** The volume's name in the pod: a DNS-1123 label. */
  readonly name: string;

  /**
   * The absolute path on the node (`host_path`).
   *
   * @default - the mount path
   */
  readonly hostPath?: string;

  /**
   * Mount the volume read-only.
   *
   * @default false
   */
  readonly readOnly?: boolean;
}

/** Options of `JobVolume.csi`. */
export interface CsiJobVolumeOptions extends JobVolumeMountOptions {
  /** The volume's name in the pod: a DNS-1123 label. */
  readonly name: string;

  /** The CSI driver's name, e.g. `secrets-store.csi.k8s.io`. */
  readonly driver: string;

  /**
   * The file system type (`fs_type`).
   *
   * @default - the driver's default
   */
  readonly fsType?: string;

  /**
   * Attributes passed to the driver (`volume_attributes`).
   *
   * @default - none
   */
  readonly volumeAttributes?: { [key: string]: string };

  /**
   * Mount the volume read-only.
   *
   * @default false
   */
  readonly readOnly?: boolean;
}

/** Options of `JobVolume.nfs`. */
export interface NfsJobVolumeOptions extends JobVolumeMountOptions {
  /** The volume's name in the pod: a DNS-1123 label. */
  readonly name: string;

  /** The NFS server's host name or IP address. */
  readonly server: string;

  /** The exported path on the server. */
  readonly path: string;

  /**
   * Mount the share read-only.
   *
   * @default false
   */
  readonly readOnly?: boolean;
}

/** @internal The runner's volume kinds, in its order (`getVolumesForConfig`). */
export const JOB_VOLUME_KINDS = ['host_path', 'secret', 'pvc', 'config_map', 'empty_dir', 'csi', 'nfs'] as const;

/** @internal A `[runners.kubernetes.volumes]` kind. */
export type JobVolumeKind = typeof JOB_VOLUME_KINDS[number];

/** @internal The plain model of one typed job volume. */
export interface JobVolumeModel {
  readonly kind: JobVolumeKind;
  readonly name: string;
  readonly mountPath: string;
  readonly subPath?: string;
  readonly readOnly?: boolean;
  readonly medium?: EmptyDirMedium;
  readonly sizeLimit?: string;
  readonly accessMode?: PvcAccessMode;
  readonly items?: Record<string, string>;
  readonly hostPath?: string;
  readonly driver?: string;
  readonly fsType?: string;
  readonly volumeAttributes?: Record<string, string>;
  readonly server?: string;
  readonly path?: string;
}

/**
 * A volume of every job pod (`[runners.kubernetes.volumes]`), mounted in the build, helper and service containers.
 */
export class JobVolume {
  /** A scratch directory that lives as long as the job pod, on the node's disk or in memory. */
  public static emptyDir(options: EmptyDirJobVolumeOptions): JobVolume {
    return new JobVolume('empty_dir', options, { name: options?.name, medium: options?.medium, sizeLimit: options?.sizeLimit });
  }

  /** An existing PersistentVolumeClaim, e.g. a shared cache. */
  public static persistentVolumeClaim(options: PvcJobVolumeOptions): JobVolume {
    return new JobVolume('pvc', options, { name: options?.claimName, readOnly: options?.readOnly, accessMode: options?.accessMode });
  }

  /** The keys of a Secret of the job namespace, as files. */
  public static secret(options: ObjectJobVolumeOptions): JobVolume {
    return new JobVolume('secret', options, { name: options?.name, items: options?.items, readOnly: options?.readOnly });
  }

  /** The keys of a ConfigMap of the job namespace, as files. */
  public static configMap(options: ObjectJobVolumeOptions): JobVolume {
    return new JobVolume('config_map', options, { name: options?.name, items: options?.items, readOnly: options?.readOnly });
  }

  /** A path of the node the job pod runs on. It ties jobs to the node and bypasses the pod's isolation. */
  public static hostPath(options: HostPathJobVolumeOptions): JobVolume {
    return new JobVolume('host_path', options, { name: options?.name, hostPath: options?.hostPath, readOnly: options?.readOnly });
  }

  /** An inline (ephemeral) CSI volume, e.g. from the Secrets Store CSI driver. */
  public static csi(options: CsiJobVolumeOptions): JobVolume {
    return new JobVolume('csi', options, {
      name: options?.name, driver: options?.driver, fsType: options?.fsType, volumeAttributes: options?.volumeAttributes, readOnly: options?.readOnly,
    });
  }

  /** An NFS share (GitLab Runner 19.0 and later). */
  public static nfs(options: NfsJobVolumeOptions): JobVolume {
    return new JobVolume('nfs', options, { name: options?.name, server: options?.server, path: options?.path, readOnly: options?.readOnly });
  }

  private readonly model: JobVolumeModel;

  private constructor(kind: JobVolumeKind, mount: JobVolumeMountOptions | undefined, own: Partial<JobVolumeModel>) {
    // Checked by the JobPodTemplate that uses the volume, so an error names its construct path and field.
    const drop = (r: object) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined));
    this.model = { kind, mountPath: mount?.mountPath, subPath: mount?.subPath, ...drop(own) } as JobVolumeModel;
  }

  /** @internal */
  public _toModel(): JobVolumeModel {
    return this.model;
  }
}

/** The seccomp profile types the runner accepts (`seccomp_profile.type`, GitLab Runner 18.11 and later). */
export enum SeccompProfileType {
  /** The container runtime's default profile. */
  RUNTIME_DEFAULT = 'RuntimeDefault',
  /** A profile file on the node (`localhostProfile`). */
  LOCALHOST = 'Localhost',
  /** No seccomp filtering. */
  UNCONFINED = 'Unconfined',
}

/** A seccomp profile (`seccomp_profile`; GitLab Runner 18.11 and later). */
export interface SeccompProfile {
  /** The profile type. */
  readonly type: SeccompProfileType;

  /**
   * The profile file, relative to the kubelet's seccomp directory; only with `SeccompProfileType.LOCALHOST`.
   *
   * @default - none
   */
  readonly localhostProfile?: string;
}

/** Linux capabilities to add to and drop from a container (`capabilities`). */
export interface JobCapabilities {
  /**
   * Capabilities to add, e.g. `NET_ADMIN`.
   *
   * @default - none
   */
  readonly add?: string[];

  /**
   * Capabilities to drop, e.g. `ALL`. Replaces the runner's default drop of `NET_RAW`.
   *
   * @default - the runner drops `NET_RAW`
   */
  readonly drop?: string[];
}

/** The security context of the whole job pod (`pod_security_context`). */
export interface JobPodSecurityContext {
  /**
   * The user id every container runs as, unless it sets its own.
   *
   * @default - the images' users
   */
  readonly runAsUser?: number;

  /**
   * The primary group id of every container.
   *
   * @default - the images' groups
   */
  readonly runAsGroup?: number;

  /**
   * Refuse to start a container whose user is root.
   *
   * @default false
   */
  readonly runAsNonRoot?: boolean;

  /**
   * The group that owns the volumes and is added to every container's groups.
   *
   * @default - none
   */
  readonly fsGroup?: number;

  /**
   * Further groups of every container.
   *
   * @default - none
   */
  readonly supplementalGroups?: number[];

  /**
   * The seccomp profile of every container (GitLab Runner 18.11 and later).
   *
   * @default - the cluster's default
   */
  readonly seccompProfile?: SeccompProfile;
}

/** The security context of one job-pod container (`build_`, `helper_` or `service_container_security_context`). */
export interface JobContainerSecurityContext {
  /**
   * The user id the container runs as.
   *
   * @default - the pod's, else the image's
   */
  readonly runAsUser?: number;

  /**
   * The container's primary group id.
   *
   * @default - the pod's, else the image's
   */
  readonly runAsGroup?: number;

  /**
   * Refuse to start the container if its user is root.
   *
   * @default - the pod's
   */
  readonly runAsNonRoot?: boolean;

  /**
   * Run the container privileged: it can do anything the node's root can.
   *
   * @default false
   */
  readonly privileged?: boolean;

  /**
   * Let processes gain more privileges than their parent (setuid binaries).
   *
   * @default - Kubernetes' default (allowed)
   */
  readonly allowPrivilegeEscalation?: boolean;

  /**
   * Mount the container's root file system read-only.
   *
   * @default false
   */
  readonly readOnlyRootFilesystem?: boolean;

  /**
   * Capabilities to add and drop.
   *
   * @default - the runner drops `NET_RAW`
   */
  readonly capabilities?: JobCapabilities;

  /**
   * The container's seccomp profile (GitLab Runner 18.11 and later).
   *
   * @default - the pod's
   */
  readonly seccompProfile?: SeccompProfile;
}

/** @internal The typed security contexts of a job pod template. */
export interface JobSecurityModel {
  readonly pod?: JobPodSecurityContext;
  readonly build?: JobContainerSecurityContext;
  readonly helper?: JobContainerSecurityContext;
  readonly service?: JobContainerSecurityContext;
}

/** @internal The config.toml key of each typed security context, and the prop that sets it. */
export const SECURITY_CONTEXT_KEYS: ReadonlyArray<{ readonly which: keyof JobSecurityModel; readonly key: string; readonly prop: string }> = [
  { which: 'pod', key: 'pod_security_context', prop: 'podSecurityContext' },
  { which: 'build', key: 'build_container_security_context', prop: 'buildSecurityContext' },
  { which: 'helper', key: 'helper_container_security_context', prop: 'helperSecurityContext' },
  { which: 'service', key: 'service_container_security_context', prop: 'serviceSecurityContext' },
];
