import { Chart, Duration, Testing } from 'cdk8s';
import { parse } from 'smol-toml';
import { validateManifests } from './k8s-schema';
import { DindService, JobPodTemplate, RunnerManager, RunnerManagerProps, RunnerToken } from '../src';
import { declared } from './declared';
import { Severity } from '../src/model/finding';
import { TaintEffect } from '../src/model/taint-effect';

const GITLAB = 'https://gitlab.example.com/';

interface Built {
  readonly chart: Chart;
  readonly manager: RunnerManager;
  readonly manifests: any[];
  readonly toml: any;
  readonly kind: (kind: string) => any[];
}

function build(props: Partial<RunnerManagerProps> = {}, jobProps: Record<string, unknown> = {}, chartNamespace: string | null = 'ci'): Built {
  const chart = new Chart(Testing.app(), 'test', { namespace: chartNamespace ?? undefined });
  // The prop errors of the declaration, as a FleetConfigError (synth would report them all at once).
  const manager = declared(() => {
    const jobPod = new JobPodTemplate(chart, 'Jobs', jobProps);
    return new RunnerManager(chart, 'Runner', { gitlabUrl: GITLAB, token: RunnerToken.fromSecret('runner-secret', 'token'), jobPod, ...props });
  });
  const manifests = Testing.synth(chart);
  return { chart, manager, manifests, toml: parse(manager.configToml), kind: (kind) => manifests.filter((m) => m.kind === kind) };
}

describe('objects', () => {
  test('ServiceAccount, Role, RoleBinding, ConfigMap and Deployment, named after the manager', () => {
    const { manifests } = build({ name: 'ci-runner' });
    expect(manifests.map((m) => `${m.apiVersion} ${m.kind} ${m.metadata.name}`)).toEqual([
      'v1 ServiceAccount ci-runner',
      'rbac.authorization.k8s.io/v1 Role ci-runner',
      'rbac.authorization.k8s.io/v1 RoleBinding ci-runner',
      'v1 ConfigMap ci-runner-config',
      'apps/v1 Deployment ci-runner',
    ]);
  });

  test('every object validates against the Kubernetes schema, the metrics Service included', () => {
    validateManifests(build({ metricsService: true, tolerations: [{ key: 'dedicated', value: 'ci', effect: TaintEffect.NO_SCHEDULE }, { key: 'x' }], nodeSelector: { 'kubernetes.io/os': 'linux' } }).manifests);
  });

  test('the name defaults to one derived from the construct path', () => {
    const { manager, manifests, toml } = build();
    expect(manager.name).toBe('test-runner');
    expect(manifests.find((m) => m.kind === 'Deployment').metadata.name).toBe('test-runner');
    expect(toml.runners[0].name).toBe('test-runner');
  });

  test('all objects carry the app labels; the selector uses the stable ones', () => {
    const { manifests, kind } = build({ name: 'r' });
    for (const m of manifests) {
      expect(m.metadata.labels).toEqual({ 'app.kubernetes.io/name': 'gitlab-runner', 'app.kubernetes.io/instance': 'r', 'app.kubernetes.io/managed-by': 'cdk8s-gitlab-runner' });
    }
    const spec = kind('Deployment')[0].spec;
    expect(spec.selector.matchLabels).toEqual({ 'app.kubernetes.io/name': 'gitlab-runner', 'app.kubernetes.io/instance': 'r' });
    expect(spec.template.metadata.labels).toEqual(spec.selector.matchLabels);
  });
});

describe('namespaces', () => {
  test("everything in the chart's namespace by default, jobs too", () => {
    const { manifests, manager, toml } = build();
    expect(manager.namespace).toBe('ci');
    expect(new Set(manifests.map((m) => m.metadata.namespace))).toEqual(new Set(['ci']));
    expect(toml.runners[0].kubernetes.namespace).toBe('ci');
  });

  test('default without a chart namespace', () => {
    const { manager, kind } = build({}, {}, null);
    expect(manager.namespace).toBe('default');
    expect(kind('Deployment')[0].metadata.namespace).toBe('default');
  });

  test('the Role and RoleBinding live in the job namespace; the subject is the ServiceAccount in the manager namespace', () => {
    const { kind } = build({ name: 'r', namespace: 'managers' }, { namespace: 'jobs' });
    expect(kind('ServiceAccount')[0].metadata.namespace).toBe('managers');
    expect(kind('ConfigMap')[0].metadata.namespace).toBe('managers');
    expect(kind('Deployment')[0].metadata.namespace).toBe('managers');
    expect(kind('Role')[0].metadata.namespace).toBe('jobs');
    const binding = kind('RoleBinding')[0];
    expect(binding.metadata.namespace).toBe('jobs');
    expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'r' });
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'r', namespace: 'managers' }]);
  });
});

