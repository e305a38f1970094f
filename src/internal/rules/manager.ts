import { CatalogueRule, hit, problemHit } from './core';
import { MANAGER_MESSAGES as M } from './manager.messages';
import { Severity } from '../../model/finding';
import type { ManagerModel } from '../../model/manager';
import { globalTable } from '../render/config-toml';
import { kubernetesSettings, settingField } from '../render/job-scheduling';
import { metricsService, nativeDeployment } from '../render/manager-manifests';
import { isLoopbackHost } from '../render/service-names';

/** The runner's poll_timeout when config.toml sets none (common/consts.go). */
const RUNNER_DEFAULT_POLL_TIMEOUT = 180;
/** The Secret key the chart reserves for deprecated registration tokens (gitlab-runner-facts §5). */
const REGISTRATION_TOKEN_KEY = 'runner-registration-token';

type Json = Record<string, any>;

/**
 * Why the manager pods would not each keep their own `.runner_system_id` (written beside config.toml), or undefined
 * when every pod has a private, writable config directory. Reads the rendered Deployment.
 */
export function systemIdProblem(deploymentObject: Json): string | undefined {
  const spec = deploymentObject.spec.template.spec;
  const runner = spec.containers[0];
  const args: string[] = runner.args ?? [];
  const configPath = args[args.indexOf('--config') + 1];
  if (args.indexOf('--config') < 0 || configPath === undefined) return M.noConfigFlag();
  const dir = configPath.slice(0, configPath.lastIndexOf('/')) || '/';
  const mount = ((runner.volumeMounts ?? []) as Json[])
    .filter((m) => dir === m.mountPath || dir.startsWith(`${String(m.mountPath).replace(/\/$/, '')}/`))
    .sort((a, b) => b.mountPath.length - a.mountPath.length)[0];
  const volume = mount ? (spec.volumes as Json[]).find((v) => v.name === mount.name) : undefined;
  if (!mount || !volume) {
    return runner.securityContext?.readOnlyRootFilesystem
      ? M.readOnlyRoot({ dir })
      : undefined;
  }
  if (mount.readOnly || volume.configMap || volume.secret || volume.projected) return M.readOnlyVolume({ dir, volume: volume.name });
  if (!volume.emptyDir && deploymentObject.spec.replicas > 1) {
    return M.sharedVolume({ dir, volume: volume.name, replicas: deploymentObject.spec.replicas });
  }
  return undefined;
}

/** Where the metrics port disagrees between config.toml, the container, its probes and the Service (empty if nowhere). */
export function metricsPortProblems(listenAddress: string, deploymentObject: Json, service?: Json): string[] {
  const match = /^(.*):(\d+)$/.exec(listenAddress);
  if (!match) return [M.noPort({ listenAddress })];
  const [, host, portText] = match;
  const port = Number(portText);
  const problems: string[] = [];
  if (host !== '' && isLoopbackHost(host.replace(/^\[|\]$/g, ''))) problems.push(M.loopback({ listenAddress }));
  const runner = deploymentObject.spec.template.spec.containers[0];
  const named = ((runner.ports ?? []) as Json[]).find((p) => p.name === 'metrics');
  if (!named) problems.push(M.noMetricsPort());
  else if (named.containerPort !== port) problems.push(M.containerPort({ containerPort: named.containerPort, listenAddress }));
  const resolve = (p: unknown) => (p === 'metrics' ? named?.containerPort : p);
  for (const probe of ['livenessProbe', 'readinessProbe']) {
    const target = runner[probe]?.httpGet?.port;
    if (target !== undefined && resolve(target) !== port) problems.push(M.probePort({ probe, target, port }));
  }
  for (const p of (service?.spec?.ports ?? []) as Json[]) {
    if (resolve(p.targetPort ?? p.port) !== port) {
      problems.push(M.servicePort({ service: service!.metadata.name, port: p.port, target: p.targetPort ?? p.port, metricsPort: port }));
    }
  }
  return problems;
}

