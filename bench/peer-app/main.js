// The peer the benchmark compares against: the seed fleet's runner written by hand with cdk8s-plus-28, the way a
// team without this library would write it (ServiceAccount, Role, RoleBinding, the config.toml in a ConfigMap, the
// manager Deployment with its init container). No checks, no review files. bench/packed.bench.ts runs it from an app
// directory where cdk8s, constructs and cdk8s-plus-28 are installed.
'use strict';
const { App, Chart, Duration, Size } = require('cdk8s');
const kplus = require('cdk8s-plus-28');

const configToml = `concurrent = 10
check_interval = 3
shutdown_timeout = 30
listen_address = ":9252"

[[runners]]
name = "gitlab-runner"
url = "http://gitlab.example.com/"
token = "written-at-pod-start-from-the-secret"
executor = "kubernetes"
environment = [ "DOCKER_HOST=tcp://docker:2375", "DOCKER_TLS_CERTDIR=" ]

[runners.kubernetes]
namespace = "gitlab"
helper_image = "registry.example.com/gitlab/gitlab-runner-helper:x86_64-v18.3.0"
cpu_request = "500m"
cpu_limit = "2"
memory_request = "512Mi"
memory_limit = "2Gi"
helper_cpu_limit = "500m"
helper_memory_limit = "512Mi"
service_cpu_request = "500m"
service_cpu_limit = "2"
service_memory_request = "512Mi"
service_memory_limit = "2Gi"
pull_policy = [ "if-not-present" ]
dns_policy = "none"

[runners.kubernetes.dns_config]
nameservers = [ "10.0.0.2", "10.1.0.251", "10.1.0.252" ]
searches = [ "gitlab.svc.cluster.local", "svc.cluster.local", "cluster.local" ]

[[runners.kubernetes.dns_config.options]]
name = "ndots"
value = "2"

[runners.kubernetes.service_container_security_context]
privileged = true

[[runners.kubernetes.services]]
name = "registry.example.com/docker:dind"
alias = "docker"
command = [ "--tls=false", "--insecure-registry=private-registry.example.com" ]
environment = [ "DOCKER_TLS_CERTDIR=", "HEALTHCHECK_TCP_PORT=2375" ]
`;

const app = new App();
const chart = new Chart(app, 'gitlab-runner', { namespace: 'gitlab', disableResourceNameHashes: true });
const labels = { 'app.kubernetes.io/name': 'gitlab-runner', 'app.kubernetes.io/instance': 'gitlab-runner' };

const serviceAccount = new kplus.ServiceAccount(chart, 'ServiceAccount', { metadata: { name: 'gitlab-runner', labels } });
const role = new kplus.Role(chart, 'Role', { metadata: { name: 'gitlab-runner', labels } });
const resource = (resourceType) => kplus.ApiResource.custom({ apiGroup: '', resourceType });
role.allow(['create', 'delete', 'get', 'list', 'watch'], kplus.ApiResource.PODS);
role.allow(['create', 'delete', 'get', 'patch'], resource('pods/exec'), resource('pods/attach'));
role.allow(['get', 'list'], resource('pods/log'));
role.allow(['create', 'delete', 'get', 'update'], kplus.ApiResource.SECRETS);
role.allow(['create', 'get'], kplus.ApiResource.SERVICES);
role.allow(['list'], kplus.ApiResource.EVENTS);
new kplus.RoleBinding(chart, 'RoleBinding', { metadata: { name: 'gitlab-runner', labels }, role }).addSubjects(serviceAccount);

const config = new kplus.ConfigMap(chart, 'Config', { metadata: { name: 'gitlab-runner-config', labels } });
config.addData('config.toml', configToml);
const token = kplus.Secret.fromSecretName(chart, 'Token', 'gitlab-runner-token');

