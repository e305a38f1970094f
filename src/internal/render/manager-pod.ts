import type { ManagerModel } from '../../model/manager';
import type { ManagerPodModel } from '../../model/manager-pod';

// Pure renderers of the manager pod's settings of issue #14 (identity, metadata, placement, disruption budget), shared
// by the native manifests (manager-manifests.ts) and the Helm values (helm-values.ts), so both carry the same objects.

/** The settings when a model has none (a model built before #14, in tests): what the manager did before. */
export function podSettings(m: ManagerModel): ManagerPodModel {
  return m.pod ?? {
    imagePullSecrets: [],
    createServiceAccount: true,
    serviceAccountName: m.name,
    serviceAccountAnnotations: {},
    podAnnotations: {},
    podLabels: {},
    topologySpread: [],
    runnerConfig: {},
  };
}

/** The labels that select the manager pods (Deployment selector, Service, PDB, topology spread). */
function selectorLabels(m: ManagerModel): Record<string, string> {
  return { 'app.kubernetes.io/name': 'gitlab-runner', 'app.kubernetes.io/instance': m.name };
}

const nonEmpty = <T extends object>(value: T): T | undefined => (Object.keys(value).length ? value : undefined);

/** The pod template's labels: the user's, then the selector labels (which the user's may not change). */
export function podTemplateLabels(m: ManagerModel): Record<string, string> {
  return { ...sorted(podSettings(m).podLabels), ...selectorLabels(m) };
}

/** The pod template's annotations: the user's, then the library's own. */
export function podTemplateAnnotations(m: ManagerModel, own: Record<string, string>): Record<string, string> {
  return { ...sorted(podSettings(m).podAnnotations), ...own };
}

/** The fields of the manager's pod spec these settings add, in Kubernetes' spelling; unset ones are undefined. */
export function podSpecSettings(m: ManagerModel) {
  const pod = podSettings(m);
  return {
    serviceAccountName: pod.serviceAccountName,
    priorityClassName: pod.priorityClassName,
    imagePullSecrets: pod.imagePullSecrets.length ? pod.imagePullSecrets.map((name) => ({ name })) : undefined,
    affinity: pod.affinity,
    topologySpreadConstraints: pod.topologySpread.length ? pod.topologySpread.map((t) => ({
      maxSkew: t.maxSkew,
      topologyKey: t.topologyKey,
      whenUnsatisfiable: t.whenUnsatisfiable,
      labelSelector: { matchLabels: selectorLabels(m) },
    })) : undefined,
  };
}

/** The ServiceAccount's annotations (EKS IRSA, GKE Workload Identity), if any. */
export function serviceAccountAnnotations(m: ManagerModel): Record<string, string> | undefined {
  return nonEmpty(sorted(podSettings(m).serviceAccountAnnotations));
}

/** The manager's PodDisruptionBudget (`policy/v1`), or undefined when it has none. */
export function podDisruptionBudget(m: ManagerModel, metadata: { name: string; namespace?: string; labels?: Record<string, string> }) {
  const budget = podSettings(m).disruptionBudget;
  if (budget === undefined) return undefined;
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata,
    spec: { maxUnavailable: budget.maxUnavailable, minAvailable: budget.minAvailable, selector: { matchLabels: selectorLabels(m) } },
  };
}

function sorted(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.keys(record).sort().map((k) => [k, record[k]]));
}
