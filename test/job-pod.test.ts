import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart, Testing } from 'cdk8s';
import { parse } from 'yaml';
import { findManifestProblems } from './k8s-schema';
import { seedFleet } from '../examples/seed-fleet/fleet';
import {
  DindService, DnsConfig, DnsPolicy, FleetSynth, JobPodTemplate, JobPodTemplateProps, JobService, PullPolicy, RunnerManager, RunnerToken,
} from '../src';
import { quietSynth } from './quiet-synth';
import { reviewFiles } from '../src/fleet/review-files';
import { runnerEnvironment } from '../src/internal/render/config-toml';
import { JOB_POD_PREVIEW_FILE, keysNotPreviewed, PREVIEW_POD_NAME, renderJobPod } from '../src/internal/render/job-pod';
import { TaintEffect } from '../src/model/taint-effect';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Pod } = require('kubernetes-models/v1/Pod');

quietSynth();

function schemaValid(pod: any): void {
  expect(() => new Pod(pod).validate()).not.toThrow();
  expect(findManifestProblems([pod])).toEqual([]);
}

function seed() {
  const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'job-pod-')) });
  seedFleet(app);
  const manager = app.node.findAll().find((c): c is RunnerManager => c instanceof RunnerManager)!;
  const jobPod = manager.jobPod;
  const dind = jobPod.services[0] as DindService;
  const pod: any = renderJobPod(jobPod._toModel(), { environment: runnerEnvironment(manager._toModel()), runnerImage: manager._toModel().image });
  return { app, manager, template: jobPod, dind, pod };
}

function template(props: JobPodTemplateProps = {}, build?: (chart: Chart) => Partial<JobPodTemplateProps>): JobPodTemplate {
  const chart = new Chart(Testing.app(), 'ci', { namespace: 'ci' });
  return new JobPodTemplate(chart, 'Jobs', { ...props, ...build?.(chart) });
}

const names = (containers: any[]) => containers.map((c) => c.name);

