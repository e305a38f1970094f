import { kubernetesTable } from './config-toml';
import { kubeAffinity, kubePodResources } from './job-scheduling';
import { extraVolumeSource, seccompProfile } from './job-volumes';
import { ownCopy } from './memo';
import { byCodeUnit, compact, nonEmptyList, nonEmptyRecord, toYamlOfList } from './records';
import { serviceContainerNames, serviceHostnames } from './service-names';
import type { JobPodModel } from '../../model/job-pod';
import { JOB_VOLUME_KINDS } from '../../model/job-volumes';

// The pod the Kubernetes executor creates for a job, rebuilt from the [runners.kubernetes] table this library writes
// (so the preview shows what the runner reads, not what the props meant): preparePodConfig, buildContainer,
// buildPermissionsInitContainer, getVolumes, createServicesHostAlias in executors/kubernetes (gitlab-runner-facts §3).
// Default execution mode: attach (FF_USE_LEGACY_KUBERNETES_EXECUTION_STRATEGY off), FF_CONCRETE off.

/**
 * The preview pod's name. The runner names job pods `runner-<short token>-project-<project id>-concurrent-<slot>-<random>`;
 * the preview uses project 0 and slot 0 and no random suffix: a placeholder, never a real pod.
 */
export const PREVIEW_POD_NAME = 'runner-preview-project-0-concurrent-0';
/** Placeholder project and job ids of the preview; the runner uses the real ones in the scripts and logs paths. */
const PREVIEW_PROJECT_ID = 0;
const PREVIEW_JOB_ID = 0;
const BUILDS_DIR = '/builds';
/** The build image of a job that names none and a template without `image` (the job fails in reality). */
export const JOB_IMAGE_PLACEHOLDER = '<the image: of the job>';
const DEFAULT_HELPER_REPOSITORY = 'registry.gitlab.com/gitlab-org/gitlab-runner/gitlab-runner-helper';
/** The capability the runner drops from every Linux container unless told otherwise (gitlab-runner#26833). */
export const DEFAULT_CAP_DROP = 'NET_RAW';

const KUBE_DNS_POLICY: Record<string, string> = {
  'none': 'None', 'default': 'Default', 'cluster-first': 'ClusterFirst', 'cluster-first-with-host-net': 'ClusterFirstWithHostNet',
};
const KUBE_PULL_POLICY: Record<string, string> = { 'always': 'Always', 'never': 'Never', 'if-not-present': 'IfNotPresent' };
/** Helper image tags name architectures the way `uname -m` does. */
const HELPER_ARCH: Record<string, string> = { amd64: 'x86_64', arm64: 'arm64', arm: 'arm', s390x: 's390x', ppc64le: 'ppc64le', riscv64: 'riscv64' };

