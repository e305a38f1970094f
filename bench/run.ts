import { runCapacityBench, runCapacityScaleBench } from './capacity.bench';
import { runLargeValueBench } from './large-values.bench';
import { median, runSynthBench } from './synth.bench';

// `npm run bench`: every benchmark, printed as tables. Numbers are medians of in-process runs; see BENCHMARKS.md.

function printTable(title: string, head: string[], rows: Array<Array<string | number>>): void {
  const cells = [head, ...rows.map((r) => r.map(String))];
  const widths = head.map((_, i) => Math.max(...cells.map((r) => r[i].length)));
  const line = (r: string[]) => `| ${r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
  console.log(`\n${title}\n`);
  console.log(line(head));
  console.log(`|${widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`);
  for (const r of cells.slice(1)) console.log(line(r));
}

const capacity = runCapacityBench();
const head = ['scenario', 'nodes', 'pools', 'managers', 'median ms', 'µs per node'];
const row = (r: typeof capacity.target) => [r.scenario, r.nodes, r.pools, r.managers, r.medianMs.toFixed(2), r.usPerNode.toFixed(3)];
printTable('Capacity evaluation (evaluateBudget + capacityFindings, in process)', head, [
  row(capacity.target),
  ...capacity.identicalNodes.map(row),
  ...capacity.distinctNodes.map(row),
]);
console.log(`\nTarget: 10,000 nodes in 20 pools, 50 managers: ${capacity.target.medianMs.toFixed(2)} ms (budget 100 ms) → ${capacity.target.medianMs < 100 ? 'met' : 'MISSED'}`);
console.log(`Linearity (µs per node, largest ÷ smallest distinct-node run; 1 = linear): ${capacity.linearity}`);
console.log(`Machine: ${capacity.machine}`);

const scale = runCapacityScaleBench();
printTable('Capacity at scale (issue 12): each scenario a compiled node process of its own', ['scenario', 'whole process ms', 'result'],
  scale.map((r) => [r.scenario, r.processMs, JSON.stringify(r.result)]));

const synth = runSynthBench();
const processRow = (label: string, ms: number[]) => [label, median(ms).toFixed(0), ms.map((m) => m.toFixed(0)).join(' ')];
printTable('Synth of the seed fleet against its plain-ApiObject baseline: `cdk8s synth`, whole process, alternating runs',
  ['app', 'median ms', 'runs (ms)'], [
    processRow('seed fleet (this library)', synth.cli.seedMs),
    processRow('baseline (same objects as plain ApiObjects)', synth.cli.baselineMs),
  ]);
console.log(`\nRatio seed ÷ baseline (medians): ${synth.cli.ratio.toFixed(3)} (target ≤ 1.15) → ${synth.cli.ratio <= 1.15 ? 'met' : 'MISSED'}`);
printTable('The same two apps run by node alone (no CLI): whole process, alternating runs', ['app', 'median ms', 'runs (ms)'], [
  processRow('seed fleet (this library)', synth.app.seedMs),
  processRow('baseline (same objects as plain ApiObjects)', synth.app.baselineMs),
]);
console.log(`\nRatio seed ÷ baseline without the CLI (medians): ${synth.app.ratio.toFixed(3)}`);
const phaseNames = [...new Set([...Object.keys(synth.seedPhases), ...Object.keys(synth.baselinePhases)])];
printTable('Where one synth spends its time, inside the process (median ms of each phase)', ['phase', 'seed fleet', 'baseline'],
  phaseNames.map((p) => [p, synth.seedPhases[p]?.toFixed(1) ?? '', synth.baselinePhases[p]?.toFixed(1) ?? '']));
console.log(`Peak RSS of the app process: seed ${synth.seedMaxRssMiB.toFixed(1)} MiB, baseline ${synth.baselineMaxRssMiB.toFixed(1)} MiB`);
printTable('Synth time by fleet size (in process: construct + synthYaml, fastest run)', ['managers', 'ms', 'ms per manager'],
  synth.scaling.map((s) => [s.managers, s.ms.toFixed(1), s.perManagerMs.toFixed(2)]));
console.log(`\nMarginal cost of one manager (1 → 10 managers): ${synth.marginalMs.toFixed(2)} ms`);
console.log(`500 managers ÷ (500 × marginal cost of one): ${synth.linearity.toFixed(3)} (target ≤ 1.1) → ${synth.linearity <= 1.1 ? 'met' : 'MISSED'}`);

printTable('One 2 MiB environment variable through every check and writer (construct, findings, values, synthYaml)', ['value', 'MiB', 'ms'],
  runLargeValueBench().map((r) => [r.value, r.mib.toFixed(2), r.ms.toFixed(0)]));
