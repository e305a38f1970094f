import { AWK_CONTROL_CODES, awkReadWhole, awkReplaceOneLine, awkTomlEscape } from './awk';
import { compact } from './records';
import type { CacheModel } from '../../model/cache';
import type { ManagerModel } from '../../model/manager';

// Pure renderers of the distributed cache (`[runners.cache]`) and the private CA (`tls-ca-file`): the config.toml keys
// and what the manager pod needs to read their credentials. No credential is ever rendered: config.toml holds a
// placeholder that the manager's `cache-credentials` init container replaces from the Secret (CACHE_FILL_SCRIPT) in
// the memory-backed config copy, as `copy-config` does for the token; a GCS credentials file is mounted as a file.

/** The value of a cache credential key in config.toml until the init container writes the Secret's value over it. */
export const CACHE_CREDENTIAL_PLACEHOLDER = 'written-at-pod-start-from-the-secret';
/** Where the runner reads the CA bundle: the chart's `certsSecretName` mount; the native Deployment mounts the same. */
export const CERTS_DIR = '/home/gitlab-runner/.gitlab-runner/certs';
/** Where the cache Secret's files are mounted: the chart's `/secrets` (its projected volume) and, natively, the same. */
export const CACHE_SECRET_DIR = '/secrets';
/** The chart's file name for a GCS credentials file (its entrypoint exports GOOGLE_APPLICATION_CREDENTIALS to it). */
export const GCS_CREDENTIALS_FILE_NAME = 'gcs-application-credentials-file';

/** The Secret keys the chart's entrypoint reads from `runners.cache.secretName`, per credential. */
export const HELM_CACHE_SECRET_KEYS = {
  s3AccessKey: 'accesskey',
  s3SecretKey: 'secretkey',
  gcsCredentialsFile: GCS_CREDENTIALS_FILE_NAME,
  azureAccountName: 'azure-account-name',
  azureAccountKey: 'azure-account-key',
} as const;

/** The values file's header lines about the Secrets the chart reads for the cache and the CA. */
export function cacheHeader(m: ManagerModel): string[] {
  const lines: string[] = [];
  const cache = m.cache;
  if (cache?.secretName !== undefined) {
    const keys = cache.type === 's3' ? [HELM_CACHE_SECRET_KEYS.s3AccessKey, HELM_CACHE_SECRET_KEYS.s3SecretKey]
      : cache.type === 'gcs' ? [HELM_CACHE_SECRET_KEYS.gcsCredentialsFile]
        : [HELM_CACHE_SECRET_KEYS.azureAccountName, HELM_CACHE_SECRET_KEYS.azureAccountKey];
    lines.push(`# The cache Secret '${cache.secretName}' must hold the keys ${keys.map((k) => `'${k}'`).join(' and ')} `
      + '(the names the chart\'s entrypoint reads).');
  }
  if (m.tlsCa) lines.push(`# The CA Secret '${m.tlsCa.secretName}' is mounted whole at ${CERTS_DIR}/; tls-ca-file reads its key '${m.tlsCa.key}'.`);
  return lines;
}

/** The line of config.toml the init container fills in for `tomlKey`: exactly one line may read so. */
export function credentialLine(tomlKey: string): string {
  return `${tomlKey} = "${CACHE_CREDENTIAL_PLACEHOLDER}"`;
}

/** The path of the CA bundle the runner reads (`tls-ca-file`). */
export function tlsCaFile(m: ManagerModel): string | undefined {
  return m.tlsCa ? `${CERTS_DIR}/${m.tlsCa.key}` : undefined;
}

/** The `tls-ca-file` entry of `[[runners]]`, if the manager has a CA. */
export function tlsCaEntry(m: ManagerModel): Record<string, string> {
  const file = tlsCaFile(m);
  return file === undefined ? {} : { 'tls-ca-file': file };
}

/** `[runners.cache]` of a manager; the credential keys hold the placeholder unless `withCredentials` is false. */
export function cacheTable(cache: CacheModel | undefined, withCredentials = true): Record<string, unknown> | undefined {
  if (!cache) return undefined;
  const credentials: Record<string, string> = {};
  if (withCredentials) for (const c of cache.credentials) credentials[c.tomlKey] = CACHE_CREDENTIAL_PLACEHOLDER;
  const s3 = cache.s3 && compact({
    ServerAddress: cache.s3.serverAddress,
    ...(cache.s3.authenticationType === 'access-key' ? { AccessKey: credentials.AccessKey, SecretKey: credentials.SecretKey } : {}),
    BucketName: cache.s3.bucketName,
    BucketLocation: cache.s3.bucketLocation,
    Insecure: cache.s3.insecure,
    AuthenticationType: cache.s3.authenticationType,
    ServerSideEncryption: cache.s3.serverSideEncryption,
    ServerSideEncryptionKeyID: cache.s3.serverSideEncryptionKeyId,
    PathStyle: cache.s3.pathStyle,
  });
  const gcs = cache.gcs && compact({
    CredentialsFile: cache.credentialsFileKey !== undefined ? `${CACHE_SECRET_DIR}/${GCS_CREDENTIALS_FILE_NAME}` : undefined,
    BucketName: cache.gcs.bucketName,
  });
  const azure = cache.azure && compact({
    AccountName: cache.azure.accountName,
    AccountKey: credentials.AccountKey,
    ContainerName: cache.azure.containerName,
    StorageDomain: cache.azure.storageDomain,
  });
  return compact({
    Type: cache.type,
    Path: cache.path,
    Shared: cache.shared,
    MaxUploadedArchiveSize: cache.maxUploadedArchiveSize,
    s3,
    gcs,
    azure,
  });
}

