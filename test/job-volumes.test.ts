import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import { parse as parseToml } from 'smol-toml';
import {
  DindService, EmptyDirMedium, JobPodTemplate, JobPodTemplateProps, JobService, JobVolume, PvcAccessMode, RunnerManager, RunnerManagerProps,
  RunnerToken, SeccompProfileType,
} from '../src';
import { budget as capacityBudget, jobPod as capacityJobPod, manager as capacityManager, pool as capacityPool } from './capacity-fixtures';
import { declaredAny } from './declared';
import { helmTemplate, requireRealHelm } from './helm-binary';
import { findManifestProblems } from './k8s-schema';
import { decode, decoderAvailable, DECODER_VERSIONS } from './runner-decode';
import { evaluateBudget, podShape } from '../src/internal/capacity/evaluate';
import { capacityFindings } from '../src/internal/capacity/findings';
import { renderRunnersToml } from '../src/internal/render/config-toml';
import { renderHelmValues } from '../src/internal/render/helm-values';
import { evaluateRules } from '../src/internal/rules/catalogue';
import { Finding, FleetConfigError } from '../src/model/finding';

// Typed job-pod volumes and security contexts (issue #15): what config.toml, the preview pod and the Helm values say,
// checked against GitLab Runner's own decoder (18.3.0, 18.9.0, 19.4.0), the Kubernetes schema and the real chart;
// the rules about them; and every bad input refused with path, field and fix.

type Obj = Record<string, any>;
const image = (v: string) => `registry.example.com/gitlab/gitlab-runner:alpine-v${v}`;

/** Every volume kind; `nfs` (19.0.0) last. */
function allVolumes(withNfs: boolean): JobVolume[] {
  return [
    JobVolume.emptyDir({ name: 'scratch', mountPath: '/scratch', medium: EmptyDirMedium.MEMORY, sizeLimit: '512Mi' }),
    JobVolume.persistentVolumeClaim({ claimName: 'ci-cache', mountPath: '/cache', subPath: 'jobs', accessMode: PvcAccessMode.READ_WRITE_MANY }),
    JobVolume.secret({ name: 'registry-ca', mountPath: '/etc/registry-ca', items: { 'ca.crt': 'ca.crt' }, readOnly: true }),
    JobVolume.configMap({ name: 'ci-tools', mountPath: '/opt/tools', items: { 'run.sh': 'bin/run.sh' } }),
    JobVolume.hostPath({ name: 'ccache', hostPath: '/var/cache/ccache', mountPath: '/ccache' }),
    JobVolume.csi({ name: 'vault', driver: 'secrets-store.csi.k8s.io', mountPath: '/mnt/secrets', readOnly: true, volumeAttributes: { secretProviderClass: 'ci' } }),
    ...(withNfs ? [JobVolume.nfs({ name: 'artifacts', server: 'nfs.example.com', path: '/exports/ci', mountPath: '/artifacts', readOnly: true })] : []),
  ];
}

/** Every typed security context; seccomp profiles (18.11.0) only when `seccomp`. */
function allSecurity(seccomp: boolean): Partial<JobPodTemplateProps> {
  return {
    podSecurityContext: {
      runAsUser: 1000,
      runAsGroup: 1000,
      runAsNonRoot: true,
      fsGroup: 2000,
      supplementalGroups: [3000],
      ...(seccomp ? { seccompProfile: { type: SeccompProfileType.RUNTIME_DEFAULT } } : {}),
    },
    buildSecurityContext: {
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: false,
      capabilities: { drop: ['ALL'] },
      ...(seccomp ? { seccompProfile: { type: SeccompProfileType.LOCALHOST, localhostProfile: 'profiles/ci.json' } } : {}),
    },
    helperSecurityContext: { runAsUser: 1001, capabilities: { add: ['CHOWN'], drop: ['ALL'] } },
    // The DinD daemon runs as root: the service containers opt out of the pod's runAsNonRoot.
    serviceSecurityContext: { runAsUser: 0, runAsNonRoot: false, capabilities: { add: ['NET_ADMIN'] } },
  };
}

interface Built {
  readonly chart: Chart;
  readonly manager: RunnerManager;
  readonly job: JobPodTemplate;
  readonly findings: () => Finding[];
}

function build(version: string, job: Partial<JobPodTemplateProps>, options: { dind?: boolean; manager?: Partial<RunnerManagerProps> } = {}): Built {
  const chart = new Chart(Testing.app(), 'ci', { namespace: 'ci' });
  const services = options.dind ? [new DindService(chart, 'Dind', { mtu: 1450 })] : [];
  const jobs = new JobPodTemplate(chart, 'Jobs', {
    buildResources: { cpu: { request: '1', limit: '2' }, memory: { request: '1Gi', limit: '2Gi' } },
    helper: { resources: { cpu: { request: '100m', limit: '500m' }, memory: { request: '256Mi', limit: '512Mi' } } },
    services,
    ...job,
  });
  const manager = new RunnerManager(chart, 'Runner', {
    gitlabUrl: 'https://gitlab.example.com/', token: RunnerToken.fromSecret('runner', 'runner-token'), jobPod: jobs, image: image(version), concurrent: 1, ...options.manager,
  });
  return { chart, manager, job: jobs, findings: () => evaluateRules({ manager: manager._toModel() }) };
}