/** @internal Rules about the manager, its token and its RBAC (pitfalls 8–10, 20, 28, 32). */
export const MANAGER_RULES: CatalogueRule[] = [
  {
    id: 'MGR001',
    severity: Severity.ERROR,
    area: 'Manager',
    title: 'Manager replicas that would share one system id.',
    why: 'The runner writes `.runner_system_id` beside config.toml, so each pod needs its own writable config directory.',
    fix: 'keep the config directory on a per-pod emptyDir (the Deployment this library renders does).',
    check: ({ manager }) => {
      const problem = systemIdProblem(nativeDeployment(manager));
      return problem ? [hit(manager.path, 'replicas', problem, M.systemIdFix())] : [];
    },
  },
  {
    id: 'MGR002',
    severity: Severity.ERROR,
    area: 'Manager',
    title: 'The metrics port differs between `listen_address`, the container port, the probes and the metrics Service.',
    why: 'Probes fail and the manager restarts, or Prometheus scrapes nothing.',
    fix: 'derive all of them from one `metricsPort` (this library does).',
    check: ({ manager }) => metricsPortProblems(String(globalTable(manager).listen_address), nativeDeployment(manager),
      manager.metricsService ? metricsService(manager) : undefined)
      .map((problem) => hit(manager.path, 'metricsPort', problem, M.metricsPortFix({ metricsPort: manager.metricsPort }))),
  },
  {
    id: 'MGR003',
    severity: Severity.WARNING,
    area: 'Manager',
    title: '`poll_timeout` not longer than the node provisioning time the budget declares.',
    why: 'A job that waits for a new node fails with "timed out waiting for pod to start" before the node is ready.',
    fix: 'raise `pollTimeout` above the provisioning time plus image pulls.',
    check: ({ manager, budget }) => {
      const provisioning = budget?.nodeProvisioningSeconds;
      const poll = manager.jobPod.pollTimeoutSeconds ?? RUNNER_DEFAULT_POLL_TIMEOUT;
      if (provisioning === undefined || poll > provisioning) return [];
      const isDefault = manager.jobPod.pollTimeoutSeconds === undefined;
      const suggested = Math.max(600, provisioning + 120);
      return [problemHit(manager.jobPod.path, 'pollTimeout', M.pollTimeout({ poll, isDefault, budgetPath: budget!.path, provisioning, suggested }))];
    },
  },
  {
    id: 'MGR004',
    severity: Severity.WARNING,
    area: 'Manager',
    title: '`request_concurrency` above `concurrent`.',
    why: 'The manager asks GitLab for more jobs at once than it may run.',
    fix: 'keep `requestConcurrency` at most `concurrent`.',
    check: ({ manager: m }) => (m.requestConcurrency !== undefined && m.requestConcurrency > m.concurrent
      ? [problemHit(m.path, 'requestConcurrency', M.requestConcurrency({ requestConcurrency: m.requestConcurrency, concurrent: m.concurrent }))]
      : []),
  },
  {
    id: 'MGR005',
    severity: Severity.WARNING,
    area: 'Manager',
    title: '`limit` above `concurrent`.',
    why: 'The runner entry never reaches its limit, because `concurrent` caps the whole manager first.',
    fix: 'lower `limit` to at most `concurrent`, or raise `concurrent`.',
    check: ({ manager: m }) => (m.limit !== undefined && m.limit > m.concurrent
      ? [problemHit(m.path, 'limit', M.limitAboveConcurrent({ limit: m.limit, concurrent: m.concurrent }))] : []),
  },
  {
    id: 'MGR006',
    severity: Severity.WARNING,
    area: 'Manager',
    title: '`limit` below `concurrent` on a manager with one runner entry.',
    why: 'Each pod runs at most `limit` jobs, so `replicas × concurrent` overstates the fleet\'s job slots.',
    fix: 'set `concurrent` to the number of jobs a manager pod should run, and drop `limit`.',
    check: ({ manager: m }) => (m.limit !== undefined && m.limit > 0 && m.limit < m.concurrent
      ? [problemHit(m.path, 'limit', M.limitBelowConcurrent({ limit: m.limit, concurrent: m.concurrent, replicas: m.replicas }))] : []),
  },
  {
    id: 'TOK001',
    severity: Severity.WARNING,
    area: 'Token',
    title: `The token comes from the Secret key \`${REGISTRATION_TOKEN_KEY}\`, the Helm chart's key for deprecated registration tokens `
      + '(`GR1348941...`, disabled by default since GitLab 17.0).',
    why: 'This manager passes it to the runner as an authentication token, which must be a `glrt-` token.',
    fix: 'store the runner\'s `glrt-` authentication token under `runner-token` and reference that key.',
    check: ({ manager: m }: { manager: ManagerModel }) => (m.token.key === REGISTRATION_TOKEN_KEY
      ? [problemHit(m.path, 'token.key', M.registrationTokenKey({ key: REGISTRATION_TOKEN_KEY, secretName: m.token.secretName }))] : []),
  },
  {
    id: 'RBAC001',
    severity: Severity.ERROR,
    area: 'RBAC',
    title: '`namespace_per_job`: each job gets its own namespace.',
    why: 'That needs cluster-wide rights to create namespaces that the manager\'s Role does not grant.',
    fix: 'run jobs in one namespace (`JobPodTemplateProps.namespace`).',
    check: ({ manager: m }) => (m.jobPod.extraConfig.namespace_per_job === true
      ? [problemHit(m.path, 'jobPod.extraConfig.namespace_per_job', M.namespacePerJob())] : []),
  },
  {
    id: 'RBAC002',
    severity: Severity.ERROR,
    area: 'RBAC',
    title: '`namespace_overwrite_allowed`: jobs may move their pods to other namespaces (`KUBERNETES_NAMESPACE_OVERWRITE`).',
    why: 'The manager\'s Role grants nothing there.',
    fix: 'run jobs in the template\'s namespace; drop `namespace_overwrite_allowed`.',
    check: ({ manager: m }) => {
      const allowed = kubernetesSettings(m.jobPod).namespace_overwrite_allowed;
      return typeof allowed === 'string' && allowed !== ''
        ? [problemHit(m.jobPod.path, settingField(m.jobPod, 'namespace_overwrite_allowed', 'overwriteAllowed.namespace'),
          M.namespaceOverwrite({ allowed, namespace: m.jobPod.namespace }))]
        : [];
    },
  },
  {
    id: 'RBAC003',
    severity: Severity.WARNING,
    area: 'RBAC',
    title: '`[runners.kubernetes.autoscaler]` pause pods: the runner also needs `scheduling.k8s.io` PriorityClasses (create, get), '
      + 'which are cluster-scoped.',
    why: 'No namespaced Role can grant them, and the autoscaler fails with "forbidden".',
    fix: 'bind the manager\'s ServiceAccount to a ClusterRole that allows `priorityclasses` create and get (and acknowledge this warning), '
      + 'or leave out `autoscaler`.',
    check: ({ manager: m }) => (m.jobPod.extraConfig.autoscaler === undefined ? []
      : [problemHit(m.jobPod.path, 'extraConfig.autoscaler', M.autoscaler({ namespace: m.jobPod.namespace }))]),
  },
];