/** `[runners.kubernetes]` keys this preview renders, or that do not change the pod's shape. */
const RENDERED = new Set([
  'namespace', 'image', 'helper_image', 'pull_policy', 'service_account', 'dns_policy', 'dns_config', 'node_selector',
  'node_tolerations', 'pod_labels', 'pod_annotations', 'privileged', 'allow_privilege_escalation', 'cap_add', 'cap_drop',
  'build_container_security_context', 'helper_container_security_context', 'service_container_security_context',
  'init_permissions_container_security_context', 'pod_security_context', 'volumes', 'services', 'host_aliases',
  'scheduler_name', 'runtime_class_name', 'priority_class_name', 'pod_termination_grace_period_seconds',
  'automount_service_account_token', 'image_pull_secrets', 'logs_base_dir', 'scripts_base_dir',
  // No effect on the pod object: they steer the runner's polling, retries, job overrides and API access.
  'allowed_pull_policies', 'allowed_images', 'allowed_services', 'allowed_users', 'allowed_groups', 'poll_interval',
  'poll_timeout', 'retry_limit', 'retry_backoff_max', 'retry_limits', 'cleanup_grace_period_seconds',
  'cleanup_resources_timeout', 'resource_availability_check_max_attempts', 'print_pod_warning_events', 'host',
  'context', 'cert_file', 'key_file', 'ca_file', 'bearer_token', 'bearer_token_overwrite_allowed',
  'namespace_overwrite_allowed', 'service_account_overwrite_allowed', 'pod_labels_overwrite_allowed',
  'pod_annotations_overwrite_allowed', 'node_selector_overwrite_allowed', 'node_tolerations_overwrite_allowed',
  'use_service_account_image_pull_secrets', 'affinity', 'pod_cpu_request', 'pod_cpu_limit', 'pod_memory_request', 'pod_memory_limit',
  'pod_cpu_request_overwrite_max_allowed', 'pod_cpu_limit_overwrite_max_allowed', 'pod_memory_request_overwrite_max_allowed',
  'pod_memory_limit_overwrite_max_allowed',
]);
/** Affinity kinds the preview renders (pod affinity and anti-affinity are listed as not previewed). */
const AFFINITY_KINDS = ['node_affinity'];
const RESOURCE_KEY = /^(helper_|service_)?(cpu|memory|ephemeral_storage)_(request|limit)(_overwrite_max_allowed)?$/;
/** Volume kinds the preview renders, in the runner's order (getVolumesForConfig). */
const VOLUME_KINDS = JOB_VOLUME_KINDS;

/** Inputs of the preview beyond the job pod template. */
export interface JobPodPreviewOptions {
  /** The build environment the runner adds to every job (`[[runners]] environment`). */
  readonly environment?: Record<string, string>;
  /** The manager's image, whose version the default helper image follows. */
  readonly runnerImage?: string;
}

/** The review file's name in dist/. */
export const JOB_POD_PREVIEW_FILE = 'job-pod-preview.yaml';

/** One pod of the review file: a template, and the manager whose jobs use it (if any). */
export interface PreviewEntry extends JobPodPreviewOptions {
  readonly runnerManager?: string;
  readonly jobPodTemplate: string;
  readonly job: JobPodModel;
}

const PREVIEW_HEADER = `# Job pod preview: a REVIEW FILE, NOT A MANIFEST. Do not apply it. Its top level is a list of previews, not a
# Kubernetes object, so kubectl rejects it rather than starting a pod.
#
# GitLab Runner creates one pod like these for every job. cdk8s-gitlab-runner rebuilt them from the config.toml it
# wrote, the way the Kubernetes executor builds a job pod (default feature flags), so a review shows the containers,
# init containers, host aliases, DNS, volumes and security contexts before a job ever runs.
#
# Placeholders: the pod name ${PREVIEW_POD_NAME} (project 0, slot 0, no random suffix),
# the scripts and logs paths (project 0, job 0) and the build image of jobs that name none. For each job the runner
# also adds the job's CI variables to the build and service containers, its runner.gitlab.com labels and annotations,
# activeDeadlineSeconds and an image pull Secret for the job's registry credentials; a job's own services: join the
# service containers.
#
# One entry per RunnerManager and the JobPodTemplate it uses; a template no manager uses appears once, without a
# manager's environment. notPreviewed lists config.toml keys of the template this preview does not draw.
`;

/** The review file: a header and one entry per template and manager, in construct order. */
export function renderPreviewFile(entries: PreviewEntry[]): string {
  // Each preview is built and written in turn: a big fleet's previews are never all held as objects at once.
  return PREVIEW_HEADER + toYamlOfList('jobPodPreviews', entries.length, (i) => preview(entries[i]));
}

function preview(e: PreviewEntry): Obj {
  const notPreviewed = keysNotPreviewed(e.job);
  return {
    ...(e.runnerManager !== undefined ? { runnerManager: e.runnerManager } : {}),
    jobPodTemplate: e.jobPodTemplate,
    ...(notPreviewed.length ? { notPreviewed } : {}),
    // toYamlOfList writes a copy: the pod needs none of its own.
    pod: jobPod(e.job, e),
  };
}