describe('defaults', () => {
  const { toml, kind } = build();
  const deployment = kind('Deployment')[0];
  const pod = deployment.spec.template.spec;
  const container = pod.containers[0];

  test('one replica, concurrent 1, check_interval 3, shutdown_timeout 30', () => {
    expect(deployment.spec.replicas).toBe(1);
    expect(toml).toMatchObject({ concurrent: 1, check_interval: 3, shutdown_timeout: 30 });
  });

  test("the chart version's official image", () => {
    expect(container.image).toBe('registry.gitlab.com/gitlab-org/gitlab-runner:alpine-v18.9.0');
    expect(pod.initContainers[0].image).toBe(container.image);
  });

  test('no surge during rollouts (the job slots would double), one pod unavailable at a time', () => {
    expect(deployment.spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } });
  });

  test('an hour for running jobs to finish on shutdown', () => {
    expect(pod.terminationGracePeriodSeconds).toBe(3600);
  });

  test('manager resources, user 100, group 65533', () => {
    expect(container.resources).toEqual({ requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '1', memory: '512Mi' } });
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 100, fsGroup: 65533 });
  });

  test('no limit, request_concurrency, environment or feature flags unless set', () => {
    expect(toml.runners[0]).not.toHaveProperty('limit');
    expect(toml.runners[0]).not.toHaveProperty('request_concurrency');
    expect(toml.runners[0]).not.toHaveProperty('environment');
    expect(toml.runners[0]).not.toHaveProperty('feature_flags');
  });

  test('no node selector or tolerations on the manager pod unless set', () => {
    expect(pod).not.toHaveProperty('nodeSelector');
    expect(pod).not.toHaveProperty('tolerations');
  });
});

describe('config.toml', () => {
  test('the global keys and one [[runners]] entry with the token placeholder, never the token', () => {
    const { manager, toml } = build({ name: 'r', concurrent: 4, checkInterval: Duration.seconds(10), shutdownTimeout: Duration.minutes(2) });
    expect(toml).toMatchObject({ concurrent: 4, check_interval: 10, shutdown_timeout: 120, listen_address: ':9252' });
    expect(toml.runners).toHaveLength(1);
    expect(toml.runners[0]).toMatchObject({ name: 'r', url: GITLAB, token: 'written-at-pod-start-from-the-secret', executor: 'kubernetes' });
    // One line exactly like this: the init container replaces it (test/init-script.test.ts runs that script).
    expect(manager.configToml.split('\n').filter((l) => l.startsWith('token'))).toEqual(['token = "written-at-pod-start-from-the-secret"']);
    expect(manager.configToml).not.toContain('$');
    expect(manager.configToml.endsWith('\n')).toBe(true);
    expect(manager.configToml.endsWith('\n\n')).toBe(false);
  });

  test('the ConfigMap holds exactly configToml', () => {
    const { manager, kind } = build();
    expect(kind('ConfigMap')[0].data).toEqual({ 'config.toml': manager.configToml });
  });

  test('limit, request_concurrency and sorted feature flags', () => {
    const { toml } = build({ limit: 20, requestConcurrency: 3, featureFlags: { FF_TIMESTAMPS: true, FF_PRINT_POD_EVENTS: false } });
    expect(toml.runners[0]).toMatchObject({ limit: 20, request_concurrency: 3 });
    expect(Object.entries(toml.runners[0].feature_flags)).toEqual([['FF_PRINT_POD_EVENTS', false], ['FF_TIMESTAMPS', true]]);
  });

  test('environment: what the DinD service needs plus the user variables, sorted', () => {
    const chart = new Chart(Testing.app(), 'test', { namespace: 'ci' });
    const jobPod = new JobPodTemplate(chart, 'Jobs', { services: [new DindService(chart, 'Dind', { tls: false })] });
    const manager = new RunnerManager(chart, 'Runner', { gitlabUrl: GITLAB, token: RunnerToken.fromSecret('s'), jobPod, environment: { GIT_DEPTH: '10', A_FIRST: 'x=y' } });
    expect((parse(manager.configToml) as any).runners[0].environment).toEqual(['A_FIRST=x=y', 'DOCKER_HOST=tcp://docker:2375', 'DOCKER_TLS_CERTDIR=', 'GIT_DEPTH=10']);
  });

  test('review files named after the manager: its config.toml and its Helm values', () => {
    const { manager } = build({ name: 'ci-runner' });
    const files = manager._extraFiles();
    expect(files.map((f) => f.fileName)).toEqual(['ci-runner.config.toml', 'ci-runner.values.yaml']);
    expect(files[0].content).toBe(manager.configToml);
    expect(files[1].content).toContain('gitlab-runner Helm chart 0.86.0');
  });
});

