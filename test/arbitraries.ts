import { App, Chart, Duration } from 'cdk8s';
import * as fc from 'fast-check';
import {
  ClusterDnsReach, ContainerResources, DindService, DindServiceProps, DnsConfig, DnsConfigProps, DnsPolicy, JobPodTemplate,
  JobPodTemplateProps, JobService, JobServiceProps, NodePool, PullPolicy, ResourceBudget, ResourceBudgetProps, ResourceSpec,
  RunnerManager, RunnerManagerProps, RunnerToken,
} from '../src';
import { FEATURE_FLAGS, kubernetesKeys } from '../src/internal/runner/keys';
import { featureFlagStatus } from '../src/internal/runner/version';
import { TaintEffect } from '../src/model/taint-effect';

// fast-check arbitraries for test/property.test.ts: random VALID fleets (plain specs, built into an App by
// `buildFleet`), and corruptions that make exactly the named fields of one construct invalid.
//
// Valid fleets are generated so that no rule of the catalogue fails them (no DOCKER_* or KUBERNETES_* variables, DinD
// MTU within the pod network's, helper memory above the floor, architectures the helper image runs on, ...): the only
// errors a valid fleet may meet are capacity errors (CAP…) of a budget that is too small. Invalid values are written
// out by hand or generated from an independent definition, never with the library's own validators.

// ---------------------------------------------------------------------------------------------------------------
// Fleet specs

/** A service of the job pod: a DinD daemon or a plain service. */
export type ServiceSpec = { readonly kind: 'dind'; readonly props: DindServiceProps } | { readonly kind: 'job'; readonly props: JobServiceProps };

/** One manager; `jobPod` and `budget` are added by `buildFleet` (props may override them). */
export interface ManagerSpec {
  readonly props: Omit<RunnerManagerProps, 'jobPod' | 'budget'>;
  readonly useBudget: boolean;
}

/** Everything a fleet is declared from, construct by construct, in construction order. */
export interface FleetSpec {
  readonly chartNamespace: string;
  readonly dns?: DnsConfigProps;
  readonly services: ServiceSpec[];
  /** The job pod template; `services` and `dns` are added by `buildFleet` (props may override them). */
  readonly jobs: JobPodTemplateProps;
  readonly budget?: ResourceBudgetProps;
  readonly managers: ManagerSpec[];
}

/** The constructs of a built fleet. */
export interface BuiltFleet {
  readonly chart: Chart;
  readonly jobs: JobPodTemplate;
  readonly managers: RunnerManager[];
  readonly budget?: ResourceBudget;
}

const CHART_ID = 'fleet';

/** The construct path of each target of a corruption (`dns`, `svc:0`, `jobs`, `budget`, `mgr:0`). */
export function targetPath(target: string): string {
  if (target === 'dns') return `${CHART_ID}/Dns`;
  if (target === 'jobs') return `${CHART_ID}/Jobs`;
  if (target === 'budget') return `${CHART_ID}/Budget`;
  const [kind, index] = target.split(':');
  return `${CHART_ID}/${kind === 'svc' ? 'Svc' : 'Runner'}${index}`;
}

/** The order constructs are built in: the first invalid one throws. */
export function targetOrder(target: string): number {
  if (target === 'dns') return 0;
  if (target.startsWith('svc:')) return 100 + Number(target.slice(4));
  if (target === 'jobs') return 200;
  if (target === 'budget') return 300;
  return 400 + Number(target.slice(4));
}

/** Declares the fleet of `spec` in `app`, construct by construct, in the order of `targetOrder`. */
export function buildFleet(app: App, spec: FleetSpec): BuiltFleet {
  const chart = new Chart(app, CHART_ID, { namespace: spec.chartNamespace });
  const dns = spec.dns !== undefined ? new DnsConfig(chart, 'Dns', spec.dns) : undefined;
  const services = spec.services.map((s, i) => (s.kind === 'dind' ? new DindService(chart, `Svc${i}`, s.props) : new JobService(chart, `Svc${i}`, s.props)));
  // A corruption may pass a construct where another kind belongs; it names it by a placeholder (CONSTRUCT).
  const constructs: Record<string, unknown> = {
    [CONSTRUCT.dind]: services.find((d) => d instanceof DindService),
    [CONSTRUCT.dns]: dns,
    [CONSTRUCT.service]: services[0],
  };
  const resolve = (v: unknown) => (typeof v === 'string' && v in constructs ? constructs[v] : v);
  // A corruption may also pass more services than the fleet declares.
  const { extraServices, ...jobProps } = spec.jobs as JobPodTemplateProps & { extraServices?: unknown[] };
  const jobs = new JobPodTemplate(chart, 'Jobs', {
    services: [...services, ...(extraServices ?? []).map(resolve) as JobService[]], dns, ...jobProps, ...('dns' in jobProps ? { dns: resolve(jobProps.dns) as DnsConfig } : {}),
  });
  const budget = spec.budget !== undefined ? new ResourceBudget(chart, 'Budget', spec.budget) : undefined;
  const managers = spec.managers.map((m, i) => new RunnerManager(chart, `Runner${i}`, {
    jobPod: jobs,
    ...(m.useBudget && budget ? { budget } : {}),
    ...m.props,
    ...('jobPod' in m.props ? { jobPod: resolve((m.props as RunnerManagerProps).jobPod) } : {}),
    ...('budget' in m.props ? { budget: resolve((m.props as RunnerManagerProps).budget) } : {}),
  } as RunnerManagerProps));
  return { chart, jobs, managers, budget };
}

/** Placeholders a corruption uses for the fleet's own constructs, resolved by `buildFleet`. */
const CONSTRUCT = { dind: '@dind', dns: '@dns', service: '@service' } as const;

// ---------------------------------------------------------------------------------------------------------------
// Valid building blocks (each from Kubernetes' or the runner's own definition)

const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const DIGITS = '0123456789';
const UPPER = LOWER.toUpperCase();

function text(alphabet: string, minLength: number, maxLength: number): fc.Arbitrary<string> {
  return fc.array(fc.constantFrom(...alphabet.split('')), { minLength, maxLength }).map((a) => a.join(''));
}

function edgesIn(alphabet: string): (s: string) => boolean {
  return (s) => alphabet.includes(s[0]) && alphabet.includes(s[s.length - 1]);
}

/** A DNS-1123 label (lower-case alphanumerics and '-', alphanumeric at both ends) of minLength..maxLength characters. */
export function dnsLabel(minLength = 1, maxLength = 20): fc.Arbitrary<string> {
  return text(LOWER + DIGITS + '-', minLength, maxLength).filter(edgesIn(LOWER + DIGITS));
}

/** A DNS-1123 subdomain of 1 to 3 labels. */
export const dnsSubdomain = fc.array(dnsLabel(1, 12), { minLength: 1, maxLength: 3 }).map((labels) => labels.join('.'));

/** The name part of a label key, or a non-empty label value: alphanumerics, '-', '_', '.', alphanumeric at both ends. */
const labelName = text(LOWER + UPPER + DIGITS + '-_.', 1, 20).filter(edgesIn(LOWER + UPPER + DIGITS));

/** A label key: an optional DNS-subdomain prefix and a name. The runner's own label namespace is left out. */
export const labelKey = fc.tuple(fc.option(dnsSubdomain, { nil: undefined }), labelName)
  .map(([prefix, name]) => (prefix === undefined ? name : `${prefix}/${name}`))
  .filter((k) => !k.split('/')[0].endsWith('runner.gitlab.com'));

/** A label value: empty or a label name. */
export const labelValue = fc.oneof({ weight: 1, arbitrary: fc.constant('') }, { weight: 5, arbitrary: labelName });

const labels = (maxKeys: number) => fc.dictionary(labelKey, labelValue, { maxKeys, noNullPrototype: true });

/** An environment variable name a rule does not own (`DOCKER_*` is DinD's, `KUBERNETES_*` the runner's overwrites). */
const envName = fc.tuple(fc.constantFrom(...(UPPER + '_').split('')), text(UPPER + DIGITS + '_', 0, 10))
  .map(([a, rest]) => a + rest)
  .filter((n) => !/^(DOCKER_|KUBERNETES_)/.test(n));

/** Any printable or control ASCII text: config.toml and YAML must escape it. */
const anyText = fc.string({ maxLength: 24, unit: 'binary-ascii' });
/** Any ASCII but NUL, which no environment value can hold (exec(2) takes C strings): a NUL becomes SOH. */
const envText = anyText.map((s) => s.replace(/\0/g, '\u0001'));

const environment = fc.dictionary(envName, envText, { maxKeys: 4, noNullPrototype: true });

/** A whole number of seconds, written in one of the units cdk8s offers. */
function seconds(min: number, max: number): fc.Arbitrary<Duration> {
  return fc.integer({ min, max }).chain((s) => fc.constantFrom(
    Duration.seconds(s), Duration.millis(s * 1000),
    ...(s % 60 === 0 ? [Duration.minutes(s / 60)] : []), ...(s % 3600 === 0 ? [Duration.hours(s / 3600)] : []),
  ));
}

