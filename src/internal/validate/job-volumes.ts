import { JOB_VOLUMES_MESSAGES as M } from './job-volumes.messages';
import type { _PropErrors } from './prop-errors';
import { INT32_MAX, isDns1123Label, isPlainMap } from './validators';
import {
  EmptyDirMedium, JobContainerSecurityContext, JobPodSecurityContext, JobVolume, JobVolumeModel, PvcAccessMode, SECURITY_CONTEXT_KEYS,
  SeccompProfile, SeccompProfileType,
} from '../../model/job-volumes';
import type { Problem } from '../../model/problem';
import { Quantity } from '../../model/quantity';

// Checks of JobPodTemplate `volumes` and the typed security contexts. Each refuses only what cannot work: the runner
// or the API server rejects it, or the setting silently does nothing. Messages are in job-volumes.messages.ts.

/** The runner's own volumes of every job pod (getVolumes): `repo` only while nothing else is mounted at /builds. */
const RUNNER_VOLUMES = ['repo', 'scripts', 'logs'];
/** The runner's builds directory (the repository is cloned below it). */
export const BUILDS_DIR = '/builds';
/** The runner's per-job directories at the root: `/scripts-<project>-<job>`, `/logs-<project>-<job>`. */
const RUNNER_JOB_DIR = /^\/(scripts|logs)-\d+-\d+(\/|$)/;
/** A relative path inside a volume (`items` targets): no leading '/', no '..' element (the API server's rule). */
const isRelativeInside = (p: string) => p !== '' && !p.startsWith('/') && !p.split('/').includes('..');

type Add = (field: string, m: Problem) => void;

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
  const add: Add = (field, m) => errors.addProblem(field, m);
  if (volumes !== undefined && !Array.isArray(volumes)) add('volumes', M.notList(volumes));
  const models: Array<{ v: JobVolumeModel; i: number }> = [];
  (Array.isArray(volumes) ? volumes : []).forEach((item: unknown, i: number) => {
    if (!(item instanceof JobVolume)) add(`volumes[${i}]`, M.notVolume(item));
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
      if (other) add(`${e.field}.mount_path`, M.mountClash(e.mountPath, other));
      mounts.set(e.mountPath, e.field);
    }
    if (typeof e.name === 'string' && isDns1123Label(e.name)) {
      const other = names.get(e.name);
      if (other && !(other.pvc && e.kind === 'pvc')) add(`${e.field}.name`, M.nameClash(e.name, other.field));
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
      if (other && !(other.pvc && v.kind === 'pvc')) add(`${at}.${nameField}`, M.nameClash(v.name, other.field));
      else if (RUNNER_VOLUMES.includes(v.name) && !(v.name === 'repo' && mountsBuilds)) add(`${at}.${nameField}`, M.runnerName(v.name));
      names.set(v.name, { field: at, pvc: v.kind === 'pvc' });
    }
    if (typeof v.mountPath === 'string' && v.mountPath.startsWith('/')) {
      const other = mounts.get(v.mountPath);
      if (other) add(`${at}.mountPath`, M.mountClash(v.mountPath, other));
      mounts.set(v.mountPath, at);
    }
  }
  return models.map(({ v }) => v);
}

