import { execFileSync } from 'child_process';
import * as path from 'path';
import { Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { networkPolicyFleet } from '../examples/network-policy/fleet';
import { FleetSynth, JobPodTemplate, RunnerManager, RunnerToken } from '../src';
import { declaredAny } from './declared';
import { helmTemplate, requireRealHelm } from './helm-binary';
import { findManifestProblems } from './k8s-schema';

// cdk8s-plus-28 interop: kplus objects in and out, cdk8s-plus-28 loaded only when one is used, and the NetworkPolicy
// example of docs/cdk8s-plus.md synthesized and schema-checked.

const repo = path.join(__dirname, '..');
const props = { gitlabCidr: '203.0.113.10/32', apiServerCidr: '10.0.0.1/32', apiServerPort: 6443 };
const one = (objects: any[], kind: string, name: string) => {
  const found = objects.filter((o) => o.kind === kind && o.metadata.name === name);
  expect(found).toHaveLength(1);
  return found[0];
};

/**
 * Runs `body` (JavaScript with `src` = the library's sources) in a fresh node; returns whether cdk8s-plus-28 was
 * loaded after each of the `steps` (statements run one after the other).
 */
function kplusLoadedAfter(steps: string[]): boolean[] {
  const loaded = "Object.keys(require.cache).some((f) => f.includes(`${require('path').sep}cdk8s-plus-28${require('path').sep}`))";
  const script = [
    "const { Testing } = require('cdk8s');",
    `const src = require(${JSON.stringify(path.join(repo, 'src'))});`,
    'const seen = [];',
    ...steps.map((step) => `${step}\nseen.push(${loaded});`),
    'process.stdout.write(JSON.stringify(seen));',
  ].join('\n');
  const out = execFileSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', script], {
    cwd: repo, encoding: 'utf-8', env: { ...process.env, TS_NODE_TRANSPILE_ONLY: 'true', TS_NODE_PROJECT: path.join(repo, 'test', 'tsconfig.json') },
  });
  return JSON.parse(out.trim().split('\n').pop()!);
}

const declareFleet = `
const chart = Testing.chart();
const manager = new src.RunnerManager(chart, 'Runner', { name: 'runner', gitlabUrl: 'https://gitlab.example.com/',
  token: src.RunnerToken.fromSecret('runner-secret'), jobPod: new src.JobPodTemplate(chart, 'Jobs'), podMonitor: true,
  tolerations: [{ key: 'ci', effect: src.TaintEffect.NO_SCHEDULE }] });
Testing.synth(chart);
src.FleetSynth.findings(chart.node.root);`;

test('a fleet that uses no cdk8s-plus object does not load cdk8s-plus-28; asking for a selector does', () => {
  // One process, so the second answer is the positive control of the first.
  expect(kplusLoadedAfter([declareFleet, 'manager.managerPods();'])).toEqual([false, true]);
}, 180_000);

test('RunnerToken.fromKplusSecret: the Secret\'s name, the token never outside the Secret', () => {
  const chart = Testing.chart();
  const secret = new kplus.Secret(chart, 'Token', { metadata: { name: 'runner-token-secret' }, stringData: { 'runner-token': 'glrt-TEST-SECRET-VALUE' } });
  const token = RunnerToken.fromKplusSecret(secret);
  expect([token.secretName, token.key]).toEqual(['runner-token-secret', 'runner-token']);
  expect(RunnerToken.fromKplusSecret(kplus.Secret.fromSecretName(chart, 'Other', 'other'), 'token').secretName).toBe('other');
  const manager = new RunnerManager(chart, 'Runner', { name: 'runner', gitlabUrl: 'https://gitlab.example.com/', token, jobPod: new JobPodTemplate(chart, 'Jobs') });
  const objects = Testing.synth(chart);
  const volume = one(objects, 'Deployment', 'runner').spec.template.spec.volumes.find((v: any) => v.name === 'runner-token');
  expect(volume.secret.secretName).toBe('runner-token-secret');
  // Only the Secret itself holds the value: no other object, no review file, no values.
  const outside = [...objects.filter((o) => o.kind !== 'Secret'), ...manager._extraFiles(), manager.helmValues()];
  expect(JSON.stringify(outside)).not.toContain('glrt-TEST-SECRET-VALUE');
});

test('a kplus Secret that is not one (plain JavaScript) is a prop error naming token.secretName', () => {
  const chart = Testing.chart();
  expect(() => declaredAny(() => new RunnerManager(chart, 'Runner', {
    name: 'runner', gitlabUrl: 'https://gitlab.example.com/', token: RunnerToken.fromKplusSecret({} as any), jobPod: new JobPodTemplate(chart, 'Jobs'),
  }))).toThrow(/\[test\/Runner\] token\.secretName: undefined is not a valid Secret name\./);
});

test('a cdk8s-plus Secret in another namespace than the manager is refused: the pod could not mount it', () => {
  const chart = Testing.chart();
  const secret = new kplus.Secret(chart, 'Token', { metadata: { name: 'tok', namespace: 'elsewhere' } });
  expect(() => declaredAny(() => new RunnerManager(chart, 'Runner', {
    name: 'runner', namespace: 'ci', gitlabUrl: 'https://gitlab.example.com/', token: RunnerToken.fromKplusSecret(secret), jobPod: new JobPodTemplate(chart, 'Jobs'),
  }))).toThrow(/\[test\/Runner\] token: the Secret 'tok' is in namespace 'elsewhere', but the manager runs in 'ci'; a pod mounts Secrets of its own namespace only\. Fix: declare the Secret in namespace 'ci'/);
});

