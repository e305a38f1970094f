// Prop errors of the whole app at once: declaring never throws on the first; FleetSynth, app.synth() and
// Testing.synth report every construct's errors together, each once, with its construct path once.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart, Testing } from 'cdk8s';
import { captureSynthOutput } from './quiet-synth';
import { DnsConfig, DnsPolicy, FleetSynth, JobPodTemplate, JobService, ResourceBudget, RunnerManager, RunnerToken, Rules } from '../src';

const output = captureSynthOutput();
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

function newApp(): { app: App; chart: Chart } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'app-errors-'));
  dirs.push(dir);
  const app = new App({ outdir: path.join(dir, 'dist') });
  return { app, chart: new Chart(app, 'fleet', { namespace: 'ci' }) };
}

/** Three mistakes in three constructs: a service port, a job pod namespace, a manager URL. */
function threeMistakes(chart: Chart): void {
  const svc = new JobService(chart, 'Postgres', { image: 'postgres:16', port: 70000 });
  const jobs = new JobPodTemplate(chart, 'Jobs', { namespace: 'Not_A_Namespace', services: [svc] });
  new RunnerManager(chart, 'Runner', { gitlabUrl: 'gitlab.example.com', token: RunnerToken.fromSecret('t'), jobPod: jobs });
  // A valid second manager of its own job pod template is built as usual.
  new RunnerManager(chart, 'Other', { gitlabUrl: 'https://gitlab.example.com/', token: RunnerToken.fromSecret('t'), jobPod: new JobPodTemplate(chart, 'OtherJobs') });
}

const EXPECTED = [
  ['fleet/Postgres', 'port', /70000 is not a TCP port/],
  ['fleet/Jobs', 'namespace', /'Not_A_Namespace' is not a valid namespace name/],
  ['fleet/Runner', 'gitlabUrl', /'gitlab\.example\.com' is not an http\(s\) URL/],
] as const;

describe('three mistakes in three constructs are reported in one run', () => {
  test('declaring them throws nothing', () => {
    expect(() => threeMistakes(newApp().chart)).not.toThrow();
  });

  test('FleetSynth: all three errors, each once, nothing written, no stack trace', () => {
    const { app, chart } = newApp();
    threeMistakes(chart);
    const result = FleetSynth.synth(app);
    expect(result.written).toBe(false);
    const errors = result.findings.filter((f) => f.severity === 'error');
    expect(errors.map((f) => [f.path, f.field])).toEqual(EXPECTED.map(([p, f]) => [p, f]));
    EXPECTED.forEach(([, , message], i) => expect(errors[i].message).toMatch(message));
    const printed = output.stderr.join('');
    expect(printed).toContain('Synth refused: 3 error(s); nothing was written.');
    for (const [p, f] of EXPECTED) expect(printed.split(`[${p}] ${f}:`)).toHaveLength(2);
    expect(printed).not.toMatch(/\n\s+at /);
    expect(fs.existsSync(app.outdir)).toBe(false);
    expect(FleetSynth.findings(app).filter((f) => f.severity === 'error')).toEqual(errors);
  });

  test.each([
    ['app.synth()', (app: App) => app.synth()],
    ['Testing.synth', (app: App) => Testing.synth(app.charts[0])],
  ])('%s: one validation error listing all three, each path once', (_how, synth) => {
    const { app, chart } = newApp();
    threeMistakes(chart);
    let message = '';
    try {
      synth(app);
    } catch (e) {
      message = (e as Error).message;
    }
    const lines = message.split('\n');
    expect(lines[0]).toBe('Validation failed with the following errors:');
    expect(lines.slice(1)).toHaveLength(3);
    EXPECTED.forEach(([p, f, m], i) => {
      expect(lines[i + 1]).toMatch(new RegExp(`^ {2}\\[${p.replace('/', '\\/')}\\] [A-Z]+ ${f}: `));
      expect(lines[i + 1]).toMatch(m);
      expect(lines[i + 1].split(p)).toHaveLength(2); // the path once
    });
  });
});

describe('a construct with prop errors renders nothing and crashes none of its users', () => {
  test('a manager whose job pod template has errors: the template\'s errors once, no manager objects', () => {
    const { app, chart } = newApp();
    const dns = new DnsConfig(chart, 'Dns', { policy: DnsPolicy.NONE });
    const budget = new ResourceBudget(chart, 'Budget', { nodePools: [{ name: 'ci', nodes: -1, allocatable: { cpu: '8', memory: '32Gi' } }] });
    const jobs = new JobPodTemplate(chart, 'Jobs', { dns });
    const manager = new RunnerManager(chart, 'Runner', { gitlabUrl: 'https://gitlab.example.com/', token: RunnerToken.fromSecret('t'), jobPod: jobs, budget });
    expect(manager.node.children).toEqual([]);
    expect(manager.configToml).toBe('');
    const errors = FleetSynth.findings(app).filter((f) => f.severity === 'error');
    expect(errors.map((f) => [f.path, f.field])).toEqual([['fleet/Dns', 'nameservers'], ['fleet/Budget', 'nodePools[0].nodes']]);
    expect(() => Testing.synth(chart)).toThrow(/^Validation failed with the following errors:\n {2}\[fleet\/Dns\] DNS\d+ nameservers: [^\n]*\n {2}\[fleet\/Budget\] BUDGET nodePools\[0\]\.nodes: [^\n]*$/);
  });

  test('a refused acknowledgement is reported at synth with the rest, and the construct still builds', () => {
    const { app, chart } = newApp();
    const manager = new RunnerManager(chart, 'Runner', { gitlabUrl: 'https://gitlab.example.com/', token: RunnerToken.fromSecret('t'), jobPod: new JobPodTemplate(chart, 'Jobs') });
    expect(() => Rules.acknowledge(manager, 'NOPE001', 'typo')).not.toThrow();
    expect(manager.node.children.length).toBeGreaterThan(0);
    expect(FleetSynth.findings(app).filter((f) => f.severity === 'error').map((f) => [f.ruleId, f.path, f.field])).toEqual([['RULES', 'fleet/Runner', 'acknowledge(NOPE001)']]);
  });
});

test('what needs the unbuilt model (the preview, the Helm values) throws the app\'s prop errors, not a TypeError', () => {
  const { chart } = newApp();
  const jobs = new JobPodTemplate(chart, 'Jobs', { namespace: 'Bad' });
  const manager = new RunnerManager(chart, 'Runner', { gitlabUrl: 'https://gitlab.example.com/', token: RunnerToken.fromSecret('t'), jobPod: jobs });
  for (const call of [() => jobs.previewPod(), () => manager.helmValues()]) {
    expect(call).toThrow(/^Invalid fleet configuration:\n {2}\[fleet\/Jobs\] namespace: 'Bad' is not a valid namespace name/);
  }
});
