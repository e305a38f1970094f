import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdk8s';
import * as ts from 'typescript';
import { seedFleet } from '../examples/seed-fleet/fleet';
import { FleetSynth } from '../src';

// The library as its users meet it: packed with `npm pack`, installed into a fresh cdk8s app outside this
// repository, synthesized with `cdk8s synth`, and checked by the app's own snapshot test.

const repo = path.join(__dirname, '..');
const fixture = path.join(__dirname, 'consumer-app');
const bin = (name: string) => path.join(repo, 'node_modules', '.bin', name);
const run = (cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) =>
  execFileSync(cmd, args, { cwd, encoding: 'utf-8', stdio: 'pipe', env: { ...process.env, ...env }, timeout: 240_000 });

function devDependencyVersion(name: string): string {
  return JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf-8')).devDependencies[name];
}

let app: string;
let work: string;

beforeAll(() => {
  // As the README says (In your own cdk8s app): npm pack (its prepack compiles lib/ and .jsii when they are stale), then
  // npm install of the tarball into the app.
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-gitlab-runner-consumer-'));
  const packed = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', work], repo));
  const tarball = path.join(work, packed[0].filename);
  app = path.join(work, 'app');
  fs.cpSync(fixture, app, { recursive: true });
  fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify({
    name: 'consumer-app',
    private: true,
    dependencies: {
      cdk8s: devDependencyVersion('cdk8s'),
      constructs: devDependencyVersion('constructs'),
    },
  }, null, 2));
  run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', tarball], app);
  const manifest = JSON.parse(fs.readFileSync(path.join(app, 'package.json'), 'utf-8'));
  expect(manifest.dependencies['cdk8s-gitlab-runner']).toMatch(/^file:.*cdk8s-gitlab-runner-.*\.tgz$/);
}, 300_000);

afterAll(() => {
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

test('the packed library has no dependency of its own: its TOML writer is in its bundle, its YAML library is the one cdk8s bundles; no sources or tests', () => {
  const installed = path.join(app, 'node_modules', 'cdk8s-gitlab-runner');
  expect(fs.existsSync(path.join(installed, 'lib', 'index.js'))).toBe(true);
  expect(fs.existsSync(path.join(installed, '.jsii'))).toBe(true);
  const manifest = JSON.parse(fs.readFileSync(path.join(installed, 'package.json'), 'utf-8'));
  expect(manifest.dependencies ?? {}).toEqual({});
  expect(manifest.bundledDependencies ?? []).toEqual([]);
  expect(fs.existsSync(path.join(installed, 'node_modules'))).toBe(false);
  expect(fs.existsSync(path.join(app, 'node_modules', 'smol-toml'))).toBe(false);
  expect(fs.readFileSync(path.join(installed, 'lib', 'bundle.js'), 'utf-8')).toMatch(/^\/\/ \d+: node_modules\/smol-toml\/dist\/index\.cjs\nfunction \(exports, require, module, __filename, __dirname\) \{\n\/\*!/m);
  expect(fs.existsSync(path.join(app, 'node_modules', 'cdk8s', 'node_modules', 'yaml'))).toBe(true);
  expect(fs.existsSync(path.join(installed, 'src'))).toBe(false);
  expect(fs.existsSync(path.join(installed, 'test'))).toBe(false);
});

test("the packed library's JavaScript is its entry and one bundle of the compiled modules; every declaration file is there", () => {
  const lib = path.join(app, 'node_modules', 'cdk8s-gitlab-runner', 'lib');
  const files = fs.readdirSync(lib, { recursive: true }).map(String);
  expect(files.filter((f) => f.endsWith('.js')).sort()).toEqual(['bundle.js', 'index.js']);
  expect(files.filter((f) => f.endsWith('.d.ts'))).toEqual(expect.arrayContaining(['index.d.ts', path.join('constructs', 'runner-manager.d.ts')]));
  expect(fs.readFileSync(path.join(lib, 'index.js'), 'utf-8')).toBe(fs.readFileSync(path.join(repo, 'scripts', 'lib-entry.js'), 'utf-8'));
});

test("the bundle loads each messages module on first use, and the stand-in it returns first names exactly what the module's source exports", () => {
  const bundle = fs.readFileSync(path.join(app, 'node_modules', 'cdk8s-gitlab-runner', 'lib', 'bundle.js'), 'utf-8');
  const table = (name: string) => JSON.parse(JSON.parse(new RegExp(`^const ${name} = JSON\\.parse\\((".*")\\);$`, 'm').exec(bundle)![1]));
  const ids: string[] = table('__ids');
  const deferred: Array<string[] | null> = table('__deferred');
  expect(deferred).toHaveLength(ids.length);
  const messages = ids.filter((id) => id.endsWith('.messages.js'));
  expect(messages.length).toBeGreaterThan(40);
  for (const [place, id] of ids.entries()) {
    if (!id.endsWith('.messages.js')) {
      expect([id, deferred[place]]).toEqual([id, null]);
      continue;
    }
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const source = require(path.join(repo, 'src', id.replace(/\.js$/, '.ts')));
    expect([id, deferred[place]]).toEqual([id, Object.keys(source).sort()]);
  }
});

test('the seed fleet synthesized by the packed library, without, with a new and with a used code cache, is byte for byte what the sources write', () => {
  // The example's fleet, importing the installed package instead of ../../src (as bench/packed.bench.ts runs it).
  const source = fs.readFileSync(path.join(repo, 'examples', 'seed-fleet', 'fleet.ts'), 'utf-8');
  const fleet = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } }).outputText;
  expect(fleet).toContain('require("../../src")');
  fs.writeFileSync(path.join(app, 'seed-fleet.js'), fleet.replace('require("../../src")', 'require("cdk8s-gitlab-runner")'));
  fs.writeFileSync(path.join(app, 'seed-main.js'), `const { App } = require('cdk8s');
    const { FleetSynth } = require('cdk8s-gitlab-runner');
    const app = new App({ outdir: process.argv[2] });
    require('./seed-fleet').seedFleet(app);
    FleetSynth.synth(app);`);
  const read = (dir: string) => Object.fromEntries(fs.readdirSync(dir).sort().map((f) => [f, fs.readFileSync(path.join(dir, f), 'utf-8')]));

  // The sources, in this process.
  const fromSources = path.join(work, 'seed-from-sources');
  const sourceApp = new App({ outdir: fromSources });
  seedFleet(sourceApp);
  const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    FleetSynth.synth(sourceApp);
  } finally {
    stderr.mockRestore();
  }
  const expected = read(fromSources);
  expect(Object.keys(expected)).toHaveLength(7);

  const cache = path.join(work, 'code-cache');
  const runs: Array<[string, string]> = [['off', 'seed-no-cache'], [cache, 'seed-new-cache'], [cache, 'seed-used-cache']];
  for (const [setting, outdir] of runs) {
    run(process.execPath, ['seed-main.js', path.join(work, outdir)], app, { CDK8S_GITLAB_RUNNER_COMPILE_CACHE: setting });
    expect(read(path.join(work, outdir))).toEqual(expected);
  }
  expect(fs.readdirSync(cache).filter((f) => f.endsWith('.cache'))).toHaveLength(1);
});

