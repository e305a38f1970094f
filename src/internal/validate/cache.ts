import { _PropErrors } from './prop-errors';
import { isDns1123Subdomain, isIpAddress, isPlainMap, rangeProblem, show } from './validators';
import type { CacheCredentialModel, CacheModel, SecretKeyModel } from '../../model/cache';
import { Severity } from '../../model/finding';
import type { RuleSpec } from '../../model/rule';

// Checks of a manager's `cache` and `tlsCa` props, and the plain cache model they become. The constructs pass the
// values already unwrapped from RunnerCache, CacheSecret and RunnerCa (this layer does not know the classes).

/** @internal The rules of the cache and CA props, checked when a RunnerManager is declared. */
export const CACHE_PROP_RULES = {
  inlineCredentials: {
    id: 'CACHE002',
    severity: Severity.ERROR,
    checkedAt: ['declaration', 'synth'],
    area: 'Security',
    title: 'Cache credentials given as a value instead of a Secret reference (`credentials` that is not a `CacheSecret`), or a credential key of `[runners.cache]` (AccessKey, SecretKey, SessionToken, PrivateKey, AccountKey) holding a literal value from an escape hatch.',
    why: 'config.toml is a ConfigMap, and the values and review files are plain text: the credential would be readable by anyone who can read them.',
    fix: "store the credentials in a Secret and pass `CacheSecret.fromSecret('<secret-name>')`; the manager writes them into its in-memory config copy at pod start.",
    enforcedBy: 'RunnerManager `cache` (and every config.toml escape hatch, at synth)',
  },
  malformed: {
    id: 'CACHE003',
    severity: Severity.ERROR,
    checkedAt: ['declaration'],
    area: 'Manager',
    title: 'A distributed cache the runner cannot use: a bucket or container name the provider refuses, a server address with a scheme or path, a missing required field, encryption options that do not go together or that the runner version lacks.',
    why: 'the runner only logs a failed cache upload or download in the job log; every job then runs without cache.',
    fix: 'give the field as the message says; the bucket naming rules are the provider\'s.',
    enforcedBy: 'RunnerManager `cache`',
  },
  caNotSecret: {
    id: 'CA001',
    severity: Severity.ERROR,
    checkedAt: ['declaration'],
    area: 'Security',
    title: 'A private CA (`tlsCa`) that is not a `RunnerCa` Secret reference, or whose Secret name or key is invalid.',
    why: 'the runner reads its CA bundle from a file; only a Secret mounted in the manager pod puts it there for both the native manifests and the Helm chart (`certsSecretName`).',
    fix: "store the PEM bundle in a Secret and pass `RunnerCa.fromSecret('<secret-name>', '<gitlab host>.crt')`.",
    enforcedBy: 'RunnerManager `tlsCa`',
  },
} as const satisfies Record<string, RuleSpec>;

/** The cache as the manager hands it over: the provider, the options, and the credentials' Secret unwrapped. */
export interface CacheInput {
  readonly provider: string;
  readonly options: Record<string, unknown>;
  /** The credentials as given: a Secret reference (unwrapped) or, wrongly, anything else. */
  readonly credentials?: { secretName: unknown; keys: Record<string, unknown> } | { notASecret: unknown };
}

