const { App } = require('cdk8s');
const { FleetSynth } = require('cdk8s-gitlab-runner');
const { declareFleet } = require('./fleet');

const app = new App();
try {
  declareFleet(app);
  FleetSynth.synth(app);
} catch (error) {
  FleetSynth.reportError(error);
}
