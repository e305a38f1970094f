import { createHash } from 'crypto';
import { AWK_CONTROL_CODES, awkReadWhole, awkReplaceOneLine, awkTomlEscape } from './awk';
import { cacheInitContainer, extraVolumes, InitBase, runnerExtraMounts } from './cache';
import { renderConfigToml, TOKEN_LINE } from './config-toml';
import {
  podSpecSettings, podTemplateAnnotations, podTemplateLabels, serviceAccountAnnotations, podDisruptionBudget as pdb, podSettings,
} from './manager-pod';
import { onceInARow } from './memo';
import { executorRules } from './rbac';
import { kubeResources } from './resources';
import type { ManagerModel } from '../../model/manager';

// Pure renderers of the manager's Kubernetes objects, as plain JSON.

const HOME = '/home/gitlab-runner';
const CONFIG_DIR = `${HOME}/.gitlab-runner`;
const CONFIG_MOUNT = '/configmaps';
const TOKEN_MOUNT = '/secrets';
const TOKEN_FILE_NAME = 'runner-token';
/** Graceful shutdown of PID 1 (the runner, or the chart's dumb-init, which forwards the signal), then wait for it. */
const GRACEFUL_STOP = 'kill -QUIT 1; while kill -0 1 2>/dev/null; do sleep 1; done';

/**
 * The init container's script: writes the runner's config.toml into the memory-backed config volume, as the ConfigMap's
 * copy with its token line replaced by the token from the Secret, escaped as a TOML basic string. Every runner version
 * reads it as written (runners before 18.10.0 do not expand `$VARIABLES` in config.toml). The token never reaches a
 * command line, an environment variable or a log: `cat` reads the Secret's file into awk through a pipe, with an `x`
 * appended so trailing newlines survive awk's line reading. POSIX sh and awk only (dash, busybox ash and awk, mawk,
 * gawk); LC_ALL=C makes awk count bytes, so any UTF-8 passes through unchanged. The paths come from the environment
 * (CONFIG_TEMPLATE, TOKEN_FILE, CONFIG_FILE), which lets tests run this exact script on other paths.
 */
