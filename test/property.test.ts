// Property-based robustness (fast-check): valid input always gives valid output, invalid input always gives a
// FleetConfigError that names the construct and the field, never a crash.
//
// Environment:
//   PROPERTY_RUNS=<n>  runs every property n times; a long run is `PROPERTY_RUNS=10000 npx jest test/property.test.ts`
//                      (about 10 minutes on 2 cores). Without it, 500 cases in all, in about 10 seconds.
//   PROPERTY_SEED=<n>  the seed. The default is fixed, so CI is reproducible; with PROPERTY_RUNS set and no seed, a
//                      new seed is drawn each run. A failing property prints its seed and path: replay it with
//                      PROPERTY_SEED=<seed> (and fast-check's `path` in the printed report).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { inspect } from 'util';
import { App } from 'cdk8s';
import * as fc from 'fast-check';
import { parse, stringify } from 'smol-toml';
import { parseAllDocuments } from 'yaml';
import { anythingAnywhere, applyCorruptions, buildFleet, Corruption, corruptedFleet, fieldMatches, FleetSpec, targetOrder, targetPath, validFleet } from './arbitraries';
import { conformanceProblems, loadReference, REFERENCE_FILE } from './config-reference';
import { findManifestProblems, Manifest } from './k8s-schema';
import { FleetSynth, FleetSynthResult, Severity } from '../src';
import { quietSynth } from './quiet-synth';
import { CAPACITY_RULE_LIST } from '../src/internal/rules/capacity-rules';
import { Finding, FleetConfigError, formatFinding } from '../src/model/finding';

const LONG_RUN = process.env.PROPERTY_RUNS !== undefined;
const RUNS = LONG_RUN ? Number(process.env.PROPERTY_RUNS) : undefined;
const FIXED_SEED = 20250611;
const RANDOM_SEED = Math.floor(Math.random() * 0x7fffffff);
const SEED = process.env.PROPERTY_SEED !== undefined ? Number(process.env.PROPERTY_SEED) : LONG_RUN ? RANDOM_SEED : FIXED_SEED;
if (LONG_RUN) console.log(`property tests: ${RUNS} runs per property, seed ${SEED}`);

/** fast-check parameters of one property: `defaultRuns` unless PROPERTY_RUNS says otherwise. */
function params(defaultRuns: number): fc.Parameters<unknown> {
  return { numRuns: RUNS ?? defaultRuns, seed: SEED };
}

/** A jest timeout generous enough for the number of runs (2 synths of a fleet take tens of milliseconds). */
function timeout(defaultRuns: number, msPerRun: number): number {
  return Math.max(60_000, (RUNS ?? defaultRuns) * msPerRun * 3);
}

// Throws (the suite fails) in CI when the runner reference is missing; elsewhere config.toml is only round-tripped.
const reference = loadReference(REFERENCE_FILE, process.env);

/** Error rules of the budget: the only errors a valid fleet may meet (its budget may be too small). */
const CAPACITY_ERRORS = new Set(CAPACITY_RULE_LIST.filter((r) => r.severity === Severity.ERROR).map((r) => r.id));

let root: string;

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'fleet-property-'));
});

quietSynth();