describe('shutdown', () => {
  test('a preStop hook asks the runner for a graceful stop (SIGQUIT) and waits, within the grace period', () => {
    const { kind } = build({ terminationGracePeriod: Duration.minutes(90) });
    const pod = kind('Deployment')[0].spec.template.spec;
    const command = pod.containers[0].lifecycle.preStop.exec.command;
    expect(command.slice(0, 2)).toEqual(['/bin/sh', '-c']);
    // SIGTERM would abort every running job; SIGQUIT lets them finish.
    expect(command[2]).toMatch(/^kill -QUIT 1; while kill -0 1/);
    expect(pod.containers[0].command).toEqual(['gitlab-runner']); // so PID 1 is the runner that receives it
    expect(pod.terminationGracePeriodSeconds).toBe(5400);
  });
});

describe('the token', () => {
  test('reaches only the init container, as a file of a Secret volume, and is written into the memory-backed config copy', () => {
    const { kind, manifests } = build();
    const pod = kind('Deployment')[0].spec.template.spec;
    expect(pod.volumes).toContainEqual({ name: 'runner-token', secret: { secretName: 'runner-secret', items: [{ key: 'token', path: 'runner-token' }], defaultMode: 0o440 } });
    expect(pod.volumes).toContainEqual({ name: 'config', emptyDir: { medium: 'Memory', sizeLimit: '1Mi' } });
    const init = pod.initContainers[0];
    expect(init.volumeMounts).toContainEqual({ name: 'runner-token', mountPath: '/secrets', readOnly: true });
    expect(init.volumeMounts).toContainEqual({ name: 'config', mountPath: '/home/gitlab-runner/.gitlab-runner' });
    expect(init.env).toEqual([
      { name: 'CONFIG_TEMPLATE', value: '/configmaps/config.toml' },
      { name: 'TOKEN_FILE', value: '/secrets/runner-token' },
      { name: 'CONFIG_FILE', value: '/home/gitlab-runner/.gitlab-runner/config.toml' },
    ]);
    // The runner reads config.toml from the same memory-backed volume; it never sees the Secret itself.
    expect(pod.containers[0]).not.toHaveProperty('env');
    expect(pod.containers[0].volumeMounts.map((v: any) => v.name)).not.toContain('runner-token');
    expect(pod.containers[0].volumeMounts).toContainEqual({ name: 'config', mountPath: '/home/gitlab-runner/.gitlab-runner' });
    expect(pod.containers[0].args).toEqual(['run', '--config', '/home/gitlab-runner/.gitlab-runner/config.toml', '--working-directory', '/home/gitlab-runner']);
    expect(JSON.stringify(manifests).split('runner-secret').length - 1).toBe(1);
    expect(kind('Secret')).toEqual([]);
  });

  test('a pod label that reads like the token line is refused: the init container would not know where to write the token', () => {
    expect(() => build({}, { podLabels: { token: 'written-at-pod-start-from-the-secret' } })).toThrow(
      /\[test\/Runner\] token: config\.toml has 2 lines reading token = "written-at-pod-start-from-the-secret"/);
    expect(() => build({}, { podLabels: { token: 'other' } })).not.toThrow();
  });

  test('the init script has no tracing and no token in its command line', () => {
    const init = build().kind('Deployment')[0].spec.template.spec.initContainers[0];
    expect(init.command.slice(0, 2)).toEqual(['sh', '-c']);
    expect(init.command).toHaveLength(3);
    expect(init).not.toHaveProperty('args');
    expect(init.command[2]).not.toMatch(/set -[a-z]*x|set -o xtrace/);
    expect(init.command[2]).toMatch(/^set -eu\numask 077\n/);
  });

  test("fromSecret's key defaults to runner-token", () => {
    const token = RunnerToken.fromSecret('gitlab-runner');
    expect([token.secretName, token.key]).toEqual(['gitlab-runner', 'runner-token']);
  });
});

