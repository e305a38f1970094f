import { cacheHeader } from './cache';
import { renderRunnersToml } from './config-toml';
import { deployment } from './manager-manifests';
import { podSettings, podTemplateLabels, serviceAccountAnnotations } from './manager-pod';
import { monitorsOf } from './monitors';
import { executorRules } from './rbac';
import { nonEmptyRecord, setOwn, toYaml } from './records';
import type { ManagerModel } from '../../model/manager';

// Pure renderer of the values of the official gitlab-runner Helm chart, from the same model as the native manifests.
// Every key path is checked against the chart's values.yaml and template-read keys (test/helm-conformance.test.ts);
// the chart silently ignores keys it does not know, so a guessed key would be a silent no-op.

/** The chart version the values target. Keys move between chart versions, so installs must pin it. */
export const HELM_CHART_VERSION = '0.86.0';
/** The runner version that chart ships (its appVersion). */
export const HELM_CHART_APP_VERSION = '18.9.0';
/** The Secret key the chart reads the authentication token from (projected as is, not configurable). */
export const HELM_TOKEN_KEY = 'runner-token';
/** The second key the chart projects from the same Secret; the pod cannot start unless it exists (it may be empty). */
export const HELM_REGISTRATION_TOKEN_KEY = 'runner-registration-token';

/**
 * `[runners.kubernetes]` keys whose `gitlab-runner register` flag has a default. The chart registers at every pod
 * start and merges `runners.config` into the flag values without override, so the template's value of these keys
 * never wins over the flag default; only the flag's environment variable does (gitlab-runner-facts §5, step 5;
 * `cli_default` and `env` in gitlab-runner-config-keys.json, which test/helm-conformance.test.ts checks).
 */
export const REGISTER_FLAG_DEFAULTS: ReadonlyArray<{ key: string; env: string; cliDefault: number; configDefault: number }> = [
  // The config-file default 0 turns the ServiceAccount/pull-secret check off; register's 5 would turn it on.
  { key: 'resource_availability_check_max_attempts', env: 'KUBERNETES_RESOURCE_AVAILABILITY_CHECK_MAX_ATTEMPTS', cliDefault: 5, configDefault: 0 },
  { key: 'retry_limit', env: 'KUBERNETES_REQUEST_RETRY_LIMIT', cliDefault: 5, configDefault: 5 },
  { key: 'retry_backoff_max', env: 'KUBERNETES_REQUEST_RETRY_BACKOFF_MAX', cliDefault: 2000, configDefault: 2000 },
];

/**
 * The API group/version the chart's `podmonitor.yaml` and `servicemonitor.yaml` require: they render only when
 * `.Capabilities.APIVersions.Has` it, which a cluster with the prometheus-operator CRDs has and a bare `helm template`
 * does not (`--api-versions` gives it).
 */
export const HELM_MONITORING_API = 'monitoring.coreos.com/v1';

/**
 * The chart's liveness probe runs `gitlab-runner verify`, which fails while GitLab is unreachable; with the chart's
 * threshold of 3 (a minute apart) Kubernetes restarts the container, whose register step then fails too (30 × 5 s)
 * and exits: a crash loop until GitLab is back. The native manager probes its own `/metrics` and keeps running. The
 * chart lets only the probe's numbers be set, not its command, so this threshold keeps the native behaviour: a failed
 * verify shows in the pod's events but never restarts it (999999 periods of 60 s is about 2 years; Helm prints a
 * number from a million up in exponent form, `1e+06`, so it stays below that to render as a plain integer). A dead
 * runner process still restarts the container: it is the chart entrypoint's child, and the container exits with it.
 */
export const HELM_LIVENESS_FAILURE_THRESHOLD = 999999;

/** What the Helm output adds that the native manifests have no counterpart for. */
export interface HelmValuesOptions {
  /** A prometheus-operator PodMonitor for the manager pods (the chart's recommended monitor). */
  readonly podMonitor?: boolean;
  /** A prometheus-operator ServiceMonitor; it needs the metrics Service, which is then enabled too. */
  readonly serviceMonitor?: boolean;
}

/** An image reference cut the way the chart puts it back together: `<registry>/<image>:<tag>`. */
export interface ImageParts {
  readonly registry: string;
  readonly image: string;
  readonly tag?: string;
  readonly digest?: string;
}

