import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { FleetSynth, JobPodTemplate, RunnerManager, RunnerToken } from '../src';
import { captureSynthOutput } from './quiet-synth';
import { reviewFiles } from '../src/fleet/review-files';
import * as helmValues from '../src/internal/render/helm-values';
import { Finding, FleetConfigError, Severity } from '../src/model/finding';

// FleetSynth picks up any construct with `_findings()` / `_extraFiles()`; these stand-ins keep the tests independent
// of which rules the real constructs have.

class Reporter extends Construct {
  constructor(scope: Construct, id: string, private readonly reported: Array<Omit<Finding, 'path'>>) {
    super(scope, id);
    new ApiObject(this, 'Map', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: id.toLowerCase() } });
  }

  public _findings(): Finding[] {
    return this.reported.map((f) => ({ ...f, path: this.node.path }));
  }
}

class FileWriter extends Construct {
  public seenFindings?: Finding[];

  constructor(scope: Construct, id: string, private readonly fileName: string, private readonly content: string) {
    super(scope, id);
  }

  public _extraFiles(findings: Finding[]) {
    this.seenFindings = findings;
    return [{ fileName: this.fileName, content: this.content }];
  }
}

const warning = (ruleId: string): Omit<Finding, 'path'> => ({ ruleId, severity: Severity.WARNING, field: 'w', message: 'worth a look.', fix: 'look.' });
const error = (ruleId: string): Omit<Finding, 'path'> => ({ ruleId, severity: Severity.ERROR, field: 'e', message: 'cannot work.', fix: 'change it.' });

const tmpDirs: string[] = [];
const output = captureSynthOutput();

afterAll(() => {
  for (const dir of tmpDirs) fs.rmSync(dir, { recursive: true, force: true });
});

function app(): { app: App; chart: Chart; outdir: string } {
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'fleet-synth-'));
  tmpDirs.push(parent);
  const outdir = path.join(parent, 'dist');
  const a = new App({ outdir });
  return { app: a, chart: new Chart(a, 'fleet', { namespace: 'ci' }), outdir };
}

const written = (outdir: string) => (fs.existsSync(outdir) ? fs.readdirSync(outdir).sort() : []);

