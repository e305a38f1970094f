import type { _PropErrors } from './prop-errors';
import { INT32_MAX, isDns1123Label, isPlainMap, show, showEscaped } from './validators';
import {
  EmptyDirMedium, JobContainerSecurityContext, JobPodSecurityContext, JobVolume, JobVolumeModel, PvcAccessMode, SECURITY_CONTEXT_KEYS,
  SeccompProfile, SeccompProfileType,
} from '../../model/job-volumes';
import { Quantity } from '../../model/quantity';

// Checks of JobPodTemplate `volumes` and the typed security contexts. Each refuses only what cannot work: the runner
// or the API server rejects it, or the setting silently does nothing. Messages are in the table below.

/** The runner's own volumes of every job pod (getVolumes): `repo` only while nothing else is mounted at /builds. */
const RUNNER_VOLUMES = ['repo', 'scripts', 'logs'];
/** The runner's builds directory (the repository is cloned below it). */
export const BUILDS_DIR = '/builds';
/** The runner's per-job directories at the root: `/scripts-<project>-<job>`, `/logs-<project>-<job>`. */
const RUNNER_JOB_DIR = /^\/(scripts|logs)-\d+-\d+(\/|$)/;
/** A relative path inside a volume (`items` targets): no leading '/', no '..' element (the API server's rule). */
const isRelativeInside = (p: string) => p !== '' && !p.startsWith('/') && !p.split('/').includes('..');

