import { Chart, Duration, Testing } from 'cdk8s';
import { TaintEffect } from 'cdk8s-plus-28';
import {
  ContainerResources, DindService, DnsConfig, DnsPolicy, JobPodTemplate, JobService, PullPolicy, RunnerManager, RunnerToken,
} from '../src';
import { FleetConfigError } from '../src/problem';

// Every invalid prop is refused in the constructor with one FleetConfigError line naming the construct path, the
// field, what is wrong (with the value) and the fix. One row per check.

interface Row {
  /** What is wrong. */
  readonly what: string;
  /** Builds the construct with the one bad prop, in a chart `test` (namespace `ci`). */
  readonly build: (chart: Chart) => unknown;
  /** The construct id under `test/`. */
  readonly id: string;
  readonly field: string;
  /** A fragment of the message showing the offending value. */
  readonly value: string;
  /** A fragment of the fix. */
  readonly fix: string;
}

const TOKEN = RunnerToken.fromSecret('gitlab-runner-token');

function manager(chart: Chart, props: Record<string, unknown>): RunnerManager {
  const jobPod = new JobPodTemplate(chart, 'Jobs');
  return new RunnerManager(chart, 'Runner', { gitlabUrl: 'https://gitlab.example.com/', token: TOKEN, jobPod, ...props } as any);
}

function jobs(chart: Chart, props: Record<string, unknown>): JobPodTemplate {
  return new JobPodTemplate(chart, 'Jobs', props as any);
}

function build(resources: ContainerResources) {
  return (chart: Chart) => jobs(chart, { buildResources: resources });
}