describe('metrics', () => {
  test('the container port, the probes and listen_address agree', () => {
    const { kind, toml } = build({ metricsPort: 9400 });
    const container = kind('Deployment')[0].spec.template.spec.containers[0];
    expect(toml.listen_address).toBe(':9400');
    expect(container.ports).toEqual([{ name: 'metrics', containerPort: 9400, protocol: 'TCP' }]);
    expect(container.livenessProbe.httpGet).toEqual({ path: '/metrics', port: 'metrics' });
    expect(container.readinessProbe.httpGet).toEqual({ path: '/metrics', port: 'metrics' });
  });

  test('no metrics Service unless asked', () => {
    expect(build().kind('Service')).toEqual([]);
  });

  test('the metrics Service selects the manager pods and targets the named port', () => {
    const { kind } = build({ name: 'r', metricsService: true, metricsPort: 9400 });
    const service = kind('Service')[0];
    const deployment = kind('Deployment')[0];
    expect(service.metadata.name).toBe('r-metrics');
    expect(service.spec).toEqual({ type: 'ClusterIP', selector: deployment.spec.selector.matchLabels, ports: [{ name: 'metrics', port: 9400, targetPort: 'metrics', protocol: 'TCP' }] });
  });
});

describe('the Deployment', () => {
  test('replicas, maxSurge, grace period, user and group from the props', () => {
    const { kind } = build({ replicas: 3, maxSurge: 1, terminationGracePeriod: Duration.minutes(90), runAsUser: 999, fsGroup: 999 });
    const d = kind('Deployment')[0];
    expect(d.spec.replicas).toBe(3);
    expect(d.spec.strategy.rollingUpdate.maxSurge).toBe(1);
    expect(d.spec.template.spec.terminationGracePeriodSeconds).toBe(5400);
    expect(d.spec.template.spec.securityContext).toMatchObject({ runAsUser: 999, fsGroup: 999 });
  });

  test('replicas 0 is allowed (a paused fleet)', () => {
    expect(build({ replicas: 0 }).kind('Deployment')[0].spec.replicas).toBe(0);
  });

  test('manager placement: node selector and tolerations (Exists without a value)', () => {
    const pod = build({
      nodeSelector: { 'kubernetes.io/os': 'linux' },
      tolerations: [{ key: 'dedicated', value: 'ci', effect: TaintEffect.NO_SCHEDULE }, { key: 'example.com/any' }],
    }).kind('Deployment')[0].spec.template.spec;
    expect(pod.nodeSelector).toEqual({ 'kubernetes.io/os': 'linux' });
    expect(pod.tolerations).toEqual([
      { key: 'dedicated', operator: 'Equal', value: 'ci', effect: 'NoSchedule' },
      { key: 'example.com/any', operator: 'Exists' },
    ]);
  });

  test('config.toml is copied into a writable emptyDir (the runner writes .runner_system_id beside it)', () => {
    const pod = build({ name: 'r' }).kind('Deployment')[0].spec.template.spec;
    expect(pod.volumes).toEqual(expect.arrayContaining([{ name: 'config-template', configMap: { name: 'r-config' } }]));
    const init = pod.initContainers[0];
    expect(init.env.find((e: any) => e.name === 'CONFIG_TEMPLATE').value).toBe('/configmaps/config.toml');
    expect(init.env.find((e: any) => e.name === 'CONFIG_FILE').value).toBe('/home/gitlab-runner/.gitlab-runner/config.toml');
    expect(pod.containers[0].args).toEqual(['run', '--config', '/home/gitlab-runner/.gitlab-runner/config.toml', '--working-directory', '/home/gitlab-runner']);
    expect(init.volumeMounts.map((m: any) => m.mountPath)).toEqual(['/configmaps', '/secrets', '/home/gitlab-runner/.gitlab-runner']);
    expect(pod.containers[0].volumeMounts.map((m: any) => m.mountPath)).toEqual(['/home/gitlab-runner', '/home/gitlab-runner/.gitlab-runner', '/tmp']);
  });

  test('the service account is the one the Role is bound to', () => {
    const { kind } = build({ name: 'r' });
    expect(kind('Deployment')[0].spec.template.spec.serviceAccountName).toBe(kind('RoleBinding')[0].subjects[0].name);
  });

  test('the config checksum annotation follows config.toml', () => {
    const a = build({ concurrent: 2 }).kind('Deployment')[0].spec.template.metadata.annotations['checksum/config'];
    const b = build({ concurrent: 3 }).kind('Deployment')[0].spec.template.metadata.annotations['checksum/config'];
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(a).not.toBe(b);
  });
});