afterAll(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

interface Outcome {
  readonly written: boolean;
  readonly findings: Finding[];
  /** Every file of the outdir, by name, in name order. */
  readonly files: Map<string, Buffer>;
  readonly configTomls: Map<string, string>;
}

/** Declares `spec` in a fresh app and runs FleetSynth.synth into a fresh directory, which is removed again. */
function synth(spec: FleetSpec): Outcome {
  const dir = fs.mkdtempSync(path.join(root, 'fleet-'));
  try {
    const app = new App({ outdir: dir });
    const fleet = buildFleet(app, spec);
    const result = FleetSynth.synth(app);
    const files = new Map<string, Buffer>();
    for (const name of fs.readdirSync(dir).sort()) files.set(name, fs.readFileSync(path.join(dir, name)));
    return { written: result.written, findings: result.findings, files, configTomls: new Map(fleet.managers.map((m) => [m.name, m.configToml])) };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function expectWellFormed(f: Finding): void {
  expect(f).toEqual({
    // Catalogue rules have numbered ids; a construction check without one keeps the construct's id (JOB, MGR, ...).
    ruleId: expect.stringMatching(/^[A-Z]+(\d{3})?$/),
    severity: expect.stringMatching(/^(error|warning)$/),
    path: expect.stringMatching(/^fleet(\/[A-Za-z0-9]+)*$/),
    field: expect.stringMatching(/\S/),
    message: expect.stringMatching(/\S/),
    fix: expect.stringMatching(/\S/),
  });
}

function yamlObjects(content: Buffer): unknown[] {
  return parseAllDocuments(content.toString('utf8')).map((d) => d.toJS());
}

/** What a written fleet must satisfy: valid Kubernetes objects, config.toml the runner reads as meant. */
function expectValidOutput(spec: FleetSpec, out: Outcome): void {
  const manifests = [...out.files].filter(([name]) => name.endsWith('.k8s.yaml')).flatMap(([, content]) => yamlObjects(content)) as Manifest[];
  expect(manifests.filter((m) => m.kind === 'Deployment')).toHaveLength(spec.managers.length);
  expect(findManifestProblems(manifests)).toEqual([]);

  const preview = out.files.get('job-pod-preview.yaml');
  expect(preview).toBeDefined();
  const pods = (yamlObjects(preview!)[0] as { jobPodPreviews: Array<{ pod: Manifest }> }).jobPodPreviews.map((p) => p.pod);
  expect(pods).toHaveLength(spec.managers.length);
  expect(findManifestProblems(pods)).toEqual([]);

  for (const [name, toml] of out.configTomls) {
    expect(out.files.get(`${name}.config.toml`)?.toString('utf8')).toBe(toml);
    const parsed = parse(toml) as Record<string, any>;
    expect(stringify(parsed).trimEnd() + '\n').toBe(toml);
    if (reference) expect(conformanceProblems(reference, toml)).toEqual([]);
    expect(parsed.runners).toHaveLength(1);
    expect(parsed.runners[0].executor).toBe('kubernetes');
  }
  spec.managers.forEach((m, i) => {
    const toml = [...out.configTomls.values()][i];
    const parsed = parse(toml) as Record<string, any>;
    const runner = parsed.runners[0];
    expect(parsed.concurrent).toBe(m.props.concurrent ?? 1);
    expect(runner.limit).toBe(m.props.limit);
    expect(runner.url).toBe(m.props.gitlabUrl);
    expect(runner.feature_flags).toEqual(Object.keys(m.props.featureFlags ?? {}).length ? m.props.featureFlags : undefined);
    for (const [k, v] of Object.entries(m.props.environment ?? {})) expect(runner.environment).toContain(`${k}=${v}`);
    expect(runner.kubernetes.node_selector ?? {}).toEqual(spec.jobs.nodeSelector ?? {});
    expect(runner.kubernetes.pod_annotations ?? {}).toEqual(spec.jobs.podAnnotations ?? {});
  });
}

describe('valid fleets', () => {
  const RUNS_VALID = 60;
  const seen = { clean: 0, refusedByBudget: 0 };

  test('synthesize valid objects and config.toml, byte for byte the same twice; a budget too small refuses with capacity errors only', () => {
    fc.assert(fc.property(validFleet, (spec) => {
      const first = synth(spec);
      const second = synth(spec);
      // Deterministic: the same files, byte for byte, and the same findings.
      expect([...second.files.keys()]).toEqual([...first.files.keys()]);
      for (const [name, content] of first.files) expect(second.files.get(name)!.equals(content)).toBe(true);
      expect(second.findings).toEqual(first.findings);
      expect(second.written).toBe(first.written);

      first.findings.forEach(expectWellFormed);
      const errors = first.findings.filter((f) => f.severity === Severity.ERROR);
      const budgeted = spec.budget !== undefined && spec.managers.some((m) => m.useBudget);
      if (!budgeted) expect(errors.map(formatFinding)).toEqual([]);
      expect(errors.filter((e) => !CAPACITY_ERRORS.has(e.ruleId)).map(formatFinding)).toEqual([]);
      if (errors.length > 0) {
        seen.refusedByBudget++;
        expect(first.written).toBe(false);
        expect([...first.files.keys()]).toEqual([]);
        return;
      }
      seen.clean++;
      expect(first.written).toBe(true);
      expectValidOutput(spec, first);
    }), params(RUNS_VALID));
    // The generator reaches both outcomes, so neither half of the property is vacuous.
    expect(seen.clean).toBeGreaterThan(0);
    expect(seen.refusedByBudget).toBeGreaterThan(0);
  }, timeout(RUNS_VALID, 150));

  const RUNS_UNDERSIZED = 40;
  test('a budget far too small always refuses with capacity errors, in FleetSynth and in a plain app.synth()', () => {
    const undersized = validFleet.map((spec): FleetSpec => ({
      ...spec,
      budget: { nodePools: [{ name: 'tiny', nodes: 1, allocatable: { cpu: '1m', memory: '1Mi' } }] },
      managers: spec.managers.map((m) => ({ props: { ...m.props, replicas: Math.max(1, m.props.replicas ?? 1) }, useBudget: true })),
    }));
    fc.assert(fc.property(undersized, (spec) => {
      const out = synth(spec);
      const errors = out.findings.filter((f) => f.severity === Severity.ERROR);
      expect(out.written).toBe(false);
      expect([...out.files.keys()]).toEqual([]);
      expect(errors.length).toBeGreaterThan(0);
      errors.forEach(expectWellFormed);
      expect(errors.filter((e) => !CAPACITY_ERRORS.has(e.ruleId)).map(formatFinding)).toEqual([]);
      const dir = path.join(root, 'plain-synth');
      const app = new App({ outdir: dir });
      buildFleet(app, spec);
      try {
        expect(() => app.synth()).toThrow(/CAP\d{3}/);
        expect(fs.readdirSync(dir)).toEqual([]);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    }), params(RUNS_UNDERSIZED));
  }, timeout(RUNS_UNDERSIZED, 150));
});

describe('invalid props', () => {
  const RUNS_INVALID = 250;

  test('are refused at synth with errors naming the construct path and the field, never a crash; nothing is written', () => {
    fc.assert(fc.property(corruptedFleet, ({ spec, corruptions }) => {
      const first = Math.min(...corruptions.map((c) => targetOrder(c.target)));
      const target = corruptions.find((c) => targetOrder(c.target) === first)!.target;
      const expected = corruptions.filter((c) => c.target === target);
      const constructPath = targetPath(target);
      const what = corruptions.map((c) => `${targetPath(c.target)} ${c.field} (${c.what})`).join('; ');

      const outdir = path.join(root, 'invalid');
      let result: FleetSynthResult | undefined;
      try {
        // What a fleet's main.ts does: declare (which never throws a prop error), then synth.
        const app = new App({ outdir });
        buildFleet(app, applyCorruptions(spec, corruptions));
        result = FleetSynth.synth(app);
      } catch (e) {
        throw new Error(`crashed instead of refusing ${what}:\n${(e as Error)?.stack ?? String(e)}`);
      }
      const written = fs.existsSync(outdir) ? fs.readdirSync(outdir) : [];
      fs.rmSync(outdir, { recursive: true, force: true });
      expect(written).toEqual([]);
      if (result.written) throw new Error(`not refused: ${what}`);

      const errors = result.findings.filter((f) => f.severity === 'error');
      errors.forEach(expectWellFormed);
      // Every corrupted construct reports its own problems; the first one's are checked field by field.
      const findings = errors.filter((f) => f.path === constructPath);
      const text = findings.map(formatFinding).join('\n');
      const named = (c: Corruption) => findings.filter((f) => fieldMatches(f.field, c.field));
      const reported = expected.filter((c) => named(c).length > 0);
      if (reported.length === 0) {
        throw new Error(`${what}: the errors name none of ${expected.map((c) => c.field).join(', ')}:\n${errors.map(formatFinding).join('\n')}`);
      }
      // A single corrupted field of that construct is always the one named.
      if (expected.length === 1) expect(reported).toEqual(expected);
      for (const c of reported) {
        for (const f of named(c)) expect(text).toContain(`[${constructPath}] ${f.field}: `);
      }
    }), params(RUNS_INVALID));
  }, timeout(RUNS_INVALID, 20));
});

describe('any value anywhere', () => {
  const RUNS_ANY = 150;

  test('a prop replaced by any JavaScript value is refused with a FleetConfigError or synthesized, never a crash', () => {
    fc.assert(fc.property(anythingAnywhere, ({ spec, target, path: at, value }) => {
      try {
        const app = new App({ outdir: path.join(root, 'anything') });
        const fleet = buildFleet(app, spec);
        FleetSynth.findings(app);
        app.synthYaml();
        fleet.jobs.previewPod();
        fleet.managers.forEach((m) => m.helmValues());
      } catch (e) {
        // Cross-construct errors reach cdk8s's validation, which lists them in one Error.
        if (e instanceof FleetConfigError || (e instanceof Error && e.message.startsWith('Validation failed with the following errors'))) return;
        throw new Error(`crashed on ${targetPath(target)} ${at.join('.')} = ${inspect(value, { depth: 4 })}:\n${(e as Error)?.stack ?? String(e)}`);
      }
    }), params(RUNS_ANY));
  }, timeout(RUNS_ANY, 40));
});