const ROWS: Row[] = [
  // Quantities and resources (src/container-resources.ts, through every construct that takes resources)
  { what: 'a malformed quantity', build: build({ cpu: { limit: '2cores' } }), id: 'Jobs', field: 'buildResources.cpu.limit', value: "'2cores' is not a non-negative Kubernetes quantity", fix: "'500m'" },
  { what: 'a negative quantity', build: build({ memory: { request: '-1Gi' } }), id: 'Jobs', field: 'buildResources.memory.request', value: "'-1Gi'", fix: "'512Mi'" },
  { what: 'a request above the limit', build: build({ memory: { request: '4Gi', limit: '2Gi' } }), id: 'Jobs', field: 'buildResources.memory.request', value: 'request 4Gi is above limit 2Gi', fix: 'lower the request to at most 2Gi' },
  { what: 'a request above the limit in other units', build: build({ cpu: { request: '2500m', limit: '2' } }), id: 'Jobs', field: 'buildResources.cpu.request', value: 'request 2500m is above limit 2', fix: 'raise the limit' },
  { what: 'maxRequest above maxLimit', build: build({ ephemeralStorage: { maxRequest: '10Gi', maxLimit: '5Gi' } }), id: 'Jobs', field: 'buildResources.ephemeralStorage.maxRequest', value: 'maxRequest 10Gi is above maxLimit 5Gi', fix: 'lower maxRequest' },
  { what: 'a bad helper quantity', build: (c) => jobs(c, { helper: { resources: { cpu: { limit: '1 core' } } } }), id: 'Jobs', field: 'helper.resources.cpu.limit', value: "'1 core'", fix: "'500m'" },
  { what: 'a bad service quantity', build: (c) => jobs(c, { serviceResources: { memory: { limit: '2GB' } } }), id: 'Jobs', field: 'serviceResources.memory.limit', value: "'2GB'", fix: "'2Gi'" },

  // DnsConfig
  { what: 'more than 3 nameservers', build: (c) => new DnsConfig(c, 'Dns', { nameservers: ['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4'] }), id: 'Dns', field: 'nameservers', value: '4 nameservers given', fix: 'keep at most 3 nameservers' },
  { what: "policy 'none' without nameservers", build: (c) => new DnsConfig(c, 'Dns', { policy: DnsPolicy.NONE }), id: 'Dns', field: 'nameservers', value: "policy 'none' with no nameserver", fix: 'list at least one nameserver' },
  { what: "the Kubernetes spelling 'ClusterFirst'", build: (c) => new DnsConfig(c, 'Dns', { policy: 'ClusterFirst' as DnsPolicy }), id: 'Dns', field: 'policy', value: "'ClusterFirst' is not a runner DNS policy", fix: "use 'cluster-first', not 'ClusterFirst' (DnsPolicy.CLUSTER_FIRST)" },
  { what: 'an unknown DNS policy', build: (c) => new DnsConfig(c, 'Dns', { policy: 'cluster' as DnsPolicy }), id: 'Dns', field: 'policy', value: "'cluster'", fix: "'cluster-first-with-host-net'" },
  { what: 'a nameserver that is a host name', build: (c) => new DnsConfig(c, 'Dns', { nameservers: ['dns.example.com'] }), id: 'Dns', field: 'nameservers[0]', value: "'dns.example.com' is not an IP address", fix: 'IPv4 or IPv6 address' },
  { what: 'a malformed IPv6 nameserver', build: (c) => new DnsConfig(c, 'Dns', { nameservers: ['1:::2'] }), id: 'Dns', field: 'nameservers[0]', value: "'1:::2'", fix: 'IPv4 or IPv6' },
  { what: 'an invalid search domain', build: (c) => new DnsConfig(c, 'Dns', { searches: ['Svc_Cluster.local'] }), id: 'Dns', field: 'searches[0]', value: "'Svc_Cluster.local' is not a valid DNS name", fix: 'svc.cluster.local' },
  { what: 'more than 32 search domains', build: (c) => new DnsConfig(c, 'Dns', { searches: Array.from({ length: 33 }, (_, i) => `d${i}.example.com`) }), id: 'Dns', field: 'searches', value: '33 search domains', fix: 'at most 32' },
  { what: 'a search list over 2048 characters', build: (c) => new DnsConfig(c, 'Dns', { searches: Array.from({ length: 30 }, (_, i) => `${'a'.repeat(60)}.d${i}.example.com`) }), id: 'Dns', field: 'searches', value: 'characters long', fix: 'shorten or drop search domains' },
  { what: 'a nameless resolver option', build: (c) => new DnsConfig(c, 'Dns', { options: [{ name: '' }] }), id: 'Dns', field: 'options[0].name', value: 'the option has no name', fix: "{ name: 'ndots', value: '2' }" },
  { what: 'a numeric resolver option value', build: (c) => new DnsConfig(c, 'Dns', { options: [{ name: 'ndots', value: 2 as unknown as string }] }), id: 'Dns', field: 'options[0].value', value: '2 is not a string', fix: "write the value as a string, e.g. '2'" },

  // JobService
  { what: 'an invalid alias', build: (c) => new JobService(c, 'Svc', { image: 'postgres:16', alias: 'Postgres_DB' }), id: 'Svc', field: 'alias', value: "'Postgres_DB' is not a DNS-1123 label", fix: "lower-case letters, digits and '-'" },
  { what: 'an empty image', build: (c) => new JobService(c, 'Svc', { image: ' ' }), id: 'Svc', field: 'image', value: "' ' is not an image reference", fix: "'postgres:16'" },
  { what: 'an image with a space', build: (c) => new JobService(c, 'Svc', { image: 'postgres 16' }), id: 'Svc', field: 'image', value: "'postgres 16'", fix: "'postgres:16'" },
  { what: 'a port above 65535', build: (c) => new JobService(c, 'Svc', { image: 'postgres:16', port: 70000 }), id: 'Svc', field: 'port', value: '70000 is not a TCP port', fix: 'from 1 to 65535' },
  { what: 'port 0', build: (c) => new JobService(c, 'Svc', { image: 'postgres:16', port: 0 }), id: 'Svc', field: 'port', value: '0 is not a TCP port', fix: 'from 1 to 65535' },
  { what: 'a bad environment variable name', build: (c) => new JobService(c, 'Svc', { image: 'postgres:16', environment: { '1PASSWORD': 'x' } }), id: 'Svc', field: 'environment.1PASSWORD', value: "'1PASSWORD' is not an environment variable name", fix: 'not starting with a digit' },
  { what: 'bad service resources', build: (c) => new JobService(c, 'Svc', { image: 'postgres:16', resources: { cpu: { request: '2', limit: '1' } } }), id: 'Svc', field: 'resources.cpu.request', value: 'request 2 is above limit 1', fix: 'lower the request' },

  // DindService
  { what: 'an MTU below 576', build: (c) => new DindService(c, 'Dind', { mtu: 100 }), id: 'Dind', field: 'mtu', value: '100 is not a usable MTU', fix: '1450 on VXLAN' },
  { what: 'a registry mirror without scheme', build: (c) => new DindService(c, 'Dind', { registryMirrors: ['mirror.example.com'] }), id: 'Dind', field: 'registryMirrors[0]', value: "'mirror.example.com' is not an http(s) URL", fix: "'https://mirror.example.com'" },
  { what: 'an insecure registry with scheme', build: (c) => new DindService(c, 'Dind', { insecureRegistries: ['http://registry.example.com'] }), id: 'Dind', field: 'insecureRegistries[0]', value: 'neither host[:port] nor a CIDR', fix: 'without a scheme' },
  { what: 'a dockerd nameserver that is not an IP', build: (c) => new DindService(c, 'Dind', { dns: ['dns.example.com'] }), id: 'Dind', field: 'dns[0]', value: "'dns.example.com' is not an IP address", fix: 'as IP addresses' },
  { what: '--tls=false while tls is on', build: (c) => new DindService(c, 'Dind', { extraArgs: ['--tls=false'] }), id: 'Dind', field: 'extraArgs[0]', value: "'--tls=false' turns TLS off while tls is true", fix: 'set tls: false' },
  { what: 'TLS flags while tls is off', build: (c) => new DindService(c, 'Dind', { tls: false, extraArgs: ['--tlsverify'] }), id: 'Dind', field: 'extraArgs[0]', value: "'--tlsverify' configures TLS while tls is false", fix: 'set tls: true' },
  { what: 'a listen address in extraArgs', build: (c) => new DindService(c, 'Dind', { extraArgs: ['--host=tcp://0.0.0.0:2375'] }), id: 'Dind', field: 'extraArgs[0]', value: 'changes where dockerd listens', fix: 'leave the listen address to this construct' },
  { what: 'a short listen flag with a value', build: (c) => new DindService(c, 'Dind', { extraArgs: ['--debug', '-H=tcp://0.0.0.0:2375'] }), id: 'Dind', field: 'extraArgs[1]', value: "'-H=tcp://0.0.0.0:2375' changes where dockerd listens", fix: 'leave the listen address to this construct' },
  { what: '--tls=False (a Go bool spelling) while tls is on', build: (c) => new DindService(c, 'Dind', { extraArgs: ['--tls=False'] }), id: 'Dind', field: 'extraArgs[0]', value: 'turns TLS off while tls is true', fix: 'set tls: false' },
  { what: '--tls=true while tls is off', build: (c) => new DindService(c, 'Dind', { tls: false, extraArgs: ['--tls=true'] }), id: 'Dind', field: 'extraArgs[0]', value: 'configures TLS while tls is false', fix: 'set tls: true' },
  { what: 'a dockerd flag a typed prop renders', build: (c) => new DindService(c, 'Dind', { extraArgs: ['--mtu=1400'] }), id: 'Dind', field: 'extraArgs[0]', value: "'--mtu=1400' is rendered from the mtu prop", fix: 'set it with the mtu prop' },
  { what: 'a bad DinD alias', build: (c) => new DindService(c, 'Dind', { alias: 'docker.local' }), id: 'Dind', field: 'alias', value: "'docker.local' is not a DNS-1123 label", fix: "'docker'" },

  // JobPodTemplate
  { what: 'an invalid job namespace', build: (c) => jobs(c, { namespace: 'CI_Jobs' }), id: 'Jobs', field: 'namespace', value: "'CI_Jobs' is not a valid namespace name", fix: 'DNS-1123 label' },
  { what: 'an unknown pull policy', build: (c) => jobs(c, { pullPolicy: ['sometimes'] }), id: 'Jobs', field: 'pullPolicy[0]', value: "'sometimes' is not a runner pull policy", fix: "'always', 'never', 'if-not-present'" },
  { what: 'the Kubernetes pull policy spelling', build: (c) => jobs(c, { pullPolicy: [PullPolicy.ALWAYS, 'IfNotPresent'] }), id: 'Jobs', field: 'pullPolicy[1]', value: "'IfNotPresent'", fix: "use 'if-not-present' (the runner's spelling)" },
  { what: 'an unknown allowed pull policy', build: (c) => jobs(c, { allowedPullPolicies: ['Never'] }), id: 'Jobs', field: 'allowedPullPolicies[0]', value: "'Never'", fix: "use 'never'" },
  { what: 'an escape-hatch key the runner does not know', build: (c) => jobs(c, { extraConfig: { dns_polcy: 'none' } }), id: 'Jobs', field: 'extraConfig.dns_polcy', value: "GitLab Runner has no [runners.kubernetes] key 'dns_polcy'", fix: 'check the spelling' },
  { what: 'an escape-hatch key a typed prop owns', build: (c) => jobs(c, { extraConfig: { pull_policy: 'always' } }), id: 'Jobs', field: 'extraConfig.pull_policy', value: "'pull_policy' is rendered from a typed prop", fix: 'set it with the pullPolicy prop' },
  { what: 'an escape-hatch resource key', build: (c) => jobs(c, { extraConfig: { service_memory_limit: '1Gi' } }), id: 'Jobs', field: 'extraConfig.service_memory_limit', value: 'is a resource setting', fix: 'buildResources, helper.resources or serviceResources' },
  { what: 'pod-wide privileged through the escape hatch', build: (c) => jobs(c, { extraConfig: { privileged: true } }), id: 'Jobs', field: 'extraConfig.privileged', value: 'pod-wide privileged makes the helper', fix: 'add a DindService instead' },
  { what: 'an empty escape-hatch value', build: (c) => jobs(c, { extraConfig: { scheduler_name: null } }), id: 'Jobs', field: 'extraConfig.scheduler_name', value: 'the value is empty', fix: 'give a value or leave the key out' },
  { what: 'an invalid node selector key', build: (c) => jobs(c, { nodeSelector: { 'bad key': 'x' } }), id: 'Jobs', field: 'nodeSelector.bad key', value: "'bad key' is not a valid label key", fix: 'DNS-subdomain prefix' },
  { what: 'an invalid node selector value', build: (c) => jobs(c, { nodeSelector: { 'kubernetes.io/arch': 'amd 64' } }), id: 'Jobs', field: 'nodeSelector.kubernetes.io/arch', value: "'amd 64' is not a valid label value", fix: 'at most 63 letters' },
  { what: 'an invalid pod label value', build: (c) => jobs(c, { podLabels: { team: '-platform' } }), id: 'Jobs', field: 'podLabels.team', value: "'-platform' is not a valid label value", fix: 'starting and ending alphanumeric' },
  { what: 'a pod label in the reserved namespace', build: (c) => jobs(c, { podLabels: { 'project.runner.gitlab.com/id': '1' } }), id: 'Jobs', field: 'podLabels.project.runner.gitlab.com/id', value: 'reserved', fix: 'outside runner.gitlab.com' },
  { what: 'an invalid toleration key', build: (c) => jobs(c, { tolerations: [{ key: 'bad key' }] }), id: 'Jobs', field: 'tolerations[0].key', value: "'bad key' is not a valid taint key", fix: 'example.com/ci' },
  { what: 'an invalid toleration value', build: (c) => jobs(c, { tolerations: [{ key: 'dedicated', value: 'c i' }] }), id: 'Jobs', field: 'tolerations[0].value', value: "'c i' is not a valid taint value", fix: 'at most 63 letters' },
  { what: 'an unknown taint effect', build: (c) => jobs(c, { tolerations: [{ key: 'dedicated', effect: 'NoRun' as TaintEffect }] }), id: 'Jobs', field: 'tolerations[0].effect', value: "'NoRun' is not a taint effect", fix: 'TaintEffect.NO_SCHEDULE' },
  { what: 'a zero poll timeout', build: (c) => jobs(c, { pollTimeout: Duration.seconds(0) }), id: 'Jobs', field: 'pollTimeout', value: '0s is not a positive whole number of seconds', fix: 'Duration.seconds(1)' },
  { what: 'two services with one alias', build: (c) => jobs(c, { services: [new JobService(c, 'A', { image: 'redis:7', alias: 'cache' }), new JobService(c, 'B', { image: 'memcached:1', alias: 'cache' })] }), id: 'Jobs', field: 'services[1].alias', value: "alias 'cache' is used by test/A too", fix: 'give each service its own alias' },
  { what: 'two services on one port', build: (c) => jobs(c, { services: [new DindService(c, 'Dind'), new JobService(c, 'Svc', { image: 'x:1', port: 2376 })] }), id: 'Jobs', field: 'services[1].port', value: 'port 2376 is used by test/Dind too', fix: 'keep one service per port' },
  { what: 'services whose resources disagree', build: (c) => jobs(c, { services: [new JobService(c, 'A', { image: 'redis:7', resources: { cpu: { limit: '1' } } }), new JobService(c, 'B', { image: 'pg:16', resources: { cpu: { limit: '2' } } })] }), id: 'Jobs', field: 'services.B.resources', value: 'these differ from the others', fix: 'set them once with serviceResources' },
  { what: 'a service that is not a JobService', build: (c) => jobs(c, { services: [{ image: 'redis:7' }] }), id: 'Jobs', field: 'services[0]', value: 'is not a JobService', fix: 'pass JobService or DindService constructs' },

  // RunnerManager
  { what: 'concurrent below 1', build: (c) => manager(c, { concurrent: 0 }), id: 'Runner', field: 'concurrent', value: '0: concurrent must be a whole number of at least 1', fix: 'give at least 1' },
  { what: 'negative replicas', build: (c) => manager(c, { replicas: -1 }), id: 'Runner', field: 'replicas', value: '-1 is not a whole number of pods', fix: 'give 0 or more' },
  { what: 'fractional replicas', build: (c) => manager(c, { replicas: 1.5 }), id: 'Runner', field: 'replicas', value: '1.5 is not a whole number', fix: 'give 0 or more' },
  { what: 'a GitLab URL that is not http(s)', build: (c) => manager(c, { gitlabUrl: 'ftp://gitlab.example.com/' }), id: 'Runner', field: 'gitlabUrl', value: "'ftp://gitlab.example.com/' is not an http(s) URL", fix: "'https://gitlab.example.com/'" },
  { what: 'a GitLab URL without scheme', build: (c) => manager(c, { gitlabUrl: 'gitlab.example.com' }), id: 'Runner', field: 'gitlabUrl', value: "'gitlab.example.com' is not an http(s) URL", fix: "'https://gitlab.example.com/'" },
  { what: 'a token in plain text', build: (c) => manager(c, { token: 'glrt-abcdef' }), id: 'Runner', field: 'token', value: 'would end up in a ConfigMap', fix: 'RunnerToken.fromSecret' },
  { what: 'an invalid Secret name', build: (c) => manager(c, { token: RunnerToken.fromSecret('Runner_Token') }), id: 'Runner', field: 'token.secretName', value: "'Runner_Token' is not a valid Secret name", fix: 'gitlab-runner-token' },
  { what: 'an invalid Secret key', build: (c) => manager(c, { token: RunnerToken.fromSecret('gitlab-runner-token', 'runner token') }), id: 'Runner', field: 'token.key', value: "'runner token' is not a valid Secret key", fix: "letters, digits, '-', '_' and '.'" },
  { what: 'no job pod template', build: (c) => new RunnerManager(c, 'Runner', { gitlabUrl: 'https://gitlab.example.com/', token: TOKEN } as any), id: 'Runner', field: 'jobPod', value: 'a JobPodTemplate is required', fix: 'pass the JobPodTemplate' },
  { what: 'an invalid name', build: (c) => manager(c, { name: 'GitLab Runner' }), id: 'Runner', field: 'name', value: "'GitLab Runner' is not a DNS-1123 label", fix: 'lower-case letters' },
  { what: 'a name too long for the derived object names', build: (c) => manager(c, { name: 'r'.repeat(56) }), id: 'Runner', field: 'name', value: 'at most 55 characters', fix: 'lower-case letters' },
  { what: 'an invalid manager namespace', build: (c) => manager(c, { namespace: 'GitLab' }), id: 'Runner', field: 'namespace', value: "'GitLab' is not a valid namespace name", fix: 'DNS-1123 label' },
  { what: 'an empty runner image', build: (c) => manager(c, { image: '' }), id: 'Runner', field: 'image', value: "'' is not an image reference", fix: 'gitlab-runner:v18.3.0' },
  { what: 'a negative limit', build: (c) => manager(c, { limit: -1 }), id: 'Runner', field: 'limit', value: '-1 is not a whole number', fix: 'give 0 (no limit) or more' },
  { what: 'request concurrency 0', build: (c) => manager(c, { requestConcurrency: 0 }), id: 'Runner', field: 'requestConcurrency', value: '0 is not a whole number of at least 1', fix: 'give at least 1' },
  { what: 'a negative maxSurge', build: (c) => manager(c, { maxSurge: -1 }), id: 'Runner', field: 'maxSurge', value: '-1 is not a whole number of pods', fix: 'give 0 or more' },
  { what: 'a zero check interval', build: (c) => manager(c, { checkInterval: Duration.seconds(0) }), id: 'Runner', field: 'checkInterval', value: '0s is not a whole, positive number of seconds', fix: 'Duration.seconds(3)' },
  { what: 'a zero shutdown timeout', build: (c) => manager(c, { shutdownTimeout: Duration.seconds(0) }), id: 'Runner', field: 'shutdownTimeout', value: '0s', fix: 'give whole seconds' },
  { what: 'a bad environment variable name', build: (c) => manager(c, { environment: { 'GIT-DEPTH': '1' } }), id: 'Runner', field: 'environment.GIT-DEPTH', value: "'GIT-DEPTH' is not an environment variable name", fix: 'letters, digits and underscores' },
  { what: 'an unknown feature flag', build: (c) => manager(c, { featureFlags: { FF_PRINT_POD_EVENT: true } }), id: 'Runner', field: 'featureFlags.FF_PRINT_POD_EVENT', value: "no feature flag 'FF_PRINT_POD_EVENT'", fix: 'check the flag name' },
  { what: 'a feature flag that is not a boolean', build: (c) => manager(c, { featureFlags: { FF_PRINT_POD_EVENTS: 'true' } }), id: 'Runner', field: 'featureFlags.FF_PRINT_POD_EVENTS', value: "'true' is not true or false", fix: 'give a boolean' },
  { what: 'metrics port 0', build: (c) => manager(c, { metricsPort: 0 }), id: 'Runner', field: 'metricsPort', value: '0 is not a TCP port', fix: 'from 1 to 65535' },
  { what: 'a metrics port above 65535', build: (c) => manager(c, { metricsPort: 92520 }), id: 'Runner', field: 'metricsPort', value: '92520 is not a TCP port', fix: 'from 1 to 65535' },
  { what: 'bad manager resources', build: (c) => manager(c, { resources: { memory: { limit: '1gb' } } }), id: 'Runner', field: 'resources.memory.limit', value: "'1gb'", fix: "'512Mi'" },
  { what: 'an invalid manager node selector key', build: (c) => manager(c, { nodeSelector: { 'kubernetes.io/': 'linux' } }), id: 'Runner', field: 'nodeSelector.kubernetes.io/', value: "'kubernetes.io/' is not a valid label key", fix: 'kubernetes.io/os' },
  { what: 'root as the manager user', build: (c) => manager(c, { runAsUser: 0 }), id: 'Runner', field: 'runAsUser', value: '0: the manager must run as a non-root user id', fix: '100 for the alpine flavour' },
  { what: 'a negative fsGroup', build: (c) => manager(c, { fsGroup: -1 }), id: 'Runner', field: 'fsGroup', value: '-1 is not a group id', fix: 'give a whole number' },
];

