import { INT32_MAX, show, showEscaped } from './validators';
import { VALUE_MESSAGES } from './validators.messages';
import { PvcAccessMode } from '../../model/job-volumes';
import type { Problem } from '../../model/problem';

// The wording of the checks of JobPodTemplate `volumes` and the typed security contexts (job-volumes.ts).

/** What the runner names a pod's volume after, by volume kind. */
const NAMED_AFTER: Record<string, string> = { pvc: 'the claim', secret: 'the Secret', config_map: 'the ConfigMap' };

/** Why a volume at the builds directory cannot be written: a Secret or ConfigMap volume, or `readOnly`. */
export type ReadOnlyReason = 'secret' | 'config_map' | 'readOnly';
const READ_ONLY_BECAUSE: Record<ReadOnlyReason, string> = {
  secret: 'a Secret volume is always read-only',
  config_map: 'a ConfigMap volume is always read-only',
  readOnly: 'it is mounted read-only',
};

/** The text fields of the volume kinds: what each holds and an example. */
const TEXT_FIELDS = {
  hostPath: { what: 'a path on the node', example: "'/var/cache/ci'" },
  driver: { what: 'a CSI driver name', example: "'secrets-store.csi.k8s.io'" },
  fsType: { what: 'a file system type', example: "'ext4'" },
  server: { what: 'an NFS server', example: "'nfs.example.com'" },
  path: { what: 'an exported path', example: "'/exports/ci'" },
};

/** The maps of the security contexts, by what they are. */
const MAPS = {
  pod: 'a pod security context',
  container: 'a container security context',
  capabilities: 'capabilities { add?, drop? }',
  seccomp: 'a seccomp profile { type, localhostProfile? }',
};

/** An absolute path made of a relative one, for the fixes' examples. */
const absolute = (v: string, fallback: string) => `'/${v.replace(/^\.?\/*/, '') || fallback}'`;

