import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart, Testing } from 'cdk8s';
import { parse } from 'smol-toml';
import { declaredAny } from './declared';
import { helmTemplate, requireRealHelm } from './helm-binary';
import { findManifestProblems } from './k8s-schema';
import { quietSynth } from './quiet-synth';
import { decode, decoderAvailable, DECODER_VERSIONS, NASTY_TOKENS, runInitScript } from './runner-decode';
import {
  CacheSecret, FleetSynth, JobPodTemplate, RunnerCa, RunnerCache, RunnerManager, RunnerToken, S3Encryption,
} from '../src';
import { CACHE_CREDENTIAL_PLACEHOLDER, CERTS_DIR } from '../src/internal/render/cache';
import { renderHelmValues } from '../src/internal/render/helm-values';

// The distributed cache and the private CA (issue #14, part A): config.toml decoded by the runner's own types for each
// supported decoder version, the credentials written from the Secret by the init container (never into an output),
// the manifests schema-valid, the Helm values rendered by the real helm with the real chart and compared with the
// native Deployment, and bad input refused with the path, the field and the fix.

type Obj = Record<string, any>;

/** Test secrets: none of these may appear in any synthesized file. */
const SECRETS = {
  accessKey: 'AKIATESTSECRETVALUE1',
  secretKey: 'sEcReT/kEy+"quoted"\\back$(shell)',
  accountKey: 'azure==KEY/with+slash"and\\back',
  gcsFile: '{"type":"service_account","private_key":"-----BEGIN PRIVATE KEY-----\\nTESTGCSKEY\\n-----END PRIVATE KEY-----\\n"}',
  ca: '-----BEGIN CERTIFICATE-----\nTESTCABUNDLE\n-----END CERTIFICATE-----\n',
};

const GITLAB = 'https://gitlab.corp.example/';

function fleet(cache: RunnerCache | undefined, extra: Obj = {}): { chart: Chart; manager: RunnerManager } {
  const chart = Testing.chart();
  const manager = new RunnerManager(chart, 'Runner', {
    name: 'ci',
    namespace: 'gitlab',
    gitlabUrl: GITLAB,
    token: RunnerToken.fromSecret('ci-token'),
    image: 'registry.gitlab.com/gitlab-org/gitlab-runner:alpine-v18.9.0',
    jobPod: new JobPodTemplate(chart, 'Jobs', { namespace: 'gitlab' }),
    cache,
    tlsCa: RunnerCa.fromSecret('corp-ca'),
    ...extra,
  });
  return { chart, manager };
}

const PROVIDERS: Array<[string, () => RunnerCache]> = [
  ['S3 (MinIO, keys from a Secret, path style, KMS)', () => RunnerCache.s3({
    bucketName: 'ci-cache',
    bucketLocation: 'eu-west-1',
    serverAddress: 'minio.corp.example:9000',
    pathStyle: true,
    serverSideEncryption: S3Encryption.KMS,
    serverSideEncryptionKeyId: 'alias/ci-cache',
    path: 'runners',
    shared: true,
    maxUploadedArchiveSize: 1073741824,
    credentials: CacheSecret.fromSecret('cache-s3'),
  })],
  ['S3 (IAM / IRSA, no keys)', () => RunnerCache.s3({ bucketName: 'ci-cache', bucketLocation: 'us-east-1' })],
  ['GCS (credentials file)', () => RunnerCache.gcs({ bucketName: 'ci_cache.example.com', credentials: CacheSecret.fromSecret('cache-gcs') })],
  ['GCS (Workload Identity)', () => RunnerCache.gcs({ bucketName: 'ci-cache' })],
  ['Azure', () => RunnerCache.azure({ containerName: 'ci-cache', accountName: 'ciscache', credentials: CacheSecret.fromSecret('cache-azure') })],
];

/** The FleetConfigError a declaration throws. */
function errorOf(declare: () => unknown): Obj {
  try {
    declaredAny(declare);
  } catch (e) {
    return e as Obj;
  }
  throw new Error('the declaration did not throw');
}

const deploymentOf = (chart: Chart): Obj => Testing.synth(chart).find((o: Obj) => o.kind === 'Deployment');

/** Runs copy-config, then cache-credentials, as the pod does, with the Secret files in place below `dir`. */
interface InitResult {
  readonly status: number | null;
  readonly stderr: string;
  readonly config?: string;
}

