import { ApiObjectMetadataDefinition, App, Chart, Testing } from 'cdk8s';
import { FleetSynth, JobPodTemplate, RunnerManager, RunnerToken } from '../src';

// A manager's object renders its metadata only at synth: it notices a user's metadata change by the methods of cdk8s's
// ApiObjectMetadataDefinition that change it, and compares the metadata from the first such call on. These tests hold
// it to every such method of the cdk8s in use, so a new one cannot slip past HELM010.

function fleet() {
  const chart = Testing.chart();
  const manager = new RunnerManager(chart, 'Runner', {
    name: 'runner',
    namespace: 'ci',
    gitlabUrl: 'https://gitlab.example.com/',
    token: RunnerToken.fromSecret('runner-secret'),
    jobPod: new JobPodTemplate(chart, 'Jobs', { namespace: 'ci' }),
  });
  return { chart, manager };
}

const helm010 = (chart: Chart) => FleetSynth.findings(App.of(chart) as App).filter((f) => f.ruleId === 'HELM010').map((f) => f.field);

const CHANGES: Record<string, (m: ApiObjectMetadataDefinition) => void> = {
  addLabel: (m) => m.addLabel('team', 'ci'),
  addAnnotation: (m) => m.addAnnotation('eks.amazonaws.com/role-arn', 'arn:aws:iam::111122223333:role/ci'),
  addFinalizers: (m) => m.addFinalizers('example.com/keep'),
  addOwnerReference: (m) => m.addOwnerReference({ apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: '1234' }),
  add: (m) => m.add('generateName', 'runner-'),
};

test('every metadata method of cdk8s that changes something is one the objects notice', () => {
  const methods = Object.getOwnPropertyNames(ApiObjectMetadataDefinition.prototype)
    .filter((name) => name !== 'constructor' && name !== 'toJson' && !name.startsWith('get'));
  expect(methods.sort()).toEqual(Object.keys(CHANGES).sort());
});

test.each(Object.keys(CHANGES))('metadata.%s on the ServiceAccount is reported (HELM010) and reaches the manifest', (method) => {
  const { chart, manager } = fleet();
  const before = JSON.stringify(Testing.synth(chart).find((o) => o.kind === 'ServiceAccount').metadata);
  CHANGES[method](manager.serviceAccount!.metadata);
  expect(JSON.stringify(Testing.synth(chart).find((o) => o.kind === 'ServiceAccount').metadata)).not.toBe(before);
  expect(helm010(chart)).toEqual(['serviceAccount']);
});

test('a label set to the value it already has changes nothing, and nothing is reported', () => {
  const { chart, manager } = fleet();
  const sa = Testing.synth(chart).find((o) => o.kind === 'ServiceAccount');
  const [key, value] = Object.entries(sa.metadata.labels as Record<string, string>)[0];
  manager.serviceAccount!.metadata.addLabel(key, value);
  expect(helm010(chart)).toEqual([]);
});

test('without a metadata change no object is patched', () => {
  const { chart } = fleet();
  expect(helm010(chart)).toEqual([]);
});
