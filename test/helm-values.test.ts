import { App, Chart, Testing } from 'cdk8s';
import { parse as parseToml } from 'smol-toml';
import { parse as parseYaml } from 'yaml';
import { seedFleet } from '../examples/seed-fleet/fleet';
import { JobPodTemplate, JobPodTemplateProps, RunnerManager, RunnerManagerProps, RunnerToken, Severity } from '../src';
import { escapeHelmTemplate, HELM_CHART_APP_VERSION, HELM_CHART_VERSION, HELM_LIVENESS_FAILURE_THRESHOLD, renderHelmValues, renderHelmValuesYaml, splitImage } from '../src/internal/render/helm-values';
import { helmFindings } from '../src/internal/rules/helm';
import type { ManagerModel } from '../src/model/manager';
import { TaintEffect } from '../src/model/taint-effect';

function seed(): { chart: Chart; manager: RunnerManager } {
  const chart = seedFleet(new App());
  const manager = chart.node.findAll().find((c): c is RunnerManager => c instanceof RunnerManager)!;
  return { chart, manager };
}

function build(props: Partial<RunnerManagerProps> = {}, job: JobPodTemplateProps = {}): { chart: Chart; manager: RunnerManager } {
  const chart = Testing.chart();
  const jobPod = new JobPodTemplate(chart, 'Jobs', { namespace: 'ci-jobs', ...job });
  const m = new RunnerManager(chart, 'Runner', {
    name: 'runner', namespace: 'ci', gitlabUrl: 'https://gitlab.example.com/', token: RunnerToken.fromSecret('runner-secret'), jobPod, ...props,
  });
  return { chart, manager: m };
}

const values = (m: RunnerManager) => renderHelmValues(m._toModel()) as any;
const nativeObject = (chart: Chart, kind: string) => Testing.synth(chart).find((o: any) => o.kind === kind);

/** What the chart's `tpl` makes of `runners.config`, for the one escape the renderer writes. */
const untemplate = (config: string) => config.replace(/\{\{"\{\{"\}\}/g, '{{');

