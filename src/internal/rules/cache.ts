import { CatalogueRule, hit, RuleHit } from './core';
import { Severity } from '../../model/finding';
import type { ManagerModel } from '../../model/manager';
import { CACHE_CREDENTIAL_PLACEHOLDER, GCS_CREDENTIALS_FILE_NAME, HELM_CACHE_SECRET_KEYS } from '../render/cache';
import { configTable } from '../render/config-toml';
import { CACHE_PROP_RULES } from '../validate/cache';
import { show } from '../validate/validators';

// Rules about a manager's distributed cache and private CA: a fleet without a cache, cache credentials in plain text
// from an escape hatch, and the Secret keys the Helm chart reads by fixed names.

/** The credential keys of `[runners.cache.<provider>]` (gitlab-runner-config-keys.json): never a literal value. */
const CREDENTIAL_KEYS: Record<string, readonly string[]> = {
  s3: ['AccessKey', 'SecretKey', 'SessionToken'],
  gcs: ['PrivateKey'],
  azure: ['AccountKey'],
};

const MSG = {
  noCache: 'no distributed cache: every job runs in a fresh pod, so `cache:` in .gitlab-ci.yml keeps nothing from one job to the next (each job starts cold).',
  noCacheFix: 'give the manager a cache: RunnerCache.s3({...}), RunnerCache.gcs({...}) or RunnerCache.azure({...}); or acknowledge CACHE001 if the jobs use no cache.',
  literal: 'holds a literal value: config.toml is a ConfigMap, and the values and review files are plain text.',
  helmKey: 'the Helm chart reads the cache Secret by fixed key names, so with key {given} the chart\'s manager finds no {what} and runs the cache without it.',
  helmCa: 'the CA bundle is under key {given}; the runner finds it through tls-ca-file, but the chart\'s register step (which runs before the template is merged) only finds {expected} on its own, so registration fails TLS verification with the Helm chart.',
};

/**
 * @internal Literal values under credential keys of a rendered config.toml table's `[runners.cache]`: only an escape
 * hatch can put them there (the typed props write the placeholder).
 */
export function literalCacheCredentials(path: string, table: Record<string, unknown>): RuleHit[] {
  const runners = (table.runners ?? []) as Array<Record<string, unknown>>;
  return runners.flatMap((runner, i) => {
    const cache = (runner.cache ?? {}) as Record<string, Record<string, unknown> | undefined>;
    return Object.entries(CREDENTIAL_KEYS).flatMap(([provider, keys]) => keys.flatMap((key) => {
      const value = cache[provider]?.[key];
      if (value === undefined || value === CACHE_CREDENTIAL_PLACEHOLDER) return [];
      return [hit(path, `config.toml runners[${i}].cache.${provider}.${key}`, `[runners.cache.${provider}] ${key} ${MSG.literal}`, CACHE_PROP_RULES.inlineCredentials.fix)];
    }));
  });
}

/** The Secret keys the chart would not find. */
function helmKeys(m: ManagerModel): RuleHit[] {
  const found: RuleHit[] = [];
  const expected: Record<string, string> = {
    AccessKey: HELM_CACHE_SECRET_KEYS.s3AccessKey,
    SecretKey: HELM_CACHE_SECRET_KEYS.s3SecretKey,
    AccountKey: HELM_CACHE_SECRET_KEYS.azureAccountKey,
  };
  const check = (given: string, wanted: string, what: string, field: string) => {
    if (given !== wanted) {
      found.push(hit(m.path, field, MSG.helmKey.replace('{given}', show(given)).replace('{what}', what),
        `store the value under '${wanted}' in Secret ${show(m.cache?.secretName)} (CacheSecret.fromSecret's default), or do not deploy this manager with the chart.`));
    }
  };
  for (const c of m.cache?.credentials ?? []) check(c.secretKey, expected[c.tomlKey], c.tomlKey, 'cache.credentials');
  if (m.cache?.credentialsFileKey !== undefined) check(m.cache.credentialsFileKey, GCS_CREDENTIALS_FILE_NAME, 'credentials file', 'cache.credentials');
  const host = hostOf(m.gitlabUrl);
  if (m.tlsCa && host !== undefined && m.tlsCa.key !== `${host}.crt`) {
    found.push(hit(m.path, 'tlsCa.key', MSG.helmCa.replace('{given}', show(m.tlsCa.key)).replace('{expected}', `'${host}.crt'`),
      `store the bundle under '${host}.crt' (RunnerCa.fromSecret's default), or do not deploy this manager with the chart.`));
  }
  return found;
}

function hostOf(url: string): string | undefined {
  try {
    return new URL(url).hostname || undefined;
  } catch {
    return undefined;
  }
}

/** @internal The cache and CA rules with checks over the fleet model. */
export const CACHE_RULES: CatalogueRule[] = [
  {
    id: 'CACHE001',
    severity: Severity.WARNING,
    area: 'Manager',
    title: 'A Kubernetes-executor manager without a distributed cache (`cache`): each job runs in a fresh pod, so `cache:` in .gitlab-ci.yml restores nothing.',
    fix: 'give the manager a `RunnerCache` (S3, GCS or Azure), or acknowledge the warning when the jobs use no cache.',
    check: ({ manager: m }) => (m.cache ? [] : [hit(m.path, 'cache', MSG.noCache, MSG.noCacheFix)]),
  },
  (() => {
    const { checkedAt: _checkedAt, ...spec } = CACHE_PROP_RULES.inlineCredentials;
    return { ...spec, check: ({ manager }) => literalCacheCredentials(manager.path, configTable(manager)) } as CatalogueRule;
  })(),
  {
    id: 'CACHE004',
    severity: Severity.WARNING,
    area: 'Helm chart',
    title: 'A cache Secret key or CA key other than the names the Helm chart reads (`accesskey`/`secretkey`, `gcs-application-credentials-file`, `azure-account-key`; the CA as `<gitlab host>.crt`): the native manifests work, the chart would not.',
    fix: "use CacheSecret.fromSecret's and RunnerCa.fromSecret's default keys.",
    check: ({ manager }) => helmKeys(manager),
  },
];
