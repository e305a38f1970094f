// The permissions the Kubernetes executor uses, from the runner's `// kubeAPI:` annotations (gitlab-runner-facts §4).
// One table serves the native Role and the Helm chart's rbac.rules, so the two cannot differ.

/** A Kubernetes PolicyRule. */
export interface PolicyRule {
  readonly apiGroups: string[];
  readonly resources: string[];
  readonly verbs: string[];
}

/** What decides which optional permissions the executor needs. */
export interface RbacInputs {
  readonly featureFlags: Record<string, boolean>;
  readonly kubernetesConfig: Record<string, unknown>;
}

interface Grant {
  readonly group: string;
  readonly resource: string;
  readonly verbs: string[];
  /** Why the executor needs it; absent condition = always. */
  readonly when?: (inputs: RbacInputs) => boolean;
}

const ff = (name: string) => (i: RbacInputs) => i.featureFlags[name] === true;
const attachMode = (i: RbacInputs) => i.featureFlags.FF_USE_LEGACY_KUBERNETES_EXECUTION_STRATEGY !== true;

const GRANTS: Grant[] = [
  // create/delete/get always; list+watch feed the pod informer (without them the runner polls and warns).
  { group: '', resource: 'pods', verbs: ['create', 'delete', 'get', 'list', 'watch'] },
  { group: '', resource: 'pods/exec', verbs: ['create', 'delete', 'get', 'patch'] },
  { group: '', resource: 'pods/attach', verbs: ['create', 'delete', 'get', 'patch'], when: attachMode },
  // Needed for CI_DEBUG_SERVICES, a job variable any pipeline may set, and for several feature flags.
  { group: '', resource: 'pods/log', verbs: ['get', 'list'] },
  // The runner creates a registry-credentials Secret per job.
  { group: '', resource: 'secrets', verbs: ['create', 'delete', 'get', 'update'] },
  // Proxy Services for job services that declare ports (set in .gitlab-ci.yml, so always possible).
  { group: '', resource: 'services', verbs: ['create', 'get'] },
  { group: '', resource: 'events', verbs: ['list'], when: (i) => i.kubernetesConfig.print_pod_warning_events !== false },
  { group: '', resource: 'events', verbs: ['watch'], when: ff('FF_PRINT_POD_EVENTS') },
  // 0 (the config-file default) turns the check off; a negative value means the runner's 5 attempts.
  {
    group: '',
    resource: 'serviceaccounts',
    verbs: ['get'],
    when: (i) => Number(i.kubernetesConfig.resource_availability_check_max_attempts ?? 0) !== 0,
  },
  // Suspendable environments read the job namespace (a Role in that namespace can grant get on it).
  { group: '', resource: 'namespaces', verbs: ['get'], when: ff('FF_SUSPENDABLE_ENVIRONMENTS') },
  { group: '', resource: 'configmaps', verbs: ['create', 'delete', 'get', 'update'], when: ff('FF_SUSPENDABLE_ENVIRONMENTS') },
  { group: '', resource: 'persistentvolumeclaims', verbs: ['create', 'delete'], when: ff('FF_SUSPENDABLE_ENVIRONMENTS') },
  { group: 'policy', resource: 'poddisruptionbudgets', verbs: ['create', 'get'], when: (i) => i.kubernetesConfig.pod_disruption_budget === true },
  // [runners.kubernetes.autoscaler] keeps pause pods in a Deployment.
  {
    group: 'apps',
    resource: 'deployments',
    verbs: ['create', 'delete', 'get', 'list', 'update'],
    when: (i) => i.kubernetesConfig.autoscaler !== undefined,
  },
];

/** The least-privilege rules of the manager's Role, merged per resource, in a stable order. */
export function executorRules(inputs: RbacInputs): PolicyRule[] {
  const merged = new Map<string, { group: string; resource: string; verbs: Set<string> }>();
  for (const g of GRANTS) {
    if (g.when && !g.when(inputs)) continue;
    const key = `${g.group}/${g.resource}`;
    const entry = merged.get(key) ?? { group: g.group, resource: g.resource, verbs: new Set<string>() };
    g.verbs.forEach((v) => entry.verbs.add(v));
    merged.set(key, entry);
  }
  return [...merged.values()].map((e) => ({ apiGroups: [e.group], resources: [e.resource], verbs: [...e.verbs].sort() }));
}
