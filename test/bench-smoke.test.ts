import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { PackedBenchResult } from '../bench/packed.bench';
import { linearFit, median } from '../bench/packed.bench';

// The benchmark harness works: `npm run bench`'s entry point in its quick mode (BENCH_QUICK=1) packs the library,
// installs it into an app, runs the seed, baseline and cdk8s-plus-28 apps as whole processes and two tiny fleets
// through FleetSynth.synth. Only that the harness measures what it says is checked here, never a timing.

const repo = path.join(__dirname, '..');

test('the fit and median helpers compute what the report states', () => {
  expect(median([3, 1, 2])).toBe(2);
  expect(median([4, 1, 3, 2])).toBe(2.5);
  const fit = linearFit([1, 10, 100], [12, 30, 210]);
  expect(fit.slope).toBeCloseTo(2, 10);
  expect(fit.intercept).toBeCloseTo(10, 10);
});

test('BENCH_QUICK=1 runs every part of the packed-library bench on tiny sizes and reports raw rounds', () => {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bench-smoke-')), 'bench.json');
  try {
    const printed = execFileSync(path.join(repo, 'node_modules', '.bin', 'ts-node'), ['--transpile-only', 'bench/run.ts'], {
      cwd: repo,
      encoding: 'utf-8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 300_000,
      env: { ...process.env, BENCH_QUICK: '1', BENCH_OUT: out, CDK8S_CHECK_UPGRADE: 'false' },
    });
    const { quick, packed } = JSON.parse(fs.readFileSync(out, 'utf-8')) as { quick: boolean; packed: PackedBenchResult };
    expect(quick).toBe(true);
    expect(packed.tarball.file).toMatch(/^cdk8s-gitlab-runner-.*\.tgz$/);
    for (const [comparison, rounds] of [[packed.cli, 1], [packed.node, 2]] as const) {
      expect(comparison.rounds).toHaveLength(rounds);
      for (const round of comparison.rounds) {
        expect([...round.order].sort()).toEqual(['baseline', 'firstRun', 'loadOnly', 'peer', 'seed']);
        for (const ms of Object.values(round.ms)) expect(ms).toBeGreaterThan(0);
      }
      expect(comparison.seedOverBaseline.ratios).toEqual(comparison.rounds.map((r) => r.ms.seed / r.ms.baseline));
      expect(comparison.firstRunOverBaseline.ratios).toEqual(comparison.rounds.map((r) => r.ms.firstRun / r.ms.baseline));
      expect(comparison.loadOnlyOverBaseline.ratios).toEqual(comparison.rounds.map((r) => r.ms.loadOnly / r.ms.baseline));
      expect(comparison.seedOverPeer.min).toBe(Math.min(...comparison.rounds.map((r) => r.ms.seed / r.ms.peer)));
    }
    // The node-alone rounds rotate the order and read each process's peak RSS.
    expect(packed.node.rounds.map((r) => r.order[0])).toEqual(['seed', 'firstRun']);
    for (const rss of Object.values(packed.node.rounds[0].rssMiB!)) expect(rss).toBeGreaterThan(10);
    // FleetSynth wrote a config.toml per manager, so every extra manager adds files.
    expect(packed.scale.rows.map((r) => r.managers)).toEqual([1, 3]);
    expect(packed.scale.rows[1].files).toBeGreaterThan(packed.scale.rows[0].files);
    expect(packed.scale.largest.managers).toBe(3);
    expect(printed).toContain('seed ÷ baseline per round: median');
    expect(printed).toContain('firstRun (no code cache yet) ÷ baseline per round: median');
    expect(printed).toContain('loadOnly (the baseline with the library loaded, unused) ÷ baseline per round: median');
    expect(printed).toContain('Whole-process FleetSynth.synth with a budget');
  } finally {
    fs.rmSync(path.dirname(out), { recursive: true, force: true });
  }
}, 300_000);
