import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart, Duration, Testing } from 'cdk8s';
import { parse as parseToml } from 'smol-toml';
import { budget, pool } from './capacity-fixtures';
import { declaredAny } from './declared';
import { helmTemplate, requireRealHelm } from './helm-binary';
import { findManifestProblems } from './k8s-schema';
import { decode, decoderAvailable, DECODER_VERSIONS } from './runner-decode';
import { DindService, JobPodTemplate, JobPodTemplateProps, JobService, NodeSelectorOperator, RunnerManager, RunnerToken } from '../src';
import { eligibility, evaluateBudget, podShape } from '../src/internal/capacity/evaluate';
import { kubernetesTable, renderConfigToml } from '../src/internal/render/config-toml';
import { renderHelmValues } from '../src/internal/render/helm-values';
import { keysNotPreviewed } from '../src/internal/render/job-pod';
import { evaluateRules } from '../src/internal/rules/catalogue';
import { re2Problem } from '../src/internal/validate/job-scheduling';
import { Quantity } from '../src/model/quantity';

// Issue 15 part B: the job pod's scheduling, identity, overwrite allowlists and pod-level resources, typed. Each prop
// is checked in config.toml (decoded by the runner's own structs), in the preview (schema-valid), in the capacity
// model (figures worked by hand below) and in the Helm values (rendered by the real helm and chart).

const GO_VERSIONS_WITH_POD_LEVEL = ['19.4.0'];

/** Every scheduling prop away from its default; pod-level resources only where the runner has them (18.10 and later). */
function everything(version: string): JobPodTemplateProps {
  return {
    nodeAffinity: {
      required: [
        { matchExpressions: [{ key: 'pool', operator: NodeSelectorOperator.IN, values: ['ci', 'ci-large'] }, { key: 'spot', operator: NodeSelectorOperator.DOES_NOT_EXIST }] },
        { matchExpressions: [{ key: 'cores', operator: NodeSelectorOperator.GT, values: ['15'] }], matchFields: [{ key: 'metadata.name', operator: NodeSelectorOperator.IN, values: ['node-1'] }] },
      ],
      preferred: [{ weight: 100, preference: { matchExpressions: [{ key: 'zone', operator: NodeSelectorOperator.IN, values: ['a'] }] } }],
    },
    runtimeClassName: 'gvisor',
    priorityClassName: 'ci-low',
    imagePullSecrets: ['registry-credentials', 'mirror-credentials'],
    useServiceAccountImagePullSecrets: false,
    podTerminationGracePeriod: Duration.seconds(45),
    cleanupGracePeriod: Duration.seconds(5),
    overwriteAllowed: {
      namespace: '^ci-jobs$',
      serviceAccount: '^ci-(build|deploy)$',
      bearerToken: false,
      nodeSelector: '^pool=ci(-large)?$',
      podLabels: '^team=[a-z]+$',
      podAnnotations: '^example\\.com/.*',
    },
    ...(GO_VERSIONS_WITH_POD_LEVEL.includes(version)
      ? { podResources: { cpu: { request: '3', limit: '4', maxRequest: '6', maxLimit: '8' }, memory: { request: '6Gi', limit: '8Gi', maxRequest: '12Gi', maxLimit: '16Gi' } } }
      : {}),
  };
}

type Fleet = { chart: Chart; jobs: JobPodTemplate; runner: RunnerManager };

function fleet(version: string, job: JobPodTemplateProps, manager: Record<string, unknown> = {}): Fleet {
  const chart = new Chart(new App(), `f-${version.replace(/\./g, '-')}`, { namespace: 'runners', disableResourceNameHashes: true });
  const jobs = new JobPodTemplate(chart, 'Jobs', { namespace: 'ci-jobs', ...job });
  const runner = new RunnerManager(chart, 'Runner', {
    gitlabUrl: 'https://gitlab.example.com/',
    token: RunnerToken.fromSecret('runner-token'),
    image: `registry.example.com/gitlab/gitlab-runner:alpine-v${version}`,
    jobPod: jobs,
    ...manager,
  });
  return { chart, jobs, runner };
}

