// The plain model of a manager's distributed cache (`[runners.cache]`) and of the private CA it trusts.

/** @internal A key of a Secret in the manager's namespace. */
export interface SecretKeyModel {
  readonly secretName: string;
  readonly key: string;
}

/**
 * @internal A credential the manager's init container writes into its config.toml copy from a Secret: the TOML key of
 * the `[runners.cache.<provider>]` table, and where the value comes from.
 */
export interface CacheCredentialModel {
  /** The runner's key in `[runners.cache.<provider>]`, e.g. `SecretKey`. */
  readonly tomlKey: string;
  /** The Secret key holding the value; the Secret is the cache's `secretName`. */
  readonly secretKey: string;
}

/** @internal The S3 part of a cache. */
export interface S3CacheModel {
  readonly bucketName: string;
  readonly bucketLocation?: string;
  readonly serverAddress?: string;
  readonly pathStyle?: boolean;
  readonly insecure?: boolean;
  readonly serverSideEncryption?: string;
  readonly serverSideEncryptionKeyId?: string;
  /** `access-key` (keys from the Secret) or `iam` (the pod's identity: IRSA, instance profile). */
  readonly authenticationType: 'access-key' | 'iam';
}

/** @internal The GCS part of a cache. */
export interface GcsCacheModel {
  readonly bucketName: string;
}

/** @internal The Azure Blob part of a cache. */
export interface AzureCacheModel {
  readonly containerName: string;
  readonly accountName: string;
  readonly storageDomain?: string;
}

/** @internal A manager's distributed cache. */
export interface CacheModel {
  readonly type: 's3' | 'gcs' | 'azure';
  readonly path?: string;
  readonly shared?: boolean;
  readonly maxUploadedArchiveSize?: number;
  readonly s3?: S3CacheModel;
  readonly gcs?: GcsCacheModel;
  readonly azure?: AzureCacheModel;
  /** The Secret with the credentials, when the cache does not use the pod's cloud identity. */
  readonly secretName?: string;
  /** Credentials written into config.toml at pod start (S3 keys, the Azure account key). */
  readonly credentials: readonly CacheCredentialModel[];
  /** A credentials file mounted from the Secret (GCS service account JSON): its Secret key. */
  readonly credentialsFileKey?: string;
}
