// The snapshot test a user of the library writes for their fleet (see the README's review workflow).
const { Testing } = require('cdk8s');
const { declareFleet } = require('./fleet');

test('the fleet synthesizes to the reviewed manifests', () => {
  const chart = declareFleet(Testing.app());
  const manifests = Testing.synth(chart);
  expect(manifests.map((m) => m.kind)).toEqual(['ServiceAccount', 'Role', 'RoleBinding', 'ConfigMap', 'Deployment']);
  expect(manifests).toMatchSnapshot();
});
