import { App, Chart, Duration, Testing } from 'cdk8s';
import { parse } from 'smol-toml';
import { DindService, DnsConfig, DnsPolicy, JobPodTemplate, JobPodTemplateProps, JobService, PullPolicy, RunnerManager, RunnerToken } from '../src';
import { declared } from './declared';
import { kubernetesKeys } from '../src/internal/runner/keys';
import { FleetConfigError } from '../src/model/finding';
import { TaintEffect } from '../src/model/taint-effect';

function chart(namespace: string | undefined = 'ci'): Chart {
  return new Chart(Testing.app(), 'test', { namespace });
}

/** `[runners.kubernetes]` as config.toml renders the template built by `build`. */
function kubernetesOf(build: (c: Chart) => JobPodTemplateProps): any {
  const c = chart();
  const jobPod = new JobPodTemplate(c, 'Jobs', build(c));
  const manager = new RunnerManager(c, 'Runner', { gitlabUrl: 'https://gitlab.example.com/', token: RunnerToken.fromSecret('t'), jobPod });
  return (parse(manager.configToml) as any).runners[0].kubernetes;
}

function problems(build: (c: Chart) => JobPodTemplateProps): Array<{ field: string; message: string; fix: string }> {
  const c = chart();
  try {
    declared(() => new JobPodTemplate(c, 'Jobs', build(c)));
  } catch (e) {
    if (e instanceof FleetConfigError) return e.findings.map(({ field, message, fix }) => ({ field, message, fix }));
    throw e;
  }
  return [];
}

const fields = (build: (c: Chart) => JobPodTemplateProps) => problems(build).map((p) => p.field);

describe('namespace', () => {
  test("defaults to the chart's namespace", () => {
    expect(new JobPodTemplate(chart('builds'), 'Jobs').namespace).toBe('builds');
  });

  test('defaults to default without a chart namespace', () => {
    expect(new JobPodTemplate(new Chart(new App(), 'plain'), 'Jobs').namespace).toBe('default');
  });

  test('an explicit namespace wins and is rendered', () => {
    expect(new JobPodTemplate(chart('builds'), 'Jobs', { namespace: 'jobs' }).namespace).toBe('jobs');
    expect(kubernetesOf(() => ({ namespace: 'jobs' })).namespace).toBe('jobs');
  });

  test('an empty template renders only the namespace', () => {
    expect(kubernetesOf(() => ({}))).toEqual({ namespace: 'ci' });
  });
});

describe('resources', () => {
  test('build, helper and service resources render their own config.toml keys', () => {
    const k = kubernetesOf(() => ({
      buildResources: { cpu: { request: '500m', limit: '2', maxRequest: '1', maxLimit: '4' }, ephemeralStorage: { limit: '10Gi' } },
      helper: { resources: { memory: { request: '128Mi', limit: '512Mi' } } },
      serviceResources: { cpu: { limit: '1' }, ephemeralStorage: { request: '1Gi', maxLimit: '5Gi' } },
    }));
    expect(k).toEqual({
      namespace: 'ci',
      cpu_request: '500m',
      cpu_limit: '2',
      cpu_request_overwrite_max_allowed: '1',
      cpu_limit_overwrite_max_allowed: '4',
      ephemeral_storage_limit: '10Gi',
      helper_memory_request: '128Mi',
      helper_memory_limit: '512Mi',
      service_cpu_limit: '1',
      service_ephemeral_storage_request: '1Gi',
      service_ephemeral_storage_limit_overwrite_max_allowed: '5Gi',
    });
  });

  test('the quantities are rendered as written', () => {
    expect(kubernetesOf(() => ({ buildResources: { cpu: { limit: '1.5' }, memory: { limit: '1e9' } } }))).toMatchObject({ cpu_limit: '1.5', memory_limit: '1e9' });
  });

  test('every resource prop is validated under its own field', () => {
    expect(fields(() => ({
      buildResources: { cpu: { limit: 'x' } }, helper: { resources: { memory: { limit: 'y' } } }, serviceResources: { ephemeralStorage: { request: 'z' } },
    }))).toEqual(['buildResources.cpu.limit', 'helper.resources.memory.limit', 'serviceResources.ephemeralStorage.request']);
  });
});