test('the packed library carries no source maps: none inline in lib/*.js, no .map files', () => {
  const lib = path.join(app, 'node_modules', 'cdk8s-gitlab-runner', 'lib');
  const files = fs.readdirSync(lib);
  const scripts = files.filter((f) => f.endsWith('.js'));
  expect(scripts).toContain('index.js');
  // Every module a user's process loads, read as it is installed: an inline map would be parsed on every load.
  const inline = scripts.filter((f) => fs.readFileSync(path.join(lib, f), 'utf-8').includes('sourceMappingURL=data:'));
  expect(inline).toEqual([]);
  expect(files.filter((f) => f.endsWith('.map'))).toEqual([]);
});

test('cdk8s synth in the consumer app writes the manifests and the review files', () => {
  const synth = spawnSync(bin('cdk8s'), ['synth', '--no-check-upgrade'], { cwd: app, encoding: 'utf-8', env: { ...process.env, CDK8S_CHECK_UPGRADE: 'false' }, timeout: 240_000 });
  expect(synth.status).toBe(0);
  // The CLI lists the YAML files on stdout; FleetSynth lists every file it wrote on stderr (the CLI swallows its stdout).
  const out = `${synth.stdout}${synth.stderr}`;
  expect(out).toContain('dist/ci.k8s.yaml');
  const manifests = fs.readFileSync(path.join(app, 'dist', 'ci.k8s.yaml'), 'utf-8');
  expect(manifests).toContain('kind: Deployment');
  expect(manifests).toContain('token = "written-at-pod-start-from-the-secret"');
  expect(manifests).not.toContain('RUNNER_TOKEN');
  expect(fs.readFileSync(path.join(app, 'dist', 'ci-runner.config.toml'), 'utf-8')).toContain('executor = "kubernetes"');
  // Two managers: both written, and every file listed (the CLI itself lists only the manifests).
  expect(fs.readFileSync(path.join(app, 'dist', 'ci-runner-large.config.toml'), 'utf-8')).toContain('name = "ci-runner-large"');
  const listed = synth.stderr.split('\n').filter((l) => l.startsWith('  - ')).map((l) => l.slice(4)).sort();
  expect(listed).toEqual(fs.readdirSync(path.join(app, 'dist')).map((f) => `dist/${f}`).sort());
});

