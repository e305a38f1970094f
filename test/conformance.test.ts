import * as fs from 'fs';
import * as path from 'path';
import { Chart, Duration, Testing } from 'cdk8s';
import { parse } from 'smol-toml';
import { conformanceProblems, loadReference, REFERENCE_FILE } from './config-reference';
import { findManifestProblems, validateManifests } from './k8s-schema';
import { seedFleet } from '../examples/seed-fleet/fleet';
import { renderRunnerTables } from '../scripts/runner-tables';
import {
  DindService, DnsConfig, DnsPolicy, JobPodTemplate, JobService, PullPolicy, RunnerManager, RunnerToken,
} from '../src';
import { FEATURE_FLAGS, kubernetesKeys } from '../src/internal/runner/keys';
import { TaintEffect } from '../src/model/taint-effect';

// Every config.toml this library writes must be one GitLab Runner reads as meant: the runner ignores unknown keys
// and misspelt enum values silently, so a typo would be a no-op nobody notices. The reference and its walker are in
// test/config-reference.ts.

function managersOf(chart: Chart): RunnerManager[] {
  return chart.node.findAll().filter((c): c is RunnerManager => c instanceof RunnerManager);
}

/** A fleet that sets every prop of every construct, so every renderer branch reaches config.toml. */
function maximalFleet(): Chart {
  const app = Testing.app();
  const chart = new Chart(app, 'max', { namespace: 'ci-managers' });
  const dns = new DnsConfig(chart, 'Dns', {
    policy: DnsPolicy.NONE,
    nameservers: ['10.0.0.2', 'fd00::53'],
    searches: ['ci.svc.cluster.local', 'example.com'],
    options: [{ name: 'ndots', value: '2' }, { name: 'edns0' }],
  });
  const serviceResources = {
    cpu: { request: '250m', limit: '1', maxRequest: '500m', maxLimit: '2' },
    memory: { request: '256Mi', limit: '1Gi', maxRequest: '512Mi', maxLimit: '2Gi' },
    ephemeralStorage: { request: '1Gi', limit: '10Gi', maxRequest: '2Gi', maxLimit: '20Gi' },
  };
  const dind = new DindService(chart, 'Dind', {
    image: 'registry.example.com/docker:27-dind',
    alias: 'dockerd',
    tls: true,
    mtu: 1450,
    registryMirrors: ['https://mirror.example.com'],
    insecureRegistries: ['registry.internal:5000', '10.0.0.0/8'],
    dns: ['10.0.0.2'],
    extraArgs: ['--storage-driver=overlay2'],
    resources: serviceResources,
  });
  const postgres = new JobService(chart, 'Postgres', {
    image: 'registry.example.com/postgres:16',
    alias: 'postgres',
    command: ['postgres', '-c', 'fsync=off'],
    entrypoint: ['docker-entrypoint.sh'],
    environment: { POSTGRES_PASSWORD: 'ci', POSTGRES_DB: 'test' },
    port: 5432,
    resources: serviceResources,
  });
  const jobs = new JobPodTemplate(chart, 'Jobs', {
    namespace: 'ci-jobs',
    image: 'registry.example.com/alpine:3.20',
    buildResources: {
      cpu: { request: '500m', limit: '2', maxRequest: '1', maxLimit: '4' },
      memory: { request: '512Mi', limit: '2Gi', maxRequest: '1Gi', maxLimit: '4Gi' },
      ephemeralStorage: { request: '1Gi', limit: '10Gi', maxRequest: '5Gi', maxLimit: '20Gi' },
    },
    helper: {
      image: 'registry.example.com/gitlab/gitlab-runner-helper:x86_64-v19.4.0',
      resources: {
        cpu: { request: '100m', limit: '500m', maxRequest: '200m', maxLimit: '1' },
        memory: { request: '128Mi', limit: '512Mi', maxRequest: '256Mi', maxLimit: '1Gi' },
        ephemeralStorage: { request: '100Mi', limit: '1Gi', maxRequest: '200Mi', maxLimit: '2Gi' },
      },
    },
    serviceResources,
    services: [dind, postgres],
    dns,
    pullPolicy: [PullPolicy.IF_NOT_PRESENT, PullPolicy.ALWAYS],
    allowedPullPolicies: [PullPolicy.ALWAYS, PullPolicy.IF_NOT_PRESENT, PullPolicy.NEVER],
    nodeSelector: { 'kubernetes.io/arch': 'amd64', 'node.example.com/pool': 'ci' },
    tolerations: [
      { key: 'dedicated', value: 'ci', effect: TaintEffect.NO_SCHEDULE },
      { key: 'example.com/spot', effect: TaintEffect.PREFER_NO_SCHEDULE },
      { key: 'example.com/any' },
    ],
    podLabels: { 'team': 'platform', 'example.com/cost-center': 'ci' },
    podAnnotations: { 'cluster-autoscaler.kubernetes.io/safe-to-evict': 'false' },
    pollTimeout: Duration.minutes(10),
    serviceAccountName: 'ci-job',
    extraConfig: {
      poll_interval: 5,
      cleanup_resources_timeout: '10m',
      helper_image_flavor: 'ubuntu',
      priority_class_name: 'ci-jobs',
      cap_drop: ['NET_RAW', 'SYS_ADMIN'],
      print_pod_warning_events: true,
      resource_availability_check_max_attempts: 3,
      pod_disruption_budget: true,
      retry_limits: { 'connection refused': 3, 'tls: internal error': 2 },
      image_pull_secrets: ['registry-credentials'],
      pod_security_context: { run_as_non_root: true, run_as_user: 1000, fs_group: 1000, seccomp_profile: { type: 'RuntimeDefault' } },
      build_container_security_context: { allow_privilege_escalation: false, capabilities: { drop: ['ALL'] } },
      host_aliases: [{ ip: '10.0.0.10', hostnames: ['cache.internal'] }],
      volumes: { empty_dir: [{ name: 'scratch', mount_path: '/scratch', medium: 'Memory', size_limit: '1Gi' }] },
      affinity: {
        node_affinity: {
          required_during_scheduling_ignored_during_execution: {
            node_selector_terms: [{ match_expressions: [{ key: 'node.example.com/pool', operator: 'In', values: ['ci'] }] }],
          },
        },
      },
    },
  });
  new RunnerManager(chart, 'Runner', {
    gitlabUrl: 'https://gitlab.example.com/',
    token: RunnerToken.fromSecret('ci-runner-token', 'token'),
    jobPod: jobs,
    name: 'ci-runner',
    namespace: 'ci-managers',
    // pod_disruption_budget and seccomp_profile need runner 18.11.0 or newer.
    image: 'registry.example.com/gitlab/gitlab-runner:alpine-v19.4.0',
    replicas: 2,
    concurrent: 8,
    limit: 16,
    requestConcurrency: 4,
    checkInterval: Duration.seconds(5),
    shutdownTimeout: Duration.seconds(60),
    terminationGracePeriod: Duration.hours(2),
    maxSurge: 1,
    environment: { GIT_DEPTH: '20', GIT_STRATEGY: 'fetch' },
    featureFlags: { FF_PRINT_POD_EVENTS: true, FF_USE_LEGACY_KUBERNETES_EXECUTION_STRATEGY: false, FF_TIMESTAMPS: true },
    metricsPort: 9400,
    metricsService: true,
    resources: { cpu: { request: '200m', limit: '2' }, memory: { request: '256Mi', limit: '1Gi' } },
    nodeSelector: { 'kubernetes.io/os': 'linux' },
    tolerations: [{ key: 'dedicated', value: 'ci', effect: TaintEffect.NO_SCHEDULE }, { key: 'example.com/control' }],
    runAsUser: 100,
    fsGroup: 65533,
  });
  return chart;
}

