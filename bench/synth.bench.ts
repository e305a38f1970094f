import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { App, Chart, Testing, Yaml } from 'cdk8s';
import {
  DindService, DnsConfig, DnsPolicy, JobPodTemplate, PullPolicy, RunnerManager, RunnerToken,
} from '../src';

// Synth cost: the seed fleet against a baseline app that writes the same objects as plain ApiObjects, and
// how synth time grows with the number of managers.

const repo = path.join(__dirname, '..');

/** Whole-process timings of the seed fleet and of its plain-ApiObject baseline, run alternately. */
export interface ProcessComparison {
  readonly seedMs: number[];
  readonly baselineMs: number[];
  /** Median of the seed ÷ median of the baseline. */
  readonly ratio: number;
}

/** Median milliseconds per phase of one synth, measured inside the process. */
export type Phases = Record<string, number>;

export interface SynthBenchResult {
  /** `cdk8s synth` of each app, as a pipeline runs it: the measure the target is set on. */
  readonly cli: ProcessComparison;
  /** `node` running each app alone: the stricter view, without the CLI's own start-up. */
  readonly app: ProcessComparison;
  readonly seedMaxRssMiB: number;
  readonly baselineMaxRssMiB: number;
  /** Where the seed's synth spends its time, and the baseline's. */
  readonly seedPhases: Phases;
  readonly baselinePhases: Phases;
  readonly scaling: Array<{ managers: number; ms: number; perManagerMs: number }>;
  readonly marginalMs: number;
  readonly linearity: number;
}

/** Compiles the example and the library to plain JavaScript, so both apps run as users run them: node, no ts-node. */
function buildApps(work: string): { seed: string; baseline: string; phases: string } {
  execFileSync(path.join(repo, 'node_modules', '.bin', 'tsc'), [
    '--outDir', path.join(work, 'build'), '--rootDir', repo, '--module', 'nodenext', '--target', 'ES2022',
    '--skipLibCheck', '--esModuleInterop', '--ignoreConfig', '--types', 'node', path.join(repo, 'examples', 'seed-fleet', 'main.ts'),
    path.join(repo, 'bench', 'phases.ts'),
  ], { stdio: 'inherit' });
  const seed = path.join(work, 'build', 'examples', 'seed-fleet', 'main.js');
  // The baseline emits exactly the seed's objects, read from a real synth, with nothing but cdk8s.
  const reference = path.join(work, 'reference');
  execFileSync(process.execPath, [seed], { env: { ...process.env, CDK8S_OUTDIR: reference }, stdio: 'pipe' });
  const charts = fs.readdirSync(reference).filter((f) => f.endsWith('.k8s.yaml'))
    .map((file) => ({ name: file.replace(/\.k8s\.yaml$/, ''), objects: Yaml.load(path.join(reference, file)) }));
  const baseline = path.join(work, 'baseline.js');
  // With BENCH_PHASES set it also prints its phases, like bench/phases.ts does for the seed.
  fs.writeFileSync(baseline, `
const now = () => Number(process.hrtime.bigint()) / 1e6;
const phases = {};
let mark = now();
const lap = (phase) => { const t = now(); phases[phase] = t - mark; mark = t; };
const { App, Chart, ApiObject } = require('cdk8s');
lap('load cdk8s');
const charts = ${JSON.stringify(charts)};
const app = new App();
for (const { name, objects } of charts) {
  const chart = new Chart(app, name, { disableResourceNameHashes: true });
  objects.forEach((o, i) => new ApiObject(chart, 'o' + i, o));
}
lap('declare the objects');
app.synth();
lap('app.synth() (validations, manifests)');
if (process.env.BENCH_PHASES) process.stdout.write(JSON.stringify(phases));
`);
  return { seed, baseline, phases: path.join(work, 'build', 'bench', 'phases.js') };
}

function timeProcess(script: string, outdir: string): { ms: number; maxRssMiB: number } {
  const wrapper = `require(${JSON.stringify(script)});process.on('exit',()=>{process.stderr.write(JSON.stringify({rss:process.resourceUsage().maxRSS/1024})+'\\n')});`;
  const start = performance.now();
  const r = spawnSync(process.execPath, ['-e', wrapper], { env: { ...process.env, CDK8S_OUTDIR: outdir }, encoding: 'utf-8' });
  const ms = performance.now() - start;
  if (r.status !== 0) throw new Error(`${script} failed: ${r.stderr}`);
  const inner = JSON.parse(r.stderr.trim().split('\n').pop()!);
  return { ms, maxRssMiB: inner.rss };
}

/** `cdk8s synth` in a project directory whose cdk8s.yaml runs the app with node, timed as a whole process. */
function timeCdk8sSynth(project: string): number {
  const start = performance.now();
  const r = spawnSync(path.join(repo, 'node_modules', '.bin', 'cdk8s'), ['synth', '--no-check-upgrade'], { cwd: project, encoding: 'utf-8' });
  const ms = performance.now() - start;
  if (r.status !== 0) throw new Error(`cdk8s synth in ${project} failed: ${r.stderr}`);
  return ms;
}

function cdk8sProject(work: string, name: string, script: string): string {
  const dir = path.join(work, name);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'cdk8s.yaml'), `language: typescript\napp: ${JSON.stringify(`${process.execPath} ${script}`)}\noutput: dist\n`);
  return dir;
}

