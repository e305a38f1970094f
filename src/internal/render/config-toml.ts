// smol-toml is a build-time dependency: scripts/bundle-lib.js embeds it in lib/bundle.js, so the package needs none.
// eslint-disable-next-line import/no-extraneous-dependencies
import { stringify } from 'smol-toml';
import { cacheTable, tlsCaEntry } from './cache';
import { securityContextTables, typedVolumeTables } from './job-volumes';
import { oncePerModel } from './memo';
import { compact, nonEmptyRecord, sortedByKey } from './records';
import { resourceTomlKeys } from './resources';
import { escapeTomlText } from './yaml';
import type { JobPodModel } from '../../model/job-pod';
import type { ManagerModel } from '../../model/manager';

// Pure renderers of config.toml. Key order is fixed here and maps are sorted, so output is byte-stable.

/**
 * The value of `token` in the config.toml this library writes: a placeholder, so no token is ever in a ConfigMap or a
 * values file. The manager's init container replaces the line holding it with the token from the Secret
 * (_manager-manifests.ts); the Helm chart's register step discards the template's token and writes the real one.
 * It is no `$VARIABLE`: runners before 18.10.0 do not expand those and would send the text to GitLab.
 */
export const TOKEN_PLACEHOLDER = 'written-at-pod-start-from-the-secret';
/** The line of config.toml the init container replaces: exactly one line may read so. */
export const TOKEN_LINE = `token = "${TOKEN_PLACEHOLDER}"`;

/** `[runners.kubernetes]` of one job pod template (frozen: the renderers and the rules share it). */
export const kubernetesTable: (job: JobPodModel) => Readonly<Record<string, unknown>> = oncePerModel(renderKubernetesTable);

function renderKubernetesTable(job: JobPodModel): Record<string, unknown> {
  const dind = job.services.find((s) => s.dind !== undefined)?.dind;
  const emptyDirs = job.services.flatMap((s) => (s.dind?.certsVolume ? [s.dind.certsVolume] : []))
    .map((v) => ({ name: v.name, mount_path: v.mountPath, medium: 'Memory', size_limit: v.sizeLimit }));
  const tolerations: Record<string, string> = {};
  for (const t of job.tolerations) tolerations[t.value !== undefined ? `${t.key}=${t.value}` : t.key] = t.effect ?? '';

  return compact({
    namespace: job.namespace,
    image: job.image,
    helper_image: job.helper.image,
    ...resourceTomlKeys('', job.buildResources),
    ...resourceTomlKeys('helper_', job.helper.resources),
    ...resourceTomlKeys('service_', job.serviceResources),
    pull_policy: job.pullPolicy.length ? job.pullPolicy : undefined,
    allowed_pull_policies: job.allowedPullPolicies.length ? job.allowedPullPolicies : undefined,
    poll_timeout: job.pollTimeoutSeconds,
    service_account: job.serviceAccountName,
    dns_policy: job.dns?.policy,
    ...sortedByKey(job.extraConfig),
    ...job.scheduling,
    node_selector: nonEmptyRecord(sortedByKey(job.nodeSelector)),
    node_tolerations: nonEmptyRecord(sortedByKey(tolerations)),
    pod_labels: nonEmptyRecord(sortedByKey(job.podLabels)),
    pod_annotations: nonEmptyRecord(sortedByKey(job.podAnnotations)),
    dns_config: job.dns ? dnsConfigTable(job.dns) : undefined,
    ...compact(securityContextTables(job, dind !== undefined)),
    volumes: mergeVolumes(job.extraConfig.volumes, typedVolumeTables(job), emptyDirs),
    services: job.services.length ? job.services.map((s) => compact({
      name: s.image,
      alias: s.alias,
      command: s.command.length ? s.command : undefined,
      entrypoint: s.entrypoint,
      environment: envList(s.environment),
    })) : undefined,
  });
}