const home = kplus.Volume.fromEmptyDir(chart, 'Home', 'home');
const configDir = kplus.Volume.fromEmptyDir(chart, 'ConfigDir', 'config');
const tmp = kplus.Volume.fromEmptyDir(chart, 'Tmp', 'tmp');
const template = kplus.Volume.fromConfigMap(chart, 'Template', config, { name: 'config-template' });
const tokenVolume = kplus.Volume.fromSecret(chart, 'TokenVolume', token, {
  name: 'runner-token', defaultMode: 0o440, items: { 'runner-token': { path: 'runner-token' } },
});

const securityContext = { ensureNonRoot: true, user: 999, group: 999, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false };
const deployment = new kplus.Deployment(chart, 'Deployment', {
  metadata: { name: 'gitlab-runner', labels },
  replicas: 3,
  serviceAccount,
  automountServiceAccountToken: true,
  securityContext: { ensureNonRoot: true, user: 999, group: 999, fsGroup: 999 },
  strategy: kplus.DeploymentStrategy.rollingUpdate({ maxSurge: kplus.PercentOrAbsolute.absolute(0), maxUnavailable: kplus.PercentOrAbsolute.absolute(1) }),
  terminationGracePeriod: Duration.seconds(3600),
});
deployment.addInitContainer({
  name: 'copy-config',
  image: 'registry.example.com/gitlab/gitlab-runner:v18.3.0',
  command: ['sh', '-c', 'set -eu\numask 077\nsed "s|written-at-pod-start-from-the-secret|$(cat "$TOKEN_FILE")|" "$CONFIG_TEMPLATE" > "$CONFIG_FILE"\n'],
  envVariables: {
    CONFIG_TEMPLATE: kplus.EnvValue.fromValue('/configmaps/config.toml'),
    TOKEN_FILE: kplus.EnvValue.fromValue('/secrets/runner-token'),
    CONFIG_FILE: kplus.EnvValue.fromValue('/home/gitlab-runner/.gitlab-runner/config.toml'),
  },
  resources: {
    cpu: { request: kplus.Cpu.millis(10), limit: kplus.Cpu.millis(100) },
    memory: { request: Size.mebibytes(16), limit: Size.mebibytes(64) },
  },
  securityContext,
  volumeMounts: [
    { path: '/configmaps', volume: template, readOnly: true },
    { path: '/secrets', volume: tokenVolume, readOnly: true },
    { path: '/home/gitlab-runner/.gitlab-runner', volume: configDir },
  ],
});
const probe = (initialDelaySeconds, periodSeconds) => kplus.Probe.fromHttpGet('/metrics', {
  port: 9252, initialDelaySeconds: Duration.seconds(initialDelaySeconds), periodSeconds: Duration.seconds(periodSeconds),
  timeoutSeconds: Duration.seconds(5), failureThreshold: 3,
});
deployment.addContainer({
  name: 'gitlab-runner',
  image: 'registry.example.com/gitlab/gitlab-runner:v18.3.0',
  command: ['gitlab-runner'],
  args: ['run', '--config', '/home/gitlab-runner/.gitlab-runner/config.toml', '--working-directory', '/home/gitlab-runner'],
  imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
  ports: [{ number: 9252, name: 'metrics', protocol: kplus.Protocol.TCP }],
  liveness: probe(10, 30),
  readiness: probe(5, 10),
  lifecycle: { preStop: kplus.Handler.fromCommand(['/bin/sh', '-c', 'kill -QUIT 1; while kill -0 1 2>/dev/null; do sleep 1; done']) },
  resources: {
    cpu: { request: kplus.Cpu.millis(100), limit: kplus.Cpu.units(1) },
    memory: { request: Size.mebibytes(128), limit: Size.mebibytes(512) },
  },
  securityContext,
  volumeMounts: [
    { path: '/home/gitlab-runner', volume: home },
    { path: '/home/gitlab-runner/.gitlab-runner', volume: configDir },
    { path: '/tmp', volume: tmp },
  ],
});

app.synth();
