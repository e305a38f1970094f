import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { Yaml } from 'cdk8s';
import * as ts from 'typescript';

// Speed as users meet it: the library packed with `npm pack` and installed into an app outside this repository, every
// app run as a whole process (`cdk8s synth`, or `node` alone), never in this process.
//
// - Interleaved rounds of three apps: the seed fleet on the packed library, a baseline that creates the seed's
//   objects as plain ApiObjects, and the same runner written by hand with cdk8s-plus-28 (bench/peer-app/main.js).
//   Each round runs the three back to back in a rotating order; the ratios are taken per round (seed ÷ baseline,
//   seed ÷ peer), so drift of a shared machine hits both halves of a pair alike.
// - Whole-process `FleetSynth.synth` of fleets of N managers with a budget and every review file, one process per run.

const repo = path.join(__dirname, '..');

export interface PackedBenchOptions {
  /** Rounds of `cdk8s synth` (each one run of each app). */
  readonly cliRounds: number;
  /** Rounds of `node` running each app alone. */
  readonly nodeRounds: number;
  /** Fleet sizes for the scaling runs, and how many runs each. */
  readonly sizes: ReadonlyArray<{ managers: number; runs: number }>;
  /** Runs of each app before the rounds, so the file cache is warm (not counted). */
  readonly warmups: number;
}

export const FULL: PackedBenchOptions = {
  cliRounds: 20,
  // A node-alone round takes about a second for the four apps. With 30 rounds, two runs of nearly the same code printed
  // median ratios of 1.117 and 1.153 on this shared VM; twice the rounds halve the variance of the median.
  nodeRounds: 60,
  sizes: [{ managers: 1, runs: 5 }, { managers: 10, runs: 5 }, { managers: 100, runs: 3 }, { managers: 500, runs: 3 }, { managers: 2000, runs: 2 }],
  warmups: 2,
};

/** BENCH_QUICK=1: tiny sizes that prove the harness works, in seconds; the numbers mean nothing. */
export const QUICK: PackedBenchOptions = {
  cliRounds: 1,
  nodeRounds: 2,
  sizes: [{ managers: 1, runs: 1 }, { managers: 3, runs: 1 }],
  warmups: 0,
};

/**
 * The seed on the packed library (`seed`: its code cache written by an earlier run, as on a developer's machine or a
 * runner that keeps its temporary directory; `firstRun`: a new, empty cache directory every run, as in a fresh
 * container, which pays for compiling and writing the cache), the baseline, the baseline that also loads the packed
 * library and uses none of it (`loadOnly`, with a code cache of its own: what loading the library costs an app), and
 * the peer.
 */
export type AppName = 'seed' | 'firstRun' | 'baseline' | 'loadOnly' | 'peer';
export const APPS: AppName[] = ['seed', 'firstRun', 'baseline', 'loadOnly', 'peer'];

/** One run of each app, in the order they ran. */
export interface Round {
  readonly order: AppName[];
  readonly ms: Record<AppName, number>;
  /** Peak RSS of the app's process (node-alone rounds only). */
  readonly rssMiB?: Record<AppName, number>;
}

export interface RatioSummary {
  /** One ratio per round. */
  readonly ratios: number[];
  readonly median: number;
  readonly min: number;
}

export interface Comparison {
  readonly rounds: Round[];
  readonly seedOverBaseline: RatioSummary;
  readonly firstRunOverBaseline: RatioSummary;
  /** What loading the library alone costs: the part of seed ÷ baseline that no declaration or synth can take off. */
  readonly loadOnlyOverBaseline: RatioSummary;
  readonly seedOverPeer: RatioSummary;
  readonly medianMs: Record<AppName, number>;
  readonly medianRssMiB?: Record<AppName, number>;
}

export interface ScaleRow {
  readonly managers: number;
  /** Every run's wall-clock milliseconds, in the order they ran. */
  readonly runsMs: number[];
  /** The fastest run: other jobs on a shared machine only ever add time. */
  readonly ms: number;
  /** Highest peak RSS of the runs. */
  readonly rssMiB: number;
  /** Files FleetSynth wrote (manifests and review files), as a check that the run did the whole work. */
  readonly files: number;
}