function errorOf(f: () => unknown): string {
  try {
    declaredAny(f);
  } catch (e) {
    return String((e as Error).message);
  }
  throw new Error('no error was thrown');
}

describe('config.toml', () => {
  test('every prop renders under [runners.kubernetes] with the runner\'s spelling', () => {
    const { runner } = fleet('19.4.0', everything('19.4.0'));
    const k = (parseToml(renderConfigToml(runner._toModel())) as any).runners[0].kubernetes;
    expect(k).toMatchObject({
      runtime_class_name: 'gvisor',
      priority_class_name: 'ci-low',
      image_pull_secrets: ['registry-credentials', 'mirror-credentials'],
      use_service_account_image_pull_secrets: false,
      pod_termination_grace_period_seconds: 45,
      cleanup_grace_period_seconds: 5,
      namespace_overwrite_allowed: '^ci-jobs$',
      service_account_overwrite_allowed: '^ci-(build|deploy)$',
      bearer_token_overwrite_allowed: false,
      node_selector_overwrite_allowed: '^pool=ci(-large)?$',
      pod_labels_overwrite_allowed: '^team=[a-z]+$',
      pod_annotations_overwrite_allowed: '^example\\.com/.*',
      pod_cpu_request: '3',
      pod_cpu_limit: '4',
      pod_cpu_request_overwrite_max_allowed: '6',
      pod_cpu_limit_overwrite_max_allowed: '8',
      pod_memory_request: '6Gi',
      pod_memory_limit: '8Gi',
      pod_memory_request_overwrite_max_allowed: '12Gi',
      pod_memory_limit_overwrite_max_allowed: '16Gi',
    });
    expect(k.affinity.node_affinity.required_during_scheduling_ignored_during_execution.node_selector_terms[1]).toEqual({
      match_expressions: [{ key: 'cores', operator: 'Gt', values: ['15'] }],
      match_fields: [{ key: 'metadata.name', operator: 'In', values: ['node-1'] }],
    });
    expect(k.affinity.node_affinity.preferred_during_scheduling_ignored_during_execution).toEqual([
      { weight: 100, preference: { match_expressions: [{ key: 'zone', operator: 'In', values: ['a'] }] } },
    ]);
    // Exists / DoesNotExist carry no values key at all.
    expect(k.affinity.node_affinity.required_during_scheduling_ignored_during_execution.node_selector_terms[0].match_expressions[1]).toEqual({ key: 'spot', operator: 'DoesNotExist' });
  });

  test('without the props nothing is added', () => {
    const { runner } = fleet('19.4.0', {});
    const k = kubernetesTable(runner._toModel().jobPod);
    expect(Object.keys(k).sort()).toEqual(['namespace']);
  });

  test('pod-level resources on a runner before 18.10 are refused (VER001), naming the typed prop', () => {
    const { runner } = fleet('18.9.0', { podResources: { cpu: { request: '2' } } });
    const ver = evaluateRules({ manager: runner._toModel() }).filter((f) => f.ruleId === 'VER001');
    expect(ver).toHaveLength(1);
    expect(ver[0]).toMatchObject({ path: 'f-18-9-0/Jobs', field: 'podResources.cpu.request' });
    expect(ver[0].message).toMatch(/'runners\.kubernetes\.pod_cpu_request', added in 18\.10\.0/);
    expect(evaluateRules({ manager: fleet('19.4.0', { podResources: { cpu: { request: '2' } } }).runner._toModel() }).filter((f) => f.ruleId === 'VER001')).toEqual([]);
  });
});