describe('FleetSynth.synth', () => {
  test('no findings: manifests and review files are written, the exit code is left alone', () => {
    const { app: a, chart, outdir } = app();
    new Reporter(chart, 'Quiet', []);
    new FileWriter(chart, 'Files', 'review.txt', 'hello\n');
    const result = FleetSynth.synth(a);
    expect(result).toEqual({ written: true, findings: [] });
    expect(written(outdir)).toEqual(['fleet.k8s.yaml', 'review.txt']);
    expect(fs.readFileSync(path.join(outdir, 'review.txt'), 'utf8')).toBe('hello\n');
    expect(process.exitCode).toBe(output.savedExitCode);
    expect(output.stderr).toEqual([]);
  });

  test('warnings are printed with rule id, path, field, message and fix, and synth goes on', () => {
    const { app: a, chart, outdir } = app();
    new Reporter(chart, 'Warns', [warning('CAP002')]);
    const result = FleetSynth.synth(a);
    expect(result.written).toBe(true);
    expect(output.stderr.join('')).toBe('warning CAP002 [fleet/Warns] w: worth a look. Fix: look.\n');
    expect(written(outdir)).toEqual(['fleet.k8s.yaml']);
    expect(process.exitCode).toBe(output.savedExitCode);
  });

  test('errors: every error listed, nothing written, exit code 1', () => {
    const { app: a, chart, outdir } = app();
    new Reporter(chart, 'A', [error('RULE001'), warning('RULE009')]);
    new Reporter(chart, 'B', [error('RULE002')]);
    const files = new FileWriter(chart, 'Files', 'review.txt', 'x');
    const result = FleetSynth.synth(a);
    expect(result.written).toBe(false);
    expect(result.findings.map((f) => f.ruleId)).toEqual(['RULE001', 'RULE002', 'RULE009']);
    expect(written(outdir)).toEqual([]);
    expect(files.seenFindings).toBeUndefined();
    expect(process.exitCode).toBe(1);
    const out = output.stderr.join('');
    expect(out).toContain('warning RULE009 [fleet/A] w:');
    expect(out).toContain('Synth refused: 2 error(s); nothing was written.');
    expect(out).toContain('error RULE001 [fleet/A] e: cannot work. Fix: change it.');
    expect(out).toContain('error RULE002 [fleet/B] e: cannot work. Fix: change it.');
  });

  test('an error of a real manager refuses synth the same way', () => {
    const { app: a, chart, outdir } = app();
    const jobPod = new JobPodTemplate(chart, 'Jobs', { extraConfig: { namespace_per_job: true } });
    new RunnerManager(chart, 'Runner', { gitlabUrl: 'https://gitlab.example.com/', token: RunnerToken.fromSecret('s'), jobPod });
    expect(FleetSynth.synth(a).written).toBe(false);
    expect(written(outdir)).toEqual([]);
    expect(output.stderr.join('')).toMatch(/error RBAC001 \[fleet\/Runner\] jobPod\.extraConfig\.namespace_per_job:/);
    expect(process.exitCode).toBe(1);
  });

  test('a node validation error outside the findings still refuses synth and writes no file', () => {
    const { app: a, chart, outdir } = app();
    chart.node.addValidation({ validate: () => ['broken on purpose'] });
    new FileWriter(chart, 'Files', 'review.txt', 'x');
    const result = FleetSynth.synth(a);
    expect(result.written).toBe(false);
    expect(written(outdir)).toEqual([]);
    expect(output.stderr.join('')).toContain('broken on purpose');
    expect(process.exitCode).toBe(1);
  });

  test('each manager is checked once: the validations app.synth() runs (once, and again per chart) reuse the findings', () => {
    const { app: a, chart } = app();
    new RunnerManager(chart, 'Runner', { gitlabUrl: 'https://gitlab.example.com/', token: RunnerToken.fromSecret('s'), jobPod: new JobPodTemplate(chart, 'Jobs') });
    const checks = jest.spyOn(RunnerManager.prototype, '_findings');
    expect(FleetSynth.synth(a).written).toBe(true);
    expect(checks).toHaveBeenCalledTimes(1);
    // Outside FleetSynth the validations check afresh.
    a.synth();
    expect(checks.mock.calls.length).toBeGreaterThan(1);
  });

  test('review files see the findings, so reports can list the warnings', () => {
    const { app: a, chart } = app();
    new Reporter(chart, 'Warns', [warning('W1')]);
    const files = new FileWriter(chart, 'Files', 'report.md', 'r');
    FleetSynth.synth(a);
    expect(files.seenFindings?.map((f) => f.ruleId)).toEqual(['W1']);
  });

  test('two review files of one name are refused instead of one overwriting the other', () => {
    const { app: a, chart, outdir } = app();
    new FileWriter(chart, 'First', 'same.toml', 'one');
    new FileWriter(chart, 'Second', 'same.toml', 'two');
    const result = FleetSynth.synth(a);
    expect(result.written).toBe(false);
    expect(result.findings).toEqual([expect.objectContaining({ severity: Severity.ERROR, path: 'fleet/Second', field: 'name' })]);
    expect(written(outdir)).toEqual([]);
    expect(output.stderr.join('')).toMatch(/error SYNTH001 \[fleet\/Second\] name: its review file same\.toml has the same name as the one of fleet\/First/);
    expect(process.exitCode).toBe(1);
  });

  test('two managers of one name in two namespaces are fine: their review files are named after their namespaces', () => {
    const { app: a, outdir } = app();
    for (const ns of ['team-a', 'team-b']) {
      const chart = new Chart(a, ns, { namespace: ns });
      new RunnerManager(chart, 'Runner', { name: 'runner', gitlabUrl: 'https://gitlab.example.com/', token: RunnerToken.fromSecret('s'), jobPod: new JobPodTemplate(chart, 'Jobs') });
    }
    expect(FleetSynth.synth(a).written).toBe(true);
    expect(written(outdir)).toEqual(expect.arrayContaining(['team-a.runner.config.toml', 'team-b.runner.config.toml', 'team-a.runner.values.yaml', 'team-b.runner.values.yaml']));
    expect(written(outdir)).not.toContain('runner.config.toml');
    expect(fs.readFileSync(path.join(outdir, 'team-b.runner.config.toml'), 'utf8')).toContain('namespace = "team-b"');
    expect(output.stderr.join('')).not.toContain('SYNTH');
  });

  test('review files are rendered when written, one at a time: assembling them renders no Helm values', () => {
    const { app: a, chart, outdir } = app();
    for (const id of ['A', 'B']) {
      new RunnerManager(chart, id, { gitlabUrl: 'https://gitlab.example.com/', token: RunnerToken.fromSecret('s'), jobPod: new JobPodTemplate(chart, `Jobs${id}`) });
    }
    const render = jest.spyOn(helmValues, 'renderHelmValuesYaml');
    try {
      const files = reviewFiles(a.node.findAll(), []);
      expect(files.map((f) => f.file.fileName)).toContain('fleet-a.values.yaml');
      expect(render).not.toHaveBeenCalled();
      // Each read renders it again (nothing is kept), to the same text.
      const values = files.find((f) => f.file.fileName === 'fleet-a.values.yaml')!.file;
      expect(values.content).toBe(values.content);
      expect(render).toHaveBeenCalledTimes(2);
      render.mockClear();
      expect(FleetSynth.synth(a).written).toBe(true);
      expect(render).toHaveBeenCalledTimes(2);
      expect(fs.readFileSync(path.join(outdir, 'fleet-a.values.yaml'), 'utf8')).toBe(values.content);
    } finally {
      render.mockRestore();
    }
  });

  test('a review file whose rendering throws: the error is thrown from synth, as before any write, and the output is unchanged', () => {
    const { app: a, chart, outdir } = app();
    fs.mkdirSync(outdir);
    fs.writeFileSync(path.join(outdir, 'previous.txt'), 'kept');
    class Broken extends Construct {
      public _extraFiles() {
        return [{ fileName: 'broken.txt', get content(): string { throw new Error('renderer bug'); } }];
      }
    }
    new Broken(chart, 'Broken');
    expect(() => FleetSynth.synth(a)).toThrow('renderer bug');
    expect(written(outdir)).toEqual(['previous.txt']);
    expect(fs.readdirSync(path.dirname(outdir))).toEqual(['dist']);
    expect(output.stderr.join('')).not.toContain('unchanged');
  });
});