describe('RBAC follows the feature flags and job settings', () => {
  const verbsOf = (b: Built, resource: string) => b.kind('Role')[0].rules.find((r: any) => r.resources[0] === resource)?.verbs;

  test('FF_PRINT_POD_EVENTS adds events watch', () => {
    expect(verbsOf(build(), 'events')).toEqual(['list']);
    expect(verbsOf(build({ featureFlags: { FF_PRINT_POD_EVENTS: true } }), 'events')).toEqual(['list', 'watch']);
  });

  test('the legacy execution strategy drops pods/attach', () => {
    expect(verbsOf(build(), 'pods/attach')).toBeDefined();
    expect(verbsOf(build({ featureFlags: { FF_USE_LEGACY_KUBERNETES_EXECUTION_STRATEGY: true } }), 'pods/attach')).toBeUndefined();
  });

  test('job settings in the escape hatch reach the Role', () => {
    const extraConfig = { print_pod_warning_events: false, resource_availability_check_max_attempts: 5, pod_disruption_budget: true };
    // pod_disruption_budget came with runner 18.11.0.
    const b = build({ image: 'registry.example.com/gitlab/gitlab-runner:alpine-v19.4.0' }, { extraConfig });
    expect(verbsOf(b, 'events')).toBeUndefined();
    expect(verbsOf(b, 'serviceaccounts')).toEqual(['get']);
    expect(verbsOf(b, 'poddisruptionbudgets')).toEqual(['create', 'get']);
  });
});