if (decoderAvailable(process.env)) {
  describe('decoded by GitLab Runner\'s own config structs', () => {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'job-scheduling-'));
    const files = new Map<string, string>();
    beforeAll(() => {
      for (const version of DECODER_VERSIONS) {
        const file = path.join(work, `${version}.toml`);
        fs.writeFileSync(file, renderConfigToml(fleet(version, everything(version)).runner._toModel()));
        files.set(version, file);
      }
    });

    test.each([...DECODER_VERSIONS])('%s decodes every typed key with no problem and holds the values', (version) => {
      const d = decode(version, [files.get(version)!]).get(files.get(version)!)!;
      expect(d.problems).toEqual([]);
      const k = d.view.runners[0].kubernetes;
      expect(k.runtime_class_name).toBe('gvisor');
      expect(k.priority_class_name).toBe('ci-low');
      expect(k.image_pull_secrets).toEqual(['registry-credentials', 'mirror-credentials']);
      expect(k.pod_termination_grace_period_seconds).toBe(45);
      expect(k.cleanup_grace_period_seconds).toBe(5);
      expect(k.service_account_overwrite_allowed).toBe('^ci-(build|deploy)$');
      expect(k.pod_annotations_overwrite_allowed).toBe('^example\\.com/.*');
      expect(JSON.stringify(k.affinity)).toContain('"weight":100');
      expect(JSON.stringify(k.affinity)).toContain('metadata.name');
      if (GO_VERSIONS_WITH_POD_LEVEL.includes(version)) expect(k.pod_memory_limit_overwrite_max_allowed).toBe('16Gi');
    }, 180_000);

    test('the runner before 18.10 ignores the pod-level keys, as VER001 says', () => {
      const d = decode('18.9.0', [files.get('19.4.0')!]).get(files.get('19.4.0')!)!;
      const undecoded = d.problems.filter((p) => p.startsWith('UNDECODED')).join('\n');
      for (const key of ['pod_cpu_request', 'pod_cpu_limit', 'pod_memory_request', 'pod_memory_limit']) expect(undecoded).toContain(key);
      expect(d.problems.every((p) => p.startsWith('UNDECODED') && /pod_(cpu|memory)_/.test(p))).toBe(true);
    }, 180_000);

    test('a weight beyond int32 in the escape hatch would be refused by the runner; the typed prop refuses it first', () => {
      const file = path.join(work, 'int32.toml');
      fs.writeFileSync(file, fs.readFileSync(files.get('19.4.0')!, 'utf8').replace('weight = 100', 'weight = 3000000000'));
      expect(decode('19.4.0', [file]).get(file)!.problems.join('\n')).toMatch(/^ERROR/m);
      expect(errorOf(() => fleet('19.4.0', { nodeAffinity: { preferred: [{ weight: 3_000_000_000, preference: { matchExpressions: [{ key: 'a', operator: NodeSelectorOperator.EXISTS }] } }] } })))
        .toMatch(/nodeAffinity\.preferred\[0\]\.weight.*3000000000 is not a preferred-term weight/s);
    }, 180_000);
  });
}

describe('the job pod preview', () => {
  test('shows the affinity, the classes, pull Secrets, grace period and pod-level resources, and is schema-valid', () => {
    const { jobs, runner } = fleet('19.4.0', everything('19.4.0'));
    const pod = jobs.previewPod();
    expect(findManifestProblems([pod])).toEqual([]);
    expect(pod.spec).toMatchObject({
      runtimeClassName: 'gvisor',
      priorityClassName: 'ci-low',
      terminationGracePeriodSeconds: 45,
      imagePullSecrets: [{ name: 'registry-credentials' }, { name: 'mirror-credentials' }],
      resources: { requests: { cpu: '3', memory: '6Gi' }, limits: { cpu: '4', memory: '8Gi' } },
    });
    expect(pod.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions)
      .toEqual([{ key: 'pool', operator: 'In', values: ['ci', 'ci-large'] }, { key: 'spot', operator: 'DoesNotExist' }]);
    expect(pod.spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution).toEqual([
      { weight: 100, preference: { matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] } },
    ]);
    expect(keysNotPreviewed(runner._toModel().jobPod)).toEqual([]);
  });

  test('the schema check can fail: a preview with an unknown field is refused', () => {
    const pod = fleet('19.4.0', everything('19.4.0')).jobs.previewPod();
    pod.spec.affinity.nodeAffinity.requiredDuringScheduling = {};
    expect(findManifestProblems([pod]).join('\n')).toMatch(/requiredDuringScheduling/);
  });

  test('with useServiceAccountImagePullSecrets the runner sends no pull Secrets of its own', () => {
    const pod = fleet('19.4.0', { useServiceAccountImagePullSecrets: true }).jobs.previewPod();
    expect(pod.spec.imagePullSecrets).toBeUndefined();
    const withExtra = fleet('19.4.0', { useServiceAccountImagePullSecrets: true, extraConfig: {} }).jobs.previewPod();
    expect(withExtra.spec.imagePullSecrets).toBeUndefined();
  });

  test('pod affinity from the escape hatch is listed as not previewed', () => {
    const { runner } = fleet('19.4.0', { extraConfig: { affinity: { pod_anti_affinity: { preferred_during_scheduling_ignored_during_execution: [{ weight: 1, pod_affinity_term: { topology_key: 'kubernetes.io/hostname' } }] } } } });
    expect(keysNotPreviewed(runner._toModel().jobPod)).toEqual(['affinity.pod_anti_affinity']);
  });
});

