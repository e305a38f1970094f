import { App, Chart, Testing } from 'cdk8s';
import { parse } from 'smol-toml';
import {
  CacheSecret, FleetSynth, JobPodTemplate, RunnerCa, RunnerCache, RunnerManager, RunnerManagerProps, RunnerToken, Rules, S3Encryption,
} from '../src';
import { declaredAny } from './declared';
import { literalCacheCredentials } from '../src/internal/rules/cache';
import { ruleById } from '../src/internal/rules/catalogue';

// The cache and CA rules: bad input refused when the manager is declared (path, field, fix), CACHE001 when a manager
// has no distributed cache, CACHE002 for literal credentials, CACHE004 for Secret keys the Helm chart would not find,
// and VER001 for cache keys the runner version lacks.

type Obj = Record<string, any>;

function declare(extra: Partial<RunnerManagerProps>, gitlabUrl = 'https://gitlab.corp.example/'): { app: App; manager: RunnerManager } {
  const app = Testing.app();
  const scope = new Chart(app, 'fleet', { namespace: 'gitlab' });
  const manager = new RunnerManager(scope, 'Runner', {
    name: 'ci', gitlabUrl, token: RunnerToken.fromSecret('ci-token'), jobPod: new JobPodTemplate(scope, 'Jobs'), ...extra,
  });
  return { app, manager };
}

/** The prop errors a declaration throws: [ruleId, field, message, fix]. */
function errorsOf(extra: Partial<RunnerManagerProps>): Obj[] {
  try {
    declaredAny(() => declare(extra));
  } catch (e) {
    const findings = (e as Obj).findings as Obj[];
    expect((e as Error).message).toContain('[fleet/Runner]');
    return findings;
  }
  throw new Error('the declaration did not throw');
}

const s3 = (o: Obj) => RunnerCache.s3({ bucketName: 'ci-cache', ...o } as any);