export const INIT_SCRIPT = String.raw`set -eu
umask 077
tmp="$CONFIG_FILE.new"
rm -f "$tmp"
{ cat "$TOKEN_FILE" && printf x; } | LC_ALL=C awk '
function fail(msg) { print "copy-config: " msg > "/dev/stderr"; exit 1 }
${AWK_CONTROL_CODES}
${awkReadWhole('token', '"cannot read the runner token from " ENVIRON["TOKEN_FILE"]', '"the runner token in " ENVIRON["TOKEN_FILE"] " is empty"')}
${awkTomlEscape('token')}
  src = ENVIRON["CONFIG_TEMPLATE"]
${awkReplaceOneLine(`"${TOKEN_LINE.replace(/"/g, '\\"')}"`, '"token = \\"" escaped "\\""', 'src " has " found " token lines to fill in, not 1"')}
}' > "$tmp"
chmod 600 "$tmp"
mv -f "$tmp" "$CONFIG_FILE"
`;

export function labels(m: ManagerModel): Record<string, string> {
  return { 'app.kubernetes.io/name': 'gitlab-runner', 'app.kubernetes.io/instance': m.name };
}

function meta(m: ManagerModel, name: string, namespace = m.namespace) {
  return { name, namespace, labels: { ...labels(m), 'app.kubernetes.io/managed-by': 'cdk8s-gitlab-runner' } };
}

export function configMapName(m: ManagerModel): string {
  return `${m.name}-config`;
}

export function serviceAccount(m: ManagerModel) {
  return { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { ...meta(m, m.name), annotations: serviceAccountAnnotations(m) } };
}

/** The manager's PodDisruptionBudget, or undefined when it has none. */
export function podDisruptionBudget(m: ManagerModel) {
  return pdb(m, meta(m, m.name));
}

/** The Role lives where job pods run; its subject is the manager's ServiceAccount wherever the manager runs. */
export function role(m: ManagerModel) {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'Role',
    metadata: meta(m, m.name, m.jobPod.namespace),
    rules: executorRules({ featureFlags: m.featureFlags, kubernetesConfig: m.jobPod.extraConfig }),
  };
}

export function roleBinding(m: ManagerModel) {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: meta(m, m.name, m.jobPod.namespace),
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: m.name },
    subjects: [{ kind: 'ServiceAccount', name: podSettings(m).serviceAccountName, namespace: m.namespace }],
  };
}

export function configMap(m: ManagerModel, configToml: string) {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta(m, configMapName(m)), data: { 'config.toml': configToml } };
}

const containerSecurity = {
  allowPrivilegeEscalation: false,
  privileged: false,
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
  capabilities: { drop: ['ALL'] },
};

export function deployment(m: ManagerModel, configToml: string) {
  const checksum = createHash('sha256').update(configToml).digest('hex');
  const probe = (periodSeconds: number, initialDelaySeconds: number) => ({
    httpGet: { path: '/metrics', port: 'metrics' }, initialDelaySeconds, periodSeconds, timeoutSeconds: 5, failureThreshold: 3,
  });
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta(m, m.name),
    spec: {
      replicas: m.replicas,
      selector: { matchLabels: labels(m) },
      // No surge by default: an old pod finishing its jobs and a new one taking jobs would double the job slots.
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: m.maxSurge, maxUnavailable: 1 } },
      template: {
        metadata: { labels: podTemplateLabels(m), annotations: podTemplateAnnotations(m, { 'checksum/config': checksum }) },
        spec: {
          ...podSpecSettings(m),
          automountServiceAccountToken: true,
          terminationGracePeriodSeconds: m.terminationGracePeriodSeconds,
          securityContext: {
            runAsNonRoot: true,
            runAsUser: m.runAsUser,
            runAsGroup: m.fsGroup,
            fsGroup: m.fsGroup,
            seccompProfile: { type: 'RuntimeDefault' },
          },
          nodeSelector: Object.keys(m.nodeSelector).length ? m.nodeSelector : undefined,
          tolerations: m.tolerations.length ? m.tolerations.map((t) => ({
            key: t.key, operator: t.value === undefined ? 'Exists' : 'Equal', value: t.value, effect: t.effect,
          })) : undefined,
          initContainers: withCacheInit(m, [{
            // The runner writes .runner_system_id beside config.toml, so it runs on a writable copy, which also gets
            // the token from the Secret (INIT_SCRIPT). Only this container mounts the Secret.
            name: 'copy-config',
            image: m.image,
            imagePullPolicy: 'IfNotPresent',
            command: ['sh', '-c', INIT_SCRIPT],
            env: [
              { name: 'CONFIG_TEMPLATE', value: `${CONFIG_MOUNT}/config.toml` },
              { name: 'TOKEN_FILE', value: `${TOKEN_MOUNT}/${TOKEN_FILE_NAME}` },
              { name: 'CONFIG_FILE', value: `${CONFIG_DIR}/config.toml` },
            ],
            resources: { requests: { cpu: '10m', memory: '16Mi' }, limits: { cpu: '100m', memory: '64Mi' } },
            securityContext: containerSecurity,
            volumeMounts: [
              { name: 'config-template', mountPath: CONFIG_MOUNT, readOnly: true },
              { name: 'runner-token', mountPath: TOKEN_MOUNT, readOnly: true },
              { name: 'config', mountPath: CONFIG_DIR },
            ],
          }]),
          containers: [{
            name: 'gitlab-runner',
            image: m.image,
            imagePullPolicy: 'IfNotPresent',
            command: ['gitlab-runner'],
            args: ['run', '--config', `${CONFIG_DIR}/config.toml`, '--working-directory', HOME],
            ports: [{ name: 'metrics', containerPort: m.metricsPort, protocol: 'TCP' }],
            // Kubernetes stops with SIGTERM, which the runner treats as "abort every job". SIGQUIT first makes it stop
            // taking jobs and exit once the running ones finish, within terminationGracePeriodSeconds.
            lifecycle: { preStop: { exec: { command: ['/bin/sh', '-c', GRACEFUL_STOP] } } },
            livenessProbe: probe(30, 10),
            readinessProbe: probe(10, 5),
            resources: kubeResources(m.resources),
            securityContext: containerSecurity,
            volumeMounts: [
              { name: 'home', mountPath: HOME }, { name: 'config', mountPath: CONFIG_DIR }, { name: 'tmp', mountPath: '/tmp' },
              ...runnerExtraMounts(m),
            ],
          }],
          volumes: [
            { name: 'config-template', configMap: { name: configMapName(m) } },
            // Group-readable for the non-root init container: the kubelet gives the files the pod's fsGroup.
            {
              name: 'runner-token',
              secret: { secretName: m.token.secretName, items: [{ key: m.token.key, path: TOKEN_FILE_NAME }], defaultMode: 0o440 },
            },
            { name: 'home', emptyDir: { sizeLimit: '64Mi' } },
            // config.toml with the token: in memory, never on the node's disk.
            { name: 'config', emptyDir: { medium: 'Memory', sizeLimit: '1Mi' } },
            { name: 'tmp', emptyDir: { sizeLimit: '64Mi' } },
            ...extraVolumes(m),
          ],
        },
      },
    },
  };
}

/**
 * The manager's Deployment with its own config.toml, for the rules that read it one after the other (frozen: they share
 * it; the last one only is kept, so a big fleet holds no Deployment per manager).
 */
export const nativeDeployment = onceInARow((m: ManagerModel) => deployment(m, renderConfigToml(m)));

/** The init containers: `copy-config`, then `cache-credentials` when the cache has credentials to write (cache.ts). */
function withCacheInit<T extends Omit<InitBase, 'configMount'> & { volumeMounts: unknown[] }>(m: ManagerModel, init: T[]) {
  const copy = init[0];
  const cache = cacheInitContainer(m, { ...copy, env: copy.env.filter((e) => e.name === 'CONFIG_FILE'), configMount: copy.volumeMounts[2] });
  return cache ? [...init, cache] : init;
}

export function metricsService(m: ManagerModel) {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: meta(m, `${m.name}-metrics`),
    spec: {
      type: 'ClusterIP',
      selector: labels(m),
      ports: [{ name: 'metrics', port: m.metricsPort, targetPort: 'metrics', protocol: 'TCP' }],
    },
  };
}
