import { App } from 'cdk8s';
import { seedFleet } from './fleet';
import { FleetSynth } from '../../src';

const app = new App();
try {
  seedFleet(app);
  FleetSynth.synth(app);
} catch (error) {
  FleetSynth.reportError(error);
}