function checkVolume(add: Add, at: string, v: JobVolumeModel): void {
  const nameField = v.kind === 'pvc' ? 'claimName' : 'name';
  if (typeof v.name !== 'string' || !isDns1123Label(v.name)) add(`${at}.${nameField}`, M.badName(v.name, v.kind as string));
  checkMountPath(add, at, v);
  if (v.subPath !== undefined && (typeof v.subPath !== 'string' || !isRelativeInside(v.subPath))) {
    add(`${at}.subPath`, M.badItemPath('subPath', v.subPath));
  }
  if (v.readOnly !== undefined && typeof v.readOnly !== 'boolean') add(`${at}.readOnly`, M.notBoolean(v.readOnly));
  switch (v.kind) {
    case 'empty_dir':
      if (v.medium !== undefined && !(Object.values(EmptyDirMedium) as string[]).includes(v.medium)) add(`${at}.medium`, M.badMedium(v.medium));
      if (v.sizeLimit !== undefined) {
        if (typeof v.sizeLimit !== 'string' || !Quantity.isValid(v.sizeLimit)) add(`${at}.sizeLimit`, M.badSize(v.sizeLimit));
        else if (Quantity._nanosOf(v.sizeLimit) === 0n) add(`${at}.sizeLimit`, M.zeroSize(v.sizeLimit));
      }
      break;
    case 'pvc':
      if (v.accessMode !== undefined && !(Object.values(PvcAccessMode) as string[]).includes(v.accessMode)) {
        add(`${at}.accessMode`, M.badAccessMode(v.accessMode));
      }
      break;
    case 'secret':
    case 'config_map':
      checkItems(add, `${at}.items`, v.items);
      break;
    case 'host_path':
      if (v.hostPath !== undefined) {
        if (typeof v.hostPath !== 'string' || v.hostPath === '') add(`${at}.hostPath`, M.notText(v.hostPath, 'hostPath'));
        else if (!v.hostPath.startsWith('/')) add(`${at}.hostPath`, M.notAbsolute(v.hostPath));
      }
      break;
    case 'csi':
      if (typeof v.driver !== 'string' || v.driver.trim() === '') add(`${at}.driver`, M.notText(v.driver, 'driver'));
      if (v.fsType !== undefined && (typeof v.fsType !== 'string' || v.fsType.trim() === '')) add(`${at}.fsType`, M.notText(v.fsType, 'fsType'));
      if (v.volumeAttributes !== undefined
        && !(isPlainMap(v.volumeAttributes) && Object.values(v.volumeAttributes).every((x) => typeof x === 'string'))) {
        add(`${at}.volumeAttributes`, M.badAttributes(v.volumeAttributes));
      }
      break;
    case 'nfs':
      // The runner's NFS decoder refuses the whole config.toml without server or path (KubernetesNFS.UnmarshalTOML).
      if (typeof v.server !== 'string' || v.server.trim() === '') add(`${at}.server`, M.notText(v.server, 'server'));
      if (typeof v.path !== 'string' || v.path === '') add(`${at}.path`, M.notText(v.path, 'path'));
      else if (!v.path.startsWith('/')) add(`${at}.path`, M.notAbsolute(v.path));
      break;
  }
}

/** The field names of a typed volume, and of an escape-hatch volume (config.toml spelling). */
const PROP_FIELDS = { mountPath: 'mountPath', readOnly: 'readOnly' };
const TOML_FIELDS = { mountPath: 'mount_path', readOnly: 'read_only' };

function checkMountPath(add: Add, at: string, v: JobVolumeModel, fields = PROP_FIELDS): void {
  const p: unknown = v.mountPath;
  const mount = `${at}.${fields.mountPath}`;
  if (typeof p !== 'string' || p.trim() === '') return add(mount, M.mountMissing(p));
  if (!p.startsWith('/')) return add(mount, M.mountRelative(p));
  const clean = p.replace(/\/+$/, '');
  if (clean === '') return add(mount, M.mountRoot());
  if (RUNNER_JOB_DIR.test(clean)) return add(mount, M.mountRunnerDir(p));
  if (clean === BUILDS_DIR) {
    // Secret and ConfigMap volumes are always read-only in Kubernetes.
    if (v.kind === 'secret' || v.kind === 'config_map') return add(mount, M.readOnlyBuilds(p, BUILDS_DIR, v.kind));
    if (v.readOnly === true) return add(`${at}.${fields.readOnly}`, M.readOnlyBuilds(p, BUILDS_DIR, 'readOnly'));
  }
  return undefined;
}

function checkItems(add: Add, field: string, items: unknown): void {
  if (items === undefined) return;
  if (!isPlainMap(items)) return add(field, M.badItems(items));
  for (const [key, p] of Object.entries(items as Record<string, unknown>)) {
    if (typeof p !== 'string' || !isRelativeInside(p)) add(`${field}.${key}`, M.badItemPath(key, p));
  }
}