const MSG = {
  notList: (v: unknown) => ({ message: `${show(v)} is not a list of volumes.`, fix: 'give volumes as an array of JobVolume, e.g. [JobVolume.emptyDir({ name: \'cache\', mountPath: \'/cache\' })].' }),
  notVolume: (v: unknown) => ({ message: `${show(v)} is not a JobVolume.`, fix: 'create volumes with the JobVolume factories (JobVolume.emptyDir, .persistentVolumeClaim, .secret, .configMap, .hostPath, .csi, .nfs).' }),
  badName: (v: unknown, named: string) => ({
    message: `${showEscaped(v)} is not a DNS-1123 label; the runner names the pod's volume after ${named}, so the API server rejects every job pod.`,
    fix: "use lower-case letters, digits and '-', at most 63 characters, e.g. 'cache'.",
  }),
  runnerName: (v: string) => ({ message: `the runner already adds a volume named ${show(v)} to every job pod; the API server rejects a pod with two.`, fix: "pick another name, e.g. 'cache'." }),
  nameClash: (v: string, other: string) => ({ message: `the volume name ${show(v)} is also used by ${other}; the API server rejects a pod with two volumes of one name.`, fix: 'give each volume its own name.' }),
  mountMissing: (v: unknown) => ({ message: `${showEscaped(v)} is not a mount path.`, fix: "give the absolute path in the containers, e.g. '/cache'." }),
  mountRelative: (v: string) => ({ message: `${show(v)} is relative; the container runtime refuses a relative mount destination, so no job starts.`, fix: `give an absolute path, e.g. '/${v.replace(/^\.?\/*/, '') || 'cache'}'.` }),
  mountRoot: () => ({ message: "'/' would hide the containers' whole file system, the runner's directories included; the container cannot start.", fix: "mount below the root, e.g. '/cache'." }),
  mountRunnerDir: (v: string) => ({
    message: `${show(v)} is one of the runner's per-job directories (/scripts-<project>-<job>, /logs-<project>-<job>): the job with those ids gets two mounts at one path and the API server rejects its pod.`,
    fix: "mount elsewhere, e.g. '/cache'.",
  }),
  mountClash: (v: string, other: string) => ({ message: `${show(v)} is also the mount path of ${other}; the API server rejects a pod with two mounts at one path.`, fix: 'give each volume its own mount path.' }),
  readOnlyBuilds: (v: string, why: string) => ({
    message: `${show(v)} covers the builds directory ${BUILDS_DIR}, and ${why}: the runner cannot clone the repository, so every job fails.`,
    fix: `mount the volume elsewhere, or make it writable (only a PVC, hostPath, emptyDir, CSI or NFS volume can hold ${BUILDS_DIR}).`,
  }),
  notText: (v: unknown, what: string, example: string) => ({ message: `${showEscaped(v)} is not ${what}.`, fix: `give ${what}, e.g. ${example}.` }),
  notAbsolute: (v: string, what: string) => ({ message: `${show(v)} is not an absolute path; the API server rejects ${what}.`, fix: `give an absolute path, e.g. '/${v.replace(/^\.?\/*/, '') || 'data'}'.` }),
  notBoolean: (v: unknown) => ({ message: `${show(v)} is not true or false.`, fix: 'give a boolean.' }),
  badMedium: (v: unknown) => ({ message: `${show(v)} is not an emptyDir medium; the API server rejects every job pod.`, fix: 'use EmptyDirMedium.DEFAULT or EmptyDirMedium.MEMORY.' }),
  badSize: (v: unknown) => ({
    message: `${showEscaped(v)} is not a Kubernetes quantity; the runner logs a warning and drops the size limit, so the volume is unbounded.`,
    fix: "give a quantity such as '512Mi' or '2Gi'.",
  }),
  zeroSize: (v: string) => ({ message: `${show(v)} leaves the volume no room: the first write fails and the job with it.`, fix: "give a positive size such as '512Mi'." }),
  badAccessMode: (v: unknown) => ({ message: `${show(v)} is not a PersistentVolumeClaim access mode.`, fix: `use one of ${Object.keys(PvcAccessMode).map((k) => `PvcAccessMode.${k}`).join(', ')}.` }),
  badItems: (v: unknown) => ({ message: `${show(v)} is not a map of keys to relative paths.`, fix: "give { key: 'relative/path' }, e.g. { 'ca.crt': 'ca.crt' }." }),
  badItemPath: (key: string, p: unknown) => ({
    message: `${showEscaped(p)} (for key ${show(key)}) is not a relative path inside the volume; the API server rejects every job pod.`,
    fix: "give a relative path without '..', e.g. 'ca.crt'.",
  }),
  badAttributes: (v: unknown) => ({ message: `${show(v)} is not a map of string values.`, fix: "give { key: 'value' }." }),
  notId: (v: unknown) => ({ message: `${show(v)} is not a Kubernetes user or group id (0 to ${INT32_MAX}); the API server rejects every job pod.`, fix: `give a whole number from 0 to ${INT32_MAX}, e.g. 1000.` }),
  notMap: (v: unknown, what: string) => ({ message: `${show(v)} is not ${what}.`, fix: 'give an object with the documented fields.' }),
  badCapability: (v: unknown) => ({ message: `${showEscaped(v)} is not a Linux capability name; the container runtime refuses to create the container.`, fix: "give names such as 'NET_ADMIN' or 'ALL'." }),
  badSeccompType: (v: unknown) => ({
    message: `${show(v)} is not a seccomp profile type the runner accepts; it logs a warning and drops the profile.`,
    fix: 'use SeccompProfileType.RUNTIME_DEFAULT, LOCALHOST or UNCONFINED.',
  }),
  localhostWithoutFile: () => ({ message: 'a Localhost seccomp profile without localhostProfile: the runner drops the profile, so the container runs without the intended filter.', fix: "give localhostProfile, the file relative to the kubelet's seccomp directory, e.g. 'profiles/ci.json'." }),
  fileWithoutLocalhost: (t: string) => ({ message: `localhostProfile is only read with SeccompProfileType.LOCALHOST; with ${t} the runner ignores it.`, fix: 'use SeccompProfileType.LOCALHOST, or drop localhostProfile.' }),
  rootWithNonRoot: (where: string) => ({
    message: `runAsNonRoot is true but the ${where} runs as user 0 (root): the kubelet refuses to start it (CreateContainerConfigError), so every job fails.`,
    fix: 'give runAsUser a non-zero id, or drop runAsNonRoot.',
  }),
  dindUnprivileged: () => ({
    message: 'privileged: false on service containers, but a DindService needs them privileged: dockerd fails with "mount: permission denied".',
    fix: 'drop privileged from serviceSecurityContext (the DindService sets it), or remove the DindService.',
  }),
  bothWays: (key: string, prop: string) => ({ message: `${show(key)} is set both by ${prop} and in extraConfig; one would replace the other.`, fix: `set it once, with ${prop}.` }),
};

type Add = (field: string, m: { message: string; fix: string }) => void;

/** What else occupies volume names and mount paths in the job pod. */
export interface VolumeNeighbours {
  /** The escape hatch's volumes: name and mount path, with their field. */
  readonly extra: Array<{
    readonly field: string; readonly kind: string; readonly name?: unknown; readonly mountPath?: unknown; readonly readOnly?: unknown;
  }>;
  /** Construct-owned volumes (the DinD certificates), with the construct that adds them. */
  readonly owned: Array<{ readonly owner: string; readonly name: string; readonly mountPath: string }>;
}