/** The user's `volumes` (escape hatch), then the typed ones, then the construct-owned emptyDirs: none replaces another. */
type Tables = Record<string, unknown>[];
function mergeVolumes(extra: unknown, typed: Record<string, Tables>, emptyDirs: Tables): Record<string, unknown> | undefined {
  const volumes: Record<string, unknown> = { ...((extra ?? {}) as Record<string, unknown>) };
  for (const [kind, list] of Object.entries(typed)) volumes[kind] = [...((volumes[kind] ?? []) as unknown[]), ...list];
  if (emptyDirs.length) volumes.empty_dir = [...((volumes.empty_dir ?? []) as unknown[]), ...emptyDirs];
  return nonEmptyRecord(volumes);
}

function dnsConfigTable(dns: NonNullable<JobPodModel['dns']>): Record<string, unknown> | undefined {
  return nonEmptyRecord(compact({
    nameservers: dns.nameservers.length ? dns.nameservers : undefined,
    searches: dns.searches.length ? dns.searches : undefined,
    options: dns.options.length ? dns.options.map((o) => compact({ name: o.name, value: o.value })) : undefined,
  }));
}

function envList(env: Record<string, string>): string[] | undefined {
  const entries = Object.entries(sortedByKey(env));
  return entries.length ? entries.map(([k, v]) => `${k}=${v}`) : undefined;
}

/** What the job pod's DinD services need in the build container's environment. */
export function servicesEnvironment(job: JobPodModel): Record<string, string> {
  const env: Record<string, string> = {};
  for (const s of job.services) Object.assign(env, s.dind?.buildEnvironment ?? {});
  return env;
}

/** The build environment of a manager: what its DinD services need, then the user's own variables. */
export function runnerEnvironment(m: ManagerModel): Record<string, string> {
  return { ...servicesEnvironment(m.jobPod), ...m.environment };
}

const runnerTableWithCredentials = oncePerModel((m: ManagerModel) => renderRunnerTable(m, true));

/**
 * One `[[runners]]` entry. With the cache credential keys it is config.toml's, frozen and shared by the renderers and
 * the rules; without them (the Helm values, which embed exactly this table) it is worked out for the one caller.
 */
export function runnerTable(m: ManagerModel, withCacheCredentials = true): Readonly<Record<string, unknown>> {
  return withCacheCredentials ? runnerTableWithCredentials(m) : renderRunnerTable(m, false);
}

function renderRunnerTable(m: ManagerModel, withCacheCredentials: boolean): Record<string, unknown> {
  return compact({
    name: m.runnerName,
    url: m.gitlabUrl,
    token: TOKEN_PLACEHOLDER,
    ...tlsCaEntry(m),
    executor: 'kubernetes',
    limit: m.limit,
    request_concurrency: m.requestConcurrency,
    environment: envList(runnerEnvironment(m)),
    feature_flags: nonEmptyRecord(sortedByKey(m.featureFlags)),
    // The vetted escape hatch: no key of it is one the lines above write (runner/runner-config.ts).
    ...sortedByKey(m.pod?.runnerConfig ?? {}),
    cache: cacheTable(m.cache, withCacheCredentials),
    kubernetes: kubernetesTable(m.jobPod),
  });
}

/** The global keys of config.toml. */
export function globalTable(m: ManagerModel): Record<string, unknown> {
  return {
    concurrent: m.concurrent,
    check_interval: m.checkIntervalSeconds,
    shutdown_timeout: m.shutdownTimeoutSeconds,
    listen_address: `:${m.metricsPort}`,
    ...compact({ log_level: m.pod?.logLevel, log_format: m.pod?.logFormat }),
  };
}

/** The whole config.toml of a manager, as the object that is written as TOML (frozen: the rules share it). */
export const configTable: (m: ManagerModel) => Readonly<Record<string, unknown>> = oncePerModel(
  (m: ManagerModel) => ({ ...globalTable(m), runners: [runnerTable(m)] }));

/** The whole config.toml of a manager. */
export const renderConfigToml: (m: ManagerModel) => string = oncePerModel(
  (m: ManagerModel) => escapeTomlText(stringify(configTable(m)).trimEnd() + '\n'));

/**
 * The `[[runners]]` part alone, as the chart's `runners.config` template wants it. The cache credential keys are left
 * out: the chart's register step fills them from `runners.cache.secretName`.
 */
export function renderRunnersToml(m: ManagerModel): string {
  return escapeTomlText(stringify({ runners: [runnerTable(m, false)] }).trimEnd() + '\n');
}
