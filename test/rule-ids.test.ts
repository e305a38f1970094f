// Every finding and every prop error carries the id of a rule of the one catalogue (src/internal/rules/catalogue.ts):
// checked over the example, a fixed-seed set of valid property fleets (findings at synth) and of corrupted ones (the
// errors thrown at declaration, or the findings of a refused synth).
import { App } from 'cdk8s';
import * as fc from 'fast-check';
import { applyCorruptions, buildFleet, corruptedFleet, validFleet } from './arbitraries';
import { seedFleet } from '../examples/seed-fleet/fleet';
import { FleetSynth } from '../src';
import { declared } from './declared';
import { ruleById } from '../src/internal/rules/catalogue';
import { Finding, FleetConfigError } from '../src/model/finding';

const SEED = 20260614;

function findingsOf(declare: (app: App) => void): Finding[] {
  const app = new App({ outdir: '/nonexistent-never-written' });
  try {
    declared(() => declare(app), app);
  } catch (e) {
    if (e instanceof FleetConfigError) return e.findings;
    throw e;
  }
  return FleetSynth.findings(app);
}

test('the example, 30 valid and 120 corrupted fleets: every rule id is in the catalogue, with the severity it has there', () => {
  const all: Finding[] = [...findingsOf((app) => seedFleet(app))];
  for (const spec of fc.sample(validFleet, { seed: SEED, numRuns: 30 })) all.push(...findingsOf((app) => buildFleet(app, spec)));
  for (const { spec, corruptions } of fc.sample(corruptedFleet, { seed: SEED, numRuns: 120 })) {
    all.push(...findingsOf((app) => buildFleet(app, applyCorruptions(spec, corruptions))));
  }
  // The sample reaches prop errors, catalogue rules and capacity rules (a check that cannot pass vacuously).
  const ids = new Set(all.map((f) => f.ruleId));
  expect(ids.size).toBeGreaterThan(10);
  expect([...ids].some((id) => id.startsWith('CAP'))).toBe(true);
  expect([...ids].some((id) => /^[A-Z]+$/.test(id))).toBe(true);
  const uncatalogued = [...ids].filter((id) => ruleById(id) === undefined).sort();
  expect(uncatalogued).toEqual([]);
  // HELM001/002 are warnings in the catalogue and errors when RunnerHelmRelease deploys the chart.
  const wrongSeverity = all.filter((f) => !f.ruleId.startsWith('HELM') && ruleById(f.ruleId)!.severity !== f.severity).map((f) => f.ruleId);
  expect([...new Set(wrongSeverity)]).toEqual([]);
}, 120_000);