/** Messages of the checks below: data, not logic. */
const MSG = {
  s3Bucket: 'is not an S3 bucket name: 3 to 63 lower-case letters, digits, dots and hyphens, starting and ending with a letter or digit, not an IP address.',
  gcsBucket: 'is not a GCS bucket name: 3 to 63 lower-case letters, digits, hyphens, underscores and dots (222 with dots, 63 per dot-separated part), starting and ending with a letter or digit, not starting with "goog".',
  azureContainer: 'is not an Azure blob container name: 3 to 63 lower-case letters, digits and hyphens, starting with a letter or digit, no two hyphens in a row, not ending with a hyphen.',
  azureAccount: 'is not an Azure storage account name: 3 to 24 lower-case letters and digits.',
  serverAddress: 'is not a host or host:port: the runner builds https://<serverAddress>/<bucket> itself.',
  serverAddressFix: "give the host and port without a scheme or path, e.g. 'minio.example.com:9000'; for plain HTTP set insecure: true.",
  region: 'is not a region name (lower-case letters, digits and hyphens, e.g. eu-west-1).',
  domain: 'is not a domain name.',
  keyIdWithout: 'a KMS key id is only used with serverSideEncryption KMS or DSSE_KMS; with the encryption given it is ignored.',
  dsseVersion: 'GitLab Runner {version} does not know DSSE-KMS (added in 17.5.0): it would upload the cache unencrypted, with only a warning in the log.',
  notSecret: 'the credentials must come from a Secret; a value here would end up in config.toml (a ConfigMap), the Helm values and the review files.',
  azureNoCredentials: 'an Azure cache needs the storage account key: the runner has no other way to sign its requests.',
  secretName: 'is not a valid Secret name.',
  secretKey: 'is not a valid Secret key.',
  secretKeyFix: "use at most 253 letters, digits, '-', '_' and '.', not starting with '..'.",
  notCache: 'is not a RunnerCache.',
  notCacheFix: 'use RunnerCache.s3({...}), RunnerCache.gcs({...}) or RunnerCache.azure({...}).',
  notBool: 'is not true or false.',
  notText: 'is not a string.',
};

const S3_BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const GCS_BUCKET = /^[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]$/;
const AZURE_CONTAINER = /^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$/;
const AZURE_ACCOUNT = /^[a-z0-9]{3,24}$/;
const REGION = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** apimachinery's IsConfigMapKey, which Secret keys follow. */
export function isSecretKey(key: unknown): key is string {
  return typeof key === 'string' && /^[-._a-zA-Z0-9]+$/.test(key) && key.length <= 253 && key !== '.' && !key.startsWith('..');
}

/** Whether `value` is a host or host:port (a DNS name or an IP address, IPv6 in brackets), without scheme or path. */
export function isHostPort(value: string): boolean {
  const m = /^(\[[0-9a-fA-F:.]+\]|[^:/\s]+)(?::(\d{1,5}))?$/.exec(value);
  if (!m) return false;
  if (m[2] !== undefined && (Number(m[2]) < 1 || Number(m[2]) > 65535)) return false;
  const host = m[1].startsWith('[') ? m[1].slice(1, -1) : m[1];
  return isIpAddress(host) || isDns1123Subdomain(host.toLowerCase());
}

function s3BucketOk(name: string): boolean {
  return S3_BUCKET.test(name) && !/\.\.|\.-|-\./.test(name) && !isIpAddress(name);
}

function gcsBucketOk(name: string): boolean {
  if (!GCS_BUCKET.test(name) || name.startsWith('goog')) return false;
  return name.includes('.') ? name.split('.').every((p) => p.length >= 1 && p.length <= 63) : name.length <= 63;
}

/** The runner version comparison the caller supplies (the runner layer is above this one). */
export type AtLeast = (version: string) => boolean;

/**
 * Checks the cache props and returns the cache model (undefined when there is no cache or it has errors).
 * `atLeast(v)` says whether the manager's runner version is v or newer.
 */