const kubernetes = (m: RunnerManager): Obj => (parseToml(m.configToml) as Obj).runners[0].kubernetes;

describe('config.toml in the runner\'s spelling', () => {
  test('every volume kind, in declaration order per kind, after the escape hatch\'s and before the DinD certificates', () => {
    const { manager } = build('19.4.0', {
      volumes: allVolumes(true),
      extraConfig: { volumes: { empty_dir: [{ name: 'tmp', mount_path: '/tmp' }] } },
    }, { dind: true });
    expect(kubernetes(manager).volumes).toEqual({
      empty_dir: [
        { name: 'tmp', mount_path: '/tmp' },
        { name: 'scratch', mount_path: '/scratch', medium: 'Memory', size_limit: '512Mi' },
        { name: 'docker-certs', mount_path: '/certs/client', medium: 'Memory', size_limit: '16Mi' },
      ],
      pvc: [{ name: 'ci-cache', mount_path: '/cache', sub_path: 'jobs' }],
      secret: [{ name: 'registry-ca', mount_path: '/etc/registry-ca', read_only: true, items: { 'ca.crt': 'ca.crt' } }],
      config_map: [{ name: 'ci-tools', mount_path: '/opt/tools', items: { 'run.sh': 'bin/run.sh' } }],
      host_path: [{ name: 'ccache', mount_path: '/ccache', host_path: '/var/cache/ccache' }],
      csi: [{ name: 'vault', mount_path: '/mnt/secrets', driver: 'secrets-store.csi.k8s.io', read_only: true, volume_attributes: { secretProviderClass: 'ci' } }],
      nfs: [{ name: 'artifacts', mount_path: '/artifacts', server: 'nfs.example.com', path: '/exports/ci', read_only: true }],
    });
  });

  test('the security contexts, with the DindService\'s privileged kept on the service containers', () => {
    const k = kubernetes(build('19.4.0', allSecurity(true), { dind: true }).manager);
    expect(k.pod_security_context).toEqual({ fs_group: 2000, run_as_group: 1000, run_as_non_root: true, run_as_user: 1000, supplemental_groups: [3000], seccomp_profile: { type: 'RuntimeDefault' } });
    expect(k.build_container_security_context).toEqual({
      capabilities: { drop: ['ALL'] }, read_only_root_filesystem: false, allow_privilege_escalation: false, seccomp_profile: { type: 'Localhost', localhost_profile: 'profiles/ci.json' },
    });
    expect(k.helper_container_security_context).toEqual({ capabilities: { add: ['CHOWN'], drop: ['ALL'] }, run_as_user: 1001 });
    expect(k.service_container_security_context).toEqual({ privileged: true, capabilities: { add: ['NET_ADMIN'] }, run_as_user: 0, run_as_non_root: false });
  });

  test('without typed props the table is what it was: the DindService alone makes services privileged', () => {
    const k = kubernetes(build('19.4.0', {}, { dind: true }).manager);
    expect(k.service_container_security_context).toEqual({ privileged: true });
    expect(k).not.toHaveProperty('pod_security_context');
    expect(k.volumes).toEqual({ empty_dir: [{ name: 'docker-certs', mount_path: '/certs/client', medium: 'Memory', size_limit: '16Mi' }] });
  });
});