// Needs no runner reference, so it runs wherever the suite runs.
describe.each([
  ['the seed fleet', () => seedFleet(Testing.app())],
  ['a fleet setting every prop', maximalFleet],
])('every Kubernetes object of %s', (_name, build) => {
  test('validates against the Kubernetes schema and the apimachinery name, port and label rules', () => {
    const manifests = Testing.synth(build());
    expect(manifests.length).toBeGreaterThanOrEqual(5);
    expect(findManifestProblems(manifests)).toEqual([]);
    expect(() => validateManifests(manifests)).not.toThrow();
  });
});

describe('the Kubernetes schema helper catches what is wrong', () => {
  const seed = Testing.synth(seedFleet(Testing.app()));

  /** The seed's objects with one mutation applied to a copy of the object of `kind`. */
  function mutated(kind: string, mutate: (o: any) => void): any[] {
    return seed.map((o) => {
      if (o.kind !== kind) return o;
      const copy = JSON.parse(JSON.stringify(o));
      mutate(copy);
      return copy;
    });
  }

  test('the unmutated seed is clean', () => {
    expect(findManifestProblems(seed)).toEqual([]);
  });

  test.each<[string, string, (o: any) => void, RegExp]>([
    ['a bad dnsPolicy', 'Deployment', (d) => { d.spec.template.spec.dnsPolicy = 'ClusterFirstish'; }, /Deployment\/gitlab-runner: \/spec\/template\/spec\/dnsPolicy: must be equal to one of the allowed values/],
    ['a bad quantity', 'Deployment', (d) => { d.spec.template.spec.containers[0].resources.limits.cpu = '2cores'; }, /\/resources\/limits\/cpu: must match format "quantity"/],
    ['a missing selector', 'Deployment', (d) => { delete d.spec.selector; }, /\/spec: must have required property 'selector'|\/spec: must have required property selector/],
    ['a replica count that is not an integer', 'Deployment', (d) => { d.spec.replicas = 'three'; }, /\/spec\/replicas: must be integer/],
    ['an invalid object name', 'ConfigMap', (c) => { c.metadata.name = 'Invalid_Name'; }, /ConfigMap\/Invalid_Name: \/metadata\/name: 'Invalid_Name' is not a DNS-1123 subdomain/],
    ['an invalid namespace', 'Role', (r) => { r.metadata.namespace = 'GitLab'; }, /\/metadata\/namespace: "GitLab" is not a DNS-1123 label/],
    ['an invalid container name', 'Deployment', (d) => { d.spec.template.spec.containers[0].name = 'gitlab_runner'; }, /containers\/0\/name: "gitlab_runner" is not a DNS-1123 label/],
    ['two containers of one name', 'Deployment', (d) => { d.spec.template.spec.initContainers[0].name = 'gitlab-runner'; }, /used twice in the pod/],
    ['a port name over 15 characters', 'Deployment', (d) => { d.spec.template.spec.containers[0].ports[0].name = 'prometheus-metrics'; }, /ports\/0\/name: "prometheus-metrics" is not a port name/],
    ['a port number out of range', 'Deployment', (d) => { d.spec.template.spec.containers[0].ports[0].containerPort = 99999; }, /containerPort: 99999 is not a port number/],
    ['a probe on an undeclared port name', 'Deployment', (d) => { d.spec.template.spec.containers[0].livenessProbe.httpGet.port = 'http'; }, /livenessProbe\/httpGet\/port: the container declares no port named 'http'/],
    ['a mount of a missing volume', 'Deployment', (d) => { d.spec.template.spec.containers[0].volumeMounts[0].name = 'nope'; }, /volumeMounts\/0\/name: no volume named 'nope'/],
    ['an invalid label value', 'ServiceAccount', (a) => { a.metadata.labels['app.kubernetes.io/name'] = 'gitlab runner'; }, /\/metadata\/labels\/app.kubernetes.io\/name: "gitlab runner" is not a valid label value/],
    ['an invalid label key', 'ServiceAccount', (a) => { a.metadata.labels['bad key'] = 'x'; }, /'bad key' is not a valid label key/],
    ['a selector that misses the template labels', 'Deployment', (d) => { d.spec.selector.matchLabels.extra = 'x'; }, /selector extra=x does not match the labels of \/spec\/template/],
    ['an invalid environment variable name', 'Deployment', (d) => { d.spec.template.spec.initContainers[0].env[0].name = 'CONFIG TEMPLATE'; }, /env\/0\/name: "CONFIG TEMPLATE" is not an environment variable name/],
    ['an unknown kind', 'ConfigMap', (c) => { c.kind = 'ConfigMapp'; }, /ConfigMapp\/gitlab-runner-config: \/: unknown apiVersion\/kind v1 ConfigMapp/],
    ['an unknown apiVersion', 'Role', (r) => { r.apiVersion = 'rbac.authorization.k8s.io/v9'; }, /unknown apiVersion\/kind rbac.authorization.k8s.io\/v9 Role/],
    ['a sub-object posing as a kind', 'ConfigMap', (c) => { c.kind = 'Container'; }, /unknown apiVersion\/kind v1 Container: not a top-level resource/],
    ['a path-like kind', 'ConfigMap', (c) => { c.kind = '../v1/ConfigMap'; }, /unknown apiVersion\/kind v1 \.\.\/v1\/ConfigMap/],
    ['an unknown field in a container', 'Deployment', (d) => { d.spec.template.spec.containers[0].imagePullPolcy = 'Always'; }, /containers\/0\/imagePullPolcy: unknown field/],
    ['an unknown field in an env entry', 'Deployment', (d) => { d.spec.template.spec.initContainers[0].env[0].valu = 'x'; }, /env\/0\/valu: unknown field/],
    ['an unknown top-level field', 'ConfigMap', (c) => { c.spec = {}; }, /ConfigMap\/gitlab-runner-config: \/spec: unknown field/],
    ['an unknown field in a Role rule', 'Role', (r) => { r.rules[0].verb = ['get']; }, /\/rules\/0\/verb: unknown field/],
  ])('%s', (_what, kind, mutate, expected) => {
    const problems = findManifestProblems(mutated(kind, mutate));
    expect(problems).toEqual(expect.arrayContaining([expect.stringMatching(expected)]));
    expect(() => validateManifests(mutated(kind, mutate))).toThrow(/invalid manifest field\(s\):\n {2}/);
  });

  test('Service names are DNS-1035 labels and Service ports are checked', () => {
    const service = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: '9lives' },
      spec: { selector: { app: 'x' }, ports: [{ name: 'metrics', port: 0, targetPort: 'a-very-long-port-name' }] },
    };
    const problems = findManifestProblems([service]);
    expect(problems).toEqual(expect.arrayContaining([
      expect.stringMatching(/Service\/9lives: \/metadata\/name: '9lives' is not a DNS-1035 label/),
      expect.stringMatching(/\/spec\/ports\/0\/port: 0 is not a port number/),
      expect.stringMatching(/\/spec\/ports\/0\/targetPort: "a-very-long-port-name" is not a port name/),
    ]));
  });

  test('a bare Pod is checked like a pod template', () => {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'Build', image: 'alpine' }] } };
    expect(findManifestProblems([pod])).toEqual(['Pod/p: /spec/containers/0/name: "Build" is not a DNS-1123 label.']);
  });
});