export function cacheModel(
  errors: _PropErrors, input: CacheInput | undefined, runnerVersion: string | undefined, atLeast: AtLeast,
): CacheModel | undefined {
  if (input === undefined) return undefined;
  const id = CACHE_PROP_RULES.malformed.id;
  const o = input.options ?? {};
  const before = errors.count;
  const text = (field: string, required: boolean): string | undefined => {
    const v = o[field];
    if (v === undefined) {
      if (required) errors.add(`cache.${field}`, `${input.provider} cache needs ${field}.`, `give ${field}.`, id);
      return undefined;
    }
    if (typeof v !== 'string') {
      errors.add(`cache.${field}`, `${show(v)} ${MSG.notText}`, `give ${field} as a string.`, id);
      return undefined;
    }
    return v;
  };
  const flag = (field: string): boolean | undefined => {
    const v = o[field];
    if (v !== undefined && typeof v !== 'boolean') errors.add(`cache.${field}`, `${show(v)} ${MSG.notBool}`, 'give a boolean.', id);
    return typeof v === 'boolean' ? v : undefined;
  };
  const path = text('path', false);
  const shared = flag('shared');
  const max = o.maxUploadedArchiveSize;
  if (max !== undefined) {
    const problem = typeof max === 'number' && Number.isInteger(max) && max >= 0
      ? rangeProblem(max, Number.MAX_SAFE_INTEGER, 'an exact JavaScript integer (the TOML writer prints larger ones as floats, which the runner refuses)')
      : { message: `${show(max)} is not a whole number of bytes.`, fix: 'give 0 (no limit) or more bytes, e.g. 1073741824 for 1 GiB.' };
    if (problem) errors.add('cache.maxUploadedArchiveSize', problem.message, problem.fix, id);
  }

  const secret = secretOf(errors, input);
  const keys = secret?.keys ?? {};
  const key = (name: string, fallback: string): string => (typeof keys[name] === 'string' ? keys[name] as string : fallback);
  const credentials: CacheCredentialModel[] = [];
  const base = { path, shared, maxUploadedArchiveSize: max as number | undefined, secretName: secret?.secretName };

  if (input.provider === 's3') {
    const bucketName = text('bucketName', true);
    if (bucketName !== undefined && !s3BucketOk(bucketName)) errors.add('cache.bucketName', `${show(bucketName)} ${MSG.s3Bucket}`, "give the bucket's name, e.g. 'gitlab-runner-cache'.", id);
    const bucketLocation = text('bucketLocation', false);
    if (bucketLocation !== undefined && !REGION.test(bucketLocation)) errors.add('cache.bucketLocation', `${show(bucketLocation)} ${MSG.region}`, "give the bucket's region, e.g. 'eu-west-1'.", id);
    const serverAddress = text('serverAddress', false);
    if (serverAddress !== undefined && !isHostPort(serverAddress)) errors.add('cache.serverAddress', `${show(serverAddress)} ${MSG.serverAddress}`, MSG.serverAddressFix, id);
    const encryption = text('serverSideEncryption', false);
    if (encryption !== undefined && !['S3', 'KMS', 'DSSE-KMS'].includes(encryption)) errors.add('cache.serverSideEncryption', `${show(encryption)} is not an S3Encryption.`, 'use S3Encryption.S3, KMS or DSSE_KMS.', id);
    if (encryption === 'DSSE-KMS' && runnerVersion !== undefined && !atLeast('17.5.0')) {
      errors.add('cache.serverSideEncryption', MSG.dsseVersion.replace('{version}', runnerVersion), 'run GitLab Runner 17.5.0 or newer, or use S3Encryption.KMS.', id);
    }
    const keyId = text('serverSideEncryptionKeyId', false);
    if (keyId !== undefined && encryption !== 'KMS' && encryption !== 'DSSE-KMS') errors.add('cache.serverSideEncryptionKeyId', MSG.keyIdWithout, 'set serverSideEncryption to S3Encryption.KMS (or DSSE_KMS), or drop the key id.', id);
    if (secret) {
      credentials.push({ tomlKey: 'AccessKey', secretKey: key('accessKey', 'accesskey') }, { tomlKey: 'SecretKey', secretKey: key('secretKey', 'secretkey') });
    }
    if (errors.count > before) return undefined;
    const s3 = {
      bucketName: bucketName!,
      bucketLocation,
      serverAddress,
      pathStyle: flag('pathStyle'),
      insecure: flag('insecure'),
      serverSideEncryption: encryption,
      serverSideEncryptionKeyId: keyId,
      authenticationType: secret ? 'access-key' as const : 'iam' as const,
    };
    return {
      ...base,
      type: 's3',
      credentials,
      s3,
    };
  }
  if (input.provider === 'gcs') {
    const bucketName = text('bucketName', true);
    if (bucketName !== undefined && !gcsBucketOk(bucketName)) errors.add('cache.bucketName', `${show(bucketName)} ${MSG.gcsBucket}`, "give the bucket's name, e.g. 'gitlab-runner-cache'.", id);
    if (errors.count > before) return undefined;
    return { ...base, type: 'gcs', credentials, gcs: { bucketName: bucketName! }, credentialsFileKey: secret ? key('credentialsFile', 'gcs-application-credentials-file') : undefined };
  }
  if (input.provider === 'azure') {
    const containerName = text('containerName', true);
    if (containerName !== undefined && !AZURE_CONTAINER.test(containerName)) errors.add('cache.containerName', `${show(containerName)} ${MSG.azureContainer}`, "give the container's name, e.g. 'gitlab-runner-cache'.", id);
    const accountName = text('accountName', true);
    if (accountName !== undefined && !AZURE_ACCOUNT.test(accountName)) errors.add('cache.accountName', `${show(accountName)} ${MSG.azureAccount}`, "give the storage account's name, e.g. 'ciscache'.", id);
    const storageDomain = text('storageDomain', false);
    if (storageDomain !== undefined && !isDns1123Subdomain(storageDomain.toLowerCase())) errors.add('cache.storageDomain', `${show(storageDomain)} ${MSG.domain}`, "give the domain, e.g. 'blob.core.chinacloudapi.cn'.", id);
    if (input.credentials === undefined) errors.add('cache.credentials', MSG.azureNoCredentials, "store the key in a Secret and pass credentials: CacheSecret.fromSecret('<secret-name>').", id);
    if (secret) credentials.push({ tomlKey: 'AccountKey', secretKey: key('accountKey', 'azure-account-key') });
    if (errors.count > before) return undefined;
    return { ...base, type: 'azure', credentials, azure: { containerName: containerName!, accountName: accountName!, storageDomain } };
  }
  errors.add('cache', `${show(input.provider)} ${MSG.notCache}`, MSG.notCacheFix, id);
  return undefined;
}

