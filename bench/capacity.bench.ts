import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { Testing } from 'cdk8s';
import { JobPodTemplate, RunnerManager, RunnerToken } from '../src';
import { evaluateBudget } from '../src/internal/capacity/evaluate';
import { capacityFindings } from '../src/internal/capacity/findings';
import { BudgetModel, PoolModel } from '../src/model/budget';
import type { ManagerModel } from '../src/model/manager';

// Capacity evaluation cost: the verdict of a large fleet (10,000 nodes in 20 pools, 50 managers) in process, and how
// the cost grows with the number of nodes. Identical nodes of a pool are evaluated once, so the second series uses
// pools of one node each (every node a distinct shape): the worst case, which must stay linear.

const GI = 1024n ** 3n * 1_000_000_000n;
const CORE = 1_000_000_000n;
const MANAGERS = 50;
const POOL_GROUPS = ['a', 'b', 'c', 'd'];

export interface CapacityBenchRow {
  readonly scenario: string;
  readonly nodes: number;
  readonly pools: number;
  readonly managers: number;
  readonly medianMs: number;
  readonly usPerNode: number;
}

export interface CapacityBenchResult {
  readonly target: CapacityBenchRow;
  readonly distinctNodes: CapacityBenchRow[];
  readonly identicalNodes: CapacityBenchRow[];
  /** (µs per node at the largest size) ÷ (µs per node at the smallest) in the distinct-node series; 1 is linear. */
  readonly linearity: number;
  readonly machine: string;
}

/** 50 managers with 5 job-pod shapes, each confined to one group of pools by a node selector (every fifth: none). */
function fleet(): ManagerModel[] {
  const chart = Testing.chart();
  const shapes = [['500m', '1Gi'], ['1', '2Gi'], ['1500m', '3Gi'], ['2', '4Gi'], ['3', '6Gi']];
  return Array.from({ length: MANAGERS }, (_, i) => {
    const [cpu, memory] = shapes[i % shapes.length];
    const jobs = new JobPodTemplate(chart, `Jobs${i}`, {
      buildResources: { cpu: { request: cpu, limit: cpu }, memory: { request: memory, limit: memory } },
      helper: { resources: { cpu: { request: '100m', limit: '500m' }, memory: { request: '128Mi', limit: '512Mi' } } },
      nodeSelector: i % 5 === 4 ? {} : { 'example.com/pool-group': POOL_GROUPS[i % POOL_GROUPS.length] },
    });
    return new RunnerManager(chart, `Runner${i}`, {
      gitlabUrl: 'https://gitlab.example.com/',
      token: RunnerToken.fromSecret('runner-token', 'token'),
      jobPod: jobs,
      replicas: 2,
      concurrent: 20,
    })._toModel();
  });
}

function pool(name: string, nodes: number, group: string, cpuCores: bigint, memoryGi: bigint): PoolModel {
  const declared = { cpu: cpuCores * CORE, memory: memoryGi * GI };
  return {
    name,
    nodes,
    declared,
    declaredAs: 'allocatable',
    reservedDeclared: false,
    reserved: {},
    allocatable: declared,
    daemonSets: { cpu: 300_000_000n, memory: GI / 2n },
    daemonSetPods: 3,
    maxPods: 110,
    labels: { 'example.com/pool-group': group },
    taints: [],
  };
}

function budget(pools: PoolModel[]): BudgetModel {
  return { path: 'bench/Budget', pools, cpuLimitOvercommitRatio: 2, runtimeClasses: {} };
}

/** 20 pools of identical nodes, `perPool` nodes each. */
function identicalPools(perPool: number): PoolModel[] {
  return Array.from({ length: 20 }, (_, i) => pool(`pool-${i}`, perPool, POOL_GROUPS[i % 4], BigInt(8 + 4 * (i % 5)), BigInt(32 + 16 * (i % 5))));
}