/** Every problem of the typed security contexts, `extraConfig` (for keys set twice) and whether a DindService is there. */
export function validateSecurityContexts(
  errors: _PropErrors, props: Record<string, unknown>, extraConfig: Record<string, unknown>, dind: boolean,
): void {
  const add: Add = (field, m) => errors.addProblem(field, m);
  const pod = props.podSecurityContext as JobPodSecurityContext | undefined;
  for (const { which, key, prop } of SECURITY_CONTEXT_KEYS) {
    const ctx: unknown = props[prop];
    if (ctx === undefined) continue;
    if (!isPlainMap(ctx)) {
      add(prop, M.notMap(ctx, which === 'pod' ? 'pod' : 'container'));
      continue;
    }
    if (Object.prototype.hasOwnProperty.call(extraConfig, key) && which !== 'service') add(prop, M.bothWays(key, prop));
    const c = ctx as JobPodSecurityContext & JobContainerSecurityContext;
    for (const f of ['runAsUser', 'runAsGroup', 'fsGroup'] as const) {
      if (c[f] !== undefined && !isId(c[f])) add(`${prop}.${f}`, M.notId(c[f]));
    }
    if (c.supplementalGroups !== undefined) {
      if (!Array.isArray(c.supplementalGroups)) add(`${prop}.supplementalGroups`, M.notId(c.supplementalGroups));
      else c.supplementalGroups.forEach((g, i) => { if (!isId(g)) add(`${prop}.supplementalGroups[${i}]`, M.notId(g)); });
    }
    for (const f of ['runAsNonRoot', 'privileged', 'allowPrivilegeEscalation', 'readOnlyRootFilesystem'] as const) {
      if (c[f] !== undefined && typeof c[f] !== 'boolean') add(`${prop}.${f}`, M.notBoolean(c[f]));
    }
    checkCapabilities(add, `${prop}.capabilities`, c.capabilities);
    checkSeccomp(add, `${prop}.seccompProfile`, c.seccompProfile);
    // A container inherits runAsNonRoot and runAsUser from the pod where it sets none.
    const nonRoot = c.runAsNonRoot ?? pod?.runAsNonRoot;
    const user = c.runAsUser ?? pod?.runAsUser;
    if (nonRoot === true && user === 0) add(`${prop}.runAsUser`, M.rootWithNonRoot(which));
    if (which === 'service' && dind && c.privileged === false) add(`${prop}.privileged`, M.dindUnprivileged());
  }
}

function isId(v: unknown): boolean {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= INT32_MAX;
}

function checkCapabilities(add: Add, field: string, caps: unknown): void {
  if (caps === undefined) return;
  if (!isPlainMap(caps)) return add(field, M.notMap(caps, 'capabilities'));
  for (const f of ['add', 'drop'] as const) {
    const list: unknown = (caps as Record<string, unknown>)[f];
    if (list === undefined) continue;
    if (!Array.isArray(list)) add(`${field}.${f}`, M.badCapability(list));
    else list.forEach((cap, i) => { if (typeof cap !== 'string' || !/^[A-Za-z_]+$/.test(cap)) add(`${field}.${f}[${i}]`, M.badCapability(cap)); });
  }
}

function checkSeccomp(add: Add, field: string, profile: unknown): void {
  if (profile === undefined) return;
  if (!isPlainMap(profile)) return add(field, M.notMap(profile, 'seccomp'));
  const p = profile as SeccompProfile;
  if (!(Object.values(SeccompProfileType) as string[]).includes(p.type)) return add(`${field}.type`, M.badSeccompType(p.type));
  if (p.type === SeccompProfileType.LOCALHOST && (typeof p.localhostProfile !== 'string' || p.localhostProfile === '')) {
    return add(`${field}.localhostProfile`, M.localhostWithoutFile());
  }
  if (p.type !== SeccompProfileType.LOCALHOST && p.localhostProfile !== undefined) add(`${field}.localhostProfile`, M.fileWithoutLocalhost(p.type));
  return undefined;
}
