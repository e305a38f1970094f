import { performance } from 'perf_hooks';
import { App, Chart } from 'cdk8s';
import { FleetSynth, JobPodTemplate, RunnerManager, RunnerToken } from '../src';
import { Severity } from '../src/model/finding';

// Large environment values through the checks over user strings (the credential detector, the DNS rules' *.svc scan,
// every other validator): they are linear, so a value this size costs milliseconds, not the minutes the old
// backtracking expression took. A 2 MiB value cannot reach a ConfigMap (1 MiB at most), so it is refused when the
// manager is declared, after every declaration-time check has read it; a 0.9 MiB value is accepted and goes through
// every check and writer (rules, config.toml, Helm values, preview, manifests).

const MIB = 1024 * 1024;
const SIZES = [2 * MIB, 0.9 * MIB];

/** The contents: the inputs each check finds hardest (long runs of its own characters, near-matches everywhere). */
const VALUES: Record<string, (size: number) => string> = {
  'one letter repeated': (size) => 'a'.repeat(size),
  'dotted labels, no .svc': (size) => 'a.'.repeat(Math.floor(size / 2)),
  'token prefixes, never 20 characters': (size) => 'glrt-abc '.repeat(Math.floor(size / 9)),
  'URL starts, no credential': (size) => 'https://x:'.repeat(Math.floor(size / 10)),
};

export interface LargeValueRow {
  readonly value: string;
  readonly mib: number;
  /** 'refused' (declaration-time checks, then the ConfigMap size limit) or 'synthesized' (every check and writer). */
  readonly outcome: 'refused' | 'synthesized';
  readonly ms: number;
}

/** Declares a one-manager fleet with the value in its environment and, if accepted, runs every check and writer once. */
function timeOne(value: string): { ms: number; outcome: LargeValueRow['outcome'] } {
  const start = performance.now();
  const app = new App({ outdir: 'unused' });
  const chart = new Chart(app, 'fleet', { namespace: 'ci' });
  // Declaring never throws: a refused manager records its prop errors, which FleetSynth.findings reports.
  const manager = new RunnerManager(chart, 'Runner', {
    gitlabUrl: 'https://gitlab.example.com/',
    token: RunnerToken.fromSecret('gitlab-runner-token'),
    jobPod: new JobPodTemplate(chart, 'Jobs'),
    environment: { BIG: value },
  });
  if (FleetSynth.findings(app).some((f) => f.severity === Severity.ERROR)) return { ms: performance.now() - start, outcome: 'refused' };
  manager.helmValues();
  app.synthYaml();
  return { ms: performance.now() - start, outcome: 'synthesized' };
}

export function runLargeValueBench(): LargeValueRow[] {
  return SIZES.flatMap((size) => Object.entries(VALUES).map(([name, make]) => {
    const value = make(size);
    return { value: name, mib: value.length / MIB, ...timeOne(value) };
  }));
}

if (require.main === module) {
  for (const r of runLargeValueBench()) console.log(`| ${r.value} | ${r.mib.toFixed(2)} | ${r.outcome} | ${r.ms.toFixed(0)} |`);
}
