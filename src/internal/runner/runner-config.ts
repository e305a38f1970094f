import { keyValueProblem } from './keys';
import { RUNNER_CONFIG_MESSAGES as M } from './runner-config.messages';
import type * as RunnersTables from './runners-tables.generated';
import type { _PropErrors } from '../validate/prop-errors';
import { isPlainMap } from '../validate/validators';

// Vetting of RunnerManager's `runnerConfig`, the `[[runners]]`-level escape hatch: key by key and type by type
// against GitLab Runner's own keys (runners-tables.generated.ts, from ../shared/reference), as JobPodTemplate's
// extraConfig is vetted against `[runners.kubernetes]`. Which keys the fleet's runner version knows is checked at
// synth over the whole config.toml (rules/version.ts).

/** `[[runners]]` keys a typed prop writes: the escape hatch may not set them (one source per key). */
export const OWNED_RUNNER_KEYS: Readonly<Record<string, string>> = {
  'name': 'name',
  'url': 'gitlabUrl',
  'token': 'token (RunnerToken.fromSecret)',
  'executor': 'nothing: this library runs the Kubernetes executor only',
  'limit': 'limit',
  'request_concurrency': 'requestConcurrency',
  'environment': 'environment',
  'feature_flags': 'featureFlags',
  'kubernetes': "jobPod (JobPodTemplate's props and extraConfig)",
  'cache': 'cache (RunnerCache.s3, .gcs or .azure, credentials from a Secret)',
  'tls-ca-file': 'tlsCa (RunnerCa.fromSecret)',
};

/** Keys whose value is a credential: written to config.toml, they would sit in plain text in the ConfigMap. */
export const CREDENTIAL_RUNNER_KEYS: ReadonlySet<string> = new Set([
  'cache.s3.AccessKey', 'cache.s3.SecretKey', 'cache.s3.SessionToken', 'cache.gcs.PrivateKey', 'cache.azure.AccountKey',
]);

/** Keys of the escape hatch that no Kubernetes-executor runner reads (kept out of the generated table). */
const NOT_FOR_KUBERNETES = new Set([
  'docker', 'machine', 'ssh', 'parallels', 'virtualbox', 'custom', 'autoscaler', 'instance', 'id', 'token_obtained_at', 'token_expires_at',
]);

function tables(): typeof RunnersTables {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('./runners-tables.generated') as typeof RunnersTables;
}

const own = (record: object | undefined, name: string) => record !== undefined && Object.prototype.hasOwnProperty.call(record, name);

/** Adds one error per problem of `runnerConfig`, at `runnerConfig.<key path>`. */
export function validateRunnerConfig(errors: _PropErrors, runnerConfig: unknown): void {
  if (runnerConfig === undefined) return;
  if (!isPlainMap(runnerConfig)) {
    errors.addProblem('runnerConfig', M.notMap(runnerConfig));
    return;
  }
  for (const [key, value] of Object.entries(runnerConfig as Record<string, unknown>)) {
    const field = `runnerConfig.${key}`;
    if (own(OWNED_RUNNER_KEYS, key)) errors.addProblem(field, M.owned(key, OWNED_RUNNER_KEYS[key]));
    else if (NOT_FOR_KUBERNETES.has(key)) errors.addProblem(field, M.notKubernetes(key));
    else vetEntry(errors, '', key, value, field);
  }
}

function vetEntry(errors: _PropErrors, tablePath: string, key: string, value: unknown, field: string): void {
  const { RUNNERS_TABLES, RUNNERS_ENUMS } = tables();
  const inner = tablePath ? `${tablePath}.${key}` : key;
  const kind = own(RUNNERS_TABLES[tablePath], key) ? RUNNERS_TABLES[tablePath][key] : undefined;
  if (kind === undefined) {
    errors.addProblem(field, M.unknown(tablePath, key));
    return;
  }
  if (CREDENTIAL_RUNNER_KEYS.has(inner)) {
    errors.addProblem(field, M.credential(inner));
    return;
  }
  const problem = keyValueProblem(kind, value);
  if (problem) {
    errors.addProblem(field, problem);
    return;
  }
  const allowed = own(RUNNERS_ENUMS, inner) ? RUNNERS_ENUMS[inner] : undefined;
  if (allowed) {
    const known = (v: unknown) => allowed.values.some((a) => (allowed.ignoreCase ? a.toLowerCase() === String(v).toLowerCase() : a === v));
    const bad = (Array.isArray(value) ? value : [value]).filter((v) => !known(v));
    if (bad.length) errors.addProblem(field, M.enumValue(bad, key, allowed.values));
    return;
  }
  const entries = (t: unknown, at: string) => {
    for (const [k, v] of Object.entries(t as object)) vetEntry(errors, inner, k, v, `${at}.${k}`);
  };
  if (kind === 'table') entries(value, field);
  else if (kind === 'tables') (value as unknown[]).forEach((item, i) => entries(item, `${field}[${i}]`));
}