export interface LinearFit {
  /** Milliseconds (or MiB) of a fleet of 0 managers. */
  readonly intercept: number;
  /** Milliseconds (or MiB) per manager. */
  readonly slope: number;
}

export interface ScaleResult {
  readonly rows: ScaleRow[];
  /** Least squares over every size. */
  readonly timeFit: LinearFit & { residualsMs: number[] };
  readonly rssFit: LinearFit & { residualsMiB: number[] };
  /** The line through the sizes up to 100 managers, extrapolated to the largest size. */
  readonly smallFit: LinearFit;
  readonly largest: { managers: number; ms: number; predictedMs: number; ratio: number; rssMiB: number };
}

export interface PackedBenchResult {
  readonly tarball: { file: string; size: number; unpackedSize: number; entryCount: number };
  readonly cli: Comparison;
  readonly node: Comparison;
  readonly scale: ScaleResult;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

export function linearFit(xs: number[], ys: number[]): LinearFit {
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  const sxx = xs.reduce((a, x) => a + (x - mx) ** 2, 0);
  const slope = sxx === 0 ? 0 : xs.reduce((a, x, i) => a + (x - mx) * (ys[i] - my), 0) / sxx;
  return { intercept: my - slope * mx, slope };
}

function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): string {
  return execFileSync(cmd, args, { cwd, encoding: 'utf-8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env }, maxBuffer: 64 * 2 ** 20 });
}

/**
 * Packs the library (prepack compiles lib/ when it is stale) and installs the tarball into `app/node_modules` the way
 * npm does: its files, bundled dependencies included, under node_modules/cdk8s-gitlab-runner. The peers (cdk8s,
 * constructs, cdk8s-plus-28 for the peer app) are this repository's installed copies, linked.
 */
function installPacked(work: string, app: string): PackedBenchResult['tarball'] {
  const [packed] = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', work], repo));
  const file = path.join(work, packed.filename);
  const modules = path.join(app, 'node_modules');
  fs.mkdirSync(modules, { recursive: true });
  run('tar', ['-xzf', file, '-C', modules], app);
  fs.renameSync(path.join(modules, 'package'), path.join(modules, 'cdk8s-gitlab-runner'));
  for (const peer of ['cdk8s', 'constructs', 'cdk8s-plus-28']) {
    fs.symlinkSync(path.join(repo, 'node_modules', peer), path.join(modules, peer), 'dir');
  }
  return { file: packed.filename, size: packed.size, unpackedSize: packed.unpackedSize, entryCount: packed.entryCount };
}

const MAIN = (declare: string, cache = '') => `'use strict';
${cache}const { App } = require('cdk8s');
const { FleetSynth } = require('cdk8s-gitlab-runner');
${declare}
const app = new App();
try {
  declareFleet(app);
  FleetSynth.synth(app);
} catch (error) {
  FleetSynth.reportError(error);
}
`;

/** The three apps, each in a project directory of the app whose cdk8s.yaml runs it with node. */
function writeApps(app: string): Record<AppName, string> {
  const dirs = Object.fromEntries(APPS.map((name) => [name, path.join(app, name)])) as Record<AppName, string>;
  for (const dir of Object.values(dirs)) {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'cdk8s.yaml'), `language: typescript\napp: ${JSON.stringify(`${process.execPath} main.js`)}\noutput: dist\n`);
  }
  // The seed fleet of examples/, importing the installed package instead of ../../src.
  const source = fs.readFileSync(path.join(repo, 'examples', 'seed-fleet', 'fleet.ts'), 'utf-8');
  const fleet = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } }).outputText;
  if (!fleet.includes('require("../../src")')) throw new Error('examples/seed-fleet/fleet.ts no longer imports ../../src');
  fs.writeFileSync(path.join(dirs.seed, 'fleet.js'), fleet.replace('require("../../src")', 'require("cdk8s-gitlab-runner")'));
  const declareSeed = "const { seedFleet: declareFleet } = require('./fleet');";
  // The library's code cache (scripts/lib-entry.js) in the bench's own folder, not in the machine's temporary directory.
  const cacheIn = (dir: string) => `process.env.CDK8S_GITLAB_RUNNER_COMPILE_CACHE = ${dir};\n`;
  fs.writeFileSync(path.join(dirs.seed, 'main.js'), MAIN(declareSeed, cacheIn("require('path').join(__dirname, '..', 'code-cache')")));
  fs.copyFileSync(path.join(dirs.seed, 'fleet.js'), path.join(dirs.firstRun, 'fleet.js'));
  fs.writeFileSync(path.join(dirs.firstRun, 'main.js'),
    MAIN(declareSeed, cacheIn("require('fs').mkdtempSync(require('path').join(__dirname, '..', 'first-run-cache-'))")));

  // The baseline creates exactly the seed's objects, read from a real synth, with nothing but cdk8s.
  const reference = path.join(app, 'reference');
  run(process.execPath, ['main.js'], dirs.seed, { CDK8S_OUTDIR: reference });
  const charts = fs.readdirSync(reference).filter((f) => f.endsWith('.k8s.yaml')).sort()
    .map((f) => ({ name: f.replace(/\.k8s\.yaml$/, ''), objects: Yaml.load(path.join(reference, f)) }));
  const baseline = (loadLibrary: string) => `'use strict';
${loadLibrary}const { App, Chart, ApiObject } = require('cdk8s');
const charts = ${JSON.stringify(charts)};
const app = new App();
for (const { name, objects } of charts) {
  const chart = new Chart(app, name, { disableResourceNameHashes: true });
  objects.forEach((o, i) => new ApiObject(chart, 'o' + i, o));
}
app.synth();
`;
  fs.writeFileSync(path.join(dirs.baseline, 'main.js'), baseline(''));
  // The same app with the library loaded after cdk8s, as the seed loads it, and not used; its own code cache, which its
  // first run writes with the functions loading runs.
  fs.writeFileSync(path.join(dirs.loadOnly, 'main.js'), baseline(`${cacheIn("require('path').join(__dirname, '..', 'load-only-code-cache')")}require('cdk8s');
if (typeof require('cdk8s-gitlab-runner').FleetSynth !== 'function') throw new Error('cdk8s-gitlab-runner did not load');
`));
  fs.copyFileSync(path.join(__dirname, 'peer-app', 'main.js'), path.join(dirs.peer, 'main.js'));

  // The scaling app: N managers, each with its own job-pod template and DinD service, one DNS config, one budget
  // every manager is checked against, written by FleetSynth.synth with all review files (the seed's code cache).
  fs.writeFileSync(path.join(app, 'scale.js'), MAIN(`const { Chart } = require('cdk8s');
const { DindService, DnsConfig, DnsPolicy, JobPodTemplate, PullPolicy, ResourceBudget, RunnerManager, RunnerToken } = require('cdk8s-gitlab-runner');
const managers = Number(process.argv[2]);
function declareFleet(app) {
  const chart = new Chart(app, 'fleet', { namespace: 'ci', disableResourceNameHashes: true });
  // One node of 16 cores and 64Gi per manager: its 4 job pods (1.1 CPU, 1.25Gi each) and its manager pod fit.
  const budget = new ResourceBudget(chart, 'Cluster', { nodePools: [{ name: 'ci', nodes: managers + 1, allocatable: { cpu: '16', memory: '64Gi' } }] });
  const dns = new DnsConfig(chart, 'Dns', { policy: DnsPolicy.NONE, nameservers: ['10.0.0.2'], searches: ['svc.cluster.local'] });
  for (let i = 0; i < managers; i++) {
    const dind = new DindService(chart, 'Dind' + i, { resources: { cpu: { request: '500m', limit: '2' }, memory: { request: '512Mi', limit: '2Gi' } } });
    const jobs = new JobPodTemplate(chart, 'Jobs' + i, {
      buildResources: { cpu: { request: '500m', limit: '2' }, memory: { request: '512Mi', limit: '2Gi' } },
      helper: { resources: { cpu: { request: '100m', limit: '500m' }, memory: { request: '256Mi', limit: '512Mi' } } },
      services: [dind], dns, pullPolicy: [PullPolicy.IF_NOT_PRESENT],
    });
    new RunnerManager(chart, 'Runner' + i, {
      name: 'runner-' + i, gitlabUrl: 'https://gitlab.example.com/', token: RunnerToken.fromSecret('token'), concurrent: 4, jobPod: jobs, budget,
    });
  }
}`, cacheIn("require('path').join(__dirname, 'code-cache')")));
  return dirs;
}

