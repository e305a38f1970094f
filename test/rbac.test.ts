import { executorRules, PolicyRule, RbacInputs } from '../src/internal/render/rbac';

// The permissions table of gitlab-runner-facts §4, condition by condition.

function rules(featureFlags: Record<string, boolean> = {}, kubernetesConfig: Record<string, unknown> = {}): PolicyRule[] {
  const inputs: RbacInputs = { featureFlags, kubernetesConfig };
  return executorRules(inputs);
}

/** `group/resource` → verbs. */
function table(r: PolicyRule[]): Record<string, string[]> {
  return Object.fromEntries(r.map((rule) => [`${rule.apiGroups[0]}/${rule.resources[0]}`, rule.verbs]));
}

const DEFAULT_TABLE = {
  '/pods': ['create', 'delete', 'get', 'list', 'watch'],
  '/pods/exec': ['create', 'delete', 'get', 'patch'],
  '/pods/attach': ['create', 'delete', 'get', 'patch'],
  '/pods/log': ['get', 'list'],
  '/secrets': ['create', 'delete', 'get', 'update'],
  '/services': ['create', 'get'],
  '/events': ['list'],
};

test('the default feature set: exactly the always-needed grants, attach mode and warning events', () => {
  expect(table(rules())).toEqual(DEFAULT_TABLE);
});

test('one rule per resource, one group and one resource each, verbs sorted, in a stable order', () => {
  const r = rules({ FF_PRINT_POD_EVENTS: true, FF_SUSPENDABLE_ENVIRONMENTS: true }, { pod_disruption_budget: true });
  for (const rule of r) {
    expect(rule.apiGroups).toHaveLength(1);
    expect(rule.resources).toHaveLength(1);
    expect(rule.verbs).toEqual([...rule.verbs].sort());
  }
  const keys = r.map((rule) => `${rule.apiGroups[0]}/${rule.resources[0]}`);
  expect(new Set(keys).size).toBe(keys.length);
  expect(rules({ FF_PRINT_POD_EVENTS: true, FF_SUSPENDABLE_ENVIRONMENTS: true }, { pod_disruption_budget: true })).toEqual(r);
});

test('flags explicitly false are the same as absent', () => {
  const allOff = { FF_PRINT_POD_EVENTS: false, FF_SUSPENDABLE_ENVIRONMENTS: false, FF_USE_LEGACY_KUBERNETES_EXECUTION_STRATEGY: false };
  expect(rules(allOff)).toEqual(rules());
});

test('the legacy exec strategy needs no pods/attach', () => {
  const t = table(rules({ FF_USE_LEGACY_KUBERNETES_EXECUTION_STRATEGY: true }));
  expect(t).not.toHaveProperty('/pods/attach');
  expect(t['/pods/exec']).toEqual(['create', 'delete', 'get', 'patch']);
});

describe('events', () => {
  test('print_pod_warning_events (default true) needs list', () => {
    expect(table(rules({}, { print_pod_warning_events: true }))['/events']).toEqual(['list']);
  });

  test('print_pod_warning_events = false drops it', () => {
    expect(table(rules({}, { print_pod_warning_events: false }))).not.toHaveProperty('/events');
  });

  test('FF_PRINT_POD_EVENTS adds watch, merged into one events rule', () => {
    const r = rules({ FF_PRINT_POD_EVENTS: true });
    expect(r.filter((rule) => rule.resources[0] === 'events')).toEqual([{ apiGroups: [''], resources: ['events'], verbs: ['list', 'watch'] }]);
    expect(table(rules({ FF_PRINT_POD_EVENTS: true }, { print_pod_warning_events: false }))['/events']).toEqual(['watch']);
  });
});

describe('the resource availability check', () => {
  test.each([
    [undefined, false],
    [0, false],
    [3, true],
    // Negative means the runner's default of 5 attempts (gitlab-runner-config-keys.json), so the check runs.
    [-1, true],
  ])('resource_availability_check_max_attempts = %p: serviceaccounts get %p', (attempts, granted) => {
    const t = table(rules({}, attempts === undefined ? {} : { resource_availability_check_max_attempts: attempts }));
    if (granted) expect(t['/serviceaccounts']).toEqual(['get']);
    else expect(t).not.toHaveProperty('/serviceaccounts');
  });
});

test('FF_SUSPENDABLE_ENVIRONMENTS: namespaces get, configmaps and persistentvolumeclaims', () => {
  const t = table(rules({ FF_SUSPENDABLE_ENVIRONMENTS: true }));
  expect(t).toMatchObject({
    '/namespaces': ['get'],
    '/configmaps': ['create', 'delete', 'get', 'update'],
    '/persistentvolumeclaims': ['create', 'delete'],
  });
  expect(table(rules())).not.toHaveProperty('/configmaps');
});

test('pod_disruption_budget = true: policy poddisruptionbudgets create and get', () => {
  expect(table(rules({}, { pod_disruption_budget: true }))['policy/poddisruptionbudgets']).toEqual(['create', 'get']);
  expect(table(rules({}, { pod_disruption_budget: false }))).not.toHaveProperty('policy/poddisruptionbudgets');
});

test('[runners.kubernetes.autoscaler]: apps deployments for the pause pods', () => {
  expect(table(rules({}, { autoscaler: { max_pause_pods: 2 } }))['apps/deployments']).toEqual(['create', 'delete', 'get', 'list', 'update']);
  expect(table(rules())).not.toHaveProperty('apps/deployments');
});

test('never a wildcard, never a cluster-scoped grant beyond the job namespace itself', () => {
  const everything = rules(
    { FF_PRINT_POD_EVENTS: true, FF_SUSPENDABLE_ENVIRONMENTS: true },
    { pod_disruption_budget: true, resource_availability_check_max_attempts: 5, autoscaler: {} },
  );
  for (const rule of everything) {
    expect(rule.verbs).not.toContain('*');
    expect(rule.resources).not.toContain('*');
    expect(rule.apiGroups).not.toContain('*');
  }
  expect(everything.map((r) => r.resources[0])).not.toContain('nodes');
  expect(table(everything)['/namespaces']).toEqual(['get']);
});
