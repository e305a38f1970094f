import * as fs from 'fs';
import * as path from 'path';
import { App, Testing } from 'cdk8s';
import { parse as parseYaml } from 'yaml';
import { seedFleet } from '../examples/seed-fleet/fleet';
import { JobPodTemplate, RunnerManager, RunnerToken } from '../src';
import { EVERY_POD_SETTING } from './manager-pod-fixtures';
import { HELM_CHART_APP_VERSION, HELM_CHART_VERSION, HELM_REGISTRATION_TOKEN_KEY, HELM_TOKEN_KEY, REGISTER_FLAG_DEFAULTS, renderHelmValues } from '../src/internal/render/helm-values';
import { TaintEffect } from '../src/model/taint-effect';

// Every key path the Helm values emit must be one the official chart 0.86.0 reads: the chart silently ignores any
// other. The truth is the chart's values.yaml (../shared/reference) plus the keys its templates read that values.yaml
// only mentions in comments (listed below from gitlab-runner-facts.md §5).

const reference = path.join(__dirname, '..', '..', 'shared', 'reference');
const valuesFile = path.join(reference, 'gitlab-runner-chart-values.yaml');
const keysFile = path.join(reference, 'gitlab-runner-config-keys.json');
const referencePresent = fs.existsSync(valuesFile) && fs.existsSync(keysFile);

test('the chart reference data is present (required in CI)', () => {
  if (referencePresent) return;
  const message = `chart reference data missing at ${reference}: the Helm conformance tests cannot run.`;
  if (process.env.CI === 'true') throw new Error(message);
  console.warn(`${message} They are skipped outside CI.`);
});

/**
 * Keys the chart's templates read although values.yaml has them only in comments, or not at all.
 * Source: gitlab-runner-facts.md §5, "Used by templates but only commented/absent in values.yaml" (chart 0.86.0).
 */
const TEMPLATE_READ = new Set([
  'namespace', 'gitlabUrl', 'replicas', 'revisionHistoryLimit', 'probeTimeoutSeconds', 'certsSecretName', 'logLevel',
  'logFormat', 'sentryDsn', 'connectionMaxAge', 'preEntrypointScript', 'schedulerName', 'automountServiceAccountToken',
  'hostname', 'hpa', 'hpa.minReplicas', 'hpa.maxReplicas', 'hpa.metrics', 'imagePullSecrets', 'envVars', 'nameOverride',
  'fullnameOverride', 'image.tag', 'serviceAccount.create',
  ...['executor', 'name', 'secret', 'tags', 'locked', 'protected', 'runUntagged', 'maximumTimeout', 'jobNamespace', 'cache.secretName'].map((k) => `runners.${k}`),
  ...['labels', 'annotations', 'clusterIP', 'externalIPs', 'loadBalancerIP', 'loadBalancerSourceRanges', 'externalTrafficPolicy',
    'internalTrafficPolicy', 'metrics', 'metrics.nodePort', 'additionalPorts'].map((k) => `service.${k}`),
  // values.yaml: `livenessProbe: {}` / `readinessProbe: {}` with these keys commented; templates/deployment.yaml reads them.
  ...['initialDelaySeconds', 'periodSeconds', 'successThreshold', 'failureThreshold', 'terminationGracePeriodSeconds'].map((k) => `livenessProbe.${k}`),
  ...['initialDelaySeconds', 'periodSeconds', 'successThreshold', 'failureThreshold'].map((k) => `readinessProbe.${k}`),
  ...['serviceMonitor', 'podMonitor'].flatMap((monitor) => ['interval', 'scheme', 'tlsConfig', 'path', 'metricRelabelings', 'relabelings',
    'labels', 'annotations', 'jobLabel'].map((k) => `metrics.${monitor}.${k}`)),
]);

/**
 * Values the chart hands to the Kubernetes object as they are (toYaml/tpl), so what is inside them is Kubernetes API,
 * not chart keys. Source: values.yaml's comments and examples for each (pod-security-standards, resources, strategy
 * types, assign-pod-node, taint-and-toleration, "Supports templating" for podLabels, "Lifecycle options to be added to
 * deployment" for deploymentLifecycle).
 */
const PASSED_THROUGH = new Set([
  'securityContext', 'podSecurityContext', 'resources', 'strategy', 'nodeSelector', 'tolerations', 'affinity', 'podLabels', 'podAnnotations',
  'deploymentLifecycle', 'serviceAccount.annotations',
]);

/** Keys that would put a secret into the values (tokens, cache credentials) or that the chart deprecates. */
const FORBIDDEN = [
  'runnerToken', 'runnerRegistrationToken', 'secrets', 'runners.cache', 'runners.cache.secretName', 'certsSecretName',
  'rbac.serviceAccountName', 'rbac.generatedServiceAccountName', 'rbac.serviceAccountAnnotations', 'rbac.imagePullSecrets', 'runners.namespace',
];

const isMap = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Every key path of `values`, not descending into passed-through Kubernetes objects or lists. */
function keyPaths(values: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(values).flatMap(([key, value]) => {
    const p = `${prefix}${key}`;
    return isMap(value) && !PASSED_THROUGH.has(p) ? [p, ...keyPaths(value, `${p}.`)] : [p];
  });
}

