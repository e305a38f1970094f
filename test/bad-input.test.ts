import * as fs from 'fs';
import { App, Chart, Duration, Testing } from 'cdk8s';
import {
  ClusterDnsReach, ContainerResources, DindService, DnsConfig, DnsPolicy, JobPodTemplate, JobService, JobServiceProps, NodePool, PullPolicy,
  ResourceBudget, ResourceBudgetProps, RunnerManager, RunnerToken,
  FleetSynth,
} from '../src';
import { declared } from './declared';
import { quietSynth } from './quiet-synth';
import { FleetConfigError } from '../src/model/finding';
import { TaintEffect } from '../src/model/taint-effect';

// Every invalid prop is recorded where it is declared and refused at synth with one error line naming the construct
// path, the field, what is wrong (with the value) and the fix; nothing is written. One row per check.

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

const POOL: NodePool = { name: 'ci', nodes: 3, allocatable: { cpu: '8', memory: '32Gi' } };

/** A budget of one pool: POOL with `pool` merged in, and `props` beside nodePools. */
function budget(pool: Record<string, unknown>, props: Record<string, unknown> = {}) {
  return (chart: Chart) => new ResourceBudget(chart, 'Budget', { nodePools: [{ ...POOL, ...pool }], ...props } as ResourceBudgetProps);
}

/** A pool sized by capacity (so reservations apply). */
const BY_CAPACITY = { allocatable: undefined, capacity: { cpu: '8', memory: '32Gi' } };

function build(resources: ContainerResources) {
  return (chart: Chart) => jobs(chart, { buildResources: resources });
}