describe('the capacity model', () => {
  const labelled = (name: string, labels: Record<string, string>) => pool({ name, labels });

  test('required node affinity decides which pools are eligible; preferred terms do not', () => {
    const job = fleet('19.4.0', {
      nodeAffinity: {
        required: [
          { matchExpressions: [{ key: 'pool', operator: NodeSelectorOperator.IN, values: ['ci'] }, { key: 'spot', operator: NodeSelectorOperator.DOES_NOT_EXIST }] },
          { matchExpressions: [{ key: 'cores', operator: NodeSelectorOperator.GT, values: ['15'] }] },
        ],
        preferred: [{ weight: 50, preference: { matchExpressions: [{ key: 'pool', operator: NodeSelectorOperator.IN, values: ['never'] }] } }],
      },
    }).jobs._toModel();
    // Term 1: pool=ci and no spot label. Term 2: cores > 15. Terms are ORed.
    expect(eligibility(job, labelled('ci', { pool: 'ci' })).eligible).toBe(true);
    expect(eligibility(job, labelled('ci-spot', { pool: 'ci', spot: 'true' })).eligible).toBe(false);
    expect(eligibility(job, labelled('big', { pool: 'general', cores: '16' })).eligible).toBe(true);
    expect(eligibility(job, labelled('small', { pool: 'general', cores: '15' })).eligible).toBe(false);
    const excluded = eligibility(job, labelled('web', { pool: 'web' }));
    expect(excluded.excludedBy).toEqual(['nodeAffinity']);
    expect(excluded.reasons).toEqual(['the node labels match no term of the required node affinity (nodeAffinity.required)']);
    // Preferred alone restricts nothing.
    const preferredOnly = fleet('19.4.0', { nodeAffinity: { preferred: [{ weight: 1, preference: { matchExpressions: [{ key: 'pool', operator: NodeSelectorOperator.IN, values: ['never'] }] } }] } }).jobs._toModel();
    expect(eligibility(preferredOnly, labelled('web', { pool: 'web' })).eligible).toBe(true);
  });

  test('pod-level requests replace the containers\' sum; the overwrite maxima size the worst case', () => {
    const resources = { cpu: { request: '500m' }, memory: { request: '1Gi' } };
    const props: JobPodTemplateProps = {
      buildResources: resources,
      helper: { resources: { cpu: { request: '100m' }, memory: { request: '128Mi' } } },
      podResources: { cpu: { request: '2', maxRequest: '3' }, memory: { limit: '4Gi', maxLimit: '6Gi' } },
    };
    const job = fleet('19.4.0', props).jobs._toModel();
    const containersOnly = fleet('19.4.0', { ...props, podResources: undefined }).jobs._toModel();
    // By hand: containers build 500m + helper 100m = 600m CPU (init-permissions 100m is below), 1Gi + 128Mi = 1152Mi.
    expect(podShape(containersOnly, { runtimeClasses: {} }).request).toMatchObject({ cpu: Quantity._nanosOf('600m'), memory: Quantity._nanosOf('1152Mi') });
    // Pod-level: CPU request 2 replaces 600m; memory has only a limit, 4Gi, which is then also the request.
    const shape = podShape(job, { runtimeClasses: {} });
    expect(shape.request).toMatchObject({ cpu: Quantity._nanosOf('2'), memory: Quantity._nanosOf('4Gi') });
    expect(shape.limit.memory).toBe(Quantity._nanosOf('4Gi'));
    // Worst case (jobs raise to the maxima): CPU 3, memory limit (and so request) 6Gi.
    const worst = podShape(job, { runtimeClasses: {} }, true);
    expect(worst.request).toMatchObject({ cpu: Quantity._nanosOf('3'), memory: Quantity._nanosOf('6Gi') });
    // RuntimeClass overhead from the typed prop adds to the pod-level figure: 2 + 250m.
    const sandboxed = fleet('19.4.0', { ...props, runtimeClassName: 'gvisor' }).jobs._toModel();
    expect(podShape(sandboxed, { runtimeClasses: { gvisor: { cpu: Quantity._nanosOf('250m'), memory: 0n, ephemeralStorage: 0n } } }).request.cpu).toBe(Quantity._nanosOf('2250m'));
  });
});

