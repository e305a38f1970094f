import { Duration } from 'cdk8s';
import { compact, nonEmptyList, nonEmptyRecord } from './records';
import { resourceTomlKeys } from './resources';
import type { JobPodModel } from '../../model/job-pod';
import type { JobNodeAffinity, JobPodSchedulingProps, NodeSelectorRequirement, NodeSelectorTerm } from '../../model/job-scheduling';
import { isPlainMap } from '../validate/validators';

// The scheduling, identity, overwrite and pod-level resource props of JobPodTemplate, as [runners.kubernetes] keys
// (spelled as in ../shared/reference/gitlab-runner-config-keys-by-version.json), and the Kubernetes objects the
// runner builds from them for the job pod preview.

type Table = Record<string, any>;

function requirements(list: NodeSelectorRequirement[] | undefined): Table[] | undefined {
  if (!Array.isArray(list)) return undefined;
  return nonEmptyList(list.filter(isPlainMap)
    .map((r) => compact({ key: r.key, operator: r.operator, values: Array.isArray(r.values) && r.values.length ? [...r.values] : undefined })));
}

function term(t: NodeSelectorTerm | undefined): Table {
  return compact({ match_expressions: requirements(t?.matchExpressions), match_fields: requirements(t?.matchFields) });
}

/** `[runners.kubernetes.affinity]` of the node affinity prop. */
export function affinityTable(a: JobNodeAffinity | undefined): Table | undefined {
  if (!isPlainMap(a)) return undefined;
  const required = Array.isArray(a!.required) && a!.required.length
    ? { node_selector_terms: a!.required.map((t) => term(isPlainMap(t) ? t : undefined)) } : undefined;
  const preferred = Array.isArray(a!.preferred) && a!.preferred.length
    ? a!.preferred.filter(isPlainMap).map((p) => ({ weight: p.weight, preference: term(p.preference) })) : undefined;
  const nodeAffinity = nonEmptyRecord(compact({
    required_during_scheduling_ignored_during_execution: required,
    preferred_during_scheduling_ignored_during_execution: preferred,
  }));
  return nodeAffinity ? { node_affinity: nodeAffinity } : undefined;
}

function seconds(d: Duration | undefined): number | undefined {
  return d instanceof Duration ? d.toSeconds({ integral: false }) : undefined;
}

/** The config.toml keys of the scheduling props, in a fixed order; unset props render nothing. */
export function schedulingTomlKeys(p: JobPodSchedulingProps): Record<string, unknown> {
  const o = isPlainMap(p.overwriteAllowed) ? p.overwriteAllowed! : {};
  const pod = isPlainMap(p.podResources) ? { cpu: p.podResources!.cpu, memory: p.podResources!.memory } : undefined;
  return compact({
    runtime_class_name: p.runtimeClassName,
    priority_class_name: p.priorityClassName,
    image_pull_secrets: Array.isArray(p.imagePullSecrets) && p.imagePullSecrets.length ? [...p.imagePullSecrets] : undefined,
    use_service_account_image_pull_secrets: p.useServiceAccountImagePullSecrets,
    pod_termination_grace_period_seconds: seconds(p.podTerminationGracePeriod),
    cleanup_grace_period_seconds: seconds(p.cleanupGracePeriod),
    namespace_overwrite_allowed: o.namespace,
    service_account_overwrite_allowed: o.serviceAccount,
    bearer_token_overwrite_allowed: o.bearerToken,
    node_selector_overwrite_allowed: o.nodeSelector,
    pod_labels_overwrite_allowed: o.podLabels,
    pod_annotations_overwrite_allowed: o.podAnnotations,
    ...resourceTomlKeys('pod_', pod),
    affinity: affinityTable(p.nodeAffinity),
  });
}

/**
 * The `[runners.kubernetes]` settings of a job pod that the model reads beyond its typed containers: the escape
 * hatch's keys and the scheduling props' keys (never both for one key: the construct refuses that).
 */
export function kubernetesSettings(job: Pick<JobPodModel, 'extraConfig' | 'scheduling'>): Record<string, unknown> {
  return { ...job.extraConfig, ...job.scheduling };
}

/** The prop that set a `[runners.kubernetes]` key (`runtimeClassName`, `extraConfig.runtime_class_name`), for messages. */
export function settingField(job: Pick<JobPodModel, 'scheduling'>, key: string, typed: string): string {
  return Object.prototype.hasOwnProperty.call(job.scheduling, key) ? typed : `extraConfig.${key}`;
}

function kubeRequirements(list: Table[] | undefined): Table[] | undefined {
  return nonEmptyList((list ?? []).map((r) => compact({ key: r.key, operator: r.operator, values: r.values })));
}

function kubeTerm(t: Table | undefined): Table {
  return compact({ matchExpressions: kubeRequirements(t?.match_expressions), matchFields: kubeRequirements(t?.match_fields) });
}

/** The pod's `affinity.nodeAffinity`, as the runner converts `[runners.kubernetes.affinity.node_affinity]`. */
export function kubeAffinity(affinity: Table | undefined): Table | undefined {
  const n = affinity?.node_affinity;
  if (!n) return undefined;
  const required = n.required_during_scheduling_ignored_during_execution;
  const preferred: Table[] | undefined = n.preferred_during_scheduling_ignored_during_execution;
  const nodeAffinity = nonEmptyRecord(compact({
    requiredDuringSchedulingIgnoredDuringExecution: required ? { nodeSelectorTerms: (required.node_selector_terms ?? []).map(kubeTerm) } : undefined,
    preferredDuringSchedulingIgnoredDuringExecution: nonEmptyList((preferred ?? [])
      .map((p) => ({ weight: p.weight, preference: kubeTerm(p.preference) }))),
  }));
  return nodeAffinity ? { nodeAffinity } : undefined;
}

/** The pod's `spec.resources` (pod-level requests and limits, runner 18.10 and later). */
export function kubePodResources(table: Table): Table | undefined {
  const pick = (kind: 'request' | 'limit') => nonEmptyRecord(compact({ cpu: table[`pod_cpu_${kind}`], memory: table[`pod_memory_${kind}`] }));
  return nonEmptyRecord(compact({ requests: pick('request'), limits: pick('limit') }));
}