/** The credentials' Secret, checked; undefined when none was given or it is not a Secret reference. */
function secretOf(errors: _PropErrors, input: CacheInput): { secretName: string; keys: Record<string, unknown> } | undefined {
  const c = input.credentials;
  if (c === undefined) return undefined;
  if ('notASecret' in c) {
    errors.add('cache.credentials', MSG.notSecret, CACHE_PROP_RULES.inlineCredentials.fix, CACHE_PROP_RULES.inlineCredentials.id);
    return undefined;
  }
  const id = CACHE_PROP_RULES.malformed.id;
  let ok = true;
  if (typeof c.secretName !== 'string' || !isDns1123Subdomain(c.secretName)) {
    errors.add('cache.credentials.secretName', `${show(c.secretName)} ${MSG.secretName}`, 'use a DNS-1123 subdomain, e.g. gitlab-runner-cache.', id);
    ok = false;
  }
  const keys = isPlainMap(c.keys) ? c.keys : {};
  for (const [name, value] of Object.entries(keys)) {
    if (value !== undefined && !isSecretKey(value)) {
      errors.add(`cache.credentials.keys.${name}`, `${show(value)} ${MSG.secretKey}`, MSG.secretKeyFix, id);
      ok = false;
    }
  }
  return ok ? { secretName: c.secretName as string, keys } : undefined;
}

/** Checks the CA prop (unwrapped from RunnerCa, or `notASecret`) and returns its Secret key model. */
export function caModel(
  errors: _PropErrors, ca: { secretName: unknown; key: unknown } | { notASecret: unknown } | undefined, gitlabHost: string | undefined,
): SecretKeyModel | undefined {
  if (ca === undefined) return undefined;
  const id = CACHE_PROP_RULES.caNotSecret.id;
  if ('notASecret' in ca) {
    errors.add('tlsCa', `${show(ca.notASecret).slice(0, 40)} is not a RunnerCa: the CA bundle must come from a Secret mounted in the manager pod.`, CACHE_PROP_RULES.caNotSecret.fix, id);
    return undefined;
  }
  const key = ca.key ?? (gitlabHost !== undefined ? `${gitlabHost}.crt` : undefined);
  let ok = true;
  if (typeof ca.secretName !== 'string' || !isDns1123Subdomain(ca.secretName)) {
    errors.add('tlsCa.secretName', `${show(ca.secretName)} ${MSG.secretName}`, 'use a DNS-1123 subdomain, e.g. gitlab-ca.', id);
    ok = false;
  }
  if (!isSecretKey(key)) {
    errors.add('tlsCa.key', `${show(key)} ${MSG.secretKey}`, `${MSG.secretKeyFix} For example '${gitlabHost ?? 'gitlab.example.com'}.crt'.`, id);
    ok = false;
  }
  return ok ? { secretName: ca.secretName as string, key: key as string } : undefined;
}