describe('the capacity model, a whole budget', () => {
  test('affinity and pod-level requests decide the schedulable count (worked by hand)', () => {
    const props: JobPodTemplateProps = {
      buildResources: { cpu: { request: '500m' }, memory: { request: '1Gi' } },
      helper: { resources: { cpu: { request: '100m' }, memory: { request: '128Mi' } } },
      nodeAffinity: { required: [{ matchExpressions: [{ key: 'pool', operator: NodeSelectorOperator.IN, values: ['ci'] }] }] },
      podResources: { cpu: { request: '2', maxRequest: '4' } },
    };
    const { runner } = fleet('19.4.0', props, { concurrent: 10 });
    const m = runner._toModel();
    // ci: 3 nodes × 8 CPU, 32Gi; web: 10 nodes, excluded by the affinity.
    const b = budget([pool({ name: 'ci', nodes: 3, labels: { pool: 'ci' } }), pool({ name: 'web', nodes: 10, labels: { pool: 'web' } })]);
    const c = evaluateBudget(b, [m]).managers[0];
    expect(c.pools.map((p) => [p.pool, p.eligible, p.excludedBy])).toEqual([['ci', true, []], ['web', false, ['nodeAffinity']]]);
    // Per ci node: CPU ⌊8 ÷ 2⌋ = 4 (memory ⌊32Gi ÷ 1152Mi⌋ = 28), so 3 × 4 = 12 pods. Worst case CPU 4: 3 × 2 = 6.
    expect(c.pools[0].byRequests).toEqual({ count: 4, binding: 'cpu' });
    expect(c.schedulable).toBe(12);
    expect(c.worstCaseSchedulable).toBe(6);
    // Without pod-level resources the containers' 600m give ⌊8 ÷ 0.6⌋ = 13 per node, 39 in all.
    const plain = evaluateBudget(b, [fleet('19.4.0', { ...props, podResources: undefined }, { concurrent: 10 }).runner._toModel()]).managers[0];
    expect(plain.schedulable).toBe(39);
  });
});

