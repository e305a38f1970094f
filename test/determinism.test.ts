import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart, Testing } from 'cdk8s';
import { seedFleet } from '../examples/seed-fleet/fleet';
import { FleetSynth, JobPodTemplate, RunnerManager, RunnerToken } from '../src';
import { quietSynth } from './quiet-synth';

// Same input, byte-identical output: a review diff must only ever show real changes.

const tmpDirs: string[] = [];
quietSynth();

afterAll(() => {
  for (const dir of tmpDirs) fs.rmSync(dir, { recursive: true, force: true });
});

function synthSeedInto(): { dir: string; files: Map<string, Buffer> } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fleet-determinism-'));
  tmpDirs.push(dir);
  const app = new App({ outdir: dir });
  seedFleet(app);
  const result = FleetSynth.synth(app);
  expect(result.written).toBe(true);
  const files = new Map<string, Buffer>();
  for (const name of fs.readdirSync(dir).sort()) files.set(name, fs.readFileSync(path.join(dir, name)));
  return { dir, files };
}

test('two synths of the seed fleet are byte-identical, file for file', () => {
  const first = synthSeedInto();
  const second = synthSeedInto();
  expect(first.dir).not.toBe(second.dir);
  // The manifests and the config.toml review file at least; every other review file is compared too.
  expect([...first.files.keys()]).toEqual(expect.arrayContaining(['gitlab-runner.config.toml', 'gitlab-runner.k8s.yaml']));
  expect([...second.files.keys()]).toEqual([...first.files.keys()]);
  for (const [name, content] of first.files) {
    expect(content.length).toBeGreaterThan(0);
    expect(second.files.get(name)!.equals(content)).toBe(true);
  }
});

test('the written config.toml is the one in the ConfigMap', () => {
  const { files } = synthSeedInto();
  const yaml = files.get('gitlab-runner.k8s.yaml')!.toString('utf8');
  const toml = files.get('gitlab-runner.config.toml')!.toString('utf8');
  const indented = toml.trimEnd().split('\n').map((l) => (l === '' ? '' : `    ${l}`)).join('\n');
  expect(yaml).toContain(indented);
});

describe('the config checksum on the pod template', () => {
  function checksumOf(concurrent: number, chartNamespace = 'ci'): string {
    const chart = new Chart(Testing.app(), 'c', { namespace: chartNamespace });
    const jobs = new JobPodTemplate(chart, 'Jobs');
    new RunnerManager(chart, 'Runner', { gitlabUrl: 'https://gitlab.example.com/', token: RunnerToken.fromSecret('t'), jobPod: jobs, concurrent });
    const deployment = Testing.synth(chart).find((o) => o.kind === 'Deployment');
    return deployment.spec.template.metadata.annotations['checksum/config'];
  }

  test('is the sha256 of config.toml, stable for the same config', () => {
    const chart = new Chart(Testing.app(), 'c', { namespace: 'ci' });
    const manager = new RunnerManager(chart, 'Runner', { gitlabUrl: 'https://gitlab.example.com/', token: RunnerToken.fromSecret('t'), jobPod: new JobPodTemplate(chart, 'Jobs'), concurrent: 4 });
    const deployment = Testing.synth(chart).find((o) => o.kind === 'Deployment');
    expect(deployment.spec.template.metadata.annotations['checksum/config']).toBe(createHash('sha256').update(manager.configToml).digest('hex'));
    expect(checksumOf(4)).toBe(checksumOf(4));
  });

  test('changes when config.toml changes, so the manager pods roll', () => {
    expect(checksumOf(5)).not.toBe(checksumOf(4));
    expect(checksumOf(4, 'other')).not.toBe(checksumOf(4, 'ci'));
  });
});