describe('the job pod preview', () => {
  const { job, manager } = build('19.4.0', { volumes: allVolumes(true), ...allSecurity(true) }, { dind: true });
  const pod = job.previewPod(manager._toModel().environment) as Obj;
  const container = (name: string) => [...pod.spec.initContainers, ...pod.spec.containers].find((c: Obj) => c.name === name);

  test('is schema-valid, unknown fields refused', () => {
    expect(findManifestProblems([pod as any])).toEqual([]);
  });

  test('draws every volume in the runner\'s order, CSI and NFS as the runner sends them', () => {
    expect(pod.spec.volumes.map((v: Obj) => v.name)).toEqual(['ccache', 'registry-ca', 'ci-cache', 'ci-tools', 'scratch', 'docker-certs', 'vault', 'artifacts', 'repo', 'scripts', 'logs']);
    const byName = (n: string) => pod.spec.volumes.find((v: Obj) => v.name === n);
    expect(byName('vault')).toEqual({ name: 'vault', csi: { driver: 'secrets-store.csi.k8s.io', fsType: '', readOnly: true, volumeAttributes: { secretProviderClass: 'ci' } } });
    expect(byName('artifacts')).toEqual({ name: 'artifacts', nfs: { server: 'nfs.example.com', path: '/exports/ci', readOnly: true } });
    expect(byName('scratch')).toEqual({ name: 'scratch', emptyDir: { medium: 'Memory', sizeLimit: '512Mi' } });
    expect(byName('ci-cache')).toEqual({ name: 'ci-cache', persistentVolumeClaim: { claimName: 'ci-cache' } });
    expect(container('build').volumeMounts).toContainEqual({ name: 'ci-cache', mountPath: '/cache', subPath: 'jobs' });
    expect(container('build').volumeMounts).toContainEqual({ name: 'artifacts', mountPath: '/artifacts', readOnly: true });
    expect(pod.notPreviewed).toBeUndefined();
  });

  test('a claim mounted twice is one volume with two mounts, as the runner builds it', () => {
    const twice = build('19.4.0', {
      volumes: [
        JobVolume.persistentVolumeClaim({ claimName: 'cache', mountPath: '/a' }), JobVolume.persistentVolumeClaim({ claimName: 'cache', mountPath: '/b', subPath: 'b' }),
      ],
    });
    const p = twice.job.previewPod() as Obj;
    expect(findManifestProblems([p as any])).toEqual([]);
    expect(p.spec.volumes.filter((v: Obj) => v.name === 'cache')).toEqual([{ name: 'cache', persistentVolumeClaim: { claimName: 'cache' } }]);
    expect(p.spec.containers[0].volumeMounts.filter((m: Obj) => m.name === 'cache')).toEqual([{ name: 'cache', mountPath: '/a' }, { name: 'cache', mountPath: '/b', subPath: 'b' }]);
  });

  test('shows the security contexts, seccomp included', () => {
    expect(pod.spec.securityContext).toEqual({ fsGroup: 2000, runAsGroup: 1000, runAsNonRoot: true, runAsUser: 1000, supplementalGroups: [3000], seccompProfile: { type: 'RuntimeDefault' } });
    expect(container('build').securityContext).toEqual({ capabilities: { drop: ['ALL'] }, allowPrivilegeEscalation: false, readOnlyRootFilesystem: false, seccompProfile: { type: 'Localhost', localhostProfile: 'profiles/ci.json' } });
    expect(container('helper').securityContext).toEqual({ capabilities: { add: ['CHOWN'], drop: ['ALL'] }, runAsUser: 1001 });
    expect(container('docker').securityContext).toEqual({ capabilities: { add: ['NET_ADMIN'], drop: ['NET_RAW'] }, privileged: true, runAsUser: 0, runAsNonRoot: false });
    expect(container('init-permissions').securityContext).toEqual({ capabilities: { drop: ['NET_RAW'] } });
  });
});