describe('the runner version', () => {
  const RUNNER = 'registry.example.com/gitlab/gitlab-runner';

  test.each([
    [`${RUNNER}:v18.3.0`, '18.3.0'],
    [`${RUNNER}:alpine-v18.9.0`, '18.9.0'],
    [`${RUNNER}:ubuntu-v19.4.0`, '19.4.0'],
    [`${RUNNER}:alpine3.21-v19.0.1`, '19.0.1'],
    [`registry.example.com:5000/gitlab-runner:v17.0.0@sha256:${'a'.repeat(64)}`, '17.0.0'],
  ])('is read from the image tag %s', (image, version) => {
    expect(build({ image }).manager.runnerVersion).toBe(version);
  });

  test('is the default image\'s 18.9.0 when no image is given', () => {
    expect(build().manager.runnerVersion).toBe('18.9.0');
  });

  test('runnerVersion names it when the tag does not, and may repeat the tag', () => {
    expect(build({ image: `${RUNNER}:latest`, runnerVersion: '18.3.0' }).manager.runnerVersion).toBe('18.3.0');
    expect(build({ image: `${RUNNER}@sha256:${'b'.repeat(64)}`, runnerVersion: 'v19.1.2' }).manager.runnerVersion).toBe('19.1.2');
    expect(build({ image: `${RUNNER}:v18.3.0`, runnerVersion: '18.3.0' }).manager.runnerVersion).toBe('18.3.0');
  });

  test.each<[string, Partial<RunnerManagerProps>, RegExp]>([
    ['an image tag without a version', { image: `${RUNNER}:latest` }, /\[test\/Runner\] runnerVersion: the image '.*:latest' has no version in its tag .* Fix: set runnerVersion to the GitLab Runner version the image holds \(supported: 17\.0\.0 to 19\.4\.0\.x\)/],
    ['a digest alone', { image: `${RUNNER}@sha256:${'c'.repeat(64)}` }, /runnerVersion: the image .* has no version in its tag/],
    ['a malformed runnerVersion', { image: `${RUNNER}:latest`, runnerVersion: '18.3' }, /runnerVersion: '18\.3' is not a GitLab Runner version\. Fix: give it as 'X\.Y\.Z'/],
    ['a runnerVersion of another type', { runnerVersion: 18 as unknown as string }, /runnerVersion: 18 is not a GitLab Runner version/],
    ['a runnerVersion contradicting the tag', { image: `${RUNNER}:v18.3.0`, runnerVersion: '18.9.0' }, /runnerVersion: runnerVersion '18\.9\.0' contradicts the image .*, whose tag says 18\.3\.0/],
    ['an image older than the oldest supported', { image: `${RUNNER}:v16.11.0` }, /\[test\/Runner\] image: GitLab Runner 16\.11\.0 is older than the versions this library knows .*\(17\.0\.0 to 19\.4\.0\.x\)/],
    ['a runnerVersion newer than the newest supported', { image: `${RUNNER}:latest`, runnerVersion: '19.5.0' }, /runnerVersion: GitLab Runner 19\.5\.0 is newer than .* or a newer release of this library/],
  ])('%s is refused at construction', (_what, props, expected) => {
    expect(() => build(props)).toThrow(expected);
  });

  test('a feature flag unknown to every version is refused at construction; one of another version is a synth error', () => {
    expect(() => build({ featureFlags: { FF_NO_SUCH_FLAG: true } })).toThrow(/featureFlags\.FF_NO_SUCH_FLAG: GitLab Runner has no feature flag 'FF_NO_SUCH_FLAG'/);
    const chart = new Chart(Testing.app(), 'test', { namespace: 'ci' });
    const manager = new RunnerManager(chart, 'Runner', {
      gitlabUrl: GITLAB,
      token: RunnerToken.fromSecret('s'),
      jobPod: new JobPodTemplate(chart, 'Jobs'),
      image: `${RUNNER}:v18.3.0`,
      featureFlags: { FF_CONCRETE: true, FF_RETRIEVE_POD_WARNING_EVENTS: true },
    });
    expect(manager._findings().filter((f) => f.ruleId === 'VER001').map((f) => [f.field, f.message])).toEqual([
      ['featureFlags.FF_CONCRETE', expect.stringContaining('GitLab Runner 18.3.0 has no feature flag FF_CONCRETE (added in 18.11.0)')],
      ['featureFlags.FF_RETRIEVE_POD_WARNING_EVENTS', expect.stringContaining('removed in 18.0.0')],
    ]);
    expect(() => Testing.synth(chart)).toThrow(/featureFlags\.FF_CONCRETE/);
    expect(build({ image: `${RUNNER}:v17.11.0`, featureFlags: { FF_RETRIEVE_POD_WARNING_EVENTS: true } }).manager._findings().filter((f) => f.ruleId === 'VER001')).toEqual([]);
  });
});