type Table = Record<string, any>;
type Obj = Record<string, unknown>;

/**
 * The job pod as the Kubernetes executor would create it from this template (default feature flags): the caller's own
 * copy (it is built from the shared config.toml table).
 */
export function renderJobPod(job: JobPodModel, options: JobPodPreviewOptions = {}): Obj {
  return ownCopy(jobPod(job, options));
}

function jobPod(job: JobPodModel, options: JobPodPreviewOptions): Obj {
  const table: Table = kubernetesTable(job);
  const environment = Object.entries(options.environment ?? {}).sort(([a], [b]) => byCodeUnit(a, b))
    .map(([name, value]) => ({ name, value }));
  const mounts = volumeMounts(table);
  const pullPolicy = KUBE_PULL_POLICY[(table.pull_policy ?? [])[0]];
  const helperImage = table.helper_image ?? defaultHelperImage(table, options.runnerImage);
  const container = (name: string, image: string, resourcePrefix: string, securityKey: string, extra: Obj = {}) => compact({
    name,
    image,
    imagePullPolicy: pullPolicy,
    ...extra,
    resources: resources(table, resourcePrefix),
    securityContext: securityContext(table, securityKey),
    volumeMounts: mounts.map((m) => ({ ...m })),
  });

  const services: Table[] = table.services ?? [];
  const names = serviceContainerNames(services.map((s) => s.alias));
  const serviceContainers = services.map((s, i) => container(names[i], s.name, 'service_', 'service_container_security_context', {
    command: s.entrypoint,
    args: s.command,
    env: nonEmptyList([...environment, ...(s.environment ?? []).map(envVar)]),
    stdin: true,
  })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: compact({
      name: PREVIEW_POD_NAME,
      namespace: table.namespace,
      labels: table.pod_labels,
      annotations: table.pod_annotations,
    }),
    spec: compact({
      volumes: volumes(table),
      initContainers: [container('init-permissions', helperImage, 'helper_', 'init_permissions_container_security_context', {
        command: ['sh', '-c', `touch ${logsDir(table)}/output.log && (chmod 777 ${logsDir(table)}/output.log || exit 0)`],
      })],
      containers: [
        container('build', table.image ?? JOB_IMAGE_PLACEHOLDER, '', 'build_container_security_context', {
          env: nonEmptyList(environment), stdin: true,
        }),
        container('helper', helperImage, 'helper_', 'helper_container_security_context', { stdin: true }),
        ...serviceContainers,
      ],
      restartPolicy: 'Never',
      schedulerName: table.scheduler_name,
      serviceAccountName: table.service_account,
      automountServiceAccountToken: table.automount_service_account_token,
      nodeSelector: table.node_selector,
      tolerations: tolerations(table.node_tolerations),
      terminationGracePeriodSeconds: table.pod_termination_grace_period_seconds,
      // use_service_account_image_pull_secrets makes the runner send no image_pull_secrets at all (prepareImagePullSecrets).
      imagePullSecrets: table.use_service_account_image_pull_secrets === true
        ? undefined : nonEmptyList((table.image_pull_secrets ?? []).map((name: string) => ({ name }))),
      securityContext: podSecurityContext(table.pod_security_context),
      hostAliases: hostAliases(services, names, table.host_aliases),
      // An unset policy is sent as ClusterFirst; an unknown one as "" (the API server then defaults it).
      dnsPolicy: table.dns_policy === undefined ? 'ClusterFirst' : KUBE_DNS_POLICY[table.dns_policy],
      dnsConfig: table.dns_config,
      runtimeClassName: table.runtime_class_name,
      priorityClassName: table.priority_class_name,
      affinity: kubeAffinity(table.affinity),
      resources: kubePodResources(table),
    }),
  };
}

