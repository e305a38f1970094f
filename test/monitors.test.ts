import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { JsonPatch, Testing } from 'cdk8s';
import { RunnerHelmRelease, RunnerManagerProps } from '../src';
import { declaredAny } from './declared';
import { helmTemplate, realHelm, requireRealHelm } from './helm-binary';
import { findManifestProblems } from './k8s-schema';
import { oneManager } from './manager-pod-fixtures';

// prometheus-operator monitors of the manager's metrics: natively (schema-checked with the prometheus-operator models,
// unknown fields refused) and through the chart (rendered by the real helm, which must actually render them), agreeing.

const fleet = (extra: Partial<RunnerManagerProps> = {}) => oneManager({ metricsPort: 9400, ...extra }, 'ci-jobs');

const one = (objects: any[], kind: string) => {
  const found = objects.filter((o) => o.kind === kind);
  expect(found).toHaveLength(1);
  return found[0];
};
const podLabels = (deployment: any) => deployment.spec.template.metadata.labels;
const containerPortNames = (deployment: any): string[] =>
  deployment.spec.template.spec.containers.flatMap((c: any) => (c.ports ?? []).map((p: any) => p.name));

describe('native monitors', () => {
  test('a PodMonitor scraping the manager pods\' metrics port in their namespace; schema-valid', () => {
    const { chart } = fleet({ podMonitor: true });
    const objects = Testing.synth(chart);
    expect(findManifestProblems(objects)).toEqual([]);
    const monitor = one(objects, 'PodMonitor');
    const deployment = one(objects, 'Deployment');
    expect(monitor.apiVersion).toBe('monitoring.coreos.com/v1');
    expect(monitor.metadata).toMatchObject({ name: 'runner', namespace: 'ci' });
    expect(monitor.spec.namespaceSelector).toEqual({ matchNames: ['ci'] });
    expect(podLabels(deployment)).toMatchObject(monitor.spec.selector.matchLabels);
    expect(monitor.spec.podMetricsEndpoints).toEqual([{ port: 'metrics' }]);
    expect(containerPortNames(deployment)).toContain('metrics');
    // No metrics Service is needed for a PodMonitor.
    expect(objects.filter((o) => o.kind === 'Service')).toEqual([]);
  });

  test('a ServiceMonitor turns the metrics Service on and selects it by its labels and port name', () => {
    const { chart, manager } = fleet({ serviceMonitor: true });
    const objects = Testing.synth(chart);
    expect(findManifestProblems(objects)).toEqual([]);
    const monitor = one(objects, 'ServiceMonitor');
    const service = one(objects, 'Service');
    expect(manager.metricsService).toBeDefined();
    expect(service.metadata.labels).toMatchObject(monitor.spec.selector.matchLabels);
    expect(service.spec.ports.map((p: any) => p.name)).toContain(monitor.spec.endpoints[0].port);
    expect(monitor.spec.namespaceSelector).toEqual({ matchNames: [service.metadata.namespace] });
    expect(objects.filter((o) => o.kind === 'PodMonitor')).toEqual([]);
  });

  test('the schema check refuses an unknown monitor field (it can fail)', () => {
    const { chart, manager } = fleet({ podMonitor: true });
    manager.podMonitor!.addJsonPatch(JsonPatch.add('/spec/podMetricsEndpoints/0/scrapeEvery', '30s'));
    expect(findManifestProblems(Testing.synth(chart))).toEqual(['PodMonitor/runner: /spec/podMetricsEndpoints/0/scrapeEvery: unknown field: the schema has no such field.']);
  });

  test('bad input: a ServiceMonitor with metricsService false, non-boolean monitor props', () => {
    expect(() => declaredAny(() => fleet({ serviceMonitor: true, metricsService: false }))).toThrow(
      /\[test\/Runner\] serviceMonitor: a ServiceMonitor scrapes the metrics Service, but metricsService is false, so it would scrape nothing\. Fix: leave metricsService unset/);
    expect(() => declaredAny(() => fleet({ podMonitor: 'yes' as any }))).toThrow(/\[test\/Runner\] podMonitor: 'yes' is not true or false\. Fix: give a boolean\./);
  });

  test('the Helm values ask the chart for the same monitors', () => {
    expect(fleet().manager.helmValues().metrics).toEqual({ enabled: true, port: 9400 });
    const values = fleet({ podMonitor: true, serviceMonitor: true }).manager.helmValues();
    expect(values.metrics).toEqual({ enabled: true, port: 9400, podMonitor: { enabled: true }, serviceMonitor: { enabled: true } });
    expect(values.service).toEqual({ enabled: true, type: 'ClusterIP' });
  });
});