describe('bad input: one error per problem, naming the field and the fix', () => {
  test.each([
    ['an S3 bucket with capitals', s3({ bucketName: 'CI_Cache' }), 'CACHE003', 'cache.bucketName', /not an S3 bucket name/],
    ['an S3 bucket shaped like an IP address', s3({ bucketName: '192.168.1.10' }), 'CACHE003', 'cache.bucketName', /not an IP address/],
    ['an S3 bucket of 2 characters', s3({ bucketName: 'ab' }), 'CACHE003', 'cache.bucketName', /3 to 63/],
    ['no bucket', RunnerCache.s3({} as any), 'CACHE003', 'cache.bucketName', /s3 cache needs bucketName/],
    ['a server address with a scheme', s3({ serverAddress: 'https://minio.example.com' }), 'CACHE003', 'cache.serverAddress', /not a host or host:port/],
    ['a server address with a path', s3({ serverAddress: 'minio.example.com/bucket' }), 'CACHE003', 'cache.serverAddress', /not a host/],
    ['a server address with port 0', s3({ serverAddress: 'minio.example.com:0' }), 'CACHE003', 'cache.serverAddress', /not a host/],
    ['a region with a space', s3({ bucketLocation: 'eu west 1' }), 'CACHE003', 'cache.bucketLocation', /not a region/],
    ['an encryption key id without KMS', s3({ serverSideEncryptionKeyId: 'alias/x' }), 'CACHE003', 'cache.serverSideEncryptionKeyId', /only used with/],
    ['an unknown encryption', s3({ serverSideEncryption: 'aes' }), 'CACHE003', 'cache.serverSideEncryption', /not an S3Encryption/],
    ['a string for credentials', s3({ credentials: 'AKIAABCDEFGHIJKLMNOP' }), 'CACHE002', 'cache.credentials', /must come from a Secret/],
    ['an object of keys for credentials', s3({ credentials: { accessKey: 'a', secretKey: 'b' } }), 'CACHE002', 'cache.credentials', /must come from a Secret/],
    ['a Secret name with capitals', s3({ credentials: CacheSecret.fromSecret('Cache_Creds') }), 'CACHE003', 'cache.credentials.secretName', /not a valid Secret name/],
    ['a Secret key with a slash', s3({ credentials: CacheSecret.fromSecret('c', { secretKey: 'a/b' }) }), 'CACHE003', 'cache.credentials.keys.secretKey', /not a valid Secret key/],
    ['a GCS bucket starting with goog', RunnerCache.gcs({ bucketName: 'google-cache' }), 'CACHE003', 'cache.bucketName', /not starting with "goog"/],
    ['an Azure container with two hyphens', RunnerCache.azure({ containerName: 'ci--cache', accountName: 'ciscache', credentials: CacheSecret.fromSecret('a') }), 'CACHE003', 'cache.containerName', /no two hyphens/],
    ['an Azure account with a hyphen', RunnerCache.azure({ containerName: 'ci', accountName: 'ci-cache', credentials: CacheSecret.fromSecret('a') }), 'CACHE003', 'cache.accountName', /3 to 24/],
    ['Azure without credentials', RunnerCache.azure({ containerName: 'cic', accountName: 'ciscache' } as any), 'CACHE003', 'cache.credentials', /needs the storage account key/],
    ['not a RunnerCache', { bucketName: 'ci-cache' } as any, 'CACHE003', 'cache', /not a RunnerCache/],
    ['a negative archive size', s3({ maxUploadedArchiveSize: -1 }), 'CACHE003', 'cache.maxUploadedArchiveSize', /not a whole number/],
    ['a credential in the path', s3({ path: 'x?token=abc' }), 'SEC002', 'cache.path', /credential|token/],
  ])('%s', (_name, cache, ruleId, field, message) => {
    const errors = errorsOf({ cache });
    const found = errors.find((f) => f.field === field);
    expect(found).toMatchObject({ ruleId, path: 'fleet/Runner' });
    expect(found!.message).toMatch(message);
    expect(found!.fix.length).toBeGreaterThan(10);
  });

  test('DSSE-KMS on a runner older than 17.5.0 is refused; on 17.5.0 it is rendered', () => {
    const cache = s3({ serverSideEncryption: S3Encryption.DSSE_KMS, serverSideEncryptionKeyId: 'alias/x' });
    const errors = errorsOf({ cache, image: 'gitlab/gitlab-runner:v17.4.0' });
    expect(errors.find((f) => f.field === 'cache.serverSideEncryption')).toMatchObject({ ruleId: 'CACHE003' });
    const { manager } = declare({ cache, image: 'gitlab/gitlab-runner:v17.5.0' });
    expect((parse(manager.configToml) as Obj).runners[0].cache.s3.ServerSideEncryption).toBe('DSSE-KMS');
  });

  test.each([
    ['a string', 'corp-ca', 'tlsCa', /not a RunnerCa/],
    ['PEM text', '-----BEGIN CERTIFICATE-----\nMII', 'tlsCa', /must come from a Secret/],
    ['a bad Secret name', RunnerCa.fromSecret('Corp CA'), 'tlsCa.secretName', /not a valid Secret name/],
    ['a bad key', RunnerCa.fromSecret('corp-ca', '../ca'), 'tlsCa.key', /not a valid Secret key/],
  ])('a CA that is %s', (_name, tlsCa, field, message) => {
    const found = errorsOf({ tlsCa: tlsCa as any }).find((f) => f.field === field);
    expect(found).toMatchObject({ ruleId: 'CA001' });
    expect(found!.message).toMatch(message);
  });
});