describe('renderHelmValues, on the seed fleet', () => {
  const { chart, manager: seedManager } = seed();
  const v = values(seedManager);

  test('carries the fleet size and timings of the model', () => {
    expect(v.replicas).toBe(3);
    expect(v.concurrent).toBe(10);
    expect(v.checkInterval).toBe(3);
    expect(v.shutdown_timeout).toBe(30);
    expect(v.terminationGracePeriodSeconds).toBe(3600);
    expect(v.gitlabUrl).toBe('http://gitlab.example.com/');
    expect(v.strategy).toEqual(nativeObject(chart, 'Deployment').spec.strategy);
  });

  test('splits the manager image into the chart\'s registry, image and tag', () => {
    expect(v.image).toEqual({ registry: 'registry.example.com', image: 'gitlab/gitlab-runner', tag: 'v18.3.0' });
  });

  test('grants exactly the native Role\'s rules, never the chart\'s wildcard default', () => {
    const role = nativeObject(chart, 'Role');
    expect(v.rbac).toEqual({ create: true, rules: role.rules, clusterWideAccess: false });
    expect(JSON.stringify(v.rbac.rules)).not.toContain('*');
    expect(v.runners.jobNamespace).toBe(role.metadata.namespace);
    expect(v.serviceAccount).toEqual({ create: true });
  });

  test('names the existing Secret and the runner; unregisterRunners off, which only the install notes read', () => {
    expect(v.runners.secret).toBe('gitlab-runner-token');
    expect(v.runners.name).toBe('gitlab-runner');
    // The chart writes its unregister preStop only when deploymentLifecycle is empty, and ours never is;
    // test/helm-render.test.ts shows what the key still changes.
    expect(v.unregisterRunners).toBe(false);
    expect(v.deploymentLifecycle).not.toEqual({});
  });

  test('keeps the chart\'s GitLab-dependent liveness probe from restarting the manager', () => {
    expect(v.livenessProbe).toEqual({ failureThreshold: HELM_LIVENESS_FAILURE_THRESHOLD });
    // Helm prints numbers of a million or more in exponent form (1e+06), not as the plain integer the probe field is.
    expect(HELM_LIVENESS_FAILURE_THRESHOLD).toBeLessThan(1e6);
  });

  test('stops the manager gracefully like the native Deployment (the chart would otherwise have no preStop)', () => {
    const native = nativeObject(chart, 'Deployment').spec.template.spec.containers[0].lifecycle;
    expect(v.deploymentLifecycle).toEqual(native);
    expect(v.deploymentLifecycle.preStop.exec.command[2]).toContain('kill -QUIT 1');
  });

  test('holds no token: only the placeholder the chart clears before registering', () => {
    const keyPaths: string[] = [];
    const walk = (o: unknown, prefix: string) => {
      if (o && typeof o === 'object' && !Array.isArray(o)) for (const [k, x] of Object.entries(o)) { keyPaths.push(`${prefix}${k}`); walk(x, `${prefix}${k}.`); }
    };
    walk(v, '');
    expect(keyPaths.filter((p) => /token/i.test(p))).toEqual([]);
    expect(JSON.stringify(v)).not.toMatch(/glrt-|GR1348941/);
    expect((parseToml(v.runners.config) as any).runners[0].token).toBe('written-at-pod-start-from-the-secret');
  });

  test('runners.config holds the native [[runners]] table, alone and without global keys', () => {
    const helm = parseToml(untemplate(v.runners.config)) as any;
    const native = parseToml(seedManager.configToml) as any;
    expect(Object.keys(helm)).toEqual(['runners']);
    expect(helm.runners).toHaveLength(1);
    expect(helm.runners).toEqual(native.runners);
  });

  test('runners.config sets the job namespace, so the chart injects no KUBERNETES_NAMESPACE over it', () => {
    // The chart's own test (templates/_env_vars.tpl): the env var is added unless the config matches this.
    expect(v.runners.config).toMatch(/\s*namespace\s*=/);
    expect((parseToml(v.runners.config) as any).runners[0].kubernetes.namespace).toBe('gitlab');
  });

  test('the manager pod gets the native pod\'s security context, resources and labels', () => {
    const deployment = nativeObject(chart, 'Deployment');
    const pod = deployment.spec.template.spec;
    expect(v.podSecurityContext).toEqual(pod.securityContext);
    expect(v.podSecurityContext).toMatchObject({ runAsUser: 999, fsGroup: 999, runAsNonRoot: true });
    expect(v.resources).toEqual(pod.containers[0].resources);
    expect(v.securityContext).toEqual({ ...pod.containers[0].securityContext, readOnlyRootFilesystem: false });
    expect(v.podLabels).toEqual(deployment.spec.selector.matchLabels);
    expect(v.nodeSelector).toBeUndefined();
    expect(v.tolerations).toBeUndefined();
  });

  test('metrics are on (the chart writes listen_address only then), the Service follows the model', () => {
    expect(v.metrics).toEqual({ enabled: true, port: 9252 });
    expect(v.service).toEqual({ enabled: false });
  });

  test('keeps the config-file default of the resource check, which register would otherwise set to 5', () => {
    expect(v.envVars).toEqual([{ name: 'KUBERNETES_RESOURCE_AVAILABILITY_CHECK_MAX_ATTEMPTS', value: '0' }]);
  });

  test('has no Helm findings', () => {
    // Only that the chart has no PodDisruptionBudget (the seed runs 3 replicas, which get one natively).
    expect(helmFindings(seedManager._toModel()).map((f) => f.ruleId)).toEqual(['HELM012']);
    expect(helmFindings(seedManager._toModel(), true).map((f) => `${f.ruleId} ${f.severity}`)).toEqual(['HELM012 warning']);
  });

  test('the YAML file: header, same values, deterministic; snapshot for review', () => {
    const yaml = renderHelmValuesYaml(seedManager._toModel());
    expect(yaml.split('\n').slice(0, 3).every((line) => line.startsWith('# '))).toBe(true);
    expect(yaml).toContain(`gitlab-runner Helm chart ${HELM_CHART_VERSION} (appVersion ${HELM_CHART_APP_VERSION})`);
    expect(yaml).toContain(`--version ${HELM_CHART_VERSION}`);
    expect(yaml).toContain("'runner-token' (the glrt- token) and 'runner-registration-token'");
    expect(parseYaml(yaml)).toEqual(v);
    expect(renderHelmValuesYaml(seed().manager._toModel())).toBe(yaml);
    expect(yaml).toMatchSnapshot();
  });
});

