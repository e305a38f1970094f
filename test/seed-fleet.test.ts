import { Testing } from 'cdk8s';
import { parse } from 'smol-toml';
import { seedFleet } from '../examples/seed-fleet/fleet';
import { RunnerManager } from '../src';

// The seed documents' fleet (../shared/docs/domain.md): the snapshots are for review, the assertions pin the facts.

function build() {
  const chart = seedFleet(Testing.app());
  const manager = chart.node.findAll().find((c): c is RunnerManager => c instanceof RunnerManager)!;
  const manifests = Testing.synth(chart);
  const toml = parse(manager.configToml) as any;
  return { chart, manager, manifests, toml, runner: toml.runners[0], k: toml.runners[0].kubernetes };
}

function byKind(manifests: any[], kind: string): any[] {
  return manifests.filter((m) => m.kind === kind);
}

/** Every [path, value] of a JSON-like tree. */
function leaves(value: unknown, at = ''): Array<[string, unknown]> {
  if (Array.isArray(value)) return value.flatMap((v, i) => leaves(v, `${at}[${i}]`));
  if (typeof value === 'object' && value !== null) return Object.entries(value).flatMap(([k, v]) => leaves(v, at ? `${at}.${k}` : k));
  return [[at, value]];
}

describe('seed fleet', () => {
  const { manager, manifests, toml, runner, k } = build();
  const deployment = byKind(manifests, 'Deployment')[0];
  const podSpec = deployment.spec.template.spec;

  test('snapshot of the manifests (for review)', () => {
    expect(manifests).toMatchSnapshot();
  });

  test('snapshot of config.toml (for review)', () => {
    expect(manager.configToml).toMatchSnapshot();
  });

  test('synthesizes exactly the manager objects, in namespace gitlab', () => {
    expect(manifests.map((m) => `${m.kind}/${m.metadata.name}`)).toEqual([
      'ServiceAccount/gitlab-runner', 'Role/gitlab-runner', 'RoleBinding/gitlab-runner', 'ConfigMap/gitlab-runner-config', 'Deployment/gitlab-runner',
      'PodDisruptionBudget/gitlab-runner',
    ]);
    expect(new Set(manifests.map((m) => m.metadata.namespace))).toEqual(new Set(['gitlab']));
  });

  describe('the seed facts', () => {
    test('3 manager replicas with concurrent 10 each', () => {
      expect(deployment.spec.replicas).toBe(3);
      expect(toml.concurrent).toBe(10);
    });

    test('the runner image and the GitLab URL', () => {
      expect(podSpec.containers[0].image).toBe('registry.example.com/gitlab/gitlab-runner:v18.3.0');
      expect(runner.url).toBe('http://gitlab.example.com/');
      expect(runner.executor).toBe('kubernetes');
    });

    test('the DNS block of the seed runner config', () => {
      expect(k.dns_policy).toBe('none');
      expect(k.dns_config).toEqual({
        nameservers: ['10.0.0.2', '10.1.0.251', '10.1.0.252'],
        searches: ['gitlab.svc.cluster.local', 'svc.cluster.local', 'cluster.local'],
        options: [{ name: 'ndots', value: '2' }],
      });
      expect(manager.configToml).toContain('[[runners.kubernetes.dns_config.options]]\nname = "ndots"\nvalue = "2"\n');
    });

    test('the DinD service entry: mirrored image, alias docker, TLS off, private registry', () => {
      expect(k.services).toEqual([{
        name: 'registry.example.com/docker:dind',
        alias: 'docker',
        command: ['--tls=false', '--insecure-registry=private-registry.example.com'],
        environment: ['DOCKER_TLS_CERTDIR=', 'HEALTHCHECK_TCP_PORT=2375'],
      }]);
    });

    test('the build container reaches dockerd at tcp://docker:2375', () => {
      expect(runner.environment).toEqual(['DOCKER_HOST=tcp://docker:2375', 'DOCKER_TLS_CERTDIR=']);
      expect(k.volumes).toBeUndefined();
    });

    test('every resource value of the seed (domain.md §1)', () => {
      expect(k).toMatchObject({
        cpu_request: '500m',
        cpu_limit: '2',
        memory_request: '512Mi',
        memory_limit: '2Gi',
        helper_cpu_limit: '500m',
        helper_memory_limit: '512Mi',
        service_cpu_request: '500m',
        service_cpu_limit: '2',
        service_memory_request: '512Mi',
        service_memory_limit: '2Gi',
      });
      const resourceKeys = Object.keys(k).filter((key) => /(cpu|memory|ephemeral_storage)_(request|limit)/.test(key));
      expect(resourceKeys.sort()).toEqual([
        'cpu_limit', 'cpu_request', 'helper_cpu_limit', 'helper_memory_limit', 'memory_limit', 'memory_request',
        'service_cpu_limit', 'service_cpu_request', 'service_memory_limit', 'service_memory_request',
      ]);
    });

    test('helper image and pull policy', () => {
      expect(k.helper_image).toBe('registry.example.com/gitlab/gitlab-runner-helper:x86_64-v18.3.0');
      expect(k.pull_policy).toEqual(['if-not-present']);
    });

    test('job pods run in the chart namespace', () => {
      expect(k.namespace).toBe('gitlab');
    });
  });

  describe('security', () => {
    test('no Secret is synthesized and config.toml holds only the placeholder the init container replaces', () => {
      expect(byKind(manifests, 'Secret')).toEqual([]);
      expect(runner.token).toBe('written-at-pod-start-from-the-secret');
      expect(byKind(manifests, 'ConfigMap')[0].data['config.toml']).toContain('token = "written-at-pod-start-from-the-secret"');
    });

    test('the token reaches only the init container, from a Secret volume', () => {
      expect(podSpec.containers[0]).not.toHaveProperty('env');
      const secretMentions = leaves(manifests).filter(([, v]) => v === 'gitlab-runner-token').map(([p]) => p);
      expect(secretMentions).toHaveLength(1);
      expect(secretMentions[0]).toMatch(/^\[\d+\]\.spec\.template\.spec\.volumes\[\d\]\.secret\.secretName$/);
      const tokenVolume = podSpec.volumes.find((v: any) => v.secret).name;
      expect(podSpec.initContainers[0].volumeMounts.map((m: any) => m.name)).toContain(tokenVolume);
      expect(podSpec.containers[0].volumeMounts.map((m: any) => m.name)).not.toContain(tokenVolume);
    });

    test('nothing in the output looks like a runner or registration token', () => {
      const strings = leaves(manifests).map(([, v]) => String(v));
      expect(strings.filter((s) => /glrt-|GR1348941|glpat-/.test(s))).toEqual([]);
    });

    test('the Role grants exactly the executor table of facts §4 for the default feature set', () => {
      const role = byKind(manifests, 'Role')[0];
      expect(role.rules).toEqual([
        { apiGroups: [''], resources: ['pods'], verbs: ['create', 'delete', 'get', 'list', 'watch'] },
        { apiGroups: [''], resources: ['pods/exec'], verbs: ['create', 'delete', 'get', 'patch'] },
        { apiGroups: [''], resources: ['pods/attach'], verbs: ['create', 'delete', 'get', 'patch'] },
        { apiGroups: [''], resources: ['pods/log'], verbs: ['get', 'list'] },
        { apiGroups: [''], resources: ['secrets'], verbs: ['create', 'delete', 'get', 'update'] },
        { apiGroups: [''], resources: ['services'], verbs: ['create', 'get'] },
        { apiGroups: [''], resources: ['events'], verbs: ['list'] },
      ]);
      expect(byKind(manifests, 'ClusterRole')).toEqual([]);
    });

    test('every manager container runs non-root, unprivileged, with no capabilities and a read-only root', () => {
      const containers = [...podSpec.initContainers, ...podSpec.containers];
      expect(containers.length).toBe(2);
      for (const c of containers) {
        expect(c.securityContext).toEqual({
          allowPrivilegeEscalation: false, privileged: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] },
        });
      }
      expect(podSpec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 999, fsGroup: 999, seccompProfile: { type: 'RuntimeDefault' } });
    });

    test('no hostPath, host network or host PID anywhere', () => {
      const paths = leaves(manifests).map(([p]) => p);
      expect(paths.filter((p) => /hostPath|hostNetwork|hostPID|hostIPC/.test(p))).toEqual([]);
    });

    test('privileged appears in config.toml only for service containers, never pod-wide', () => {
      const privileged = leaves(toml).filter(([p]) => /(^|\.)privileged$/.test(p));
      expect(privileged).toEqual([['runners[0].kubernetes.service_container_security_context.privileged', true]]);
      expect(k.privileged).toBeUndefined();
      // And in the text: the one privileged line sits under the service containers' table header.
      let header = '';
      const headers: string[] = [];
      for (const line of manager.configToml.split('\n')) {
        if (line.startsWith('[')) header = line;
        if (/^\s*privileged\s*=/.test(line)) headers.push(header);
      }
      expect(headers).toEqual(['[runners.kubernetes.service_container_security_context]']);
    });
  });
});