/** CPU in millicores, written in any Kubernetes form: `1500m`, `1.5`, `1500e-3`, `2`. */
function cpuText(millis: number): fc.Arbitrary<string> {
  return fc.constantFrom(`${millis}m`, `${millis / 1000}`, `${millis}e-3`, ...(millis % 1000 === 0 ? [`${millis / 1000}`] : []));
}

/** Memory in MiB, written in any Kubernetes form: `1536Mi`, `1.5Gi`, `1572864Ki`, bytes, `1610612736e0`. */
function memoryText(mebibytes: number): fc.Arbitrary<string> {
  const bytes = mebibytes * 1024 * 1024;
  return fc.constantFrom(`${mebibytes}Mi`, `${mebibytes * 1024}Ki`, `${bytes}`, `${bytes}e0`, ...(mebibytes % 512 === 0 ? [`${mebibytes / 1024}Gi`] : []));
}

/**
 * A resource spec whose request ≤ limit, maxRequest ≤ maxLimit, request ≤ maxRequest and limit ≤ maxLimit (four
 * sorted amounts), each of the four optional.
 */
function resourceSpec(min: number, max: number, write: (n: number) => fc.Arbitrary<string>): fc.Arbitrary<ResourceSpec> {
  return fc.tuple(fc.array(fc.integer({ min, max }), { minLength: 4, maxLength: 4 }), fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }))
    .chain(([amounts, present]) => {
      const [request, maxRequest, limit, maxLimit] = [...amounts].sort((a, b) => a - b);
      const keys = { request, limit, maxRequest, maxLimit };
      const entries = Object.entries(keys).filter((_, i) => present[i]);
      return fc.tuple(...entries.map(([, n]) => write(n))).map((texts) => Object.fromEntries(entries.map(([k], i) => [k, texts[i]])) as ResourceSpec);
    });
}

/** Container resources; cpu and memory are usually declared (a budget refuses BestEffort job pods with CAP008). */
function containerResources(minMemoryMi = 16): fc.Arbitrary<ContainerResources> {
  const usually = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined, freq: 8 });
  return fc.record({
    cpu: usually(resourceSpec(10, 8000, cpuText)),
    memory: usually(resourceSpec(minMemoryMi, 16384, memoryText)),
    ephemeralStorage: fc.option(resourceSpec(64, 65536, memoryText), { nil: undefined }),
  }, { requiredKeys: [] }).map(dropUndefined);
}

/** Requests and limits only: a manager refuses the job-only maxRequest and maxLimit. */
function requestsAndLimits(r: ContainerResources): ContainerResources {
  const kept = Object.entries(r).map(([kind, spec]) => [kind, dropUndefined({ request: spec?.request, limit: spec?.limit })]);
  return Object.fromEntries(kept) as ContainerResources;
}

function dropUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

// ---------------------------------------------------------------------------------------------------------------
// Valid constructs

const dnsOption = fc.record({
  name: fc.constantFrom('ndots', 'timeout', 'attempts', 'edns0', 'rotate'),
  value: fc.option(fc.integer({ min: 0, max: 15 }).map(String), { nil: undefined }),
}, { requiredKeys: ['name'] }).map(dropUndefined);

const nameserver = fc.oneof(fc.ipV4(), fc.ipV6());

const dnsProps: fc.Arbitrary<DnsConfigProps> = fc.record({
  policy: fc.option(fc.constantFrom(...Object.values(DnsPolicy)), { nil: undefined }),
  nameservers: fc.array(nameserver, { minLength: 0, maxLength: 3 }),
  searches: fc.array(fc.oneof(dnsSubdomain, fc.domain()), { maxLength: 6 }),
  options: fc.array(dnsOption, { maxLength: 3 }),
  clusterDnsReach: fc.option(fc.constantFrom(...Object.values(ClusterDnsReach)), { nil: undefined }),
}, { requiredKeys: [] }).map((p) => {
  // Kubernetes' None needs a nameserver; a cluster DNS that only knows in-cluster names is only declared where
  // the pod does not depend on it (rule DNS005 would fail the fleet).
  const nameservers = p.policy === DnsPolicy.NONE && (p.nameservers ?? []).length === 0 ? ['10.0.0.10'] : p.nameservers;
  const usesClusterDns = p.policy === undefined || p.policy === DnsPolicy.CLUSTER_FIRST || p.policy === DnsPolicy.CLUSTER_FIRST_WITH_HOST_NET;
  return dropUndefined({ ...p, nameservers, clusterDnsReach: usesClusterDns ? undefined : p.clusterDnsReach });
});

const dindProps = (resources?: ContainerResources): fc.Arbitrary<DindServiceProps> => fc.record({
  image: fc.option(fc.constantFrom('docker:dind', 'docker:27-dind', 'registry.example.com/docker:dind', 'registry.example.com:5000/mirror/docker:27.3-dind'), { nil: undefined }),
  alias: fc.option(fc.constantFrom('docker', 'dockerd', 'dind'), { nil: undefined }),
  tls: fc.option(fc.boolean(), { nil: undefined }),
  mtu: fc.option(fc.integer({ min: 576, max: 9216 }), { nil: undefined }),
  registryMirrors: fc.array(fc.tuple(fc.constantFrom('http', 'https'), dnsSubdomain).map(([scheme, host]) => `${scheme}://${host}.example.com`), { maxLength: 2 }),
  insecureRegistries: fc.array(fc.oneof(
    fc.tuple(dnsSubdomain, fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined })).map(([h, port]) => (port === undefined ? h : `${h}:${port}`)),
    fc.tuple(fc.ipV4(), fc.integer({ min: 8, max: 32 })).map(([ip, bits]) => `${ip}/${bits}`),
  ), { maxLength: 2 }),
  dns: fc.array(nameserver, { maxLength: 2 }),
  extraArgs: fc.subarray(['--storage-driver=overlay2', '--debug', '--log-level=warn', '--experimental']),
}, { requiredKeys: [] }).map((p) => dropUndefined({ ...p, resources }));

/** Plain services with distinct images, aliases and ports (a job pod refuses two on one alias or port). */
const PLAIN_SERVICES: JobServiceProps[] = [
  { image: 'postgres:16', alias: 'postgres', port: 5432, environment: { POSTGRES_PASSWORD: 'ci' } },
  { image: 'redis:7', alias: 'redis', port: 6379 },
  { image: 'registry.example.com/mysql:8.4', alias: 'mysql', port: 3306, command: ['--innodb-buffer-pool-size=64M'] },
  { image: 'registry.example.com/minio/minio:latest', entrypoint: ['minio'], command: ['server', '/data'] },
  { image: 'memcached:1.6' },
];

const plainServiceProps = (template: JobServiceProps, resources?: ContainerResources): fc.Arbitrary<JobServiceProps> => fc.record({
  alias: fc.option(fc.constant(template.alias), { nil: undefined, freq: 4 }),
  port: fc.option(fc.constant(template.port), { nil: undefined, freq: 4 }),
  environment: environment,
}).map((p) => dropUndefined({ ...template, ...p, environment: { ...template.environment, ...p.environment }, resources }));

/** Services that agree on their resources: none of their own, or one set shared by all (JOB's service_* rule). */
const servicesArb: fc.Arbitrary<{ services: ServiceSpec[]; serviceResources?: ContainerResources }> = fc.record({
  dind: fc.boolean(),
  plain: fc.subarray(PLAIN_SERVICES, { maxLength: 2 }),
  mode: fc.constantFrom('none', 'template', 'own', 'both'),
  resources: containerResources(),
}).chain(({ dind, plain, mode, resources }) => {
  const own = mode === 'own' || mode === 'both' ? resources : undefined;
  return fc.tuple(
    dind ? dindProps(own).map((props): ServiceSpec[] => [{ kind: 'dind', props }]) : fc.constant([] as ServiceSpec[]),
    fc.tuple(...plain.map((t) => plainServiceProps(t, own))).map((ps) => ps.map((props): ServiceSpec => ({ kind: 'job', props }))),
  ).map(([d, p]) => ({ services: [...d, ...p], serviceResources: mode === 'template' || mode === 'both' ? resources : undefined }));
});

const ARCHES = ['amd64', 'arm64'];
const HELPER_TAG_ARCH: Record<string, string> = { amd64: 'x86_64', arm64: 'arm64' };

const toleration = fc.record({
  key: fc.oneof(fc.constantFrom('dedicated', 'example.com/ci', 'nvidia.com/gpu'), labelKey),
  value: fc.option(labelName, { nil: undefined }),
  effect: fc.option(fc.constantFrom(...Object.values(TaintEffect)), { nil: undefined }),
}, { requiredKeys: ['key'] }).map(dropUndefined);

