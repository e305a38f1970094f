import type { Problem } from '../../model/problem';
import { show } from '../validate/validators';

// The wording of the cache and CA findings (src/internal/rules/cache.ts decides when they apply).

/** @internal */
export const CACHE_MESSAGES = {
  /** CACHE001: no distributed cache. */
  noCache: (): Problem => ({
    message: 'no distributed cache: every job runs in a fresh pod, so `cache:` in .gitlab-ci.yml keeps nothing from one job to the next '
      + '(each job starts cold).',
    fix: 'give the manager a cache: RunnerCache.s3({...}), RunnerCache.gcs({...}) or RunnerCache.azure({...}); '
      + 'or acknowledge CACHE001 if the jobs use no cache.',
  }),
  /** CACHE002: a literal credential in config.toml (the fix is the rule's). */
  literal: (p: { provider: string; key: string }): string =>
    `[runners.cache.${p.provider}] ${p.key} holds a literal value: config.toml is a ConfigMap, and the values and review files are plain text.`,
  /** CACHE004: a Secret key the Helm chart does not read. */
  helmKey: (p: { given: string; what: string; wanted: string; secretName?: string }): Problem => ({
    message: `the Helm chart reads the cache Secret by fixed key names, so with key ${show(p.given)} the chart's manager finds no ${p.what} `
      + 'and runs the cache without it.',
    fix: `store the value under '${p.wanted}' in Secret ${show(p.secretName)} (CacheSecret.fromSecret's default), `
      + 'or do not deploy this manager with the chart.',
  }),
  helmCa: (p: { given: string; host: string }): Problem => ({
    message: `the CA bundle is under key ${show(p.given)}; the runner finds it through tls-ca-file, but the chart's register step `
      + `(which runs before the template is merged) only finds '${p.host}.crt' on its own, `
      + 'so registration fails TLS verification with the Helm chart.',
    fix: `store the bundle under '${p.host}.crt' (RunnerCa.fromSecret's default), or do not deploy this manager with the chart.`,
  }),
};
