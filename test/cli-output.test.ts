// Under the real cdk8s CLI (`cdk8s synth`): a refused FleetSynth ends with the library's clean refusal and the CLI's
// one-line error, exit code 1, no stack trace; a passing one lists every file it wrote (the CLI lists only manifests).
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..');
const CLI = path.join(ROOT, 'node_modules', '.bin', 'cdk8s');
const TS_NODE = path.join(ROOT, 'node_modules', '.bin', 'ts-node');

function runCli(gitlabUrl: string, jobNamespace = 'Bad'): { status: number | null; stdout: string; stderr: string; dir: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-output-'));
  fs.writeFileSync(path.join(dir, 'cdk8s.yaml'), `language: typescript\napp: ${TS_NODE} --transpile-only main.ts\n`);
  fs.writeFileSync(path.join(dir, 'main.ts'), `
import { App, Chart } from ${JSON.stringify(path.join(ROOT, 'node_modules', 'cdk8s'))};
import { FleetSynth, JobPodTemplate, RunnerManager, RunnerToken } from ${JSON.stringify(path.join(ROOT, 'src'))};
const app = new App();
const chart = new Chart(app, 'fleet', { namespace: 'ci' });
new RunnerManager(chart, 'Runner', { gitlabUrl: ${JSON.stringify(gitlabUrl)}, token: RunnerToken.fromSecret('t'), jobPod: new JobPodTemplate(chart, 'Jobs') });
new RunnerManager(chart, 'Other', { gitlabUrl: 'https://gitlab.example.com/', token: RunnerToken.fromSecret('t'), jobPod: new JobPodTemplate(chart, 'OtherJobs', { namespace: ${JSON.stringify(jobNamespace)} }) });
FleetSynth.synth(app);
`);
  const r = spawnSync(CLI, ['synth', '--check-upgrade=false'], { cwd: dir, encoding: 'utf8', env: { ...process.env, CDK8S_CHECK_UPGRADE: 'false', TS_NODE_PROJECT: path.join(ROOT, 'test', 'tsconfig.json') }, timeout: 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, dir };
}

test('a refused synth: every error, the CLI\'s one line, exit code 1, no stack trace', () => {
  const r = runCli('gitlab.example.com');
  try {
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('Synth refused: 2 error(s); nothing was written.');
    expect(r.stderr).toContain("error MGR [fleet/Runner] gitlabUrl: 'gitlab.example.com' is not an http(s) URL.");
    expect(r.stderr).toContain("error JOB [fleet/OtherJobs] namespace: 'Bad' is not a valid namespace name.");
    expect(r.stderr).toContain('ERROR: synthesis failed, app expected to create "dist"');
    expect(`${r.stdout}${r.stderr}`).not.toMatch(/\n\s+at /);
    expect(fs.existsSync(path.join(r.dir, 'dist'))).toBe(false);
  } finally {
    fs.rmSync(r.dir, { recursive: true, force: true });
  }
}, 180_000);

test('a passing synth lists every file it wrote, review files included', () => {
  const r = runCli('https://gitlab.example.com/', 'ci');
  try {
    expect(r.status).toBe(0);
    const written = fs.readdirSync(path.join(r.dir, 'dist')).sort();
    expect(written).toEqual(expect.arrayContaining(['fleet.k8s.yaml', 'fleet-runner.config.toml', 'fleet-other.values.yaml', 'job-pod-preview.yaml']));
    const listed = /Wrote (\d+) file\(s\):\n((?: {2}- .*\n)+)/.exec(r.stderr);
    expect(listed).not.toBeNull();
    expect(Number(listed![1])).toBe(written.length);
    expect(listed![2].trim().split('\n').map((l) => l.trim().replace(/^- /, '')).sort()).toEqual(written.map((f) => `dist/${f}`));
  } finally {
    fs.rmSync(r.dir, { recursive: true, force: true });
  }
}, 180_000);
