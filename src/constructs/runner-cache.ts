import type * as kplus from 'cdk8s-plus-28';
import { CACHE_MESSAGES as M } from './runner-cache.messages';
import { credentialLine } from '../internal/render/cache';
import { compareVersions } from '../internal/runner/version';
import { CACHE_PROP_RULES, CacheInput, cacheModel, caModel } from '../internal/validate/cache';
import { _PropErrors } from '../internal/validate/prop-errors';
import { checkPropStrings } from '../internal/validate/secrets';
import type { CacheModel, SecretKeyModel } from '../model/cache';

/**
 * A Secret in the manager's namespace holding distributed-cache credentials. The values never reach an output: the
 * manager's init container writes them into its in-memory config.toml copy (S3 keys, the Azure account key), or the
 * runner reads them as a mounted file (a GCS credentials file); the Helm values name the Secret
 * (`runners.cache.secretName`), whose keys the chart reads by fixed names.
 */
export class CacheSecret {
  /**
   * An existing Secret in the manager's namespace.
   *
   * @param secretName the Secret's name
   * @param keys the Secret's keys per credential; the defaults are the names the Helm chart reads
   */
  public static fromSecret(secretName: string, keys: CacheSecretKeys = {}): CacheSecret {
    return new CacheSecret(secretName, keys);
  }

  /**
   * A cdk8s-plus-28 Secret (declared in the app, or imported by name). Only its name is read, so cdk8s-plus is not
   * loaded; a Secret declared in another namespace than the manager's is refused (a pod mounts Secrets of its own).
   *
   * @param secret the Secret
   * @param keys the Secret's keys per credential; the defaults are the names the Helm chart reads
   */
  public static fromKplusSecret(secret: kplus.ISecret, keys: CacheSecretKeys = {}): CacheSecret {
    return new CacheSecret(secret?.name, keys, kplusNamespace(secret));
  }

  /** The Secret's name. */
  public readonly secretName: string;
  /** The Secret's keys per credential. */
  public readonly keys: CacheSecretKeys;
  /** @internal The namespace of the Secret, when it is known (a cdk8s-plus Secret declared in the app). */
  public readonly _namespace?: string;

  private constructor(secretName: string, keys: CacheSecretKeys, namespace?: string) {
    this.secretName = secretName;
    this.keys = keys;
    this._namespace = namespace;
  }
}

/** The keys of a `CacheSecret`, per credential. Only the ones the cache's provider uses are read. */
export interface CacheSecretKeys {
  /**
   * S3: the key holding the access key id.
   *
   * @default 'accesskey'
   */
  readonly accessKey?: string;
  /**
   * S3: the key holding the secret access key.
   *
   * @default 'secretkey'
   */
  readonly secretKey?: string;
  /**
   * GCS: the key holding the service account's JSON credentials file.
   *
   * @default 'gcs-application-credentials-file'
   */
  readonly credentialsFile?: string;
  /**
   * Azure: the key holding the storage account key.
   *
   * @default 'azure-account-key'
   */
  readonly accountKey?: string;
}

/** What every cache provider has. */
export interface RunnerCacheOptions {
  /**
   * A path prefix for the cache objects in the bucket or container (`Path`).
   *
   * @default - no prefix
   */
  readonly path?: string;
  /**
   * Whether runners share the cache (`Shared`): without it each runner keeps its own under `runner/<token prefix>/`.
   *
   * @default false
   */
  readonly shared?: boolean;
  /**
   * The largest cache archive the job uploads, in bytes (`MaxUploadedArchiveSize`); a larger one is not uploaded.
   *
   * @default - no limit
   */
  readonly maxUploadedArchiveSize?: number;
}

/** The server-side encryption S3 applies to cache objects (`ServerSideEncryption`). */
export enum S3Encryption {
  /** SSE-S3: keys managed by S3 (AES256). */
  S3 = 'S3',
  /** SSE-KMS: a KMS key (`serverSideEncryptionKeyId`). */
  KMS = 'KMS',
  /** DSSE-KMS: dual-layer encryption with a KMS key (GitLab Runner 17.5.0 and later). */
  DSSE_KMS = 'DSSE-KMS',
}