describe('bad input', () => {
  test.each<[string, JobPodTemplateProps, RegExp]>([
    ['In without values', { nodeAffinity: { required: [{ matchExpressions: [{ key: 'pool', operator: NodeSelectorOperator.IN }] }] } }, /nodeAffinity\.required\[0\]\.matchExpressions\[0\]\.values.*operator In needs at least one value/s],
    ['Exists with values', { nodeAffinity: { required: [{ matchExpressions: [{ key: 'pool', operator: NodeSelectorOperator.EXISTS, values: ['ci'] }] }] } }, /matchExpressions\[0\]\.values.*operator Exists takes no values, but 1 is given/s],
    ['Gt with two values', { nodeAffinity: { required: [{ matchExpressions: [{ key: 'cores', operator: NodeSelectorOperator.GT, values: ['1', '2'] }] }] } }, /operator Gt needs exactly one integer value/],
    ['Lt with a non-integer', { nodeAffinity: { required: [{ matchExpressions: [{ key: 'cores', operator: NodeSelectorOperator.LT, values: ['1.5'] }] }] } }, /operator Lt needs exactly one integer value/],
    ['an unknown operator', { nodeAffinity: { required: [{ matchExpressions: [{ key: 'pool', operator: 'in' as NodeSelectorOperator, values: ['ci'] }] }] } }, /'in' is not a node selector operator.*use NodeSelectorOperator/s],
    ['an empty required term', { nodeAffinity: { required: [{}] } }, /nodeAffinity\.required\[0\].*has no requirements/s],
    ['a match field other than metadata.name', { nodeAffinity: { required: [{ matchFields: [{ key: 'spec.unschedulable', operator: NodeSelectorOperator.IN, values: ['false'] }] }] } }, /matchFields\[0\]\.key.*only metadata\.name/s],
    ['weight 0', { nodeAffinity: { preferred: [{ weight: 0, preference: { matchExpressions: [{ key: 'a', operator: NodeSelectorOperator.EXISTS }] } }] } }, /preferred\[0\]\.weight.*1 to 100/s],
    ['weight 101', { nodeAffinity: { preferred: [{ weight: 101, preference: {} }] } }, /101 is not a preferred-term weight/],
    ['a RuntimeClass name that is no DNS subdomain', { runtimeClassName: 'gVisor_1' }, /runtimeClassName.*'gVisor_1' is not a valid RuntimeClass name.*DNS-1123 subdomain/s],
    ['a PriorityClass name that is no DNS subdomain', { priorityClassName: 'Low Priority' }, /priorityClassName.*not a valid PriorityClass name/s],
    ['a pull Secret name that is no DNS subdomain', { imagePullSecrets: ['Registry'] }, /imagePullSecrets\[0\].*'Registry' is not a Secret name/s],
    ['pull Secrets the runner would drop', { imagePullSecrets: ['registry'], useServiceAccountImagePullSecrets: true }, /imagePullSecrets.*sends no image pull Secrets of its own/s],
    ['a fractional grace period', { podTerminationGracePeriod: Duration.millis(1500) }, /podTerminationGracePeriod.*1\.5s is not a whole number of seconds/s],
    ['a lookahead allowlist', { overwriteAllowed: { namespace: '^(?!kube-).*' } }, /overwriteAllowed\.namespace.*lookahead and lookbehind.*Go's regexp \(RE2\)/s],
    ['a backreference allowlist', { overwriteAllowed: { podLabels: '^(a)\\1$' } }, /overwriteAllowed\.podLabels.*\\1 is a backreference/s],
    ['pod-level ephemeral storage', { podResources: { ephemeralStorage: { request: '1Gi' } } as any }, /podResources\.ephemeralStorage.*no pod-level ephemeral storage/s],
    ['a pod-level quantity that does not parse', { podResources: { memory: { request: '1 GB' } } }, /podResources\.memory\.request.*not a non-negative Kubernetes quantity/s],
    ['a key set twice', { runtimeClassName: 'gvisor', extraConfig: { runtime_class_name: 'kata' } }, /extraConfig\.runtime_class_name.*set both by runtimeClassName and by extraConfig/s],
  ])('%s', (_name, props, expected) => {
    const message = errorOf(() => new JobPodTemplate(new Chart(new App(), 'c'), 'Jobs', props));
    expect(message).toMatch(/c\/Jobs/);
    expect(message).toMatch(expected);
  });
});

describe('RE2 syntax, as Go\'s regexp.Compile decides it', () => {
  const PATTERNS = [
    '^ci-.*$', '^ci-(build|deploy)$', '(?i)^CI$', '(?P<name>a)', '[[:alpha:]]+', '\\pL+', '\\p{Greek}', '\\Qa.b\\E', '\\A\\z',
    'a{2,1000}', 'a*?', '\\12', '[a-z\\]]', '^*', 'a|b', '\\.', '(?s:.)',
    '(?=a)', '(?!a)', '(?<=a)b', '(?<!a)b', '(?>a)', '(a)\\1', '\\k<n>', 'a**', 'a++', 'a{2}+', 'a{1001}', 'a{3,2}', '*a', '(*a)', 'a|*',
    '(a', 'a)', '[a', '\\', '\\Z', '\\y', '(?x)a', '\\8',
  ];

  test('(?<name>...) is accepted: the runner is built with Go 1.24 and later (go.mod of v18.3.0), whose regexp takes it (since Go 1.22)', () => {
    // The Go on this machine may be older, so this one is not compared with it.
    expect(re2Problem('(?<name>a)')).toBeUndefined();
    expect(re2Problem('(?<=a)')).toMatch(/lookbehind/);
  });

  test('the check agrees with Go for every pattern', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 're2-'));
    fs.writeFileSync(path.join(dir, 'main.go'), `package main

import (
	"bufio"
	"fmt"
	"os"
	"regexp"
)

func main() {
	s := bufio.NewScanner(os.Stdin)
	for s.Scan() {
		_, err := regexp.Compile(s.Text())
		fmt.Println(err == nil)
	}
}
`);
    const go = spawnSync('go', ['version'], { encoding: 'utf8' });
    if (go.status !== 0) {
      if (process.env.CI === 'true') throw new Error('Go is missing: CI must run the RE2 conformance check.');
      console.warn('RE2 conformance check not run: Go is missing (in CI this fails).');
      return;
    }
    const r = spawnSync('go', ['run', path.join(dir, 'main.go')], { input: PATTERNS.join('\n') + '\n', encoding: 'utf8', env: { ...process.env, GO111MODULE: 'off', GOFLAGS: '' }, timeout: 120_000 });
    expect(r.stderr).toBe('');
    const accepted = r.stdout.trim().split('\n').map((l) => l === 'true');
    expect(accepted).toHaveLength(PATTERNS.length);
    const disagreements = PATTERNS.filter((p, i) => (re2Problem(p) === undefined) !== accepted[i])
      .map((p) => `${p}: Go ${accepted[PATTERNS.indexOf(p)] ? 'accepts' : 'refuses'}, the check says ${re2Problem(p) ?? 'fine'}`);
    expect(disagreements).toEqual([]);
    // Both verdicts occur, so the comparison can fail either way.
    expect(accepted.filter((a) => a).length).toBeGreaterThan(5);
    expect(accepted.filter((a) => !a).length).toBeGreaterThan(5);
  }, 120_000);
});