function compare(runs: number, seed: () => number, baseline: () => number): ProcessComparison {
  seed();
  baseline();
  const seedMs: number[] = [];
  const baselineMs: number[] = [];
  for (let i = 0; i < runs; i++) {
    // Alternate, so drift of the machine affects both alike.
    seedMs.push(seed());
    baselineMs.push(baseline());
  }
  return { seedMs, baselineMs, ratio: median(seedMs) / median(baselineMs) };
}

function fleet(managers: number): App {
  const app = Testing.app();
  const chart = new Chart(app, 'fleet', { namespace: 'ci', disableResourceNameHashes: true });
  const dns = new DnsConfig(chart, 'Dns', { policy: DnsPolicy.NONE, nameservers: ['10.0.0.2'], searches: ['svc.cluster.local'] });
  for (let i = 0; i < managers; i++) {
    const dind = new DindService(chart, `Dind${i}`, { resources: { cpu: { request: '500m', limit: '2' }, memory: { request: '512Mi', limit: '2Gi' } } });
    const jobs = new JobPodTemplate(chart, `Jobs${i}`, {
      buildResources: { cpu: { request: '500m', limit: '2' }, memory: { request: '512Mi', limit: '2Gi' } },
      helper: { resources: { cpu: { request: '100m', limit: '500m' }, memory: { request: '256Mi', limit: '512Mi' } } },
      services: [dind],
      dns,
      pullPolicy: [PullPolicy.IF_NOT_PRESENT],
    });
    new RunnerManager(chart, `Runner${i}`, {
      name: `runner-${i}`, gitlabUrl: 'https://gitlab.example.com/', token: RunnerToken.fromSecret('token'), concurrent: 4, jobPod: jobs,
    });
  }
  return app;
}

/** The fastest of `repeats` runs: other jobs on a shared machine only ever add time, so the minimum is the cost. */
function timeInProcess(managers: number, repeats: number): number {
  const samples: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const start = performance.now();
    fleet(managers).synthYaml();
    samples.push(performance.now() - start);
  }
  return Math.min(...samples);
}

function medianPhases(runs: number, sample: () => Buffer): Phases {
  const samples = Array.from({ length: runs }, () => JSON.parse(sample().toString('utf-8')) as Phases);
  return Object.fromEntries(Object.keys(samples[0]).map((phase) => [phase, median(samples.map((s) => s[phase]))]));
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

export function runSynthBench(runs = 7): SynthBenchResult {
  // Inside the repository (git-ignored), so the compiled apps resolve cdk8s from its node_modules.
  fs.mkdirSync(path.join(repo, 'bench', 'results'), { recursive: true });
  const work = fs.mkdtempSync(path.join(repo, 'bench', 'results', 'synth-'));
  try {
    const { seed, baseline, phases } = buildApps(work);
    const seedProject = cdk8sProject(work, 'seed-app', seed);
    const baselineProject = cdk8sProject(work, 'baseline-app', baseline);
    const cli = compare(runs, () => timeCdk8sSynth(seedProject), () => timeCdk8sSynth(baselineProject));
    const seedRss: number[] = [];
    const baselineRss: number[] = [];
    let n = 0;
    const app = compare(runs,
      () => { const r = timeProcess(seed, path.join(work, `seed-${n++}`)); seedRss.push(r.maxRssMiB); return r.ms; },
      () => { const r = timeProcess(baseline, path.join(work, `base-${n++}`)); baselineRss.push(r.maxRssMiB); return r.ms; });
    const seedPhases = medianPhases(runs, () => execFileSync(process.execPath, [phases, path.join(work, 'phases-out')], { stdio: ['ignore', 'pipe', 'ignore'] }));
    const baselinePhases = medianPhases(runs, () => execFileSync(process.execPath, [baseline],
      { env: { ...process.env, BENCH_PHASES: '1', CDK8S_OUTDIR: path.join(work, 'phases-base') }, stdio: ['ignore', 'pipe', 'ignore'] }));
    // Warm the code first, so the small fleets measure the steady cost of a manager rather than V8 compiling our code.
    timeInProcess(100, 2);
    timeInProcess(10, 5);
    const scaling = [1, 10, 100, 500].map((managers) => {
      const ms = timeInProcess(managers, managers >= 500 ? 3 : managers >= 100 ? 5 : 15);
      return { managers, ms, perManagerMs: ms / managers };
    });
    // The marginal cost of one manager, measured where the fleet is small (1 → 10 managers).
    const m1 = scaling.find((s) => s.managers === 1)!.ms;
    const m10 = scaling.find((s) => s.managers === 10)!.ms;
    const m500 = scaling.find((s) => s.managers === 500)!.ms;
    const marginal = (m10 - m1) / 9;
    return {
      cli,
      app,
      seedPhases,
      baselinePhases,
      seedMaxRssMiB: Math.max(...seedRss),
      baselineMaxRssMiB: Math.max(...baselineRss),
      scaling,
      // 500 managers against 500 × the marginal cost of one: 1.0 is perfectly linear, above it grows faster.
      marginalMs: marginal,
      linearity: m500 / (500 * marginal),
    };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
