import { Chart, Duration, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import {
  ClusterDnsReach, DindService, DindServiceProps, DnsConfig, DnsConfigProps, DnsPolicy, GitlabCiCheck, JobPodTemplate,
  JobPodTemplateProps, JobService, PullPolicy, ResourceBudget, Rules, RunnerManager, RunnerManagerProps, RunnerToken,
  CacheSecret, RunnerCa, RunnerCache, S3CacheOptions,
  EmptyDirMedium, JobVolume, PvcAccessMode,
} from '../src';
import { declared } from './declared';
import { deployment, metricsService } from '../src/internal/render/manager-manifests';
import { CAPACITY_RULE_LIST } from '../src/internal/rules/capacity-rules';
import { evaluateRules, FLEET_RULES, RULES, ruleById } from '../src/internal/rules/catalogue';
import { metricsPortProblems, systemIdProblem } from '../src/internal/rules/manager';
import type { BudgetFacts } from '../src/model/budget-facts';
import { Finding, FleetConfigError, formatFinding, Severity } from '../src/model/finding';
import { TaintEffect } from '../src/model/taint-effect';

// Every rule of the catalogue, triggered by the smallest change to a fleet that triggers nothing, and left quiet by a
// near miss. Each finding must name a construct path of the fleet, a field, what is wrong and the fix.

const CLUSTER: BudgetFacts = { path: 'ci/Cluster', autoscaling: false, architectures: ['amd64'], podNetworkMtu: 1450 };

interface Change {
  readonly dind?: DindServiceProps | null;
  readonly services?: (scope: Construct) => JobService[];
  readonly dns?: DnsConfigProps;
  readonly job?: Partial<JobPodTemplateProps>;
  readonly manager?: Partial<RunnerManagerProps>;
  readonly budget?: Partial<BudgetFacts> | null;
}

interface Fleet {
  readonly chart: Chart;
  readonly manager: RunnerManager;
  readonly job: JobPodTemplate;
  readonly dind?: DindService;
  readonly budget?: BudgetFacts;
  readonly findings: () => Finding[];
}

/** A fleet that breaks no rule, with one change applied. */
function fleet(change: Change = {}): Fleet {
  const chart = new Chart(Testing.app(), 'ci', { namespace: 'ci' });
  const dind = change.dind === null ? undefined : new DindService(chart, 'Dind', { mtu: 1450, ...change.dind });
  const services = change.services ? change.services(chart) : dind ? [dind] : [];
  const dns = change.dns ? new DnsConfig(chart, 'Dns', change.dns) : undefined;
  const job = new JobPodTemplate(chart, 'Jobs', {
    buildResources: { cpu: { request: '1', limit: '2' }, memory: { request: '1Gi', limit: '2Gi' } },
    helper: { resources: { cpu: { request: '100m', limit: '500m' }, memory: { request: '256Mi', limit: '512Mi' } } },
    serviceResources: { cpu: { request: '500m', limit: '2' }, memory: { request: '512Mi', limit: '2Gi' }, ephemeralStorage: { request: '10Gi', limit: '20Gi' } },
    nodeSelector: { 'node-role.example.com/ci': 'true' },
    tolerations: [{ key: 'ci', effect: TaintEffect.NO_SCHEDULE }],
    services,
    dns,
    ...change.job,
  });
  const manager = new RunnerManager(chart, 'Runner', {
    gitlabUrl: 'https://gitlab.example.com/',
    token: RunnerToken.fromSecret('runner', 'runner-token'),
    jobPod: job,
    concurrent: 4,
    cache: RunnerCache.s3({ bucketName: 'ci-cache' }),
    ...change.manager,
  });
  const budget = change.budget === null ? undefined : { ...CLUSTER, ...change.budget };
  return { chart, manager, job, dind, budget, findings: () => evaluateRules({ manager: manager._toModel(), budget }) };
}

interface Case {
  readonly id: string;
  /** What triggers the rule. */
  readonly trigger: Change;
  /** A near miss that must not trigger it. */
  readonly quiet: Change;
  /** Text the message must contain (the offending value). */
  readonly mentions: string;
}

const RUNNER_19_4 = 'registry.example.com/gitlab/gitlab-runner:alpine-v19.4.0';

const CASES: Case[] = [
  { id: 'CACHE001', trigger: { manager: { cache: undefined } }, quiet: {}, mentions: 'distributed cache' },
  {
    id: 'CACHE004',
    trigger: { manager: { cache: RunnerCache.s3({ bucketName: 'ci-cache', credentials: CacheSecret.fromSecret('c', { accessKey: 'key-id' }) }) } },
    quiet: { manager: { cache: RunnerCache.s3({ bucketName: 'ci-cache', credentials: CacheSecret.fromSecret('c') }) } },
    mentions: 'key-id',
  },
  { id: 'NS001', trigger: { manager: { namespace: 'default' } }, quiet: { manager: { namespace: 'gitlab-runner' } }, mentions: "'default' namespace" },
  { id: 'NS001', trigger: { job: { namespace: 'default' } }, quiet: { job: { namespace: 'ci-jobs' } }, mentions: 'job pods of this template' },
  // The default image is alpine-v18.9.0; pod_disruption_budget came with 18.11.0.
  { id: 'VER001', trigger: { job: { extraConfig: { pod_disruption_budget: true } } }, quiet: { job: { extraConfig: { pod_disruption_budget: true } }, manager: { image: RUNNER_19_4 } }, mentions: '18.11.0' },
  { id: 'VER002', trigger: { manager: { image: RUNNER_19_4, featureFlags: { FF_USE_FASTZIP: true } } }, quiet: { manager: { featureFlags: { FF_USE_FASTZIP: true } } }, mentions: 'FF_USE_FASTZIP' },
  { id: 'VER002', trigger: { manager: { image: RUNNER_19_4, environment: { FF_USE_FASTZIP: 'true' } } }, quiet: { manager: { environment: { FF_USE_FASTZIP: 'true' } } }, mentions: 'FF_USE_FASTZIP' },
  { id: 'SEC004', trigger: { job: { overwriteAllowed: { bearerToken: true } } }, quiet: { job: { overwriteAllowed: { bearerToken: false } } }, mentions: 'KUBERNETES_BEARER_TOKEN' },
  { id: 'RES009', trigger: { manager: { image: RUNNER_19_4 }, job: { podResources: { cpu: { request: '2' } } } }, quiet: { manager: { image: RUNNER_19_4 } }, mentions: 'pod_cpu_request' },
  {
    id: 'SVC004',
    trigger: { dind: null, job: { serviceResources: undefined }, services: (s) => [new DindService(s, 'Dind', { mtu: 1450, resources: { cpu: { request: '1' } } }), new JobService(s, 'Db', { image: 'postgres:16', alias: 'db' })] },
    quiet: { dind: null, job: { serviceResources: { cpu: { request: '1' } } }, services: (s) => [new DindService(s, 'Dind', { mtu: 1450, resources: { cpu: { request: '1' } } }), new JobService(s, 'Db', { image: 'postgres:16', alias: 'db' })] },
    mentions: 'ci/Db',
  },
  {
    id: 'VER003',
    trigger: { job: { helper: { image: 'registry.example.com/gitlab/gitlab-runner-helper:x86_64-v18.3.0', resources: { cpu: { request: '100m', limit: '500m' }, memory: { request: '256Mi', limit: '512Mi' } } } } },
    quiet: { job: { helper: { image: 'registry.example.com/gitlab/gitlab-runner-helper:x86_64-v18.9.0', resources: { cpu: { request: '100m', limit: '500m' }, memory: { request: '256Mi', limit: '512Mi' } } } } },
    mentions: '18.3.0',
  },
  { id: 'DIND001', trigger: { manager: { environment: { DOCKER_HOST: 'tcp://docker:2375' } } }, quiet: { manager: { environment: { DOCKER_HOST: 'tcp://docker:2376' } } }, mentions: 'tcp://docker:2376' },
  {
    id: 'DIND002',
    trigger: { dind: null, manager: { environment: { DOCKER_HOST: 'tcp://dockr:2375' } } },
    quiet: { dind: null, services: (s) => [new JobService(s, 'Proxy', { image: 'registry.example.com/tools/docker-proxy:1', alias: 'dockr' })], manager: { environment: { DOCKER_HOST: 'tcp://dockr:2375' } } },
    mentions: "'dockr'",
  },
  {
    id: 'DIND003',
    trigger: { dind: null, services: (s) => [new JobService(s, 'Docker', { image: 'docker:27-dind', alias: 'docker', port: 2376 })] },
    quiet: { dind: { image: 'docker:27-dind' } },
    mentions: 'docker:27-dind',
  },
  { id: 'DIND004', trigger: { dind: { mtu: undefined }, budget: { podNetworkMtu: undefined } }, quiet: { budget: { podNetworkMtu: undefined } }, mentions: '1500' },
  { id: 'DIND005', trigger: { dind: { mtu: 1500 } }, quiet: { dind: { mtu: 1400 } }, mentions: '1450' },
  {
    id: 'DIND006',
    trigger: { job: { serviceResources: { cpu: { request: '500m', limit: '2' }, memory: { request: '512Mi', limit: '2Gi' } } } },
    quiet: { dind: null, job: { serviceResources: { cpu: { request: '500m', limit: '2' }, memory: { request: '512Mi', limit: '2Gi' } } } },
    mentions: 'service_ephemeral_storage_request',
  },
  { id: 'DIND007', trigger: { job: { nodeSelector: { 'kubernetes.io/arch': 'amd64' } } }, quiet: { dind: null, job: { nodeSelector: {}, tolerations: [] } }, mentions: 'privileged' },
  {
    id: 'DNS004',
    trigger: { dind: { dns: ['8.8.8.8'], insecureRegistries: ['registry.corp.example.com'] } },
    quiet: { dind: { dns: ['8.8.8.8'], insecureRegistries: ['registry.corp.example.com'] }, dns: { policy: DnsPolicy.NONE, nameservers: ['10.0.0.2'] } },
    mentions: 'registry.corp.example.com',
  },
  {
    id: 'DNS005',
    trigger: { dns: { clusterDnsReach: ClusterDnsReach.IN_CLUSTER_ONLY } },
    quiet: { dns: { clusterDnsReach: ClusterDnsReach.IN_CLUSTER_ONLY, policy: DnsPolicy.NONE, nameservers: ['10.0.0.2'] } },
    mentions: 'gitlab.example.com',
  },
  { id: 'DNS006', trigger: { manager: { environment: { KUBERNETES_DNS_CONFIG: 'nameservers=10.0.0.2' } } }, quiet: { manager: { environment: { DNS_SERVER: '10.0.0.2' } } }, mentions: 'KUBERNETES_DNS_CONFIG' },
  {
    id: 'DNS007',
    trigger: { dns: { policy: DnsPolicy.DEFAULT }, manager: { gitlabUrl: 'http://gitlab.gitlab.svc.cluster.local/' } },
    quiet: { dns: { policy: DnsPolicy.DEFAULT } },
    mentions: 'gitlab.gitlab.svc.cluster.local',
  },
  { id: 'DNS008', trigger: { dns: { policy: DnsPolicy.NONE, nameservers: ['127.0.0.53'] } }, quiet: { dns: { policy: DnsPolicy.NONE, nameservers: ['127.0.0.53'] }, dind: { dns: ['10.0.0.2'] } }, mentions: '127.0.0.53' },
  { id: 'DNS009', trigger: { dns: { policy: DnsPolicy.CLUSTER_FIRST, nameservers: ['10.0.0.2'] } }, quiet: { dns: { policy: DnsPolicy.NONE, nameservers: ['10.0.0.2'] } }, mentions: '10.0.0.2' },
  {
    id: 'SVC003',
    trigger: { services: (s) => [new JobService(s, 'Db', { image: 'registry.example.com/library/postgres:16' })] },
    quiet: { services: (s) => [new JobService(s, 'Db', { image: 'registry.example.com/library/postgres:16', alias: 'postgres' })] },
    mentions: 'registry.example.com-library-postgres',
  },
  { id: 'RES001', trigger: { job: { buildResources: { cpu: { limit: '2' }, memory: { request: '1Gi' } } } }, quiet: { job: { buildResources: { cpu: { request: '2' }, memory: { request: '1Gi' } } } }, mentions: '2' },
  {
    id: 'RES002',
    trigger: { job: { helper: { resources: { cpu: { request: '100m' }, memory: { request: '128Mi', limit: '200Mi' } } } } },
    quiet: { job: { helper: { resources: { cpu: { request: '100m' }, memory: { request: '128Mi', limit: '250Mi' } } } } },
    mentions: '200Mi',
  },
  {
    id: 'RES003',
    trigger: { job: { helper: { resources: { cpu: { request: '100m' }, memory: { request: '64Mi', limit: '100Mi' } } } } },
    quiet: { job: { helper: { resources: { cpu: { request: '100m' }, memory: { request: '64Mi', limit: '128Mi' } } } } },
    mentions: '100Mi',
  },
  {
    id: 'RES005',
    trigger: { job: { buildResources: { cpu: { request: '1', maxRequest: '500m' }, memory: { request: '1Gi' } } } },
    quiet: { job: { buildResources: { cpu: { request: '1', maxRequest: '1' }, memory: { request: '1Gi' } } } },
    mentions: '500m',
  },
  { id: 'RES006', trigger: { manager: { environment: { KUBERNETES_CPU_REQUEST: '2' } } }, quiet: { manager: { environment: { KUBERNETES_CPU_REQUEST: '' } } }, mentions: 'cpu_request_overwrite_max_allowed' },
  {
    id: 'RES007',
    trigger: { manager: { environment: { KUBERNETES_CPU_REQUEST: '8' } }, job: { buildResources: { cpu: { request: '1', maxRequest: '4' }, memory: { request: '1Gi' } } } },
    quiet: { manager: { environment: { KUBERNETES_CPU_REQUEST: '4' } }, job: { buildResources: { cpu: { request: '1', maxRequest: '4' }, memory: { request: '1Gi' } } } },
    mentions: "'8'",
  },
  {
    id: 'RES008',
    trigger: { dind: null, job: { extraConfig: { volumes: { empty_dir: [{ name: 'cache', mount_path: '/cache', medium: 'Memory' }] } } } },
    quiet: { dind: null, job: { extraConfig: { volumes: { empty_dir: [{ name: 'cache', mount_path: '/cache', medium: 'Memory', size_limit: '1Gi' }] } } } },
    mentions: "'cache'",
  },
  {
    id: 'VOL001',
    trigger: { job: { volumes: [JobVolume.hostPath({ name: 'docker', hostPath: '/var/run/docker.sock', mountPath: '/var/run/docker.sock' })] } },
    quiet: { job: { volumes: [JobVolume.hostPath({ name: 'ccache', hostPath: '/var/cache/ccache', mountPath: '/ccache' })] } },
    mentions: '/var/run/docker.sock',
  },
  {
    id: 'VOL002',
    trigger: { job: { volumes: [JobVolume.persistentVolumeClaim({ claimName: 'cache', mountPath: '/cache' })] } },
    quiet: { job: { volumes: [JobVolume.persistentVolumeClaim({ claimName: 'cache', mountPath: '/cache', accessMode: PvcAccessMode.READ_WRITE_MANY })] } },
    mentions: "'cache'",
  },
  {
    id: 'VOL003',
    trigger: { job: { volumes: [JobVolume.emptyDir({ name: 'scratch', mountPath: '/scratch', medium: EmptyDirMedium.MEMORY, sizeLimit: '4Gi' })] } },
    quiet: { job: { volumes: [JobVolume.emptyDir({ name: 'scratch', mountPath: '/scratch', medium: EmptyDirMedium.MEMORY, sizeLimit: '512Mi' })] } },
    mentions: '4Gi',
  },
  { id: 'SEC003', trigger: { job: { buildSecurityContext: { privileged: true } } }, quiet: { job: { buildSecurityContext: { privileged: false } } }, mentions: 'build container' },
  { id: 'VAR001', trigger: { manager: { environment: { KUBERNETES_PRIVILEGED: 'true' } } }, quiet: { manager: { environment: { KUBERNETES_NODE_SELECTOR_ARCH: 'kubernetes.io/arch=amd64' } } }, mentions: 'KUBERNETES_PRIVILEGED' },
  { id: 'ARCH001', trigger: { budget: { architectures: ['amd64', 'arm64'] } }, quiet: { budget: { architectures: ['arm64'] }, job: { nodeSelector: { 'kubernetes.io/arch': 'arm64' } } }, mentions: "'arm64'" },
  {
    id: 'ARCH002',
    trigger: { budget: { architectures: ['arm64'] }, job: { helper: { image: 'registry.example.com/gitlab/gitlab-runner-helper:x86_64-v18.3.0', resources: { memory: { request: '256Mi', limit: '512Mi' } } } } },
    quiet: { budget: { architectures: ['arm64'] }, job: { helper: { image: 'registry.example.com/gitlab/gitlab-runner-helper:arm64-v18.3.0', resources: { memory: { request: '256Mi', limit: '512Mi' } } } } },
    mentions: 'amd64',
  },
  { id: 'MGR003', trigger: { budget: { autoscaling: true, nodeProvisioningSeconds: 240 } }, quiet: { budget: { autoscaling: true, nodeProvisioningSeconds: 240 }, job: { pollTimeout: Duration.seconds(600) } }, mentions: '240s' },
  { id: 'MGR004', trigger: { manager: { requestConcurrency: 8 } }, quiet: { manager: { requestConcurrency: 4 } }, mentions: '8' },
  { id: 'MGR005', trigger: { manager: { limit: 8 } }, quiet: { manager: { limit: 4 } }, mentions: '8' },
  { id: 'MGR006', trigger: { manager: { limit: 2 } }, quiet: { manager: { limit: 0 } }, mentions: '2' },
  { id: 'TOK001', trigger: { manager: { token: RunnerToken.fromSecret('runner', 'runner-registration-token') } }, quiet: { manager: { token: RunnerToken.fromSecret('runner-registration', 'runner-token') } }, mentions: "'runner'" },
  { id: 'RBAC001', trigger: { job: { extraConfig: { namespace_per_job: true } } }, quiet: { job: { extraConfig: { namespace_per_job: false } } }, mentions: 'cluster-wide' },
  { id: 'RBAC002', trigger: { job: { extraConfig: { namespace_overwrite_allowed: 'ci-.*' } } }, quiet: { job: { extraConfig: { namespace_overwrite_allowed: '' } } }, mentions: 'ci-.*' },
  { id: 'RBAC003', trigger: { job: { extraConfig: { autoscaler: { max_pause_pods: 2 } } } }, quiet: { job: {} }, mentions: 'priorityclasses' },
];

/** A manager with an S3 cache (options over a valid bucket) and a CA. */
function cached(scope: Construct, options: Partial<S3CacheOptions>, tlsCa?: RunnerCa): RunnerManager {
  return new RunnerManager(scope, 'Runner', {
    gitlabUrl: 'https://gitlab.example.com/',
    token: RunnerToken.fromSecret('runner'),
    jobPod: new JobPodTemplate(scope, 'Jobs'),
    cache: RunnerCache.s3({ bucketName: 'ci-cache', ...options }),
    tlsCa,
  });
}

/** Construction rules: the construct refuses the props, reporting the catalogue's id. */
const CONSTRUCTION_CASES: Array<{ id: string; trigger: (scope: Construct) => void; quiet: (scope: Construct) => void; field: string }> = [
  { id: 'CACHE002', trigger: (s) => cached(s, { credentials: 'AKIAABCDEFGHIJKLMNOP' as any }), quiet: (s) => cached(s, { credentials: CacheSecret.fromSecret('c') }), field: 'cache.credentials' },
  { id: 'CACHE003', trigger: (s) => cached(s, { bucketName: 'Not_A_Bucket' }), quiet: (s) => cached(s, { bucketName: 'a-bucket' }), field: 'cache.bucketName' },
  { id: 'CA001', trigger: (s) => cached(s, {}, 'corp-ca' as any), quiet: (s) => cached(s, {}, RunnerCa.fromSecret('corp-ca')), field: 'tlsCa' },
  { id: 'DNS001', trigger: (s) => new DnsConfig(s, 'Dns', { policy: 'ClusterFirst' as DnsPolicy }), quiet: (s) => new DnsConfig(s, 'Dns', { policy: DnsPolicy.CLUSTER_FIRST }), field: 'policy' },
  { id: 'DNS002', trigger: (s) => new DnsConfig(s, 'Dns', { policy: DnsPolicy.NONE }), quiet: (s) => new DnsConfig(s, 'Dns', { policy: DnsPolicy.NONE, nameservers: ['10.0.0.2'] }), field: 'nameservers' },
  { id: 'DNS003', trigger: (s) => new DnsConfig(s, 'Dns', { nameservers: ['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4'] }), quiet: (s) => new DnsConfig(s, 'Dns', { nameservers: ['10.0.0.1', '10.0.0.2', '10.0.0.3'] }), field: 'nameservers' },
  { id: 'SVC001', trigger: (s) => new JobService(s, 'Db', { image: 'postgres:16', alias: 'my_db' }), quiet: (s) => new JobService(s, 'Db', { image: 'postgres:16', alias: 'my-db' }), field: 'alias' },
  {
    id: 'SVC002',
    trigger: (s) => new JobPodTemplate(s, 'Jobs', { services: [new JobService(s, 'A', { image: 'postgres:16', alias: 'db' }), new JobService(s, 'B', { image: 'mysql:8', alias: 'db' })] }),
    quiet: (s) => new JobPodTemplate(s, 'Jobs', { services: [new JobService(s, 'A', { image: 'postgres:16', alias: 'pg' }), new JobService(s, 'B', { image: 'mysql:8', alias: 'mysql' })] }),
    field: 'services[1].alias',
  },
  { id: 'SEC001', trigger: (s) => new JobPodTemplate(s, 'Jobs', { extraConfig: { privileged: true } }), quiet: (s) => new JobPodTemplate(s, 'Jobs', { services: [new DindService(s, 'Dind')] }), field: 'extraConfig.privileged' },
  { id: 'JOB001', trigger: (s) => new JobPodTemplate(s, 'Jobs', { pullPolicy: ['IfNotPresent' as PullPolicy] }), quiet: (s) => new JobPodTemplate(s, 'Jobs', { pullPolicy: [PullPolicy.IF_NOT_PRESENT] }), field: 'pullPolicy[0]' },
  { id: 'DIND008', trigger: (s) => new DindService(s, 'Dind', { extraArgs: ['--mtu=1450'] }), quiet: (s) => new DindService(s, 'Dind', { extraArgs: ['--log-level=warn'] }), field: 'extraArgs[0]' },
  {
    id: 'SEC002',
    trigger: (s) => new JobService(s, 'Db', { image: 'postgres:16', environment: { CI_SERVER_TOKEN: 'glrt-t1_Ab3dE6gH9jK2mN5pQ8sT' } }),
    quiet: (s) => new JobService(s, 'Db', { image: 'postgres:16', environment: { CI_SERVER_TOKEN: '$CI_JOB_TOKEN' } }),
    field: 'environment.CI_SERVER_TOKEN',
  },
];

function constructionError(build: (scope: Construct) => void): FleetConfigError {
  try {
    const chart = new Chart(Testing.app(), 'ci');
    declared(() => build(chart), chart);
  } catch (e) {
    if (e instanceof FleetConfigError) return e;
    throw e;
  }
  throw new Error('the construct accepted the props');
}

/** Every construct path under the fleet's chart. */
function paths(f: Fleet): string[] {
  return f.chart.node.findAll().map((c) => c.node.path);
}

describe('a fleet that breaks no rule', () => {
  test('has no finding at all', () => {
    expect(fleet().findings()).toEqual([]);
  });
});

describe.each(CASES)('$id', ({ id, trigger, quiet, mentions }) => {
  const rule = RULES.find((r) => r.id === id)!;

  test('fires, naming the construct path, the field, the value and the fix', () => {
    const f = fleet(trigger);
    const hits = f.findings().filter((x) => x.ruleId === id);
    expect(hits.length).toBeGreaterThan(0);
    for (const h of hits) {
      expect(h.severity).toBe(rule.severity);
      expect(paths(f)).toContain(h.path);
      expect(h.field).toMatch(/^[A-Za-z]/);
      expect(h.message).toContain(mentions);
      expect(h.fix.length).toBeGreaterThan(10);
      expect(formatFinding(h)).toContain(`[${h.path}] ${h.field}: `);
    }
  });

  test('stays quiet for the near miss', () => {
    expect(fleet(quiet).findings().filter((x) => x.ruleId === id)).toEqual([]);
  });
});

describe.each(CONSTRUCTION_CASES)('$id (enforced when declared)', ({ id, trigger, quiet, field }) => {
  test('the construct refuses the props under the rule id, naming path, field and fix', () => {
    const error = constructionError(trigger);
    const mine = error.findings.filter((f) => f.ruleId === id);
    expect(mine.length).toBeGreaterThan(0);
    expect(mine[0].field).toBe(field);
    expect(mine[0].path).toMatch(/^ci\//);
    expect(mine[0].fix.length).toBeGreaterThan(10);
    expect(error.message).toContain(`[${mine[0].path}] ${field}: `);
  });

  test('accepts the near miss', () => {
    expect(() => quiet(new Chart(Testing.app(), 'ci'))).not.toThrow();
  });
});

describe('RES004 (request above limit, enforced by validateContainerResources)', () => {
  test('every resources prop refuses a request above its limit, naming the field', () => {
    const error = constructionError((s) => new JobPodTemplate(s, 'Jobs', { buildResources: { cpu: { request: '3', limit: '2' } } }));
    expect(error.findings.map((f) => f.field)).toEqual(['buildResources.cpu.request']);
    expect(error.message).toMatch(/request 3 is above limit 2/);
    expect(() => new JobPodTemplate(new Chart(Testing.app(), 'ci'), 'Jobs', { buildResources: { cpu: { request: '2', limit: '2' } } })).not.toThrow();
  });
});

describe('DIND008: dockerd flags against the typed props', () => {
  test.each([
    [true, '--tls=false', 'turns TLS off'],
    [false, '--tls', 'configures TLS'],
    [false, '--tlsverify', 'configures TLS'],
    [true, '-H', 'listens'],
    [true, '--dns=8.8.8.8', 'dns prop'],
    [true, '--registry-mirror=https://m.example.com', 'registryMirrors prop'],
  ])('tls %s, %s is refused', (tls, arg, says) => {
    const error = constructionError((s) => new DindService(s, 'Dind', { tls, extraArgs: [arg] }));
    expect(error.findings[0].ruleId).toBe('DIND008');
    expect(error.findings[0].message).toContain(says);
  });

  test.each([[true, '--tls=true'], [false, '--tls=false'], [true, '--log-level=warn']])('tls %s, %s is accepted', (tls, arg) => {
    expect(() => new DindService(new Chart(Testing.app(), 'ci'), 'Dind', { tls, extraArgs: [arg] })).not.toThrow();
  });
});

describe('VER003: the helper image of the runner\'s release', () => {
  const helperResources = { cpu: { request: '100m', limit: '500m' }, memory: { request: '256Mi', limit: '512Mi' } };
  const ver003 = (image: string) => fleet({ job: { helper: { image, resources: helperResources } } }).findings().filter((f) => f.ruleId === 'VER003');

  test('a helper tag without a version is a warning naming the runner version (a digest-pinned helper can still be right)', () => {
    expect(ver003('registry.example.com/gitlab/gitlab-runner-helper:latest')).toEqual([expect.objectContaining({
      severity: Severity.WARNING,
      path: 'ci/Jobs',
      field: 'helper.image',
      message: expect.stringContaining("'registry.example.com/gitlab/gitlab-runner-helper:latest' names no version in its tag, so nothing shows it matches GitLab Runner 18.9.0 of ci/Runner"),
      fix: expect.stringContaining('x86_64-v18.9.0'),
    })]);
    expect(ver003(`registry.example.com/helper@sha256:${'d'.repeat(64)}`)).toHaveLength(1);
  });

  test('a mismatch names both versions; GitLab\'s tag forms with flavour and suffix match', () => {
    expect(ver003('registry.example.com/gitlab/gitlab-runner-helper:arm64-v18.3.0')[0].message).toMatch(/is of GitLab Runner 18\.3\.0, but ci\/Runner runs 18\.9\.0/);
    expect(ver003('registry.example.com/gitlab/gitlab-runner-helper:ubuntu-x86_64-v18.9.0-pwsh')).toEqual([]);
    expect(ver003('registry.example.com/gitlab/gitlab-runner-helper:x86_64-v18.9.0')).toEqual([]);
  });
});

describe('MGR001: each manager pod keeps its own .runner_system_id', () => {
  test('the rendered Deployment gives every pod a private, writable config directory', () => {
    const m = fleet({ manager: { replicas: 3 } }).manager._toModel();
    expect(systemIdProblem(deployment(m, 'x = 1'))).toBeUndefined();
    expect(fleet({ manager: { replicas: 3 } }).findings().filter((f) => f.ruleId === 'MGR001')).toEqual([]);
  });

  test('a shared volume under the config directory with several replicas is reported', () => {
    const d = deployment(fleet({ manager: { replicas: 3 } }).manager._toModel(), 'x = 1');
    const shared = JSON.parse(JSON.stringify(d));
    shared.spec.template.spec.volumes = shared.spec.template.spec.volumes.map((v: any) => (v.name === 'config' ? { name: 'config', persistentVolumeClaim: { claimName: 'runner-config' } } : v));
    expect(systemIdProblem(shared)).toMatch(/all 3 pods read one \.runner_system_id/);
    shared.spec.replicas = 1;
    expect(systemIdProblem(shared)).toBeUndefined();
  });

  test('a read-only config directory is reported', () => {
    const d = JSON.parse(JSON.stringify(deployment(fleet().manager._toModel(), 'x = 1')));
    d.spec.template.spec.volumes = d.spec.template.spec.volumes.map((v: any) => (v.name === 'config' ? { name: 'config', configMap: { name: 'c' } } : v));
    expect(systemIdProblem(d)).toMatch(/read-only/);
  });
});

describe('MGR002: one metrics port everywhere', () => {
  test('listen_address, the container port, the probes and the Service agree', () => {
    const m = fleet({ manager: { metricsService: true, metricsPort: 9400 } }).manager._toModel();
    expect(metricsPortProblems(':9400', deployment(m, 'x = 1'), metricsService(m))).toEqual([]);
    expect(fleet({ manager: { metricsService: true, metricsPort: 9400 } }).findings().filter((f) => f.ruleId === 'MGR002')).toEqual([]);
  });

  test('a listen_address on another port or on loopback is reported', () => {
    const m = fleet({ manager: { metricsService: true } }).manager._toModel();
    expect(metricsPortProblems(':9000', deployment(m, 'x = 1'), metricsService(m)).join('\n')).toMatch(/metrics port is 9252, but listen_address is ':9000'/);
    expect(metricsPortProblems('127.0.0.1:9252', deployment(m, 'x = 1'))).toEqual([expect.stringMatching(/loopback/)]);
  });
});

describe('the three wrong DNS configurations of domain.md §3', () => {
  test('1: only --dns on DinD, no pod dnsConfig, images from a private registry: DNS004 says --dns does not reach dockerd pulls', () => {
    const f = fleet({ dind: { dns: ['8.8.8.8'], insecureRegistries: ['private-registry.example.com'] } });
    const [finding] = f.findings().filter((x) => x.ruleId === 'DNS004');
    expect(finding).toMatchObject({ severity: Severity.WARNING, path: 'ci/Dind', field: 'dns' });
    expect(finding.message).toMatch(/only reaches the containers it starts \(RUN steps\); its own pulls of 'private-registry.example.com'/);
  });

  test('2: a CI variable for the pod DNS, in the runner environment or in .gitlab-ci.yml: DNS006', () => {
    const f = fleet({ manager: { environment: { KUBERNETES_DNS_CONFIG: 'nameservers=10.0.0.2' } } });
    expect(f.findings().filter((x) => x.ruleId === 'DNS006')).toEqual([expect.objectContaining({ severity: Severity.ERROR, field: 'environment.KUBERNETES_DNS_CONFIG' })]);
    const ci = GitlabCiCheck.check('build:\n  variables:\n    KUBERNETES_DNS_POLICY: none\n  script: make\n', fleet().manager);
    expect(ci).toEqual([expect.objectContaining({ ruleId: 'DNS006', field: '.gitlab-ci.yml build.variables.KUBERNETES_DNS_POLICY' })]);
  });

  test('3: the default cluster DNS in a cluster whose DNS resolves in-cluster names only: DNS005, and synth fails', () => {
    const f = fleet({ dns: { clusterDnsReach: ClusterDnsReach.IN_CLUSTER_ONLY }, dind: { insecureRegistries: ['registry.example.com'] } });
    const [finding] = f.findings().filter((x) => x.ruleId === 'DNS005');
    expect(finding).toMatchObject({ severity: Severity.ERROR, path: 'ci/Dns', field: 'policy' });
    expect(finding.message).toContain("'gitlab.example.com' and 'registry.example.com'");
    expect(() => Testing.synth(f.chart)).toThrow(/policy: .*declared to answer in-cluster names only/);
  });
});

describe('wiring', () => {
  test('RunnerManager._findings() reports the catalogue with the budget the manager is planned against', () => {
    const f = fleet({ manager: { limit: 8 } });
    expect(f.manager._findings().map((x) => x.ruleId)).toEqual(expect.arrayContaining(['MGR005']));
  });

  test('an error of the catalogue fails a plain app.synth()', () => {
    const f = fleet({ job: { extraConfig: { namespace_per_job: true } } });
    expect(() => Testing.synth(f.chart)).toThrow(/namespace_per_job: a namespace per job/);
  });

  test('the old DIND001 and RBAC001 checks are gone from the manager: each finding appears once', () => {
    const f = fleet({ manager: { environment: { DOCKER_HOST: 'tcp://x:1' } }, job: { extraConfig: { namespace_per_job: true } } });
    const ids = f.manager._findings().map((x) => x.ruleId);
    expect(ids.filter((i) => i === 'DIND001')).toHaveLength(1);
    expect(ids.filter((i) => i === 'RBAC001')).toHaveLength(1);
  });
});

describe('acknowledging a warning', () => {
  test('keeps the warning, marked acknowledged with the reason', () => {
    const f = fleet({ budget: null, dind: { mtu: undefined } });
    Rules.acknowledge(f.dind!, 'DIND004', 'the CNI runs with MTU 1500');
    const [finding] = f.manager._findings().filter((x) => x.ruleId === 'DIND004');
    expect(finding.severity).toBe(Severity.WARNING);
    expect(finding.message).toMatch(/\(acknowledged: the CNI runs with MTU 1500\)$/);
    expect(finding).toMatchObject({ acknowledged: 'the CNI runs with MTU 1500' });
  });

  test('applies to the construct it was given only', () => {
    const f = fleet({ budget: null, dind: { mtu: undefined } });
    Rules.acknowledge(f.job, 'DIND004', 'wrong construct');
    expect(f.manager._findings().find((x) => x.ruleId === 'DIND004')!.message).not.toContain('acknowledged');
  });

  test.each([
    ['DIND004', '', /needs a written reason/],
    ['DIND004', '   ', /needs a written reason/],
    ['DIND005', 'we know', /DIND005 is an error, and errors cannot be acknowledged.*Fix: fix it instead: set `mtu`/],
    ['DIND999', 'typo', /there is no rule "DIND999".*use one of DIND001, DIND002/],
  ])('refuses %s with reason %j', (id, reason, message) => {
    const f = fleet();
    expect(() => declared(() => Rules.acknowledge(f.dind!, id, reason), f.dind!)).toThrow(message);
  });

  test('works for the capacity warnings (CAP007) and the Helm values warnings (HELM002), which the catalogue holds too', () => {
    const chart = new Chart(Testing.app(), 'c', { namespace: 'ci' });
    const budget = new ResourceBudget(chart, 'Budget', { nodePools: [{ name: 'w', nodes: 1, allocatable: { cpu: '4', memory: '16Gi' } }] });
    const jobs = new JobPodTemplate(chart, 'Jobs', {
      buildResources: { cpu: { request: '1', limit: '4' }, memory: { request: '1Gi', limit: '1Gi' } },
      helper: { resources: { cpu: { request: '100m', limit: '100m' }, memory: { request: '128Mi', limit: '128Mi' } } },
    });
    const manager = new RunnerManager(chart, 'Runner', {
      gitlabUrl: 'https://gitlab.example.com/',
      token: RunnerToken.fromSecret('t'),
      jobPod: jobs,
      budget,
      concurrent: 2,
      image: `registry.gitlab.com/gitlab-org/gitlab-runner@sha256:${'a'.repeat(64)}`,
      runnerVersion: '18.9.0',
    });
    const ids = (all: Finding[]) => all.filter((x) => x.ruleId === 'CAP007' || x.ruleId === 'HELM002');
    expect(ids([...budget._findings(), ...manager._findings()]).map((x) => x.ruleId).sort()).toEqual(['CAP007', 'HELM002']);
    for (const x of ids([...budget._findings(), ...manager._findings()])) expect(x.message).not.toContain('acknowledged');
    // Acknowledged on the construct the finding names, as for every rule.
    const capPath = budget._findings().find((x) => x.ruleId === 'CAP007')!.path;
    Rules.acknowledge(chart.node.findAll().find((c) => c.node.path === capPath)!, 'CAP007', 'CPU throttling is accepted here');
    Rules.acknowledge(manager, 'HELM002', 'this fleet deploys the native manifests');
    const after = ids([...budget._findings(), ...manager._findings()]);
    expect(after).toHaveLength(2);
    for (const x of after) expect(x).toMatchObject({ severity: Severity.WARNING, acknowledged: expect.any(String) });
  });

  test('refuses an error of the capacity model (CAP003) like any other error', () => {
    const f = fleet();
    expect(() => declared(() => Rules.acknowledge(f.manager, 'CAP003', 'no'), f.manager)).toThrow(/CAP003 is an error, and errors cannot be acknowledged/);
  });

  test('refuses acknowledging the same rule twice on one construct', () => {
    const f = fleet();
    Rules.acknowledge(f.dind!, 'DIND004', 'MTU 1500');
    expect(() => declared(() => Rules.acknowledge(f.dind!, 'DIND004', 'again'), f.dind!)).toThrow(/already acknowledged/);
  });
});

describe('the catalogue', () => {
  const CI_RULES_TESTED_IN_GITLAB_CI_CHECK_TEST = ['CI001', 'CI002', 'CI003', 'CI004', 'CI005'];
  // MGR010 (the manager's PodDisruptionBudget) is tested in test/manager-pod.test.ts.
  const tested = new Set([
    ...CASES.map((c) => c.id), ...CONSTRUCTION_CASES.map((c) => c.id), 'RES004', 'MGR001', 'MGR002', 'MGR010', ...CI_RULES_TESTED_IN_GITLAB_CI_CHECK_TEST,
  ]);

  test('has at least 25 rules with unique ids, each with a title, a fix and when it is checked', () => {
    expect(RULES.length).toBeGreaterThanOrEqual(25);
    expect(new Set(RULES.map((r) => r.id)).size).toBe(RULES.length);
    for (const r of RULES) {
      // Numbered ids, but for each construct's own prop errors (MGR, JOB, ...), which no numbered rule covers.
      expect(r.id).toMatch(r.area === 'Props' ? /^[A-Z]+$/ : /^[A-Z]+\d{3}$/);
      expect(r.title.length).toBeGreaterThan(20);
      expect(r.fix.length).toBeGreaterThan(10);
      expect(r.checkedAt.length).toBeGreaterThan(0);
      if (r.checkedAt.includes('declaration')) expect(r.enforcedBy).toBeDefined();
    }
  });

  test('every fleet and construction rule is tested here or in test/gitlab-ci-check.test.ts', () => {
    // Capacity, Helm and synth rules are tested in their own suites; the prop ids in test/bad-input.test.ts.
    const elsewhere = ['Capacity', 'Helm chart', 'Synth', 'Props'];
    expect(RULES.filter((r) => !elsewhere.includes(r.area)).map((r) => r.id).filter((id) => !tested.has(id))).toEqual([]);
  });

  test('holds every id of the library: the fleet rules, the capacity, Helm and synth rules, each construct\'s prop id', () => {
    const ids = RULES.map((r) => r.id);
    expect(ids).toEqual(expect.arrayContaining([...CAPACITY_RULE_LIST.map((r) => r.id), 'HELM001', 'HELM002', 'SYNTH001']));
    expect(ids).toEqual(expect.arrayContaining(['MGR', 'JOB', 'SVC', 'DIND', 'DNS', 'BUDGET', 'HELM', 'RULES']));
    for (const r of FLEET_RULES) expect(ruleById(r.id)).toMatchObject({ id: r.id, severity: r.severity, title: r.title });
  });

});