/**
 * Splits an image reference by the Docker reference rules: the first path component is a registry only if it has a
 * `.` or a `:` (a port) or is `localhost`; otherwise the image is on Docker Hub (`docker.io`, `library/` for
 * single-name images). A tag is the last `:` after the last `/`; a digest follows `@`.
 */
export function splitImage(reference: string): ImageParts {
  const at = reference.indexOf('@');
  const digest = at >= 0 ? reference.slice(at + 1) : undefined;
  let name = at >= 0 ? reference.slice(0, at) : reference;
  let tag: string | undefined;
  const colon = name.lastIndexOf(':');
  if (colon > name.lastIndexOf('/')) {
    tag = name.slice(colon + 1);
    name = name.slice(0, colon);
  }
  const parts = name.split('/');
  const first = parts[0];
  if (parts.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost')) {
    return { registry: first, image: parts.slice(1).join('/'), tag, digest };
  }
  return { registry: 'docker.io', image: parts.length === 1 ? `library/${name}` : name, tag, digest };
}

/**
 * The chart's `image.tag`. Without a tag the chart would not mean `latest` as Kubernetes does but its own
 * `alpine-v<appVersion>`, so `latest` is written out. A digest rides along after the tag (`v18.3.0@sha256:...`).
 */
function chartTag(parts: ImageParts): string {
  if (parts.digest === undefined) return parts.tag ?? 'latest';
  // Digest only: the chart always writes `:<tag>`, so this yields an invalid reference on purpose (HELM002 says why)
  // rather than a valid one that would run another image.
  return parts.tag === undefined ? `@${parts.digest}` : `${parts.tag}@${parts.digest}`;
}

/**
 * The chart passes `runners.config` through Helm's `tpl`, so `{{` in a value would be run as a template action.
 * `{{"{{"}}` is how a Go template writes a literal `{{`.
 */