describe('renderHelmValues, beyond the seed', () => {
  test('the default image is exactly the chart\'s default image', () => {
    expect(values(build().manager).image).toEqual({ registry: 'registry.gitlab.com', image: 'gitlab-org/gitlab-runner', tag: `alpine-v${HELM_CHART_APP_VERSION}` });
  });

  test('top-level nodeSelector and tolerations place the manager; the jobs keep theirs in runners.config', () => {
    const { chart, manager: m } = build(
      { nodeSelector: { 'node-role': 'system' }, tolerations: [{ key: 'system', effect: TaintEffect.NO_SCHEDULE }, { key: 'pool', value: 'ops' }] },
      { nodeSelector: { pool: 'ci' }, tolerations: [{ key: 'ci', value: 'true', effect: TaintEffect.NO_SCHEDULE }] },
    );
    const v = values(m);
    const pod = nativeObject(chart, 'Deployment').spec.template.spec;
    expect(v.nodeSelector).toEqual({ 'node-role': 'system' });
    expect(v.nodeSelector).toEqual(pod.nodeSelector);
    expect(v.tolerations).toEqual([
      { key: 'system', operator: 'Exists', effect: 'NoSchedule' },
      { key: 'pool', operator: 'Equal', value: 'ops' },
    ]);
    expect(v.tolerations).toEqual(pod.tolerations);
    const job = (parseToml(v.runners.config) as any).runners[0].kubernetes;
    expect(job.node_selector).toEqual({ pool: 'ci' });
    expect(job.node_tolerations).toEqual({ 'ci=true': 'NoSchedule' });
  });

  test('a metrics Service and the prometheus-operator monitors', () => {
    expect(values(build({ metricsService: true, metricsPort: 9400 }).manager).service).toEqual({ enabled: true, type: 'ClusterIP' });
    const model = build({ metricsPort: 9400 }).manager._toModel();
    expect((renderHelmValues(model, { podMonitor: true }) as any).metrics).toEqual({ enabled: true, port: 9400, podMonitor: { enabled: true } });
    const withServiceMonitor = renderHelmValues(model, { serviceMonitor: true }) as any;
    expect(withServiceMonitor.metrics.serviceMonitor).toEqual({ enabled: true });
    // The chart renders a ServiceMonitor only together with its Service.
    expect(withServiceMonitor.service).toEqual({ enabled: true, type: 'ClusterIP' });
  });

  test('register flag defaults: the model\'s values reach the runner through envVars; RBAC follows the same values', () => {
    const { chart, manager: m } = build({}, { serviceAccountName: 'job-sa', extraConfig: { retry_limit: 10, resource_availability_check_max_attempts: 3 } });
    const v = values(m);
    expect(v.envVars).toEqual([
      { name: 'KUBERNETES_RESOURCE_AVAILABILITY_CHECK_MAX_ATTEMPTS', value: '3' },
      { name: 'KUBERNETES_REQUEST_RETRY_LIMIT', value: '10' },
    ]);
    expect(v.rbac.rules).toEqual(nativeObject(chart, 'Role').rules);
    expect(v.rbac.rules).toContainEqual({ apiGroups: [''], resources: ['serviceaccounts'], verbs: ['get'] });
    expect(values(build({}, { extraConfig: { resource_availability_check_max_attempts: 5 } }).manager).envVars).toBeUndefined();
  });

  test('"{{" in a value is escaped for the chart\'s tpl and comes back unchanged', () => {
    const { manager: m } = build({ environment: { GREETING: 'hello {{ .Values.gitlabUrl }} {{{' } });
    const config = values(m).runners.config as string;
    expect(config).toContain('{{"{{"}} .Values.gitlabUrl }}');
    expect(untemplate(config).match(/\{\{/g)).toHaveLength(2);
    expect((parseToml(untemplate(config)) as any).runners).toEqual((parseToml(m.configToml) as any).runners);
    expect(escapeHelmTemplate('no braces')).toBe('no braces');
  });

  test('the values never hold undefined (the YAML writer would print null)', () => {
    const yaml = renderHelmValuesYaml(build({ tolerations: [{ key: 'any' }] }).manager._toModel());
    expect(yaml).not.toMatch(/: null$/m);
  });
});

describe('splitImage', () => {
  test.each([
    ['registry.example.com/gitlab/gitlab-runner:v18.3.0', 'registry.example.com', 'gitlab/gitlab-runner', 'v18.3.0', undefined],
    ['registry.example.com:5000/gitlab-runner:v18.3.0', 'registry.example.com:5000', 'gitlab-runner', 'v18.3.0', undefined],
    ['localhost:5000/runner', 'localhost:5000', 'runner', undefined, undefined],
    ['localhost/runner:1', 'localhost', 'runner', '1', undefined],
    ['gitlab/gitlab-runner:alpine-v18.9.0', 'docker.io', 'gitlab/gitlab-runner', 'alpine-v18.9.0', undefined],
    ['alpine', 'docker.io', 'library/alpine', undefined, undefined],
    ['r.example.com/a/b:v1@sha256:abc', 'r.example.com', 'a/b', 'v1', 'sha256:abc'],
    ['r.example.com:443/a/b@sha256:abc', 'r.example.com:443', 'a/b', undefined, 'sha256:abc'],
  ])('%s', (reference, registry, image, tag, digest) => {
    expect(splitImage(reference)).toEqual({ registry, image, tag, digest });
  });

  test.each([
    ['registry.example.com:5000/gitlab-runner', 'latest'],
    ['r.example.com/a/b:v1@sha256:abc', 'v1@sha256:abc'],
  ])('the chart tag of %s is %s', (image, tag) => {
    expect(values(build({ image, runnerVersion: '18.9.0' }).manager).image.tag).toBe(tag);
  });
});

describe('helmFindings', () => {
  const model = (props: Partial<RunnerManagerProps> = {}): ManagerModel => build(props).manager._toModel();

  test('HELM001: a token key other than runner-token is a warning, and an error when Helm is the deployment', () => {
    const m = model({ token: RunnerToken.fromSecret('runner-secret', 'token') });
    const [warning] = helmFindings(m);
    expect(warning).toMatchObject({ ruleId: 'HELM001', severity: Severity.WARNING, path: 'test/Runner', field: 'token.key' });
    expect(warning.message).toContain("'token'");
    expect(warning.message).toContain('runner-registration-token');
    expect(warning.fix).toContain("RunnerToken.fromSecret('runner-secret')");
    expect(helmFindings(m, true)[0].severity).toBe(Severity.ERROR);
  });

  test('HELM002: an image pinned by digest alone cannot be written as the chart\'s <registry>/<image>:<tag>', () => {
    const m = model({ image: 'registry.example.com/gitlab-runner@sha256:0123', runnerVersion: '18.9.0' });
    expect(helmFindings(m)).toEqual([expect.objectContaining({ ruleId: 'HELM002', severity: Severity.WARNING, field: 'image' })]);
    expect(helmFindings(m)[0].fix).toContain("'registry.example.com/gitlab-runner:<tag>@sha256:0123'");
    expect(helmFindings(m, true)[0].severity).toBe(Severity.ERROR);
    // The values then fail loudly (an invalid reference) rather than run the chart's default tag.
    expect((renderHelmValues(m) as any).image.tag).toBe('@sha256:0123');
  });

  test('replicas 0 is no finding: the chart keeps it (test/helm-render.test.ts renders it)', () => {
    expect(helmFindings(model({ replicas: 0 }), true)).toEqual([]);
    expect((renderHelmValues(model({ replicas: 0 })) as any).replicas).toBe(0);
  });
});