describe('warnings', () => {
  const ids = (runner: RunnerManager) => evaluateRules({ manager: runner._toModel() }).map((f) => f.ruleId);

  test('SEC004: jobs may bring their own bearer token', () => {
    const f = evaluateRules({ manager: fleet('19.4.0', { overwriteAllowed: { bearerToken: true } }).runner._toModel() }).find((x) => x.ruleId === 'SEC004');
    expect(f).toMatchObject({ path: 'f-19-4-0/Jobs', field: 'overwriteAllowed.bearerToken', severity: 'warning' });
    expect(f!.message).toMatch(/KUBERNETES_BEARER_TOKEN/);
    expect(ids(fleet('19.4.0', { overwriteAllowed: { bearerToken: false } }).runner)).not.toContain('SEC004');
    // The escape hatch's key counts the same, named as the user wrote it.
    expect(evaluateRules({ manager: fleet('19.4.0', { extraConfig: { bearer_token_overwrite_allowed: true } }).runner._toModel() }).find((x) => x.ruleId === 'SEC004')!.field)
      .toBe('extraConfig.bearer_token_overwrite_allowed');
  });

  test('RES009: pod-level resources need the PodLevelResources feature gate', () => {
    const f = evaluateRules({ manager: fleet('19.4.0', { podResources: { memory: { limit: '4Gi' } } }).runner._toModel() }).find((x) => x.ruleId === 'RES009');
    expect(f).toMatchObject({ field: 'podResources', severity: 'warning' });
    expect(f!.message).toMatch(/'pod_memory_limit'.*PodLevelResources/);
    expect(ids(fleet('19.4.0', {}).runner)).not.toContain('RES009');
  });

  test('SVC004: resources declared on the DinD service apply to every service, and the message names them', () => {
    const chart = new Chart(new App(), 'c');
    const dind = new DindService(chart, 'Dind', { resources: { cpu: { request: '1' } } });
    const db = new JobService(chart, 'Postgres', { image: 'postgres:16', alias: 'db' });
    const jobs = new JobPodTemplate(chart, 'Jobs', { services: [dind, db] });
    const runner = new RunnerManager(chart, 'Runner', { gitlabUrl: 'https://gitlab.example.com/', token: RunnerToken.fromSecret('t'), image: 'gitlab/gitlab-runner:v19.4.0', jobPod: jobs });
    const f = evaluateRules({ manager: runner._toModel() }).find((x) => x.ruleId === 'SVC004');
    expect(f).toMatchObject({ path: 'c/Jobs', field: 'services.Dind.resources', severity: 'warning' });
    expect(f!.message).toMatch(/declared on c\/Dind also apply to 'c\/Postgres \('postgres:16', container db\)'/);
    // Declared once for all with serviceResources: no warning.
    const chart2 = new Chart(new App(), 'd');
    const jobs2 = new JobPodTemplate(chart2, 'Jobs', { serviceResources: { cpu: { request: '1' } }, services: [new DindService(chart2, 'Dind'), new JobService(chart2, 'Postgres', { image: 'postgres:16', alias: 'db' })] });
    const runner2 = new RunnerManager(chart2, 'Runner', { gitlabUrl: 'https://gitlab.example.com/', token: RunnerToken.fromSecret('t'), image: 'gitlab/gitlab-runner:v19.4.0', jobPod: jobs2 });
    expect(ids(runner2)).not.toContain('SVC004');
  });

  test('VER002: FF_USE_FASTZIP, deprecated in 19.4, warns from featureFlags and from environment', () => {
    const fromFlags = evaluateRules({ manager: fleet('19.4.0', {}, { featureFlags: { FF_USE_FASTZIP: true } }).runner._toModel() }).filter((x) => x.ruleId === 'VER002');
    expect(fromFlags.map((x) => x.field)).toEqual(['featureFlags.FF_USE_FASTZIP']);
    const fromEnv = evaluateRules({ manager: fleet('19.4.0', {}, { environment: { FF_USE_FASTZIP: 'true' } }).runner._toModel() }).filter((x) => x.ruleId === 'VER002');
    expect(fromEnv.map((x) => x.field)).toEqual(['environment.FF_USE_FASTZIP']);
    expect(fromEnv[0].message).toMatch(/deprecated since GitLab Runner 19\.4\.0/);
    // The runner's [runners.feature_flags] wins over a variable: one warning, on featureFlags.
    const both = evaluateRules({ manager: fleet('19.4.0', {}, { featureFlags: { FF_USE_FASTZIP: true }, environment: { FF_USE_FASTZIP: 'true' } }).runner._toModel() }).filter((x) => x.ruleId === 'VER002');
    expect(both.map((x) => x.field)).toEqual(['featureFlags.FF_USE_FASTZIP']);
    expect(evaluateRules({ manager: fleet('18.9.0', {}, { environment: { FF_USE_FASTZIP: 'true' } }).runner._toModel() }).filter((x) => x.ruleId === 'VER002')).toEqual([]);
  });
});

