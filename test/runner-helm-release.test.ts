import { execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart, Testing } from 'cdk8s';
import { seedFleet } from '../examples/seed-fleet/fleet';
import { JobPodTemplate, RunnerHelmRelease, RunnerManager, RunnerToken } from '../src';
import { declared } from './declared';
import { realHelm, requireRealHelm } from './helm-binary';
import { findManifestProblems } from './k8s-schema';
import { renderHelmValues } from '../src/internal/render/helm-values';
import { FleetConfigError } from '../src/model/finding';

// RunnerHelmRelease runs the real Helm 3.17.3 on the real chart 0.86.0 (test/helm-binary.ts).

const originalPath = process.env.PATH;
// cdk8s's Helm writes the values and helm's output to temp directories of its own (os.tmpdir()) and leaves them
// behind. This suite gives it a temp directory of its own and removes it afterwards: cleaning the shared one would
// pull files from under another suite's Helm running in a parallel worker. (TMPDIR set here would not reach the os
// module, which reads the real environment, so its tmpdir is replaced on the module object cdk8s calls.)
const nodeOs: typeof os = jest.requireActual('os');
let privateTmp: string;
let emptyDir: string;
const helmWorkdirs = () => new Set(fs.readdirSync(nodeOs.tmpdir()).filter((name) => name.startsWith('cdk8s-helm-')));
let workdirsBefore: Set<string>;

beforeAll(() => {
  privateTmp = fs.mkdtempSync(path.join(os.tmpdir(), 'runner-helm-release-'));
  jest.spyOn(nodeOs, 'tmpdir').mockReturnValue(privateTmp);
});

afterAll(() => {
  jest.restoreAllMocks();
  fs.rmSync(privateTmp, { recursive: true, force: true });
});

beforeEach(() => {
  workdirsBefore = helmWorkdirs();
  emptyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'no-helm-'));
});

afterEach(() => {
  process.env.PATH = originalPath;
  fs.rmSync(emptyDir, { recursive: true, force: true });
});

test('cdk8s\'s Helm works in this suite\'s own temp directory', () => {
  expect(nodeOs.tmpdir()).toBe(privateTmp);
  expect(jest.requireActual<typeof os>('os').tmpdir()).toBe(privateTmp); // the module object cdk8s's helm.js calls
});

function captureError(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  return undefined;
}

const seedManager = (chart: Chart) => chart.node.findAll().find((c): c is RunnerManager => c instanceof RunnerManager)!;
const names = (objects: any[]) => objects.map((o) => `${o.kind}/${o.metadata.name}`);

test('without helm: a clear error before anything runs', () => {
  process.env.PATH = emptyDir;
  const build = (helmExecutable?: string) => {
    const chart = seedFleet(new App());
    return () => declared(() => new RunnerHelmRelease(chart, 'Release', { manager: seedManager(chart), helmExecutable }));
  };
  expect(build()).toThrow(FleetConfigError);
  expect(build()).toThrow(/\[gitlab-runner\/Release\] helmExecutable: the helm CLI \('helm'\) was not found on PATH; cdk8s renders a chart by running 'helm template'.*Fix: install Helm 3/);
  expect(build(path.join(emptyDir, 'missing', 'helm'))).toThrow(/was not found there/);
  expect(helmWorkdirs()).toEqual(workdirsBefore);
});