describe('FleetSynth.findings', () => {
  test('errors first, then warnings, each in construct order', () => {
    const { app: a, chart } = app();
    new Reporter(chart, 'A', [warning('A-W'), error('A-E')]);
    new Reporter(chart, 'B', [warning('B-W'), error('B-E')]);
    expect(FleetSynth.findings(a).map((f) => f.ruleId)).toEqual(['A-E', 'B-E', 'A-W', 'B-W']);
  });
});

describe('FleetSynth.reportError', () => {
  test('a FleetConfigError is printed as its findings, without a stack trace', () => {
    const err = new FleetConfigError([{ ruleId: 'MGR', severity: Severity.ERROR, path: 'fleet/Runner', field: 'concurrent', message: '0 is too few.', fix: 'give at least 1.' }]);
    FleetSynth.reportError(err);
    const out = output.stderr.join('');
    expect(out).toBe('Synth refused; nothing was written.\nerror MGR [fleet/Runner] concurrent: 0 is too few. Fix: give at least 1.\n');
    expect(out).not.toMatch(/\n\s+at /);
    expect(process.exitCode).toBe(1);
  });

  test('a prop error is not thrown where it is declared: synth reports it the same way, without a stack trace', () => {
    const { app: a, chart } = app();
    expect(() => new RunnerManager(chart, 'Runner', { gitlabUrl: 'gitlab', token: RunnerToken.fromSecret('s'), jobPod: new JobPodTemplate(chart, 'Jobs') })).not.toThrow();
    expect(FleetSynth.synth(a).written).toBe(false);
    expect(output.stderr.join('')).toMatch(/\nSynth refused: 1 error\(s\); nothing was written\.\nerror MGR \[fleet\/Runner\] gitlabUrl: 'gitlab' is not an http\(s\) URL\./);
    expect(output.stderr.join('')).not.toMatch(/\n\s+at /);
    expect(process.exitCode).toBe(1);
  });

  test('any other error is a bug: printed with its stack', () => {
    const bug = new TypeError('x is undefined');
    FleetSynth.reportError(bug);
    expect(output.stderr.join('')).toBe(`${bug.stack}\n`);
    expect(output.stderr.join('')).toMatch(/\n\s+at /);
    expect(process.exitCode).toBe(1);
  });

  test('a thrown non-error value is printed as is', () => {
    FleetSynth.reportError('plain string');
    expect(output.stderr.join('')).toBe('plain string\n');
    expect(process.exitCode).toBe(1);
  });
});
