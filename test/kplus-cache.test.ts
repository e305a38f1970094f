import { Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { CacheSecret, FleetSynth, JobPodTemplate, RunnerCa, RunnerCache, RunnerManager, RunnerToken } from '../src';
import { declaredAny } from './declared';
import { findManifestProblems } from './k8s-schema';

// The cache credentials and the CA bundle from cdk8s-plus-28 Secrets, as the runner token already can: the Secret's
// name reaches both outputs, and a Secret declared in another namespace than the manager's is refused.

function fleet(namespace: string, secretNamespace: string) {
  const chart = Testing.chart();
  const cacheKeys = new kplus.Secret(chart, 'CacheKeys', { metadata: { name: 'cache-keys', namespace: secretNamespace } });
  const ca = new kplus.Secret(chart, 'Ca', { metadata: { name: 'corp-ca', namespace: secretNamespace } });
  const manager = () => new RunnerManager(chart, 'Runner', {
    name: 'runner',
    namespace,
    gitlabUrl: 'https://gitlab.corp.example/',
    token: RunnerToken.fromSecret('runner-token'),
    jobPod: new JobPodTemplate(chart, 'Jobs'),
    cache: RunnerCache.s3({ bucketName: 'ci-cache', credentials: CacheSecret.fromKplusSecret(cacheKeys) }),
    tlsCa: RunnerCa.fromKplusSecret(ca, 'ca.crt'),
  });
  return { chart, manager };
}

test('a cdk8s-plus Secret for the cache keys and the CA reaches the manifests and the Helm values by name', () => {
  const { chart, manager } = fleet('ci', 'ci');
  const runner = declaredAny(manager);
  const objects = Testing.synth(chart);
  expect(findManifestProblems(objects)).toEqual([]);
  const deployment = objects.find((o: any) => o.kind === 'Deployment');
  const secretNames = deployment.spec.template.spec.volumes.map((v: any) => v.secret?.secretName).filter(Boolean);
  expect(secretNames).toEqual(expect.arrayContaining(['cache-keys', 'corp-ca']));
  const values = runner.helmValues();
  expect(values.runners.cache.secretName).toBe('cache-keys');
  expect(values.certsSecretName).toBe('corp-ca');
  expect(FleetSynth.findings(chart.node.root as any).filter((f) => f.severity === 'error')).toEqual([]);
});

test('a cdk8s-plus Secret in another namespace is refused for the cache and the CA, naming each field', () => {
  const { manager } = fleet('ci', 'elsewhere');
  let message = '';
  try {
    declaredAny(manager);
  } catch (e) {
    message = (e as Error).message;
  }
  expect(message).toContain("[test/Runner] cache.credentials: the Secret 'cache-keys' is in namespace 'elsewhere', but the manager runs in 'ci'");
  expect(message).toContain("[test/Runner] tlsCa: the Secret 'corp-ca' is in namespace 'elsewhere', but the manager runs in 'ci'");
  expect(message).toContain("Fix: declare the Secret in namespace 'ci', or run the manager in 'elsewhere'.");
});
