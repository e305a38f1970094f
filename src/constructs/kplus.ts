import type * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { KPLUS_MESSAGES as M } from './kplus.messages';
import { labels } from '../internal/render/manager-manifests';
import { compareVersions } from '../internal/runner/version';
import { PROP_RULES } from '../internal/validate/construction-rules';
import { FleetConfigError, Severity } from '../model/finding';
import type { ManagerModel } from '../model/manager';
import type { Problem } from '../model/problem';

// cdk8s-plus-28 interop. The library loads cdk8s-plus-28 only here, and only when a user asks for a cdk8s-plus object
// (loading it costs every synth about 70 ms): the type imports above vanish from the compiled JavaScript.

/** The job pod label the runner sets to its `[[runners]] name` (`manager.runner.gitlab.com/name`, runner 17.9.0 on). */
export const JOB_POD_MANAGER_LABEL = 'manager.runner.gitlab.com/name';
/** The first runner version that labels its job pods with its name (executors/kubernetes buildLabels). */
export const JOB_POD_MANAGER_LABEL_SINCE = '17.9.0';

/** A method that cannot return what it is asked for throws (unlike props, whose errors wait for synth). */
function refuse(scope: Construct, field: string, problem: Problem): never {
  const { message, fix } = problem;
  throw new FleetConfigError([{ ruleId: PROP_RULES.manager.id, severity: Severity.ERROR, path: scope.node.path, field, message, fix }]);
}

/** cdk8s-plus-28, loaded on first use; a missing package is a prop error naming the member that needs it. */
export function loadKplus(scope: Construct, member: string): typeof kplus {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require('cdk8s-plus-28');
  } catch {
    return refuse(scope, member, M.missing(member));
  }
}

/** The child `id` of `scope` if it exists, else the one `create` makes (so each object is made once). */
function once<T extends Construct>(scope: Construct, id: string, create: () => T): T {
  return (scope.node.tryFindChild(id) as T | undefined) ?? create();
}

/** The manager's ServiceAccount as a cdk8s-plus `IServiceAccount` in its namespace (no object is synthesized). */
export function managerServiceAccount(scope: Construct, m: ManagerModel): kplus.IServiceAccount {
  const plus = loadKplus(scope, 'kplusServiceAccount');
  const existing = scope.node.tryFindChild('KplusServiceAccount') as kplus.IServiceAccount | undefined;
  return existing ?? plus.ServiceAccount.fromServiceAccountName(scope, 'KplusServiceAccount', m.name, { namespaceName: m.namespace });
}

/** The manager pods: its labels, in its namespace. */
export function managerPods(scope: Construct, m: ManagerModel): kplus.Pods {
  const plus = loadKplus(scope, 'managerPods');
  return once(scope, 'ManagerPods', () => plus.Pods.select(scope, 'ManagerPods', {
    labels: labels(m),
    namespaces: plus.Namespaces.select(scope, 'ManagerPodsNamespace', { names: [m.namespace] }),
  }));
}

/** The manager's job pods: the runner's name label, in the job namespace. */
export function jobPods(scope: Construct, m: ManagerModel): kplus.Pods {
  if (compareVersions(m.runnerVersion, JOB_POD_MANAGER_LABEL_SINCE) < 0) {
    refuse(scope, 'jobPods', M.tooOld(m.runnerVersion, JOB_POD_MANAGER_LABEL, JOB_POD_MANAGER_LABEL_SINCE));
  }
  const plus = loadKplus(scope, 'jobPods');
  return once(scope, 'JobPods', () => plus.Pods.select(scope, 'JobPods', {
    labels: { [JOB_POD_MANAGER_LABEL]: m.runnerName },
    namespaces: plus.Namespaces.select(scope, 'JobPodsNamespace', { names: [m.jobPod.namespace] }),
  }));
}
