import { performance } from 'perf_hooks';
import { App, Chart } from 'cdk8s';
import { FleetSynth, JobPodTemplate, RunnerManager, RunnerToken } from '../src';

// One 2 MiB environment variable through every check and writer (construct, rules, config.toml, values, preview,
// manifests): the checks over user strings (the credential detector, the DNS rules' *.svc scan) are linear, so a value
// this size costs milliseconds, not the minutes the old backtracking expression took.

const SIZE = 2 * 1024 * 1024;

/** The contents: the inputs each check finds hardest (long runs of its own characters, near-matches everywhere). */
const VALUES: Record<string, () => string> = {
  'one letter repeated': () => 'a'.repeat(SIZE),
  'dotted labels, no .svc': () => 'a.'.repeat(SIZE / 2),
  'token prefixes, never 20 characters': () => 'glrt-abc '.repeat(Math.floor(SIZE / 9)),
  'URL starts, no credential': () => 'https://x:'.repeat(Math.floor(SIZE / 10)),
};

export interface LargeValueRow {
  readonly value: string;
  readonly mib: number;
  readonly ms: number;
}

/** Builds a one-manager fleet with the value in its environment and runs every check and writer once (no file written). */
function timeOne(value: string): number {
  const start = performance.now();
  const app = new App({ outdir: 'unused' });
  const chart = new Chart(app, 'fleet', { namespace: 'ci' });
  const manager = new RunnerManager(chart, 'Runner', {
    gitlabUrl: 'https://gitlab.example.com/',
    token: RunnerToken.fromSecret('gitlab-runner-token'),
    jobPod: new JobPodTemplate(chart, 'Jobs'),
    environment: { BIG: value },
  });
  FleetSynth.findings(app);
  manager.helmValues();
  app.synthYaml();
  return performance.now() - start;
}

export function runLargeValueBench(): LargeValueRow[] {
  return Object.entries(VALUES).map(([name, make]) => {
    const value = make();
    return { value: name, mib: value.length / 1024 / 1024, ms: timeOne(value) };
  });
}

if (require.main === module) {
  for (const r of runLargeValueBench()) console.log(`| ${r.value} | ${r.mib.toFixed(2)} | ${r.ms.toFixed(0)} |`);
}