describe('the seed fleet preview', () => {
  test('validates against the Kubernetes schema', () => {
    schemaValid(seed().pod);
  });

  test('has the executor anatomy: init-permissions, then build, helper and the DinD service named after its alias', () => {
    const { pod, template: t } = seed();
    const helperImage = t._toModel().helper.image;
    expect(pod.spec.initContainers.map((c: any) => [c.name, c.image])).toEqual([['init-permissions', helperImage]]);
    expect(pod.spec.initContainers[0].resources).toEqual({ limits: { cpu: '500m', memory: '512Mi' } });
    expect(pod.spec.initContainers[0].command).toEqual(['sh', '-c', 'touch /logs-0-0/output.log && (chmod 777 /logs-0-0/output.log || exit 0)']);
    expect(names(pod.spec.containers)).toEqual(['build', 'helper', 'docker']);
    expect(pod.spec.containers[1].image).toBe(helperImage);
    expect(pod.spec.containers[1].resources).toEqual(pod.spec.initContainers[0].resources);
    expect(pod.spec.restartPolicy).toBe('Never');
    expect(pod.metadata).toEqual({ name: PREVIEW_POD_NAME, namespace: 'gitlab' });
  });

  test('maps the DinD service to 127.0.0.1 through one hostAliases entry, with the image-derived name the runner keeps', () => {
    const { pod } = seed();
    expect(pod.spec.hostAliases).toEqual([{ ip: '127.0.0.1', hostnames: ['registry.example.com-docker', 'docker'] }]);
  });

  test('carries the pod DNS of the DnsConfig in Kubernetes spelling', () => {
    const { pod } = seed();
    expect(pod.spec.dnsPolicy).toBe('None');
    expect(pod.spec.dnsConfig).toEqual({
      nameservers: ['10.0.0.2', '10.1.0.251', '10.1.0.252'],
      searches: ['gitlab.svc.cluster.local', 'svc.cluster.local', 'cluster.local'],
      options: [{ name: 'ndots', value: '2' }],
    });
  });

  test('makes only the service container privileged, and drops NET_RAW everywhere', () => {
    const { pod } = seed();
    const all = [...pod.spec.initContainers, ...pod.spec.containers];
    expect(all.map((c: any) => [c.name, c.securityContext])).toEqual([
      ['init-permissions', { capabilities: { drop: ['NET_RAW'] } }],
      ['build', { capabilities: { drop: ['NET_RAW'] } }],
      ['helper', { capabilities: { drop: ['NET_RAW'] } }],
      ['docker', { capabilities: { drop: ['NET_RAW'] }, privileged: true }],
    ]);
  });

  test('mounts the same volumes in every container, and declares each of them', () => {
    const { pod } = seed();
    const all = [...pod.spec.initContainers, ...pod.spec.containers];
    const mounts = all.map((c: any) => c.volumeMounts);
    for (const m of mounts) expect(m).toEqual(mounts[0]);
    expect(mounts[0]).toEqual([
      { name: 'scripts', mountPath: '/scripts-0-0' },
      { name: 'logs', mountPath: '/logs-0-0' },
      { name: 'repo', mountPath: '/builds' },
    ]);
    expect(pod.spec.volumes.map((v: any) => v.name).sort()).toEqual(['logs', 'repo', 'scripts']);
  });

  test('gives the build container the DinD client environment, and the service its own variables last', () => {
    const { pod, dind } = seed();
    const env = (name: string) => pod.spec.containers.find((c: any) => c.name === name).env;
    expect(env('build')).toEqual(Object.entries(dind.buildEnvironment).map(([name, value]) => ({ name, value })));
    expect(env('docker').slice(-2)).toEqual([{ name: 'DOCKER_TLS_CERTDIR', value: '' }, { name: 'HEALTHCHECK_TCP_PORT', value: '2375' }]);
    expect(env('helper')).toBeUndefined();
    expect(pod.spec.containers.find((c: any) => c.name === 'docker').args).toEqual(['--tls=false', '--insecure-registry=private-registry.example.com']);
  });

  test('the review file written by synth matches the anatomy (snapshot for review)', () => {
    const { app, pod } = seed();
    FleetSynth.synth(app);
    const text = fs.readFileSync(path.join(app.outdir, JOB_POD_PREVIEW_FILE), 'utf-8');
    expect(parse(text).jobPodPreviews[0].pod).toEqual(pod);
    expect(text).toMatchSnapshot();
  });
});

describe('the preview file', () => {
  function twoTemplates() {
    const chart = new Chart(new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'job-pod-')) }), 'ci', { namespace: 'ci' });
    const a = new JobPodTemplate(chart, 'A', { image: 'alpine:3.20' });
    const b = new JobPodTemplate(chart, 'B', { image: 'node:22' });
    const token = RunnerToken.fromSecret('runner', 'runner-token');
    new RunnerManager(chart, 'One', { gitlabUrl: 'https://gitlab.example.com/', token, jobPod: a, environment: { TEAM: 'one' } });
    new RunnerManager(chart, 'Two', { gitlabUrl: 'https://gitlab.example.com/', token, jobPod: a, environment: { TEAM: 'two' } });
    return { chart, a, b };
  }

  /** The job-pod-preview.yaml FleetSynth writes for the app of `chart`. */
  function preview(chart: Chart): string {
    return reviewFiles(chart.node.root.node.findAll(), []).find((f) => f.file.fileName === 'job-pod-preview.yaml')!.file.content;
  }

  test('cannot be applied: a header says so, and the top level is no Kubernetes object', () => {
    const { chart } = twoTemplates();
    const text = preview(chart);
    expect(text.split('\n')[0]).toMatch(/^# Job pod preview: a REVIEW FILE, NOT A MANIFEST\. Do not apply it\./);
    const doc = parse(text);
    expect(Object.keys(doc)).toEqual(['jobPodPreviews']);
    expect(doc.kind).toBeUndefined();
    expect(doc.apiVersion).toBeUndefined();
  });

  test('covers every template once per manager using it, and a template no manager uses once', () => {
    const { chart, a, b } = twoTemplates();
    const previews = parse(preview(chart)).jobPodPreviews;
    expect(previews.map((p: any) => [p.runnerManager, p.jobPodTemplate])).toEqual([['ci/One', 'ci/A'], ['ci/Two', 'ci/A'], [undefined, 'ci/B']]);
    expect(previews.map((p: any) => p.pod.spec.containers[0].env)).toEqual([[{ name: 'TEAM', value: 'one' }], [{ name: 'TEAM', value: 'two' }], undefined]);
    expect(previews[2].pod.spec.containers[0].image).toBe('node:22');
    // FleetSynth assembles the one preview file at the first template.
    const files = reviewFiles(chart.node.root.node.findAll(), []).filter((f) => f.file.fileName === 'job-pod-preview.yaml');
    expect(files.map((f) => f.source)).toEqual([a]);
    expect(files.some((f) => f.source === b)).toBe(false);
  });

  test('is written beside the manifests by FleetSynth', () => {
    const { chart } = twoTemplates();
    const app = chart.node.root as App;
    expect(FleetSynth.synth(app).written).toBe(true);
    expect(fs.readdirSync(app.outdir)).toContain(JOB_POD_PREVIEW_FILE);
  });
});