/** Escape-hatch keys with values of the runner's types, none owned by a typed prop or by a rule's error. */
const extraConfig = fc.record({
  poll_interval: fc.integer({ min: 1, max: 10 }),
  cleanup_resources_timeout: fc.constantFrom('5m', '300s', '1h30m'),
  helper_image_flavor: fc.constantFrom('alpine', 'ubuntu'),
  priority_class_name: dnsLabel(1, 30),
  cap_drop: fc.subarray(['NET_RAW', 'SYS_ADMIN', 'MKNOD'], { minLength: 1 }),
  print_pod_warning_events: fc.boolean(),
  resource_availability_check_max_attempts: fc.integer({ min: 0, max: 5 }),
  image_pull_secrets: fc.array(dnsLabel(1, 20), { minLength: 1, maxLength: 2 }),
  retry_limit: fc.integer({ min: 1, max: 5 }),
  automount_service_account_token: fc.boolean(),
  scheduler_name: dnsLabel(1, 20),
  pod_termination_grace_period_seconds: fc.integer({ min: 0, max: 600 }),
  runtime_class_name: fc.constantFrom('gvisor', 'kata'),
}, { requiredKeys: [] });

const jobsArb = fc.record({
  namespace: fc.option(dnsLabel(1, 63), { nil: undefined }),
  image: fc.option(fc.constantFrom('alpine:3.20', 'registry.example.com/ci/build:2024.1', 'ubuntu@sha256:' + 'a'.repeat(64)), { nil: undefined }),
  buildResources: fc.option(containerResources(), { nil: undefined, freq: 8 }),
  helperImageArch: fc.option(fc.constantFrom(...ARCHES), { nil: undefined }),
  helperImage: fc.boolean(),
  // Below 128Mi the helper is OOM-killed while cloning (rule RES003).
  helperResources: fc.option(containerResources(128), { nil: undefined, freq: 8 }),
  pullPolicy: fc.shuffledSubarray(Object.values(PullPolicy)),
  allowedPullPolicies: fc.shuffledSubarray(Object.values(PullPolicy)),
  arch: fc.option(fc.constantFrom(...ARCHES), { nil: undefined }),
  nodeSelector: labels(2),
  tolerations: fc.uniqueArray(toleration, { maxLength: 3, selector: (t) => t.key }),
  podLabels: labels(3),
  podAnnotations: fc.dictionary(labelKey, anyText, { maxKeys: 3, noNullPrototype: true }),
  pollTimeout: fc.option(seconds(1, 3600), { nil: undefined }),
  serviceAccountName: fc.option(dnsSubdomain, { nil: undefined }),
  extraConfig,
}, { requiredKeys: [] });

type JobsDraft = typeof jobsArb extends fc.Arbitrary<infer R> ? R : never;

const taint = fc.record({
  key: fc.constantFrom('dedicated', 'example.com/ci', 'nvidia.com/gpu'),
  value: fc.option(fc.constantFrom('ci', 'true'), { nil: undefined }),
  effect: fc.constantFrom(...Object.values(TaintEffect)),
}, { requiredKeys: ['key', 'effect'] }).map(dropUndefined);

/** One node pool: fixed or autoscaling, sized by allocatable or by capacity with reservations. */
const poolArb = (name: string): fc.Arbitrary<NodePool> => fc.record({
  cpuMillis: fc.integer({ min: 1000, max: 64000 }),
  memoryMi: fc.integer({ min: 1024, max: 262144 }),
  storageMi: fc.option(fc.integer({ min: 10240, max: 512000 }), { nil: undefined }),
  nodes: fc.integer({ min: 1, max: 10 }),
  autoscaling: fc.option(fc.tuple(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 20 })), { nil: undefined }),
  sizedBy: fc.constantFrom('allocatable', 'capacity', 'capacity+reserved'),
  reservedPercent: fc.integer({ min: 1, max: 20 }),
  daemonSetPercent: fc.option(fc.integer({ min: 0, max: 20 }), { nil: undefined }),
  daemonSetPods: fc.integer({ min: 0, max: 10 }),
  maxPods: fc.option(fc.integer({ min: 11, max: 250 }), { nil: undefined }),
  arch: fc.option(fc.constantFrom(...ARCHES), { nil: undefined }),
  labels: labels(2),
  taints: fc.uniqueArray(taint, { maxLength: 2, selector: (t) => t.key }),
  provisioningTime: fc.option(seconds(30, 900), { nil: undefined }),
}).chain((p) => fc.tuple(
  cpuText(p.cpuMillis), memoryText(p.memoryMi), p.storageMi === undefined ? fc.constant(undefined) : memoryText(p.storageMi),
).map(([cpu, memory, storage]) => {
  const size = dropUndefined({ cpu, memory, ephemeralStorage: storage });
  const part = (n: number, percent: number) => Math.max(1, Math.floor((n * percent) / 100));
  const reserved = p.sizedBy === 'capacity+reserved' ? {
    systemReserved: { cpu: `${part(p.cpuMillis, p.reservedPercent)}m`, memory: `${part(p.memoryMi, p.reservedPercent)}Mi` },
    evictionHard: { memory: '100Mi' },
  } : undefined;
  const count = p.autoscaling === undefined
    ? { nodes: p.nodes }
    : {
      minNodes: p.autoscaling[0],
      maxNodes: p.autoscaling[0] + p.autoscaling[1] + 1,
      nodes: p.autoscaling[0] + Math.min(p.autoscaling[1], p.nodes),
    };
  const ds = p.daemonSetPercent;
  return dropUndefined<NodePool>({
    name,
    ...count,
    ...(p.sizedBy === 'allocatable' ? { allocatable: size } : { capacity: size }),
    reserved,
    maxPods: p.maxPods,
    daemonSets: ds === undefined ? undefined : { cpu: `${Math.floor((p.cpuMillis * ds) / 200)}m`, memory: `${Math.floor((p.memoryMi * ds) / 200)}Mi`, pods: Math.min(p.daemonSetPods, (p.maxPods ?? 110) - 1) },
    labels: { ...p.labels, ...(p.arch ? { 'kubernetes.io/arch': p.arch } : {}) },
    taints: p.taints,
    provisioningTime: p.provisioningTime,
  });
}));

const budgetArb: fc.Arbitrary<ResourceBudgetProps> = fc.record({
  pools: fc.uniqueArray(dnsLabel(1, 12), { minLength: 1, maxLength: 3 }).chain((names) => fc.tuple(...names.map(poolArb))),
  podNetworkMtu: fc.option(fc.integer({ min: 1280, max: 9000 }), { nil: undefined }),
  cpuLimitOvercommitRatio: fc.option(fc.double({ min: 1, max: 8, noNaN: true }), { nil: undefined }),
  runtimeClasses: fc.subarray([{ name: 'gvisor', cpu: '250m', memory: '120Mi' }, { name: 'kata', memory: '160Mi' }]),
}).map((b) => dropUndefined({
  nodePools: b.pools, podNetworkMtu: b.podNetworkMtu, cpuLimitOvercommitRatio: b.cpuLimitOvercommitRatio, runtimeClasses: b.runtimeClasses,
}));

/** The flags every runner image below knows (18.3.0, 18.9.0 and the default 18.9.0): others are rule VER001's errors. */
const FLAGS_OF_EVERY_IMAGE = [...FEATURE_FLAGS].filter((f) => ['18.3.0', '18.9.0'].every((v) => featureFlagStatus(v, f).status === 'ok'));

