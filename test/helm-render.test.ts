import { createHash } from 'crypto';
import { App, Chart, Duration, Testing } from 'cdk8s';
import { parse as parseToml } from 'smol-toml';
import { seedFleet } from '../examples/seed-fleet/fleet';
import { JobPodTemplate, RunnerManager, RunnerToken, TaintEffect } from '../src';
import { helmTemplate, helmTemplateText, requireRealHelm } from './helm-binary';
import { findManifestProblems } from './k8s-schema';
import { EVERY_POD_SETTING } from './manager-pod-fixtures';
import { HELM_LIVENESS_FAILURE_THRESHOLD, HELM_TOKEN_KEY, HelmValuesOptions, REGISTER_FLAG_DEFAULTS, renderHelmValues, splitImage } from '../src/internal/render/helm-values';

// The Helm values rendered by the real Helm 3.17.3 with the real chart 0.86.0 (test/helm-binary.ts), compared with
// the native manifests of the same manager. Each fleet is rendered once; the mutation test renders one fleet once per
// value key.

// The consumer app's fleet is plain JavaScript against the published package name.
jest.mock('cdk8s-gitlab-runner', () => jest.requireActual('../src'), { virtual: true });

type Obj = Record<string, any>;

interface Fleet {
  readonly name: string;
  readonly build: () => Chart;
  readonly options: HelmValuesOptions;
  readonly releaseName?: string;
}

/** A manager that sets every prop the Helm values carry, each away from its default. */
function everyProp(): Chart {
  const chart = new Chart(new App(), 'matrix', { namespace: 'runners', disableResourceNameHashes: true });
  const jobs = new JobPodTemplate(chart, 'Jobs', {
    namespace: 'ci-jobs',
    serviceAccountName: 'jobs',
    nodeSelector: { 'node-role': 'ci' },
    tolerations: [{ key: 'ci', value: 'true', effect: TaintEffect.NO_SCHEDULE }],
    extraConfig: { retry_limit: 9, retry_backoff_max: 4000, resource_availability_check_max_attempts: 3, print_pod_warning_events: false },
  });
  new RunnerManager(chart, 'Runner', {
    name: 'gitlab-runner-matrix',
    gitlabUrl: 'https://gitlab.example.com/',
    token: RunnerToken.fromSecret('matrix-token'),
    image: `registry.example.com:5000/gitlab/gitlab-runner:v18.9.0@sha256:${'ab'.repeat(32)}`,
    replicas: 0,
    maxSurge: 1,
    concurrent: 7,
    limit: 5,
    requestConcurrency: 2,
    checkInterval: Duration.seconds(10),
    shutdownTimeout: Duration.seconds(90),
    terminationGracePeriod: Duration.minutes(30),
    // Helm runs runners.config through tpl: this must arrive as written, not as the release name.
    environment: { GREETING: 'hello {{ .Release.Name }}' },
    featureFlags: { FF_PRINT_POD_EVENTS: true, FF_USE_LEGACY_KUBERNETES_EXECUTION_STRATEGY: true },
    metricsPort: 9400,
    metricsService: true,
    resources: { cpu: { request: '200m', limit: '2' }, memory: { request: '256Mi', limit: '1Gi' } },
    nodeSelector: { 'node-role': 'system' },
    tolerations: [{ key: 'system', effect: TaintEffect.NO_SCHEDULE }, { key: 'dedicated', value: 'runners' }],
    runAsUser: 1001,
    fsGroup: 2002,
    // Issue #14's manager pod settings, each set.
    ...EVERY_POD_SETTING,
    jobPod: jobs,
  });
  return chart;
}

/** The defaults, with a Docker Hub image and a release name the chart prefixes (`<release>-gitlab-runner`). */
function defaults(): Chart {
  const chart = Testing.chart();
  new RunnerManager(chart, 'Runner', {
    name: 'ci', gitlabUrl: 'https://gitlab.example.com/', token: RunnerToken.fromSecret('ci-token'), jobPod: new JobPodTemplate(chart, 'Jobs'),
  });
  return chart;
}

