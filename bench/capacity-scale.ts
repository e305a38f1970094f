import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { App, Chart } from 'cdk8s';
import { FleetSynth, JobPodTemplate, NodePool, ResourceBudget, RunnerManager, RunnerToken } from '../src';
import { evaluateBudget } from '../src/internal/capacity/evaluate';
import { capacityFindings } from '../src/internal/capacity/findings';
import { renderCapacityReports } from '../src/internal/capacity/report';

// The issue-12 scale targets, one per process (run by capacity.bench.ts as `node … bench/capacity-scale.ts <name>`),
// so that peak RSS and whole-process time belong to one scenario. Prints one JSON line.
//   failing-1000:  1,000 managers on 20 pools of 5 nodes that cannot hold them: FleetSynth.synth refuses (whole process).
//   passing-1000:  the same managers with concurrent 1 on 20 pools of 50 nodes: FleetSynth.synth writes (for comparison).
//   nodes-100000:  100,000 nodes in 2,000 pools against 500 managers: the capacity evaluation, timed, and peak RSS.
//   wide-2000x1000: 2,000 managers × 1,000 pools: evaluation and review files (bytes), no crash.

const SHAPES = [['500m', '1Gi'], ['1', '2Gi'], ['1500m', '3Gi'], ['2', '4Gi'], ['3', '6Gi']];
const GROUPS = ['a', 'b', 'c', 'd'];

/** `count` managers of 5 job-pod shapes, each pinned to one of 4 pool groups (every fifth: none). */
function managers(chart: Chart, budget: ResourceBudget, count: number, concurrent: number): RunnerManager[] {
  return Array.from({ length: count }, (_, i) => {
    const [cpu, memory] = SHAPES[i % SHAPES.length];
    const jobs = new JobPodTemplate(chart, `Jobs${i}`, {
      buildResources: { cpu: { request: cpu, limit: cpu }, memory: { request: memory, limit: memory } },
      helper: { resources: { cpu: { request: '100m', limit: '500m' }, memory: { request: '128Mi', limit: '512Mi' } } },
      nodeSelector: i % 5 === 4 ? {} : { 'example.com/pool-group': GROUPS[i % GROUPS.length] },
    });
    return new RunnerManager(chart, `Runner${i}`, {
      gitlabUrl: 'https://gitlab.example.com/',
      token: RunnerToken.fromSecret('runner-token', 'token'),
      jobPod: jobs,
      replicas: 2,
      concurrent,
      budget,
    });
  });
}

function pools(count: number, nodes: number): NodePool[] {
  return Array.from({ length: count }, (_, i) => ({
    name: `pool-${i}`,
    nodes,
    allocatable: { cpu: `${8 + 4 * (i % 5)}`, memory: `${32 + 16 * (i % 5)}Gi` },
    daemonSets: { cpu: '300m', memory: '512Mi', pods: 3 },
    labels: { 'example.com/pool-group': GROUPS[i % GROUPS.length] },
  }));
}

function rssMiB(): number {
  return Math.round((process.resourceUsage().maxRSS / 1024) * 10) / 10;
}

function run(name: string): Record<string, unknown> {
  const declared = performance.now();
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'capacity-scale-'));
  process.on('exit', () => {
    fs.rmSync(outdir, { recursive: true, force: true });
    fs.rmSync(`${outdir}-capacity-report`, { recursive: true, force: true });
  });
  const app = new App({ outdir });
  const chart = new Chart(app, 'fleet');
  if (name === 'failing-1000' || name === 'passing-1000') {
    const failing = name === 'failing-1000';
    const budget = new ResourceBudget(chart, 'Budget', { nodePools: pools(20, failing ? 5 : 50) });
    managers(chart, budget, 1000, failing ? 20 : 1);
    const declareMs = Math.round(performance.now() - declared);
    const start = performance.now();
    const write = process.stderr.write.bind(process.stderr);
    let printed = 0;
    process.stderr.write = ((chunk: string) => {
      printed += chunk.length;
      return true;
    }) as typeof process.stderr.write;
    const result = FleetSynth.synth(app);
    process.stderr.write = write;
    process.exitCode = 0;
    const errors = result.findings.filter((f) => f.severity === 'error');
    return { name, declareMs, written: result.written, cap003: errors.filter((f) => f.ruleId === 'CAP003').length, synthMs: Math.round(performance.now() - start), printedChars: printed, peakRssMiB: rssMiB() };
  }
  const [count, perPool, managerCount] = name === 'nodes-100000' ? [2000, 50, 500] : [1000, 1, 2000];
  const budget = new ResourceBudget(chart, 'Budget', { nodePools: pools(count, perPool) });
  const models = managers(chart, budget, managerCount, 1).map((m) => m._toModel());
  const model = budget._toModel();
  const samples: number[] = [];
  let last;
  for (let i = 0; i < 3; i++) {
    const start = performance.now();
    const evaluation = evaluateBudget(model, models);
    last = { evaluation, findings: capacityFindings(evaluation, models) };
    samples.push(performance.now() - start);
  }
  const files = renderCapacityReports([{ model, ...last! }], []);
  const bytes = files.reduce((s, f) => s + Buffer.byteLength(f.content), 0);
  return {
    name,
    evaluationMs: Math.round(samples.sort((a, b) => a - b)[1]),
    errors: last!.findings.filter((f) => f.severity === 'error').length,
    placement: last!.evaluation.placement.status,
    reportBytes: bytes,
    files: Object.fromEntries(files.map((f) => [f.fileName, Buffer.byteLength(f.content)])),
    peakRssMiB: rssMiB(),
  };
}

if (require.main === module) {
  console.log(JSON.stringify(run(process.argv[2])));
}