function runInit(chart: Chart, manager: RunnerManager, files: Record<string, string>, dir: string): InitResult {
  const deployment = deploymentOf(chart);
  const first = runInitScript(deployment, manager.configToml, 'glrt-test-token', dir);
  if (first.status !== 0) return first;
  const fill = deployment.spec.template.spec.initContainers.find((c: Obj) => c.name === 'cache-credentials');
  if (!fill) return first;
  const [shell, flag, script, name, ...args] = fill.command as string[];
  expect([shell, flag, name]).toEqual(['sh', '-c', 'cache-credentials']);
  const mount = fill.volumeMounts.find((m: Obj) => m.name === 'cache-credentials').mountPath;
  for (const [file, content] of Object.entries(files)) {
    fs.mkdirSync(path.join(dir, mount), { recursive: true });
    fs.writeFileSync(path.join(dir, mount, file), content);
  }
  const env: Record<string, string> = {};
  for (const e of fill.env as Obj[]) env[e.name] = path.join(dir, e.value);
  const local = args.map((a, i) => (i % 2 === 1 ? path.join(dir, a) : a));
  const r = spawnSync('sh', ['-c', script, name, ...local], { encoding: 'utf8', env: { PATH: process.env.PATH!, ...env }, timeout: 30_000 });
  return { status: r.status, stderr: r.stderr, config: fs.existsSync(env.CONFIG_FILE) ? fs.readFileSync(env.CONFIG_FILE, 'utf8') : undefined };
}

quietSynth();

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'cache-test-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));
let runs = 0;
const freshDir = () => fs.mkdtempSync(path.join(work, `run-${runs++}-`));

describe('config.toml', () => {
  test('S3 with keys: every key in the runner spelling, the credentials as placeholders, tls-ca-file at the mounted bundle', () => {
    const { manager } = fleet(PROVIDERS[0][1]());
    const runner = (parse(manager.configToml) as Obj).runners[0];
    expect(runner['tls-ca-file']).toBe(`${CERTS_DIR}/gitlab.corp.example.crt`);
    expect(runner.cache).toEqual({
      Type: 's3',
      Path: 'runners',
      Shared: true,
      MaxUploadedArchiveSize: 1073741824,
      s3: {
        ServerAddress: 'minio.corp.example:9000',
        AccessKey: CACHE_CREDENTIAL_PLACEHOLDER,
        SecretKey: CACHE_CREDENTIAL_PLACEHOLDER,
        BucketName: 'ci-cache',
        BucketLocation: 'eu-west-1',
        AuthenticationType: 'access-key',
        ServerSideEncryption: 'KMS',
        ServerSideEncryptionKeyID: 'alias/ci-cache',
        PathStyle: true,
      },
    });
  });

  test('IAM and Workload Identity: no credential key at all', () => {
    const s3 = (parse(fleet(PROVIDERS[1][1]()).manager.configToml) as Obj).runners[0].cache;
    expect(s3.s3).toEqual({ BucketName: 'ci-cache', BucketLocation: 'us-east-1', AuthenticationType: 'iam' });
    const gcs = (parse(fleet(PROVIDERS[3][1]()).manager.configToml) as Obj).runners[0].cache;
    expect(gcs).toEqual({ Type: 'gcs', gcs: { BucketName: 'ci-cache' } });
  });

  test('GCS credentials file: a path to the mounted file, never its content', () => {
    const { chart, manager } = fleet(PROVIDERS[2][1]());
    const cache = (parse(manager.configToml) as Obj).runners[0].cache;
    expect(cache.gcs).toEqual({ CredentialsFile: '/secrets/gcs-application-credentials-file', BucketName: 'ci_cache.example.com' });
    const pod = deploymentOf(chart).spec.template.spec;
    expect(pod.initContainers.map((c: Obj) => c.name)).toEqual(['copy-config']);
    expect(pod.containers[0].volumeMounts).toContainEqual({ name: 'cache-credentials', mountPath: '/secrets', readOnly: true });
    expect(pod.volumes).toContainEqual({
      name: 'cache-credentials',
      secret: { secretName: 'cache-gcs', items: [{ key: 'gcs-application-credentials-file', path: 'gcs-application-credentials-file' }], defaultMode: 0o440 },
    });
  });
});

