import { CatalogueRule, hit } from './core';
import { Severity } from '../../model/finding';
import type { ManagerModel } from '../../model/manager';
import { globalTable, renderConfigToml } from '../render/config-toml';
import { kubernetesSettings, settingField } from '../render/job-scheduling';
import { deployment, metricsService } from '../render/manager-manifests';
import { isLoopbackHost } from '../render/service-names';
import { show } from '../validate/validators';

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
  if (args.indexOf('--config') < 0 || configPath === undefined) return 'the manager container is started without --config, so where the runner keeps .runner_system_id is unknown.';
  const dir = configPath.slice(0, configPath.lastIndexOf('/')) || '/';
  const mount = ((runner.volumeMounts ?? []) as Json[])
    .filter((m) => dir === m.mountPath || dir.startsWith(`${String(m.mountPath).replace(/\/$/, '')}/`))
    .sort((a, b) => b.mountPath.length - a.mountPath.length)[0];
  const volume = mount ? (spec.volumes as Json[]).find((v) => v.name === mount.name) : undefined;
  if (!mount || !volume) {
    return runner.securityContext?.readOnlyRootFilesystem
      ? `${dir} is on the read-only root filesystem, so the runner cannot write .runner_system_id.`
      : undefined;
  }
  if (mount.readOnly || volume.configMap || volume.secret || volume.projected) return `${dir} is mounted read-only from volume '${volume.name}', so the runner cannot write .runner_system_id.`;
  if (!volume.emptyDir && deploymentObject.spec.replicas > 1) {
    return `${dir} is volume '${volume.name}', which every replica mounts, so all ${deploymentObject.spec.replicas} pods read one .runner_system_id and GitLab sees one runner manager.`;
  }
  return undefined;
}

/** Where the metrics port disagrees between config.toml, the container, its probes and the Service (empty if nowhere). */
export function metricsPortProblems(listenAddress: string, deploymentObject: Json, service?: Json): string[] {
  const match = /^(.*):(\d+)$/.exec(listenAddress);
  if (!match) return [`listen_address ${show(listenAddress)} has no port.`];
  const [, host, portText] = match;
  const port = Number(portText);
  const problems: string[] = [];
  if (host !== '' && isLoopbackHost(host.replace(/^\[|\]$/g, ''))) problems.push(`listen_address ${show(listenAddress)} binds to loopback, so probes and Prometheus cannot reach it.`);
  const runner = deploymentObject.spec.template.spec.containers[0];
  const named = ((runner.ports ?? []) as Json[]).find((p) => p.name === 'metrics');
  if (!named) problems.push('the manager container declares no port named metrics.');
  else if (named.containerPort !== port) problems.push(`the container's metrics port is ${named.containerPort}, but listen_address is ${show(listenAddress)}.`);
  const resolve = (p: unknown) => (p === 'metrics' ? named?.containerPort : p);
  for (const probe of ['livenessProbe', 'readinessProbe']) {
    const target = runner[probe]?.httpGet?.port;
    if (target !== undefined && resolve(target) !== port) problems.push(`the ${probe} checks port ${show(target)}, not the metrics port ${port}.`);
  }
  for (const p of (service?.spec?.ports ?? []) as Json[]) {
    if (resolve(p.targetPort ?? p.port) !== port) problems.push(`Service ${service!.metadata.name} sends port ${p.port} to ${show(p.targetPort ?? p.port)}, not to the metrics port ${port}.`);
  }
  return problems;
}

