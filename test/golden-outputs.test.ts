// Byte-for-byte guard of everything a synth writes: the example's dist/ and a fixed-seed set of property fleets
// (valid ones: every file written and every finding; corrupted ones: the FleetConfigError text). The digests in
// golden-outputs.json were produced before the source moved into layer folders (issue #13) and must not change when
// only the code's shape changes. When an intended change alters an output, regenerate them with
// `GOLDEN_UPDATE=1 npx jest test/golden-outputs.test.ts` and say in the commit which outputs changed and why.
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdk8s';
import * as fc from 'fast-check';
import { applyCorruptions, buildFleet, corruptedFleet, FleetSpec, validFleet } from './arbitraries';
import { declared } from './declared';
import { quietSynth } from './quiet-synth';
import { seedFleet } from '../examples/seed-fleet/fleet';
import { FleetSynth } from '../src';
import { formatFinding } from '../src/model/finding';

const GOLDEN_FILE = path.join(__dirname, 'golden-outputs.json');
const SEED = 20260613;
const VALID_FLEETS = 40;
const CORRUPTED_FLEETS = 40;

quietSynth();

function sha256(content: Buffer | string): string {
  return createHash('sha256').update(content).digest('hex');
}

/** Synthesizes what `declare` adds to a fresh app and returns a digest per written file and of the findings. */
function synthDigests(prefix: string, declare: (app: App) => void): Record<string, string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fleet-golden-'));
  try {
    const app = new App({ outdir: dir });
    declare(app);
    const result = FleetSynth.synth(app);
    const digests: Record<string, string> = {};
    digests[`${prefix}/findings`] = sha256(result.findings.map((f) => `${f.severity} ${f.ruleId} ${formatFinding(f)}`).join('\n'));
    for (const name of fs.readdirSync(dir).sort()) digests[`${prefix}/${name}`] = sha256(fs.readFileSync(path.join(dir, name)));
    return digests;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The error text a corrupted fleet gets: thrown at construction, or the findings of a refused synth. */
function corruptedDigest(spec: FleetSpec): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fleet-golden-'));
  try {
    const app = new App({ outdir: dir });
    try {
      declared(() => buildFleet(app, spec), app);
    } catch (e) {
      // Prop errors: recorded where declared and reported together (the text of the error they were thrown as before).
      return sha256(`thrown ${(e as Error).name}: ${(e as Error).message}`);
    }
    const result = FleetSynth.synth(app);
    return sha256(`${result.written} ${result.findings.map((f) => `${f.severity} ${f.ruleId} ${formatFinding(f)}`).join('\n')}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function currentDigests(): Record<string, string> {
  const digests: Record<string, string> = { ...synthDigests('example', (app) => seedFleet(app)) };
  fc.sample(validFleet, { seed: SEED, numRuns: VALID_FLEETS }).forEach((spec, i) => {
    Object.assign(digests, synthDigests(`valid-${String(i).padStart(2, '0')}`, (app) => buildFleet(app, spec)));
  });
  fc.sample(corruptedFleet, { seed: SEED, numRuns: CORRUPTED_FLEETS }).forEach(({ spec, corruptions }, i) => {
    digests[`corrupted-${String(i).padStart(2, '0')}`] = corruptedDigest(applyCorruptions(spec, corruptions));
  });
  return digests;
}

test('every synthesized file, finding and error text is byte-identical to the recorded digests', () => {
  const digests = currentDigests();
  if (process.env.GOLDEN_UPDATE === '1') fs.writeFileSync(GOLDEN_FILE, JSON.stringify(digests, undefined, 2) + '\n');
  const golden = JSON.parse(fs.readFileSync(GOLDEN_FILE, 'utf8')) as Record<string, string>;
  // The example writes its manifests and every review file; most valid fleets write theirs too.
  expect(Object.keys(digests)).toEqual(expect.arrayContaining(['example/gitlab-runner.k8s.yaml', 'example/gitlab-runner.config.toml']));
  expect(Object.keys(digests).filter((k) => k.endsWith('.k8s.yaml')).length).toBeGreaterThan(VALID_FLEETS / 2);
  expect(digests).toEqual(golden);
}, 120_000);