/**
 * An untagged image (the chart gets `latest`, so the fleet names its runner version), two pods with surge, a
 * ServiceMonitor without metricsService.
 */
function untagged(): Chart {
  const chart = Testing.chart();
  new RunnerManager(chart, 'Runner', {
    name: 'untagged',
    gitlabUrl: 'http://gitlab.internal:8080/gitlab/',
    token: RunnerToken.fromSecret('untagged-token', HELM_TOKEN_KEY),
    image: 'gitlab/gitlab-runner',
    runnerVersion: '19.4.0',
    replicas: 2,
    maxSurge: 2,
    jobPod: new JobPodTemplate(chart, 'Jobs', { namespace: 'jobs' }),
  });
  return chart;
}

const FLEETS: Fleet[] = [
  { name: 'the example (examples/seed-fleet)', build: () => seedFleet(new App()), options: {} },
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  { name: 'the consumer fleet (test/consumer-app)', build: () => require('./consumer-app/fleet').declareFleet(new App()), options: {} },
  { name: 'every prop, both monitors', build: everyProp, options: { podMonitor: true, serviceMonitor: true } },
  { name: 'the defaults, the README\'s PodMonitor', build: defaults, options: { podMonitor: true } },
  { name: 'an untagged Hub image, a ServiceMonitor', build: untagged, options: { serviceMonitor: true }, releaseName: 'ci-untagged' },
];

interface Rendered {
  readonly manager: RunnerManager;
  readonly values: Obj;
  readonly native: Obj[];
  readonly chart: Obj[];
}

function render(fleet: Fleet): Rendered {
  const chart = fleet.build();
  const manager = chart.node.findAll().find((c): c is RunnerManager => c instanceof RunnerManager)!;
  const model = manager._toModel();
  const native = Testing.synth(chart).filter((o: Obj) => o.metadata?.labels?.['app.kubernetes.io/instance'] === model.name);
  const values = renderHelmValues(model, fleet.options);
  const monitoring = fleet.options.podMonitor === true || fleet.options.serviceMonitor === true;
  const rendered = helmTemplate(values, { releaseName: fleet.releaseName ?? model.name, namespace: model.namespace, monitoring });
  return { manager, values, native, chart: rendered };
}

const one = (objects: Obj[], kind: string): Obj => {
  const found = objects.filter((o) => o.kind === kind);
  if (found.length !== 1) throw new Error(`expected one ${kind}, found ${found.length}`);
  return found[0];
};
const maybe = (objects: Obj[], kind: string): Obj | undefined => objects.find((o) => o.kind === kind);
const podSpec = (objects: Obj[]) => one(objects, 'Deployment').spec.template.spec;
const runnerContainer = (objects: Obj[]) => podSpec(objects).containers[0];

/** Every Secret reference of a pod spec (env, envFrom, volumes, projected volumes) as `name/key`. */
function secretRefs(spec: Obj): string[] {
  const refs: string[] = [];
  for (const c of [...(spec.initContainers ?? []), ...spec.containers]) {
    for (const e of c.env ?? []) if (e.valueFrom?.secretKeyRef) refs.push(`${e.valueFrom.secretKeyRef.name}/${e.valueFrom.secretKeyRef.key}`);
    for (const e of c.envFrom ?? []) if (e.secretRef) refs.push(`${e.secretRef.name}/*`);
  }
  for (const v of spec.volumes ?? []) {
    if (v.secret) refs.push(...(v.secret.items ?? [{ key: '*' }]).map((i: Obj) => `${v.secret.secretName}/${i.key}`));
    for (const s of v.projected?.sources ?? []) if (s.secret) refs.push(...(s.secret.items ?? [{ key: '*' }]).map((i: Obj) => `${s.secret.name}/${i.key}`));
  }
  return [...new Set(refs)].sort();
}