/** Realistic credentials of every shape the detector knows (made up; none is real). */
const SECRETS: Array<[string, string, string]> = [
  ['a runner token', 'glrt-t1_' + 'Ab3dE6gH9jK2mN5pQ8sT', 'GitLab runner authentication token'],
  ['a legacy runner token', 'glrt-' + 'x7Yq2Lm9Pz4Rt6Vb1Nc8', 'GitLab runner authentication token'],
  ['a personal access token', 'glpat-' + 'Zk3Xw8Qp2Lm7Rt5Vn9Bc', 'GitLab personal access token'],
  ['a deploy token', 'gldt-' + 'Hq4Mz8Wp1Ks6Tn3Vb7Rc', 'GitLab deploy token'],
  ['a pipeline trigger token', 'glptt-' + 'c0ffee1234567890abcdef1234567890abcdef12', 'GitLab pipeline trigger token'],
  ['a registration token', 'GR1348941' + 'aB3cD4eF5gH6iJ7kL8mN', 'runner registration token'],
  ['an AWS access key id', 'AKIA' + 'IOSFODNN7EXAMPLE', 'AWS access key id'],
  ['a Google API key', 'AIza' + 'SyD-9tSrke72PouQMnMX7KfgrvV1ky2eXX0', 'Google API key'],
  ['a Google OAuth client secret', 'GOCSPX-' + 'AbCdEfGhIjKlMnOpQrStUvWxYz12', 'Google OAuth client secret'],
  ['an Azure storage connection string', 'DefaultEndpointsProtocol=https;AccountName=ci;AccountKey=' + 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsu==', 'Azure storage'],
  ['an Azure client secret', 'abc8Q~' + 'dEfGhIjKlMnOpQrStUvWxYz0123456789', 'Azure client secret'],
  ['a PEM private key', '-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY-----', 'private key (PEM block)'],
  ['an OpenSSH private key', '-----BEGIN OPENSSH PRIVATE KEY-----\nb3Blbn\n-----END OPENSSH PRIVATE KEY-----', 'private key (PEM block)'],
  ['a password in a clone URL', 'https://ci:s3cr3t-pass@gitlab.example.com/group/repo.git', 'password in a URL'],
  ['a token in a URL query', 'https://api.example.com/hook?private_token=abc123def456', 'token in a URL query'],
];

/** Where a string prop reaches an output, with the field the error names and the fix fragment. */
const SECRET_PLACES: Array<[string, (c: Chart, secret: string) => unknown, string, string, string]> = [
  ['CI_SERVER_TOKEN', (c, v) => manager(c, { environment: { CI_SERVER_TOKEN: v } }), 'Runner', 'environment.CI_SERVER_TOKEN', 'masked CI/CD variable'],
  ['DEPLOY_TOKEN', (c, v) => manager(c, { environment: { DEPLOY_TOKEN: v } }), 'Runner', 'environment.DEPLOY_TOKEN', 'masked CI/CD variable'],
  ['a service environment', (c, v) => new JobService(c, 'Svc', { image: 'postgres:16', environment: { PGPASSFILE: v } }), 'Svc', 'environment.PGPASSFILE', 'masked CI/CD variable'],
  ['extraConfig.bearer_token', (c, v) => jobs(c, { extraConfig: { bearer_token: v } }), 'Jobs', 'extraConfig.bearer_token', 'leave bearer_token out'],
  ['a pod annotation', (c, v) => jobs(c, { podAnnotations: { 'example.com/cred': v } }), 'Jobs', 'podAnnotations.example.com/cred', 'Kubernetes Secret'],
];

const SECRET_ROWS: Row[] = SECRET_PLACES.flatMap(([place, buildIt, id, field, fix]) => SECRETS.map(([what, secret, shape]) => ({
  what: `${what} in ${place}`, build: (c: Chart) => buildIt(c, secret), id, field, value: shape, fix,
})));

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
  { what: 'a null service resource spec beside services that declare resources', build: (c) => jobs(c, { serviceResources: { cpu: null }, services: [new JobService(c, 'Svc', { image: 'postgres:16', resources: { cpu: { request: '1' } } })] }), id: 'Jobs', field: 'serviceResources.cpu', value: 'null is not a resource spec', fix: 'give { request?, limit?, maxRequest?, maxLimit? }' },
  { what: 'a hole in a service command', build: (c) => new JobService(c, 'Svc', { image: 'postgres:16', command: Object.assign(new Array(2), { 0: '-c' }) }), id: 'Svc', field: 'command[1]', value: 'undefined is not a string', fix: '' },
  { what: 'an escape-hatch number given as a string', build: (c) => jobs(c, { extraConfig: { poll_interval: '5' } }), id: 'Jobs', field: 'extraConfig.poll_interval', value: "'5' is not a whole number; GitLab Runner cannot decode it", fix: 'give a whole number' },
  { what: 'an escape-hatch duration given as a bare number', build: (c) => jobs(c, { extraConfig: { cleanup_resources_timeout: 300 } }), id: 'Jobs', field: 'extraConfig.cleanup_resources_timeout', value: 'would be read as 300 nanoseconds', fix: "e.g. '5m'" },
  { what: 'an escape-hatch list given as one string', build: (c) => jobs(c, { extraConfig: { cap_add: 'NET_ADMIN' } }), id: 'Jobs', field: 'extraConfig.cap_add', value: "'NET_ADMIN' is not a list of strings", fix: "e.g. ['a', 'b']" },
  { what: 'an escape-hatch table given as a list', build: (c) => jobs(c, { extraConfig: { affinity: [] } }), id: 'Jobs', field: 'extraConfig.affinity', value: '[] is not a table', fix: 'give a table' },
  { what: 'a null inside an escape-hatch list', build: (c) => jobs(c, { extraConfig: { cap_add: ['NET_ADMIN', null] } }), id: 'Jobs', field: 'extraConfig.cap_add', value: '["NET_ADMIN",null] is not a list of strings', fix: 'give a list of strings' },
  { what: 'a null deep in an escape-hatch table', build: (c) => jobs(c, { extraConfig: { volumes: { empty_dir: [{ name: 'x', mount_path: null }] } } }), id: 'Jobs', field: 'extraConfig.volumes.empty_dir[0].mount_path', value: 'null is not a string; GitLab Runner cannot decode it', fix: "give a string, e.g. 'value'" },
  { what: 'a seccomp profile type in the wrong case', build: (c) => jobs(c, { extraConfig: { build_container_security_context: { seccomp_profile: { type: 'runtimedefault' } } } }), id: 'Jobs', field: 'extraConfig.build_container_security_context.seccomp_profile.type', value: "'runtimedefault' is not a value GitLab Runner accepts for type", fix: "use one of 'RuntimeDefault', 'Localhost', 'Unconfined'" },
  { what: 'a misspelt key deep in an escape-hatch table', build: (c) => jobs(c, { extraConfig: { build_container_security_context: { capabilites: { drop: ['ALL'] } } } }), id: 'Jobs', field: 'extraConfig.build_container_security_context.capabilites', value: "no [runners.kubernetes.build_container_security_context] key 'capabilites'; it would silently ignore it", fix: 'check the spelling' },
  { what: 'an empty escape-hatch value', build: (c) => jobs(c, { extraConfig: { scheduler_name: null } }), id: 'Jobs', field: 'extraConfig.scheduler_name', value: 'the value is empty', fix: 'give a value or leave the key out' },
  { what: 'an invalid node selector key', build: (c) => jobs(c, { nodeSelector: { 'bad key': 'x' } }), id: 'Jobs', field: 'nodeSelector.bad key', value: "'bad key' is not a valid label key", fix: 'DNS-subdomain prefix' },
  { what: 'an invalid node selector value', build: (c) => jobs(c, { nodeSelector: { 'kubernetes.io/arch': 'amd 64' } }), id: 'Jobs', field: 'nodeSelector.kubernetes.io/arch', value: "'amd 64' is not a valid label value", fix: 'at most 63 letters' },
  { what: 'an invalid pod label value', build: (c) => jobs(c, { podLabels: { team: '-platform' } }), id: 'Jobs', field: 'podLabels.team', value: "'-platform' is not a valid label value", fix: 'starting and ending alphanumeric' },
  { what: 'a pod label in the reserved namespace', build: (c) => jobs(c, { podLabels: { 'project.runner.gitlab.com/id': '1' } }), id: 'Jobs', field: 'podLabels.project.runner.gitlab.com/id', value: 'reserved', fix: 'outside runner.gitlab.com' },
  { what: 'an invalid toleration key', build: (c) => jobs(c, { tolerations: [{ key: 'bad key' }] }), id: 'Jobs', field: 'tolerations[0].key', value: "'bad key' is not a valid taint key", fix: 'example.com/ci' },
  { what: 'an invalid toleration value', build: (c) => jobs(c, { tolerations: [{ key: 'dedicated', value: 'c i' }] }), id: 'Jobs', field: 'tolerations[0].value', value: "'c i' is not a valid taint value", fix: 'at most 63 letters' },
  { what: 'an unknown taint effect', build: (c) => jobs(c, { tolerations: [{ key: 'dedicated', effect: 'NoRun' as TaintEffect }] }), id: 'Jobs', field: 'tolerations[0].effect', value: "'NoRun' is not a taint effect", fix: 'TaintEffect.NO_SCHEDULE' },
  { what: 'a zero poll timeout', build: (c) => jobs(c, { pollTimeout: Duration.seconds(0) }), id: 'Jobs', field: 'pollTimeout', value: '0s is not a positive whole number of seconds', fix: 'give whole seconds, e.g. Duration.seconds(180)' },
  { what: 'two services with one alias', build: (c) => jobs(c, { services: [new JobService(c, 'A', { image: 'redis:7', alias: 'cache' }), new JobService(c, 'B', { image: 'memcached:1', alias: 'cache' })] }), id: 'Jobs', field: 'services[1].alias', value: "alias 'cache' is used by test/A too", fix: 'give each service its own alias' },
  { what: 'two services on one port', build: (c) => jobs(c, { services: [new DindService(c, 'Dind'), new JobService(c, 'Svc', { image: 'x:1', port: 2376 })] }), id: 'Jobs', field: 'services[1].port', value: 'port 2376 is used by test/Dind too', fix: 'keep one service per port' },
  { what: 'services whose resources disagree', build: (c) => jobs(c, { services: [new JobService(c, 'A', { image: 'redis:7', resources: { cpu: { limit: '1' } } }), new JobService(c, 'B', { image: 'pg:16', resources: { cpu: { limit: '2' } } })] }), id: 'Jobs', field: 'services.B.resources', value: 'these differ from the others', fix: 'set them once with serviceResources' },
  { what: 'a service that is not a JobService', build: (c) => jobs(c, { services: [{ image: 'redis:7' }] }), id: 'Jobs', field: 'services[0]', value: 'is not a JobService', fix: 'pass JobService or DindService constructs' },

  // RunnerManager
  // The runner version (src/internal/runner/version.ts): from the image tag or runnerVersion
  { what: 'an image tag without a version', build: (c) => manager(c, { image: 'registry.example.com/gitlab/gitlab-runner:latest' }), id: 'Runner', field: 'runnerVersion', value: "'registry.example.com/gitlab/gitlab-runner:latest' has no version in its tag", fix: 'set runnerVersion to the GitLab Runner version the image holds' },
  { what: 'a malformed runnerVersion', build: (c) => manager(c, { runnerVersion: '18.3.0-rc1' }), id: 'Runner', field: 'runnerVersion', value: "'18.3.0-rc1' is not a GitLab Runner version", fix: "'X.Y.Z'" },
  { what: 'a runnerVersion contradicting the image tag', build: (c) => manager(c, { image: 'gitlab/gitlab-runner:alpine-v18.9.0', runnerVersion: '18.3.0' }), id: 'Runner', field: 'runnerVersion', value: "runnerVersion '18.3.0' contradicts the image 'gitlab/gitlab-runner:alpine-v18.9.0', whose tag says 18.9.0", fix: 'drop runnerVersion' },
  { what: 'a runner below the supported range', build: (c) => manager(c, { image: 'gitlab/gitlab-runner:v16.11.2' }), id: 'Runner', field: 'image', value: 'GitLab Runner 16.11.2 is older than the versions this library knows', fix: 'use a runner image from 17.0.0 to 19.4.0.x' },
  { what: 'a runner above the supported range', build: (c) => manager(c, { image: 'gitlab/gitlab-runner:v19.5.0' }), id: 'Runner', field: 'image', value: 'GitLab Runner 19.5.0 is newer than the versions this library knows', fix: 'or a newer release of this library' },
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
  { what: 'a zero check interval', build: (c) => manager(c, { checkInterval: Duration.seconds(0) }), id: 'Runner', field: 'checkInterval', value: '0s is not a positive whole number of seconds', fix: 'give whole seconds, e.g. Duration.seconds(3)' },
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

  // Wrong types and props the rule catalogue once let through (each used to crash or pass silently)
  { what: 'nameservers as one string', build: (c) => new DnsConfig(c, 'Dns', { nameservers: '10.0.0.2' as unknown as string[] }), id: 'Dns', field: 'nameservers', value: "'10.0.0.2' is not a list", fix: 'give nameservers as an array' },
  { what: 'search domains as a number', build: (c) => new DnsConfig(c, 'Dns', { searches: 5 as unknown as string[] }), id: 'Dns', field: 'searches', value: '5 is not a list', fix: 'give searches as an array' },
  { what: 'resolver options as an object', build: (c) => new DnsConfig(c, 'Dns', { options: { name: 'ndots' } as unknown as [] }), id: 'Dns', field: 'options', value: '{"name":"ndots"} is not a list', fix: 'give options as an array' },
  { what: 'a null nameserver', build: (c) => new DnsConfig(c, 'Dns', { nameservers: ['10.0.0.2', null as unknown as string] }), id: 'Dns', field: 'nameservers[1]', value: 'null is not an IP address', fix: 'IPv4 or IPv6' },
  { what: "a DNS policy named like an object member ('toString')", build: (c) => new DnsConfig(c, 'Dns', { policy: 'toString' as DnsPolicy }), id: 'Dns', field: 'policy', value: "'toString' is not a runner DNS policy", fix: "'cluster-first'" },
  { what: 'an unknown cluster DNS reach', build: (c) => new DnsConfig(c, 'Dns', { clusterDnsReach: 'in-cluster' as ClusterDnsReach }), id: 'Dns', field: 'clusterDnsReach', value: "'in-cluster' is not a ClusterDnsReach", fix: 'ClusterDnsReach.IN_CLUSTER_ONLY' },
  { what: 'a service command as one string', build: (c) => new JobService(c, 'Svc', { image: 'redis:7', command: 'redis-server --save ""' as unknown as string[] }), id: 'Svc', field: 'command', value: 'is not a list of arguments', fix: 'give command as an array of strings' },
  { what: 'a numeric service argument', build: (c) => new JobService(c, 'Svc', { image: 'redis:7', command: ['--port', 6380 as unknown as string] }), id: 'Svc', field: 'command[1]', value: '6380 is not a string', fix: "write it as a string, e.g. '6380'" },
  { what: 'a service entrypoint as one string', build: (c) => new JobService(c, 'Svc', { image: 'minio/minio', entrypoint: 'minio' as unknown as string[] }), id: 'Svc', field: 'entrypoint', value: "'minio' is not a list of arguments", fix: 'give entrypoint as an array of strings' },
  { what: 'a service environment as a string', build: (c) => new JobService(c, 'Svc', { image: 'redis:7', environment: 'A=b' as unknown as Record<string, string> }), id: 'Svc', field: 'environment', value: "'A=b' is not a map of variables", fix: "{ NAME: 'value' }" },
  { what: 'a numeric service variable', build: (c) => new JobService(c, 'Svc', { image: 'postgres:16', environment: { POSTGRES_PORT: 5432 as unknown as string } }), id: 'Svc', field: 'environment.POSTGRES_PORT', value: '5432 is not a string', fix: "write it as a string, e.g. '5432'" },
  { what: 'a null service variable', build: (c) => new JobService(c, 'Svc', { image: 'postgres:16', environment: { POSTGRES_DB: null as unknown as string } }), id: 'Svc', field: 'environment.POSTGRES_DB', value: 'null is not a string', fix: 'give it as a string' },
  { what: 'a service without an image', build: (c) => new JobService(c, 'Svc', {} as JobServiceProps), id: 'Svc', field: 'image', value: 'undefined is not an image reference', fix: "'postgres:16'" },
  { what: 'registry mirrors as one string', build: (c) => new DindService(c, 'Dind', { registryMirrors: 'https://mirror.example.com' as unknown as string[] }), id: 'Dind', field: 'registryMirrors', value: "'https://mirror.example.com' is not a list", fix: 'give registryMirrors as an array of strings' },
  { what: 'a null registry mirror', build: (c) => new DindService(c, 'Dind', { registryMirrors: [null as unknown as string] }), id: 'Dind', field: 'registryMirrors[0]', value: 'null is not an http(s) URL', fix: "'https://mirror.example.com'" },
  { what: 'a numeric insecure registry', build: (c) => new DindService(c, 'Dind', { insecureRegistries: [5000 as unknown as string] }), id: 'Dind', field: 'insecureRegistries[0]', value: '5000 is neither host[:port] nor a CIDR', fix: "'registry.example.com:5000'" },
  { what: 'dockerd nameservers as one string', build: (c) => new DindService(c, 'Dind', { dns: '10.0.0.2' as unknown as string[] }), id: 'Dind', field: 'dns', value: "'10.0.0.2' is not a list", fix: 'give dns as an array of strings' },
  { what: 'tls as a string', build: (c) => new DindService(c, 'Dind', { tls: 'false' as unknown as boolean }), id: 'Dind', field: 'tls', value: "'false' is not true or false", fix: 'give a boolean' },
  { what: 'a numeric dockerd flag', build: (c) => new DindService(c, 'Dind', { extraArgs: [42 as unknown as string] }), id: 'Dind', field: 'extraArgs[0]', value: '42 is not a string', fix: "'--debug'" },
  { what: 'an MTU given as a string', build: (c) => new DindService(c, 'Dind', { mtu: '1450' as unknown as number }), id: 'Dind', field: 'mtu', value: "'1450' is not a usable MTU", fix: '1440 on Calico IPIP' },
  { what: 'one service instead of a list', build: (c) => jobs(c, { services: new DindService(c, 'Dind') }), id: 'Jobs', field: 'services', value: 'DindService test/Dind is not a list', fix: 'give services as an array' },
  { what: 'another construct as a service', build: (c) => jobs(c, { services: [new DnsConfig(c, 'Dns')] }), id: 'Jobs', field: 'services[0]', value: 'DnsConfig test/Dns is not a JobService', fix: 'pass JobService or DindService constructs' },
  { what: 'DNS settings instead of a DnsConfig', build: (c) => jobs(c, { dns: { policy: 'none', nameservers: ['10.0.0.2'] } }), id: 'Jobs', field: 'dns', value: '{"policy":"none","nameservers":["10.0.0.2"]} is not a DnsConfig', fix: 'pass a DnsConfig construct' },
  { what: 'another construct as the DNS', build: (c) => jobs(c, { dns: new JobService(c, 'Svc', { image: 'redis:7' }) }), id: 'Jobs', field: 'dns', value: 'JobService test/Svc is not a DnsConfig', fix: 'pass a DnsConfig construct' },
  { what: 'a pull policy that is not a list', build: (c) => jobs(c, { pullPolicy: 'always' }), id: 'Jobs', field: 'pullPolicy', value: "'always' is not a list", fix: '[PullPolicy.IF_NOT_PRESENT]' },
  { what: 'a numeric build image', build: (c) => jobs(c, { image: 3.2 }), id: 'Jobs', field: 'image', value: '3.2 is not an image reference', fix: "'registry.example.com/ci/build:1.0'" },
  { what: 'helper options as an image string', build: (c) => jobs(c, { helper: 'registry.example.com/helper:v1' }), id: 'Jobs', field: 'helper', value: "'registry.example.com/helper:v1' is not helper options", fix: '{ image?, resources? }' },
  { what: 'an empty helper image', build: (c) => jobs(c, { helper: { image: '' } }), id: 'Jobs', field: 'helper.image', value: "'' is not an image reference", fix: 'give an image' },
  { what: 'an escape hatch that is not a map', build: (c) => jobs(c, { extraConfig: 'poll_interval=5' }), id: 'Jobs', field: 'extraConfig', value: "'poll_interval=5' is not a map of config.toml keys", fix: '{ poll_interval: 5 }' },
  { what: 'a fractional poll timeout', build: (c) => jobs(c, { pollTimeout: Duration.millis(1500) }), id: 'Jobs', field: 'pollTimeout', value: '1.5s is not a positive whole number of seconds', fix: 'give whole seconds' },
  { what: 'two tolerations of one key (config.toml keeps one of them)', build: (c) => jobs(c, { tolerations: [{ key: 'a', effect: TaintEffect.NO_SCHEDULE }, { key: 'a', effect: TaintEffect.NO_EXECUTE }] }), id: 'Jobs', field: 'tolerations[1].key', value: "both render node_tolerations key 'a'", fix: 'merge them' },
  { what: 'a toleration that is not an object', build: (c) => jobs(c, { tolerations: [null] }), id: 'Jobs', field: 'tolerations[0]', value: 'null is not a toleration', fix: '{ key, value?, effect? }' },
  { what: 'an invalid job service account name', build: (c) => jobs(c, { serviceAccountName: 'CI_Job' }), id: 'Jobs', field: 'serviceAccountName', value: "'CI_Job' is not a valid ServiceAccount name", fix: 'use a DNS-1123 subdomain' },
  { what: 'an invalid job pod annotation key', build: (c) => jobs(c, { podAnnotations: { 'bad key': 'x' } }), id: 'Jobs', field: 'podAnnotations.bad key', value: "'bad key' is not a valid annotation key", fix: 'an optional DNS-subdomain prefix' },
  { what: 'an escape-hatch emptyDir on the DinD certificates volume', build: (c) => jobs(c, { services: [new DindService(c, 'Dind')], extraConfig: { volumes: { empty_dir: [{ name: 'docker-certs', mount_path: '/scratch' }] } } }), id: 'Jobs', field: 'extraConfig.volumes.empty_dir[0]', value: "clashes with the DinD certificates volume 'docker-certs'", fix: 'give the volume another name and mount path' },
  { what: '-H<addr> (shorthand with the value attached) in DinD extraArgs', build: (c) => new DindService(c, 'Dind', { extraArgs: ['-Htcp://0.0.0.0:2375'] }), id: 'Dind', field: 'extraArgs[0]', value: "'-Htcp://0.0.0.0:2375' changes where dockerd listens", fix: 'leave the listen address to this construct' },
  { what: 'a numeric runner image', build: (c) => manager(c, { image: 18 }), id: 'Runner', field: 'image', value: '18 is not an image reference', fix: 'gitlab-runner:v18.3.0' },
  { what: 'metricsService as a string', build: (c) => manager(c, { metricsService: 'false' }), id: 'Runner', field: 'metricsService', value: "'false' is not true or false", fix: 'give a boolean' },
  { what: 'another construct as the budget', build: (c) => manager(c, { budget: new DnsConfig(c, 'Dns') }), id: 'Runner', field: 'budget', value: 'test/Dns is not a ResourceBudget', fix: 'pass the ResourceBudget construct' },
  { what: 'a numeric Secret key', build: (c) => manager(c, { token: RunnerToken.fromSecret('gitlab-runner-token', 5 as unknown as string) }), id: 'Runner', field: 'token.key', value: '5 is not a valid Secret key', fix: "letters, digits, '-', '_' and '.'" },
  { what: 'a numeric runner variable', build: (c) => manager(c, { environment: { GIT_DEPTH: 20 } }), id: 'Runner', field: 'environment.GIT_DEPTH', value: '20 is not a string', fix: "write it as a string, e.g. '20'" },
  { what: 'runner variables as a list', build: (c) => manager(c, { environment: ['GIT_DEPTH=20'] }), id: 'Runner', field: 'environment', value: '["GIT_DEPTH=20"] is not a map', fix: "{ GIT_DEPTH: '20' }" },
  { what: 'feature flags as a string', build: (c) => manager(c, { featureFlags: 'FF_PRINT_POD_EVENTS' }), id: 'Runner', field: 'featureFlags', value: "'FF_PRINT_POD_EVENTS' is not a map", fix: '{ FF_PRINT_POD_EVENTS: true }' },
  { what: 'a fractional check interval', build: (c) => manager(c, { checkInterval: Duration.millis(2500) }), id: 'Runner', field: 'checkInterval', value: '2.5s is not a positive whole number of seconds', fix: 'Duration.seconds(3)' },
  { what: 'a fractional termination grace period', build: (c) => manager(c, { terminationGracePeriod: Duration.millis(500) }), id: 'Runner', field: 'terminationGracePeriod', value: '0.5s is not a whole number of seconds', fix: 'Duration.hours(1)' },
  { what: 'an invalid manager toleration key', build: (c) => manager(c, { tolerations: [{ key: 'bad key!' }] }), id: 'Runner', field: 'tolerations[0].key', value: "'bad key!' is not a valid taint key", fix: 'example.com/ci' },
  { what: 'an invalid manager node selector value', build: (c) => manager(c, { nodeSelector: { 'kubernetes.io/os': 'linux os' } }), id: 'Runner', field: 'nodeSelector.kubernetes.io/os', value: "'linux os' is not a valid label value", fix: 'starting and ending alphanumeric' },
  { what: 'node pools as one pool', build: (c) => new ResourceBudget(c, 'Budget', { nodePools: POOL as unknown as NodePool[] }), id: 'Budget', field: 'nodePools', value: 'is not a list of node pools', fix: 'declare at least one pool' },
  { what: 'a null allocatable', build: budget({ allocatable: null }), id: 'Budget', field: 'nodePools[0].allocatable', value: "pool 'ci': null is not a map of resources", fix: "give { cpu: '…', memory: '…'" },
  { what: 'null DaemonSet requests', build: budget({ daemonSets: null }), id: 'Budget', field: 'nodePools[0].daemonSets', value: "pool 'ci': null is not a map of resources", fix: 'or leave it out' },
  { what: 'reservations that are not a map', build: budget({ allocatable: undefined, capacity: { cpu: '8', memory: '32Gi' }, reserved: '1Gi' }), id: 'Budget', field: 'nodePools[0].reserved', value: "'1Gi' is not a map of reservations", fix: 'kubeReserved' },
  { what: 'a null node pool', build: (c) => new ResourceBudget(c, 'Budget', { nodePools: [null as unknown as NodePool] }), id: 'Budget', field: 'nodePools[0]', value: 'null is not a node pool', fix: '{ name, nodes, allocatable }' },
  { what: 'taints as one taint', build: budget({ taints: { key: 'dedicated', effect: 'NoSchedule' } }), id: 'Budget', field: 'nodePools[0].taints', value: 'is not a list of taints', fix: 'give taints as an array' },
  { what: 'a provisioning time in plain seconds', build: budget({ provisioningTime: 180 }), id: 'Budget', field: 'nodePools[0].provisioningTime', value: "pool 'ci': 180 is not a positive duration", fix: 'Duration.minutes(3)' },
  { what: 'RuntimeClasses as one name', build: budget({}, { runtimeClasses: 'gvisor' }), id: 'Budget', field: 'runtimeClasses', value: "'gvisor' is not a list", fix: 'give runtimeClasses as an array' },
  { what: 'a null RuntimeClass', build: budget({}, { runtimeClasses: [null] }), id: 'Budget', field: 'runtimeClasses[0]', value: 'null is not a RuntimeClass overhead', fix: '{ name, cpu?, memory? }' },
  // ResourceBudget: node counts, sizes, reservations, DaemonSets, scheduling labels and budget-wide settings
  { what: 'a pool of zero nodes', build: budget({ nodes: 0 }), id: 'Budget', field: 'nodePools[0].nodes', value: "pool 'ci': 0 is not a whole number of at least 1", fix: 'give how many nodes the pool has' },
  { what: 'a negative node count', build: budget({ nodes: -2 }), id: 'Budget', field: 'nodePools[0].nodes', value: '-2 is not a whole number of at least 1', fix: 'leave an empty pool out' },
  { what: 'a fractional node count', build: budget({ nodes: 2.5 }), id: 'Budget', field: 'nodePools[0].nodes', value: '2.5 is not a whole number', fix: 'give how many nodes the pool has' },
  { what: 'a node count that is a string', build: budget({ nodes: '3' }), id: 'Budget', field: 'nodePools[0].nodes', value: "'3' is not a whole number", fix: 'give how many nodes the pool has' },
  { what: 'a fixed pool without a node count', build: budget({ nodes: undefined }), id: 'Budget', field: 'nodePools[0].nodes', value: "pool 'ci': the node count is missing", fix: 'or maxNodes for an autoscaling pool' },
  { what: 'minNodes without maxNodes', build: budget({ minNodes: 1 }), id: 'Budget', field: 'nodePools[0].minNodes', value: 'minNodes without maxNodes', fix: 'give maxNodes too' },
  { what: 'minNodes above maxNodes', build: budget({ nodes: undefined, minNodes: 5, maxNodes: 3 }), id: 'Budget', field: 'nodePools[0].minNodes', value: 'minNodes 5 is above maxNodes 3', fix: 'lower minNodes to at most 3' },
  { what: 'maxNodes 0', build: budget({ nodes: undefined, maxNodes: 0 }), id: 'Budget', field: 'nodePools[0].maxNodes', value: '0 is not a whole number of at least 1', fix: 'the most nodes the autoscaler may run' },
  { what: 'a negative minNodes', build: budget({ nodes: undefined, minNodes: -1, maxNodes: 3 }), id: 'Budget', field: 'nodePools[0].minNodes', value: '-1 is not a whole number of 0 or more', fix: '0 to scale from zero' },
  { what: 'a current node count outside min and max', build: budget({ nodes: 9, maxNodes: 4 }), id: 'Budget', field: 'nodePools[0].nodes', value: '9 nodes is outside minNodes 0 … maxNodes 4', fix: 'between minNodes and maxNodes' },
  { what: 'neither capacity nor allocatable', build: budget({ allocatable: undefined }), id: 'Budget', field: 'nodePools[0].allocatable', value: 'neither capacity nor allocatable is given', fix: 'give allocatable' },
  { what: 'both capacity and allocatable', build: budget({ capacity: { cpu: '8', memory: '32Gi' } }), id: 'Budget', field: 'nodePools[0].allocatable', value: 'both capacity and allocatable are given', fix: 'or capacity with reserved' },
  { what: 'a node size without memory', build: budget({ allocatable: { cpu: '8' } }), id: 'Budget', field: 'nodePools[0].allocatable.memory', value: "pool 'ci': memory is missing", fix: "give the node's memory, e.g. '32Gi'" },
  { what: 'a node size without cpu', build: budget({ ...BY_CAPACITY, capacity: { memory: '32Gi' } }), id: 'Budget', field: 'nodePools[0].capacity.cpu', value: 'cpu is missing', fix: "give the node's cpu, e.g. '8'" },
  { what: 'an unparsable node cpu', build: budget({ allocatable: { cpu: 'eight', memory: '32Gi' } }), id: 'Budget', field: 'nodePools[0].allocatable.cpu', value: "'eight' is not a non-negative Kubernetes quantity", fix: "'7910m'" },
  { what: 'node memory in GB', build: budget({ allocatable: { cpu: '8', memory: '32GB' } }), id: 'Budget', field: 'nodePools[0].allocatable.memory', value: "'32GB' is not a non-negative Kubernetes quantity", fix: "'32Gi'" },
  { what: 'a negative node capacity', build: budget({ ...BY_CAPACITY, capacity: { cpu: '-8', memory: '32Gi' } }), id: 'Budget', field: 'nodePools[0].capacity.cpu', value: "'-8'", fix: 'cores or millicores' },
  { what: 'node cpu as a number', build: budget({ allocatable: { cpu: 8, memory: '32Gi' } }), id: 'Budget', field: 'nodePools[0].allocatable.cpu', value: '8 is not a non-negative Kubernetes quantity', fix: "'7.5'" },
  { what: 'an unparsable ephemeral storage', build: budget({ allocatable: { cpu: '8', memory: '32Gi', ephemeralStorage: '100 Gi' } }), id: 'Budget', field: 'nodePools[0].allocatable.ephemeralStorage', value: "'100 Gi'", fix: "'512Mi'" },
  { what: 'reserved with allocatable', build: budget({ reserved: { systemReserved: { cpu: '1' } } }), id: 'Budget', field: 'nodePools[0].reserved', value: 'reserved is subtracted from capacity, but the pool gives allocatable', fix: 'drop reserved, or give capacity' },
  { what: 'reservations that leave no cpu', build: budget({ ...BY_CAPACITY, capacity: { cpu: '2', memory: '8Gi' }, reserved: { systemReserved: { cpu: '1' }, kubeReserved: { cpu: '1000m' } } }), id: 'Budget', field: 'nodePools[0].reserved', value: "reservations ('2' cpu) leave nothing of the node's '2'", fix: '500m is half a core' },
  { what: 'reservations that leave no memory', build: budget({ ...BY_CAPACITY, reserved: { systemReserved: { memory: '16Gi' }, evictionHard: { memory: '16Gi' } } }), id: 'Budget', field: 'nodePools[0].reserved', value: "reservations ('32Gi' memory) leave nothing of the node's '32Gi'", fix: '1Gi is 1024Mi' },
  { what: 'a CPU eviction threshold', build: budget({ ...BY_CAPACITY, reserved: { evictionHard: { cpu: '1' } } }), id: 'Budget', field: 'nodePools[0].reserved.evictionHard.cpu', value: 'the kubelet has no CPU eviction threshold', fix: 'reserve CPU with systemReserved or kubeReserved' },
  { what: 'an unparsable reservation', build: budget({ ...BY_CAPACITY, reserved: { kubeReserved: { memory: '1 Gi' } } }), id: 'Budget', field: 'nodePools[0].reserved.kubeReserved.memory', value: "'1 Gi' is not a non-negative Kubernetes quantity", fix: "'512Mi'" },
  { what: 'DaemonSets requesting all of the memory', build: budget({ daemonSets: { memory: '32Gi' } }), id: 'Budget', field: 'nodePools[0].daemonSets.memory', value: "DaemonSets request '32Gi' memory, all of the node's allocatable '32Gi'", fix: 'they are per node, not per cluster' },
  { what: 'DaemonSets requesting more cpu than the node has', build: budget({ daemonSets: { cpu: '9' } }), id: 'Budget', field: 'nodePools[0].daemonSets.cpu', value: 'nothing is left for job pods', fix: 'or use larger nodes' },
  { what: 'DaemonSet pods taking every pod slot', build: budget({ maxPods: 17, daemonSets: { pods: 17 } }), id: 'Budget', field: 'nodePools[0].daemonSets.pods', value: '17 DaemonSet pods take all 17 pod slots of a node', fix: 'check maxPods and daemonSets.pods' },
  { what: 'a fractional DaemonSet pod count', build: budget({ daemonSets: { pods: 1.5 } }), id: 'Budget', field: 'nodePools[0].daemonSets.pods', value: '1.5 is not a whole number of pods', fix: 'give 0 or more' },
  { what: 'an unparsable DaemonSet request', build: budget({ daemonSets: { cpu: '350 m' } }), id: 'Budget', field: 'nodePools[0].daemonSets.cpu', value: "'350 m'", fix: 'cores or millicores' },
  { what: 'maxPods 0', build: budget({ maxPods: 0 }), id: 'Budget', field: 'nodePools[0].maxPods', value: '0 is not a whole number of at least 1', fix: "the kubelet's --max-pods" },
  { what: 'maxPods NaN', build: budget({ maxPods: NaN }), id: 'Budget', field: 'nodePools[0].maxPods', value: 'is not a whole number of at least 1', fix: '110 by default' },
  { what: 'an invalid taint effect', build: budget({ taints: [{ key: 'dedicated', effect: 'NoWay' }] }), id: 'Budget', field: 'nodePools[0].taints[0].effect', value: "'NoWay' is not a taint effect", fix: 'TaintEffect.NO_SCHEDULE' },
  { what: 'a taint without an effect', build: budget({ taints: [{ key: 'dedicated', value: 'ci' }] }), id: 'Budget', field: 'nodePools[0].taints[0].effect', value: 'undefined is not a taint effect', fix: 'PREFER_NO_SCHEDULE or NO_EXECUTE' },
  { what: 'an invalid taint key', build: budget({ taints: [{ key: 'bad key', effect: 'NoSchedule' }] }), id: 'Budget', field: 'nodePools[0].taints[0].key', value: "'bad key' is not a valid taint key", fix: 'example.com/ci' },
  { what: 'an invalid taint value', build: budget({ taints: [{ key: 'dedicated', value: 'c i', effect: 'NoSchedule' }] }), id: 'Budget', field: 'nodePools[0].taints[0].value', value: "'c i' is not a valid taint value", fix: 'at most 63 letters' },
  { what: 'an invalid node label key', build: budget({ labels: { 'bad key!': 'x' } }), id: 'Budget', field: 'nodePools[0].labels.bad key!', value: "'bad key!' is not a valid label key", fix: 'kubernetes.io/arch' },
  { what: 'an invalid node label value', build: budget({ labels: { 'kubernetes.io/arch': 'amd 64' } }), id: 'Budget', field: 'nodePools[0].labels.kubernetes.io/arch', value: "'amd 64' is not a valid label value", fix: 'starting and ending alphanumeric' },
  { what: 'two pools of one name', build: (c) => new ResourceBudget(c, 'Budget', { nodePools: [POOL, { ...POOL, nodes: 1 }] }), id: 'Budget', field: 'nodePools[1].name', value: "pool 'ci' is declared twice (also nodePools[0])", fix: 'give each pool its own name, or merge the two' },
  { what: 'a pool name with a space', build: budget({ name: 'ci pool' }), id: 'Budget', field: 'nodePools[0].name', value: "'ci pool' is not a usable pool name", fix: 'at most 63 letters' },
  { what: 'an empty pool name', build: budget({ name: '' }), id: 'Budget', field: 'nodePools[0].name', value: "'' is not a usable pool name", fix: 'starting and ending alphanumeric' },
  { what: 'a pool without a name', build: budget({ name: undefined }), id: 'Budget', field: 'nodePools[0].name', value: 'undefined is not a usable pool name', fix: 'at most 63 letters' },
  { what: 'no node pool', build: (c) => new ResourceBudget(c, 'Budget', { nodePools: [] }), id: 'Budget', field: 'nodePools', value: 'the budget declares no node pool', fix: 'declare at least one pool' },
  { what: 'no props at all', build: (c) => new ResourceBudget(c, 'Budget', undefined as unknown as ResourceBudgetProps), id: 'Budget', field: 'nodePools', value: 'declares no node pool', fix: 'declare at least one pool' },
  { what: 'a zero provisioning time', build: budget({ provisioningTime: Duration.seconds(0) }), id: 'Budget', field: 'nodePools[0].provisioningTime', value: '0s is not a positive duration', fix: 'Duration.minutes(3)' },
  { what: 'a CPU limit overcommit ratio below 1', build: budget({}, { cpuLimitOvercommitRatio: 0.5 }), id: 'Budget', field: 'cpuLimitOvercommitRatio', value: '0.5 is not a ratio of at least 1', fix: 'e.g. 2' },
  { what: 'an infinite CPU limit overcommit ratio', build: budget({}, { cpuLimitOvercommitRatio: Infinity }), id: 'Budget', field: 'cpuLimitOvercommitRatio', value: 'is not a ratio of at least 1', fix: 'how many times the free CPU' },
  { what: 'a pod network MTU below 576', build: budget({}, { podNetworkMtu: 100 }), id: 'Budget', field: 'podNetworkMtu', value: '100 is not a usable MTU', fix: '1450 on VXLAN' },
  { what: 'a fractional pod network MTU', build: budget({}, { podNetworkMtu: 1450.5 }), id: 'Budget', field: 'podNetworkMtu', value: '1450.5 is not a usable MTU', fix: 'whole number' },
  { what: 'an invalid RuntimeClass name', build: budget({}, { runtimeClasses: [{ name: 'Bad_Name' }] }), id: 'Budget', field: 'runtimeClasses[0].name', value: "'Bad_Name' is not a RuntimeClass name", fix: "'gvisor'" },
  { what: 'a RuntimeClass declared twice', build: budget({}, { runtimeClasses: [{ name: 'gvisor' }, { name: 'gvisor', cpu: '250m' }] }), id: 'Budget', field: 'runtimeClasses[1].name', value: "RuntimeClass 'gvisor' is declared twice", fix: 'declare each RuntimeClass once' },
  { what: 'an unparsable RuntimeClass overhead', build: budget({}, { runtimeClasses: [{ name: 'kata', memory: '160 Mi' }] }), id: 'Budget', field: 'runtimeClasses[0].memory', value: "'160 Mi' is not a non-negative Kubernetes quantity", fix: "'512Mi'" },
  // Credentials in plain text (src/internal/validate/secrets.ts, SEC002): each shape in each place a string reaches an output.
  ...SECRET_ROWS,
  { what: 'user and password in gitlabUrl', build: (c) => manager(c, { gitlabUrl: 'https://runner:glrt-t1_Ab3dE6gH9jK2mN5pQ8sT@gitlab.example.com/' }), id: 'Runner', field: 'gitlabUrl', value: 'user credentials', fix: 'give the URL without credentials' },
  { what: 'a user name alone in gitlabUrl', build: (c) => manager(c, { gitlabUrl: 'https://oauth2@gitlab.example.com/' }), id: 'Runner', field: 'gitlabUrl', value: 'user credentials', fix: 'RunnerToken.fromSecret' },
  { what: 'private_token in the gitlabUrl query', build: (c) => manager(c, { gitlabUrl: 'https://gitlab.example.com/?private_token=abc' }), id: 'Runner', field: 'gitlabUrl', value: 'query parameter private_token=', fix: 'give the URL without credentials' },
  { what: '$RUNNER_TOKEN inside gitlabUrl', build: (c) => manager(c, { gitlabUrl: 'https://gitlab.example.com/$RUNNER_TOKEN/' }), id: 'Runner', field: 'gitlabUrl', value: 'which the runner expands into the URL', fix: 'give the URL without credentials' },
  { what: '${RUNNER_TOKEN} as the gitlabUrl password', build: (c) => manager(c, { gitlabUrl: 'https://runner:${RUNNER_TOKEN}@gitlab.example.com/' }), id: 'Runner', field: 'gitlabUrl', value: '$RUNNER_TOKEN', fix: 'RunnerToken.fromSecret' },
  { what: 'a newline in gitlabUrl', build: (c) => manager(c, { gitlabUrl: 'https://gitlab.example.com/\nx' }), id: 'Runner', field: 'gitlabUrl', value: 'holds white space or a control character', fix: 'without spaces, tabs, line breaks' },
  { what: 'a tab in gitlabUrl', build: (c) => manager(c, { gitlabUrl: 'https://gitlab.\texample.com/' }), id: 'Runner', field: 'gitlabUrl', value: 'holds white space or a control character', fix: 'without spaces, tabs, line breaks' },
  { what: 'a NUL in gitlabUrl', build: (c) => manager(c, { gitlabUrl: 'https://gitlab.example.com/\u0000' }), id: 'Runner', field: 'gitlabUrl', value: '\\u0000', fix: 'control characters' },
  { what: 'a trailing line break in gitlabUrl', build: (c) => manager(c, { gitlabUrl: 'https://gitlab.example.com/\r\n' }), id: 'Runner', field: 'gitlabUrl', value: '\\r\\n', fix: 'control characters' },
  { what: 'a credential in a DinD registry mirror', build: (c) => new DindService(c, 'Dind', { registryMirrors: ['https://mirror:hunter2-pass@mirror.example.com'] }), id: 'Dind', field: 'registryMirrors[0]', value: 'password in a URL', fix: 'Kubernetes Secret' },
  { what: 'a token in a service command', build: (c) => new JobService(c, 'Svc', { image: 'redis:7', command: ['--requirepass', 'glpat-Zk3Xw8Qp2Lm7Rt5Vn9Bc'] }), id: 'Svc', field: 'command[1]', value: 'GitLab personal access token', fix: 'Kubernetes Secret' },
  { what: 'a token in a DNS option value', build: (c) => new DnsConfig(c, 'Dns', { options: [{ name: 'ndots', value: 'glrt-t1_Ab3dE6gH9jK2mN5pQ8sT' }] }), id: 'Dns', field: 'options[0].value', value: 'GitLab runner authentication token', fix: 'Kubernetes Secret' },
  // Names and numbers by destination (src/constructs/runner-manager.ts, src/internal/validate/validators.ts)
  { what: "a token Secret key starting with '..'", build: (c) => manager(c, { token: RunnerToken.fromSecret('gitlab-runner-token', '..x') }), id: 'Runner', field: 'token.key', value: "'..x' is not a valid Secret key ('.', '..' and keys starting with '..' are reserved)", fix: "not starting with '..'" },
  { what: "the token Secret key '.'", build: (c) => manager(c, { token: RunnerToken.fromSecret('gitlab-runner-token', '.') }), id: 'Runner', field: 'token.key', value: "'.' is not a valid Secret key", fix: 'runner-token' },
  { what: "the token Secret key '..'", build: (c) => manager(c, { token: RunnerToken.fromSecret('gitlab-runner-token', '..') }), id: 'Runner', field: 'token.key', value: "'..' is not a valid Secret key", fix: 'at most 253' },
  { what: 'a token Secret key of 254 characters', build: (c) => manager(c, { token: RunnerToken.fromSecret('gitlab-runner-token', 'k'.repeat(254)) }), id: 'Runner', field: 'token.key', value: 'is not a valid Secret key', fix: 'at most 253' },
  { what: 'a token Secret key with a slash', build: (c) => manager(c, { token: RunnerToken.fromSecret('gitlab-runner-token', 'a/b') }), id: 'Runner', field: 'token.key', value: "'a/b' is not a valid Secret key", fix: "letters, digits, '-', '_' and '.'" },
  { what: 'replicas beyond int32', build: (c) => manager(c, { replicas: 2 ** 31 }), id: 'Runner', field: 'replicas', value: "2147483648 is above 2147483647, the largest value a Deployment's replicas (int32) holds", fix: 'give at most 2147483647' },
  { what: 'maxSurge beyond int32', build: (c) => manager(c, { maxSurge: 2 ** 32 }), id: 'Runner', field: 'maxSurge', value: 'is above 2147483647', fix: 'give at most 2147483647' },
  { what: 'runAsUser beyond the Kubernetes user ids', build: (c) => manager(c, { runAsUser: 2 ** 31 }), id: 'Runner', field: 'runAsUser', value: 'a Kubernetes user id (runAsUser, 0 to 2147483647)', fix: 'give at most 2147483647' },
  { what: 'fsGroup beyond the Kubernetes group ids', build: (c) => manager(c, { fsGroup: 4294967295 }), id: 'Runner', field: 'fsGroup', value: '4294967295 is above 2147483647', fix: 'give at most 2147483647' },
  { what: 'concurrent beyond the exact integers', build: (c) => manager(c, { concurrent: 2 ** 53 }), id: 'Runner', field: 'concurrent', value: 'is above 9007199254740991', fix: 'give at most 9007199254740991' },
  { what: 'limit beyond the exact integers', build: (c) => manager(c, { limit: 1e20 }), id: 'Runner', field: 'limit', value: 'the TOML writer prints larger ones as floats', fix: 'give at most 9007199254740991' },
  { what: 'requestConcurrency beyond the exact integers', build: (c) => manager(c, { requestConcurrency: 2 ** 60 }), id: 'Runner', field: 'requestConcurrency', value: 'is above 9007199254740991', fix: 'give at most' },
  { what: 'a check interval beyond the exact integers', build: (c) => manager(c, { checkInterval: Duration.seconds(2 ** 60) }), id: 'Runner', field: 'checkInterval', value: 'is not a positive whole number of seconds', fix: 'Duration.seconds(3)' },
  { what: 'a poll timeout beyond the exact integers', build: (c) => jobs(c, { pollTimeout: Duration.seconds(1e20) }), id: 'Jobs', field: 'pollTimeout', value: 'is not a positive whole number of seconds', fix: 'Duration.seconds(180)' },
  { what: 'a job-only maxRequest on the manager container', build: (c) => manager(c, { resources: { cpu: { request: '100m', maxRequest: '2' } } }), id: 'Runner', field: 'resources.cpu.maxRequest', value: 'the most a CI job may request through KUBERNETES_*_REQUEST', fix: 'set it on the JobPodTemplate' },
  { what: 'a job-only maxLimit on the manager container', build: (c) => manager(c, { resources: { memory: { limit: '512Mi', maxLimit: '4Gi' } } }), id: 'Runner', field: 'resources.memory.maxLimit', value: 'the manager container would ignore it', fix: 'drop it here' },
  { what: 'a manager name that is too long', build: (c) => manager(c, { name: 'r'.repeat(56) }), id: 'Runner', field: 'name', value: 'is not a DNS-1123 label of at most 55 characters', fix: 'lower-case letters, digits and hyphens' },
  // Strings the outputs cannot carry, or that would break the line they are written on
  { what: 'a non-ASCII manager image', build: (c) => manager(c, { image: 'registry.example.com/gitlab-runner:v18\u2028' }), id: 'Runner', field: 'image', value: 'is not an image reference', fix: 'registry.example.com/gitlab/gitlab-runner' },
  { what: 'a build image with DEL', build: (c) => jobs(c, { image: 'alpine:3\u007f' }), id: 'Jobs', field: 'image', value: 'is not an image reference', fix: 'registry.example.com/ci/build:1.0' },
  { what: 'a service image with NEL', build: (c) => new JobService(c, 'Svc', { image: 'postgres:16\u0085' }), id: 'Svc', field: 'image', value: 'is not an image reference', fix: "'postgres:16'" },
  { what: 'a lone surrogate in the manager environment', build: (c) => manager(c, { environment: { GREETING: 'hi \ud83d' } }), id: 'Runner', field: 'environment.GREETING', value: 'holds a lone surrogate (U+D83D at index 3', fix: 'complete the pair' },
  { what: 'a lone low surrogate in a pod annotation', build: (c) => jobs(c, { podAnnotations: { 'example.com/note': '\udc00x' } }), id: 'Jobs', field: 'podAnnotations.example.com/note', value: 'holds a lone surrogate (U+DC00 at index 0', fix: 'remove the stray character' },
  { what: 'a lone surrogate in a service command', build: (c) => new JobService(c, 'Svc', { image: 'redis:7', command: ['--name', 'x\ud800'] }), id: 'Svc', field: 'command[1]', value: 'lone surrogate', fix: 'remove the stray character' },
  { what: 'a registry mirror with a newline after a valid start', build: (c) => new DindService(c, 'Dind', { registryMirrors: ['https://mirror.example.com\n--insecure-registry=evil'] }), id: 'Dind', field: 'registryMirrors[0]', value: '\\n--insecure-registry', fix: "'https://mirror.example.com'" },
  { what: 'a registry mirror with a quote', build: (c) => new DindService(c, 'Dind', { registryMirrors: ['https://mirror.example.com/"x'] }), id: 'Dind', field: 'registryMirrors[0]', value: 'no spaces, quotes, backslashes', fix: "'https://mirror.example.com'" },
  { what: 'a registry mirror with a space in the path', build: (c) => new DindService(c, 'Dind', { registryMirrors: ['https://mirror.example.com/a b'] }), id: 'Dind', field: 'registryMirrors[0]', value: 'is not an http(s) URL', fix: "'https://mirror.example.com'" },
  { what: 'a DNS option name with a newline', build: (c) => new DnsConfig(c, 'Dns', { options: [{ name: 'ndots\nnameserver 1.2.3.4' }] }), id: 'Dns', field: 'options[0].name', value: 'is not a resolver option name', fix: "'ndots'" },
  { what: 'a DNS option name with a colon', build: (c) => new DnsConfig(c, 'Dns', { options: [{ name: 'ndots:5' }] }), id: 'Dns', field: 'options[0].name', value: "'ndots:5' is not a resolver option name", fix: "'timeout'" },
  { what: 'a DNS option value with a space', build: (c) => new DnsConfig(c, 'Dns', { options: [{ name: 'ndots', value: '2 rotate' }] }), id: 'Dns', field: 'options[0].value', value: 'holds white space or a control character', fix: "give the value alone, e.g. '2'" },
  { what: 'missing RunnerManager props', build: (c) => new RunnerManager(c, 'Runner', undefined as any), id: 'Runner', field: 'gitlabUrl', value: 'undefined is not an http(s) URL', fix: "give the GitLab instance's URL" },
  { what: 'null RunnerManager props', build: (c) => new RunnerManager(c, 'Runner', null as any), id: 'Runner', field: 'jobPod', value: 'a JobPodTemplate is required', fix: 'pass the JobPodTemplate construct' },
  { what: 'missing JobService props', build: (c) => new JobService(c, 'Svc', undefined as any), id: 'Svc', field: 'image', value: 'undefined is not an image reference', fix: "'postgres:16'" },
  { what: 'null DnsConfig props with a bad sibling', build: (c) => new DnsConfig(c, 'Dns', { options: null as any, nameservers: ['x'] }), id: 'Dns', field: 'nameservers[0]', value: "'x' is not an IP address", fix: 'IPv4 or IPv6' },
  { what: 'a 2 MB GitLab URL (config.toml over 1 MiB)', build: (c) => manager(c, { gitlabUrl: `https://gitlab.example.com/${'a'.repeat(2_000_000)}` }), id: 'Runner', field: 'gitlabUrl', value: 'more than the 1048576 (1 MiB) a ConfigMap holds', fix: 'keep large values out of the props' },
  { what: 'a 1.5 MiB environment (config.toml over 1 MiB)', build: (c) => manager(c, { environment: { A: 'x'.repeat(800_000), B: 'y'.repeat(800_000) } }), id: 'Runner', field: 'environment', value: 'more than the 1048576 (1 MiB) a ConfigMap holds', fix: 'ConfigMap or Secret the jobs mount' },
  { what: 'a 1.1 MiB service command (config.toml over 1 MiB)', build: (c) => new RunnerManager(c, 'Runner', { gitlabUrl: 'https://gitlab.example.com/', token: TOKEN, jobPod: new JobPodTemplate(c, 'Jobs', { services: [new JobService(c, 'Svc', { image: 'redis:7', command: ['x'.repeat(1_100_000)] })] }) }), id: 'Runner', field: 'jobPod', value: 'config.toml takes', fix: 'keep large values out of the props' },
  { what: 'pod annotations over 256 KiB', build: (c) => jobs(c, { podAnnotations: { 'example.com/a': 'a'.repeat(200_000), 'example.com/b': 'b'.repeat(70_000) } }), id: 'Jobs', field: 'podAnnotations', value: 'Kubernetes allows at most 262144 (256 KiB)', fix: 'put it in a ConfigMap or a volume' },
  { what: 'a key in a nested escape-hatch table', build: (c) => jobs(c, { extraConfig: { volumes: { secret: [{ name: 'creds', mount_path: '/creds', sub_path: 'AKIAIOSFODNN7EXAMPLE' }] } } }), id: 'Jobs', field: 'extraConfig.volumes.secret[0].sub_path', value: 'AWS access key id', fix: 'Kubernetes Secret' },
  { what: 'an AWS key as a node label value', build: budget({ labels: { 'example.com/owner': 'AKIAIOSFODNN7EXAMPLE' } }), id: 'Budget', field: 'nodePools[0].labels.example.com/owner', value: 'AWS access key id', fix: 'Kubernetes Secret' },
  // Escape-hatch tables the API server validates (src/job-pod-template.ts)
  { what: 'a host alias without ip', build: (c) => jobs(c, { extraConfig: { host_aliases: [{ hostnames: ['registry.internal'] }] } }), id: 'Jobs', field: 'extraConfig.host_aliases[0].ip', value: 'undefined is not an IP address', fix: "'10.0.0.10'" },
  { what: 'a host alias with a host name for ip', build: (c) => jobs(c, { extraConfig: { host_aliases: [{ ip: 'gateway', hostnames: ['registry.internal'] }] } }), id: 'Jobs', field: 'extraConfig.host_aliases[0].ip', value: "'gateway' is not an IP address", fix: 'the host names resolve to' },
  { what: 'a host alias without hostnames', build: (c) => jobs(c, { extraConfig: { host_aliases: [{ ip: '10.0.0.1' }] } }), id: 'Jobs', field: 'extraConfig.host_aliases[0].hostnames', value: 'the entry names no host', fix: "['registry.internal']" },
  { what: 'a host alias hostname with a newline after a valid start', build: (c) => jobs(c, { extraConfig: { host_aliases: [{ ip: '10.0.0.1', hostnames: ['registry.internal\n10.0.0.2 evil'] }] } }), id: 'Jobs', field: 'extraConfig.host_aliases[0].hostnames[0]', value: 'is not a DNS-1123 subdomain', fix: "'registry.internal'" },
  { what: 'a host alias hostname with a quote', build: (c) => jobs(c, { extraConfig: { host_aliases: [{ ip: '10.0.0.1', hostnames: ['registry"x'] }] } }), id: 'Jobs', field: 'extraConfig.host_aliases[0].hostnames[0]', value: 'is not a DNS-1123 subdomain', fix: 'lower-case labels separated by dots' },
  { what: 'a pod run_as_user beyond int32', build: (c) => jobs(c, { extraConfig: { pod_security_context: { run_as_user: 2 ** 31 } } }), id: 'Jobs', field: 'extraConfig.pod_security_context.run_as_user', value: '2147483648 is not a Kubernetes user or group id (0 to 2147483647)', fix: 'e.g. 1000' },
  { what: 'a negative build run_as_group', build: (c) => jobs(c, { extraConfig: { build_container_security_context: { run_as_group: -1 } } }), id: 'Jobs', field: 'extraConfig.build_container_security_context.run_as_group', value: '-1 is not a Kubernetes user or group id', fix: 'from 0 to 2147483647' },
  { what: 'a supplemental group beyond int32', build: (c) => jobs(c, { extraConfig: { pod_security_context: { supplemental_groups: [100, 4294967295] } } }), id: 'Jobs', field: 'extraConfig.pod_security_context.supplemental_groups[1]', value: '4294967295 is not a Kubernetes user or group id', fix: 'from 0 to 2147483647' },
  { what: 'an affinity weight of 0', build: (c) => jobs(c, { extraConfig: { affinity: { node_affinity: { preferred_during_scheduling_ignored_during_execution: [{ weight: 0, preference: { match_expressions: [{ key: 'a', operator: 'Exists' }] } }] } } } }), id: 'Jobs', field: 'extraConfig.affinity.node_affinity.preferred_during_scheduling_ignored_during_execution[0].weight', value: '0 is not a scheduling weight; Kubernetes takes 1 to 100', fix: 'from 1 to 100' },
  { what: 'an affinity weight beyond int32', build: (c) => jobs(c, { extraConfig: { affinity: { pod_anti_affinity: { preferred_during_scheduling_ignored_during_execution: [{ weight: 2 ** 31, pod_affinity_term: { topology_key: 'kubernetes.io/hostname' } }] } } } }), id: 'Jobs', field: 'extraConfig.affinity.pod_anti_affinity.preferred_during_scheduling_ignored_during_execution[0].weight', value: 'is not a scheduling weight', fix: 'from 1 to 100' },
  { what: 'a volume without name', build: (c) => jobs(c, { extraConfig: { volumes: { empty_dir: [{ mount_path: '/cache' }] } } }), id: 'Jobs', field: 'extraConfig.volumes.empty_dir[0].name', value: 'undefined is not a volume name', fix: "'cache'" },
  { what: 'a volume name with a dot', build: (c) => jobs(c, { extraConfig: { volumes: { secret: [{ name: 'ci.creds', mount_path: '/creds' }] } } }), id: 'Jobs', field: 'extraConfig.volumes.secret[0].name', value: "'ci.creds' is not a volume name", fix: 'DNS-1123 label' },
  { what: 'a volume without mount_path', build: (c) => jobs(c, { extraConfig: { volumes: { host_path: [{ name: 'docker', host_path: '/var/run/docker.sock' }] } } }), id: 'Jobs', field: 'extraConfig.volumes.host_path[0].mount_path', value: 'the volume has no mount path', fix: "'/cache'" },
  { what: 'a volume with an empty mount_path', build: (c) => jobs(c, { extraConfig: { volumes: { pvc: [{ name: 'cache', mount_path: '' }] } } }), id: 'Jobs', field: 'extraConfig.volumes.pvc[0].mount_path', value: 'the volume has no mount path', fix: 'absolute path' },
];

