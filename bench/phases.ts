/* eslint-disable @typescript-eslint/no-require-imports */
import type * as Cdk8s from 'cdk8s';
import type * as FleetModule from '../examples/seed-fleet/fleet';
import type * as Library from '../src';

// Run by synth.bench.ts as compiled JavaScript, one process per sample: where one synth of the seed fleet spends its
// time, in the order FleetSynth.synth does the work. Prints one JSON object of milliseconds per phase.

const now = (): number => Number(process.hrtime.bigint()) / 1e6;
const phases: Record<string, number> = {};
let mark = now();
const lap = (phase: string): void => {
  const t = now();
  phases[phase] = t - mark;
  mark = t;
};

const { App } = require('cdk8s') as typeof Cdk8s;
lap('load cdk8s');
const library = require('../src') as typeof Library;
lap('load this library');
const { seedFleet } = require('../examples/seed-fleet/fleet') as typeof FleetModule;
const app = new App({ outdir: process.argv[2] });
seedFleet(app);
lap('declare the fleet (props validation)');
const findings = library.FleetSynth.findings(app);
lap('findings (rules and capacity)');
const all = app.node.findAll();
for (const source of all) {
  const renderer = source as unknown as { _extraFiles?: (f: typeof findings, a: typeof all) => unknown };
  renderer._extraFiles?.(findings, all);
}
lap('render the review files');
app.synth();
lap('app.synth() (validations, manifests)');
process.stdout.write(JSON.stringify(phases));