describe('the NetworkPolicy example (docs/cdk8s-plus.md)', () => {
  const { chart, manager } = networkPolicyFleet(Testing.app(), props);
  const objects = Testing.synth(chart);

  test('every object is schema-valid, unknown fields refused, and the fleet has no error', () => {
    expect(findManifestProblems(objects)).toEqual([]);
    expect(FleetSynth.findings(chart.node.root as any).filter((f) => f.severity === 'error')).toEqual([]);
    // cdk8s-plus changed none of the manager's objects (no patch or metadata change to report).
    expect(FleetSynth.findings(chart.node.root as any).filter((f) => f.ruleId.startsWith('HELM01'))).toEqual([]);
  });

  test('the manager policy selects the manager pods in their namespace: egress to GitLab, the API server and DNS only', () => {
    const policy = one(objects, 'NetworkPolicy', 'ci-managerpolicy');
    const deployment = one(objects, 'Deployment', 'runner');
    expect(policy.metadata.namespace).toBe(deployment.metadata.namespace);
    expect(deployment.spec.template.metadata.labels).toMatchObject(policy.spec.podSelector.matchLabels);
    expect(policy.spec.policyTypes).toEqual(['Egress', 'Ingress']);
    expect(policy.spec.egress.map((r: any) => [r.to[0].ipBlock?.cidr ?? r.to[0].podSelector.matchLabels['k8s-app'], r.ports.map((p: any) => `${p.protocol}/${p.port}`)]))
      .toEqual([['203.0.113.10/32', ['TCP/443']], ['10.0.0.1/32', ['TCP/6443']], ['kube-dns', ['UDP/53', 'TCP/53']]]);
    // Prometheus may reach the port the PodMonitor scrapes.
    const port = deployment.spec.template.spec.containers[0].ports.find((p: any) => p.name === one(objects, 'PodMonitor', 'runner').spec.podMetricsEndpoints[0].port);
    expect(policy.spec.ingress[0].ports).toEqual([{ port: port.containerPort, protocol: 'TCP' }]);
  });

  test('the job policy selects this manager\'s job pods by the label the runner gives them, in the job namespace', () => {
    const policy = one(objects, 'NetworkPolicy', 'ci-jobpolicy');
    expect(policy.metadata.namespace).toBe('ci-jobs');
    expect(policy.spec.podSelector).toEqual({ matchLabels: { 'manager.runner.gitlab.com/name': 'runner' } });
    // The runner's [[runners]] name, which is the label's value (sanitized: a DNS label stays as it is).
    expect(one(objects, 'ConfigMap', 'runner-config').data['config.toml']).toContain('name = "runner"');
    expect(policy.spec.egress).toHaveLength(2);
  });

  test('the manager\'s ServiceAccount, bound with cdk8s-plus, is the native one', () => {
    const binding = objects.find((o) => o.kind === 'RoleBinding' && o.roleRef.name === 'ci-readevents');
    expect(binding.subjects).toEqual([{ apiGroup: '', kind: 'ServiceAccount', name: 'runner', namespace: 'ci' }]);
    expect(one(objects, 'ServiceAccount', 'runner').metadata.namespace).toBe('ci');
    // Asked twice, the same objects.
    expect(manager.kplusServiceAccount()).toBe(manager.kplusServiceAccount());
    expect(manager.managerPods()).toBe(manager.managerPods());
    expect(manager.jobPods()).toBe(manager.jobPods());
  });
});

test('jobPods() of a runner older than 17.9.0 is refused: its job pods carry no manager label', () => {
  const chart = Testing.chart();
  const manager = new RunnerManager(chart, 'Runner', {
    name: 'runner',
    gitlabUrl: 'https://gitlab.example.com/',
    token: RunnerToken.fromSecret('s'),
    jobPod: new JobPodTemplate(chart, 'Jobs'),
    image: 'registry.gitlab.com/gitlab-org/gitlab-runner:alpine-v17.8.0',
  });
  expect(() => manager.jobPods()).toThrow(/\[test\/Runner\] jobPods: the runner 17\.8\.0 does not label its job pods with its name \(manager\.runner\.gitlab\.com\/name came with 17\.9\.0\).*Fix: run runner 17\.9\.0 or later/s);
});

if (requireRealHelm()) {
  test('the selectors fit the chart\'s objects too: its pods carry the manager labels, and it registers the same runner name', () => {
    const { chart, manager } = networkPolicyFleet(Testing.app(), props);
    const values = manager.helmValues();
    const rendered = helmTemplate(values, { releaseName: 'ci', namespace: 'ci', monitoring: true });
    const deployment = rendered.find((o) => o.kind === 'Deployment')!;
    const policy = Testing.synth(chart).find((o) => o.kind === 'NetworkPolicy' && o.metadata.name === 'ci-jobpolicy');
    expect(deployment.spec.template.metadata.labels).toMatchObject(manager.managerPods().toPodSelectorConfig().labelSelector._toKube().matchLabels!);
    // The chart registers the runner under runners.name, the value of the job pods' manager label.
    expect(values.runners.name).toBe(policy.spec.podSelector.matchLabels['manager.runner.gitlab.com/name']);
  });
}
