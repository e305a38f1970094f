import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart, Testing } from 'cdk8s';
import { parse as parseYaml } from 'yaml';
import { seedFleet } from '../examples/seed-fleet/fleet';
import { JobPodTemplate, RunnerHelmRelease, RunnerManager, RunnerToken } from '../src';
import { renderHelmValues } from '../src/internal/render/helm-values';
import { FleetConfigError } from '../src/model/finding';

// No helm on these machines: a stand-in `helm` on PATH records how it was called and prints a small manifest, the
// way `helm template` prints the chart's objects.

let dir: string;
const originalPath = process.env.PATH;
// cdk8s's Helm writes the values and helm's output to temp directories of its own and leaves them behind.
const helmWorkdirs = () => new Set(fs.readdirSync(os.tmpdir()).filter((name) => name.startsWith('cdk8s-helm-')));
let workdirsBefore: Set<string>;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'helm-standin-'));
  workdirsBefore = helmWorkdirs();
});

afterEach(() => {
  process.env.PATH = originalPath;
  fs.rmSync(dir, { recursive: true, force: true });
  for (const name of helmWorkdirs()) if (!workdirsBefore.has(name)) fs.rmSync(path.join(os.tmpdir(), name), { recursive: true, force: true });
});

function installStandIn(name = 'helm'): string {
  const script = path.join(dir, name);
  fs.writeFileSync(script, [
    '#!/bin/sh',
    `printf '%s\\n' "$@" > '${dir}/args.txt'`,
    'while [ $# -gt 0 ]; do',
    `  if [ "$1" = "-f" ]; then cp "$2" '${dir}/values.yaml'; fi`,
    '  shift',
    'done',
    "printf 'apiVersion: apps/v1\\nkind: Deployment\\nmetadata:\\n  name: from-the-chart\\n'",
    '',
  ].join('\n'), { mode: 0o755 });
  return script;
}

function captureError(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  return undefined;
}

const recordedArgs = () => fs.readFileSync(path.join(dir, 'args.txt'), 'utf-8').trimEnd().split('\n');
const seedManager = (chart: Chart) => chart.node.findAll().find((c): c is RunnerManager => c instanceof RunnerManager)!;

test('runs helm template on PATH with the pinned chart version, namespace, release name and the rendered values', () => {
  installStandIn();
  process.env.PATH = `${dir}${path.delimiter}${originalPath}`;
  const chart = seedFleet(new App());
  const manager = seedManager(chart);
  const release = new RunnerHelmRelease(chart, 'Release', { manager });

  const args = recordedArgs();
  expect(args[0]).toBe('template');
  expect(args.slice(args.indexOf('--version'), args.indexOf('--version') + 2)).toEqual(['--version', '0.86.0']);
  expect(args.slice(args.indexOf('--namespace'), args.indexOf('--namespace') + 2)).toEqual(['--namespace', 'gitlab']);
  expect(args.slice(-2)).toEqual(['gitlab-runner', 'gitlab/gitlab-runner']);
  expect(args).not.toContain('--repo');
  expect(release.releaseName).toBe('gitlab-runner');
  expect(parseYaml(fs.readFileSync(path.join(dir, 'values.yaml'), 'utf-8'))).toEqual(renderHelmValues(manager._toModel()));
  expect(release.values).toEqual(renderHelmValues(manager._toModel()));
});

test('the chart\'s objects replace the manager\'s native manifests; the manager keeps its model and review file', () => {
  installStandIn();
  process.env.PATH = `${dir}${path.delimiter}${originalPath}`;
  const chart = seedFleet(new App());
  const manager = seedManager(chart);
  new RunnerHelmRelease(chart, 'Release', { manager });

  const objects = Testing.synth(chart);
  expect(objects.map((o: any) => `${o.kind}/${o.metadata.name}`)).toEqual(['Deployment/from-the-chart']);
  expect(manager._extraFiles().map((f) => f.fileName)).toContain('gitlab-runner.config.toml');
});

test('passes chart, repo, release name, monitors and an explicit helm path', () => {
  // Not on PATH: only the explicit path can find it.
  const script = installStandIn('my-helm');
  const chart = Testing.chart();
  const manager = new RunnerManager(chart, 'Runner', {
    name: 'runner', gitlabUrl: 'https://gitlab.example.com/', token: RunnerToken.fromSecret('runner-secret'), jobPod: new JobPodTemplate(chart, 'Jobs'),
  });
  const release = new RunnerHelmRelease(chart, 'Release', {
    manager, chart: './charts/gitlab-runner-0.86.0.tgz', repo: 'https://charts.example.com', releaseName: 'ci', helmExecutable: script, podMonitor: true,
  });

  const args = recordedArgs();
  expect(args.slice(args.indexOf('--repo'), args.indexOf('--repo') + 2)).toEqual(['--repo', 'https://charts.example.com']);
  expect(args.slice(-2)).toEqual(['ci', './charts/gitlab-runner-0.86.0.tgz']);
  expect((release.values.metrics as any).podMonitor).toEqual({ enabled: true });
});

test('without helm: a clear error before anything runs', () => {
  process.env.PATH = dir;
  const build = (helmExecutable?: string) => {
    const chart = seedFleet(new App());
    return () => new RunnerHelmRelease(chart, 'Release', { manager: seedManager(chart), helmExecutable });
  };
  expect(build()).toThrow(FleetConfigError);
  expect(build()).toThrow(/\[gitlab-runner\/Release\] helmExecutable: the helm CLI \('helm'\) was not found on PATH; cdk8s renders a chart by running 'helm template'.*Fix: install Helm 3/);
  expect(build(path.join(dir, 'missing', 'helm'))).toThrow(/was not found there/);
});

test('a release that could not start is refused before helm runs (HELM001 becomes an error)', () => {
  installStandIn();
  process.env.PATH = `${dir}${path.delimiter}${originalPath}`;
  const chart = Testing.chart();
  const manager = new RunnerManager(chart, 'Runner', {
    gitlabUrl: 'https://gitlab.example.com/', token: RunnerToken.fromSecret('runner-secret', 'token'), jobPod: new JobPodTemplate(chart, 'Jobs'),
  });
  const error = captureError(() => new RunnerHelmRelease(chart, 'Release', { manager }));
  expect(error).toBeInstanceOf(FleetConfigError);
  expect((error as FleetConfigError).findings.map((f) => [f.ruleId, f.severity, f.field])).toEqual([['HELM001', 'error', 'token.key']]);
  expect((error as FleetConfigError).message).toContain("[test/Runner] token.key: the token is under key 'token'");
  expect(fs.existsSync(path.join(dir, 'args.txt'))).toBe(false);
});

test('an invalid release name is refused', () => {
  installStandIn();
  process.env.PATH = `${dir}${path.delimiter}${originalPath}`;
  const chart = seedFleet(new App());
  expect(() => new RunnerHelmRelease(chart, 'Release', { manager: seedManager(chart), releaseName: 'Not_A_Label' }))
    .toThrow(/releaseName: 'Not_A_Label' is not a DNS-1123 label of at most 53 characters/);
});
