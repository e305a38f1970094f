import { labels } from './manager-manifests';
import type { ManagerModel } from '../../model/manager';

// Pure renderers of the prometheus-operator monitors (monitoring.coreos.com/v1) of a manager's metrics. They scrape
// what the chart's podmonitor.yaml and servicemonitor.yaml scrape (chart 0.86.0): the port named `metrics`, in the
// manager's namespace, selecting the manager's pods or its metrics Service by their labels.

/** @internal The API group/version of the prometheus-operator monitors. */
export const MONITORING_API_VERSION = 'monitoring.coreos.com/v1';
/** @internal The name of the manager container's metrics port, which the monitors scrape. */
export const METRICS_PORT_NAME = 'metrics';

function monitorMeta(m: ManagerModel) {
  return { name: m.name, namespace: m.namespace, labels: { ...labels(m), 'app.kubernetes.io/managed-by': 'cdk8s-gitlab-runner' } };
}

/** @internal Whether the manager asks for a PodMonitor, a ServiceMonitor. */
export function monitorsOf(m: ManagerModel): { podMonitor: boolean; serviceMonitor: boolean } {
  return { podMonitor: m.monitoring?.podMonitor === true, serviceMonitor: m.monitoring?.serviceMonitor === true };
}

/** @internal A PodMonitor of the manager pods' metrics port. */
export function podMonitor(m: ManagerModel) {
  return {
    apiVersion: MONITORING_API_VERSION,
    kind: 'PodMonitor',
    metadata: monitorMeta(m),
    spec: {
      podMetricsEndpoints: [{ port: METRICS_PORT_NAME }],
      namespaceSelector: { matchNames: [m.namespace] },
      selector: { matchLabels: labels(m) },
    },
  };
}

/** @internal A ServiceMonitor of the metrics Service's port (the Service carries the manager's labels). */
export function serviceMonitor(m: ManagerModel) {
  return {
    apiVersion: MONITORING_API_VERSION,
    kind: 'ServiceMonitor',
    metadata: monitorMeta(m),
    spec: {
      endpoints: [{ port: METRICS_PORT_NAME }],
      namespaceSelector: { matchNames: [m.namespace] },
      selector: { matchLabels: labels(m) },
    },
  };
}