const managerArb = (index: number): fc.Arbitrary<ManagerSpec> => fc.record({
  // Unique by construction; up to 55 characters (the longest object name derived from it adds 8). It starts with a
  // letter: the metrics Service is named after it, and RunnerManager does not yet refuse a leading digit there
  // (a known gap in test/bad-input.test.ts).
  name: fc.option(dnsLabel(1, 51).filter((n) => /^[a-z]/.test(n)).map((n) => `${n}-${index}`), { nil: undefined }),
  namespace: fc.option(dnsLabel(1, 63), { nil: undefined }),
  gitlabUrl: fc.tuple(fc.constantFrom('https', 'http'), fc.oneof(dnsSubdomain.map((h) => `${h}.example.com`), fc.ipV4()), fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }))
    .map(([scheme, host, port]) => `${scheme}://${host}${port === undefined ? '' : `:${port}`}/`),
  token: fc.tuple(dnsSubdomain, fc.option(fc.constantFrom('runner-token', 'token', 'glrt.token_1'), { nil: undefined }))
    .map(([secret, key]) => RunnerToken.fromSecret(secret, key)),
  image: fc.option(fc.constantFrom('registry.example.com/gitlab/gitlab-runner:alpine-v18.3.0', 'gitlab/gitlab-runner:ubuntu-v18.9.0'), { nil: undefined }),
  replicas: fc.option(fc.integer({ min: 0, max: 4 }), { nil: undefined }),
  concurrent: fc.option(fc.integer({ min: 1, max: 30 }), { nil: undefined }),
  limit: fc.option(fc.integer({ min: 0, max: 40 }), { nil: undefined }),
  requestConcurrency: fc.option(fc.integer({ min: 1, max: 10 }), { nil: undefined }),
  checkInterval: fc.option(seconds(1, 60), { nil: undefined }),
  shutdownTimeout: fc.option(seconds(1, 600), { nil: undefined }),
  terminationGracePeriod: fc.option(seconds(0, 7200), { nil: undefined }),
  maxSurge: fc.option(fc.integer({ min: 0, max: 2 }), { nil: undefined }),
  environment: environment,
  featureFlags: fc.dictionary(fc.constantFrom(...FLAGS_OF_EVERY_IMAGE), fc.boolean(), { maxKeys: 4, noNullPrototype: true }),
  metricsPort: fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }),
  metricsService: fc.option(fc.boolean(), { nil: undefined }),
  resources: fc.option(containerResources(64).map(requestsAndLimits), { nil: undefined }),
  nodeSelector: labels(2),
  tolerations: fc.uniqueArray(toleration, { maxLength: 2, selector: (t) => t.key }),
  runAsUser: fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }),
  fsGroup: fc.option(fc.integer({ min: 0, max: 65535 }), { nil: undefined }),
  useBudget: fc.boolean(),
}, { requiredKeys: ['gitlabUrl', 'token', 'useBudget'] }).map(({ useBudget, ...props }) => ({ useBudget, props: dropUndefined(props) as ManagerSpec['props'] }));

/**
 * A valid fleet: DNS (often), services (DinD with TLS on or off, plain services), a job pod template, a budget
 * (often; sized at random, so the fleet may not fit) and one or two managers.
 */
export const validFleet: fc.Arbitrary<FleetSpec> = fc.record({
  chartNamespace: dnsLabel(1, 30),
  dns: fc.option(dnsProps, { nil: undefined, freq: 3 }),
  services: servicesArb,
  jobs: jobsArb,
  budget: fc.option(budgetArb, { nil: undefined, freq: 4 }),
  managers: fc.integer({ min: 1, max: 2 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => managerArb(i)))),
}).map(repairAcrossConstructs);

/** Makes the parts agree where a rule of the catalogue would fail the fleet for a reason other than capacity. */
interface FleetDraft {
  readonly chartNamespace: string;
  readonly dns?: DnsConfigProps;
  readonly services: { services: ServiceSpec[]; serviceResources?: ContainerResources };
  readonly jobs: JobsDraft;
  readonly budget?: ResourceBudgetProps;
  readonly managers: ManagerSpec[];
}