/** The prop errors a declaration records (declaring itself never throws them: synth reports them, all at once). */
function thrownBy(fn: () => unknown, scope?: Chart): FleetConfigError {
  try {
    declared(fn, scope);
  } catch (e) {
    if (e instanceof FleetConfigError) return e;
    throw new Error(`expected a FleetConfigError, got ${(e as Error).name}: ${(e as Error).message}`);
  }
  throw new Error('expected a FleetConfigError, nothing was thrown');
}

describe('bad input is refused with path, field, value and fix', () => {
  quietSynth();
  test.each(ROWS.map((r) => [r.what, r] as const))('%s', (_what, row) => {
    const chart = new Chart(Testing.app(), 'test', { namespace: 'ci' });
    const error = thrownBy(() => row.build(chart), chart);
    // FleetSynth reports it (with the path) and writes nothing.
    const app = chart.node.root as App; // Testing.app(): a fresh, empty output directory
    const result = FleetSynth.synth(app);
    expect(result.written).toBe(false);
    expect(result.findings).toContainEqual(expect.objectContaining({ path: `test/${row.id}`, field: row.field }));
    expect(fs.readdirSync(app.outdir)).toEqual([]);
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

// Wrong-typed props the property tests found slipping through or crashing: each is refused with a FleetConfigError.
describe('wrong-typed props found by the property tests', () => {
  const expectRefused = (buildIt: (c: Chart) => unknown, field: string) => {
    const chart = new Chart(Testing.app(), 'test', { namespace: 'ci' });
    expect(thrownBy(() => buildIt(chart)).findings.map((f) => f.field)).toContain(field);
  };

  test('a poll timeout in plain seconds (not a Duration) is a FleetConfigError (src/internal/validate/placement.ts validateWholeSeconds)', () => {
    expectRefused((c) => jobs(c, { pollTimeout: 180 }), 'pollTimeout');
  });

  test('a check interval in plain seconds is a FleetConfigError (src/internal/validate/placement.ts validateWholeSeconds)', () => {
    expectRefused((c) => manager(c, { checkInterval: 3 }), 'checkInterval');
  });

  test('tolerations that are not a list are refused (src/internal/validate/placement.ts validateTolerations)', () => {
    expectRefused((c) => jobs(c, { tolerations: { key: 'dedicated' } }), 'tolerations');
  });

  test('a node selector that is not a map is refused (src/internal/validate/placement.ts validateLabels)', () => {
    expectRefused((c) => manager(c, { nodeSelector: 'kubernetes.io/os=linux' }), 'nodeSelector');
  });

  test('a numeric pod annotation value is refused (src/internal/validate/placement.ts validateAnnotationKeys)', () => {
    expectRefused((c) => jobs(c, { podAnnotations: { 'example.com/retries': 3 } }), 'podAnnotations.example.com/retries');
  });

  test('a resource written as a bare quantity (cpu: \'2\') is refused, not ignored (src/container-resources.ts)', () => {
    expectRefused(build({ cpu: '2' } as unknown as ContainerResources), 'buildResources.cpu');
  });

  test('a null resource spec is a FleetConfigError, not a TypeError (src/container-resources.ts)', () => {
    expectRefused(build({ memory: null } as unknown as ContainerResources), 'buildResources.memory');
  });

  test('a manager name starting with a digit is refused when the metrics Service takes it (Service names are DNS-1035 labels)', () => {
    expectRefused((c) => manager(c, { name: '9-runner', metricsService: true }), 'name');
  });
});