describe('config keys against the runner version', () => {
  const VERSIONED = 'registry.example.com/gitlab/gitlab-runner';

  function attempt(image: string, extraConfig: Record<string, unknown>) {
    const chart = new Chart(Testing.app(), 'test', { namespace: 'ci' });
    const jobPod = new JobPodTemplate(chart, 'Jobs', { extraConfig });
    const manager = new RunnerManager(chart, 'Runner', { gitlabUrl: GITLAB, token: RunnerToken.fromSecret('s'), jobPod, image });
    return { chart, findings: manager._findings().filter((f) => f.ruleId === 'VER001') };
  }

  test('pod_disruption_budget on v18.3.0 is refused, naming the version that introduced it', () => {
    const { chart, findings } = attempt(`${VERSIONED}:v18.3.0`, { pod_disruption_budget: true });
    expect(findings).toEqual([expect.objectContaining({
      severity: Severity.ERROR,
      path: 'test/Jobs',
      field: 'extraConfig.pod_disruption_budget',
      message: expect.stringContaining("GitLab Runner 18.3.0 (the manager's image 'registry.example.com/gitlab/gitlab-runner:v18.3.0') does not know config.toml key 'runners.kubernetes.pod_disruption_budget', added in 18.11.0"),
      fix: expect.stringContaining('run GitLab Runner 18.11.0 or newer'),
    })]);
    expect(() => Testing.synth(chart)).toThrow(/extraConfig\.pod_disruption_budget: .*added in 18\.11\.0/);
  });

  test('the same fleet on alpine-v19.4.0 accepts it', () => {
    const { chart, findings } = attempt(`${VERSIONED}:alpine-v19.4.0`, { pod_disruption_budget: true });
    expect(findings).toEqual([]);
    expect(() => Testing.synth(chart)).not.toThrow();
  });

  test('nested keys are found where they are, in tables and arrays of tables', () => {
    const extraConfig = {
      pod_security_context: { run_as_non_root: true, seccomp_profile: { type: 'RuntimeDefault' } },
      volumes: { nfs: [{ name: 'cache', server: 'nfs.example.com', path: '/cache', mount_path: '/cache' }], empty_dir: [{ name: 'x', mount_path: '/x', mount_propagation: 'None' }] },
    };
    expect(attempt(`${VERSIONED}:v18.3.0`, extraConfig).findings.map((f) => [f.field, f.message.match(/added in [\d.]+/)![0]])).toEqual([
      ['extraConfig.pod_security_context.seccomp_profile', 'added in 18.11.0'],
      ['extraConfig.volumes.nfs', 'added in 19.0.0'],
      ['extraConfig.volumes.empty_dir[0].mount_propagation', 'added in 19.0.0'],
    ]);
    expect(attempt(`${VERSIONED}:v19.0.0`, extraConfig).findings).toEqual([]);
  });

  test('keys of 17.x are known from their minor on', () => {
    expect(attempt(`${VERSIONED}:v17.1.0`, { print_pod_warning_events: true }).findings.map((f) => f.message)).toEqual([expect.stringContaining('added in 18.0.0')]);
    expect(attempt(`${VERSIONED}:v18.0.3`, { print_pod_warning_events: true }).findings).toEqual([]);
  });
});

describe('cross-construct findings', () => {
  function findingsOf(props: Partial<RunnerManagerProps>, jobProps: (c: Chart) => Record<string, unknown> = () => ({})) {
    const chart = new Chart(Testing.app(), 'test', { namespace: 'ci' });
    const jobPod = new JobPodTemplate(chart, 'Jobs', jobProps(chart));
    const manager = new RunnerManager(chart, 'Runner', { gitlabUrl: GITLAB, token: RunnerToken.fromSecret('s'), jobPod, ...props });
    return { chart, findings: manager._findings() };
  }

  test('an environment variable contradicting the DinD service is an error that fails synth', () => {
    const { chart, findings } = findingsOf({ environment: { DOCKER_HOST: 'tcp://localhost:2375' } }, (c) => ({ services: [new DindService(c, 'Dind')] }));
    expect(findings.filter((f) => f.severity === Severity.ERROR)).toEqual([expect.objectContaining({
      ruleId: 'DIND001', path: 'test/Runner', field: 'environment.DOCKER_HOST', fix: 'remove DOCKER_HOST from environment; the DindService sets it.',
    })]);
    expect(() => Testing.synth(chart)).toThrow(/\[test\/Runner\] DIND001 environment\.DOCKER_HOST: .*tcp:\/\/docker:2376/);
  });

  test('repeating what the DinD service sets is no error', () => {
    const { findings } = findingsOf({ environment: { DOCKER_HOST: 'tcp://docker:2376' } }, (c) => ({ services: [new DindService(c, 'Dind')] }));
    expect(findings.filter((f) => f.severity === Severity.ERROR)).toEqual([]);
  });

  test('a namespace per job is an error: the Role cannot create namespaces', () => {
    const { chart, findings } = findingsOf({}, () => ({ extraConfig: { namespace_per_job: true } }));
    expect(findings.filter((f) => f.severity === Severity.ERROR).map((f) => f.ruleId)).toEqual(['RBAC001']);
    expect(() => Testing.synth(chart)).toThrow(/namespace_per_job/);
  });
});