export const JOB_VOLUMES_MESSAGES = {
  /** The list and its items. */
  notList: (v: unknown): Problem => ({
    message: `${show(v)} is not a list of volumes.`,
    fix: 'give volumes as an array of JobVolume, e.g. [JobVolume.emptyDir({ name: \'cache\', mountPath: \'/cache\' })].',
  }),
  notVolume: (v: unknown): Problem => ({
    message: `${show(v)} is not a JobVolume.`,
    fix: 'create volumes with the JobVolume factories (JobVolume.emptyDir, .persistentVolumeClaim, .secret, .configMap, .hostPath, .csi, .nfs).',
  }),

  /** Names. */
  badName: (v: unknown, kind: string): Problem => ({
    message: `${showEscaped(v)} is not a DNS-1123 label; the runner names the pod's volume after ${NAMED_AFTER[kind] ?? 'its name'}, `
      + 'so the API server rejects every job pod.',
    fix: "use lower-case letters, digits and '-', at most 63 characters, e.g. 'cache'.",
  }),
  runnerName: (v: string): Problem => ({
    message: `the runner already adds a volume named ${show(v)} to every job pod; the API server rejects a pod with two.`,
    fix: "pick another name, e.g. 'cache'.",
  }),
  nameClash: (v: string, other: string): Problem => ({
    message: `the volume name ${show(v)} is also used by ${other}; the API server rejects a pod with two volumes of one name.`,
    fix: 'give each volume its own name.',
  }),

  /** Mount paths. */
  mountMissing: (v: unknown): Problem => ({
    message: `${showEscaped(v)} is not a mount path.`,
    fix: "give the absolute path in the containers, e.g. '/cache'.",
  }),
  mountRelative: (v: string): Problem => ({
    message: `${show(v)} is relative; the container runtime refuses a relative mount destination, so no job starts.`,
    fix: `give an absolute path, e.g. ${absolute(v, 'cache')}.`,
  }),
  mountRoot: (): Problem => ({
    message: "'/' would hide the containers' whole file system, the runner's directories included; the container cannot start.",
    fix: "mount below the root, e.g. '/cache'.",
  }),
  mountRunnerDir: (v: string): Problem => ({
    message: `${show(v)} is one of the runner's per-job directories (/scripts-<project>-<job>, /logs-<project>-<job>): `
      + 'the job with those ids gets two mounts at one path and the API server rejects its pod.',
    fix: "mount elsewhere, e.g. '/cache'.",
  }),
  mountClash: (v: string, other: string): Problem => ({
    message: `${show(v)} is also the mount path of ${other}; the API server rejects a pod with two mounts at one path.`,
    fix: 'give each volume its own mount path.',
  }),
  readOnlyBuilds: (v: string, buildsDir: string, reason: ReadOnlyReason): Problem => ({
    message: `${show(v)} covers the builds directory ${buildsDir}, and ${READ_ONLY_BECAUSE[reason]}: `
      + 'the runner cannot clone the repository, so every job fails.',
    fix: `mount the volume elsewhere, or make it writable (only a PVC, hostPath, emptyDir, CSI or NFS volume can hold ${buildsDir}).`,
  }),

  /** The fields of the volume kinds. */
  notText: (v: unknown, field: keyof typeof TEXT_FIELDS): Problem => ({
    message: `${showEscaped(v)} is not ${TEXT_FIELDS[field].what}.`,
    fix: `give ${TEXT_FIELDS[field].what}, e.g. ${TEXT_FIELDS[field].example}.`,
  }),
  notAbsolute: (v: string): Problem => ({
    message: `${show(v)} is not an absolute path; the API server rejects every job pod.`,
    fix: `give an absolute path, e.g. ${absolute(v, 'data')}.`,
  }),
  notBoolean: VALUE_MESSAGES.notBoolean,
  badMedium: (v: unknown): Problem => ({
    message: `${show(v)} is not an emptyDir medium; the API server rejects every job pod.`,
    fix: 'use EmptyDirMedium.DEFAULT or EmptyDirMedium.MEMORY.',
  }),
  badSize: (v: unknown): Problem => ({
    message: `${showEscaped(v)} is not a Kubernetes quantity; the runner logs a warning and drops the size limit, so the volume is unbounded.`,
    fix: "give a quantity such as '512Mi' or '2Gi'.",
  }),
  zeroSize: (v: string): Problem => ({
    message: `${show(v)} leaves the volume no room: the first write fails and the job with it.`,
    fix: "give a positive size such as '512Mi'.",
  }),
  badAccessMode: (v: unknown): Problem => ({
    message: `${show(v)} is not a PersistentVolumeClaim access mode.`,
    fix: `use one of ${Object.keys(PvcAccessMode).map((k) => `PvcAccessMode.${k}`).join(', ')}.`,
  }),
  badItems: (v: unknown): Problem => ({
    message: `${show(v)} is not a map of keys to relative paths.`,
    fix: "give { key: 'relative/path' }, e.g. { 'ca.crt': 'ca.crt' }.",
  }),
  badItemPath: (key: string, p: unknown): Problem => ({
    message: `${showEscaped(p)} (for key ${show(key)}) is not a relative path inside the volume; the API server rejects every job pod.`,
    fix: "give a relative path without '..', e.g. 'ca.crt'.",
  }),
  badAttributes: (v: unknown): Problem => ({ message: `${show(v)} is not a map of string values.`, fix: "give { key: 'value' }." }),

  /** The security contexts. */
  notId: (v: unknown): Problem => ({
    message: `${show(v)} is not a Kubernetes user or group id (0 to ${INT32_MAX}); the API server rejects every job pod.`,
    fix: `give a whole number from 0 to ${INT32_MAX}, e.g. 1000.`,
  }),
  notMap: (v: unknown, what: keyof typeof MAPS): Problem => ({
    message: `${show(v)} is not ${MAPS[what]}.`,
    fix: 'give an object with the documented fields.',
  }),
  badCapability: (v: unknown): Problem => ({
    message: `${showEscaped(v)} is not a Linux capability name; the container runtime refuses to create the container.`,
    fix: "give names such as 'NET_ADMIN' or 'ALL'.",
  }),
  badSeccompType: (v: unknown): Problem => ({
    message: `${show(v)} is not a seccomp profile type the runner accepts; it logs a warning and drops the profile.`,
    fix: 'use SeccompProfileType.RUNTIME_DEFAULT, LOCALHOST or UNCONFINED.',
  }),
  localhostWithoutFile: (): Problem => ({
    message: 'a Localhost seccomp profile without localhostProfile: the runner drops the profile, '
      + 'so the container runs without the intended filter.',
    fix: "give localhostProfile, the file relative to the kubelet's seccomp directory, e.g. 'profiles/ci.json'.",
  }),
  fileWithoutLocalhost: (t: string): Problem => ({
    message: `localhostProfile is only read with SeccompProfileType.LOCALHOST; with ${t} the runner ignores it.`,
    fix: 'use SeccompProfileType.LOCALHOST, or drop localhostProfile.',
  }),
  rootWithNonRoot: (which: string): Problem => ({
    message: `runAsNonRoot is true but the ${which === 'pod' ? 'pod' : `${which} container`} runs as user 0 (root): `
      + 'the kubelet refuses to start it (CreateContainerConfigError), so every job fails.',
    fix: 'give runAsUser a non-zero id, or drop runAsNonRoot.',
  }),
  dindUnprivileged: (): Problem => ({
    message: 'privileged: false on service containers, but a DindService needs them privileged: dockerd fails with "mount: permission denied".',
    fix: 'drop privileged from serviceSecurityContext (the DindService sets it), or remove the DindService.',
  }),
  bothWays: (key: string, prop: string): Problem => ({
    message: `${show(key)} is set both by ${prop} and in extraConfig; one would replace the other.`,
    fix: `set it once, with ${prop}.`,
  }),
};
