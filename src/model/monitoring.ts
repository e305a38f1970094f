// Prometheus-operator monitors of a manager's metrics, in the native manifests and in the Helm values alike.

/** @internal Which prometheus-operator monitors scrape the manager's metrics. */
export interface MonitoringModel {
  /** A PodMonitor selecting the manager pods (the chart's recommended monitor). */
  readonly podMonitor: boolean;
  /** A ServiceMonitor selecting the metrics Service (which it needs). */
  readonly serviceMonitor: boolean;
}