export function escapeHelmTemplate(text: string): string {
  return text.replace(/\{\{/g, '{{"{{"}}');
}

/** The values of a map with every `{{` escaped (see escapeHelmTemplate), or undefined for none. */
function escapeHelmTemplateValues(record: Record<string, string> | undefined): Record<string, string> | undefined {
  return record && Object.fromEntries(Object.entries(record).map(([k, v]) => [k, escapeHelmTemplate(v)]));
}

/** Environment variables that make register keep the config-file values of `REGISTER_FLAG_DEFAULTS` keys. */
function registerEnv(m: ManagerModel): Array<{ name: string; value: string }> {
  const env: Array<{ name: string; value: string }> = [];
  for (const { key, env: name, cliDefault, configDefault } of REGISTER_FLAG_DEFAULTS) {
    const value = m.jobPod.extraConfig[key] ?? configDefault;
    if (Number(value) !== cliDefault) env.push({ name, value: String(value) });
  }
  return env;
}

/** Removes undefined values (deeply), so the YAML writer never prints `null` for an unset field. */
function prune(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(prune);
  if (value === null || typeof value !== 'object') return value;
  const kept: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const v = (value as Record<string, unknown>)[key];
    if (v !== undefined) setOwn(kept, key, prune(v));
  }
  return kept;
}

/**
 * The values of the official gitlab-runner chart for one manager: the same runner, job pods, RBAC, placement and
 * security settings as the native manifests.
 */
export function renderHelmValues(m: ManagerModel, options: HelmValuesOptions = {}): Record<string, unknown> {
  // The manager pod is rendered once, natively; the chart gets the same pieces, so the two outputs cannot drift.
  const native = deployment(m, '');
  const pod = native.spec.template.spec;
  const container = pod.containers[0];
  const image = splitImage(m.image);
  const env = registerEnv(m);
  const monitors = monitorsOf(m);
  options = { podMonitor: options.podMonitor || monitors.podMonitor, serviceMonitor: options.serviceMonitor || monitors.serviceMonitor };
  const serviceEnabled = m.metricsService || options.serviceMonitor === true;
  return prune({
    image: { registry: image.registry, image: image.image, tag: chartTag(image) },
    imagePullPolicy: container.imagePullPolicy,
    replicas: m.replicas,
    strategy: native.spec.strategy,
    gitlabUrl: m.gitlabUrl,
    // The chart writes its own preStop (`unregister --all-runners`) only when deploymentLifecycle is empty, which ours
    // never is, so this changes no manifest. It silences the install notes (NOTES.txt), which would otherwise advise
    // making that unregister the preStop hook: that would replace the graceful stop below (README, "Unregistering and
    // runner managers").
    unregisterRunners: false,
    // The same graceful stop as the native Deployment: SIGQUIT, then wait for running jobs.
    deploymentLifecycle: container.lifecycle,
    livenessProbe: { failureThreshold: HELM_LIVENESS_FAILURE_THRESHOLD },
    terminationGracePeriodSeconds: m.terminationGracePeriodSeconds,
    concurrent: m.concurrent,
    checkInterval: m.checkIntervalSeconds,
    shutdown_timeout: m.shutdownTimeoutSeconds,
    rbac: {
      create: true,
      // Without rules the chart grants `*` on every core resource.
      rules: executorRules({ featureFlags: m.featureFlags, kubernetesConfig: m.jobPod.extraConfig }),
      clusterWideAccess: false,
    },
    // Named by the chart (`<release>-gitlab-runner`, or the release name), like its other objects: a release whose
    // name differs from the manager's collides with no native object, so both can run side by side while migrating.
    // An existing ServiceAccount (serviceAccount.existingName) is used by both outputs, and created by neither.
    serviceAccount: podSettings(m).createServiceAccount
      // The chart passes each annotation through tpl: `{{` must arrive as written.
      ? { create: true, annotations: escapeHelmTemplateValues(serviceAccountAnnotations(m)) }
      : { create: false, name: podSettings(m).serviceAccountName },
    imagePullSecrets: pod.imagePullSecrets,
    podAnnotations: nonEmptyRecord(podSettings(m).podAnnotations),
    affinity: pod.affinity,
    topologySpreadConstraints: pod.topologySpreadConstraints,
    priorityClassName: pod.priorityClassName,
    logLevel: podSettings(m).logLevel,
    logFormat: podSettings(m).logFormat,
    // The chart writes listen_address only when metrics are enabled; the native config always has it.
    metrics: {
      enabled: true,
      port: m.metricsPort,
      podMonitor: options.podMonitor ? { enabled: true } : undefined,
      serviceMonitor: options.serviceMonitor ? { enabled: true } : undefined,
    },
    service: { enabled: serviceEnabled, type: serviceEnabled ? 'ClusterIP' : undefined },
    runners: {
      config: escapeHelmTemplate(renderRunnersToml(m)),
      // The template's [[runners]] name is ignored (register pre-fills the pod's host name); this one is used.
      name: m.runnerName,
      secret: m.token.secretName,
      // The chart's Role and RoleBinding go to this namespace, where the jobs run.
      jobNamespace: m.jobPod.namespace,
      // The chart projects this Secret to /secrets and its entrypoint exports the cache credentials for register.
      cache: m.cache?.secretName !== undefined ? { secretName: m.cache.secretName } : undefined,
    },
    // Mounted at the same path as natively (cache.ts CERTS_DIR), where tls-ca-file points.
    certsSecretName: m.tlsCa?.secretName,
    envVars: env.length ? env : undefined,
    // The chart's scripts are not known to run on a read-only root file system, so the chart's own setting stays.
    securityContext: { ...container.securityContext, readOnlyRootFilesystem: false },
    podSecurityContext: pod.securityContext,
    resources: container.resources,
    // These place the manager pods; the job pods' placement is in runners.config.
    nodeSelector: pod.nodeSelector,
    tolerations: pod.tolerations,
    podLabels: podTemplateLabels(m),
  }) as Record<string, unknown>;
}

/** The values as a YAML file, with a header naming the chart version and the Secret it needs. */
export function renderHelmValuesYaml(m: ManagerModel, options: HelmValuesOptions = {}): string {
  const header = [
    `# Values for the official gitlab-runner Helm chart ${HELM_CHART_VERSION} (appVersion ${HELM_CHART_APP_VERSION}), `
      + `generated by cdk8s-gitlab-runner from ${m.path}.`,
    `# Other chart versions read keys differently: helm upgrade --install ${m.name} <repo>/gitlab-runner --version ${HELM_CHART_VERSION} `
      + `--namespace ${m.namespace} -f ${m.name}.values.yaml`,
    `# The Secret '${m.token.secretName}' in namespace ${m.namespace} must hold the keys '${HELM_TOKEN_KEY}' (the glrt- token) `
      + `and '${HELM_REGISTRATION_TOKEN_KEY}' (may be empty).`,
  ];
  header.push(...cacheHeader(m));
  return `${header.join('\n')}\n${toYaml(renderHelmValues(m, options))}`;
}
