import type { Problem } from '../../model/problem';
import { show } from '../validate/validators';

// The wording of the manager, token and RBAC findings (src/internal/rules/manager.ts decides when they apply).

/** @internal */
export const MANAGER_MESSAGES = {
  /** MGR001: why the manager pods would not each keep their own system id. */
  noConfigFlag: (): string => 'the manager container is started without --config, so where the runner keeps .runner_system_id is unknown.',
  readOnlyRoot: (p: { dir: string }): string => `${p.dir} is on the read-only root filesystem, so the runner cannot write .runner_system_id.`,
  readOnlyVolume: (p: { dir: string; volume: string }): string =>
    `${p.dir} is mounted read-only from volume '${p.volume}', so the runner cannot write .runner_system_id.`,
  sharedVolume: (p: { dir: string; volume: string; replicas: number }): string =>
    `${p.dir} is volume '${p.volume}', which every replica mounts, so all ${p.replicas} pods read one .runner_system_id `
    + 'and GitLab sees one runner manager.',
  systemIdFix: (): string => 'render the config directory as a per-pod emptyDir copy of the ConfigMap.',
  /** MGR002: where the metrics port disagrees. */
  noPort: (p: { listenAddress: string }): string => `listen_address ${show(p.listenAddress)} has no port.`,
  loopback: (p: { listenAddress: string }): string =>
    `listen_address ${show(p.listenAddress)} binds to loopback, so probes and Prometheus cannot reach it.`,
  noMetricsPort: (): string => 'the manager container declares no port named metrics.',
  containerPort: (p: { containerPort: number; listenAddress: string }): string =>
    `the container's metrics port is ${p.containerPort}, but listen_address is ${show(p.listenAddress)}.`,
  probePort: (p: { probe: string; target: unknown; port: number }): string =>
    `the ${p.probe} checks port ${show(p.target)}, not the metrics port ${p.port}.`,
  servicePort: (p: { service: string; port: unknown; target: unknown; metricsPort: number }): string =>
    `Service ${p.service} sends port ${p.port} to ${show(p.target)}, not to the metrics port ${p.metricsPort}.`,
  metricsPortFix: (p: { metricsPort: number }): string => `serve metrics on one port: metricsPort ${p.metricsPort} everywhere.`,
  /** MGR003: poll_timeout shorter than node provisioning. */
  pollTimeout: (p: { poll: number; isDefault: boolean; budgetPath: string; provisioning: number; suggested: number }): Problem => ({
    message: `the runner waits ${p.poll}s${p.isDefault ? ' (its default)' : ''} for a job pod to start, but ${p.budgetPath} declares nodes `
      + `that take up to ${p.provisioning}s to become ready, so jobs that need a new node fail.`,
    fix: `set pollTimeout to at least Duration.seconds(${p.suggested}) (provisioning plus time to pull images).`,
  }),
  /** MGR004 */
  requestConcurrency: (p: { requestConcurrency: number; concurrent: number }): Problem => ({
    message: `requestConcurrency ${p.requestConcurrency} is above concurrent ${p.concurrent}: the extra requests can never turn into running jobs.`,
    fix: `set requestConcurrency to at most ${p.concurrent}.`,
  }),
  /** MGR005 */
  limitAboveConcurrent: (p: { limit: number; concurrent: number }): Problem => ({
    message: `limit ${p.limit} is above concurrent ${p.concurrent}, which caps each manager pod first; limit has no effect.`,
    fix: `set limit to at most ${p.concurrent}, or raise concurrent to ${p.limit}.`,
  }),
  /** MGR006 */
  limitBelowConcurrent: (p: { limit: number; concurrent: number; replicas: number }): Problem => ({
    message: `limit ${p.limit} caps this runner entry below concurrent ${p.concurrent}: `
      + `each of the ${p.replicas} pods runs at most ${p.limit} jobs, not ${p.concurrent}.`,
    fix: `set concurrent to ${p.limit} and drop limit, so the declared slots match what runs.`,
  }),
  /** TOK001 */
  registrationTokenKey: (p: { key: string; secretName: string }): Problem => ({
    message: `the token is read from key '${p.key}' of Secret '${p.secretName}'. A registration token there makes every request fail `
      + 'with 403 Forbidden: the runner needs the glrt- authentication token of a runner created in GitLab.',
    fix: 'create the runner in GitLab (Settings > CI/CD > Runners), store its glrt- token under key \'runner-token\' '
      + `and use RunnerToken.fromSecret('${p.secretName}', 'runner-token').`,
  }),
  /** RBAC001 */
  namespacePerJob: (): Problem => ({
    message: "a namespace per job needs cluster-wide rights to create namespaces, which this manager's Role does not grant.",
    fix: 'run jobs in one namespace (JobPodTemplateProps.namespace).',
  }),
  /** RBAC002 */
  namespaceOverwrite: (p: { allowed: string; namespace: string }): Problem => ({
    message: `jobs may move their pods to any namespace matching ${show(p.allowed)}, but the manager's Role is granted in `
      + `'${p.namespace}' only: those jobs fail with "forbidden".`,
    fix: 'drop namespace_overwrite_allowed; declare one JobPodTemplate and RunnerManager per namespace instead.',
  }),
  /** RBAC003 */
  autoscaler: (p: { namespace: string }): Problem => ({
    message: 'the autoscaler\'s pause pods need scheduling.k8s.io priorityclasses create and get, which are cluster-scoped; '
      + `the manager's Role in '${p.namespace}' cannot grant them.`,
    fix: 'bind the manager\'s ServiceAccount to a ClusterRole allowing priorityclasses create and get, '
      + 'then acknowledge RBAC003 with Rules.acknowledge; or drop extraConfig.autoscaler.',
  }),
};