/** Runs `node <script> [args]` in `cwd` as a whole process; its peak RSS is read inside it as it exits. */
function timeNode(script: string, args: string[], cwd: string, outdir: string): { ms: number; rssMiB: number } {
  fs.rmSync(outdir, { recursive: true, force: true });
  const wrapper = [
    'process.on("exit",()=>{process.stderr.write("\\nBENCH_RSS "+process.resourceUsage().maxRSS/1024+"\\n")});',
    `process.argv.splice(1,0,${JSON.stringify(script)});require(${JSON.stringify(script)});`,
  ].join('');
  const start = performance.now();
  const r = spawnSync(process.execPath, ['-e', wrapper, ...args], { cwd, env: { ...process.env, CDK8S_OUTDIR: outdir }, encoding: 'utf-8', maxBuffer: 64 * 2 ** 20 });
  const ms = performance.now() - start;
  if (r.status !== 0) throw new Error(`node ${script} ${args.join(' ')} failed (${r.status}):\n${r.stderr}`);
  const rss = /BENCH_RSS (\S+)\s*$/.exec(r.stderr);
  if (!rss) throw new Error(`node ${script} did not report its peak RSS:\n${r.stderr}`);
  return { ms, rssMiB: Number(rss[1]) };
}

function timeCdk8sSynth(project: string): number {
  fs.rmSync(path.join(project, 'dist'), { recursive: true, force: true });
  const start = performance.now();
  const r = spawnSync(path.join(repo, 'node_modules', '.bin', 'cdk8s'), ['synth', '--no-check-upgrade'],
    { cwd: project, encoding: 'utf-8', env: { ...process.env, CDK8S_CHECK_UPGRADE: 'false' } });
  const ms = performance.now() - start;
  if (r.status !== 0) throw new Error(`cdk8s synth in ${project} failed (${r.status}):\n${r.stderr}`);
  if (!fs.readdirSync(path.join(project, 'dist')).some((f) => f.endsWith('.k8s.yaml'))) throw new Error(`cdk8s synth in ${project} wrote no manifest`);
  return ms;
}

