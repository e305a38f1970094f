import { show } from '../internal/validate/validators';
import type { Problem } from '../model/problem';

/** @internal The wording of the cache's prop errors RunnerManager reports. */
export const CACHE_MESSAGES = {
  /** `line`: the config.toml line the init container replaces; `key`: its TOML key. */
  credentialLines: (count: number, line: string, key: string): Problem => ({
    message: `config.toml has ${count} lines reading ${line}, `
      + 'so the cache-credentials init container cannot tell where to write the credential and stops the pod.',
    fix: `give no other config.toml entry (labels, annotations, selectors) the key ${key} with that value.`,
  }),
  notCache: (cache: unknown): Problem => ({
    message: `${show(cache).slice(0, 40)} is not a RunnerCache.`,
    fix: 'use RunnerCache.s3({...}), RunnerCache.gcs({...}) or RunnerCache.azure({...}); '
      + 'credentials go in a Secret (CacheSecret.fromSecret).',
  }),
};