describe('the init containers write the credentials from the Secret into the in-memory copy only', () => {
  test.each([
    ['S3', 0, { accesskey: SECRETS.accessKey, secretkey: SECRETS.secretKey }, { AccessKey: SECRETS.accessKey, SecretKey: SECRETS.secretKey }, 's3'],
    ['Azure', 4, { 'azure-account-key': SECRETS.accountKey }, { AccountKey: SECRETS.accountKey }, 'azure'],
  ] as const)('%s', (_name, index, files, expected, table) => {
    const { chart, manager } = fleet(PROVIDERS[index][1]());
    const r = runInit(chart, manager, files, freshDir());
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const cache = (parse(r.config!) as Obj).runners[0].cache[table];
    expect(cache).toMatchObject(expected);
    expect((parse(r.config!) as Obj).runners[0].token).toBe('glrt-test-token');
  });

  test.each(NASTY_TOKENS)('a secret key with %s round-trips exactly', (_name, value) => {
    const { chart, manager } = fleet(PROVIDERS[0][1]());
    const r = runInit(chart, manager, { accesskey: 'AKIA-plain', secretkey: value }, freshDir());
    expect(r.status).toBe(0);
    expect((parse(r.config!) as Obj).runners[0].cache.s3.SecretKey).toBe(value);
  });

  test('a missing or empty Secret file stops the pod with a message naming it', () => {
    const { chart, manager } = fleet(PROVIDERS[0][1]());
    const missing = runInit(chart, manager, { accesskey: 'AKIA-plain' }, freshDir());
    expect(missing.status).not.toBe(0);
    expect(missing.stderr).toMatch(/secretkey/);
    const empty = runInit(chart, manager, { accesskey: 'AKIA-plain', secretkey: '' }, freshDir());
    expect(empty.status).not.toBe(0);
    expect(empty.stderr).toMatch(/secretkey is empty/);
  });

  test('the credential Secret is mounted only in the cache-credentials init container; the CA only in the runner', () => {
    const pod = deploymentOf(fleet(PROVIDERS[0][1]()).chart).spec.template.spec;
    const mounting = (volume: string) => [...pod.initContainers, ...pod.containers]
      .filter((c: Obj) => c.volumeMounts.some((m: Obj) => m.name === volume)).map((c: Obj) => c.name);
    expect(mounting('cache-credentials')).toEqual(['cache-credentials']);
    expect(mounting('custom-certs')).toEqual(['gitlab-runner']);
    expect(pod.containers[0].volumeMounts).toContainEqual({ name: 'custom-certs', mountPath: CERTS_DIR, readOnly: true });
    expect(pod.initContainers[1].securityContext).toEqual(pod.initContainers[0].securityContext);
  });
});

if (decoderAvailable(process.env)) {
  describe('GitLab Runner decodes the filled config.toml and the Helm template', () => {
    const files: Array<{ file: string; provider: string; template: boolean; expect: (view: Obj) => void }> = [];
    const dir = fs.mkdtempSync(path.join(work, 'decode-'));
    PROVIDERS.forEach(([provider, make], i) => {
      const { chart, manager } = fleet(make());
      const r = runInit(chart, manager, {
        'accesskey': SECRETS.accessKey, 'secretkey': SECRETS.secretKey, 'azure-account-key': SECRETS.accountKey,
      }, freshDir());
      const file = path.join(dir, `p${i}.toml`);
      fs.writeFileSync(file, r.config ?? 'init failed');
      const cache = (parse(r.config ?? '') as Obj).runners[0].cache as Obj;
      const bucket: string = cache[cache.Type].BucketName ?? cache[cache.Type].ContainerName;
      // The filled copy carries the Secret's values as the runner reads them; the template carries no credential key.
      const filled = Object.values(cache[cache.Type]).filter((v) => Object.values(SECRETS).includes(v as string)) as string[];
      expect(filled.length).toBe(cache.Type === 'gcs' || cache.s3?.AuthenticationType === 'iam' ? 0 : cache.Type === 's3' ? 2 : 1);
      files.push({
        file,
        provider,
        template: false,
        expect: (view) => {
          const text = JSON.stringify(view);
          expect(text).toContain(bucket);
          for (const value of filled) expect(text).toContain(JSON.stringify(value).slice(1, -1));
        },
      });
      const template = path.join(dir, `t${i}.toml`);
      fs.writeFileSync(template, (renderHelmValues(manager._toModel()).runners as Obj).config);
      files.push({
        file: template,
        provider,
        template: true,
        expect: (view) => {
          const text = JSON.stringify(view);
          expect(text).toContain(bucket);
          expect(JSON.stringify(view.runners[0].cache)).not.toContain(CACHE_CREDENTIAL_PLACEHOLDER);
        },
      });
    });
    test.each(DECODER_VERSIONS.map((v) => [v]))('runner %s: no ignored key, no error; the cache and tls-ca-file decode as written', (version) => {
      const configs = decode(version, files.filter((f) => !f.template).map((f) => f.file));
      const templates = decode(version, files.filter((f) => f.template).map((f) => f.file), { template: true });
      for (const f of files) {
        const d = (f.template ? templates : configs).get(f.file)!;
        const where = { provider: f.provider, template: f.template };
        expect({ ...where, problems: d.problems }).toEqual({ ...where, problems: [] });
        f.expect(d.view);
        const text = JSON.stringify(d.view);
        expect(text).toContain(`${CERTS_DIR}/gitlab.corp.example.crt`);
      }
    }, 600_000);
  });
}