function summary(ratios: number[]): RatioSummary {
  return { ratios, median: median(ratios), min: Math.min(...ratios) };
}

function compare(rounds: number, warmups: number, once: (name: AppName) => { ms: number; rssMiB?: number }): Comparison {
  for (let w = 0; w < warmups; w++) for (const name of APPS) once(name);
  const all: Round[] = [];
  for (let i = 0; i < rounds; i++) {
    // Rotate the order, so no app always runs first (or right after another one).
    const order = APPS.map((_, k) => APPS[(i + k) % APPS.length]);
    const ms = {} as Record<AppName, number>;
    const rss = {} as Record<AppName, number>;
    for (const name of order) {
      const r = once(name);
      ms[name] = r.ms;
      if (r.rssMiB !== undefined) rss[name] = r.rssMiB;
    }
    all.push({ order, ms, ...(Object.keys(rss).length ? { rssMiB: rss } : {}) });
  }
  return {
    rounds: all,
    seedOverBaseline: summary(all.map((r) => r.ms.seed / r.ms.baseline)),
    firstRunOverBaseline: summary(all.map((r) => r.ms.firstRun / r.ms.baseline)),
    loadOnlyOverBaseline: summary(all.map((r) => r.ms.loadOnly / r.ms.baseline)),
    seedOverPeer: summary(all.map((r) => r.ms.seed / r.ms.peer)),
    medianMs: Object.fromEntries(APPS.map((a) => [a, median(all.map((r) => r.ms[a]))])) as Record<AppName, number>,
    ...(all[0]?.rssMiB
      ? { medianRssMiB: Object.fromEntries(APPS.map((a) => [a, median(all.map((r) => r.rssMiB![a]))])) as Record<AppName, number> }
      : {}),
  };
}

