import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type * as CapacityBench from './capacity.bench';
import type * as LargeValueBench from './large-values.bench';
import { APPS, Comparison, FULL, QUICK, runPackedBench } from './packed.bench';

// `npm run bench`: every benchmark, printed as tables; see BENCHMARKS.md. With BENCH_QUICK=1 only the packed-library
// harness runs, on tiny sizes (a smoke test of the harness: its numbers mean nothing). With BENCH_OUT=<file> the raw
// results are also written there as JSON; a full run always writes them under bench/results/.

const quick = process.env.BENCH_QUICK === '1';

function printTable(title: string, head: string[], rows: Array<Array<string | number>>): void {
  const cells = [head, ...rows.map((r) => r.map(String))];
  const widths = head.map((_, i) => Math.max(...cells.map((r) => r[i].length)));
  const line = (r: string[]) => `| ${r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
  console.log(`\n${title}\n`);
  console.log(line(head));
  console.log(`|${widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`);
  for (const r of cells.slice(1)) console.log(line(r));
}

const verdict = (met: boolean) => (met ? 'met' : 'NOT met');
const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.type()} ${os.release()}, Node.js ${process.version}`;
const load = () => os.loadavg().map((l) => l.toFixed(2)).join(' ');
const started = new Date().toISOString();
const loadBefore = load();

// Loaded only for a full run: it compiles the library's sources through ts-node, which the quick mode does not need.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const capacity = quick ? undefined : (require('./capacity.bench') as typeof CapacityBench).runCapacityBench();
if (capacity) {
  const head = ['scenario', 'nodes', 'pools', 'managers', 'median ms', 'µs per node'];
  const row = (r: typeof capacity.target) => [r.scenario, r.nodes, r.pools, r.managers, r.medianMs.toFixed(2), r.usPerNode.toFixed(3)];
  printTable('Capacity evaluation (evaluateBudget + capacityFindings, in process)', head, [
    row(capacity.target),
    ...capacity.identicalNodes.map(row),
    ...capacity.distinctNodes.map(row),
  ]);
  console.log(`\nTarget: 10,000 nodes in 20 pools, 50 managers: ${capacity.target.medianMs.toFixed(2)} ms (budget 100 ms) → ${verdict(capacity.target.medianMs < 100)}`);
  console.log(`Linearity (µs per node, largest ÷ smallest distinct-node run; 1 = linear): ${capacity.linearity}`);

  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const scale = (require('./capacity.bench') as typeof CapacityBench).runCapacityScaleBench();
  printTable('Capacity at scale (issue 12): each scenario a compiled node process of its own', ['scenario', 'whole process ms', 'result'],
    scale.map((r) => [r.scenario, r.processMs, JSON.stringify(r.result)]));

  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const largeValues = (require('./large-values.bench') as typeof LargeValueBench).runLargeValueBench();
  printTable('Large environment values: 2 MiB refused at declaration (after every declaration check), 0.9 MiB through every check and writer',
    ['value', 'MiB', 'outcome', 'ms'], largeValues.map((r) => [r.value, r.mib.toFixed(2), r.outcome, r.ms.toFixed(0)]));
}

const packed = runPackedBench(quick ? QUICK : FULL);
console.log(`\nPacked library: ${packed.tarball.file}, ${packed.tarball.size} bytes packed, ${packed.tarball.unpackedSize} unpacked, ${packed.tarball.entryCount} files`);

function printComparison(title: string, c: Comparison): void {
  printTable(`${title}: median ms of each app${c.medianRssMiB ? ', median peak RSS' : ''}`, ['app', 'median ms', ...(c.medianRssMiB ? ['peak RSS MiB'] : [])],
    APPS.map((a) => [a, c.medianMs[a].toFixed(0), ...(c.medianRssMiB ? [c.medianRssMiB[a].toFixed(1)] : [])]));
  printTable(`${title}: every round (ms, in the order run) and its ratios`,
    ['round', 'order', 'seed', 'firstRun', 'baseline', 'loadOnly', 'peer',
      'seed ÷ baseline', 'firstRun ÷ baseline', 'loadOnly ÷ baseline', 'seed ÷ peer'],
    c.rounds.map((r, i) => [i + 1, r.order.join(' '),
      ...(['seed', 'firstRun', 'baseline', 'loadOnly', 'peer'] as const).map((a) => r.ms[a].toFixed(0)),
      ...([['seed', 'baseline'], ['firstRun', 'baseline'], ['loadOnly', 'baseline'], ['seed', 'peer']] as const).map(([a, b]) => (r.ms[a] / r.ms[b]).toFixed(3))]));
  console.log(`\nseed ÷ baseline per round: median ${c.seedOverBaseline.median.toFixed(3)}, min ${c.seedOverBaseline.min.toFixed(3)} (${c.rounds.length} rounds)`);
  console.log(`firstRun (no code cache yet) ÷ baseline per round: median ${c.firstRunOverBaseline.median.toFixed(3)}, min ${c.firstRunOverBaseline.min.toFixed(3)}`);
  console.log(`loadOnly (the baseline with the library loaded, unused) ÷ baseline per round: median ${c.loadOnlyOverBaseline.median.toFixed(3)}, min ${c.loadOnlyOverBaseline.min.toFixed(3)}`);
  console.log(`seed ÷ peer (cdk8s-plus-28) per round: median ${c.seedOverPeer.median.toFixed(3)}, min ${c.seedOverPeer.min.toFixed(3)}`);
}

printComparison('`cdk8s synth`, whole process, packed library', packed.cli);
printComparison('`node` running the app alone, whole process, packed library', packed.node);
console.log(`\nTarget: app alone, packed library, median seed ÷ baseline ≤ 1.10: ${packed.node.seedOverBaseline.median.toFixed(3)} → ${verdict(packed.node.seedOverBaseline.median <= 1.10)}`
  + ` (loading the library alone: ${packed.node.loadOnlyOverBaseline.median.toFixed(3)})`);

const s = packed.scale;
printTable('Whole-process FleetSynth.synth with a budget and every review file (fastest run; peak RSS of all runs)',
  ['managers', 'ms', 'runs (ms)', 'peak RSS MiB', 'files', 'fit residual ms', 'ms per added manager'],
  s.rows.map((r, i) => [r.managers, r.ms.toFixed(0), r.runsMs.map((m) => m.toFixed(0)).join(' '), r.rssMiB.toFixed(1), r.files,
    s.timeFit.residualsMs[i].toFixed(0), i === 0 ? '' : ((r.ms - s.rows[i - 1].ms) / (r.managers - s.rows[i - 1].managers)).toFixed(2)]));
console.log(`\nLinear fit over all sizes: ${s.timeFit.intercept.toFixed(0)} ms + ${s.timeFit.slope.toFixed(2)} ms per manager; `
  + `RSS ${s.rssFit.intercept.toFixed(1)} MiB + ${s.rssFit.slope.toFixed(3)} MiB per manager (residuals ${s.rssFit.residualsMiB.map((r) => r.toFixed(1)).join(' ')} MiB)`);
console.log(`Line through the sizes up to 100: ${s.smallFit.intercept.toFixed(0)} ms + ${s.smallFit.slope.toFixed(2)} ms per manager; `
  + `${s.largest.managers} managers predicted ${s.largest.predictedMs.toFixed(0)} ms, took ${s.largest.ms.toFixed(0)} ms: ratio ${s.largest.ratio.toFixed(3)}`);
if (!quick) {
  console.log(`Target: 2,000 managers ≤ 1.1 × the extrapolation from 100: ${verdict(s.largest.ratio <= 1.1)}; `
    + `under 10 s: ${verdict(s.largest.ms < 10_000)}; under 400 MB: ${verdict(s.largest.rssMiB * 2 ** 20 < 400e6)}`);
}
const loadAfter = load();
console.log(`\nMachine: ${machine}. Started ${started}; load average (1, 5, 15 min) before ${loadBefore}, after ${loadAfter}.`);

const raw = JSON.stringify({ started, machine, loadBefore, loadAfter, quick, capacity, packed }, null, 2);
if (process.env.BENCH_OUT) fs.writeFileSync(process.env.BENCH_OUT, raw);
if (!quick) {
  const dir = path.join(__dirname, 'results');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `bench-${started.replace(/[:.]/g, '-')}.json`);
  fs.writeFileSync(file, raw);
  console.log(`Raw results: ${path.relative(process.cwd(), file)}`);
}