/** @internal Rules about the manager, its token and its RBAC (pitfalls 8–10, 20, 28, 32). */
export const MANAGER_RULES: CatalogueRule[] = [
  {
    id: 'MGR001',
    severity: Severity.ERROR,
    area: 'Manager',
    title: 'Manager replicas that would share one system id: the runner writes `.runner_system_id` beside config.toml, so each pod needs its own writable config directory.',
    fix: 'keep the config directory on a per-pod emptyDir (the Deployment this library renders does).',
    check: ({ manager }) => {
      const problem = systemIdProblem(deployment(manager, renderConfigToml(manager)));
      return problem ? [hit(manager.path, 'replicas', problem, 'render the config directory as a per-pod emptyDir copy of the ConfigMap.')] : [];
    },
  },
  {
    id: 'MGR002',
    severity: Severity.ERROR,
    area: 'Manager',
    title: 'The metrics port differs between `listen_address`, the container port, the probes and the metrics Service: probes fail and the manager restarts, or Prometheus scrapes nothing.',
    fix: 'derive all of them from one `metricsPort` (this library does).',
    check: ({ manager }) => metricsPortProblems(String(globalTable(manager).listen_address), deployment(manager, renderConfigToml(manager)),
      manager.metricsService ? metricsService(manager) : undefined)
      .map((problem) => hit(manager.path, 'metricsPort', problem, `serve metrics on one port: metricsPort ${manager.metricsPort} everywhere.`)),
  },
  {
    id: 'MGR003',
    severity: Severity.WARNING,
    area: 'Manager',
    title: '`poll_timeout` not longer than the node provisioning time the budget declares: a job that waits for a new node fails with "timed out waiting for pod to start" before the node is ready.',
    fix: 'raise `pollTimeout` above the provisioning time plus image pulls.',
    check: ({ manager, budget }) => {
      const provisioning = budget?.nodeProvisioningSeconds;
      const poll = manager.jobPod.pollTimeoutSeconds ?? RUNNER_DEFAULT_POLL_TIMEOUT;
      if (provisioning === undefined || poll > provisioning) return [];
      return [hit(manager.jobPod.path, 'pollTimeout',
        `the runner waits ${poll}s${manager.jobPod.pollTimeoutSeconds === undefined ? ' (its default)' : ''} for a job pod to start, but ${budget!.path} declares nodes that take up to ${provisioning}s to become ready, so jobs that need a new node fail.`,
        `set pollTimeout to at least Duration.seconds(${Math.max(600, provisioning + 120)}) (provisioning plus time to pull images).`)];
    },
  },
  {
    id: 'MGR004',
    severity: Severity.WARNING,
    area: 'Manager',
    title: '`request_concurrency` above `concurrent`: the manager asks GitLab for more jobs at once than it may run.',
    fix: 'keep `requestConcurrency` at most `concurrent`.',
    check: ({ manager: m }) => (m.requestConcurrency !== undefined && m.requestConcurrency > m.concurrent
      ? [hit(m.path, 'requestConcurrency', `requestConcurrency ${m.requestConcurrency} is above concurrent ${m.concurrent}: the extra requests can never turn into running jobs.`,
        `set requestConcurrency to at most ${m.concurrent}.`)] : []),
  },
  {
    id: 'MGR005',
    severity: Severity.WARNING,
    area: 'Manager',
    title: '`limit` above `concurrent`: the runner entry never reaches its limit, because `concurrent` caps the whole manager first.',
    fix: 'lower `limit` to at most `concurrent`, or raise `concurrent`.',
    check: ({ manager: m }) => (m.limit !== undefined && m.limit > m.concurrent
      ? [hit(m.path, 'limit', `limit ${m.limit} is above concurrent ${m.concurrent}, which caps each manager pod first; limit has no effect.`,
        `set limit to at most ${m.concurrent}, or raise concurrent to ${m.limit}.`)] : []),
  },
  {
    id: 'MGR006',
    severity: Severity.WARNING,
    area: 'Manager',
    title: '`limit` below `concurrent` on a manager with one runner entry: each pod runs at most `limit` jobs, so `replicas × concurrent` overstates the fleet\'s job slots.',
    fix: 'set `concurrent` to the number of jobs a manager pod should run, and drop `limit`.',
    check: ({ manager: m }) => (m.limit !== undefined && m.limit > 0 && m.limit < m.concurrent
      ? [hit(m.path, 'limit', `limit ${m.limit} caps this runner entry below concurrent ${m.concurrent}: each of the ${m.replicas} pods runs at most ${m.limit} jobs, not ${m.concurrent}.`,
        `set concurrent to ${m.limit} and drop limit, so the declared slots match what runs.`)] : []),
  },
  {
    id: 'TOK001',
    severity: Severity.WARNING,
    area: 'Token',
    title: `The token comes from the Secret key \`${REGISTRATION_TOKEN_KEY}\`, the Helm chart's key for deprecated registration tokens (\`GR1348941...\`, disabled by default since GitLab 17.0); this manager passes it to the runner as an authentication token, which must be a \`glrt-\` token.`,
    fix: 'store the runner\'s `glrt-` authentication token under `runner-token` and reference that key.',
    check: ({ manager: m }: { manager: ManagerModel }) => (m.token.key === REGISTRATION_TOKEN_KEY
      ? [hit(m.path, 'token.key', `the token is read from key '${REGISTRATION_TOKEN_KEY}' of Secret '${m.token.secretName}'. A registration token there makes every request fail with 403 Forbidden: the runner needs the glrt- authentication token of a runner created in GitLab.`,
        `create the runner in GitLab (Settings > CI/CD > Runners), store its glrt- token under key 'runner-token' and use RunnerToken.fromSecret('${m.token.secretName}', 'runner-token').`)] : []),
  },
  {
    id: 'RBAC001',
    severity: Severity.ERROR,
    area: 'RBAC',
    title: '`namespace_per_job`: each job gets its own namespace, which needs cluster-wide rights to create namespaces that the manager\'s Role does not grant.',
    fix: 'run jobs in one namespace (`JobPodTemplateProps.namespace`).',
    check: ({ manager: m }) => (m.jobPod.extraConfig.namespace_per_job === true
      ? [hit(m.path, 'jobPod.extraConfig.namespace_per_job', "a namespace per job needs cluster-wide rights to create namespaces, which this manager's Role does not grant.",
        'run jobs in one namespace (JobPodTemplateProps.namespace).')] : []),
  },
  {
    id: 'RBAC002',
    severity: Severity.ERROR,
    area: 'RBAC',
    title: '`namespace_overwrite_allowed`: jobs may move their pods to other namespaces (`KUBERNETES_NAMESPACE_OVERWRITE`), where the manager\'s Role grants nothing.',
    fix: 'run jobs in the template\'s namespace; drop `namespace_overwrite_allowed`.',
    check: ({ manager: m }) => {
      const allowed = kubernetesSettings(m.jobPod).namespace_overwrite_allowed;
      return typeof allowed === 'string' && allowed !== ''
        ? [hit(m.jobPod.path, settingField(m.jobPod, 'namespace_overwrite_allowed', 'overwriteAllowed.namespace'), `jobs may move their pods to any namespace matching ${show(allowed)}, but the manager's Role is granted in '${m.jobPod.namespace}' only: those jobs fail with "forbidden".`,
          'drop namespace_overwrite_allowed; declare one JobPodTemplate and RunnerManager per namespace instead.')]
        : [];
    },
  },
  {
    id: 'RBAC003',
    severity: Severity.WARNING,
    area: 'RBAC',
    title: '`[runners.kubernetes.autoscaler]` pause pods: the runner also needs `scheduling.k8s.io` PriorityClasses (create, get), which are cluster-scoped, so no namespaced Role can grant them and the autoscaler fails with "forbidden".',
    fix: 'bind the manager\'s ServiceAccount to a ClusterRole that allows `priorityclasses` create and get (and acknowledge this warning), or leave out `autoscaler`.',
    check: ({ manager: m }) => m.jobPod.extraConfig.autoscaler === undefined ? [] : [hit(m.jobPod.path, 'extraConfig.autoscaler',
      `the autoscaler's pause pods need scheduling.k8s.io priorityclasses create and get, which are cluster-scoped; the manager's Role in '${m.jobPod.namespace}' cannot grant them.`,
      'bind the manager\'s ServiceAccount to a ClusterRole allowing priorityclasses create and get, then acknowledge RBAC003 with Rules.acknowledge; or drop extraConfig.autoscaler.')],
  },
];