/** Every problem of JobPodTemplate `volumes`; returns the models of the valid JobVolume objects. */
export function validateJobVolumes(errors: _PropErrors, volumes: unknown, neighbours: VolumeNeighbours): JobVolumeModel[] {
  const add: Add = (field, m) => errors.add(field, m.message, m.fix);
  if (volumes !== undefined && !Array.isArray(volumes)) add('volumes', MSG.notList(volumes));
  const models: Array<{ v: JobVolumeModel; i: number }> = [];
  (Array.isArray(volumes) ? volumes : []).forEach((item: unknown, i: number) => {
    if (!(item instanceof JobVolume)) add(`volumes[${i}]`, MSG.notVolume(item));
    else models.push({ v: item._toModel(), i });
  });
  const mountsBuilds = models.some(({ v }) => v.mountPath === BUILDS_DIR)
    || neighbours.extra.some((e) => e.mountPath === BUILDS_DIR);
  const names = new Map<string, { field: string; pvc: boolean }>();
  const mounts = new Map<string, string>();
  // The escape hatch's volumes get the same checks (their missing names and paths are reported by JobPodTemplate).
  for (const e of neighbours.extra) {
    if (typeof e.mountPath === 'string' && e.mountPath !== '') {
      checkMountPath(add, e.field, { kind: e.kind, mountPath: e.mountPath, readOnly: e.readOnly } as JobVolumeModel, TOML_FIELDS);
      const other = mounts.get(e.mountPath);
      if (other) add(`${e.field}.mount_path`, MSG.mountClash(e.mountPath, other));
      mounts.set(e.mountPath, e.field);
    }
    if (typeof e.name === 'string' && isDns1123Label(e.name)) {
      const other = names.get(e.name);
      if (other && !(other.pvc && e.kind === 'pvc')) add(`${e.field}.name`, MSG.nameClash(e.name, other.field));
      names.set(e.name, { field: e.field, pvc: e.kind === 'pvc' });
    }
  }
  for (const o of neighbours.owned) {
    names.set(o.name, { field: `${o.owner} (its ${o.name} volume)`, pvc: false });
    mounts.set(o.mountPath, `${o.owner} (its ${o.name} volume)`);
  }
  for (const { v, i } of models) {
    const at = `volumes[${i}]`;
    checkVolume(add, at, v);
    const nameField = v.kind === 'pvc' ? 'claimName' : 'name';
    if (typeof v.name === 'string' && isDns1123Label(v.name)) {
      const other = names.get(v.name);
      // The runner adds one volume per claim name (getVolumesForPVCs), so a claim may be mounted twice.
      if (other && !(other.pvc && v.kind === 'pvc')) add(`${at}.${nameField}`, MSG.nameClash(v.name, other.field));
      else if (RUNNER_VOLUMES.includes(v.name) && !(v.name === 'repo' && mountsBuilds)) add(`${at}.${nameField}`, MSG.runnerName(v.name));
      names.set(v.name, { field: at, pvc: v.kind === 'pvc' });
    }
    if (typeof v.mountPath === 'string' && v.mountPath.startsWith('/')) {
      const other = mounts.get(v.mountPath);
      if (other) add(`${at}.mountPath`, MSG.mountClash(v.mountPath, other));
      mounts.set(v.mountPath, at);
    }
  }
  return models.map(({ v }) => v);
}

