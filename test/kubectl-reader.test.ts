import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import * as YAML from 'yaml';
import { DindService, DnsConfig, FleetSynth, JobPodTemplate, JobService, RunnerManager, RunnerToken } from '../src';
import { goYamlAvailable, readWithGoYaml } from './go-yaml';
import { quietSynth } from './quiet-synth';
import { seedFleet } from '../examples/seed-fleet/fleet';

// Every YAML file synth writes (manifests, Helm values, the job-pod preview, reports) read by the reader kubectl and
// Helm use, Go's gopkg.in/yaml.v2, gives the same values as the YAML 1.1 reading the tests use elsewhere: no string
// turns into a number, a boolean or a folded line on the way to the cluster.

quietSynth();

test('in CI a missing reader fails the suite instead of skipping it', () => {
  const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  expect(() => goYamlAvailable({ CI: 'true' }, '/nonexistent')).toThrow(/CI must run the kubectl-reader checks/);
  expect(goYamlAvailable({}, '/nonexistent')).toBe(false);
  expect(warn).toHaveBeenCalledWith(expect.stringContaining('golang-gopkg-yaml.v2-dev'));
});

/** What a YAML 1.1 reader (the yaml library) makes of the text, as plain JSON values. */
function read11(text: string): unknown[] {
  return YAML.parseAllDocuments(text, { version: '1.1', schema: 'yaml-1.1', strict: true, uniqueKeys: true })
    .map((d) => JSON.parse(JSON.stringify(d.toJS())));
}

function synth(build: (app: App) => void): Record<string, string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubectl-reader-'));
  const app = new App({ outdir: path.join(dir, 'dist') });
  build(app);
  expect(FleetSynth.synth(app).written).toBe(true);
  const files: Record<string, string> = {};
  for (const f of fs.readdirSync(path.join(dir, 'dist'))) files[f] = fs.readFileSync(path.join(dir, 'dist', f), 'utf8');
  fs.rmSync(dir, { recursive: true, force: true });
  return files;
}

function expectSameReading(files: Record<string, string>): void {
  const yamlFiles = Object.keys(files).filter((f) => f.endsWith('.yaml'));
  expect(yamlFiles.length).toBeGreaterThan(1);
  for (const f of yamlFiles) expect([f, readWithGoYaml(files[f])]).toEqual([f, read11(files[f])]);
}

/** Strings that Go's yaml.v2 reads as something else when they are written plain. */
const TRICKY = ['0o17', '0b101', '017', '0x1F', '1e3', 'yes', 'on', 'n', '~', 'null', '.inf', '1_000', '+1', '2026-11-28'];
/** The ones Kubernetes takes as label values, which reach the manifests as plain strings. */
const LABEL_VALUES = TRICKY.filter((t) => /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/.test(t));
const ODD = ['\u0085', '\u2028', '\u2029', '\u007f', '\u0080', '\ufeff', '\t', '\u00a0', '\u{1f600}'];

if (goYamlAvailable()) {
  describe("kubectl's YAML reader (Go yaml.v2)", () => {
    test('tells 0o17 from "0o17": plain, as cdk8s writes it, it reads the octal number 15', () => {
      expect(readWithGoYaml('name: 0o17\n')).toEqual([{ name: 15 }]);
      expect(readWithGoYaml('name: "0o17"\n')).toEqual([{ name: '0o17' }]);
    });

    test('reads every YAML file of the example fleet as the tests do', () => {
      expectSameReading(synth((app) => seedFleet(app)));
    });

    test('reads a fleet of tricky names and odd characters back to the input strings', () => {
      const text = `x${ODD.join('')}y`;
      const files = synth((app) => {
        const chart = new Chart(app, 'fleet', { namespace: '0o17' });
        const db = new JobService(chart, 'Db', { image: 'postgres:16', alias: 'db', command: ['-c', text, ...TRICKY], environment: { NOTE: text, YES: 'yes' } });
        const dns = new DnsConfig(chart, 'Dns', { searches: ['svc.cluster.local'], options: [{ name: 'ndots', value: '017' }] });
        const jobPod = new JobPodTemplate(chart, 'Jobs', {
          services: [db, new DindService(chart, 'Dind')],
          dns,
          podAnnotations: Object.fromEntries(TRICKY.map((t, i) => [`example.com/a${i}`, t])),
          podLabels: { team: '0b101', tier: 'on' },
          nodeSelector: { pool: '0o17' },
        });
        new RunnerManager(chart, 'Runner', {
          name: '0o17',
          gitlabUrl: 'https://gitlab.example.com/',
          token: RunnerToken.fromSecret('0o17', '0o17'),
          jobPod,
          environment: { NOTE: text },
          nodeSelector: Object.fromEntries(LABEL_VALUES.map((t, i) => [`example.com/l${i}`, t])),
          tolerations: LABEL_VALUES.map((value, i) => ({ key: `example.com/t${i}`, value })),
        });
      });
      expectSameReading(files);
      const deployment = (readWithGoYaml(files['fleet.k8s.yaml']) as any[]).find((o) => o.kind === 'Deployment');
      expect(Object.values(deployment.spec.template.spec.nodeSelector).sort()).toEqual([...LABEL_VALUES].sort());
      expect(LABEL_VALUES).toEqual(expect.arrayContaining(['0o17', '0b101', '017', '1e3', 'yes', 'on', 'null', '1_000']));
      const objects = readWithGoYaml(files['fleet.k8s.yaml']) as Array<{ kind: string; metadata: { name: unknown; namespace: unknown } }>;
      for (const o of objects) expect([o.kind, o.metadata.namespace]).toEqual([o.kind, '0o17']);
      expect(objects.filter((o) => o.metadata.name === '0o17').map((o) => o.kind).sort()).toEqual(['Deployment', 'Role', 'RoleBinding', 'ServiceAccount']);
    });
  });
}
