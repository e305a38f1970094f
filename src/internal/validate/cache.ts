import { CACHE_MESSAGES as M } from './cache.messages';
import { _PropErrors } from './prop-errors';
import { isDns1123Subdomain, isIpAddress, isPlainMap, rangeProblem } from './validators';
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
    title: 'Cache credentials given as a value instead of a Secret reference (`credentials` that is not a `CacheSecret`), '
      + 'or a credential key of `[runners.cache]` (AccessKey, SecretKey, SessionToken, PrivateKey, AccountKey) holding a literal value '
      + 'from an escape hatch.',
    why: 'config.toml is a ConfigMap, and the values and review files are plain text: the credential would be readable by anyone who can read them.',
    fix: "store the credentials in a Secret and pass `CacheSecret.fromSecret('<secret-name>')`; "
      + 'the manager writes them into its in-memory config copy at pod start.',
    enforcedBy: 'RunnerManager `cache` (and every config.toml escape hatch, at synth)',
  },
  malformed: {
    id: 'CACHE003',
    severity: Severity.ERROR,
    checkedAt: ['declaration'],
    area: 'Manager',
    title: 'A distributed cache the runner cannot use: a bucket or container name the provider refuses, a server address with a scheme or path, '
      + 'a missing required field, encryption options that do not go together or that the runner version lacks.',
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
    why: 'the runner reads its CA bundle from a file; only a Secret mounted in the manager pod puts it there for both the native manifests '
      + 'and the Helm chart (`certsSecretName`).',
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
      if (required) errors.addProblem(`cache.${field}`, M.needs(input.provider, field), id);
      return undefined;
    }
    if (typeof v !== 'string') {
      errors.addProblem(`cache.${field}`, M.notText(field, v), id);
      return undefined;
    }
    return v;
  };
  const flag = (field: string): boolean | undefined => {
    const v = o[field];
    if (v !== undefined && typeof v !== 'boolean') errors.addProblem(`cache.${field}`, M.notBool(v), id);
    return typeof v === 'boolean' ? v : undefined;
  };
  const path = text('path', false);
  const shared = flag('shared');
  const max = o.maxUploadedArchiveSize;
  if (max !== undefined) {
    const problem = typeof max === 'number' && Number.isInteger(max) && max >= 0
      ? rangeProblem(max, Number.MAX_SAFE_INTEGER, M.archiveSizeDestination)
      : M.archiveSizeNotWhole(max);
    if (problem) errors.addProblem('cache.maxUploadedArchiveSize', problem, id);
  }

  const secret = secretOf(errors, input);
  const keys = secret?.keys ?? {};
  const key = (name: string, fallback: string): string => (typeof keys[name] === 'string' ? keys[name] as string : fallback);
  const credentials: CacheCredentialModel[] = [];
  const base = { path, shared, maxUploadedArchiveSize: max as number | undefined, secretName: secret?.secretName };

  if (input.provider === 's3') {
    const bucketName = text('bucketName', true);
    if (bucketName !== undefined && !s3BucketOk(bucketName)) errors.addProblem('cache.bucketName', M.s3Bucket(bucketName), id);
    const bucketLocation = text('bucketLocation', false);
    if (bucketLocation !== undefined && !REGION.test(bucketLocation)) errors.addProblem('cache.bucketLocation', M.region(bucketLocation), id);
    const serverAddress = text('serverAddress', false);
    if (serverAddress !== undefined && !isHostPort(serverAddress)) errors.addProblem('cache.serverAddress', M.serverAddress(serverAddress), id);
    const encryption = text('serverSideEncryption', false);
    if (encryption !== undefined && !['S3', 'KMS', 'DSSE-KMS'].includes(encryption)) {
      errors.addProblem('cache.serverSideEncryption', M.s3Encryption(encryption), id);
    }
    if (encryption === 'DSSE-KMS' && runnerVersion !== undefined && !atLeast('17.5.0')) {
      errors.addProblem('cache.serverSideEncryption', M.dsseVersion(runnerVersion), id);
    }
    const keyId = text('serverSideEncryptionKeyId', false);
    if (keyId !== undefined && encryption !== 'KMS' && encryption !== 'DSSE-KMS') {
      errors.addProblem('cache.serverSideEncryptionKeyId', M.keyIdWithout(), id);
    }
    if (secret) {
      credentials.push(
        { tomlKey: 'AccessKey', secretKey: key('accessKey', 'accesskey') },
        { tomlKey: 'SecretKey', secretKey: key('secretKey', 'secretkey') },
      );
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
    if (bucketName !== undefined && !gcsBucketOk(bucketName)) errors.addProblem('cache.bucketName', M.gcsBucket(bucketName), id);
    if (errors.count > before) return undefined;
    const credentialsFileKey = secret ? key('credentialsFile', 'gcs-application-credentials-file') : undefined;
    return { ...base, type: 'gcs', credentials, gcs: { bucketName: bucketName! }, credentialsFileKey };
  }
  if (input.provider === 'azure') {
    const containerName = text('containerName', true);
    if (containerName !== undefined && !AZURE_CONTAINER.test(containerName)) {
      errors.addProblem('cache.containerName', M.azureContainer(containerName), id);
    }
    const accountName = text('accountName', true);
    if (accountName !== undefined && !AZURE_ACCOUNT.test(accountName)) errors.addProblem('cache.accountName', M.azureAccount(accountName), id);
    const storageDomain = text('storageDomain', false);
    if (storageDomain !== undefined && !isDns1123Subdomain(storageDomain.toLowerCase())) {
      errors.addProblem('cache.storageDomain', M.domain(storageDomain), id);
    }
    if (input.credentials === undefined) errors.addProblem('cache.credentials', M.azureNoCredentials(), id);
    if (secret) credentials.push({ tomlKey: 'AccountKey', secretKey: key('accountKey', 'azure-account-key') });
    if (errors.count > before) return undefined;
    return { ...base, type: 'azure', credentials, azure: { containerName: containerName!, accountName: accountName!, storageDomain } };
  }
  errors.addProblem('cache', M.notCache(input.provider), id);
  return undefined;
}