describe('capacity: a memory-backed emptyDir (checked by hand)', () => {
  // Kubernetes places pods by their containers' requests; the tmpfs of a memory-medium emptyDir is charged to the
  // memory cgroup of the container that writes it (so to its limit), and the scheduler reserves nothing for it.
  test('the pod\'s request and limit are the containers\' sums, unchanged by the volume', () => {
    const { manager } = build('19.4.0', { volumes: [JobVolume.emptyDir({ name: 'scratch', mountPath: '/scratch', medium: EmptyDirMedium.MEMORY, sizeLimit: '1536Mi' })] });
    const shape = podShape(manager._toModel().jobPod, { runtimeClasses: {} });
    const mi = 1024n * 1024n * 1_000_000_000n;
    // build 1Gi + helper 256Mi = 1280Mi requested; 2Gi + 512Mi = 2560Mi limit (init-permissions 256Mi/512Mi is below both).
    expect(shape.request.memory).toBe(1280n * mi);
    expect(shape.limit.memory).toBe(2560n * mi);
  });

  test.each([
    ['512Mi', undefined],
    ['1Gi', undefined],
    ['1536Mi', 'may hold 1536Mi, but the build container requests only 1Gi: the scheduler does not reserve tmpfs'],
    ['2Gi', "may hold 2Gi, but the build container's memory limit is 2Gi"],
    ['3Gi', "may hold 3Gi, but the build container's memory limit is 2Gi"],
  ])('sizeLimit %s against build request 1Gi, limit 2Gi', (size, expected) => {
    const { findings } = build('19.4.0', { volumes: [JobVolume.emptyDir({ name: 'scratch', mountPath: '/scratch', medium: EmptyDirMedium.MEMORY, sizeLimit: size })] });
    const vol003 = findings().filter((f) => f.ruleId === 'VOL003');
    if (expected === undefined) {
      expect(vol003).toEqual([]);
    } else {
      expect(vol003).toEqual([expect.objectContaining({ path: 'ci/Jobs', field: 'volumes[0]', message: expect.stringContaining(expected) })]);
    }
  });

  // One node of 8 CPU and 8Gi. The pod requests build 1 CPU/1Gi + helper 100m/256Mi = 1.1 CPU, 1280Mi (init-permissions
  // takes the helper's, below the sum), so a node takes floor(8Gi / 1280Mi) = 6 pods (CPU would allow 7).
  const tmpfsFindings = (size: string, buildLimit = '4Gi') => {
    const job = capacityJobPod({
      build: { cpu: { request: '1' }, memory: { request: '1Gi', limit: buildLimit } },
      helper: { cpu: { request: '100m' }, memory: { request: '256Mi', limit: '512Mi' } },
      extraConfig: { volumes: { empty_dir: [{ name: 'scratch', mount_path: '/scratch', medium: 'Memory', size_limit: size }] } },
    });
    const managers = [capacityManager({ concurrent: 6, jobPod: job })];
    return capacityFindings(evaluateBudget(capacityBudget([capacityPool({ cpu: '8', memory: '8Gi', nodes: 1 })]), managers), managers).filter((f) => f.ruleId === 'CAP014');
  };

  test('CAP014: 6 pods per node by requests, each using 1280Mi + 2Gi = 3328Mi with its tmpfs full: 19968Mi of 8Gi', () => {
    expect(tmpfsFindings('2Gi')).toEqual([expect.objectContaining({
      path: 'test/Jobs',
      field: 'volumes',
      message: "a node of pool 'workers' takes 6 job pods by their requests (memory 1.25Gi each); a job that fills its memory-backed volumes (2Gi) uses 3.25Gi, so 6 such jobs use 19.5Gi of the node's 8Gi free memory, and the kubelet evicts pods under memory pressure.",
    })]);
  });

  test('CAP014: the pod\'s memory limit (1.5Gi + 512Mi = 2Gi) caps what one job can use', () => {
    expect(tmpfsFindings('2Gi', '1536Mi')[0].message).toContain('uses 2Gi, so 6 such jobs use 12Gi');
  });

  test('CAP014 stays quiet while 6 x (1280Mi + 64Mi) = 8064Mi fits the node\'s 8192Mi', () => {
    expect(tmpfsFindings('64Mi')).toEqual([]);
    expect(tmpfsFindings('128Mi')[0].message).toContain('6 such jobs use 8.25Gi');
  });

  test('a disk-backed emptyDir is not memory, and one without sizeLimit is RES008\'s, at its typed field', () => {
    const disk = build('19.4.0', { volumes: [JobVolume.emptyDir({ name: 'scratch', mountPath: '/scratch', sizeLimit: '8Gi' })] }).findings();
    expect(disk.filter((f) => f.ruleId === 'VOL003' || f.ruleId === 'RES008')).toEqual([]);
    const unbounded = build('19.4.0', { volumes: [JobVolume.emptyDir({ name: 'scratch', mountPath: '/scratch', medium: EmptyDirMedium.MEMORY })] }).findings();
    expect(unbounded.filter((f) => f.ruleId === 'RES008')).toEqual([expect.objectContaining({ field: 'volumes[0].size_limit', message: expect.stringContaining("'scratch' is memory-backed with no size_limit") })]);
  });
});