describe('manifests', () => {
  test.each(PROVIDERS)('%s: every object schema-valid with unknown fields refused', (_name, make) => {
    expect(findManifestProblems(Testing.synth(fleet(make()).chart))).toEqual([]);
  });
});

if (requireRealHelm()) {
  describe('the Helm values, rendered by the real chart', () => {
    test.each(PROVIDERS)('%s: the chart mounts the same CA path and projects the cache Secret; its template equals runners.config', (_name, make) => {
      const { chart, manager } = fleet(make());
      const model = manager._toModel();
      const values = renderHelmValues(model);
      const rendered = helmTemplate(values, { releaseName: 'ci', namespace: 'gitlab' });
      expect(findManifestProblems(rendered as any)).toEqual([]);
      const deployment = rendered.find((o) => o.kind === 'Deployment')!;
      const pod = deployment.spec.template.spec;
      const native = deploymentOf(chart).spec.template.spec;
      // The CA: the same Secret at the same directory, so tls-ca-file points at the bundle in both.
      const caMount = pod.containers[0].volumeMounts.find((m: Obj) => m.name === 'custom-certs');
      expect(caMount.mountPath.replace(/\/$/, '')).toBe(CERTS_DIR);
      expect(pod.volumes.find((v: Obj) => v.name === 'custom-certs').secret.secretName).toBe(native.volumes.find((v: Obj) => v.name === 'custom-certs').secret.secretName);
      // The cache Secret: projected at /secrets, where the entrypoint reads it, exactly when the native pod mounts it.
      const projected = pod.volumes.find((v: Obj) => v.name === 'projected-secrets').projected.sources.map((s: Obj) => s.secret.name);
      const nativeCache = native.volumes.find((v: Obj) => v.name === 'cache-credentials');
      if (nativeCache) expect(projected).toContain(nativeCache.secret.secretName);
      else expect(projected).toEqual(['ci-token']);
      const configMap = rendered.find((o) => o.kind === 'ConfigMap')!;
      const template = parse(configMap.data['config.template.toml']) as Obj;
      const nativeConfig = parse(manager.configToml) as Obj;
      const withoutCredentials = (cache: Obj) => JSON.parse(JSON.stringify(cache, (_k, v) => (v === CACHE_CREDENTIAL_PLACEHOLDER ? undefined : v)));
      expect(template.runners[0].cache).toEqual(withoutCredentials(nativeConfig.runners[0].cache));
      expect(template.runners[0]['tls-ca-file']).toBe(nativeConfig.runners[0]['tls-ca-file']);
      // The chart's entrypoint reads the cache credentials from the files the native pod mounts by the same names.
      for (const item of nativeCache?.secret.items ?? []) expect(configMap.data.entrypoint).toContain(`/secrets/${item.path}`);
    });
  });
}

describe('no credential in any output', () => {
  test('a fleet with S3 keys, an Azure key, a GCS file and a CA writes none of their values, and refuses them inline', () => {
    const out = fs.mkdtempSync(path.join(work, 'dist-'));
    const app = new App({ outdir: out });
    const chart = new Chart(app, 'fleet', { namespace: 'gitlab' });
    const caches = [PROVIDERS[0][1](), PROVIDERS[2][1](), PROVIDERS[4][1]()];
    caches.forEach((cache, i) => new RunnerManager(chart, `R${i}`, {
      name: `ci-${i}`, gitlabUrl: GITLAB, token: RunnerToken.fromSecret('ci-token'), jobPod: new JobPodTemplate(chart, `J${i}`), cache, tlsCa: RunnerCa.fromSecret('corp-ca'),
    }));
    FleetSynth.synth(app);
    const texts = fs.readdirSync(out).map((f) => fs.readFileSync(path.join(out, f), 'utf8'));
    expect(texts.length).toBeGreaterThan(3);
    const all = texts.join('\n');
    expect(all).toContain('cache-s3');
    for (const value of Object.values(SECRETS)) expect(all).not.toContain(value);
    expect(all).not.toContain('TESTGCSKEY');
    expect(all).not.toContain('TESTCABUNDLE');

    const inline = Testing.chart();
    const error = errorOf(() => new RunnerManager(inline, 'Runner', {
      gitlabUrl: GITLAB,
      token: RunnerToken.fromSecret('t'),
      jobPod: new JobPodTemplate(inline, 'Jobs'),
      cache: RunnerCache.s3({ bucketName: 'ci-cache', credentials: SECRETS.accessKey as any }),
    }));
    expect(error.findings.map((f: Obj) => [f.ruleId, f.field])).toContainEqual(['CACHE002', 'cache.credentials']);
    expect(error.message).not.toContain(SECRETS.accessKey);
  });
});