function thrownBy(fn: () => unknown): FleetConfigError {
  try {
    fn();
  } catch (e) {
    if (e instanceof FleetConfigError) return e;
    throw new Error(`expected a FleetConfigError, got ${(e as Error).name}: ${(e as Error).message}`);
  }
  throw new Error('expected a FleetConfigError, nothing was thrown');
}

describe('bad input is refused with path, field, value and fix', () => {
  test.each(ROWS.map((r) => [r.what, r] as const))('%s', (_what, row) => {
    const chart = new Chart(Testing.app(), 'test', { namespace: 'ci' });
    const error = thrownBy(() => row.build(chart));
    const finding = error.findings.find((f) => f.field === row.field);
    expect(finding).toBeDefined();
    expect(finding!.path).toBe(`test/${row.id}`);
    expect(finding!.message).toContain(row.value);
    expect(finding!.fix).toContain(row.fix);
    // The message a user sees carries all four.
    expect(error.message).toContain(`[test/${row.id}] ${row.field}: `);
    expect(error.message).toContain(row.value);
    expect(error.message).toContain(`Fix: ${finding!.fix}`);
  });
});

describe('all problems of one construct are reported in one error', () => {
  test('RunnerManager', () => {
    const chart = new Chart(Testing.app(), 'test', { namespace: 'ci' });
    const error = thrownBy(() => manager(chart, { gitlabUrl: 'gitlab', concurrent: 0, replicas: -2, metricsPort: 0, featureFlags: { FF_NOPE: true } }));
    expect(error.findings.map((f) => f.field)).toEqual(['gitlabUrl', 'replicas', 'concurrent', 'featureFlags.FF_NOPE', 'metricsPort']);
    expect(error.message.split('\n')).toHaveLength(6);
    expect(error.findings.every((f) => f.path === 'test/Runner')).toBe(true);
  });

  test('JobPodTemplate', () => {
    const chart = new Chart(Testing.app(), 'test', { namespace: 'ci' });
    const error = thrownBy(() => jobs(chart, {
      buildResources: { cpu: { limit: '2cores' }, memory: { request: '4Gi', limit: '2Gi' } },
      pullPolicy: ['IfNotPresent'],
      extraConfig: { dns_polcy: 'none', privileged: true },
    }));
    expect(error.findings.map((f) => f.field)).toEqual([
      'buildResources.cpu.limit', 'buildResources.memory.request', 'pullPolicy[0]', 'extraConfig.dns_polcy', 'extraConfig.privileged',
    ]);
  });

  test('DnsConfig', () => {
    const chart = new Chart(Testing.app(), 'test', { namespace: 'ci' });
    const error = thrownBy(() => new DnsConfig(chart, 'Dns', { policy: 'None' as DnsPolicy, nameservers: ['a', 'b', 'c', 'd'] }));
    expect(error.findings.map((f) => f.field)).toEqual(['policy', 'nameservers', 'nameservers[0]', 'nameservers[1]', 'nameservers[2]', 'nameservers[3]']);
  });
});

