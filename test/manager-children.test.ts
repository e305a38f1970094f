import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, ApiObjectMetadataDefinition, App, Chart, Duration, JsonPatch, Testing } from 'cdk8s';
import { FleetSynth, RunnerHelmRelease, RunnerManagerProps, Rules, TaintEffect } from '../src';
import { declaredAny } from './declared';
import { helmTemplate, realHelm, requireRealHelm } from './helm-binary';
import { findManifestProblems } from './k8s-schema';
import { oneManager } from './manager-pod-fixtures';
import * as manifests from '../src/internal/render/manager-manifests';
import { CARRIED_FIELDS, differences, PATCH_RULES, valueAt } from '../src/internal/rules/patches';
import { Severity } from '../src/model/finding';

// The manager's public child objects: patches reach the native output; a patch the Helm values do not follow is
// reported (HELM010), and dropped patches under a RunnerHelmRelease are an error (HELM011); rendering is lazy.

const fleet = (extra: Partial<RunnerManagerProps> = {}) => oneManager(extra);

const patchFindingsOf = (chart: Chart) => FleetSynth.findings(App.of(chart) as App)
  .filter((f) => f.ruleId === PATCH_RULES.divergence.id || f.ruleId === PATCH_RULES.replaced.id);

describe('public child objects', () => {
  test('each object is an ApiObject child of the manager, in the order and with the ids it always had', () => {
    const { manager } = fleet({ metricsService: true, podMonitor: true, serviceMonitor: true });
    const children = [manager.serviceAccount, manager.role, manager.roleBinding, manager.configMap, manager.deployment,
      manager.metricsService, manager.podMonitor, manager.serviceMonitor];
    expect(children.every((c) => c instanceof ApiObject)).toBe(true);
    expect(manager.node.children.filter((c) => c instanceof ApiObject)).toEqual(children);
    expect(children.map((c) => c!.node.id)).toEqual(['ServiceAccount', 'Role', 'RoleBinding', 'ConfigMap', 'Deployment', 'MetricsService', 'PodMonitor', 'ServiceMonitor']);
    expect(children.map((c) => `${c!.kind}/${c!.name}`)).toEqual(['ServiceAccount/runner', 'Role/runner', 'RoleBinding/runner', 'ConfigMap/runner-config',
      'Deployment/runner', 'Service/runner-metrics', 'PodMonitor/runner', 'ServiceMonitor/runner']);
  });

  test('without metricsService or monitors, those members are undefined', () => {
    const { manager } = fleet();
    expect([manager.metricsService, manager.podMonitor, manager.serviceMonitor]).toEqual([undefined, undefined, undefined]);
  });

  test('the contents are rendered at synth, not when the manager is declared', () => {
    const spy = jest.spyOn(manifests, 'deployment');
    try {
      const { chart } = fleet();
      expect(spy).not.toHaveBeenCalled();
      const deployment = Testing.synth(chart).find((o) => o.kind === 'Deployment');
      expect(spy).toHaveBeenCalled();
      expect(deployment.spec.template.spec.containers[0].name).toBe('gitlab-runner');
    } finally {
      spy.mockRestore();
    }
  });

  test('an unpatched fleet has no patch finding', () => {
    const { chart } = fleet({ metricsService: true });
    expect(patchFindingsOf(chart)).toEqual([]);
  });
});

