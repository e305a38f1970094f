import { CACHE_MESSAGES as M } from './cache.messages';
import { CatalogueRule, hit, problemHit, RuleHit } from './core';
import { Severity } from '../../model/finding';
import type { ManagerModel } from '../../model/manager';
import { CACHE_CREDENTIAL_PLACEHOLDER, GCS_CREDENTIALS_FILE_NAME, HELM_CACHE_SECRET_KEYS } from '../render/cache';
import { configTable } from '../render/config-toml';
import { CACHE_PROP_RULES } from '../validate/cache';

// Rules about a manager's distributed cache and private CA: a fleet without a cache, cache credentials in plain text
// from an escape hatch, and the Secret keys the Helm chart reads by fixed names.

/** The credential keys of `[runners.cache.<provider>]` (gitlab-runner-config-keys.json): never a literal value. */
const CREDENTIAL_KEYS: Record<string, readonly string[]> = {
  s3: ['AccessKey', 'SecretKey', 'SessionToken'],
  gcs: ['PrivateKey'],
  azure: ['AccountKey'],
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
      const field = `config.toml runners[${i}].cache.${provider}.${key}`;
      return [hit(path, field, M.literal({ provider, key }), CACHE_PROP_RULES.inlineCredentials.fix)];
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
      found.push(problemHit(m.path, field, M.helmKey({ given, what, wanted, secretName: m.cache?.secretName })));
    }
  };
  for (const c of m.cache?.credentials ?? []) check(c.secretKey, expected[c.tomlKey], c.tomlKey, 'cache.credentials');
  if (m.cache?.credentialsFileKey !== undefined) {
    check(m.cache.credentialsFileKey, GCS_CREDENTIALS_FILE_NAME, 'credentials file', 'cache.credentials');
  }
  const host = hostOf(m.gitlabUrl);
  if (m.tlsCa && host !== undefined && m.tlsCa.key !== `${host}.crt`) {
    found.push(problemHit(m.path, 'tlsCa.key', M.helmCa({ given: m.tlsCa.key, host })));
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
    title: 'A Kubernetes-executor manager without a distributed cache (`cache`).',
    why: 'Each job runs in a fresh pod, so `cache:` in .gitlab-ci.yml restores nothing.',
    fix: 'give the manager a `RunnerCache` (S3, GCS or Azure), or acknowledge the warning when the jobs use no cache.',
    check: ({ manager: m }) => (m.cache ? [] : [problemHit(m.path, 'cache', M.noCache())]),
  },
  (() => {
    const { checkedAt: _checkedAt, ...spec } = CACHE_PROP_RULES.inlineCredentials;
    return { ...spec, check: ({ manager }) => literalCacheCredentials(manager.path, configTable(manager)) } as CatalogueRule;
  })(),
  {
    id: 'CACHE004',
    severity: Severity.WARNING,
    area: 'Helm chart',
    title: 'A cache Secret key or CA key other than the names the Helm chart reads (`accesskey`/`secretkey`, '
      + '`gcs-application-credentials-file`, `azure-account-key`; the CA as `<gitlab host>.crt`).',
    why: 'The native manifests work, the chart would not.',
    fix: "use CacheSecret.fromSecret's and RunnerCa.fromSecret's default keys.",
    check: ({ manager }) => helmKeys(manager),
  },
];