// Bad input that is NOT refused yet (bugs in constructs other engineers own; fixes in the report). Each of these
// tests fails while the bug is there; when the fix lands jest reports it, and `.failing` must be dropped.
describe('known gaps', () => {
  const expectRefused = (buildIt: (c: Chart) => unknown, field: string) => {
    const chart = new Chart(Testing.app(), 'test', { namespace: 'ci' });
    expect(thrownBy(() => buildIt(chart)).findings.map((f) => f.field)).toContain(field);
  };

  test.failing('a fractional poll timeout is a FleetConfigError, not a bare Duration error', () => {
    expectRefused((c) => jobs(c, { pollTimeout: Duration.millis(1500) }), 'pollTimeout');
  });

  test.failing('a fractional check interval is a FleetConfigError, not a bare Duration error', () => {
    expectRefused((c) => manager(c, { checkInterval: Duration.millis(2500) }), 'checkInterval');
  });

  test.failing('two tolerations of one key (config.toml keeps only one of them) are refused', () => {
    expectRefused((c) => jobs(c, { tolerations: [{ key: 'a', effect: TaintEffect.NO_SCHEDULE }, { key: 'a', effect: TaintEffect.NO_EXECUTE }] }), 'tolerations[1].key');
  });

  test.failing('invalid manager tolerations are refused', () => {
    expectRefused((c) => manager(c, { tolerations: [{ key: 'bad key!' }] }), 'tolerations[0].key');
  });

  test.failing('invalid manager node selector values are refused', () => {
    expectRefused((c) => manager(c, { nodeSelector: { 'kubernetes.io/os': 'linux os' } }), 'nodeSelector.kubernetes.io/os');
  });

  test.failing('an invalid job service account name is refused', () => {
    expectRefused((c) => jobs(c, { serviceAccountName: 'CI_Job' }), 'serviceAccountName');
  });

  test.failing('an invalid job pod annotation key is refused', () => {
    expectRefused((c) => jobs(c, { podAnnotations: { 'bad key': 'x' } }), 'podAnnotations.bad key');
  });

  test.failing('-H<addr> (shorthand with the value attached) in DinD extraArgs is refused like --host', () => {
    expectRefused((c) => new DindService(c, 'Dind', { extraArgs: ['-Htcp://0.0.0.0:2375'] }), 'extraArgs[0]');
  });

  test.failing('an escape-hatch emptyDir that reuses the DinD certs volume name is refused', () => {
    expectRefused((c) => jobs(c, {
      services: [new DindService(c, 'Dind')],
      extraConfig: { volumes: { empty_dir: [{ name: 'docker-certs', mount_path: '/scratch' }] } },
    }), 'extraConfig.volumes');
  });
});
