import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart, Testing } from 'cdk8s';
import { parse as parseToml } from 'smol-toml';
import * as YAML from 'yaml';
import { DindService, DnsConfig, FleetSynth, JobPodTemplate, JobService, RunnerManager, RunnerToken } from '../src';
import { quietSynth } from './quiet-synth';
import { toYaml } from '../src/internal/render/records';
import { carefulYaml, escapeTomlText, needsQuoting } from '../src/internal/render/yaml';

// Every accepted string comes back out of every output unchanged (src/internal/render/yaml.ts), and valid input that was wrongly
// refused is accepted. The round-trip property test (test/round-trip.test.ts) checks the same over random fleets.

quietSynth();

const TOKEN = RunnerToken.fromSecret('gitlab-runner-token');
/** One of each character class a YAML or TOML reader would normalise or refuse when written raw. */
const ODD = ['\u0085', '\u2028', '\u2029', '\u007f', '\u0080', '\u009f', '\ufeff', '\u0000', '\u0001', '\u001b', '\t', '\r\n', '\u00a0'];

/** The same value back from a strict YAML 1.2 core reader and from a YAML 1.1 reader. */
function readBoth(text: string): unknown[][] {
  return [1.1, 1.2].map((v) => {
    const docs = YAML.parseAllDocuments(text, { version: v === 1.1 ? '1.1' : '1.2', schema: v === 1.1 ? 'yaml-1.1' : 'core', strict: true, uniqueKeys: true });
    for (const d of docs) expect(d.errors).toEqual([]);
    return docs.map((d) => d.toJS());
  });
}

describe('the careful YAML writer', () => {
  test.each(ODD.map((c) => [JSON.stringify(c), c]))('%s in a key and a value reads back unchanged, and the text holds no raw unsafe character', (_name, c) => {
    const value = { [`k${c}`]: `a${c}b`, list: [c, `${c}${c}`], plain: 'x' };
    const text = toYaml(value);
    expect(text).not.toMatch(/[\u007f-\u009f\u2028\u2029\ufeff]/);
    for (const [doc] of readBoth(text)) expect(doc).toEqual(value);
  });

  test.each(['0o17', '0o0', '0o777'])('%s is quoted, so that a YAML 1.2 reader keeps it a string', (name) => {
    const text = toYaml({ name });
    expect(text).toBe(`name: "${name}"\n`);
    for (const [doc] of readBoth(text)) expect(doc).toEqual({ name });
  });

  test('a value without such strings is written by cdk8s as before, byte for byte', () => {
    const value = { a: 'plain', b: ['0x1F', 'yes', '012'], c: { d: 'multi\nline' } };
    expect(toYaml(value)).toBe(YAML.stringify(value, { version: '1.1', lineWidth: 0 }));
    expect(carefulYaml([value])).toBe(toYaml(value));
  });

  test('needsQuoting: only the unsafe classes and YAML 1.2 octals', () => {
    expect(['a', '0x1F', '017', '0o8', 'o17', 'héllo', '\t'].filter(needsQuoting)).toEqual([]);
    expect(['\u0085', 'a\u2029', '0o17', '\u007f', '\ufeff'].every(needsQuoting)).toBe(true);
  });
});

describe('config.toml text', () => {
  test.each(ODD.map((c) => [JSON.stringify(c), c]))('%s survives, and the text is safe to embed in YAML', (_name, c) => {
    const text = escapeTomlText(`k = ${JSON.stringify(`a${c}b`).replace('\u007f', '\\u007f')}\n`);
    expect(text).not.toMatch(/[\u007f-\u009f\u2028\u2029\ufeff]/);
    expect(parseToml(text)).toEqual({ k: `a${c}b` });
  });
});

function synthFleet(build: (chart: Chart) => void): { outdir: string; files: Record<string, string> } {
  const outdir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'integrity-')), 'dist');
  const app = new App({ outdir });
  build(new Chart(app, 'fleet', { namespace: 'ci' }));
  // Called while the suite is collected, before quietSynth's hooks: silence the warnings here.
  const write = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    expect(FleetSynth.synth(app).written).toBe(true);
  } finally {
    write.mockRestore();
  }
  const files: Record<string, string> = {};
  for (const f of fs.readdirSync(outdir)) files[f] = fs.readFileSync(path.join(outdir, f), 'utf8');
  fs.rmSync(path.dirname(outdir), { recursive: true, force: true });
  return { outdir, files };
}