/** The credentials' Secret, checked; undefined when none was given or it is not a Secret reference. */
function secretOf(errors: _PropErrors, input: CacheInput): { secretName: string; keys: Record<string, unknown> } | undefined {
  const c = input.credentials;
  if (c === undefined) return undefined;
  if ('notASecret' in c) {
    errors.add('cache.credentials', M.notSecret, CACHE_PROP_RULES.inlineCredentials.fix, CACHE_PROP_RULES.inlineCredentials.id);
    return undefined;
  }
  const id = CACHE_PROP_RULES.malformed.id;
  let ok = true;
  if (typeof c.secretName !== 'string' || !isDns1123Subdomain(c.secretName)) {
    errors.addProblem('cache.credentials.secretName', M.secretName(c.secretName, 'gitlab-runner-cache'), id);
    ok = false;
  }
  const keys = isPlainMap(c.keys) ? c.keys : {};
  for (const [name, value] of Object.entries(keys)) {
    if (value !== undefined && !isSecretKey(value)) {
      errors.addProblem(`cache.credentials.keys.${name}`, M.secretKey(value), id);
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
    errors.add('tlsCa', M.caNotSecret(ca.notASecret), CACHE_PROP_RULES.caNotSecret.fix, id);
    return undefined;
  }
  const key = ca.key ?? (gitlabHost !== undefined ? `${gitlabHost}.crt` : undefined);
  let ok = true;
  if (typeof ca.secretName !== 'string' || !isDns1123Subdomain(ca.secretName)) {
    errors.addProblem('tlsCa.secretName', M.secretName(ca.secretName, 'gitlab-ca'), id);
    ok = false;
  }
  if (!isSecretKey(key)) {
    errors.addProblem('tlsCa.key', M.caKey(key, gitlabHost), id);
    ok = false;
  }
  return ok ? { secretName: ca.secretName as string, key: key as string } : undefined;
}