describe('service resources (one set of service_* keys for every service)', () => {
  const same = { cpu: { limit: '1' }, memory: { limit: '1Gi' } };

  test('services that agree provide the service_* keys', () => {
    const k = kubernetesOf((c) => ({ services: [new JobService(c, 'A', { image: 'a:1', resources: same }), new JobService(c, 'B', { image: 'b:1', resources: same })] }));
    expect(k).toMatchObject({ service_cpu_limit: '1', service_memory_limit: '1Gi' });
  });

  test('serviceResources wins over what services declare', () => {
    const c = chart();
    const jobs = new JobPodTemplate(c, 'Jobs', { serviceResources: same, services: [new JobService(c, 'A', { image: 'a:1' })] });
    expect(jobs.effectiveServiceResources).toEqual(same);
  });

  test('a service whose resources differ from serviceResources is refused', () => {
    expect(problems((c) => ({ serviceResources: same, services: [new JobService(c, 'A', { image: 'a:1', resources: { cpu: { limit: '2' } } })] })))
      .toEqual([expect.objectContaining({ field: 'services.A.resources', fix: 'declare the same resources on every service, or set them once with serviceResources.' })]);
  });

  test('services without resources take the others’ (no error)', () => {
    expect(fields((c) => ({ services: [new JobService(c, 'A', { image: 'a:1', resources: same }), new JobService(c, 'B', { image: 'b:1' })] }))).toEqual([]);
  });

  test('no resources anywhere: no service_* keys', () => {
    const k = kubernetesOf((c) => ({ services: [new JobService(c, 'A', { image: 'a:1' })] }));
    expect(Object.keys(k).filter((key) => key.startsWith('service_'))).toEqual([]);
  });
});

describe('services', () => {
  test('alias and port collisions are refused, naming the other service', () => {
    expect(problems((c) => ({
      services: [
        new JobService(c, 'A', { image: 'a:1', alias: 'db', port: 5432 }),
        new JobService(c, 'B', { image: 'b:1', alias: 'db' }),
        new JobService(c, 'C', { image: 'c:1', port: 5432 }),
      ],
    }))).toEqual([
      expect.objectContaining({ field: 'services[1].alias', message: expect.stringContaining('used by test/A too') }),
      expect.objectContaining({ field: 'services[2].port', message: expect.stringContaining('used by test/A too') }),
    ]);
  });

  test('services without alias or port never collide', () => {
    expect(fields((c) => ({ services: [new JobService(c, 'A', { image: 'a:1' }), new JobService(c, 'B', { image: 'a:1' })] }))).toEqual([]);
  });

  test('the template exposes its services and DNS', () => {
    const c = chart();
    const svc = new JobService(c, 'A', { image: 'a:1' });
    const dns = new DnsConfig(c, 'Dns', { policy: DnsPolicy.DEFAULT });
    const jobs = new JobPodTemplate(c, 'Jobs', { services: [svc], dns });
    expect(jobs.services).toEqual([svc]);
    expect(jobs.dns).toBe(dns);
    expect(jobs._toModel().services[0].path).toBe('test/A');
    expect(jobs._toModel().dns?.policy).toBe('default');
  });
});

describe('pull policies', () => {
  test('rendered as arrays in the runner spelling, in the given order', () => {
    const k = kubernetesOf(() => ({ pullPolicy: [PullPolicy.IF_NOT_PRESENT, PullPolicy.ALWAYS], allowedPullPolicies: [PullPolicy.NEVER] }));
    expect(k.pull_policy).toEqual(['if-not-present', 'always']);
    expect(k.allowed_pull_policies).toEqual(['never']);
  });

  test('the enum values are the runner spellings', () => {
    expect(Object.values(PullPolicy).sort()).toEqual(['always', 'if-not-present', 'never']);
  });

  test('the Kubernetes spelling is refused with the runner spelling as the fix', () => {
    expect(problems(() => ({ pullPolicy: ['IfNotPresent' as PullPolicy, 'Always' as PullPolicy] })).map((p) => p.fix))
      .toEqual(["use 'if-not-present' (the runner's spelling).", "use 'always' (the runner's spelling)."]);
  });
});