test('three mistakes in three constructs are reported in one run of cdk8s synth, without a stack trace', () => {
  const main = path.join(app, 'main-mistakes.js');
  fs.writeFileSync(main, `
    const { App } = require('cdk8s');
    const { DnsConfig, DnsPolicy, FleetSynth, JobPodTemplate, JobService } = require('cdk8s-gitlab-runner');
    const { declareFleet } = require('./fleet');
    const app = new App();
    const chart = declareFleet(app);
    new JobService(chart, 'Cache', { image: 'redis:7', port: 0 });
    new DnsConfig(chart, 'Dns', { policy: DnsPolicy.NONE });
    new JobPodTemplate(chart, 'Broken', { namespace: 'Not_A_Namespace' });
    FleetSynth.synth(app);`);
  let failed: { status?: number; stdout?: string; stderr?: string } | undefined;
  try {
    run(bin('cdk8s'), ['synth', '--no-check-upgrade', '--app', 'node main-mistakes.js', '--output', 'dist-mistakes'], app, { CDK8S_CHECK_UPGRADE: 'false' });
  } catch (e) {
    failed = e as typeof failed;
  }
  expect(failed?.status).toBe(1);
  const stderr = failed?.stderr ?? '';
  expect(stderr).toContain('Synth refused: 3 error(s); nothing was written.');
  expect(stderr).toContain('error SVC [ci/Cache] port: 0 is not a TCP port.');
  expect(stderr).toMatch(/error DNS\d+ \[ci\/Dns\] nameservers: policy 'none' with no nameserver/);
  expect(stderr).toContain("error JOB [ci/Broken] namespace: 'Not_A_Namespace' is not a valid namespace name.");
  expect(`${failed?.stdout}${stderr}`).not.toMatch(/\n\s+at /);
  expect(fs.existsSync(path.join(app, 'dist-mistakes'))).toBe(false);
});

test('without cdk8s-plus installed, the app declares taints, vets escape-hatch keys and checks a .gitlab-ci.yml with the parser cdk8s bundles', () => {
  expect(fs.existsSync(path.join(app, 'node_modules', 'cdk8s-plus-28'))).toBe(false);
  const script = `
    const { App } = require('cdk8s');
    const { FleetSynth, GitlabCiCheck, JobPodTemplate, ResourceBudget, TaintEffect } = require('cdk8s-gitlab-runner');
    const { declareFleet } = require('./fleet');
    const chart = declareFleet(new App());
    new ResourceBudget(chart, 'Cluster', { nodePools: [{ name: 'ci', nodes: 2, allocatable: { cpu: '8', memory: '32Gi' },
      taints: [{ key: 'ci', effect: TaintEffect.NO_SCHEDULE }] }] });
    const ci = 'build:\\n  variables:\\n    DOCKER_HOST: tcp://docker:2375\\n  script: [docker build .]\\n';
    new JobPodTemplate(chart, 'Extra', { extraConfig: { pod_security_context: { run_as_usr: 1000 } } });
    const vetted = FleetSynth.findings(chart.node.root).filter((f) => f.severity === 'error').map((f) => f.field + ': ' + f.message).join('\\n');
    console.log(JSON.stringify({ ruleIds: GitlabCiCheck.check(ci, chart.node.findChild('Runner')).map((f) => f.ruleId), vetted }));`;
  const { ruleIds, vetted } = JSON.parse(run(process.execPath, ['-e', script], app)) as { ruleIds: string[]; vetted: string };
  expect(ruleIds).toContain('CI002');
  expect(vetted).toContain("extraConfig.pod_security_context.run_as_usr: GitLab Runner has no [runners.kubernetes.pod_security_context] key 'run_as_usr'");
});

// After an intended change of the output, refresh the fixture's snapshot with
// UPDATE_CONSUMER_SNAPSHOT=1 npx jest test/consumer.test.ts, and review the diff of test/consumer-app/__snapshots__.
test("the app's own snapshot test passes against its committed snapshot", () => {
  const jest = path.join(repo, 'node_modules', 'jest', 'bin', 'jest.js');
  const config = JSON.stringify({ transform: {}, testMatch: ['**/*.test.js'], rootDir: app });
  const update = process.env.UPDATE_CONSUMER_SNAPSHOT === '1';
  const report = JSON.parse(run(process.execPath, [jest, update ? '--ci=false' : '--ci', ...(update ? ['-u'] : []), '--json', '--config', config], app));
  if (update) fs.cpSync(path.join(app, '__snapshots__'), path.join(fixture, '__snapshots__'), { recursive: true });
  expect(report.numFailedTests).toBe(0);
  expect(report.numPassedTests).toBe(1);
  // --ci never writes a missing snapshot, so a match proves the committed one was compared.
  expect(report.snapshot.matched + report.snapshot.updated + report.snapshot.added).toBe(1);
  if (!update) expect(report.snapshot.matched).toBe(1);
});