function checkVolume(add: Add, at: string, v: JobVolumeModel): void {
  const nameField = v.kind === 'pvc' ? 'claimName' : 'name';
  const named = { pvc: 'the claim', secret: 'the Secret', config_map: 'the ConfigMap' }[v.kind as string] ?? 'its name';
  if (typeof v.name !== 'string' || !isDns1123Label(v.name)) add(`${at}.${nameField}`, MSG.badName(v.name, named));
  checkMountPath(add, at, v);
  if (v.subPath !== undefined && (typeof v.subPath !== 'string' || !isRelativeInside(v.subPath))) add(`${at}.subPath`, MSG.badItemPath('subPath', v.subPath));
  if (v.readOnly !== undefined && typeof v.readOnly !== 'boolean') add(`${at}.readOnly`, MSG.notBoolean(v.readOnly));
  switch (v.kind) {
    case 'empty_dir':
      if (v.medium !== undefined && !(Object.values(EmptyDirMedium) as string[]).includes(v.medium)) add(`${at}.medium`, MSG.badMedium(v.medium));
      if (v.sizeLimit !== undefined) {
        if (typeof v.sizeLimit !== 'string' || !Quantity.isValid(v.sizeLimit)) add(`${at}.sizeLimit`, MSG.badSize(v.sizeLimit));
        else if (Quantity._nanosOf(v.sizeLimit) === 0n) add(`${at}.sizeLimit`, MSG.zeroSize(v.sizeLimit));
      }
      break;
    case 'pvc':
      if (v.accessMode !== undefined && !(Object.values(PvcAccessMode) as string[]).includes(v.accessMode)) add(`${at}.accessMode`, MSG.badAccessMode(v.accessMode));
      break;
    case 'secret':
    case 'config_map':
      checkItems(add, `${at}.items`, v.items);
      break;
    case 'host_path':
      if (v.hostPath !== undefined) {
        if (typeof v.hostPath !== 'string' || v.hostPath === '') add(`${at}.hostPath`, MSG.notText(v.hostPath, 'a path on the node', "'/var/cache/ci'"));
        else if (!v.hostPath.startsWith('/')) add(`${at}.hostPath`, MSG.notAbsolute(v.hostPath, 'every job pod'));
      }
      break;
    case 'csi':
      if (typeof v.driver !== 'string' || v.driver.trim() === '') add(`${at}.driver`, MSG.notText(v.driver, 'a CSI driver name', "'secrets-store.csi.k8s.io'"));
      if (v.fsType !== undefined && (typeof v.fsType !== 'string' || v.fsType.trim() === '')) add(`${at}.fsType`, MSG.notText(v.fsType, 'a file system type', "'ext4'"));
      if (v.volumeAttributes !== undefined && !(isPlainMap(v.volumeAttributes) && Object.values(v.volumeAttributes).every((x) => typeof x === 'string'))) {
        add(`${at}.volumeAttributes`, MSG.badAttributes(v.volumeAttributes));
      }
      break;
    case 'nfs':
      // The runner's NFS decoder refuses the whole config.toml without server or path (KubernetesNFS.UnmarshalTOML).
      if (typeof v.server !== 'string' || v.server.trim() === '') add(`${at}.server`, MSG.notText(v.server, 'an NFS server', "'nfs.example.com'"));
      if (typeof v.path !== 'string' || v.path === '') add(`${at}.path`, MSG.notText(v.path, 'an exported path', "'/exports/ci'"));
      else if (!v.path.startsWith('/')) add(`${at}.path`, MSG.notAbsolute(v.path, 'every job pod'));
      break;
  }
}

/** The field names of a typed volume, and of an escape-hatch volume (config.toml spelling). */
const PROP_FIELDS = { mountPath: 'mountPath', readOnly: 'readOnly' };
const TOML_FIELDS = { mountPath: 'mount_path', readOnly: 'read_only' };

function checkMountPath(add: Add, at: string, v: JobVolumeModel, fields = PROP_FIELDS): void {
  const p: unknown = v.mountPath;
  const mount = `${at}.${fields.mountPath}`;
  if (typeof p !== 'string' || p.trim() === '') return add(mount, MSG.mountMissing(p));
  if (!p.startsWith('/')) return add(mount, MSG.mountRelative(p));
  const clean = p.replace(/\/+$/, '');
  if (clean === '') return add(mount, MSG.mountRoot());
  if (RUNNER_JOB_DIR.test(clean)) return add(mount, MSG.mountRunnerDir(p));
  if (clean === BUILDS_DIR) {
    // Secret and ConfigMap volumes are always read-only in Kubernetes.
    if (v.kind === 'secret' || v.kind === 'config_map') return add(mount, MSG.readOnlyBuilds(p, `a ${v.kind === 'secret' ? 'Secret' : 'ConfigMap'} volume is always read-only`));
    if (v.readOnly === true) return add(`${at}.${fields.readOnly}`, MSG.readOnlyBuilds(p, 'it is mounted read-only'));
  }
  return undefined;
}