describe('scheduling and metadata', () => {
  test('node selector, labels and annotations are rendered sorted', () => {
    const k = kubernetesOf(() => ({
      nodeSelector: { 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64' },
      podLabels: { z: '1', a: '2' },
      podAnnotations: { 'example.com/b': 'x', 'example.com/a': 'y' },
    }));
    expect(Object.keys(k.node_selector)).toEqual(['kubernetes.io/arch', 'kubernetes.io/os']);
    expect(Object.keys(k.pod_labels)).toEqual(['a', 'z']);
    expect(k.pod_annotations).toEqual({ 'example.com/a': 'y', 'example.com/b': 'x' });
  });

  test('tolerations render as "key=value" = "Effect", "key" = "Effect", or "" for every effect', () => {
    const k = kubernetesOf(() => ({
      tolerations: [
        { key: 'dedicated', value: 'ci', effect: TaintEffect.NO_SCHEDULE },
        { key: 'example.com/spot', effect: TaintEffect.NO_EXECUTE },
        { key: 'gpu', value: 'true' },
        { key: 'anything' },
      ],
    }));
    expect(k.node_tolerations).toEqual({ 'dedicated=ci': 'NoSchedule', 'example.com/spot': 'NoExecute', 'gpu=true': '', 'anything': '' });
  });

  test('poll timeout in seconds, service account, default image, helper image', () => {
    const k = kubernetesOf(() => ({
      pollTimeout: Duration.minutes(10), serviceAccountName: 'ci-job', image: 'alpine:3.20', helper: { image: 'registry.example.com/helper:x86_64-v18.3.0' },
    }));
    expect(k).toMatchObject({ poll_timeout: 600, service_account: 'ci-job', image: 'alpine:3.20', helper_image: 'registry.example.com/helper:x86_64-v18.3.0' });
  });

  test('reserved pod labels are refused', () => {
    expect(fields(() => ({ podLabels: { 'runner.gitlab.com/x': '1', 'job.runner.gitlab.com/y': '2', 'gitlab.com/ok': '3' } })))
      .toEqual(['podLabels.runner.gitlab.com/x', 'podLabels.job.runner.gitlab.com/y']);
  });
});

describe('extraConfig (the escape hatch)', () => {
  test('keys the runner knows render as given, sorted', () => {
    const k = kubernetesOf(() => ({ extraConfig: { scheduler_name: 'ci', priority_class_name: 'low', cap_drop: ['NET_RAW'] } }));
    expect(k).toMatchObject({ scheduler_name: 'ci', priority_class_name: 'low', cap_drop: ['NET_RAW'] });
    const keys = Object.keys(k);
    expect(keys.indexOf('cap_drop')).toBeLessThan(keys.indexOf('priority_class_name'));
    expect(keys.indexOf('priority_class_name')).toBeLessThan(keys.indexOf('scheduler_name'));
  });

  test('nested tables and arrays of tables are rendered as TOML tables', () => {
    const k = kubernetesOf(() => ({
      extraConfig: { pod_security_context: { run_as_user: 1000 }, host_aliases: [{ ip: '10.0.0.1', hostnames: ['a.internal'] }] },
    }));
    expect(k.pod_security_context).toEqual({ run_as_user: 1000 });
    expect(k.host_aliases).toEqual([{ ip: '10.0.0.1', hostnames: ['a.internal'] }]);
  });

  test('escape-hatch volumes are kept beside the DinD certs volume, not replaced by it', () => {
    const k = kubernetesOf((c) => ({
      services: [new DindService(c, 'Dind')],
      extraConfig: { volumes: { empty_dir: [{ name: 'scratch', mount_path: '/scratch' }], config_map: [{ name: 'ca', mount_path: '/ca' }] } },
    }));
    expect(k.volumes.empty_dir.map((v: any) => v.name)).toEqual(['scratch', 'docker-certs']);
    expect(k.volumes.config_map).toEqual([{ name: 'ca', mount_path: '/ca' }]);
  });

  test('escape-hatch volumes without DinD are rendered unchanged', () => {
    const k = kubernetesOf(() => ({ extraConfig: { volumes: { empty_dir: [{ name: 'scratch', mount_path: '/scratch' }] } } }));
    expect(k.volumes).toEqual({ empty_dir: [{ name: 'scratch', mount_path: '/scratch' }] });
  });

  test('unknown keys are refused', () => {
    expect(problems(() => ({ extraConfig: { dns_polcy: 'none', cpuLimit: '1' } }))).toEqual([
      expect.objectContaining({ field: 'extraConfig.dns_polcy', fix: expect.stringContaining('check the spelling') }),
      expect.objectContaining({ field: 'extraConfig.cpuLimit' }),
    ]);
  });

  test.each([
    ['namespace', 'namespace'], ['image', 'image'], ['helper_image', 'helper.image'], ['services', 'services'], ['dns_policy', 'dns'], ['dns_config', 'dns'],
    ['pull_policy', 'pullPolicy'], ['allowed_pull_policies', 'allowedPullPolicies'], ['node_selector', 'nodeSelector'], ['node_tolerations', 'tolerations'],
    ['pod_labels', 'podLabels'], ['pod_annotations', 'podAnnotations'], ['poll_timeout', 'pollTimeout'], ['service_account', 'serviceAccountName'],
  ])('%s is owned by the %s prop', (key, prop) => {
    expect(problems(() => ({ extraConfig: { [key]: 'x' } }))).toEqual([
      expect.objectContaining({ field: `extraConfig.${key}`, fix: `set it with the ${prop} prop.` }),
    ]);
  });

  test('service_container_security_context is owned (DinD scopes privileged there)', () => {
    expect(fields(() => ({ extraConfig: { service_container_security_context: { privileged: true } } }))).toEqual(['extraConfig.service_container_security_context']);
  });

  test('every resource key of the runner is refused in favour of the typed props', () => {
    const resourceKeys = [...kubernetesKeys()].filter((k) => /^(helper_|service_)?(cpu|memory|ephemeral_storage)_(request|limit)/.test(k));
    expect(resourceKeys).toHaveLength(36);
    for (const key of resourceKeys) expect(fields(() => ({ extraConfig: { [key]: '1' } }))).toEqual([`extraConfig.${key}`]);
  });

  test('pod-wide privileged is refused, pointing at DindService', () => {
    expect(problems(() => ({ extraConfig: { privileged: true } }))).toEqual([
      expect.objectContaining({ field: 'extraConfig.privileged', fix: expect.stringContaining('add a DindService instead') }),
    ]);
  });

  test('values the runner cannot decode for their key are refused, every one at once, with the expected type', () => {
    expect(problems(() => ({
      extraConfig: { poll_interval: '5', cap_add: 'NET_ADMIN', cleanup_resources_timeout: 300, scheduler_name: 'ci', affinity: {} },
    }))).toEqual([
      expect.objectContaining({ field: 'extraConfig.poll_interval', message: expect.stringContaining("'5' is not a whole number"), fix: 'give a whole number, e.g. 180.' }),
      expect.objectContaining({ field: 'extraConfig.cap_add', message: expect.stringContaining('is not a list of strings') }),
      expect.objectContaining({ field: 'extraConfig.cleanup_resources_timeout', message: expect.stringContaining('300 nanoseconds'), fix: "give a Go duration string, e.g. '5m'." }),
    ]);
  });

  test('escape-hatch tables are checked to the last key: keys the runner does not know, values it cannot decode', () => {
    const decode = 'GitLab Runner cannot decode it and refuses to load config.toml, so the manager does not start.';
    expect(problems(() => ({
      extraConfig: {
        volumes: { empty_dir: [{ name: 'scratch', mount_path: null }] },
        pod_security_context: { run_as_usr: 1000, supplemental_groups: [1, '2'] },
        build_container_security_context: { capabilites: { drop: ['ALL'] } },
        host_aliases: [{ ip: '10.0.0.1', hostnames: [new Date(0)] }],
        autoscaler: { policy: [{ scale_factor: Infinity, idle_time: '20m' }] },
      },
    })).map(({ field, message }) => ({ field, message }))).toEqual([
      { field: 'extraConfig.volumes.empty_dir[0].mount_path', message: `null is not a string; ${decode}` },
      { field: 'extraConfig.pod_security_context.run_as_usr', message: "GitLab Runner has no [runners.kubernetes.pod_security_context] key 'run_as_usr'; it would silently ignore it." },
      { field: 'extraConfig.pod_security_context.supplemental_groups', message: `[1,"2"] is not a list of whole numbers; ${decode}` },
      { field: 'extraConfig.build_container_security_context.capabilites', message: "GitLab Runner has no [runners.kubernetes.build_container_security_context] key 'capabilites'; it would silently ignore it." },
      { field: 'extraConfig.host_aliases[0].hostnames', message: `["1970-01-01T00:00:00.000Z"] is not a list of strings; ${decode}` },
      { field: 'extraConfig.autoscaler.policy[0].scale_factor', message: `Infinity is not a number; ${decode}` },
    ]);
  });

  test('nested tables the runner knows are rendered as given', () => {
    const extraConfig = {
      pod_security_context: { run_as_user: 1000, supplemental_groups: [2000], seccomp_profile: { type: 'RuntimeDefault' } },
      build_container_security_context: { capabilities: { drop: ['ALL'] }, read_only_root_filesystem: false },
      autoscaler: { max_pause_pods: 2, policy: [{ idle_count: 1, idle_time: '20m', scale_factor: 0.5 }] },
    };
    expect(kubernetesOf(() => ({ extraConfig }))).toEqual(expect.objectContaining(extraConfig));
  });

  test('well-typed values are rendered as given', () => {
    const extraConfig = {
      poll_interval: 5,
      print_pod_warning_events: true,
      cap_add: ['NET_ADMIN'],
      retry_limits: { TLS_HANDSHAKE_TIMEOUT: 5 },
      cleanup_resources_timeout: '5m',
      scheduler_name: 'ci',
      affinity: {},
      host_aliases: [{ ip: '10.0.0.1', hostnames: ['a'] }],
    };
    expect(kubernetesOf(() => ({ extraConfig }))).toEqual(expect.objectContaining(extraConfig));
  });

  test('empty values are refused', () => {
    expect(fields(() => ({ extraConfig: { scheduler_name: undefined, runtime_class_name: null } }))).toEqual(['extraConfig.scheduler_name', 'extraConfig.runtime_class_name']);
  });
});
