import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart, Testing } from 'cdk8s';
import * as YAML from 'yaml';
import { FleetSynth, JobPodTemplate, RunnerManager, RunnerToken } from '../src';
import { quietSynth } from './quiet-synth';

// SYNTH002: a plain app.synth() (or `cdk8s synth` without FleetSynth) writes manifests with cdk8s's own YAML writer,
// which leaves `0o17` plain and the line-break-like characters raw. Go's YAML reader (kubectl's) takes `0o17` for the
// octal number 15 (strconv.ParseInt with base 0), so such an object cannot apply; FleetSynth re-quotes the strings.

quietSynth();

const TOKEN = RunnerToken.fromSecret('gitlab-runner-token');

function fleet(outdir: string, managerProps: { name?: string; nodeSelector?: Record<string, string> }): App {
  const app = new App({ outdir });
  const chart = new Chart(app, 'fleet', { namespace: 'ci' });
  const jobPod = new JobPodTemplate(chart, 'Jobs');
  new RunnerManager(chart, 'Runner', { gitlabUrl: 'https://gitlab.example.com/', token: TOKEN, jobPod, ...managerProps });
  return app;
}

function tmp(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'plain-writer-'));
}

describe('SYNTH002: strings the plain cdk8s writer cannot carry', () => {
  test('app.synth() refuses a manager named 0o17, naming each object and field, and writes no manifest', () => {
    const dir = tmp();
    const app = fleet(dir, { name: '0o17' });
    let message = '';
    try {
      app.synth();
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain('metadata.name: ServiceAccount "0o17" holds "0o17", which app.synth() writes');
    expect(message).toContain("kubectl's YAML reader reads it as an octal number");
    expect(message).toContain('synthesize with FleetSynth.synth(app)');
    for (const kind of ['Deployment', 'Role', 'RoleBinding', 'ServiceAccount']) expect(message).toContain(`${kind} "0o17"`);
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.yaml'))).toEqual([]);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('Testing.synth refuses a chart namespace like 0o17 the same way, in every object', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'fleet', { namespace: '0o17' });
    const jobPod = new JobPodTemplate(chart, 'Jobs');
    new RunnerManager(chart, 'Runner', { gitlabUrl: 'https://gitlab.example.com/', token: TOKEN, jobPod });
    expect(() => Testing.synth(chart)).toThrow(/metadata\.namespace: Deployment "fleet-runner" holds "0o17", which/);
    expect(() => Testing.synth(chart)).toThrow(/subjects\[0\]\.namespace: RoleBinding "fleet-runner" holds "0o17"/);
  });

  test('FleetSynth writes the same fleet, quoted, and the Go-style reading keeps it a string', () => {
    const dir = tmp();
    const app = fleet(path.join(dir, 'dist'), { name: '0o17' });
    expect(FleetSynth.synth(app).written).toBe(true);
    const text = fs.readFileSync(path.join(dir, 'dist', 'fleet.k8s.yaml'), 'utf8');
    expect(text).toContain('name: "0o17"');
    expect(text).not.toMatch(/name: 0o17\n/);
    // The `yaml` library's YAML 1.2 core schema reads 0o17 the way Go's integer parser does.
    const names = YAML.parseAllDocuments(text, { version: '1.2', schema: 'core' }).map((d) => (d.toJS() as any).metadata.name);
    expect(names.filter((n) => n === '0o17')).toHaveLength(4);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('an ordinary fleet passes app.synth()', () => {
    const dir = tmp();
    fleet(dir, { name: 'runner', nodeSelector: { pool: 'ci' } }).synth();
    expect(fs.readdirSync(dir)).toEqual(['fleet.k8s.yaml']);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