describe('a fleet with every odd character class in its free-text props', () => {
  const text = `x${ODD.join('')}y`;
  // Environment values and arguments cannot hold NUL (exec(2) takes C strings): they get every other class.
  const execText = text.replace('\u0000', '');
  const { files } = synthFleet((chart) => {
    const db = new JobService(chart, 'Db', { image: 'postgres:16', alias: 'db', command: ['-c', execText], environment: { NOTE: execText } });
    const dns = new DnsConfig(chart, 'Dns', { searches: ['svc.cluster.local'] });
    const jobPod = new JobPodTemplate(chart, 'Jobs', { services: [db, new DindService(chart, 'Dind')], dns, podAnnotations: { 'example.com/note': text } });
    new RunnerManager(chart, 'Runner', { name: '0o17', gitlabUrl: 'https://gitlab.example.com/', token: TOKEN, jobPod, environment: { NOTE: execText } });
  });

  test('the manifests read back to the same objects; the name 0o17 stays a string', () => {
    for (const [docs] of [readBoth(files['fleet.k8s.yaml'])]) {
      const objects = docs as Array<{ kind: string; metadata: { name: string }; data?: Record<string, string> }>;
      expect(objects.filter((o) => o.metadata.name === '0o17').map((o) => o.kind).sort()).toEqual(['Deployment', 'Role', 'RoleBinding', 'ServiceAccount']);
      const toml = parseToml(objects.find((o) => o.kind === 'ConfigMap')!.data!['config.toml']) as any;
      expect(toml.runners[0].environment).toContain(`NOTE=${execText}`);
      expect(toml.runners[0].kubernetes.pod_annotations['example.com/note']).toBe(text);
      expect(toml.runners[0].kubernetes.services[0].command).toEqual(['-c', execText]);
    }
    const [v11, v12] = readBoth(files['fleet.k8s.yaml']);
    expect(v12).toEqual(v11);
  });

  test('the review config.toml, the Helm values and the preview read back to the same strings', () => {
    const toml = parseToml(files['0o17.config.toml']) as any;
    expect(toml.runners[0].environment).toContain(`NOTE=${execText}`);
    const [[values11], [values12]] = readBoth(files['0o17.values.yaml'].replace(/^#.*\n/gm, ''));
    expect(values12).toEqual(values11);
    const runnersConfig = parseToml((values12 as any).runners.config) as any;
    expect(runnersConfig.runners[0].kubernetes.pod_annotations['example.com/note']).toBe(text);
    const [[preview11], [preview12]] = readBoth(files['job-pod-preview.yaml']);
    expect(preview12).toEqual(preview11);
    expect(JSON.stringify(preview12)).toContain(JSON.stringify(text));
    for (const f of Object.values(files)) expect(f).not.toMatch(/[\u007f-\u009f\u2028\u2029\ufeff]/);
  });
});

describe('valid input that was wrongly refused', () => {
  test.each(['my_chart', 'my.chart', 'A_B.c'])('a manager in chart %s gets a derived DNS-label name', (id) => {
    const chart = new Chart(Testing.app(), id);
    const m = new RunnerManager(chart, 'Runner_1', { gitlabUrl: 'https://gitlab.example.com/', token: TOKEN, jobPod: new JobPodTemplate(chart, 'Jobs') });
    expect(m.name).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
    expect(m.name).toBe(`${id.toLowerCase().replace(/[_.]/g, '-')}-runner-1`);
  });

  test('a derived name is cut to 55 characters', () => {
    const chart = new Chart(Testing.app(), 'c'.repeat(40));
    const m = new RunnerManager(chart, 'r'.repeat(40), { gitlabUrl: 'https://gitlab.example.com/', token: TOKEN, jobPod: new JobPodTemplate(chart, 'Jobs') });
    expect(m.name.length).toBeLessThanOrEqual(55);
  });

  test('environment variables named like Object.prototype members get no DinD finding', () => {
    const chart = new Chart(Testing.app(), 'fleet');
    const environment = JSON.parse('{"constructor": "x", "toString": "y", "__proto__": "z", "hasOwnProperty": "w"}');
    const m = new RunnerManager(chart, 'Runner', {
      gitlabUrl: 'https://gitlab.example.com/',
      token: TOKEN,
      environment,
      jobPod: new JobPodTemplate(chart, 'Jobs', { services: [new DindService(chart, 'Dind')] }),
    });
    expect(m._findings().filter((f) => f.ruleId === 'DIND001')).toEqual([]);
    expect(m.configToml).toContain('"__proto__=z"');
  });
});
