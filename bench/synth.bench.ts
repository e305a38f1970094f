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

export interface SynthBenchResult {
  readonly seedMs: number[];
  readonly baselineMs: number[];
  readonly ratio: number;
  readonly seedMaxRssMiB: number;
  readonly baselineMaxRssMiB: number;
  readonly scaling: Array<{ managers: number; ms: number; perManagerMs: number }>;
  readonly marginalMs: number;
  readonly linearity: number;
}

/** Compiles the example and the library to plain JavaScript, so both apps run as users run them: node, no ts-node. */
function buildApps(work: string): { seed: string; baseline: string } {
  execFileSync(path.join(repo, 'node_modules', '.bin', 'tsc'), [
    '--outDir', path.join(work, 'build'), '--rootDir', repo, '--module', 'nodenext', '--target', 'ES2022',
    '--skipLibCheck', '--esModuleInterop', '--ignoreConfig', '--types', 'node', path.join(repo, 'examples', 'seed-fleet', 'main.ts'),
  ], { stdio: 'inherit' });
  const seed = path.join(work, 'build', 'examples', 'seed-fleet', 'main.js');
  // The baseline emits exactly the seed's objects, read from a real synth, with nothing but cdk8s.
  const reference = path.join(work, 'reference');
  execFileSync(process.execPath, [seed], { env: { ...process.env, CDK8S_OUTDIR: reference }, stdio: 'pipe' });
  const charts = fs.readdirSync(reference).filter((f) => f.endsWith('.k8s.yaml'))
    .map((file) => ({ name: file.replace(/\.k8s\.yaml$/, ''), objects: Yaml.load(path.join(reference, file)) }));
  const baseline = path.join(work, 'baseline.js');
  fs.writeFileSync(baseline, `
const { App, Chart, ApiObject } = require('cdk8s');
const charts = ${JSON.stringify(charts)};
const app = new App();
for (const { name, objects } of charts) {
  const chart = new Chart(app, name, { disableResourceNameHashes: true });
  objects.forEach((o, i) => new ApiObject(chart, 'o' + i, o));
}
app.synth();
`);
  return { seed, baseline };
}

function timeProcess(script: string, outdir: string): { ms: number; maxRssMiB: number } {
  const wrapper = `const t0=process.hrtime.bigint();require(${JSON.stringify(script)});process.on('exit',()=>{process.stderr.write(JSON.stringify({ms:Number(process.hrtime.bigint()-t0)/1e6,rss:process.resourceUsage().maxRSS/1024})+'\\n')});`;
  const start = performance.now();
  const r = spawnSync(process.execPath, ['-e', wrapper], { env: { ...process.env, CDK8S_OUTDIR: outdir }, encoding: 'utf-8' });
  const ms = performance.now() - start;
  if (r.status !== 0) throw new Error(`${script} failed: ${r.stderr}`);
  const inner = JSON.parse(r.stderr.trim().split('\n').pop()!);
  return { ms, maxRssMiB: inner.rss };
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

function timeInProcess(managers: number, repeats: number): number {
  const samples: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const start = performance.now();
    fleet(managers).synthYaml();
    samples.push(performance.now() - start);
  }
  return median(samples);
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
    const { seed, baseline } = buildApps(work);
    const seedRuns: Array<{ ms: number; maxRssMiB: number }> = [];
    const baseRuns: Array<{ ms: number; maxRssMiB: number }> = [];
    timeProcess(seed, path.join(work, 'warm'));
    for (let i = 0; i < runs; i++) {
      // Alternate, so drift of the machine affects both alike.
      seedRuns.push(timeProcess(seed, path.join(work, `seed-${i}`)));
      baseRuns.push(timeProcess(baseline, path.join(work, `base-${i}`)));
    }
    timeInProcess(10, 3);
    const one = timeInProcess(1, 15);
    const scaling = [1, 10, 100, 500].map((managers) => {
      const ms = managers === 1 ? one : timeInProcess(managers, managers >= 100 ? 3 : 7);
      return { managers, ms, perManagerMs: ms / managers };
    });
    // The marginal cost of one manager, measured where the fleet is small (1 → 10 managers).
    const m1 = scaling.find((s) => s.managers === 1)!.ms;
    const m10 = scaling.find((s) => s.managers === 10)!.ms;
    const m500 = scaling.find((s) => s.managers === 500)!.ms;
    const marginal = (m10 - m1) / 9;
    return {
      seedMs: seedRuns.map((r) => r.ms),
      baselineMs: baseRuns.map((r) => r.ms),
      ratio: median(seedRuns.map((r) => r.ms)) / median(baseRuns.map((r) => r.ms)),
      seedMaxRssMiB: Math.max(...seedRuns.map((r) => r.maxRssMiB)),
      baselineMaxRssMiB: Math.max(...baseRuns.map((r) => r.maxRssMiB)),
      scaling,
      // 500 managers against 500 × the marginal cost of one: 1.0 is perfectly linear, above it grows faster.
      marginalMs: marginal,
      linearity: m500 / (500 * marginal),
    };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
