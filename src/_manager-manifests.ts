import { createHash } from 'crypto';
import { TOKEN_ENV } from './_config-toml';
import { executorRules } from './_rbac';
import { kubeResources } from './container-resources';
import type { ManagerModel } from './runner-manager';

// Pure renderers of the manager's Kubernetes objects, as plain JSON.

const HOME = '/home/gitlab-runner';
const CONFIG_DIR = `${HOME}/.gitlab-runner`;
const CONFIG_MOUNT = '/configmaps';
/** Graceful shutdown of PID 1 (the runner, or the chart's dumb-init, which forwards the signal), then wait for it. */
const GRACEFUL_STOP = 'kill -QUIT 1; while kill -0 1 2>/dev/null; do sleep 1; done';

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
  return { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta(m, m.name) };
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
    subjects: [{ kind: 'ServiceAccount', name: m.name, namespace: m.namespace }],
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
        metadata: { labels: labels(m), annotations: { 'checksum/config': checksum } },
        spec: {
          serviceAccountName: m.name,
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
          initContainers: [{
            // The runner writes .runner_system_id beside config.toml, so it runs on a writable copy.
            name: 'copy-config',
            image: m.image,
            imagePullPolicy: 'IfNotPresent',
            command: ['sh', '-c', `mkdir -p ${CONFIG_DIR} && cp ${CONFIG_MOUNT}/config.toml ${CONFIG_DIR}/config.toml`],
            resources: { requests: { cpu: '10m', memory: '16Mi' }, limits: { cpu: '100m', memory: '64Mi' } },
            securityContext: containerSecurity,
            volumeMounts: [{ name: 'config-template', mountPath: CONFIG_MOUNT, readOnly: true }, { name: 'home', mountPath: HOME }],
          }],
          containers: [{
            name: 'gitlab-runner',
            image: m.image,
            imagePullPolicy: 'IfNotPresent',
            command: ['gitlab-runner'],
            args: ['run', '--config', `${CONFIG_DIR}/config.toml`, '--working-directory', HOME],
            env: [{ name: TOKEN_ENV, valueFrom: { secretKeyRef: { name: m.token.secretName, key: m.token.key } } }],
            ports: [{ name: 'metrics', containerPort: m.metricsPort, protocol: 'TCP' }],
            // Kubernetes stops with SIGTERM, which the runner treats as "abort every job". SIGQUIT first makes it stop
            // taking jobs and exit once the running ones finish, within terminationGracePeriodSeconds.
            lifecycle: { preStop: { exec: { command: ['/bin/sh', '-c', GRACEFUL_STOP] } } },
            livenessProbe: probe(30, 10),
            readinessProbe: probe(10, 5),
            resources: kubeResources(m.resources),
            securityContext: containerSecurity,
            volumeMounts: [{ name: 'home', mountPath: HOME }, { name: 'tmp', mountPath: '/tmp' }],
          }],
          volumes: [
            { name: 'config-template', configMap: { name: configMapName(m) } },
            { name: 'home', emptyDir: { sizeLimit: '64Mi' } },
            { name: 'tmp', emptyDir: { sizeLimit: '64Mi' } },
          ],
        },
      },
    },
  };
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