function checkItems(add: Add, field: string, items: unknown): void {
  if (items === undefined) return;
  if (!isPlainMap(items)) return add(field, MSG.badItems(items));
  for (const [key, p] of Object.entries(items as Record<string, unknown>)) {
    if (typeof p !== 'string' || !isRelativeInside(p)) add(`${field}.${key}`, MSG.badItemPath(key, p));
  }
}

/** Every problem of the typed security contexts, `extraConfig` (for keys set twice) and whether a DindService is there. */
export function validateSecurityContexts(
  errors: _PropErrors, props: Record<string, unknown>, extraConfig: Record<string, unknown>, dind: boolean,
): void {
  const add: Add = (field, m) => errors.add(field, m.message, m.fix);
  const pod = props.podSecurityContext as JobPodSecurityContext | undefined;
  for (const { which, key, prop } of SECURITY_CONTEXT_KEYS) {
    const ctx: unknown = props[prop];
    if (ctx === undefined) continue;
    if (!isPlainMap(ctx)) {
      add(prop, MSG.notMap(ctx, which === 'pod' ? 'a pod security context' : 'a container security context'));
      continue;
    }
    if (Object.prototype.hasOwnProperty.call(extraConfig, key) && which !== 'service') add(prop, MSG.bothWays(key, prop));
    const c = ctx as JobPodSecurityContext & JobContainerSecurityContext;
    for (const f of ['runAsUser', 'runAsGroup', 'fsGroup'] as const) {
      if (c[f] !== undefined && !isId(c[f])) add(`${prop}.${f}`, MSG.notId(c[f]));
    }
    if (c.supplementalGroups !== undefined) {
      if (!Array.isArray(c.supplementalGroups)) add(`${prop}.supplementalGroups`, MSG.notId(c.supplementalGroups));
      else c.supplementalGroups.forEach((g, i) => { if (!isId(g)) add(`${prop}.supplementalGroups[${i}]`, MSG.notId(g)); });
    }
    for (const f of ['runAsNonRoot', 'privileged', 'allowPrivilegeEscalation', 'readOnlyRootFilesystem'] as const) {
      if (c[f] !== undefined && typeof c[f] !== 'boolean') add(`${prop}.${f}`, MSG.notBoolean(c[f]));
    }
    checkCapabilities(add, `${prop}.capabilities`, c.capabilities);
    checkSeccomp(add, `${prop}.seccompProfile`, c.seccompProfile);
    // A container inherits runAsNonRoot and runAsUser from the pod where it sets none.
    const nonRoot = c.runAsNonRoot ?? pod?.runAsNonRoot;
    const user = c.runAsUser ?? pod?.runAsUser;
    if (nonRoot === true && user === 0) add(`${prop}.runAsUser`, MSG.rootWithNonRoot(which === 'pod' ? 'pod' : `${which} container`));
    if (which === 'service' && dind && c.privileged === false) add(`${prop}.privileged`, MSG.dindUnprivileged());
  }
}

function isId(v: unknown): boolean {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= INT32_MAX;
}

function checkCapabilities(add: Add, field: string, caps: unknown): void {
  if (caps === undefined) return;
  if (!isPlainMap(caps)) return add(field, MSG.notMap(caps, 'capabilities { add?, drop? }'));
  for (const f of ['add', 'drop'] as const) {
    const list: unknown = (caps as Record<string, unknown>)[f];
    if (list === undefined) continue;
    if (!Array.isArray(list)) add(`${field}.${f}`, MSG.badCapability(list));
    else list.forEach((cap, i) => { if (typeof cap !== 'string' || !/^[A-Za-z_]+$/.test(cap)) add(`${field}.${f}[${i}]`, MSG.badCapability(cap)); });
  }
}

function checkSeccomp(add: Add, field: string, profile: unknown): void {
  if (profile === undefined) return;
  if (!isPlainMap(profile)) return add(field, MSG.notMap(profile, 'a seccomp profile { type, localhostProfile? }'));
  const p = profile as SeccompProfile;
  if (!(Object.values(SeccompProfileType) as string[]).includes(p.type)) return add(`${field}.type`, MSG.badSeccompType(p.type));
  if (p.type === SeccompProfileType.LOCALHOST && (typeof p.localhostProfile !== 'string' || p.localhostProfile === '')) return add(`${field}.localhostProfile`, MSG.localhostWithoutFile());
  if (p.type !== SeccompProfileType.LOCALHOST && p.localhostProfile !== undefined) add(`${field}.localhostProfile`, MSG.fileWithoutLocalhost(p.type));
  return undefined;
}
