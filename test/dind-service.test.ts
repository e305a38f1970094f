import { Chart, Testing } from 'cdk8s';
import { parse } from 'smol-toml';
import { DindService, DindServiceProps, JobPodTemplate, JobService, RunnerManager, RunnerToken } from '../src';
import { declared } from './declared';
import { FleetConfigError } from '../src/model/finding';
import { DIND_PLAIN_PORT, DIND_TLS_PORT } from '../src/model/service';

function chart(): Chart {
  return new Chart(Testing.app(), 'test', { namespace: 'ci' });
}

/** config.toml of a manager whose job pods run this DinD service, parsed. */
function tomlWith(props: DindServiceProps, extraServices: (c: Chart) => JobService[] = () => []): { runner: any; k: any } {
  const c = chart();
  const dind = new DindService(c, 'Dind', props);
  const jobPod = new JobPodTemplate(c, 'Jobs', { services: [dind, ...extraServices(c)] });
  const manager = new RunnerManager(c, 'Runner', { gitlabUrl: 'https://gitlab.example.com/', token: RunnerToken.fromSecret('t'), jobPod });
  const runner = (parse(manager.configToml) as any).runners[0];
  return { runner, k: runner.kubernetes };
}

function fieldsOf(props: DindServiceProps): string[] {
  try {
    declared(() => new DindService(chart(), 'Dind', props));
  } catch (e) {
    if (e instanceof FleetConfigError) return e.findings.map((f) => f.field);
    throw e;
  }
  return [];
}

describe('DindService with TLS (the default)', () => {
  const dind = new DindService(chart(), 'Dind');
  const model = dind._toModel();

  test('docker:dind, alias docker, port 2376', () => {
    expect(DIND_TLS_PORT).toBe(2376);
    expect(dind.tls).toBe(true);
    expect(dind.daemonPort).toBe(2376);
    expect(dind.port).toBe(2376);
    expect(model).toMatchObject({ image: 'docker:dind', alias: 'docker', port: 2376 });
  });

  test('no dockerd flags: the image generates certificates and serves TLS by itself', () => {
    expect(model.command).toEqual([]);
  });

  test('the service environment makes the image generate certificates and tells the runner which port to wait for', () => {
    expect(model.environment).toEqual({ DOCKER_TLS_CERTDIR: '/certs', HEALTHCHECK_TCP_PORT: '2376' });
  });

  test('the build environment talks TLS to tcp://docker:2376 with the client certificates', () => {
    expect(dind.buildEnvironment).toEqual({
      DOCKER_HOST: 'tcp://docker:2376', DOCKER_TLS_CERTDIR: '/certs', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: '/certs/client',
    });
    expect(model.dind).toMatchObject({ tls: true, port: 2376, buildEnvironment: dind.buildEnvironment });
  });

  test('the client certificates travel in a small memory-backed emptyDir at /certs/client', () => {
    expect(model.dind!.certsVolume).toEqual({ name: 'docker-certs', mountPath: '/certs/client', sizeLimit: '16Mi' });
    const { k } = tomlWith({});
    expect(k.volumes).toEqual({ empty_dir: [{ name: 'docker-certs', mount_path: '/certs/client', medium: 'Memory', size_limit: '16Mi' }] });
  });

  test('config.toml: the build environment in [[runners]], the service entry, privileged only for services', () => {
    const { runner, k } = tomlWith({});
    expect(runner.environment).toEqual(['DOCKER_CERT_PATH=/certs/client', 'DOCKER_HOST=tcp://docker:2376', 'DOCKER_TLS_CERTDIR=/certs', 'DOCKER_TLS_VERIFY=1']);
    expect(k.services).toEqual([{ name: 'docker:dind', alias: 'docker', environment: ['DOCKER_TLS_CERTDIR=/certs', 'HEALTHCHECK_TCP_PORT=2376'] }]);
    expect(k.service_container_security_context).toEqual({ privileged: true });
    expect(k).not.toHaveProperty('privileged');
  });
});

describe('DindService without TLS', () => {
  const dind = new DindService(chart(), 'Dind', { tls: false });
  const model = dind._toModel();

  test('port 2375 and --tls=false', () => {
    expect(DIND_PLAIN_PORT).toBe(2375);
    expect(dind.daemonPort).toBe(2375);
    expect(model.command).toEqual(['--tls=false']);
  });

  test('an empty DOCKER_TLS_CERTDIR on both sides, no TLS variables for the client', () => {
    expect(model.environment).toEqual({ DOCKER_TLS_CERTDIR: '', HEALTHCHECK_TCP_PORT: '2375' });
    expect(dind.buildEnvironment).toEqual({ DOCKER_HOST: 'tcp://docker:2375', DOCKER_TLS_CERTDIR: '' });
  });

  test('no certs volume', () => {
    expect(model.dind!.certsVolume).toBeUndefined();
    expect(tomlWith({ tls: false }).k).not.toHaveProperty('volumes');
  });

  test('still privileged for service containers only', () => {
    expect(tomlWith({ tls: false }).k.service_container_security_context).toEqual({ privileged: true });
  });
});