if (requireRealHelm()) {
  const found = realHelm() as { helm: string; chart: string };

  test('the real chart renders both monitors from the values, and they scrape what the native ones scrape', () => {
    const { chart, manager } = fleet({ podMonitor: true, serviceMonitor: true });
    const native = Testing.synth(chart);
    const rendered = helmTemplate(manager.helmValues(), { releaseName: 'ci', namespace: 'ci', monitoring: true });
    expect(findManifestProblems(rendered)).toEqual([]);
    const [chartPod, chartService] = [one(rendered, 'PodMonitor'), one(rendered, 'ServiceMonitor')];
    const [nativePod, nativeService] = [one(native, 'PodMonitor'), one(native, 'ServiceMonitor')];
    expect(chartPod.spec.podMetricsEndpoints).toEqual(nativePod.spec.podMetricsEndpoints);
    expect(chartService.spec.endpoints).toEqual(nativeService.spec.endpoints);
    expect(chartPod.spec.namespaceSelector).toEqual(nativePod.spec.namespaceSelector);
    expect(chartService.spec.namespaceSelector).toEqual(nativeService.spec.namespaceSelector);
    // Each selects its own output's pods and Service, on a port of the same name and number.
    const [chartDeployment, chartSvc] = [one(rendered, 'Deployment'), one(rendered, 'Service')];
    expect(podLabels(chartDeployment)).toMatchObject(chartPod.spec.selector.matchLabels);
    expect(chartSvc.metadata.labels).toMatchObject(chartService.spec.selector.matchLabels);
    const chartPort = chartDeployment.spec.template.spec.containers[0].ports.find((p: any) => p.name === 'metrics');
    const nativePort = one(native, 'Deployment').spec.template.spec.containers[0].ports.find((p: any) => p.name === 'metrics');
    expect(chartPort.containerPort).toBe(nativePort.containerPort);
    expect(chartSvc.spec.ports.find((p: any) => p.name === chartService.spec.endpoints[0].port).port).toBe(one(native, 'Service').spec.ports[0].port);
  });

  test('a RunnerHelmRelease of a manager with monitors renders them (the release passes --api-versions itself)', () => {
    const privateTmp = fs.mkdtempSync(path.join(os.tmpdir(), 'monitors-'));
    const nodeOs: typeof os = jest.requireActual('os');
    const spy = jest.spyOn(nodeOs, 'tmpdir').mockReturnValue(privateTmp);
    try {
      const { chart, manager } = fleet({ podMonitor: true, serviceMonitor: true });
      new RunnerHelmRelease(chart, 'Release', { manager, chart: found.chart, releaseName: 'ci', helmExecutable: found.helm });
      const objects = Testing.synth(chart);
      expect(findManifestProblems(objects)).toEqual([]);
      expect(one(objects, 'PodMonitor').metadata.labels.heritage).toBe('Helm');
      expect(one(objects, 'ServiceMonitor').metadata.labels.heritage).toBe('Helm');
      expect(manager.podMonitor!.toJson().metadata.name).toBe('ci-gitlab-runner');
    } finally {
      spy.mockRestore();
      fs.rmSync(privateTmp, { recursive: true, force: true });
    }
  });
}