/** `[runners.kubernetes]` keys set for this template that the preview does not show. */
export function keysNotPreviewed(job: JobPodModel): string[] {
  const table: Table = kubernetesTable(job);
  const otherVolumes = Object.keys(table.volumes ?? {}).filter((k) => !(VOLUME_KINDS as readonly string[]).includes(k)).map((k) => `volumes.${k}`);
  const otherAffinities = Object.keys(table.affinity ?? {}).filter((k) => !AFFINITY_KINDS.includes(k)).map((k) => `affinity.${k}`);
  return [...Object.keys(table).filter((k) => !RENDERED.has(k) && !RESOURCE_KEY.test(k)), ...otherVolumes, ...otherAffinities].sort();
}

function defaultHelperImage(table: Table, runnerImage: string | undefined): string {
  // Without helper_image the runner takes the architecture from node_selector, else amd64 (not the nodes').
  const arch = table.node_selector?.['kubernetes.io/arch'] ?? 'amd64';
  const version = /(v\d+\.\d+\.\d+)/.exec(runnerImage ?? '')?.[1] ?? 'v<runner version>';
  return `${DEFAULT_HELPER_REPOSITORY}:${HELPER_ARCH[arch] ?? arch}-${version}`;
}

function baseDir(table: Table, key: string, name: string): string {
  const configured = typeof table[key] === 'string' ? table[key].replace(/[/\\]+$/, '') : '';
  return `${configured}/${name}-${PREVIEW_PROJECT_ID}-${PREVIEW_JOB_ID}`;
}

function logsDir(table: Table): string {
  return baseDir(table, 'logs_base_dir', 'logs');
}

function configVolumes(table: Table): Array<{ kind: typeof VOLUME_KINDS[number]; spec: Table }> {
  return VOLUME_KINDS.flatMap((kind) => ((table.volumes?.[kind] ?? []) as Table[]).map((spec) => ({ kind, spec })));
}

function volumeMounts(table: Table): Obj[] {
  const configured = configVolumes(table).map(({ kind, spec }) => compact({
    name: spec.name,
    mountPath: spec.mount_path,
    subPath: spec.sub_path,
    readOnly: kind === 'empty_dir' ? undefined : spec.read_only,
    mountPropagation: spec.mount_propagation,
  }));
  const buildsMounted = configured.some((m) => m.mountPath === BUILDS_DIR);
  return [
    { name: 'scripts', mountPath: baseDir(table, 'scripts_base_dir', 'scripts') },
    { name: 'logs', mountPath: logsDir(table) },
    ...configured,
    ...(buildsMounted ? [] : [{ name: 'repo', mountPath: BUILDS_DIR }]),
  ];
}

function volumes(table: Table): Obj[] {
  // The runner adds one volume per claim name (getVolumesForPVCs), however often the claim is mounted.
  const claims = new Set<string>();
  const once = ({ kind, spec }: { kind: string; spec: Table }): boolean => {
    if (kind !== 'pvc') return true;
    if (claims.has(spec.name)) return false;
    claims.add(spec.name);
    return true;
  };
  const configured = configVolumes(table).filter(once).map(({ kind, spec }) => ({ name: spec.name, ...volumeSource(kind, spec) }));
  const buildsMounted = configVolumes(table).some(({ spec }) => spec.mount_path === BUILDS_DIR);
  return [
    ...configured,
    ...(buildsMounted ? [] : [{ name: 'repo', emptyDir: {} }]),
    { name: 'scripts', emptyDir: {} },
    { name: 'logs', emptyDir: {} },
  ];
}

function volumeSource(kind: typeof VOLUME_KINDS[number], spec: Table): Obj {
  const items = (map: Record<string, string> | undefined) => nonEmptyList(Object.entries(map ?? {}).sort().map(([key, path]) => ({ key, path })));
  switch (kind) {
    case 'host_path': return { hostPath: { path: spec.host_path || spec.mount_path } };
    case 'secret': return { secret: compact({ secretName: spec.name, items: items(spec.items) }) };
    case 'pvc': return { persistentVolumeClaim: { claimName: spec.name } };
    case 'config_map': return { configMap: compact({ name: spec.name, items: items(spec.items) }) };
    case 'empty_dir': return { emptyDir: compact({ medium: spec.medium || undefined, sizeLimit: spec.size_limit }) };
    default: return extraVolumeSource(kind, spec);
  }
}