/** `nodes` pools of one node each, no two alike. */
function distinctPools(nodes: number): PoolModel[] {
  return Array.from({ length: nodes }, (_, i) => pool(`node-${i}`, 1, POOL_GROUPS[i % 4], BigInt(4 + (i % 61)), BigInt(16 + (i % 97))));
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** The full verdict (evaluation and findings), timed `runs` times after one warm-up. */
function time(scenario: string, pools: PoolModel[], managers: ManagerModel[], runs: number): CapacityBenchRow {
  const b = budget(pools);
  const once = () => capacityFindings(evaluateBudget(b, managers), managers);
  const warm = once();
  if (warm.some((f) => f.severity === 'error')) throw new Error(`${scenario}: the bench fleet must fit, got ${warm[0].ruleId} ${warm[0].message}`);
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    once();
    samples.push(performance.now() - start);
  }
  const nodes = pools.reduce((s, p) => s + p.nodes, 0);
  const ms = median(samples);
  return { scenario, nodes, pools: pools.length, managers: managers.length, medianMs: round(ms), usPerNode: round((ms * 1000) / nodes) };
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

export function runCapacityBench(runs = 15): CapacityBenchResult {
  const managers = fleet();
  const target = time('10,000 nodes in 20 pools', identicalPools(500), managers, runs);
  const distinctNodes = [1000, 2000, 4000, 8000, 16000].map((n) => time('distinct nodes', distinctPools(n), managers, Math.max(3, Math.floor(runs / 3))));
  const identicalNodes = [1000, 10000, 100000, 1000000].map((n) => time('identical nodes, 20 pools', identicalPools(n / 20), managers, runs));
  const first = distinctNodes[0];
  const last = distinctNodes[distinctNodes.length - 1];
  return {
    target,
    distinctNodes,
    identicalNodes,
    linearity: round(last.usPerNode / first.usPerNode),
    machine: `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'unknown CPU'}, node ${process.version}`,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Scale targets (issue 12), each scenario in a process of its own, compiled to plain JavaScript (no ts-node)

export interface CapacityScaleRow {
  readonly scenario: string;
  /** Wall time of the whole `node` process (start-up, declaring the fleet, the checks, the report). */
  readonly processMs: number;
  /** What the scenario printed (bench/capacity-scale.ts): evaluation or synth time, bytes, peak RSS. */
  readonly result: Record<string, any>;
}

const repo = path.join(__dirname, '..');

export function runCapacityScaleBench(scenarios = ['failing-1000', 'passing-1000', 'nodes-100000', 'wide-2000x1000']): CapacityScaleRow[] {
  fs.mkdirSync(path.join(repo, 'bench', 'results'), { recursive: true });
  const work = fs.mkdtempSync(path.join(repo, 'bench', 'results', 'capacity-scale-'));
  try {
    execFileSync(path.join(repo, 'node_modules', '.bin', 'tsc'), [
      '--outDir', path.join(work, 'build'), '--rootDir', repo, '--module', 'nodenext', '--target', 'ES2022',
      '--skipLibCheck', '--esModuleInterop', '--ignoreConfig', '--types', 'node', path.join(repo, 'bench', 'capacity-scale.ts'),
    ], { stdio: 'inherit' });
    const script = path.join(work, 'build', 'bench', 'capacity-scale.js');
    return scenarios.map((scenario) => {
      const start = performance.now();
      const run = spawnSync(process.execPath, [script, scenario], { encoding: 'utf-8', env: { ...process.env, CDK8S_CHECK_UPGRADE: 'false' }, maxBuffer: 1024 * 1024 * 1024 });
      const processMs = Math.round(performance.now() - start);
      if (run.status !== 0) throw new Error(`${scenario} failed (exit ${run.status}): ${run.stderr}`);
      return { scenario, processMs, result: JSON.parse(run.stdout.trim().split('\n').pop()!) };
    });
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

if (require.main === module && process.argv[2] === 'scale') {
  for (const row of runCapacityScaleBench()) console.log(JSON.stringify(row));
}