function scaling(app: string, sizes: PackedBenchOptions['sizes']): ScaleResult {
  const runs = new Map<number, Array<{ ms: number; rssMiB: number; files: number }>>(sizes.map((s) => [s.managers, []]));
  // Round robin over the sizes, so a busy minute of the machine does not land on one size only.
  const most = Math.max(...sizes.map((s) => s.runs));
  for (let r = 0; r < most; r++) {
    for (const { managers, runs: wanted } of sizes) {
      if (r >= wanted) continue;
      const outdir = path.join(app, 'scale-out');
      const t = timeNode(path.join(app, 'scale.js'), [String(managers)], app, outdir);
      const files = fs.readdirSync(outdir);
      // A config.toml and Helm values per manager, the manifests and the fleet's review files.
      if (files.filter((f) => f.endsWith('.config.toml')).length !== managers) {
        throw new Error(`${managers} managers: FleetSynth wrote ${files.length} files, not a config.toml per manager`);
      }
      runs.get(managers)!.push({ ...t, files: files.length });
    }
  }
  const rows: ScaleRow[] = sizes.map(({ managers }) => {
    const samples = runs.get(managers)!;
    return {
      managers,
      runsMs: samples.map((s) => s.ms),
      ms: Math.min(...samples.map((s) => s.ms)),
      rssMiB: Math.max(...samples.map((s) => s.rssMiB)),
      files: samples[0].files,
    };
  });
  const xs = rows.map((r) => r.managers);
  const time = linearFit(xs, rows.map((r) => r.ms));
  const rss = linearFit(xs, rows.map((r) => r.rssMiB));
  const small = rows.filter((r) => r.managers <= 100);
  const smallFit = linearFit(small.map((r) => r.managers), small.map((r) => r.ms));
  const last = rows[rows.length - 1];
  const predictedMs = smallFit.intercept + smallFit.slope * last.managers;
  return {
    rows,
    timeFit: { ...time, residualsMs: rows.map((r) => r.ms - (time.intercept + time.slope * r.managers)) },
    rssFit: { ...rss, residualsMiB: rows.map((r) => r.rssMiB - (rss.intercept + rss.slope * r.managers)) },
    smallFit,
    largest: { managers: last.managers, ms: last.ms, predictedMs, ratio: last.ms / predictedMs, rssMiB: last.rssMiB },
  };
}

export function runPackedBench(options: PackedBenchOptions): PackedBenchResult {
  // Outside the repository, so the app resolves its packages from its own node_modules, as a user's app does.
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-gitlab-runner-bench-'));
  try {
    const app = path.join(work, 'app');
    const tarball = installPacked(work, app);
    const dirs = writeApps(app);
    const cli = compare(options.cliRounds, options.warmups, (name) => ({ ms: timeCdk8sSynth(dirs[name]) }));
    const node = compare(options.nodeRounds, options.warmups, (name) => timeNode(path.join(dirs[name], 'main.js'), [], dirs[name], path.join(dirs[name], 'out')));
    // The seed ran with the code cache its first run wrote (one file: every later run found it usable).
    const cached = fs.readdirSync(path.join(app, 'code-cache')).filter((f) => f.endsWith('.cache'));
    if (cached.length !== 1) throw new Error(`the seed's code cache holds ${cached.length} files, not 1`);
    const scale = scaling(app, options.sizes);
    return { tarball, cli, node, scale };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