describe('the reference loader', () => {
  const missing = path.join(__dirname, 'no-such-reference.json');

  test('a missing reference fails in CI', () => {
    expect(() => loadReference(missing, { CI: 'true' })).toThrow(/missing; CI must run the conformance checks/);
  });

  test('a missing reference outside CI skips with a warning', () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      expect(loadReference(missing, {})).toBeUndefined();
      expect(warn).toHaveBeenCalledWith(expect.stringContaining('conformance checks not run'));
    } finally {
      warn.mockRestore();
    }
  });
});

// Throws (the suite fails) in CI when the reference is missing; elsewhere the checks below are left out with a warning.
const reference = loadReference(REFERENCE_FILE, process.env);

if (reference !== undefined) {
  const ref = reference;

  describe('internal/runner/keys.ts matches the reference', () => {
    test('the escape hatch knows exactly the keys of [runners.kubernetes]', () => {
      const expected = Object.keys(ref.tables['runners.kubernetes']).sort();
      expect([...kubernetesKeys()].sort()).toEqual(expected);
    });

    test('src/internal/runner/kubernetes-tables.generated.ts is every [runners.kubernetes] table of the reference, each key with the kind its Go type decodes as (run scripts/update-runner-tables.ts if this fails)', () => {
      expect(fs.readFileSync(path.join(__dirname, '..', 'src', 'internal', 'runner', 'kubernetes-tables.generated.ts'), 'utf-8')).toBe(renderRunnerTables(ref));
    });

    test('FEATURE_FLAGS is exactly the known feature flags', () => {
      const expected = Object.keys(ref.tables['runners.feature_flags']).sort();
      expect([...FEATURE_FLAGS].sort()).toEqual(expected);
    });
  });

  describe('the conformance check itself', () => {
    const ok = 'concurrent = 1\n[[runners]]\nexecutor = "kubernetes"\n[runners.kubernetes]\nnamespace = "ci"\n';

    test('accepts a valid config', () => {
      expect(conformanceProblems(ref, ok)).toEqual([]);
    });

    test.each([
      ['an unknown global key', 'concurent = 1\n', /^concurent: the runner has no such key/],
      ['an unknown kubernetes key', '[[runners]]\n[runners.kubernetes]\ndns_polcy = "none"\n', /runners\.kubernetes\.dns_polcy: the runner has no such key/],
      ['an unknown key in an array of tables', '[[runners]]\n[runners.kubernetes]\n[[runners.kubernetes.services]]\nname = "x"\nport = 1\n', /runners\.kubernetes\.services\.port: the runner has no such key/],
      ['an unknown nested key', '[[runners]]\n[runners.kubernetes]\n[runners.kubernetes.dns_config]\n[[runners.kubernetes.dns_config.options]]\nname = "ndots"\nvalu = "2"\n', /dns_config\.options\.valu: the runner has no such key/],
      ['an unknown feature flag', '[[runners]]\n[runners.feature_flags]\nFF_NO_SUCH_FLAG = true\n', /runners\.feature_flags\.FF_NO_SUCH_FLAG: the runner has no such key/],
      ['a Kubernetes DNS policy spelling', '[[runners]]\n[runners.kubernetes]\ndns_policy = "ClusterFirst"\n', /dns_policy: "ClusterFirst" is not a value the runner accepts/],
      ['a bad pull policy in an array', '[[runners]]\n[runners.kubernetes]\npull_policy = ["always", "IfNotPresent"]\n', /pull_policy: "IfNotPresent" is not a value the runner accepts/],
      ['a bad pull policy string', '[[runners]]\n[runners.kubernetes]\npull_policy = "sometimes"\n', /pull_policy: "sometimes" is not a value the runner accepts/],
      ['a string where the runner wants an int', '[[runners]]\n[runners.kubernetes]\npoll_timeout = "180"\n', /poll_timeout: "180" is not of Go type int/],
      ['an int where the runner wants a string', '[[runners]]\n[runners.kubernetes]\ncpu_limit = 2\n', /cpu_limit: 2 is not of Go type string/],
      ['a table where the runner wants a value', '[[runners]]\n[runners.kubernetes]\n[runners.kubernetes.namespace]\nname = "x"\n', /namespace: .* is not of Go type string/],
      ['a non-boolean feature flag', '[[runners]]\n[runners.feature_flags]\nFF_PRINT_POD_EVENTS = "yes"\n', /FF_PRINT_POD_EVENTS: "yes" is not of Go type bool/],
      ['a non-string map value', '[[runners]]\n[runners.kubernetes]\n[runners.kubernetes.node_selector]\n"kubernetes.io/arch" = 1\n', /node_selector\.kubernetes\.io\/arch: 1 is not of Go type string/],
      ['an integer DNS option value', '[[runners]]\n[runners.kubernetes]\n[runners.kubernetes.dns_config]\n[[runners.kubernetes.dns_config.options]]\nname = "ndots"\nvalue = 2\n', /options\.value: 2 is not of Go type string/],
    ])('reports %s', (_what, toml, expected) => {
      const problems = conformanceProblems(ref, toml);
      expect(problems).toEqual(expect.arrayContaining([expect.stringMatching(expected)]));
    });

    test('map-typed keys take free keys', () => {
      const toml = '[[runners]]\n[runners.kubernetes]\n[runners.kubernetes.node_selector]\n"any.example.com/key" = "v"\n'
        + '[runners.kubernetes.pod_labels]\nfree = "x"\n[runners.kubernetes.node_tolerations]\n"a=b" = "NoSchedule"\n';
      expect(conformanceProblems(ref, toml)).toEqual([]);
    });
  });

  describe.each([
    ['the seed fleet', () => seedFleet(Testing.app())],
    ['a fleet setting every prop', maximalFleet],
  ])('%s', (_name, build) => {
    const chart = build();
    const managers = managersOf(chart);

    test('has a manager', () => {
      expect(managers.length).toBeGreaterThan(0);
    });

    test('config.toml parses back and every key and enum value is one the runner knows', () => {
      for (const manager of managers) {
        expect(() => parse(manager.configToml)).not.toThrow();
        expect(conformanceProblems(ref, manager.configToml)).toEqual([]);
      }
    });

    test('the ConfigMap holds exactly the conformant config.toml', () => {
      const configMaps = Testing.synth(chart).filter((o) => o.kind === 'ConfigMap');
      expect(configMaps.map((c) => c.data['config.toml'])).toEqual(managers.map((m) => m.configToml));
    });
  });

  describe('the maximal fleet really reaches every part of config.toml', () => {
    const toml = parse(managersOf(maximalFleet())[0].configToml) as any;
    const runner = toml.runners[0];
    const k = runner.kubernetes;

    test('global and [[runners]] keys', () => {
      expect(toml).toMatchObject({ concurrent: 8, check_interval: 5, shutdown_timeout: 60, listen_address: ':9400' });
      expect(runner).toMatchObject({ limit: 16, request_concurrency: 4, executor: 'kubernetes' });
      expect(runner.feature_flags).toEqual({ FF_PRINT_POD_EVENTS: true, FF_TIMESTAMPS: true, FF_USE_LEGACY_KUBERNETES_EXECUTION_STRATEGY: false });
      expect(runner.environment).toEqual(expect.arrayContaining(['GIT_DEPTH=20', 'DOCKER_HOST=tcp://dockerd:2376', 'DOCKER_TLS_VERIFY=1']));
    });

    test('all twelve resource keys of each container kind, with the overwrite maxima', () => {
      for (const prefix of ['', 'helper_', 'service_']) {
        for (const kind of ['cpu', 'memory', 'ephemeral_storage']) {
          for (const suffix of ['request', 'limit', 'request_overwrite_max_allowed', 'limit_overwrite_max_allowed']) {
            expect(k).toHaveProperty(`${prefix}${kind}_${suffix}`);
          }
        }
      }
      expect(k.cpu_limit_overwrite_max_allowed).toBe('4');
      expect(k.service_memory_request_overwrite_max_allowed).toBe('512Mi');
    });

    test('scheduling, DNS, services, volumes and the escape hatch', () => {
      expect(k.namespace).toBe('ci-jobs');
      expect(k.node_tolerations).toEqual({ 'dedicated=ci': 'NoSchedule', 'example.com/spot': 'PreferNoSchedule', 'example.com/any': '' });
      expect(k.dns_config.options).toEqual([{ name: 'ndots', value: '2' }, { name: 'edns0' }]);
      expect(k.services.map((s: any) => s.alias)).toEqual(['dockerd', 'postgres']);
      expect(k.volumes.empty_dir.map((v: any) => v.name)).toEqual(['scratch', 'docker-certs']);
      expect(k.retry_limits).toEqual({ 'connection refused': 3, 'tls: internal error': 2 });
      expect(k.affinity.node_affinity.required_during_scheduling_ignored_during_execution.node_selector_terms[0].match_expressions[0].operator).toBe('In');
    });
  });
}
