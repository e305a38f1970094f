import { show } from './validators';
import { VALUE_MESSAGES } from './validators.messages';
import type { Problem } from '../../model/problem';

// The wording of the checks of a manager's `cache` and `tlsCa` props (cache.ts).

const SECRET_KEY_FIX = "use at most 253 letters, digits, '-', '_' and '.', not starting with '..'.";

export const CACHE_MESSAGES = {
  /** Fields of any provider. */
  needs: (provider: string, field: string): Problem => ({ message: `${provider} cache needs ${field}.`, fix: `give ${field}.` }),
  notText: (field: string, v: unknown): Problem => ({ message: `${show(v)} is not a string.`, fix: `give ${field} as a string.` }),
  notBool: VALUE_MESSAGES.notBoolean,
  /** What a too large maxUploadedArchiveSize is beyond (for rangeProblem). */
  archiveSizeDestination: 'an exact JavaScript integer (the TOML writer prints larger ones as floats, which the runner refuses)',
  archiveSizeNotWhole: (v: unknown): Problem => ({
    message: `${show(v)} is not a whole number of bytes.`,
    fix: 'give 0 (no limit) or more bytes, e.g. 1073741824 for 1 GiB.',
  }),
  notCache: (v: unknown): Problem => ({
    message: `${show(v)} is not a RunnerCache.`,
    fix: 'use RunnerCache.s3({...}), RunnerCache.gcs({...}) or RunnerCache.azure({...}).',
  }),

  /** S3. */
  s3Bucket: (v: string): Problem => ({
    message: `${show(v)} is not an S3 bucket name: 3 to 63 lower-case letters, digits, dots and hyphens, `
      + 'starting and ending with a letter or digit, not an IP address.',
    fix: "give the bucket's name, e.g. 'gitlab-runner-cache'.",
  }),
  region: (v: string): Problem => ({
    message: `${show(v)} is not a region name (lower-case letters, digits and hyphens, e.g. eu-west-1).`,
    fix: "give the bucket's region, e.g. 'eu-west-1'.",
  }),
  serverAddress: (v: string): Problem => ({
    message: `${show(v)} is not a host or host:port: the runner builds https://<serverAddress>/<bucket> itself.`,
    fix: "give the host and port without a scheme or path, e.g. 'minio.example.com:9000'; for plain HTTP set insecure: true.",
  }),
  s3Encryption: (v: string): Problem => ({ message: `${show(v)} is not an S3Encryption.`, fix: 'use S3Encryption.S3, KMS or DSSE_KMS.' }),
  dsseVersion: (version: string): Problem => ({
    message: `GitLab Runner ${version} does not know DSSE-KMS (added in 17.5.0): it would upload the cache unencrypted, `
      + 'with only a warning in the log.',
    fix: 'run GitLab Runner 17.5.0 or newer, or use S3Encryption.KMS.',
  }),
  keyIdWithout: (): Problem => ({
    message: 'a KMS key id is only used with serverSideEncryption KMS or DSSE_KMS; with the encryption given it is ignored.',
    fix: 'set serverSideEncryption to S3Encryption.KMS (or DSSE_KMS), or drop the key id.',
  }),

  /** Google Cloud Storage. */
  gcsBucket: (v: string): Problem => ({
    message: `${show(v)} is not a GCS bucket name: 3 to 63 lower-case letters, digits, hyphens, underscores and dots `
      + '(222 with dots, 63 per dot-separated part), starting and ending with a letter or digit, not starting with "goog".',
    fix: "give the bucket's name, e.g. 'gitlab-runner-cache'.",
  }),

  /** Azure. */
  azureContainer: (v: string): Problem => ({
    message: `${show(v)} is not an Azure blob container name: 3 to 63 lower-case letters, digits and hyphens, `
      + 'starting with a letter or digit, no two hyphens in a row, not ending with a hyphen.',
    fix: "give the container's name, e.g. 'gitlab-runner-cache'.",
  }),
  azureAccount: (v: string): Problem => ({
    message: `${show(v)} is not an Azure storage account name: 3 to 24 lower-case letters and digits.`,
    fix: "give the storage account's name, e.g. 'ciscache'.",
  }),
  domain: (v: string): Problem => ({ message: `${show(v)} is not a domain name.`, fix: "give the domain, e.g. 'blob.core.chinacloudapi.cn'." }),
  azureNoCredentials: (): Problem => ({
    message: 'an Azure cache needs the storage account key: the runner has no other way to sign its requests.',
    fix: "store the key in a Secret and pass credentials: CacheSecret.fromSecret('<secret-name>').",
  }),

  /** The credentials' and the CA's Secrets (the fix of a value that is not a Secret is the rule's). */
  notSecret: 'the credentials must come from a Secret; a value here would end up in config.toml (a ConfigMap), the Helm values '
    + 'and the review files.',
  caNotSecret: (v: unknown) => `${show(v).slice(0, 40)} is not a RunnerCa: the CA bundle must come from a Secret mounted in the manager pod.`,
  secretName: (v: unknown, example: string): Problem => ({
    message: `${show(v)} is not a valid Secret name.`,
    fix: `use a DNS-1123 subdomain, e.g. ${example}.`,
  }),
  secretKey: (v: unknown): Problem => ({ message: `${show(v)} is not a valid Secret key.`, fix: SECRET_KEY_FIX }),
  caKey: (v: unknown, gitlabHost: string | undefined): Problem => ({
    message: `${show(v)} is not a valid Secret key.`,
    fix: `${SECRET_KEY_FIX} For example '${gitlabHost ?? 'gitlab.example.com'}.crt'.`,
  }),
};