/** The `[[runners]]` entry without `token`: how the token gets in differs (env, file, register), what it is does not. */
function runnerEntry(toml: string): Obj {
  const runners = (parseToml(toml) as Obj).runners as Obj[];
  expect(runners).toHaveLength(1);
  const { token: _token, ...rest } = runners[0];
  return rest;
}

/** An image reference with the registry and tag Kubernetes would pull it by spelled out. */
function canonicalImage(reference: string): string {
  const { registry, image, tag, digest } = splitImage(reference);
  return `${registry}/${image}:${tag ?? 'latest'}${digest ? `@${digest}` : ''}`;
}

const env = (container: Obj): Record<string, unknown> => Object.fromEntries((container.env ?? []).map((e: Obj) => [e.name, e.value ?? e.valueFrom]));

if (requireRealHelm()) {
  describe.each(FLEETS)('$name, rendered by the real chart', (fleet) => {
    let r: Rendered;
    beforeAll(() => {
      r = render(fleet);
    });

    test('every rendered object is schema-valid, with no unknown field', () => {
      expect(r.chart.length).toBeGreaterThan(0);
      expect(findManifestProblems(r.chart)).toEqual([]);
    });

    test('the chart renders the counterpart of each native object, the monitors asked for, and no Secret', () => {
      const kinds = (objects: Obj[]) => objects.map((o) => o.kind).sort();
      const nativeKinds = kinds(r.native);
      // The chart 0.86.0 has no PodDisruptionBudget (HELM012 warns of it).
      expect(nativeKinds.includes('PodDisruptionBudget')).toBe(r.manager._findings().some((f) => f.ruleId === 'HELM012'));
      const expected = [...nativeKinds.filter((k) => k !== 'Service' && k !== 'PodDisruptionBudget'), ...(r.values.service.enabled ? ['Service'] : []),
        ...(fleet.options.podMonitor ? ['PodMonitor'] : []), ...(fleet.options.serviceMonitor ? ['ServiceMonitor'] : [])].sort();
      expect(kinds(r.chart)).toEqual(expected);
      expect(maybe(r.native, 'Service') !== undefined).toBe(r.manager._toModel().metricsService);
      expect(maybe(r.chart, 'Secret')).toBeUndefined();
    });

    test('the manager pod: image, pull policy, resources, security contexts, placement', () => {
      const [n, c] = [runnerContainer(r.native), runnerContainer(r.chart)];
      // The chart spells the reference out in full (`docker.io/...:latest`); the image is the same.
      expect(c.image).toBe(canonicalImage(n.image));
      expect(c.imagePullPolicy).toBe(n.imagePullPolicy);
      expect(c.resources).toEqual(n.resources);
      // The one difference: the chart's entrypoint writes into the image (docs/helm.md, "Differences that remain").
      expect(c.securityContext).toEqual({ ...n.securityContext, readOnlyRootFilesystem: false });
      const [np, cp] = [podSpec(r.native), podSpec(r.chart)];
      expect(cp.securityContext).toEqual(np.securityContext);
      expect(cp.nodeSelector).toEqual(np.nodeSelector);
      expect(cp.tolerations).toEqual(np.tolerations);
      expect(cp.terminationGracePeriodSeconds).toBe(np.terminationGracePeriodSeconds);
      // Kubernetes mounts the token when the field is absent, so both pods get one.
      expect(cp.automountServiceAccountToken ?? true).toBe(np.automountServiceAccountToken);
    });

    test('the Deployment: replicas (0 kept), strategy, graceful stop, and no unregister on stop', () => {
      const [n, c] = [one(r.native, 'Deployment'), one(r.chart, 'Deployment')];
      expect(c.spec.replicas).toBe(n.spec.replicas);
      expect(c.spec.strategy).toEqual(n.spec.strategy);
      expect(runnerContainer(r.chart).lifecycle).toEqual(runnerContainer(r.native).lifecycle);
      expect(JSON.stringify(c)).not.toContain('unregister');
      expect(c.metadata.namespace).toBe(n.metadata.namespace);
      expect(c.spec.template.metadata.labels).toMatchObject(n.spec.template.metadata.labels);
    });

    test('probes: the chart\'s own commands, whose liveness failures never restart the manager', () => {
      const c = runnerContainer(r.chart);
      expect(c.livenessProbe.exec.command).toEqual(['/bin/bash', '/configmaps/check-live', '3']);
      expect(c.livenessProbe.failureThreshold).toBe(HELM_LIVENESS_FAILURE_THRESHOLD);
      expect(c.readinessProbe.exec.command).toEqual(['/usr/bin/pgrep', 'gitlab.*runner']);
      expect(runnerContainer(r.native).livenessProbe.httpGet.path).toBe('/metrics');
    });

    test('RBAC: the same rules in the job namespace, bound to the ServiceAccount the pod runs as', () => {
      const [nRole, cRole] = [one(r.native, 'Role'), one(r.chart, 'Role')];
      expect(cRole.rules).toEqual(nRole.rules);
      expect(cRole.metadata.namespace).toBe(nRole.metadata.namespace);
      const [nSa, cSa] = [one(r.native, 'ServiceAccount'), one(r.chart, 'ServiceAccount')];
      expect(cSa.metadata.namespace).toBe(nSa.metadata.namespace);
      expect(podSpec(r.chart).serviceAccountName).toBe(cSa.metadata.name);
      expect(podSpec(r.native).serviceAccountName).toBe(nSa.metadata.name);
      const binding = one(r.chart, 'RoleBinding');
      expect(binding.metadata.namespace).toBe(cRole.metadata.namespace);
      expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: cRole.metadata.name });
      expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: cSa.metadata.name, namespace: cSa.metadata.namespace }]);
      expect(maybe(r.chart, 'ClusterRole')).toBeUndefined();
    });

    test('the token comes from the same Secret and key, and from nowhere else', () => {
      const model = r.manager._toModel();
      // However the native pod gets the token to the runner (an env reference, a mounted key), it reads this Secret only.
      const nativeRefs = secretRefs(podSpec(r.native));
      expect(nativeRefs).toContain(`${model.token.secretName}/${model.token.key}`);
      expect(nativeRefs.filter((ref) => ref !== `${model.token.secretName}/${model.token.key}` && ref !== `${model.token.secretName}/*`)).toEqual([]);
      expect(model.token.key).toBe(HELM_TOKEN_KEY);
      expect(secretRefs(podSpec(r.chart))).toEqual([`${model.token.secretName}/runner-registration-token`, `${model.token.secretName}/${HELM_TOKEN_KEY}`]);
    });

    test('the runner config: the same [[runners]] entry, global keys and runner name', () => {
      const nativeToml = one(r.native, 'ConfigMap').data['config.toml'] as string;
      const data = one(r.chart, 'ConfigMap').data;
      expect(runnerEntry(data['config.template.toml'])).toEqual(runnerEntry(nativeToml));
      const { runners: _runners, ...nativeGlobal } = parseToml(nativeToml) as Obj;
      // log_level "info" is the runner's own default, which the chart writes out when the native config has none.
      expect(parseToml(data['config.toml'])).toEqual({ log_level: 'info', ...nativeGlobal });
      expect(data['register-the-runner']).toContain(`--name=${JSON.stringify(r.manager._toModel().runnerName)}`);
    });

    test('the environment: GitLab URL, executor, and the register flags that would override the config', () => {
      const e = env(runnerContainer(r.chart));
      const model = r.manager._toModel();
      expect(e.CI_SERVER_URL).toBe(model.gitlabUrl);
      expect(e.RUNNER_EXECUTOR).toBe('kubernetes');
      // The chart injects KUBERNETES_NAMESPACE (which would win over the config) only when the config names none.
      expect(e).not.toHaveProperty('KUBERNETES_NAMESPACE');
      const kubernetes = (parseToml(one(r.native, 'ConfigMap').data['config.toml'] as string) as Obj).runners[0].kubernetes;
      for (const { key, env: name, cliDefault, configDefault } of REGISTER_FLAG_DEFAULTS) {
        const effective = Number(kubernetes[key] ?? configDefault);
        // Without the variable register uses its flag default; with it, the config's value.
        expect(Number(e[name] ?? cliDefault)).toBe(effective);
      }
    });

    test('metrics: the same port, scraped by the monitors asked for', () => {
      const [n, c] = [runnerContainer(r.native), runnerContainer(r.chart)];
      expect(c.ports).toEqual([{ name: 'metrics', containerPort: n.ports[0].containerPort }]);
      const podLabels = one(r.chart, 'Deployment').spec.template.metadata.labels;
      const podMonitor = maybe(r.chart, 'PodMonitor');
      if (fleet.options.podMonitor) {
        expect(podMonitor!.spec.podMetricsEndpoints).toEqual([{ port: 'metrics' }]);
        expect(podLabels).toMatchObject(podMonitor!.spec.selector.matchLabels);
      }
      const service = maybe(r.chart, 'Service');
      if (service) {
        expect(service.spec.ports).toEqual([{ name: 'metrics', port: n.ports[0].containerPort, targetPort: 'metrics' }]);
        expect(podLabels).toMatchObject(service.spec.selector);
      }
      if (fleet.options.serviceMonitor) expect(one(r.chart, 'ServiceMonitor').spec.selector.matchLabels).toMatchObject(service!.metadata.labels);
    });

    test('rotating the token rolls no pod: the secrets checksum is that of an empty document', () => {
      const annotations = one(r.chart, 'Deployment').spec.template.metadata.annotations;
      expect(annotations['checksum/secrets']).toBe(createHash('sha256').update('').digest('hex'));
    });
  });

  describe('what the chart does that docs/helm.md tells', () => {
    test('without --api-versions monitoring.coreos.com/v1 the chart renders no monitor, even when enabled', () => {
      const chart = defaults();
      const model = chart.node.findAll().find((c): c is RunnerManager => c instanceof RunnerManager)!._toModel();
      const values = renderHelmValues(model, { podMonitor: true, serviceMonitor: true });
      const kinds = helmTemplate(values, { releaseName: 'ci', namespace: model.namespace }).map((o) => o.kind);
      expect(kinds).not.toContain('PodMonitor');
      expect(kinds).not.toContain('ServiceMonitor');
      expect(kinds).toContain('Service');
    });

    test('the liveness threshold renders as a plain integer; from a million up Helm would print exponent form', () => {
      const model = defaults().node.findAll().find((c): c is RunnerManager => c instanceof RunnerManager)!._toModel();
      const values = renderHelmValues(model);
      const threshold = (text: string) => /livenessProbe:[\s\S]*?failureThreshold: (\S+)/.exec(text)?.[1];
      expect(threshold(helmTemplateText(values, { releaseName: 'ci', namespace: model.namespace }))).toBe(String(HELM_LIVENESS_FAILURE_THRESHOLD));
      const million = { ...values, livenessProbe: { failureThreshold: 1e6 } };
      expect(threshold(helmTemplateText(million, { releaseName: 'ci', namespace: model.namespace }))).toBe('1e+06');
    });

    test('unregisterRunners: false changes no manifest, only silences the install notes\' advice to unregister on stop', () => {
      const model = defaults().node.findAll().find((c): c is RunnerManager => c instanceof RunnerManager)!._toModel();
      const values = renderHelmValues(model);
      const withNotes = (v: Obj) => helmTemplate(v, { releaseName: 'ci', namespace: model.namespace, notes: true });
      const [off, on] = [withNotes(values), withNotes({ ...values, unregisterRunners: true })];
      const notes = (objects: Obj[]) => objects.find((o) => o.metadata.name === 'chart-notes')!.data.notes as string;
      const manifests = (objects: Obj[]) => objects.filter((o) => o.metadata.name !== 'chart-notes');
      expect(manifests(on)).toEqual(manifests(off));
      expect(JSON.stringify(manifests(on))).not.toContain('unregister');
      expect(notes(on)).toContain('["/entrypoint", "unregister", "--all-runners"]');
      expect(notes(off)).not.toContain('unregister');
    });

    test('native and chart objects cannot replace each other in place: other selector, same or other names', () => {
      const seed = render(FLEETS[0]);
      const [n, c] = [one(seed.native, 'Deployment'), one(seed.chart, 'Deployment')];
      // A Deployment's selector is immutable, so the chart cannot take over the native Deployment of the same name.
      expect(c.metadata.name).toBe(n.metadata.name);
      expect(c.spec.selector).not.toEqual(n.spec.selector);
      expect(one(seed.chart, 'ConfigMap').metadata.name).not.toBe(one(seed.native, 'ConfigMap').metadata.name);
      // With another release name the chart's objects get names of their own: both can run side by side.
      const consumer = render(FLEETS[1]);
      const names = (objects: Obj[]) => objects.map((o) => `${o.kind}/${o.metadata.name}`);
      expect(names(consumer.chart).filter((name) => names(consumer.native).includes(name))).toEqual([]);
    });
  });

  describe('every value key the library writes is read by the chart', () => {
    /** Objects the chart hands to Kubernetes as they are: mutated as a whole. */
    const PASSED_THROUGH = new Set(['securityContext', 'podSecurityContext', 'resources', 'strategy', 'nodeSelector', 'tolerations', 'podLabels', 'deploymentLifecycle']);

    function leaves(values: Obj, prefix: string[] = []): string[][] {
      return Object.entries(values).flatMap(([key, value]) => {
        const p = [...prefix, key];
        const isMap = value !== null && typeof value === 'object' && !Array.isArray(value);
        return isMap && !PASSED_THROUGH.has(p.join('.')) ? leaves(value, p) : [p];
      });
    }

    function mutate(value: unknown): unknown {
      if (typeof value === 'boolean') return !value;
      if (typeof value === 'number') return value + 1;
      if (typeof value === 'string') return `${value}x`;
      if (Array.isArray(value)) return value.slice(0, -1);
      // Not {}: Helm merges a map with the chart's default, so an emptied map can render the same.
      return { ...(value as Obj), mutated: 'true' };
    }

    test('changing any one of them changes what the chart renders', () => {
      const fleet = FLEETS[2];
      const base = render(fleet);
      const model = base.manager._toModel();
      // With the install notes, which helm prints after `helm install`: a key may be read there only.
      const options = { releaseName: model.name, namespace: model.namespace, monitoring: true, notes: true };
      const renderValues = (values: Obj) => JSON.stringify(helmTemplate(values, options));
      const baseline = renderValues(base.values);
      const paths = leaves(base.values);
      // This fleet writes every key any other fleet writes, so proving it proves them all.
      const keys = new Set(paths.map((p) => p.join('.')));
      for (const other of FLEETS.filter((f) => f !== fleet)) {
        const otherModel = other.build().node.findAll().find((c): c is RunnerManager => c instanceof RunnerManager)!._toModel();
        expect(leaves(renderHelmValues(otherModel, other.options)).map((p) => p.join('.')).filter((k) => !keys.has(k))).toEqual([]);
      }
      const unread = paths.filter((p) => {
        const copy = JSON.parse(JSON.stringify(base.values));
        const parent = p.slice(0, -1).reduce((o: Obj, k) => o[k], copy);
        parent[p[p.length - 1]] = mutate(parent[p[p.length - 1]]);
        return renderValues(copy) === baseline;
      }).map((p) => p.join('.'));
      expect(unread).toEqual([]);
    });
  });
}
