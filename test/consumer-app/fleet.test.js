// The snapshot test a user of the library writes for their fleet (see the README's review workflow).
const { Testing } = require('cdk8s');
const { declareFleet } = require('./fleet');

test('the fleet synthesizes to the reviewed manifests', () => {
  const chart = declareFleet(Testing.app());
  const manifests = Testing.synth(chart);
  const objects = ['ServiceAccount', 'Role', 'RoleBinding', 'ConfigMap', 'Deployment'];
  // Two managers, each with its own objects.
  expect(manifests.map((m) => m.kind)).toEqual([...objects, ...objects]);
  expect(manifests.filter((m) => m.kind === 'Deployment').map((m) => m.metadata.name)).toEqual(['ci-runner', 'ci-runner-large']);
  expect(manifests).toMatchSnapshot();
});