/** An S3 or S3-compatible (MinIO) cache. */
export interface S3CacheOptions extends RunnerCacheOptions {
  /** The bucket (`BucketName`). */
  readonly bucketName: string;
  /**
   * The bucket's region (`BucketLocation`).
   *
   * @default - the runner's default (us-east-1)
   */
  readonly bucketLocation?: string;
  /**
   * The S3-compatible server, `host` or `host:port` without a scheme (`ServerAddress`), e.g. MinIO's.
   *
   * @default - AWS S3
   */
  readonly serverAddress?: string;
  /**
   * Path-style URLs (`PathStyle`), which most S3-compatible servers need (GitLab Runner 17.5.0 and later).
   *
   * @default - the runner's default (virtual-host style)
   */
  readonly pathStyle?: boolean;
  /**
   * Plain HTTP to the server (`Insecure`): cache contents and credentials travel unencrypted.
   *
   * @default false
   */
  readonly insecure?: boolean;
  /**
   * Server-side encryption of the cache objects (`ServerSideEncryption`).
   *
   * @default - none
   */
  readonly serverSideEncryption?: S3Encryption;
  /**
   * The KMS key (alias, id or ARN) for `S3Encryption.KMS` and `DSSE_KMS` (`ServerSideEncryptionKeyID`).
   *
   * @default - none
   */
  readonly serverSideEncryptionKeyId?: string;
  /**
   * The access key and secret key. Without them the runner uses the pod's identity (`AuthenticationType = "iam"`):
   * EKS IRSA or Pod Identity on the manager's ServiceAccount, or the node's instance profile.
   *
   * @default - the pod's identity (IAM), no keys
   */
  readonly credentials?: CacheSecret;
}

/** A Google Cloud Storage cache. */
export interface GcsCacheOptions extends RunnerCacheOptions {
  /** The bucket (`BucketName`). */
  readonly bucketName: string;
  /**
   * A service account's JSON credentials file. Without it the runner uses the pod's identity (GKE Workload Identity
   * on the manager's ServiceAccount).
   *
   * @default - the pod's identity (Workload Identity), no file
   */
  readonly credentials?: CacheSecret;
}

/** An Azure Blob Storage cache. */
export interface AzureCacheOptions extends RunnerCacheOptions {
  /** The blob container (`ContainerName`). */
  readonly containerName: string;
  /** The storage account's name (`AccountName`); not a secret. */
  readonly accountName: string;
  /** The Secret with the storage account key. */
  readonly credentials: CacheSecret;
  /**
   * The storage domain (`StorageDomain`), for sovereign clouds.
   *
   * @default - the runner's default (blob.core.windows.net)
   */
  readonly storageDomain?: string;
}

/**
 * The manager's distributed cache (`[runners.cache]`). On the Kubernetes executor every job runs in a fresh pod, so
 * without it `cache:` in .gitlab-ci.yml keeps nothing from one job to the next.
 */
export class RunnerCache {
  /** An S3 or S3-compatible cache. */
  public static s3(options: S3CacheOptions): RunnerCache {
    return new RunnerCache('s3', options);
  }

  /** A Google Cloud Storage cache. */
  public static gcs(options: GcsCacheOptions): RunnerCache {
    return new RunnerCache('gcs', options);
  }

  /** An Azure Blob Storage cache. */
  public static azure(options: AzureCacheOptions): RunnerCache {
    return new RunnerCache('azure', options);
  }

  /** The provider: `s3`, `gcs` or `azure` (the runner's `Type`). */
  public readonly provider: string;
  /** @internal The options as given, checked by the manager that uses the cache. */
  public readonly _options: S3CacheOptions | GcsCacheOptions | AzureCacheOptions;

  private constructor(provider: string, options: S3CacheOptions | GcsCacheOptions | AzureCacheOptions) {
    this.provider = provider;
    this._options = options;
  }
}

/** The namespace of a cdk8s-plus Secret declared in the app; one imported by name does not know it. */
function kplusNamespace(secret: kplus.ISecret | undefined): string | undefined {
  const namespace: unknown = (secret as { metadata?: { namespace?: unknown } } | undefined)?.metadata?.namespace;
  return typeof namespace === 'string' ? namespace : undefined;
}