describe('synth rules', () => {
  const ids = (app: App) => FleetSynth.findings(app).map((f) => f.ruleId);

  test('CACHE001: a warning without a cache, none with one; acknowledgeable', () => {
    const without = declare({});
    expect(ids(without.app)).toContain('CACHE001');
    expect(FleetSynth.findings(without.app).find((f) => f.ruleId === 'CACHE001')).toMatchObject({ severity: 'warning', path: 'fleet/Runner', field: 'cache' });
    const withCache = declare({ cache: s3({}) });
    expect(ids(withCache.app)).not.toContain('CACHE001');
    const acked = declare({});
    Rules.acknowledge(acked.manager, 'CACHE001', 'the jobs use no cache');
    expect(FleetSynth.findings(acked.app).find((f) => f.ruleId === 'CACHE001')!.message).toMatch(/the jobs use no cache/);
    expect(ruleById('CACHE001')?.severity).toBe('warning');
  });

  test('CACHE004: Secret keys the chart would not find; none with the defaults', () => {
    const odd = declare({ cache: s3({ credentials: CacheSecret.fromSecret('c', { accessKey: 'id', secretKey: 'secret' }) }), tlsCa: RunnerCa.fromSecret('ca', 'ca.pem') });
    const found = FleetSynth.findings(odd.app).filter((f) => f.ruleId === 'CACHE004');
    expect(found.map((f) => f.field).sort()).toEqual(['cache.credentials', 'cache.credentials', 'tlsCa.key']);
    expect(found.every((f) => f.severity === 'warning')).toBe(true);
    const native = (parse(odd.manager.configToml) as Obj).runners[0];
    expect(native['tls-ca-file']).toBe('/home/gitlab-runner/.gitlab-runner/certs/ca.pem');
    const defaults = declare({ cache: s3({ credentials: CacheSecret.fromSecret('c') }), tlsCa: RunnerCa.fromSecret('ca') });
    expect(ids(defaults.app)).not.toContain('CACHE004');
  });

  test('VER001: PathStyle on a runner that does not know it (before 17.5.0)', () => {
    const { app } = declare({ cache: s3({ pathStyle: true }), image: 'gitlab/gitlab-runner:v17.4.0' });
    const found = FleetSynth.findings(app).find((f) => f.ruleId === 'VER001');
    expect(found).toMatchObject({ severity: 'error', field: 'config.toml runners[0].cache.s3.PathStyle' });
    expect(found!.message).toMatch(/added in 17\.5\.0/);
  });

  test('CACHE002 at synth: a literal credential under a [runners.cache] credential key (an escape hatch)', () => {
    const table = { runners: [{ cache: { Type: 's3', s3: { AccessKey: 'AKIA-literal', SecretKey: 'written-at-pod-start-from-the-secret' } } }] };
    expect(literalCacheCredentials('fleet/Runner', table).map((h) => h.field)).toEqual(['config.toml runners[0].cache.s3.AccessKey']);
    const typed = declare({ cache: s3({ credentials: CacheSecret.fromSecret('c') }) });
    expect(ids(typed.app)).not.toContain('CACHE002');
  });
});

describe('the credential lines and the values header', () => {
  test('another config.toml entry reading like a credential line is refused (the init container would stop the pod)', () => {
    const app = Testing.app();
    const scope = new Chart(app, 'fleet', { namespace: 'gitlab' });
    const jobPod = new JobPodTemplate(scope, 'Jobs', { podLabels: { AccessKey: 'written-at-pod-start-from-the-secret' } });
    let error: Obj | undefined;
    try {
      declaredAny(() => new RunnerManager(scope, 'Runner', { gitlabUrl: 'https://gitlab.corp.example/', token: RunnerToken.fromSecret('t'), jobPod, cache: s3({ credentials: CacheSecret.fromSecret('c') }) }));
    } catch (e) {
      error = e as Obj;
    }
    expect(error?.findings.find((f: Obj) => f.field === 'cache')).toMatchObject({ ruleId: 'CACHE003' });
    expect(error?.message).toMatch(/2 lines reading AccessKey = /);
  });

  test('the values file names the Secret keys the chart reads', () => {
    const { manager } = declare({ cache: RunnerCache.azure({ containerName: 'cic', accountName: 'ciscache', credentials: CacheSecret.fromSecret('az') }), tlsCa: RunnerCa.fromSecret('ca') });
    const values = (manager as Obj)._extraFiles().find((f: Obj) => f.fileName.endsWith('.values.yaml')).content as string;
    expect(values).toContain("# The cache Secret 'az' must hold the keys 'azure-account-name' and 'azure-account-key'");
    expect(values).toContain("tls-ca-file reads its key 'gitlab.corp.example.crt'");
  });
});