function resources(table: Table, prefix: string): Obj | undefined {
  const pick = (kind: 'request' | 'limit') => nonEmptyRecord(compact({
    'cpu': table[`${prefix}cpu_${kind}`],
    'memory': table[`${prefix}memory_${kind}`],
    'ephemeral-storage': table[`${prefix}ephemeral_storage_${kind}`],
  }));
  return nonEmptyRecord(compact({ requests: pick('request'), limits: pick('limit') }));
}

/** GetContainerSecurityContext: per-container values win over the pod-wide ones; NET_RAW is dropped by default. */
function securityContext(table: Table, key: string): Obj | undefined {
  const own: Table = table[key] ?? {};
  const enabled = new Map<string, boolean>([[DEFAULT_CAP_DROP, false]]);
  for (const cap of table.cap_add ?? []) enabled.set(cap, true);
  for (const cap of table.cap_drop ?? []) enabled.set(cap, false);
  const byKind = (add: boolean) => [...enabled].filter(([, v]) => v === add).map(([cap]) => cap).sort();
  const capabilities = nonEmptyRecord(compact({
    add: own.capabilities?.add ?? nonEmptyList(byKind(true)),
    drop: own.capabilities?.drop ?? nonEmptyList(byKind(false)),
  }));
  return nonEmptyRecord(compact({
    capabilities,
    privileged: own.privileged ?? table.privileged,
    allowPrivilegeEscalation: own.allow_privilege_escalation ?? table.allow_privilege_escalation,
    runAsGroup: own.run_as_group,
    runAsNonRoot: own.run_as_non_root,
    runAsUser: own.run_as_user,
    readOnlyRootFilesystem: own.read_only_root_filesystem,
    seccompProfile: seccompProfile(own.seccomp_profile),
  }));
}

function podSecurityContext(ctx: Table | undefined): Obj | undefined {
  if (!ctx) return undefined;
  return nonEmptyRecord(compact({
    fsGroup: ctx.fs_group,
    runAsGroup: ctx.run_as_group,
    runAsNonRoot: ctx.run_as_non_root,
    runAsUser: ctx.run_as_user,
    supplementalGroups: ctx.supplemental_groups,
    seccompProfile: seccompProfile(ctx.seccomp_profile),
  }));
}

function tolerations(table: Record<string, string> | undefined): Obj[] | undefined {
  return nonEmptyList(Object.entries(table ?? {}).map(([keyValue, effect]) => {
    const [key, value] = keyValue.includes('=')
      ? [keyValue.slice(0, keyValue.indexOf('=')), keyValue.slice(keyValue.indexOf('=') + 1)] : [keyValue, undefined];
    return compact({ key, operator: value === undefined ? 'Exists' : 'Equal', value, effect: effect || undefined });
  }));
}

/** One entry for every service (sorted by container name, as the runner lists them), then the configured ones. */
function hostAliases(services: Table[], names: string[], configured: Table[] | undefined): Obj[] | undefined {
  const order = services.map((s, i) => ({ s, name: names[i] })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const hostnames = order.flatMap(({ s }) => serviceHostnames(s.name, s.alias));
  const own = (configured ?? []).map((h) => ({ ip: h.ip, hostnames: h.hostnames }));
  return nonEmptyList([...(hostnames.length ? [{ ip: '127.0.0.1', hostnames }] : []), ...own]);
}

function envVar(entry: string): { name: string; value: string } {
  const at = entry.indexOf('=');
  return { name: entry.slice(0, at), value: entry.slice(at + 1) };
}

