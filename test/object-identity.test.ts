// Object identity (SYNTH003): two objects of one API group, kind, namespace and name are one object to the API
// server. Refused whichever way the app is synthesized; the same name in two namespaces is fine.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart, Testing } from 'cdk8s';
import { Node } from 'constructs';
import { captureSynthOutput } from './quiet-synth';
import { FleetSynth, JobPodTemplate, RunnerManager, RunnerToken } from '../src';

const output = captureSynthOutput();
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

function newApp(): App {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'identity-'));
  dirs.push(dir);
  return new App({ outdir: path.join(dir, 'dist') });
}

function manager(chart: Chart, id: string, props: { name?: string; namespace?: string } = {}): RunnerManager {
  return new RunnerManager(chart, id, { gitlabUrl: 'https://gitlab.example.com/', token: RunnerToken.fromSecret('t'), jobPod: new JobPodTemplate(chart, `${id}Jobs`), ...props });
}

const OBJECTS = ['ServiceAccount', 'Role', 'RoleBinding', 'ConfigMap', 'Deployment'];

describe('two managers of one name in one namespace', () => {
  const declare = () => {
    const app = newApp();
    const chart = new Chart(app, 'fleet', { namespace: 'ci' });
    manager(chart, 'A', { name: 'runner' });
    manager(chart, 'B', { name: 'runner' });
    return { app, chart };
  };

  test('FleetSynth refuses every clashing object, reported once by the later manager, and writes nothing', () => {
    const { app } = declare();
    const result = FleetSynth.synth(app);
    expect(result.written).toBe(false);
    const clashes = result.findings.filter((f) => f.ruleId === 'SYNTH003');
    expect(clashes.map((f) => [f.path, f.message.split(' (')[0]])).toEqual(OBJECTS.map((kind) => ['fleet/B', `${kind} '${kind === 'ConfigMap' ? 'runner-config' : 'runner'}' in namespace 'ci'`]));
    expect(clashes[4].message).toContain('is the same object as the one of fleet/A/Deployment');
    expect(output.stderr.join('')).toContain('error SYNTH003 [fleet/B] name: Deployment \'runner\' in namespace \'ci\' (fleet/B/Deployment)');
    expect(fs.existsSync(app.outdir)).toBe(false);
  });

  test.each([
    ['app.synth()', (app: App) => app.synth()],
    ['Testing.synth', (app: App) => Testing.synth(app.charts[0])],
  ])('%s refuses them too, path once', (_how, synth) => {
    const { app } = declare();
    expect(() => synth(app)).toThrow(/\n {2}\[fleet\/B\] SYNTH003 name: Deployment 'runner' in namespace 'ci' \(fleet\/B\/Deployment\) is the same object/);
    try {
      synth(app);
    } catch (e) {
      expect((e as Error).message.split('\n').filter((l) => l.includes('SYNTH003'))).toHaveLength(OBJECTS.length);
    }
  });
});

test('the same name in two namespaces (and two charts) is fine whichever way it is synthesized', () => {
  const app = newApp();
  manager(new Chart(app, 'a', { namespace: 'team-a' }), 'Runner', { name: 'runner' });
  manager(new Chart(app, 'b', { namespace: 'team-b' }), 'Runner', { name: 'runner' });
  expect(FleetSynth.findings(app).filter((f) => f.severity === 'error')).toEqual([]);
  expect(() => app.synth()).not.toThrow();
  expect(() => Testing.synth(app.charts[1])).not.toThrow();
});

test('a clash with an object declared outside the library is reported by the manager; other groups and kinds do not clash', () => {
  const app = newApp();
  const chart = new Chart(app, 'fleet', { namespace: 'ci' });
  new ApiObject(chart, 'Mine', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'runner-config' } });
  new ApiObject(chart, 'OtherGroup', { apiVersion: 'example.com/v1', kind: 'Deployment', metadata: { name: 'runner' } });
  new ApiObject(chart, 'OtherKind', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'runner' } });
  manager(chart, 'Runner', { name: 'runner' });
  const clashes = FleetSynth.findings(app).filter((f) => f.ruleId === 'SYNTH003');
  expect(clashes.map((f) => [f.path, f.message])).toEqual([
    ['fleet/Runner', "ConfigMap 'runner-config' in namespace 'ci' (fleet/Runner/ConfigMap) is the same object as the one of fleet/Mine: applying both, the second replaces the first."],
  ]);
});

test('objects of two plain cdk8s constructs are none of the library\'s business', () => {
  const app = newApp();
  const chart = new Chart(app, 'fleet', { namespace: 'ci' });
  new ApiObject(chart, 'One', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } });
  new ApiObject(chart, 'Two', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } });
  expect(FleetSynth.findings(app)).toEqual([]);
});

test('the clash check walks the app a fixed number of times per synth, however many managers it has', () => {
  // A walk per manager made synth quadratic (2,000 managers: 101 s instead of 14 s); count the walks instead of timing.
  const walks = (managers: number): number => {
    const app = newApp();
    const chart = new Chart(app, 'fleet', { namespace: 'ci' });
    for (let i = 0; i < managers; i++) manager(chart, `M${i}`, { name: `runner-${i}` });
    const findAll = jest.spyOn(Node.prototype, 'findAll');
    try {
      expect(FleetSynth.synth(app).written).toBe(true);
      Testing.synth(chart);
      // Walks of the whole app (a manager walking its own objects is linear overall).
      return findAll.mock.contexts.filter((node) => node === app.node).length;
    } finally {
      findAll.mockRestore();
    }
  };
  expect(walks(12)).toBe(walks(3));
});