describe('patches reach the native output, and divergence from the Helm values is reported', () => {
  test('a patch of a field the values carry: in the manifests, and a HELM010 warning naming the values key', () => {
    const { chart, manager } = fleet();
    manager.deployment.addJsonPatch(JsonPatch.replace('/spec/replicas', 5));
    const deployment = Testing.synth(chart).find((o) => o.kind === 'Deployment');
    expect(deployment.spec.replicas).toBe(5);
    // The values still say what the props say.
    expect(manager.helmValues().replicas).toBe(1);
    const findings = patchFindingsOf(chart);
    expect(findings).toEqual([{
      ruleId: 'HELM010',
      severity: Severity.WARNING,
      path: manager.node.path,
      field: 'deployment/spec/replicas',
      message: 'a JSON patch changes /spec/replicas of the Deployment, which the Helm values carry as replicas: the native manifests deploy 5, the values 1.',
      fix: 'set the prop that renders replicas instead of patching, so both outputs carry it.',
    }]);
  });

  test('a patch of a field the values cannot carry is reported too, naming the field', () => {
    const { chart, manager } = fleet();
    manager.deployment.addJsonPatch(JsonPatch.add('/spec/template/spec/priorityClassName', 'ci-critical'));
    manager.serviceAccount!.addJsonPatch(JsonPatch.add('/metadata/annotations', { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::1:role/x' }));
    const objects = Testing.synth(chart);
    expect(objects.find((o) => o.kind === 'Deployment').spec.template.spec.priorityClassName).toBe('ci-critical');
    expect(objects.find((o) => o.kind === 'ServiceAccount').metadata.annotations).toEqual({ 'eks.amazonaws.com/role-arn': 'arn:aws:iam::1:role/x' });
    expect(findManifestProblems(objects)).toEqual([]);
    const findings = patchFindingsOf(chart);
    expect(findings.map((f) => [f.field, f.severity])).toEqual([['serviceAccount', 'warning'], ['deployment', 'warning']]);
    expect(findings[1].message).toBe('a JSON patch (or a metadata change) changes /spec/template/spec/priorityClassName of the Deployment; '
      + "the Helm values have no key for it, so the chart's Deployment would not have it.");
    expect(findings[0].message).toContain('/metadata/annotations of the ServiceAccount');
  });

  test('a metadata change (addAnnotation, the usual IRSA escape hatch) is reported like a patch', () => {
    const { chart, manager } = fleet();
    manager.serviceAccount!.metadata.addAnnotation('eks.amazonaws.com/role-arn', 'arn:aws:iam::111122223333:role/ci-cache');
    expect(Testing.synth(chart).find((o) => o.kind === 'ServiceAccount').metadata.annotations).toEqual({ 'eks.amazonaws.com/role-arn': 'arn:aws:iam::111122223333:role/ci-cache' });
    const findings = patchFindingsOf(chart);
    expect(findings.map((f) => [f.ruleId, f.field])).toEqual([['HELM010', 'serviceAccount']]);
    expect(findings[0].message).toContain('changes /metadata/annotations of the ServiceAccount');
  });

  test('a patch of config.toml, of the Role\'s rules: both carried, both reported', () => {
    const { chart, manager } = fleet();
    manager.configMap.addJsonPatch(JsonPatch.replace('/data/config.toml', 'concurrent = 9\n'));
    manager.role.addJsonPatch(JsonPatch.add('/rules/-', { apiGroups: [''], resources: ['nodes'], verbs: ['list'] }));
    expect(patchFindingsOf(chart).map((f) => f.field).sort()).toEqual(['configMap/data', 'role/rules']);
  });

  test('a patched value holding a credential is not echoed into the finding (findings reach the review files)', () => {
    const { chart, manager } = fleet();
    const token = 'glpat-ABCDEFGHIJKLMNOPQRSTUVWXYZ';
    manager.deployment.addJsonPatch(JsonPatch.add('/spec/template/spec/containers/0/lifecycle/postStart', { exec: { command: ['sh', '-c', `echo ${token}`] } }));
    const [finding] = patchFindingsOf(chart);
    expect(finding.field).toBe('deployment/spec/template/spec/containers/0/lifecycle');
    expect(finding.message).toContain('a value holding a GitLab personal access token (glpat-...) (not shown)');
    expect(JSON.stringify(patchFindingsOf(chart))).not.toContain(token);
  });

  test('a patch that changes nothing (the rendered value again) is no divergence', () => {
    const { chart, manager } = fleet();
    manager.deployment.addJsonPatch(JsonPatch.replace('/spec/replicas', 1));
    expect(patchFindingsOf(chart)).toEqual([]);
  });

  test('HELM010 can be acknowledged on the manager', () => {
    const { chart, manager } = fleet();
    manager.deployment.addJsonPatch(JsonPatch.replace('/spec/replicas', 2));
    Rules.acknowledge(manager, 'HELM010', 'deployed natively; the values file is not used');
    const [finding] = patchFindingsOf(chart);
    expect(finding.severity).toBe(Severity.WARNING);
    expect(finding.message).toContain('deployed natively; the values file is not used');
  });

  test('a patch that cannot apply fails synth naming the construct path', () => {
    const { chart, manager } = fleet();
    manager.deployment.addJsonPatch(JsonPatch.replace('/spec/nothing/here', 1));
    expect(() => Testing.synth(chart)).toThrow(/Failed applying a JSON patch to the construct at path 'test\/Runner\/Deployment' \(Deployment runner\)/);
  });

  test('differences: the first differing pointer of each branch, skipping the carried ones', () => {
    expect(differences({ a: { b: 1, c: [1, 2] }, d: 1 }, { 'a': { b: 2, c: [1, 3] }, 'd': 1, 'e/f': 0 }, new Set(['/a/b']))).toEqual(['/a/c/1', '/e~1f']);
    expect(differences(1, 2, new Set())).toEqual(['/']);
  });
});

if (requireRealHelm()) {
  const found = realHelm() as { helm: string; chart: string };
  const nodeOs: typeof os = jest.requireActual('os');
  let privateTmp: string;
  beforeAll(() => {
    privateTmp = fs.mkdtempSync(path.join(os.tmpdir(), 'manager-children-'));
    jest.spyOn(nodeOs, 'tmpdir').mockReturnValue(privateTmp);
  });
  afterAll(() => {
    jest.restoreAllMocks();
    fs.rmSync(privateTmp, { recursive: true, force: true });
  });

  test('the fields HELM010 calls carried are ones the chart renders from the values, at the same place', () => {
    // Every prop behind a carried Deployment field set away from its default, so a value the chart took from its own
    // defaults would differ.
    const { chart, manager } = fleet({
      replicas: 2,
      maxSurge: 1,
      terminationGracePeriod: Duration.minutes(20),
      image: 'registry.example.com/gitlab/gitlab-runner:v18.9.0',
      resources: { cpu: { request: '200m', limit: '2' }, memory: { request: '256Mi', limit: '1Gi' } },
      nodeSelector: { 'node-role': 'system' },
      tolerations: [{ key: 'system', effect: TaintEffect.NO_SCHEDULE }],
      runAsUser: 1001,
      fsGroup: 2002,
      metricsPort: 9400,
      metricsService: true,
      podMonitor: true,
      serviceMonitor: true,
    });
    const native = Testing.synth(chart);
    const rendered = helmTemplate(manager.helmValues(), { releaseName: 'ci', namespace: 'ci', monitoring: true });
    const pairs = (kind: string) => [native.find((o) => o.kind === kind), rendered.find((o) => o.kind === kind)];
    // Fields the chart renders from the values as they are; the rest of the table is checked below field by field.
    const same = ['/spec/replicas', '/spec/strategy', '/spec/template/spec/terminationGracePeriodSeconds', '/spec/template/spec/securityContext',
      '/spec/template/spec/nodeSelector', '/spec/template/spec/tolerations', '/spec/template/spec/containers/0/image',
      '/spec/template/spec/containers/0/imagePullPolicy', '/spec/template/spec/containers/0/lifecycle', '/spec/template/spec/containers/0/resources'];
    const [deployment, chartDeployment] = pairs('Deployment');
    expect(CARRIED_FIELDS.Deployment.map((f) => f.pointer)).toEqual(expect.arrayContaining(same));
    expect(chartDeployment.spec.template.spec.containers[0].name).toBe('ci-gitlab-runner');
    for (const pointer of same) expect([pointer, valueAt(chartDeployment, pointer)]).toEqual([pointer, valueAt(deployment, pointer)]);
    // podLabels: the chart adds its own labels to ours; securityContext: the same but a writable root file system
    // (docs/helm.md); ports: the metrics port's number.
    expect(chartDeployment.spec.template.metadata.labels).toMatchObject(deployment.spec.template.metadata.labels);
    expect(chartDeployment.spec.template.spec.containers[0].securityContext)
      .toEqual({ ...deployment.spec.template.spec.containers[0].securityContext, readOnlyRootFilesystem: false });
    const metricsPort = (d: any) => d.spec.template.spec.containers[0].ports.find((p: any) => p.name === 'metrics').containerPort;
    expect(metricsPort(chartDeployment)).toBe(metricsPort(deployment));
    // Role rules as they are; the Service's metrics port and type; the monitors' endpoints.
    const [role, chartRole] = pairs('Role');
    expect(chartRole.rules).toEqual(role.rules);
    const [service, chartService] = pairs('Service');
    expect(chartService.spec.type).toBe(service.spec.type);
    expect(chartService.spec.ports.find((p: any) => p.name === 'metrics').port).toBe(service.spec.ports[0].port);
    const [podMonitor, chartPodMonitor] = pairs('PodMonitor');
    expect(chartPodMonitor.spec.podMetricsEndpoints).toEqual(podMonitor.spec.podMetricsEndpoints);
    // config.toml: the chart's carries the same [[runners]] section (the values' runners.config) and global settings.
    const [configMap, chartConfigMap] = pairs('ConfigMap');
    const toml: string = configMap.data['config.toml'];
    const runnersSection = toml.slice(toml.indexOf('[[runners]]'));
    expect(runnersSection.length).toBeGreaterThan(100);
    expect(Object.values(chartConfigMap.data).some((text) => String(text).includes(runnersSection.trim()))).toBe(true);
    expect(Object.keys(CARRIED_FIELDS).sort()).toEqual(['ConfigMap', 'Deployment', 'PodMonitor', 'Role', 'Service', 'ServiceMonitor']);
  });

  describe('under a RunnerHelmRelease', () => {
    test('the manager keeps its children; they render the chart\'s objects, which appear once', () => {
      const { chart, manager } = fleet({ metricsService: true });
      new RunnerHelmRelease(chart, 'Release', { manager, chart: found.chart, releaseName: 'ci', helmExecutable: found.helm });
      expect(manager.node.children.filter((c) => c instanceof ApiObject)).toHaveLength(6);
      const objects = Testing.synth(chart);
      expect(objects.map((o) => `${o.kind}/${o.metadata.name}`).sort()).toEqual(['ConfigMap/ci-gitlab-runner', 'Deployment/ci-gitlab-runner',
        'Role/ci-gitlab-runner', 'RoleBinding/ci-gitlab-runner', 'Service/ci-gitlab-runner', 'ServiceAccount/ci-gitlab-runner']);
      expect(objects.every((o) => o.metadata.labels?.heritage === 'Helm')).toBe(true);
      expect(manager.deployment.toJson().metadata.name).toBe('ci-gitlab-runner');
      expect(findManifestProblems(objects)).toEqual([]);
      expect(patchFindingsOf(chart)).toEqual([]);
    });

    test('a patched child is an error (HELM011): the patch would never reach the output', () => {
      const { chart, manager } = fleet();
      manager.deployment.addJsonPatch(JsonPatch.replace('/spec/replicas', 5));
      new RunnerHelmRelease(chart, 'Release', { manager, chart: found.chart, releaseName: 'ci', helmExecutable: found.helm });
      expect(patchFindingsOf(chart)).toEqual([{
        ruleId: 'HELM011',
        severity: Severity.ERROR,
        path: manager.node.path,
        field: 'deployment',
        message: "the Deployment has JSON patches or metadata changes, but RunnerHelmRelease test/Release deploys the chart's Deployment in its place: they never reach the output.",
        fix: 'set the matching prop (the values follow it) instead of patching, or deploy the native manifests without the release.',
      }]);
      expect(() => declaredAny(() => Rules.acknowledge(manager, 'HELM011', 'x'), manager)).toThrow(/error/);
    });

    test('a second release of the same manager is refused', () => {
      const { chart, manager } = fleet();
      new RunnerHelmRelease(chart, 'Release', { manager, chart: found.chart, releaseName: 'ci', helmExecutable: found.helm });
      expect(() => declaredAny(() => new RunnerHelmRelease(chart, 'Again', { manager, chart: found.chart, releaseName: 'ci2', helmExecutable: found.helm })))
        .toThrow(/\[test\/Again\] manager: test\/Runner is already deployed by the release test\/Release; two releases of one manager would run it twice\..*Fix: declare one RunnerHelmRelease per manager\./s);
    });
  });
}

// A manager's object renders its metadata only at synth: it notices a user's metadata change by the methods of cdk8s's
// ApiObjectMetadataDefinition that change it, and compares the metadata from the first such call on. These tests hold
// it to every such method of the cdk8s in use, so a new one cannot slip past HELM010.
describe('metadata changes, noticed by the methods that make them', () => {
  const CHANGES: Record<string, (m: ApiObjectMetadataDefinition) => void> = {
    addLabel: (m) => m.addLabel('team', 'ci'),
    addAnnotation: (m) => m.addAnnotation('eks.amazonaws.com/role-arn', 'arn:aws:iam::111122223333:role/ci'),
    addFinalizers: (m) => m.addFinalizers('example.com/keep'),
    addOwnerReference: (m) => m.addOwnerReference({ apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: '1234' }),
    add: (m) => m.add('generateName', 'runner-'),
  };

  test('every metadata method of cdk8s that changes something is one the objects notice', () => {
    const methods = Object.getOwnPropertyNames(ApiObjectMetadataDefinition.prototype)
      .filter((name) => name !== 'constructor' && name !== 'toJson' && !name.startsWith('get'));
    expect(methods.sort()).toEqual(Object.keys(CHANGES).sort());
  });

  test.each(Object.keys(CHANGES))('metadata.%s on the ServiceAccount is reported (HELM010) and reaches the manifest', (method) => {
    const { chart, manager } = fleet();
    const before = JSON.stringify(Testing.synth(chart).find((o) => o.kind === 'ServiceAccount').metadata);
    CHANGES[method](manager.serviceAccount!.metadata);
    expect(JSON.stringify(Testing.synth(chart).find((o) => o.kind === 'ServiceAccount').metadata)).not.toBe(before);
    expect(patchFindingsOf(chart).map((f) => f.field)).toEqual(['serviceAccount']);
  });

  test('a label set to the value it already has changes nothing, and nothing is reported', () => {
    const { chart, manager } = fleet();
    const sa = Testing.synth(chart).find((o) => o.kind === 'ServiceAccount');
    const [key, value] = Object.entries(sa.metadata.labels as Record<string, string>)[0];
    manager.serviceAccount!.metadata.addLabel(key, value);
    expect(patchFindingsOf(chart).map((f) => f.field)).toEqual([]);
  });

  test('without a metadata change no object is patched', () => {
    const { chart } = fleet();
    expect(patchFindingsOf(chart).map((f) => f.field)).toEqual([]);
  });
});