describe('the Helm values, rendered by the real helm and chart', () => {
  // Registers a test that fails under CI=true when helm or the chart is missing.
  if (!requireRealHelm()) return;
  test('carry every typed key in runners.config, the same as the native ConfigMap\'s config.toml', () => {
    // Without the namespace allowlist, which RBAC002 refuses at synth (the manager's Role is granted in one namespace).
    const props = everything('19.4.0');
    const { chart, runner } = fleet('19.4.0', { ...props, overwriteAllowed: { ...props.overwriteAllowed, namespace: undefined } });
    const manifests = Testing.synth(chart);
    const nativeToml = manifests.find((o) => o.kind === 'ConfigMap' && o.data?.['config.toml'] !== undefined)!.data['config.toml'];
    const model = runner._toModel();
    const objects = helmTemplate(renderHelmValues(model, {}), { releaseName: 'runner', namespace: 'runners' });
    const configMap = objects.find((o) => o.kind === 'ConfigMap' && o.data?.['config.template.toml'] !== undefined)!;
    const fromChart = (parseToml(configMap.data['config.template.toml']) as any).runners[0].kubernetes;
    const native = (parseToml(nativeToml) as any).runners[0].kubernetes;
    expect(fromChart).toEqual(native);
    expect(findManifestProblems(objects as any)).toEqual([]);
    expect(fromChart.affinity.node_affinity.preferred_during_scheduling_ignored_during_execution[0].weight).toBe(100);
    expect(fromChart.pod_cpu_limit_overwrite_max_allowed).toBe('8');
  }, 120_000);
});