if (requireRealHelm()) {
  const found = realHelm() as { helm: string; chart: string };

  test('helm on PATH renders the pinned chart in the manager\'s namespace, under the manager\'s name, with its values', () => {
    process.env.PATH = `${path.dirname(found.helm)}${path.delimiter}${originalPath}`;
    const chart = seedFleet(new App());
    const manager = seedManager(chart);
    const release = new RunnerHelmRelease(chart, 'Release', { manager, chart: found.chart });

    expect(release.releaseName).toBe('gitlab-runner');
    expect(release.values).toEqual(renderHelmValues(manager._toModel()));
    const objects = Testing.synth(chart);
    expect(findManifestProblems(objects)).toEqual([]);
    const deployment = objects.find((o: any) => o.kind === 'Deployment');
    expect(deployment.metadata).toMatchObject({ name: 'gitlab-runner', namespace: 'gitlab', labels: { chart: 'gitlab-runner-0.86.0', release: 'gitlab-runner' } });
    expect(deployment.spec.replicas).toBe(3);
    expect(deployment.spec.template.spec.containers[0].image).toBe('registry.example.com/gitlab/gitlab-runner:v18.3.0');
  });

  test('the chart\'s objects replace the manager\'s native manifests; the manager keeps its model and review files', () => {
    const chart = seedFleet(new App());
    const manager = seedManager(chart);
    new RunnerHelmRelease(chart, 'Release', { manager, chart: found.chart, helmExecutable: found.helm });

    const objects = Testing.synth(chart);
    expect(names(objects).sort()).toEqual([
      'ConfigMap/gitlab-runner', 'Deployment/gitlab-runner', 'PodDisruptionBudget/gitlab-runner', 'Role/gitlab-runner', 'RoleBinding/gitlab-runner', 'ServiceAccount/gitlab-runner',
    ]);
    // The chart has no PodDisruptionBudget (HELM012): the native one stays beside the chart's objects, and selects the
    // chart's manager pods.
    const chartObjects = objects.filter((o: any) => o.kind !== 'PodDisruptionBudget');
    expect(chartObjects.every((o: any) => o.metadata.labels?.heritage === 'Helm')).toBe(true);
    const budget = objects.find((o: any) => o.kind === 'PodDisruptionBudget');
    const podLabels = objects.find((o: any) => o.kind === 'Deployment').spec.template.metadata.labels;
    expect(Object.keys(budget.spec.selector.matchLabels).length).toBeGreaterThan(0);
    expect(podLabels).toMatchObject(budget.spec.selector.matchLabels);
    expect(findManifestProblems(objects)).toEqual([]);
    expect(manager._extraFiles().map((f) => f.fileName)).toEqual(['gitlab-runner.config.toml', 'gitlab-runner.values.yaml']);
    // cdk8s's helm run worked in this suite's own temp directory.
    expect(helmWorkdirs().size).toBeGreaterThan(workdirsBefore.size);
  });

  test('podMonitor: true (the example of docs/helm.md) renders a PodMonitor; serviceMonitor a ServiceMonitor and its Service', () => {
    const chart = Testing.chart();
    const manager = new RunnerManager(chart, 'Runner', {
      name: 'runner', gitlabUrl: 'https://gitlab.example.com/', token: RunnerToken.fromSecret('runner-secret'), jobPod: new JobPodTemplate(chart, 'Jobs'),
    });
    const release = new RunnerHelmRelease(chart, 'Release', {
      manager, chart: found.chart, releaseName: 'ci', helmExecutable: found.helm, podMonitor: true, serviceMonitor: true,
    });

    const objects = Testing.synth(chart);
    expect(findManifestProblems(objects)).toEqual([]);
    expect(names(objects).filter((n) => /Monitor|Service\//.test(n)).sort())
      .toEqual(['PodMonitor/ci-gitlab-runner', 'Service/ci-gitlab-runner', 'ServiceMonitor/ci-gitlab-runner']);
    expect(release.values.metrics).toMatchObject({ podMonitor: { enabled: true }, serviceMonitor: { enabled: true } });
  });

  test('repo: helm fetches the pinned chart from the repository URL', async () => {
    // A chart repository on this machine: the chart and the index `helm repo index` writes, served over HTTP by a
    // child process (helm runs synchronously, so this process could not answer it).
    const repoDir = fs.mkdtempSync(path.join(os.tmpdir(), 'chart-repo-'));
    const helmHome = fs.mkdtempSync(path.join(os.tmpdir(), 'helm-home-'));
    fs.copyFileSync(found.chart, path.join(repoDir, path.basename(found.chart)));
    execFileSync(found.helm, ['repo', 'index', repoDir], { stdio: 'pipe' });
    const server = spawn(process.execPath, ['-e', [
      "const fs = require('fs'), path = require('path'), dir = process.argv[1];",
      "require('http').createServer((req, res) => {",
      "  const file = path.join(dir, path.basename(decodeURIComponent(req.url.split('?')[0])));",
      '  if (!fs.existsSync(file)) { res.writeHead(404); res.end(); return; }',
      '  res.writeHead(200); res.end(fs.readFileSync(file));',
      "}).listen(0, '127.0.0.1', function () { console.log(this.address().port); });",
    ].join('\n'), repoDir], { stdio: ['ignore', 'pipe', 'inherit'] });
    const saved = { ...process.env };
    try {
      const port = await new Promise<string>((resolve, reject) => {
        server.stdout.once('data', (d: Buffer) => resolve(d.toString().trim()));
        server.once('exit', (code) => reject(new Error(`the repository server exited with ${code}`)));
      });
      Object.assign(process.env, { HELM_CACHE_HOME: path.join(helmHome, 'cache'), HELM_CONFIG_HOME: path.join(helmHome, 'config'), HELM_DATA_HOME: path.join(helmHome, 'data') });
      const chart = Testing.chart();
      const manager = new RunnerManager(chart, 'Runner', {
        name: 'runner', gitlabUrl: 'https://gitlab.example.com/', token: RunnerToken.fromSecret('runner-secret'), jobPod: new JobPodTemplate(chart, 'Jobs'),
      });
      new RunnerHelmRelease(chart, 'Release', { manager, chart: 'gitlab-runner', repo: `http://127.0.0.1:${port}`, helmExecutable: found.helm });
      expect(names(Testing.synth(chart)).sort()).toEqual([
        'ConfigMap/runner-gitlab-runner', 'Deployment/runner-gitlab-runner', 'Role/runner-gitlab-runner', 'RoleBinding/runner-gitlab-runner', 'ServiceAccount/runner-gitlab-runner',
      ]);
    } finally {
      process.env = saved;
      server.kill();
      fs.rmSync(repoDir, { recursive: true, force: true });
      fs.rmSync(helmHome, { recursive: true, force: true });
    }
  });

  test('a release that could not start is refused before helm runs (HELM001 becomes an error)', () => {
    const chart = Testing.chart();
    const manager = new RunnerManager(chart, 'Runner', {
      gitlabUrl: 'https://gitlab.example.com/', token: RunnerToken.fromSecret('runner-secret', 'token'), jobPod: new JobPodTemplate(chart, 'Jobs'),
    });
    const error = captureError(() => declared(() => new RunnerHelmRelease(chart, 'Release', { manager, chart: found.chart, helmExecutable: found.helm })));
    expect(error).toBeInstanceOf(FleetConfigError);
    expect((error as FleetConfigError).findings.map((f) => [f.ruleId, f.severity, f.field])).toEqual([['HELM001', 'error', 'token.key']]);
    expect((error as FleetConfigError).message).toContain("[test/Runner] token.key: the token is under key 'token'");
    // cdk8s makes a work directory for every helm run: none was made.
    expect(helmWorkdirs()).toEqual(workdirsBefore);
  });

  test('an invalid release name or monitor switch is refused', () => {
    const chart = seedFleet(new App());
    const manager = seedManager(chart);
    expect(() => declared(() => new RunnerHelmRelease(chart, 'Release', { manager, helmExecutable: found.helm, releaseName: 'Not_A_Label' })))
      .toThrow(/releaseName: 'Not_A_Label' is not a DNS-1123 label of at most 53 characters/);
    expect(() => declared(() => new RunnerHelmRelease(chart, 'Release2', { manager, helmExecutable: found.helm, podMonitor: 'yes' as any })))
      .toThrow(/\[gitlab-runner\/Release2\] podMonitor: 'yes' is not true or false/);
    // Both are reported by one synth, each once, with its path once.
    expect(() => Testing.synth(chart)).toThrow(/\n {2}\[gitlab-runner\/Release\] HELM releaseName: [^\n]*\n {2}\[gitlab-runner\/Release2\] HELM podMonitor: /);
  });
}