function inChartValues(chartValues: Record<string, unknown>, p: string): boolean {
  let node: unknown = chartValues;
  for (const key of p.split('.')) {
    if (!isMap(node) || !(key in node)) return false;
    node = node[key];
  }
  return true;
}

/** The seed, and a manager that takes every optional branch of the renderer. */
function emittedValues(): Array<[string, Record<string, unknown>]> {
  const seedChart = seedFleet(new App());
  const seedManager = seedChart.node.findAll().find((c): c is RunnerManager => c instanceof RunnerManager)!;
  const chart = Testing.chart();
  const everything = new RunnerManager(chart, 'Runner', {
    gitlabUrl: 'https://gitlab.example.com/',
    token: RunnerToken.fromSecret('runner-secret'),
    jobPod: new JobPodTemplate(chart, 'Jobs', { serviceAccountName: 'jobs', extraConfig: { retry_limit: 9, retry_backoff_max: 4000 } }),
    metricsService: true,
    nodeSelector: { 'node-role': 'system' },
    tolerations: [{ key: 'system', effect: TaintEffect.NO_SCHEDULE }],
    // Issue #14's manager pod settings, each set.
    ...EVERY_POD_SETTING,
  });
  return [
    ['seed', renderHelmValues(seedManager._toModel())],
    ['every option', renderHelmValues(everything._toModel(), { podMonitor: true, serviceMonitor: true })],
  ];
}

const describeWithReference = referencePresent ? describe : describe.skip;

describeWithReference('Helm values conform to the chart 0.86.0 reference', () => {
  const chartValues = referencePresent ? parseYaml(fs.readFileSync(valuesFile, 'utf-8')) as Record<string, unknown> : {};

  test.each(emittedValues())('%s: every key path is one the chart reads', (_name, values) => {
    const unknown = keyPaths(values).filter((p) => !inChartValues(chartValues, p) && !TEMPLATE_READ.has(p));
    expect(unknown).toEqual([]);
  });

  test.each(emittedValues())('%s: no token, cache secret or deprecated key', (_name, values) => {
    const paths = keyPaths(values);
    expect(paths.filter((p) => FORBIDDEN.includes(p))).toEqual([]);
    expect(JSON.stringify(values)).not.toMatch(/glrt-|GR1348941/);
  });

  test.each(emittedValues())('%s: list entries have the fields the chart documents', (_name, values) => {
    // values.yaml: rbac.rules entries take apiGroups, resources, verbs; envVars entries take name and value.
    for (const rule of (values.rbac as any).rules) expect(Object.keys(rule).sort()).toEqual(['apiGroups', 'resources', 'verbs']);
    for (const env of (values.envVars as any[] | undefined) ?? []) expect(Object.keys(env).sort()).toEqual(['name', 'value']);
  });

  test('the list of template-read keys does not shadow values.yaml (each entry is only commented there)', () => {
    expect([...TEMPLATE_READ].filter((p) => inChartValues(chartValues, p))).toEqual([]);
  });

  test('chart version, appVersion and default image are the reference\'s', () => {
    const header = fs.readFileSync(valuesFile, 'utf-8').split('\n').slice(0, 4).join('\n');
    expect(header).toContain(`chart version ${HELM_CHART_VERSION} (appVersion ${HELM_CHART_APP_VERSION},`);
    const chart = Testing.chart();
    const jobPod = new JobPodTemplate(chart, 'Jobs');
    const m = new RunnerManager(chart, 'Runner', { gitlabUrl: 'https://gitlab.example.com/', token: RunnerToken.fromSecret('s'), jobPod });
    expect(renderHelmValues(m._toModel()).image).toEqual({ ...(chartValues.image as object), tag: `alpine-v${HELM_CHART_APP_VERSION}` });
  });

  test('the Secret keys are the ones values.yaml names for runners.secret', () => {
    expect(fs.readFileSync(valuesFile, 'utf-8')).toContain(`The name of the secret containing ${HELM_TOKEN_KEY} and ${HELM_REGISTRATION_TOKEN_KEY}`);
  });

  test('REGISTER_FLAG_DEFAULTS matches every register flag default of the runner\'s [[runners]] keys', () => {
    const tables = JSON.parse(fs.readFileSync(keysFile, 'utf-8')).tables as Record<string, Record<string, any>>;
    const withFlagDefault = Object.entries(tables)
      .filter(([table]) => table === 'runners' || table.startsWith('runners.kubernetes'))
      .flatMap(([table, keys]) => Object.entries(keys).filter(([, k]) => k.cli_default !== undefined).map(([key, k]) => ({ table, key, k })));
    expect(withFlagDefault.map(({ table, key }) => `${table}.${key}`).sort())
      .toEqual(REGISTER_FLAG_DEFAULTS.map(({ key }) => `runners.kubernetes.${key}`).sort());
    for (const { key, k } of withFlagDefault) {
      const fromReference = { key, env: k.env, cliDefault: Number(k.cli_default), configDefault: k.default };
      expect(fromReference).toEqual(REGISTER_FLAG_DEFAULTS.find((d) => d.key === key));
    }
  });
});