describe('how the executor builds the pod', () => {
  test('services are named after their alias, svc-N without one, and sorted by container name; host aliases follow that order', () => {
    const t = template({}, (c) => ({
      services: [
        new JobService(c, 'Redis', { image: 'registry.example.com/cache/redis:7' }),
        new JobService(c, 'Db', { image: 'postgres:16', alias: 'db' }),
        new JobService(c, 'Mq', { image: 'rabbitmq:3' }),
      ],
    }));
    const pod: any = t.previewPod();
    schemaValid(pod);
    expect(names(pod.spec.containers)).toEqual(['build', 'helper', 'db', 'svc-0', 'svc-1']);
    expect(pod.spec.containers.slice(2).map((c: any) => c.image)).toEqual(['postgres:16', 'registry.example.com/cache/redis:7', 'rabbitmq:3']);
    expect(pod.spec.hostAliases).toEqual([{ ip: '127.0.0.1', hostnames: ['postgres', 'db', 'registry.example.com-cache-redis', 'rabbitmq'] }]);
  });

  test('DinD with TLS shares the client certificates through a memory-backed emptyDir mounted in every container', () => {
    const t = template({}, (c) => ({ services: [new DindService(c, 'Dind')] }));
    const pod: any = t.previewPod(new DindService(new Chart(Testing.app(), 'x'), 'D').buildEnvironment);
    schemaValid(pod);
    expect(pod.spec.volumes[0]).toEqual({ name: 'docker-certs', emptyDir: { medium: 'Memory', sizeLimit: '16Mi' } });
    for (const c of [...pod.spec.initContainers, ...pod.spec.containers]) {
      expect(c.volumeMounts).toContainEqual({ name: 'docker-certs', mountPath: '/certs/client' });
    }
    expect(pod.spec.containers[0].env).toContainEqual({ name: 'DOCKER_HOST', value: 'tcp://docker:2376' });
    expect(pod.spec.containers[0].env).toContainEqual({ name: 'DOCKER_TLS_VERIFY', value: '1' });
  });

  test.each([
    [undefined, 'ClusterFirst'],
    [DnsPolicy.DEFAULT, 'Default'],
    [DnsPolicy.CLUSTER_FIRST, 'ClusterFirst'],
    [DnsPolicy.CLUSTER_FIRST_WITH_HOST_NET, 'ClusterFirstWithHostNet'],
  ])('dns policy %s is sent as %s', (policy, kube) => {
    const t = template({}, (c) => ({ dns: new DnsConfig(c, 'Dns', { policy }) }));
    const pod: any = t.previewPod();
    expect(pod.spec.dnsPolicy).toBe(kube);
    expect(pod.spec.dnsConfig).toBeUndefined();
  });

  test('scheduling, labels, annotations, service account, resources and pull policy come from the template', () => {
    const t = template({
      image: 'alpine:3.20',
      nodeSelector: { 'kubernetes.io/arch': 'arm64', 'pool': 'ci' },
      tolerations: [{ key: 'ci', value: 'true', effect: TaintEffect.NO_SCHEDULE }, { key: 'spot' }],
      podLabels: { team: 'platform' },
      podAnnotations: { 'example.com/owner': 'platform' },
      serviceAccountName: 'jobs',
      pullPolicy: [PullPolicy.ALWAYS, PullPolicy.IF_NOT_PRESENT],
      buildResources: { cpu: { request: '1', limit: '2' }, ephemeralStorage: { request: '1Gi' } },
    });
    const pod: any = t.previewPod();
    schemaValid(pod);
    expect(pod.metadata.labels).toEqual({ team: 'platform' });
    expect(pod.metadata.annotations).toEqual({ 'example.com/owner': 'platform' });
    expect(pod.spec.nodeSelector).toEqual({ 'kubernetes.io/arch': 'arm64', 'pool': 'ci' });
    expect(pod.spec.tolerations).toEqual([
      { key: 'ci', operator: 'Equal', value: 'true', effect: 'NoSchedule' },
      { key: 'spot', operator: 'Exists' },
    ]);
    expect(pod.spec.serviceAccountName).toBe('jobs');
    expect(pod.spec.containers[0]).toMatchObject({ image: 'alpine:3.20', imagePullPolicy: 'Always', resources: { requests: { 'cpu': '1', 'ephemeral-storage': '1Gi' }, limits: { cpu: '2' } } });
    // Without helper.image the runner picks the helper by the node selector's architecture.
    expect(pod.spec.containers[1].image).toMatch(/gitlab-runner-helper:arm64-v<runner version>$/);
  });

  test('extraConfig: capabilities, host aliases, a volume at /builds and security contexts as the runner merges them', () => {
    const t = template({
      extraConfig: {
        cap_add: ['SYS_PTRACE'],
        cap_drop: ['MKNOD'],
        host_aliases: [{ ip: '10.0.0.9', hostnames: ['git.internal'] }],
        volumes: { empty_dir: [{ name: 'builds', mount_path: '/builds' }], host_path: [{ name: 'certs', mount_path: '/etc/ssl/certs', read_only: true }] },
        build_container_security_context: { run_as_user: 1000, capabilities: { drop: ['ALL'] } },
        pod_security_context: { fs_group: 1000 },
        affinity: { node_affinity: {} },
      },
    });
    const pod: any = t.previewPod();
    schemaValid(pod);
    expect(pod.spec.containers[0].securityContext).toEqual({ capabilities: { add: ['SYS_PTRACE'], drop: ['ALL'] }, runAsUser: 1000 });
    expect(pod.spec.containers[1].securityContext).toEqual({ capabilities: { add: ['SYS_PTRACE'], drop: ['MKNOD', 'NET_RAW'] } });
    expect(pod.spec.hostAliases).toEqual([{ ip: '10.0.0.9', hostnames: ['git.internal'] }]);
    expect(pod.spec.volumes.map((v: any) => v.name)).toEqual(['certs', 'builds', 'scripts', 'logs']);
    expect(pod.spec.containers[0].volumeMounts).toEqual([
      { name: 'scripts', mountPath: '/scripts-0-0' },
      { name: 'logs', mountPath: '/logs-0-0' },
      { name: 'certs', mountPath: '/etc/ssl/certs', readOnly: true },
      { name: 'builds', mountPath: '/builds' },
    ]);
    expect(pod.spec.securityContext).toEqual({ fsGroup: 1000 });
    // An empty node affinity is previewed (as none), so no key is left out.
    expect(keysNotPreviewed(t._toModel())).toEqual([]);
  });
});