function repairAcrossConstructs(f: FleetDraft): FleetSpec {
  const { helperImageArch, helperImage, helperResources, arch, nodeSelector, ...jobs } = f.jobs;
  // The helper image runs on one architecture (rules ARCH001, ARCH002): pin it to the selected one, or keep the
  // pools on amd64 (the runner's default helper) when nothing selects an architecture.
  const selected = arch ?? (helperImageArch !== undefined && helperImage ? helperImageArch : undefined);
  const helperTag = selected !== undefined && helperImage ? `${HELPER_TAG_ARCH[selected]}-v18.3.0` : 'v18.3.0';
  const helper = dropUndefined({
    image: helperImage ? `registry.example.com/gitlab/gitlab-runner-helper:${helperTag}` : undefined,
    resources: helperResources,
  });
  const budget = f.budget && {
    ...f.budget,
    nodePools: f.budget.nodePools.map((p) => (selected === undefined && !helperImage ? { ...p, labels: { ...p.labels, 'kubernetes.io/arch': 'amd64' } } : p)),
  };
  // DinD's MTU must not exceed the pod network's (rule DIND005).
  const podMtu = budget?.podNetworkMtu;
  const services = f.services.services.map((s): ServiceSpec => (s.kind === 'dind' && podMtu !== undefined
    ? { kind: 'dind', props: { ...s.props, mtu: Math.min(s.props.mtu ?? podMtu, podMtu) } } : s));
  return {
    chartNamespace: f.chartNamespace,
    dns: f.dns,
    services,
    jobs: dropUndefined({
      ...jobs,
      helper,
      serviceResources: f.services.serviceResources,
      nodeSelector: { ...nodeSelector, ...(selected !== undefined ? { 'kubernetes.io/arch': selected } : {}) },
    }),
    budget,
    managers: f.managers,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Corruptions

type Key = string | number;

/** One invalid change to one construct's props, and the field its error must name. */
export interface Corruption {
  /** `dns`, `svc:<i>`, `jobs`, `budget` or `mgr:<i>`. */
  readonly target: string;
  /** The prop the FleetConfigError must name (a finding's field equals it or lies beneath it). */
  readonly field: string;
  /** Values to set, as paths into the construct's props. */
  readonly sets: ReadonlyArray<readonly [readonly Key[], unknown]>;
  /** What is wrong, for failure messages. */
  readonly what: string;
}

/** Whether a finding's field is the corrupted field or lies beneath it (`nodeSelector` → `nodeSelector.a b`). */
export function fieldMatches(findingField: string, field: string): boolean {
  return findingField === field || findingField.startsWith(`${field}.`) || findingField.startsWith(`${field}[`);
}

function corrupt(target: string, field: string, what: string, ...sets: Array<readonly [readonly Key[], unknown]>): Corruption {
  return { target, field, sets, what };
}

/** A field set to each of `values` (a fixed list of invalid values, described by `what`). */
function setTo(target: string, path: readonly Key[], field: string, what: string, values: fc.Arbitrary<unknown>): fc.Arbitrary<Corruption> {
  return values.map((v) => corrupt(target, field, `${what}: ${describe(v)}`, [path, v]));
}

function describe(v: unknown): string {
  if (typeof v === 'number' || v === undefined) return String(v);
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}

const NOT_A_NUMBER: unknown[] = [NaN, Infinity, -Infinity, '3', true, [], {}];
/** Counts that are not whole numbers ≥ 0. */
const badCount = fc.oneof(
  fc.constantFrom(...NOT_A_NUMBER, -1, 1.5, 0.5, Number.MIN_VALUE),
  fc.integer({ max: -1 }),
  fc.double({ min: 0.01, max: 1e6, noNaN: true }).filter((d) => !Number.isInteger(d)),
);
/** Counts that are not whole numbers ≥ 1. */
const badPositive = fc.oneof(fc.constant(0), badCount);
const badPort = fc.oneof(badPositive, fc.integer({ min: 65536, max: 1e7 }));
/** A value that is not a string. */
const notAString = fc.constantFrom<unknown>(5, true, [], {}, ['a'], NaN);
/** Required strings that are empty, blank, contain whitespace or are not strings. */
const badImage = fc.oneof(fc.constantFrom<unknown>('', ' ', 'postgres 16', '\tdocker:dind', 'a\nb'), notAString);
/** Not a Kubernetes quantity, or negative. */
const badQuantity = fc.oneof(
  fc.constantFrom<unknown>('2cores', '1 core', '2GB', '1gb', 'Gi', '', ' 1', '1e', '0x10', '1.2.3', '-1', '-500m', '-1Gi', 'NaN', '∞', 'one', '1Mb', '1m ', '1e31'),
  fc.constantFrom<unknown>(2, 0.5, true, [], {}),
);
/** Not a DNS-1123 label. */
const badDnsLabel = fc.oneof(
  fc.constantFrom<unknown>('', 'Foo', 'a_b', '-a', 'a-', 'a.b', 'a b', 'é', 'x'.repeat(64)),
  notAString,
  fc.string({ minLength: 1, maxLength: 10 }).filter((s) => /[^a-z0-9-]/.test(s)),
);
/** Not a DNS-1123 subdomain. */
const badDnsName = fc.oneof(fc.constantFrom<unknown>('', 'Svc.cluster.local', 'a_b.local', '.', 'a..b', '-a.b', 'a.-b', `${'a'.repeat(64)}.com`, `${'a.'.repeat(127)}a`), notAString);
/** Not a label key. */
const badLabelKey = fc.constantFrom('bad key', '-x', 'x-', 'a/b/c', '/x', 'x/', 'Example.com/x', 'k'.repeat(64), 'example.com/', 'é');
/** Not a label value. */
const badLabelValue = fc.oneof(fc.constantFrom<unknown>('a b', '-x', 'x-', 'v'.repeat(64), 'é', 'a/b'), notAString, fc.constant(null));
/** Not an IP address: hand-written near misses, and text with neither a ':' nor the shape of an IPv4 address. */
const badIp = fc.oneof(
  fc.constantFrom<unknown>('256.1.1.1', '1.2.3', '1.2.3.4.5', '01.2.3.4', '1:::2', '1::2::3', '12345::', 'dns.example.com', '10.0.0.1/24', ' 10.0.0.1', '10.0.0.1 ', ':', ''),
  fc.string({ maxLength: 12 }).filter((s) => !s.includes(':') && !/^\d+\.\d+\.\d+\.\d+$/.test(s)),
  notAString,
  fc.constant(null),
);
/** Not an array (an array-typed prop given a single value or another type). */
const notAnArray = fc.constantFrom<unknown>('10.0.0.1', 5, true, { 0: 'a' });
/** Not a plain object (a map-typed prop given another type). */
const notAnObject = fc.constantFrom<unknown>('a=b', 5, true, ['a']);
/** Not a Duration. */
const notADuration = fc.constantFrom<unknown>(180, '3m', { seconds: 180 }, true);
/** A string naming no enum member, including prototype members an object lookup would find. */
const badEnumText = fc.constantFrom<unknown>('', 'constructor', 'toString', '__proto__', 'hasOwnProperty', 5, true);

/** Kubernetes' spellings of the runner's enums, and case variants. */
const K8S_DNS_POLICIES = ['None', 'Default', 'ClusterFirst', 'ClusterFirstWithHostNet', 'NONE', 'cluster_first', 'ClusterFirstish'];
const K8S_PULL_POLICIES = ['Always', 'IfNotPresent', 'Never', 'ALWAYS', 'if_not_present', 'sometimes'];

function resourceCorruptions(target: string, base: readonly Key[], field: string, current: ContainerResources | undefined): fc.Arbitrary<Corruption> {
  const kind = fc.constantFrom('cpu', 'memory', 'ephemeralStorage');
  const key = fc.constantFrom('request', 'limit', 'maxRequest', 'maxLimit');
  return fc.oneof(
    fc.tuple(kind, key, badQuantity).map(([k, q, v]) => corrupt(target, `${field}.${k}.${q}`, `not a quantity: ${describe(v)}`, [[...base, k, q], v])),
    fc.tuple(kind, fc.constantFrom<unknown>('2', null, 2, ['2'])).map(([k, v]) => corrupt(target, `${field}.${k}`, `not a resource spec: ${describe(v)}`, [[...base, k], v])),
    fc.tuple(kind, fc.integer({ min: 2, max: 1000 })).map(([k, n]) => corrupt(target, `${field}.${k}.request`, 'request above limit',
      [[...base, k], { ...current?.[k as keyof ContainerResources], request: `${n}`, limit: `${n - 1}` }])),
    fc.tuple(kind, fc.integer({ min: 2, max: 1000 })).map(([k, n]) => corrupt(target, `${field}.${k}.maxRequest`, 'maxRequest above maxLimit',
      [[...base, k], { ...current?.[k as keyof ContainerResources], maxRequest: `${n}Gi`, maxLimit: `${n - 1}Gi` }])),
  );
}

function dnsCorruptions(spec: FleetSpec): fc.Arbitrary<Corruption> {
  const t = 'dns';
  const count = spec.dns?.nameservers?.length ?? 0;
  return fc.oneof(
    setTo(t, ['policy'], 'policy', 'not a runner DNS policy', fc.oneof(fc.constantFrom(...K8S_DNS_POLICIES), badEnumText)),
    setTo(t, ['nameservers'], 'nameservers', 'not an array', notAnArray),
    fc.tuple(fc.nat(count), badIp).map(([i, v]) => corrupt(t, `nameservers[${i}]`, `not an IP: ${describe(v)}`, [['nameservers', i], v])),
    fc.array(nameserver, { minLength: 4, maxLength: 6 }).map((ns) => corrupt(t, 'nameservers', 'more than 3 nameservers', [['nameservers'], ns])),
    fc.constant(corrupt(t, 'nameservers', "policy 'none' without nameservers", [['policy'], DnsPolicy.NONE], [['nameservers'], []])),
    setTo(t, ['searches'], 'searches', 'not an array', notAnArray),
    fc.tuple(fc.nat(spec.dns?.searches?.length ?? 0), fc.oneof(badDnsName, fc.constant(null))).map(([i, v]) => corrupt(t, `searches[${i}]`, `not a DNS name: ${describe(v)}`, [['searches', i], v])),
    fc.array(dnsSubdomain, { minLength: 33, maxLength: 40 }).map((s) => corrupt(t, 'searches', 'more than 32 search domains', [['searches'], s])),
    setTo(t, ['options'], 'options', 'not an array', notAnArray),
    fc.tuple(fc.nat(spec.dns?.options?.length ?? 0), fc.constantFrom<unknown>('', 5, null, undefined, true)).map(([i, v]) => corrupt(t, `options[${i}].name`, `option name ${describe(v)}`, [['options', i], { name: v }])),
    fc.tuple(fc.nat(spec.dns?.options?.length ?? 0), fc.constantFrom<unknown>(2, true, null, ['2'], {})).map(([i, v]) => corrupt(t, `options[${i}].value`, `option value ${describe(v)}`, [['options', i], { name: 'ndots', value: v }])),
    setTo(t, ['options', 0], 'options[0]', 'an option that is not an object', fc.constantFrom<unknown>(null, 'ndots:2', 5)),
    setTo(t, ['clusterDnsReach'], 'clusterDnsReach', 'not a ClusterDnsReach', fc.oneof(fc.constantFrom('ALL_NAMES', 'in_cluster_only', 'all'), badEnumText)),
  );
}

function serviceCorruptions(spec: FleetSpec, i: number): fc.Arbitrary<Corruption> {
  const t = `svc:${i}`;
  const s = spec.services[i];
  const common = [
    setTo(t, ['alias'], 'alias', 'not a DNS-1123 label', badDnsLabel),
    resourceCorruptions(t, ['resources'], 'resources', s.props.resources),
  ];
  if (s.kind === 'job') {
    return fc.oneof(
      ...common,
      setTo(t, ['environment'], 'environment', 'not an object', notAnObject),
      fc.tuple(fc.constantFrom('1PASSWORD', 'A-B', 'A B', '', 'É'), fc.string({ maxLength: 5 })).map(([k, v]) => corrupt(t, `environment.${k}`, 'bad variable name', [['environment', k], v])),
      setTo(t, ['image'], 'image', 'not an image', fc.oneof(badImage, fc.constant(null), fc.constant(undefined))),
      setTo(t, ['port'], 'port', 'not a TCP port', badPort),
      setTo(t, ['command'], 'command', 'not an array', notAnArray),
      setTo(t, ['entrypoint'], 'entrypoint', 'not an array', notAnArray),
      fc.tuple(fc.nat(s.props.command?.length ?? 0), fc.constantFrom<unknown>(5, null, true, {})).map(([j, v]) => corrupt(t, `command[${j}]`, `not a string: ${describe(v)}`, [['command', j], v])),
      fc.tuple(fc.constantFrom('A', 'B_1'), fc.constantFrom<unknown>(5, null, true, {}, [])).map(([k, v]) => corrupt(t, `environment.${k}`, `variable value ${describe(v)}`, [['environment', k], v])),
    );
  }
  const tls = s.props.tls ?? true;
  return fc.oneof(
    ...common,
    setTo(t, ['image'], 'image', 'not an image', badImage),
    setTo(t, ['mtu'], 'mtu', 'not an MTU', fc.oneof(badPositive, fc.integer({ min: 1, max: 575 }), fc.integer({ min: 9217, max: 1e6 }))),
    setTo(t, ['tls'], 'tls', 'not a boolean', fc.constantFrom<unknown>('false', 'true', 0, 1, 'yes')),
    setTo(t, ['registryMirrors'], 'registryMirrors', 'not an array', notAnArray),
    fc.tuple(fc.nat(s.props.registryMirrors?.length ?? 0), fc.oneof(fc.constantFrom<unknown>('mirror.example.com', 'ftp://mirror.example.com', '', 'https://', null), notAString))
      .map(([j, v]) => corrupt(t, `registryMirrors[${j}]`, `not a mirror URL: ${describe(v)}`, [['registryMirrors', j], v])),
    setTo(t, ['insecureRegistries'], 'insecureRegistries', 'not an array', notAnArray),
    fc.tuple(fc.nat(s.props.insecureRegistries?.length ?? 0), fc.oneof(fc.constantFrom<unknown>('http://registry.example.com', 'a b', '', 'registry.example.com/path', null), notAString))
      .map(([j, v]) => corrupt(t, `insecureRegistries[${j}]`, `not host[:port] or CIDR: ${describe(v)}`, [['insecureRegistries', j], v])),
    setTo(t, ['dns'], 'dns', 'not an array', notAnArray),
    fc.tuple(fc.nat(s.props.dns?.length ?? 0), badIp).map(([j, v]) => corrupt(t, `dns[${j}]`, `not an IP: ${describe(v)}`, [['dns', j], v])),
    setTo(t, ['extraArgs'], 'extraArgs', 'not an array', notAnArray),
    fc.tuple(fc.nat(s.props.extraArgs?.length ?? 0), fc.constantFrom<unknown>(
      '--host=tcp://0.0.0.0:2375', '-H=unix:///var/run/docker.sock', '--mtu=1400', '--dns=10.0.0.2', '--registry-mirror=https://m.example.com',
      '--insecure-registry=r.example.com', ...(tls ? ['--tls=false', '--tls=0'] : ['--tls=true', '--tlsverify', '--tlscert=/x']), 5, null, {},
    )).map(([j, v]) => corrupt(t, `extraArgs[${j}]`, `a refused dockerd flag: ${describe(v)}`, [['extraArgs', j], v])),
  );
}

function jobsCorruptions(spec: FleetSpec): fc.Arbitrary<Corruption> {
  const t = 'jobs';
  const j = spec.jobs;
  const dind = spec.services.findIndex((s) => s.kind === 'dind');
  return fc.oneof(
    setTo(t, ['namespace'], 'namespace', 'not a namespace', badDnsLabel),
    setTo(t, ['image'], 'image', 'not an image', badImage),
    setTo(t, ['helper'], 'helper', 'not an object', fc.constantFrom<unknown>('registry.example.com/helper:v1', 5, true)),
    setTo(t, ['helper', 'image'], 'helper.image', 'not an image', badImage),
    resourceCorruptions(t, ['buildResources'], 'buildResources', j.buildResources),
    resourceCorruptions(t, ['helper', 'resources'], 'helper.resources', j.helper?.resources),
    resourceCorruptions(t, ['serviceResources'], 'serviceResources', j.serviceResources),
    setTo(t, ['services'], 'services', 'not an array', notAnArray),
    setTo(t, ['extraServices'], `services[${spec.services.length}]`, 'not a JobService', fc.constantFrom<unknown>([{ image: 'redis:7' }], ['redis:7'], [null], [5])),
    ...(dind >= 0 ? [fc.constant(corrupt(t, `services[${spec.services.length}]`, 'the DinD service twice (one alias, one port)', [['extraServices'], [CONSTRUCT.dind]]))] : []),
    ...(spec.dns ? [fc.constant(corrupt(t, `services[${spec.services.length}]`, 'a DnsConfig as a service', [['extraServices'], [CONSTRUCT.dns]]))] : []),
    setTo(t, ['dns'], 'dns', 'not a DnsConfig', fc.constantFrom<unknown>({ policy: 'none', nameservers: ['10.0.0.2'] }, 'cluster-first', 5)),
    ...(spec.services.length ? [fc.constant(corrupt(t, 'dns', 'a JobService as the DNS', [['dns'], CONSTRUCT.service]))] : []),
    ...(['pullPolicy', 'allowedPullPolicies'] as const).flatMap((f) => [
      setTo(t, [f], f, 'not an array', fc.constantFrom<unknown>('always', 5, true, { 0: 'always' })),
      fc.tuple(fc.nat(j[f]?.length ?? 0), fc.oneof(fc.constantFrom(...K8S_PULL_POLICIES), badEnumText, fc.constant(null)))
        .map(([i, v]) => corrupt(t, `${f}[${i}]`, `not a runner pull policy: ${describe(v)}`, [[f, i], v])),
    ]),
    ...(['nodeSelector', 'podLabels'] as const).flatMap((f) => [
      setTo(t, [f], f, 'not an object', notAnObject),
      badLabelKey.map((k) => corrupt(t, `${f}.${k}`, 'bad label key', [[f, k], 'x'])),
      badLabelValue.map((v) => corrupt(t, `${f}.team`, `bad label value ${describe(v)}`, [[f, 'team'], v])),
    ]),
    fc.constantFrom('runner.gitlab.com/x', 'project.runner.gitlab.com/id').map((k) => corrupt(t, `podLabels.${k}`, 'reserved label key', [['podLabels', k], '1'])),
    setTo(t, ['podAnnotations'], 'podAnnotations', 'not an object', notAnObject),
    fc.constantFrom<unknown>(5, true, null, {}).map((v) => corrupt(t, 'podAnnotations.example.com/a', `annotation value ${describe(v)}`, [['podAnnotations', 'example.com/a'], v])),
    fc.constantFrom('bad key', 'a/b/c', '-x').map((k) => corrupt(t, `podAnnotations.${k}`, 'bad annotation key', [['podAnnotations', k], 'x'])),
    setTo(t, ['tolerations'], 'tolerations', 'not an array', notAnArray),
    setTo(t, ['tolerations', j.tolerations?.length ?? 0], `tolerations[${j.tolerations?.length ?? 0}]`, 'a toleration that is not an object', fc.constantFrom<unknown>(null, 'dedicated', 5)),
    badLabelKey.map((k) => corrupt(t, `tolerations[${j.tolerations?.length ?? 0}].key`, 'bad toleration key', [['tolerations', j.tolerations?.length ?? 0], { key: k }])),
    fc.oneof(fc.constantFrom<unknown>('NoRun', 'noschedule', 'NO_SCHEDULE'), badEnumText).map((e) => corrupt(t, `tolerations[${j.tolerations?.length ?? 0}].effect`, `bad effect ${describe(e)}`,
      [['tolerations', j.tolerations?.length ?? 0], { key: 'zz-dedicated', effect: e }])),
    setTo(t, ['pollTimeout'], 'pollTimeout', 'not a Duration', notADuration),
    setTo(t, ['pollTimeout'], 'pollTimeout', 'not a positive whole number of seconds', fc.constantFrom(Duration.seconds(0), Duration.millis(1500), Duration.millis(999))),
    setTo(t, ['serviceAccountName'], 'serviceAccountName', 'not a ServiceAccount name', fc.oneof(notAString, badDnsName)),
    setTo(t, ['extraConfig'], 'extraConfig', 'not an object', notAnObject),
    fc.string({ minLength: 1, maxLength: 12 }).filter((k) => !kubernetesKeys().has(k) && k !== '__proto__').map((k) => corrupt(t, `extraConfig.${k}`, 'unknown escape-hatch key', [['extraConfig', k], 'x'])),
    fc.constantFrom('pull_policy', 'namespace', 'cpu_limit', 'service_memory_request', 'privileged', 'node_selector', 'dns_policy')
      .map((k) => corrupt(t, `extraConfig.${k}`, 'an escape-hatch key a typed prop owns', [['extraConfig', k], k === 'privileged' ? true : 'x'])),
    fc.constantFrom('scheduler_name', 'poll_interval').map((k) => corrupt(t, `extraConfig.${k}`, 'an empty escape-hatch value', [['extraConfig', k], null])),
    fc.constantFrom<[string, unknown]>(['poll_interval', '5'], ['poll_interval', 2.5], ['print_pod_warning_events', 'yes'], ['cap_add', 'NET_ADMIN'],
      ['scheduler_name', 5], ['cleanup_resources_timeout', 300], ['retry_limits', { x: '1' }], ['affinity', []], ['host_aliases', { ip: '10.0.0.1' }])
      .map(([k, v]) => corrupt(t, `extraConfig.${k}`, `an escape-hatch value the runner cannot decode: ${describe(v)}`, [['extraConfig', k], v])),
  );
}

function budgetCorruptions(spec: FleetSpec): fc.Arbitrary<Corruption> {
  const t = 'budget';
  const pools = spec.budget!.nodePools;
  const pool = fc.nat(pools.length - 1);
  const at = (i: number, ...rest: Key[]): Key[] => ['nodePools', i, ...rest];
  const f = (i: number, rest: string) => `nodePools[${i}]${rest}`;
  const sizeField = (i: number) => (pools[i].capacity !== undefined ? 'capacity' : 'allocatable');
  return fc.oneof(
    setTo(t, ['nodePools'], 'nodePools', 'no node pool', fc.constantFrom<unknown>([], 'ci', 5, {})),
    fc.tuple(fc.constant(pools.length), fc.constantFrom<unknown>(null, 'ci', 5)).map(([i, v]) => corrupt(t, f(i, ''), `a pool that is not an object: ${describe(v)}`, [at(i), v])),
    fc.tuple(pool, fc.oneof(fc.constantFrom<unknown>('', 'bad name', 'n'.repeat(64), '-ci'), notAString)).map(([i, v]) => corrupt(t, f(i, '.name'), `bad pool name ${describe(v)}`, [at(i, 'name'), v])),
    ...(pools.length > 1 ? [fc.constant(corrupt(t, f(1, '.name'), 'two pools of one name', [at(1, 'name'), pools[0].name]))] : []),
    fc.tuple(pool, badPositive).map(([i, v]) => corrupt(t, f(i, '.nodes'), `bad node count ${describe(v)}`, [at(i, 'nodes'), v], [at(i, 'minNodes'), undefined], [at(i, 'maxNodes'), undefined])),
    pool.map((i) => corrupt(t, f(i, '.nodes'), 'no node count', [at(i, 'nodes'), undefined], [at(i, 'minNodes'), undefined], [at(i, 'maxNodes'), undefined])),
    fc.tuple(pool, fc.integer({ min: 2, max: 50 })).map(([i, n]) => corrupt(t, f(i, '.minNodes'), 'minNodes above maxNodes', [at(i, 'nodes'), undefined], [at(i, 'minNodes'), n], [at(i, 'maxNodes'), n - 1])),
    fc.tuple(pool, badPositive).map(([i, v]) => corrupt(t, f(i, '.maxNodes'), `bad maxNodes ${describe(v)}`, [at(i, 'nodes'), undefined], [at(i, 'minNodes'), undefined], [at(i, 'maxNodes'), v])),
    pool.map((i) => corrupt(t, f(i, '.minNodes'), 'minNodes without maxNodes', [at(i, 'nodes'), 2], [at(i, 'minNodes'), 1], [at(i, 'maxNodes'), undefined])),
    fc.tuple(pool, fc.integer({ min: 11, max: 50 })).map(([i, n]) => corrupt(t, f(i, '.nodes'), 'nodes above maxNodes', [at(i, 'nodes'), n], [at(i, 'minNodes'), undefined], [at(i, 'maxNodes'), 10])),
    pool.map((i) => corrupt(t, f(i, '.allocatable'), 'both capacity and allocatable', [at(i, 'capacity'), { cpu: '8', memory: '32Gi' }], [at(i, 'allocatable'), { cpu: '8', memory: '32Gi' }], [at(i, 'reserved'), undefined])),
    pool.map((i) => corrupt(t, f(i, '.allocatable'), 'neither capacity nor allocatable', [at(i, 'capacity'), undefined], [at(i, 'allocatable'), undefined], [at(i, 'reserved'), undefined])),
    fc.tuple(pool, fc.constantFrom('cpu', 'memory')).map(([i, r]) => corrupt(t, f(i, `.${sizeField(i)}.${r}`), `${r} missing`, [at(i, sizeField(i), r), undefined])),
    fc.tuple(pool, fc.constantFrom('cpu', 'memory', 'ephemeralStorage'), badQuantity).map(([i, r, v]) => corrupt(t, f(i, `.${sizeField(i)}.${r}`), `not a quantity: ${describe(v)}`, [at(i, sizeField(i), r), v])),
    pool.map((i) => corrupt(t, f(i, '.reserved'), 'reservations that leave nothing', [at(i, 'allocatable'), undefined], [at(i, 'capacity'), { cpu: '2', memory: '8Gi' }],
      [at(i, 'reserved'), { systemReserved: { cpu: '1' }, kubeReserved: { cpu: '1000m' } }])),
    pool.map((i) => corrupt(t, f(i, '.reserved'), 'reserved with allocatable', [at(i, 'capacity'), undefined], [at(i, 'allocatable'), { cpu: '8', memory: '32Gi' }],
      [at(i, 'reserved'), { systemReserved: { cpu: '1' } }])),
    fc.tuple(pool, fc.constantFrom('cpu', 'memory')).map(([i, r]) => corrupt(t, f(i, `.daemonSets.${r}`), `DaemonSets take all ${r}`, [at(i, 'capacity'), undefined], [at(i, 'reserved'), undefined],
      [at(i, 'allocatable'), { cpu: '8', memory: '32Gi' }], [at(i, 'daemonSets'), r === 'cpu' ? { cpu: '8' } : { memory: '40Gi' }])),
    fc.tuple(pool, fc.integer({ min: 1, max: 110 })).map(([i, n]) => corrupt(t, f(i, '.daemonSets.pods'), 'DaemonSets take all pod slots', [at(i, 'maxPods'), n], [at(i, 'daemonSets'), { pods: n }])),
    fc.tuple(pool, badCount).map(([i, v]) => corrupt(t, f(i, '.daemonSets.pods'), `bad DaemonSet pod count ${describe(v)}`, [at(i, 'daemonSets'), { pods: v }])),
    fc.tuple(pool, badPositive).map(([i, v]) => corrupt(t, f(i, '.maxPods'), `bad maxPods ${describe(v)}`, [at(i, 'maxPods'), v])),
    fc.tuple(pool, badLabelKey).map(([i, k]) => corrupt(t, f(i, `.labels.${k}`), 'bad label key', [at(i, 'labels', k), 'x'])),
    fc.tuple(pool, badLabelValue).map(([i, v]) => corrupt(t, f(i, '.labels.team'), `bad label value ${describe(v)}`, [at(i, 'labels', 'team'), v])),
    fc.tuple(pool, notAnArray).map(([i, v]) => corrupt(t, f(i, '.taints'), `taints not an array: ${describe(v)}`, [at(i, 'taints'), v])),
    fc.tuple(pool, fc.oneof(fc.constantFrom<unknown>('NoRun', 'noschedule', undefined), badEnumText)).map(([i, e]) => corrupt(t, f(i, `.taints[${pools[i].taints?.length ?? 0}].effect`), `bad taint effect ${describe(e)}`,
      [at(i, 'taints', pools[i].taints?.length ?? 0), { key: 'zz-dedicated', effect: e }])),
    fc.tuple(pool, badLabelKey).map(([i, k]) => corrupt(t, f(i, `.taints[${pools[i].taints?.length ?? 0}].key`), 'bad taint key',
      [at(i, 'taints', pools[i].taints?.length ?? 0), { key: k, effect: TaintEffect.NO_SCHEDULE }])),
    fc.tuple(pool, fc.oneof(notADuration, fc.constant(Duration.seconds(0)))).map(([i, v]) => corrupt(t, f(i, '.provisioningTime'), `bad provisioning time ${describe(v)}`, [at(i, 'provisioningTime'), v])),
    setTo(t, ['podNetworkMtu'], 'podNetworkMtu', 'not an MTU', fc.oneof(badPositive, fc.constant(100), fc.constant(65536))),
    setTo(t, ['cpuLimitOvercommitRatio'], 'cpuLimitOvercommitRatio', 'not a ratio ≥ 1', fc.constantFrom<unknown>(0.5, 0, -1, NaN, Infinity, '2', true)),
    setTo(t, ['runtimeClasses'], 'runtimeClasses', 'not an array', notAnArray),
    fc.constantFrom<unknown>(null, 'gvisor', 5).map((v) => corrupt(t, 'runtimeClasses[0]', `a runtime class that is not an object: ${describe(v)}`, [['runtimeClasses'], [v]])),
    badDnsName.map((n) => corrupt(t, 'runtimeClasses[0].name', `bad runtime class name ${describe(n)}`, [['runtimeClasses'], [{ name: n }]])),
    fc.constant(corrupt(t, 'runtimeClasses[1].name', 'a runtime class twice', [['runtimeClasses'], [{ name: 'gvisor' }, { name: 'gvisor' }]])),
    badQuantity.map((q) => corrupt(t, 'runtimeClasses[0].cpu', `bad runtime class cpu ${describe(q)}`, [['runtimeClasses'], [{ name: 'gvisor', cpu: q }]])),
  );
}

function managerCorruptions(spec: FleetSpec, i: number): fc.Arbitrary<Corruption> {
  const t = `mgr:${i}`;
  const m = spec.managers[i].props;
  const counts: Array<[string, fc.Arbitrary<unknown>]> = [
    ['replicas', badCount], ['concurrent', badPositive], ['limit', badCount], ['requestConcurrency', badPositive], ['maxSurge', badCount],
    ['metricsPort', badPort], ['runAsUser', badPositive], ['fsGroup', badCount],
  ];
  return fc.oneof(
    setTo(t, ['gitlabUrl'], 'gitlabUrl', 'not an http(s) URL', fc.oneof(fc.constantFrom<unknown>('gitlab.example.com', 'ftp://gitlab.example.com/', '', 'https//x', null, undefined), notAString)),
    setTo(t, ['token'], 'token', 'not a RunnerToken', fc.constantFrom<unknown>('glrt-abcdef', 5, { secretName: 'runner-token', key: 'token' }, null, undefined)),
    badDnsName.map((n) => corrupt(t, 'token.secretName', `bad Secret name ${describe(n)}`, [['token'], RunnerToken.fromSecret(n as string)])),
    fc.oneof(fc.constantFrom<unknown>('runner token', '', 'a/b'), notAString).map((k) => corrupt(t, 'token.key', `bad Secret key ${describe(k)}`, [['token'], RunnerToken.fromSecret('runner-token', k as string)])),
    setTo(t, ['jobPod'], 'jobPod', 'not a JobPodTemplate', fc.constantFrom<unknown>(undefined, null, {}, 'jobs', ...(spec.dns ? [CONSTRUCT.dns] : []))),
    setTo(t, ['name'], 'name', 'not a usable name', fc.oneof(badDnsLabel, fc.constant('r'.repeat(56)))),
    setTo(t, ['namespace'], 'namespace', 'not a namespace', badDnsLabel),
    setTo(t, ['image'], 'image', 'not an image', badImage),
    // Every image offered holds 18.3.0 or 18.9.0 (the default), so 17.5.0 always contradicts its tag.
    setTo(t, ['runnerVersion'], 'runnerVersion', 'not the runner version', fc.constantFrom<unknown>('18.3', 'latest', '', '18.3.0-rc1', 18, null, '17.5.0')),
    ...counts.map(([field, values]) => setTo(t, [field], field, 'not a valid count', values)),
    ...(['checkInterval', 'shutdownTimeout', 'terminationGracePeriod'] as const).flatMap((field) => [
      setTo(t, [field], field, 'not a Duration', notADuration),
      setTo(t, [field], field, 'not whole seconds', fc.constantFrom(Duration.millis(1500), Duration.millis(2500), ...(field === 'terminationGracePeriod' ? [] : [Duration.seconds(0)]))),
    ]),
    setTo(t, ['environment'], 'environment', 'not an object', notAnObject),
    fc.constantFrom('GIT-DEPTH', '1X', 'A B', '').map((k) => corrupt(t, `environment.${k}`, 'bad variable name', [['environment', k], '1'])),
    fc.constantFrom<unknown>(5, null, true, {}, []).map((v) => corrupt(t, 'environment.GIT_DEPTH', `variable value ${describe(v)}`, [['environment', 'GIT_DEPTH'], v])),
    setTo(t, ['featureFlags'], 'featureFlags', 'not an object', notAnObject),
    fc.constantFrom('FF_PRINT_POD_EVENT', 'ff_print_pod_events', 'PRINT_POD_EVENTS').map((k) => corrupt(t, `featureFlags.${k}`, 'unknown feature flag', [['featureFlags', k], true])),
    fc.constantFrom<unknown>('true', 1, null, 'false').map((v) => corrupt(t, 'featureFlags.FF_PRINT_POD_EVENTS', `flag value ${describe(v)}`, [['featureFlags', 'FF_PRINT_POD_EVENTS'], v])),
    setTo(t, ['metricsService'], 'metricsService', 'not a boolean', fc.constantFrom<unknown>('false', 'true', 0, 1)),
    resourceCorruptions(t, ['resources'], 'resources', m.resources),
    setTo(t, ['nodeSelector'], 'nodeSelector', 'not an object', notAnObject),
    badLabelKey.map((k) => corrupt(t, `nodeSelector.${k}`, 'bad node selector key', [['nodeSelector', k], 'x'])),
    badLabelValue.map((v) => corrupt(t, 'nodeSelector.kubernetes.io/os', `bad node selector value ${describe(v)}`, [['nodeSelector', 'kubernetes.io/os'], v])),
    setTo(t, ['tolerations'], 'tolerations', 'not an array', notAnArray),
    setTo(t, ['tolerations', m.tolerations?.length ?? 0], `tolerations[${m.tolerations?.length ?? 0}]`, 'a toleration that is not an object', fc.constantFrom<unknown>(null, 'dedicated', 5)),
    badLabelKey.map((k) => corrupt(t, `tolerations[${m.tolerations?.length ?? 0}].key`, 'bad toleration key', [['tolerations', m.tolerations?.length ?? 0], { key: k }])),
    fc.oneof(fc.constantFrom<unknown>('NoRun', 'noschedule'), badEnumText).map((e) => corrupt(t, `tolerations[${m.tolerations?.length ?? 0}].effect`, `bad effect ${describe(e)}`,
      [['tolerations', m.tolerations?.length ?? 0], { key: 'zz-dedicated', effect: e }])),
    fc.constant(corrupt(t, 'name', 'a name starting with a digit, which the metrics Service cannot take', [['name'], '9-runner'], [['metricsService'], true])),
    setTo(t, ['budget'], 'budget', 'not a ResourceBudget', fc.constantFrom<unknown>({ nodePools: [] }, 'cluster', 5, ...(spec.dns ? [CONSTRUCT.dns] : []))),
  );
}

/** A valid fleet with one to three corruptions, none touching a field another one touches. */
export const corruptedFleet: fc.Arbitrary<{ spec: FleetSpec; corruptions: Corruption[] }> = validFleet.chain((spec) => {
  const targets: Array<fc.Arbitrary<Corruption>> = [
    ...(spec.dns ? [dnsCorruptions(spec)] : []),
    ...spec.services.map((_, i) => serviceCorruptions(spec, i)),
    jobsCorruptions(spec),
    ...(spec.budget ? [budgetCorruptions(spec)] : []),
    ...spec.managers.map((_, i) => managerCorruptions(spec, i)),
  ];
  return fc.array(fc.oneof(...targets), { minLength: 1, maxLength: 3 }).map((cs) => ({ spec, corruptions: withoutOverlaps(cs) }));
});

function withoutOverlaps(corruptions: Corruption[]): Corruption[] {
  const kept: Corruption[] = [];
  const paths = (c: Corruption) => c.sets.map(([p]) => [c.target, ...p].map(String));
  const overlap = (a: string[], b: string[]) => a.slice(0, Math.min(a.length, b.length)).every((k, i) => k === b[i]);
  for (const c of corruptions) {
    if (!kept.some((k) => paths(k).some((a) => paths(c).some((b) => overlap(a, b))))) kept.push(c);
  }
  return kept;
}

/** The spec with every corruption applied. */
export function applyCorruptions(spec: FleetSpec, corruptions: Corruption[]): FleetSpec {
  let out = spec;
  for (const c of corruptions) {
    const base = propsPath(c.target);
    for (const [p, value] of c.sets) out = setIn(out, [...base, ...p], value) as FleetSpec;
  }
  return out;
}

function propsPath(target: string): Key[] {
  if (target === 'dns' || target === 'jobs' || target === 'budget') return [target];
  const [kind, index] = target.split(':');
  return [kind === 'svc' ? 'services' : 'managers', Number(index), 'props'];
}

/** `obj` with `value` at `path`, copying only the containers on the path (Durations and tokens stay instances). */
function setIn(obj: unknown, path: readonly Key[], value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path;
  const container: any = Array.isArray(obj) ? [...obj] : typeof obj === 'object' && obj !== null ? { ...obj } : typeof head === 'number' ? [] : {};
  // An undefined value stays as a key, so it overrides what `buildFleet` adds (jobPod, budget, services, dns).
  container[head] = setIn(container[head], rest, value);
  return container;
}

// ---------------------------------------------------------------------------------------------------------------
// Any value anywhere: one prop of a valid fleet replaced by an arbitrary JavaScript value

/** Values no typed caller would pass, but JavaScript callers and parsed configuration can: big integers, dates, maps,
 * sparse arrays, boxed primitives, objects without a prototype, ... */
export const anyValue: fc.Arbitrary<unknown> = fc.anything({
  maxDepth: 2,
  withBigInt: true,
  withDate: true,
  withMap: true,
  withSet: true,
  withNullPrototype: true,
  withSparseArray: true,
  withBoxedValues: true,
  withTypedArray: true,
  withObjectString: true,
});

function propsOf(spec: FleetSpec, target: string): unknown {
  if (target === 'dns') return spec.dns;
  if (target === 'jobs') return spec.jobs;
  if (target === 'budget') return spec.budget;
  const [kind, index] = target.split(':');
  return kind === 'svc' ? spec.services[Number(index)].props : spec.managers[Number(index)].props;
}

/** Every path into plain props, down to the leaves (class instances such as Durations and tokens are leaves). */
function propPaths(value: unknown, prefix: Key[] = []): Key[][] {
  const inner = Array.isArray(value) ? value.map((v, i) => propPaths(v, [...prefix, i]))
    : typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype
      ? Object.entries(value).map(([k, v]) => propPaths(v, [...prefix, k])) : [];
  return [...(prefix.length > 0 ? [prefix] : []), ...inner.flat()];
}

/** A valid fleet with one prop (at any depth, or any escape-hatch key) replaced by any value. */
export const anythingAnywhere: fc.Arbitrary<{ spec: FleetSpec; target: string; path: Key[]; value: unknown }> = validFleet.chain((spec) => {
  const targets = [...(spec.dns ? ['dns'] : []), ...spec.services.map((_, i) => `svc:${i}`), 'jobs', ...(spec.budget ? ['budget'] : []),
    ...spec.managers.map((_, i) => `mgr:${i}`)];
  const paths = targets.flatMap((target) => propPaths(propsOf(spec, target)).map((p) => ({ target, path: p })));
  const place = fc.oneof(
    ...(paths.length > 0 ? [fc.constantFrom(...paths)] : []),
    fc.constantFrom(...kubernetesKeys()).map((key) => ({ target: 'jobs', path: ['extraConfig', key] as Key[] })),
  );
  return fc.tuple(place, anyValue).map(([{ target, path }, value]) => ({
    spec: applyCorruptions(spec, [corrupt(target, '', 'any value', [path, value])]), target, path, value,
  }));
});