describe('dockerd flags', () => {
  test('rendered from the typed props in a fixed order, extraArgs last', () => {
    const dind = new DindService(chart(), 'Dind', {
      tls: false,
      mtu: 1450,
      registryMirrors: ['https://mirror.example.com'],
      insecureRegistries: ['registry.internal:5000', '10.0.0.0/8'],
      dns: ['10.0.0.2', 'fd00::53'],
      extraArgs: ['--storage-driver=overlay2'],
    });
    expect(dind._toModel().command).toEqual([
      '--tls=false', '--mtu=1450', '--registry-mirror=https://mirror.example.com', '--insecure-registry=registry.internal:5000',
      '--insecure-registry=10.0.0.0/8', '--dns=10.0.0.2', '--dns=fd00::53', '--storage-driver=overlay2',
    ]);
    expect(dind.mtu).toBe(1450);
    expect(dind.dockerdDns).toEqual(['10.0.0.2', 'fd00::53']);
  });

  test('with TLS the flags come without --tls=false', () => {
    expect(new DindService(chart(), 'Dind', { mtu: 1440 })._toModel().command).toEqual(['--mtu=1440']);
  });

  test('a custom alias and image reach DOCKER_HOST and the service entry', () => {
    const { runner, k } = tomlWith({ image: 'registry.example.com/docker:27-dind', alias: 'dockerd', tls: false });
    expect(runner.environment).toContain('DOCKER_HOST=tcp://dockerd:2375');
    expect(k.services[0]).toMatchObject({ name: 'registry.example.com/docker:27-dind', alias: 'dockerd' });
  });

  test.each([576, 1450, 9216])('MTU %p is accepted', (mtu) => {
    expect(fieldsOf({ mtu })).toEqual([]);
  });

  test.each([575, 9217, 1450.5, 0])('MTU %p is refused', (mtu) => {
    expect(fieldsOf({ mtu })).toEqual(['mtu']);
  });

  test('mirrors are http(s) URLs; insecure registries host[:port] or a CIDR; dockerd nameservers IPs', () => {
    expect(fieldsOf({ registryMirrors: ['http://m.example.com:5000'], insecureRegistries: ['r.example.com', 'fd00::/8'], dns: ['::1'] })).toEqual([]);
    expect(fieldsOf({ registryMirrors: ['mirror.example.com'], insecureRegistries: ['https://r.example.com'], dns: ['resolver'] }))
      .toEqual(['registryMirrors[0]', 'insecureRegistries[0]', 'dns[0]']);
  });
});

describe('conflicting extraArgs', () => {
  test.each([
    ['--tls=false', true],
    ['--tls=0', true],
    ['--tlsverify', false],
    ['--tlscacert=/x/ca.pem', false],
    ['--tlscert=/x/cert.pem', false],
    ['--tlskey=/x/key.pem', false],
    ['--host=tcp://0.0.0.0:2375', true],
    ['-H', false],
  ])('%s is refused when tls is %p', (arg, tls) => {
    const fields = fieldsOf({ tls, extraArgs: [arg] });
    expect(fields).toHaveLength(1);
    expect(fields[0]).toMatch(/^extraArgs/);
  });

  test.each([
    ['--tls=false', false],
    ['--tlsverify', true],
    ['--debug', true],
    ['--storage-driver=vfs', false],
    ['--hosts-file=x', true],
  ])('%s is fine when tls is %p', (arg, tls) => {
    expect(fieldsOf({ tls, extraArgs: [arg] })).toEqual([]);
  });
});

test('DinD and another service on the DinD port collide', () => {
  const c = chart();
  const dind = new DindService(c, 'Dind');
  const other = new JobService(c, 'Other', { image: 'x:1', port: 2376 });
  expect(() => declared(() => new JobPodTemplate(c, 'Jobs', { services: [dind, other] }))).toThrow(/services\[1\]\.port: port 2376 is used by test\/Dind too/);
});

test('a TLS DinD with a plain service: privileged and the certs volume come from the DinD alone', () => {
  const { k } = tomlWith({}, (c) => [new JobService(c, 'Redis', { image: 'redis:7', alias: 'redis' })]);
  expect(k.services.map((s: any) => s.alias)).toEqual(['docker', 'redis']);
  expect(k.volumes.empty_dir).toHaveLength(1);
  expect(k.service_container_security_context).toEqual({ privileged: true });
});