/**
 * The `cache-credentials` init container's script: runs after `copy-config` and, for each pair of arguments (a
 * `[runners.cache.*]` key and a file of the cache Secret), replaces the one line `<key> = "<placeholder>"` of the
 * config copy with the file's bytes, escaped as a TOML basic string. Like the token script: the value never reaches a
 * command line, an environment variable or a log; POSIX sh and awk only; LC_ALL=C so awk counts bytes.
 */
export const CACHE_FILL_SCRIPT = String.raw`set -eu
umask 077
while [ "$#" -ge 2 ]; do
  tmp="$CONFIG_FILE.new"
  rm -f "$tmp"
  { cat "$2" && printf x; } | LC_ALL=C KEY="$1" FILE="$2" awk '
function fail(msg) { print "cache-credentials: " msg > "/dev/stderr"; exit 1 }
${AWK_CONTROL_CODES}
${awkReadWhole('value', '"cannot read " ENVIRON["FILE"]', 'ENVIRON["FILE"] " is empty"')}
${awkTomlEscape('value')}
  src = ENVIRON["CONFIG_FILE"]
  target = ENVIRON["KEY"] " = \"${CACHE_CREDENTIAL_PLACEHOLDER}\""
${awkReplaceOneLine('target', 'ENVIRON["KEY"] " = \\"" escaped "\\""', 'src " has " found " lines " target " to fill in, not 1"')}
}' > "$tmp"
  chmod 600 "$tmp"
  mv -f "$tmp" "$CONFIG_FILE"
  shift 2
done
`;

/** The Secret volume of the cache credentials, mounted at CACHE_SECRET_DIR: the key files under the chart's names. */
export function cacheSecretVolume(m: ManagerModel): Record<string, unknown> | undefined {
  const cache = m.cache;
  if (!cache?.secretName) return undefined;
  const items = [
    ...cache.credentials.map((c) => ({ key: c.secretKey, path: fileNameOf(c.tomlKey) })),
    ...(cache.credentialsFileKey !== undefined ? [{ key: cache.credentialsFileKey, path: GCS_CREDENTIALS_FILE_NAME }] : []),
  ];
  // Group-readable for the non-root containers: the kubelet gives the files the pod's fsGroup.
  return { name: 'cache-credentials', secret: { secretName: cache.secretName, items, defaultMode: 0o440 } };
}

/** The file a credential is mounted as: the chart's name for it. */
function fileNameOf(tomlKey: string): string {
  if (tomlKey === 'AccessKey') return HELM_CACHE_SECRET_KEYS.s3AccessKey;
  if (tomlKey === 'SecretKey') return HELM_CACHE_SECRET_KEYS.s3SecretKey;
  return HELM_CACHE_SECRET_KEYS.azureAccountKey;
}

/** What the `cache-credentials` init container shares with `copy-config`. */
export interface InitBase {
  readonly image: string;
  readonly env: Array<{ name: string; value: string }>;
  readonly resources: unknown;
  readonly securityContext: unknown;
  readonly configMount: unknown;
}

/** The `cache-credentials` init container, when config.toml has cache credentials to fill in. */
export function cacheInitContainer(m: ManagerModel, base: InitBase) {
  const credentials = m.cache?.credentials ?? [];
  if (!credentials.length) return undefined;
  return {
    name: 'cache-credentials',
    image: base.image,
    imagePullPolicy: 'IfNotPresent',
    command: [
      'sh', '-c', CACHE_FILL_SCRIPT, 'cache-credentials',
      ...credentials.flatMap((c) => [c.tomlKey, `${CACHE_SECRET_DIR}/${fileNameOf(c.tomlKey)}`]),
    ],
    env: base.env,
    resources: base.resources,
    securityContext: base.securityContext,
    volumeMounts: [{ name: 'cache-credentials', mountPath: CACHE_SECRET_DIR, readOnly: true }, base.configMount],
  };
}

/** What the runner container mounts: the CA bundle, and a GCS credentials file. */
export function runnerExtraMounts(m: ManagerModel): Array<Record<string, unknown>> {
  return [
    ...(m.tlsCa ? [{ name: 'custom-certs', mountPath: CERTS_DIR, readOnly: true }] : []),
    ...(m.cache?.credentialsFileKey !== undefined ? [{ name: 'cache-credentials', mountPath: CACHE_SECRET_DIR, readOnly: true }] : []),
  ];
}

function caVolume(ca: { secretName: string; key: string }): Record<string, unknown> {
  return { name: 'custom-certs', secret: { secretName: ca.secretName, items: [{ key: ca.key, path: ca.key }], defaultMode: 0o444 } };
}

/** The pod's extra volumes: the cache Secret and the CA bundle's Secret. */
export function extraVolumes(m: ManagerModel): Array<Record<string, unknown>> {
  const cacheVolume = cacheSecretVolume(m);
  return [
    ...(cacheVolume ? [cacheVolume] : []),
    ...(m.tlsCa ? [caVolume(m.tlsCa)] : []),
  ];
}