describe('rules', () => {
  const ids = (b: Built, id: string) => b.findings().filter((f) => f.ruleId === id);

  test('VOL001: the node\'s Docker socket, or a directory holding it, through a hostPath', () => {
    for (const hostPath of ['/var/run/docker.sock', '/var/run', '/run']) {
      const b = build('19.4.0', { volumes: [JobVolume.hostPath({ name: 'docker', hostPath, mountPath: '/var/run/docker.sock' })] });
      expect(ids(b, 'VOL001')).toEqual([expect.objectContaining({ path: 'ci/Jobs', field: 'volumes[0]', message: expect.stringContaining(`mounts ${hostPath}, the node's Docker socket`) })]);
    }
    const escapeHatch = build('19.4.0', { extraConfig: { volumes: { host_path: [{ name: 'docker', mount_path: '/var/run/docker.sock' }] } } });
    expect(ids(escapeHatch, 'VOL001')).toEqual([expect.objectContaining({ field: 'extraConfig.volumes.host_path[0]' })]);
    expect(ids(build('19.4.0', { volumes: [JobVolume.hostPath({ name: 'ccache', hostPath: '/var/run-cache', mountPath: '/ccache' })] }), 'VOL001')).toEqual([]);
  });

  test('VOL002: a ReadWriteOnce (or undeclared) claim and several jobs at once', () => {
    const claim = (accessMode?: PvcAccessMode) => [JobVolume.persistentVolumeClaim({ claimName: 'cache', mountPath: '/cache', accessMode })];
    expect(ids(build('19.4.0', { volumes: claim() }, { manager: { concurrent: 4 } }), 'VOL002'))
      .toEqual([expect.objectContaining({ field: 'volumes[0]', message: expect.stringContaining("'cache' is ReadWriteOnce, but ci/Runner runs up to 4 jobs at once") })]);
    expect(ids(build('19.4.0', { volumes: claim(PvcAccessMode.READ_WRITE_ONCE_POD) }, { manager: { concurrent: 2, replicas: 2 } }), 'VOL002')[0].message).toContain('up to 4 jobs at once');
    expect(ids(build('19.4.0', { volumes: claim(PvcAccessMode.READ_WRITE_MANY) }, { manager: { concurrent: 4 } }), 'VOL002')).toEqual([]);
    expect(ids(build('19.4.0', { volumes: claim() }, { manager: { concurrent: 1 } }), 'VOL002')).toEqual([]);
  });

  test('SEC003: privileged outside the DinD service', () => {
    expect(ids(build('19.4.0', { buildSecurityContext: { privileged: true } }), 'SEC003'))
      .toEqual([expect.objectContaining({ path: 'ci/Jobs', field: 'buildSecurityContext.privileged', message: expect.stringContaining('build container') })]);
    expect(ids(build('19.4.0', { serviceSecurityContext: { privileged: true } }), 'SEC003')).toEqual([expect.objectContaining({ field: 'serviceSecurityContext.privileged' })]);
    expect(ids(build('19.4.0', { extraConfig: { helper_container_security_context: { privileged: true } } }), 'SEC003'))
      .toEqual([expect.objectContaining({ field: 'extraConfig.helper_container_security_context.privileged' })]);
    expect(ids(build('19.4.0', {}, { dind: true }), 'SEC003')).toEqual([]);
  });

  test('VER001 names the typed prop of a key the manager\'s runner does not know', () => {
    const b = build('18.9.0', { volumes: allVolumes(true), ...allSecurity(true) });
    expect(ids(b, 'VER001').map((f) => [f.field, /added in (\d+\.\d+\.\d+)/.exec(f.message)?.[1]])).toEqual([
      ['podSecurityContext.seccompProfile', '18.11.0'],
      ['buildSecurityContext.seccompProfile', '18.11.0'],
      ['volumes[6]', '19.0.0'],
    ]);
  });
});