/**
 * A CA bundle (PEM) the runner trusts for GitLab, from a Secret: a self-hosted GitLab with a private or corporate CA.
 */
export class RunnerCa {
  /**
   * A CA bundle in an existing Secret in the manager's namespace.
   *
   * @param secretName the Secret's name
   * @param key the key holding the PEM bundle; the runner and the chart also find `<gitlab host>.crt` on their own, so
   * that name works everywhere (the chart's register step included)
   * @default key - `<gitlab host>.crt`
   */
  public static fromSecret(secretName: string, key?: string): RunnerCa {
    return new RunnerCa(secretName, key);
  }

  /**
   * A CA bundle in a cdk8s-plus-28 Secret (declared in the app, or imported by name). Only its name is read, so
   * cdk8s-plus is not loaded; a Secret declared in another namespace than the manager's is refused.
   *
   * @param secret the Secret
   * @param key the key holding the PEM bundle
   * @default key - `<gitlab host>.crt`
   */
  public static fromKplusSecret(secret: kplus.ISecret, key?: string): RunnerCa {
    return new RunnerCa(secret?.name, key, kplusNamespace(secret));
  }

  /** The Secret's name. */
  public readonly secretName: string;
  /** The key holding the bundle, if given. */
  public readonly key?: string;
  /** @internal The namespace of the Secret, when it is known (a cdk8s-plus Secret declared in the app). */
  public readonly _namespace?: string;

  private constructor(secretName: string, key?: string, namespace?: string) {
    this.secretName = secretName;
    this.key = key;
    this._namespace = namespace;
  }
}

/**
 * @internal The `cache-credentials` init container replaces exactly one line per credential; another config.toml
 * entry of the same text (a pod label `AccessKey` with the placeholder as value, say) would make it stop the pod.
 */
export function _checkCredentialLines(errors: _PropErrors, configToml: string, cache: CacheModel | undefined): void {
  const lines = configToml.split('\n');
  for (const c of cache?.credentials ?? []) {
    const count = lines.filter((line) => line === credentialLine(c.tomlKey)).length;
    if (count !== 1) {
      errors.addProblem('cache', M.credentialLines(count, credentialLine(c.tomlKey), c.tomlKey), CACHE_PROP_RULES.malformed.id);
    }
  }
}

/**
 * @internal Checks a manager's `cache` and `tlsCa` props and returns their models (the RunnerManager's hook).
 * `runnerVersion` is undefined when the manager's version could not be resolved (reported elsewhere).
 */
export function _cacheAndCaModels(
  errors: _PropErrors, cache: unknown, tlsCa: unknown, gitlabUrl: unknown, runnerVersion: string | undefined,
): { cache?: CacheModel; tlsCa?: SecretKeyModel } {
  let cacheInput: CacheInput | undefined;
  if (cache instanceof RunnerCache) {
    const { credentials, ...options } = cache._options as unknown as Record<string, unknown>;
    checkPropStrings(errors, { cache: options });
    cacheInput = {
      provider: cache.provider,
      options,
      credentials: credentials === undefined ? undefined
        : credentials instanceof CacheSecret ? { secretName: credentials.secretName, keys: (credentials.keys ?? {}) as Record<string, unknown> }
          : { notASecret: credentials },
    };
  } else if (cache !== undefined) {
    errors.addProblem('cache', M.notCache(cache), CACHE_PROP_RULES.malformed.id);
  }
  const atLeast = (v: string) => runnerVersion !== undefined && compareVersions(runnerVersion, v) >= 0;
  let host: string | undefined;
  try {
    host = typeof gitlabUrl === 'string' ? new URL(gitlabUrl).hostname || undefined : undefined;
  } catch {
    host = undefined;
  }
  const ca = tlsCa === undefined ? undefined : tlsCa instanceof RunnerCa ? { secretName: tlsCa.secretName, key: tlsCa.key } : { notASecret: tlsCa };
  return { cache: cacheModel(errors, cacheInput, runnerVersion, atLeast), tlsCa: caModel(errors, ca, host) };
}