describe('bad input: refused with path, field, what is wrong and the fix', () => {
  const rows: Array<[string, Partial<JobPodTemplateProps>, string, string, string]> = [
    ['volumes not a list', { volumes: 'x' as any }, 'volumes', "'x' is not a list of volumes", 'JobVolume.emptyDir'],
    ['a plain object for a volume', { volumes: [{ name: 'x' } as any] }, 'volumes[0]', 'is not a JobVolume', 'JobVolume factories'],
    ['a volume name that is no DNS label', { volumes: [JobVolume.emptyDir({ name: 'Scratch', mountPath: '/s' })] }, 'volumes[0].name', "'Scratch' is not a DNS-1123 label", "e.g. 'cache'"],
    ['a claim name with a dot', { volumes: [JobVolume.persistentVolumeClaim({ claimName: 'ci.cache', mountPath: '/c' })] }, 'volumes[0].claimName', 'names the pod\'s volume after the claim', 'lower-case'],
    ['two volumes of one name', { volumes: [JobVolume.emptyDir({ name: 'a', mountPath: '/a' }), JobVolume.hostPath({ name: 'a', mountPath: '/b' })] }, 'volumes[1].name', "'a' is also used by volumes[0]", 'its own name'],
    ['a name the escape hatch uses', { volumes: [JobVolume.emptyDir({ name: 'a', mountPath: '/a' })], extraConfig: { volumes: { empty_dir: [{ name: 'a', mount_path: '/b' }] } } }, 'volumes[0].name', 'also used by extraConfig.volumes.empty_dir[0]', 'its own name'],
    ['the runner\'s own volume name', { volumes: [JobVolume.emptyDir({ name: 'scripts', mountPath: '/x' })] }, 'volumes[0].name', "already adds a volume named 'scripts'", 'pick another name'],
    ['a relative mount path', { volumes: [JobVolume.emptyDir({ name: 'a', mountPath: 'cache' })] }, 'volumes[0].mountPath', "'cache' is relative", "'/cache'"],
    ['the root as mount path', { volumes: [JobVolume.emptyDir({ name: 'a', mountPath: '/' })] }, 'volumes[0].mountPath', "'/' would hide", 'below the root'],
    ['a runner scripts directory', { volumes: [JobVolume.emptyDir({ name: 'a', mountPath: '/scripts-12-345' })] }, 'volumes[0].mountPath', "runner's per-job directories", 'mount elsewhere'],
    ['a logs directory inside', { volumes: [JobVolume.emptyDir({ name: 'a', mountPath: '/logs-1-2/x' })] }, 'volumes[0].mountPath', "runner's per-job directories", 'mount elsewhere'],
    ['a Secret over /builds', { volumes: [JobVolume.secret({ name: 'a', mountPath: '/builds' })] }, 'volumes[0].mountPath', 'a Secret volume is always read-only', 'make it writable'],
    ['a read-only claim over /builds', { volumes: [JobVolume.persistentVolumeClaim({ claimName: 'a', mountPath: '/builds', readOnly: true })] }, 'volumes[0].readOnly', 'mounted read-only', 'make it writable'],
    ['two mounts at one path', { volumes: [JobVolume.emptyDir({ name: 'a', mountPath: '/x' }), JobVolume.emptyDir({ name: 'b', mountPath: '/x' })] }, 'volumes[1].mountPath', "'/x' is also the mount path of volumes[0]", 'its own mount path'],
    ['a size that does not parse', { volumes: [JobVolume.emptyDir({ name: 'a', mountPath: '/a', sizeLimit: '1 GB' })] }, 'volumes[0].sizeLimit', "'1 GB' is not a Kubernetes quantity; the runner logs a warning and drops the size limit", "'512Mi'"],
    ['a zero size', { volumes: [JobVolume.emptyDir({ name: 'a', mountPath: '/a', sizeLimit: '0' })] }, 'volumes[0].sizeLimit', 'leaves the volume no room', 'positive size'],
    ['an unknown medium', { volumes: [JobVolume.emptyDir({ name: 'a', mountPath: '/a', medium: 'memory' as any })] }, 'volumes[0].medium', "'memory' is not an emptyDir medium", 'EmptyDirMedium.MEMORY'],
    ['an item path outside the volume', { volumes: [JobVolume.configMap({ name: 'a', mountPath: '/a', items: { k: '../etc/passwd' } })] }, 'volumes[0].items.k', 'is not a relative path inside the volume', "without '..'"],
    ['a relative host path', { volumes: [JobVolume.hostPath({ name: 'a', mountPath: '/a', hostPath: 'var/cache' })] }, 'volumes[0].hostPath', "'var/cache' is not an absolute path", "'/var/cache'"],
    ['a CSI volume without driver', { volumes: [JobVolume.csi({ name: 'a', mountPath: '/a', driver: '' })] }, 'volumes[0].driver', 'is not a CSI driver name', 'secrets-store.csi.k8s.io'],
    ['an NFS volume without server', { volumes: [JobVolume.nfs({ name: 'a', mountPath: '/a', server: undefined as any, path: '/x' })] }, 'volumes[0].server', 'undefined is not an NFS server', 'nfs.example.com'],
    ['a relative NFS path', { volumes: [JobVolume.nfs({ name: 'a', mountPath: '/a', server: 'nfs', path: 'x' })] }, 'volumes[0].path', "'x' is not an absolute path", "'/x'"],
    ['an escape-hatch volume at a relative path', { extraConfig: { volumes: { empty_dir: [{ name: 'a', mount_path: 'cache' }] } } }, 'extraConfig.volumes.empty_dir[0].mount_path', "'cache' is relative", "'/cache'"],
    ['an escape-hatch Secret over /builds', { extraConfig: { volumes: { secret: [{ name: 'a', mount_path: '/builds' }] } } }, 'extraConfig.volumes.secret[0].mount_path', 'always read-only', 'make it writable'],
    ['two escape-hatch volumes of one name', { extraConfig: { volumes: { empty_dir: [{ name: 'a', mount_path: '/a' }], host_path: [{ name: 'a', mount_path: '/b' }] } } }, 'extraConfig.volumes.host_path[0].name', "'a' is also used by extraConfig.volumes.empty_dir[0]", 'its own name'],
    ['a typed volume on an escape-hatch path', { volumes: [JobVolume.emptyDir({ name: 'b', mountPath: '/a' })], extraConfig: { volumes: { empty_dir: [{ name: 'a', mount_path: '/a' }] } } }, 'volumes[0].mountPath', "'/a' is also the mount path of extraConfig.volumes.empty_dir[0]", 'its own mount path'],
    ['a user id beyond int32', { podSecurityContext: { runAsUser: 2 ** 31 } }, 'podSecurityContext.runAsUser', '2147483648 is not a Kubernetes user or group id', 'from 0 to 2147483647'],
    ['a negative group', { buildSecurityContext: { runAsGroup: -1 } }, 'buildSecurityContext.runAsGroup', '-1 is not a Kubernetes user or group id', 'e.g. 1000'],
    ['a capability with a space', { helperSecurityContext: { capabilities: { add: ['NET ADMIN'] } } }, 'helperSecurityContext.capabilities.add[0]', "'NET ADMIN' is not a Linux capability name", 'NET_ADMIN'],
    ['a Localhost seccomp profile without its file', { buildSecurityContext: { seccompProfile: { type: SeccompProfileType.LOCALHOST } } }, 'buildSecurityContext.seccompProfile.localhostProfile', 'the runner drops the profile', 'profiles/ci.json'],
    ['a seccomp type in the wrong case', { podSecurityContext: { seccompProfile: { type: 'runtimedefault' as any } } }, 'podSecurityContext.seccompProfile.type', "'runtimedefault' is not a seccomp profile type", 'RUNTIME_DEFAULT'],
    ['root with runAsNonRoot', { podSecurityContext: { runAsNonRoot: true }, buildSecurityContext: { runAsUser: 0 } }, 'buildSecurityContext.runAsUser', 'the kubelet refuses to start it', 'non-zero id'],
    ['a context set twice', { podSecurityContext: { runAsUser: 1000 }, extraConfig: { pod_security_context: { run_as_user: 1000 } } }, 'podSecurityContext', "'pod_security_context' is set both by podSecurityContext and in extraConfig", 'set it once'],
  ];
  test.each(rows)('%s', (_what, props, field, value, fix) => {
    const chart = new Chart(Testing.app(), 'test', { namespace: 'ci' });
    let error: unknown;
    try {
      declaredAny(() => new JobPodTemplate(chart, 'Jobs', props));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(FleetConfigError);
    const findings = (error as FleetConfigError).findings;
    expect(findings).toEqual([expect.objectContaining({ ruleId: 'JOB', path: 'test/Jobs', field, message: expect.stringContaining(value), fix: expect.stringContaining(fix) })]);
  });

  test('a volume on the DinD certificates\' name or path, and privileged: false against a DindService', () => {
    const chart = new Chart(Testing.app(), 'test', { namespace: 'ci' });
    const dind = new DindService(chart, 'Dind');
    const attempt = () => new JobPodTemplate(chart, 'Jobs', {
      services: [dind],
      volumes: [JobVolume.emptyDir({ name: 'docker-certs', mountPath: '/a' }), JobVolume.emptyDir({ name: 'b', mountPath: '/certs/client' })],
      serviceSecurityContext: { privileged: false },
    });
    let error: unknown;
    try {
      declaredAny(attempt);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(FleetConfigError);
    {
      expect((error as FleetConfigError).findings.map((f) => [f.field, f.message])).toEqual([
        ['volumes[0].name', expect.stringContaining("'docker-certs' is also used by test/Dind (its docker-certs volume)")],
        ['volumes[1].mountPath', expect.stringContaining("'/certs/client' is also the mount path of test/Dind")],
        ['serviceSecurityContext.privileged', expect.stringContaining('dockerd fails')],
      ]);
    }
  });

  test('a credential in a volume\'s strings is refused (SEC002) and reaches no output', () => {
    const key = 'AKIAIOSFODNN7EXAMPLE';
    const chart = new Chart(Testing.app(), 'test', { namespace: 'ci' });
    let error: unknown;
    try {
      declaredAny(() => new JobPodTemplate(chart, 'Jobs', { volumes: [JobVolume.csi({ name: 'vault', driver: 'secrets-store.csi.k8s.io', mountPath: '/s', volumeAttributes: { accessKey: key } })] }));
    } catch (e) {
      error = e;
    }
    expect((error as FleetConfigError).findings).toEqual([expect.objectContaining({ ruleId: 'SEC002', field: 'volumes[0].volumeAttributes.accessKey' })]);
    expect((error as FleetConfigError).message).not.toContain(key);
  });

  test('what works is accepted: a claim mounted twice, a writable claim over /builds with the name repo', () => {
    const chart = new Chart(Testing.app(), 'test', { namespace: 'ci' });
    expect(() => declaredAny(() => new JobPodTemplate(chart, 'A', {
      volumes: [
        JobVolume.persistentVolumeClaim({ claimName: 'cache', mountPath: '/a' }), JobVolume.persistentVolumeClaim({ claimName: 'cache', mountPath: '/b', subPath: 'b' }),
      ],
    }))).not.toThrow();
    expect(() => declaredAny(() => new JobPodTemplate(chart, 'B', { volumes: [JobVolume.persistentVolumeClaim({ claimName: 'repo', mountPath: '/builds' })] }))).not.toThrow();
  });
});

describe('service aliases: the runner splits alias on commas and spaces', () => {
  test('a comma-separated alias is accepted and each part is a host name; a bad part is refused', () => {
    const chart = new Chart(Testing.app(), 'test', { namespace: 'ci' });
    const db = new JobService(chart, 'Db', { image: 'postgres:16', alias: 'db,postgres' });
    const job = new JobPodTemplate(chart, 'Jobs', { services: [db] });
    const pod = job.previewPod() as Obj;
    expect(pod.spec.hostAliases).toEqual([{ ip: '127.0.0.1', hostnames: ['postgres', 'db', 'postgres'] }]);
    expect(pod.spec.containers.map((c: Obj) => c.name)).toContain('db');
    expect(() => declaredAny(() => new JobService(chart, 'Bad', { image: 'postgres:16', alias: 'db,Post_gres' }))).toThrow(/'Post_gres' of the aliases 'db,Post_gres' is not a DNS-1123 label/);
  });

  test('two services sharing one of their aliases collide; a DindService takes exactly one alias', () => {
    const chart = new Chart(Testing.app(), 'test', { namespace: 'ci' });
    const a = new JobService(chart, 'A', { image: 'postgres:16', alias: 'db postgres' });
    const b = new JobService(chart, 'B', { image: 'mysql:8', alias: 'mysql,db' });
    expect(() => declaredAny(() => new JobPodTemplate(chart, 'Jobs', { services: [a, b] }))).toThrow(/services\[1\]\.alias: alias 'db' is used by test\/A too/);
    expect(() => declaredAny(() => new DindService(chart, 'Dind', { alias: 'docker,dind' }))).toThrow(/alias: 'docker,dind' is not one bare alias/);
  });
});

// Throws (the suite fails) in CI when Go or the decoder is missing; elsewhere the checks below are left out with a warning.
if (decoderAvailable(process.env)) {
  describe('GitLab Runner\'s own decoder', () => {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'job-volumes-'));
    /** The typed props each version knows: NFS came with 19.0.0, seccomp profiles with 18.11.0. */
    const props = (v: string): Partial<JobPodTemplateProps> => ({ volumes: allVolumes(v === '19.4.0'), ...allSecurity(v === '19.4.0') });

    test.each(DECODER_VERSIONS.map((v) => [v]))('%s loads every typed prop it knows, config.toml and the Helm template alike, with no problem', (version) => {
      const { manager } = build(version, props(version), { dind: true });
      const file = path.join(work, `typed-${version}.toml`);
      const template = path.join(work, `typed-${version}-template.toml`);
      fs.writeFileSync(file, manager.configToml);
      fs.writeFileSync(template, renderRunnersToml(manager._toModel()));
      const decoded = decode(version, [file]).get(file)!;
      expect(decoded.problems).toEqual([]);
      expect(decoded.result).toContain(' 0 problem(s)');
      expect(decode(version, [template], { template: true }).get(template)!.problems).toEqual([]);
      const k = decoded.view.runners[0].kubernetes;
      expect(k.volumes.csi[0]).toEqual(expect.objectContaining({ name: 'vault', driver: 'secrets-store.csi.k8s.io', read_only: true, volume_attributes: { secretProviderClass: 'ci' } }));
      expect(k.volumes.empty_dir.map((e: Obj) => e.name)).toEqual(['scratch', 'docker-certs']);
      expect(k.pod_security_context).toEqual(expect.objectContaining({ run_as_user: 1000, fs_group: 2000, run_as_non_root: true }));
      expect(k.service_container_security_context).toEqual(expect.objectContaining({ privileged: true, run_as_user: 0 }));
      if (version === '19.4.0') {
        expect(k.volumes.nfs).toEqual([expect.objectContaining({ name: 'artifacts', server: 'nfs.example.com', path: '/exports/ci', read_only: true })]);
        expect(k.build_container_security_context.seccomp_profile).toEqual(expect.objectContaining({ type: 'Localhost', localhost_profile: 'profiles/ci.json' }));
      }
    });

    test.each([['18.3.0'], ['18.9.0']])('%s ignores NFS volumes and seccomp profiles, which VER001 refuses', (version) => {
      const built = build(version, props('19.4.0'));
      const file = path.join(work, `newer-keys-${version}.toml`);
      fs.writeFileSync(file, built.manager.configToml);
      const problems = decode(version, [file]).get(file)!.problems.join('\n');
      expect(problems).toMatch(/UNDECODED runners\.kubernetes\.volumes\.nfs/);
      expect(problems).toMatch(/UNDECODED runners\.kubernetes\.(pod|build)_container_security_context\.seccomp_profile|UNDECODED runners\.kubernetes\.pod_security_context\.seccomp_profile/);
      expect(built.findings().filter((f) => f.ruleId === 'VER001').map((f) => f.field).sort()).toEqual(['buildSecurityContext.seccompProfile', 'podSecurityContext.seccompProfile', 'volumes[6]']);
    });
  });
}

if (requireRealHelm()) {
  describe('the real chart', () => {
    test('renders the same [runners.kubernetes] with every typed prop, and schema-valid objects', () => {
      const { manager } = build('19.4.0', { volumes: allVolumes(true), ...allSecurity(true) }, { dind: true });
      const model = manager._toModel();
      const rendered = helmTemplate(renderHelmValues(model), { releaseName: model.name, namespace: model.namespace });
      expect(findManifestProblems(rendered as any)).toEqual([]);
      const configMap = rendered.find((o) => o.kind === 'ConfigMap')!;
      const chartRunner = (parseToml(configMap.data['config.template.toml']) as Obj).runners[0];
      expect(chartRunner.kubernetes).toEqual(kubernetes(manager));
      expect(Object.keys(chartRunner.kubernetes.volumes).sort()).toEqual(['config_map', 'csi', 'empty_dir', 'host_path', 'nfs', 'pvc', 'secret']);
    });
  });
}
