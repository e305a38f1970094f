import { Chart, Testing } from 'cdk8s';
import { parse } from 'smol-toml';
import { JobPodTemplate, JobService, JobServiceProps, RunnerManager, RunnerToken } from '../src';
import { declared } from './declared';
import { FleetConfigError } from '../src/model/finding';

function chart(): Chart {
  return new Chart(Testing.app(), 'test', { namespace: 'ci' });
}

/** `[runners.kubernetes]` of a manager whose job pods run the given services. */
function kubernetesWith(build: (c: Chart) => JobService[], jobProps: Record<string, unknown> = {}): any {
  const c = chart();
  const jobPod = new JobPodTemplate(c, 'Jobs', { services: build(c), ...jobProps });
  const manager = new RunnerManager(c, 'Runner', { gitlabUrl: 'https://gitlab.example.com/', token: RunnerToken.fromSecret('t'), jobPod });
  return (parse(manager.configToml) as any).runners[0].kubernetes;
}

function fieldsOf(props: JobServiceProps): string[] {
  try {
    declared(() => new JobService(chart(), 'Svc', props));
  } catch (e) {
    if (e instanceof FleetConfigError) return e.findings.map((f) => f.field);
    throw e;
  }
  return [];
}

describe('JobService', () => {
  test('exposes its props and a model', () => {
    const svc = new JobService(chart(), 'Svc', {
      image: 'registry.example.com/postgres:16',
      alias: 'postgres',
      command: ['postgres', '-c', 'fsync=off'],
      entrypoint: ['docker-entrypoint.sh'],
      environment: { POSTGRES_DB: 'test' },
      port: 5432,
      resources: { memory: { limit: '1Gi' } },
    });
    expect(svc.image).toBe('registry.example.com/postgres:16');
    expect(svc.alias).toBe('postgres');
    expect(svc.port).toBe(5432);
    expect(svc._toModel()).toEqual({
      path: 'test/Svc',
      image: 'registry.example.com/postgres:16',
      alias: 'postgres',
      command: ['postgres', '-c', 'fsync=off'],
      entrypoint: ['docker-entrypoint.sh'],
      environment: { POSTGRES_DB: 'test' },
      port: 5432,
      resources: { memory: { limit: '1Gi' } },
    });
    expect(svc._toModel().dind).toBeUndefined();
  });

  test('defaults: no alias, no port, the image CMD and ENTRYPOINT, no environment', () => {
    const model = new JobService(chart(), 'Svc', { image: 'redis:7' })._toModel();
    expect(model).toMatchObject({ command: [], environment: {} });
    expect(model.alias).toBeUndefined();
    expect(model.entrypoint).toBeUndefined();
    expect(model.port).toBeUndefined();
  });

  test('copies the command, entrypoint and environment it was given', () => {
    const command = ['redis-server'];
    const entrypoint = ['sh'];
    const environment: Record<string, string> = { A: '1' };
    const svc = new JobService(chart(), 'Svc', { image: 'redis:7', command, entrypoint, environment });
    command.push('--x');
    entrypoint.push('-c');
    environment.B = '2';
    expect(svc._toModel()).toMatchObject({ command: ['redis-server'], entrypoint: ['sh'], environment: { A: '1' } });
  });

  // The runner splits alias on commas and spaces and checks each part: 'db cache' and 'db,cache' are two aliases.
  test.each(['db', 'postgres-16', 'a', 'x'.repeat(63), '1cache', 'db cache', 'db,cache'])('alias %p is accepted', (alias) => {
    expect(fieldsOf({ image: 'redis:7', alias })).toEqual([]);
  });

  test.each(['Postgres', 'pg_16', 'pg.local', '-pg', 'pg-', 'x'.repeat(64), '', ' , ', 'db,Cache'])('alias %p is refused', (alias) => {
    expect(fieldsOf({ image: 'redis:7', alias })).toEqual(['alias']);
  });

  test.each([1, 80, 65535])('port %p is accepted', (port) => {
    expect(fieldsOf({ image: 'redis:7', port })).toEqual([]);
  });

  test.each([0, -1, 65536, 80.5, NaN])('port %p is refused', (port) => {
    expect(fieldsOf({ image: 'redis:7', port })).toEqual(['port']);
  });

  test('image references: refused when empty or with white space', () => {
    expect(fieldsOf({ image: 'registry.example.com:5000/group/img@sha256:abc' })).toEqual([]);
    expect(fieldsOf({ image: '' })).toEqual(['image']);
    expect(fieldsOf({ image: 'redis\t7' })).toEqual(['image']);
    expect(fieldsOf({ image: undefined as unknown as string })).toEqual(['image']);
  });

  test('environment names must be variable names', () => {
    expect(fieldsOf({ image: 'redis:7', environment: { _A1: 'x', b: 'y' } })).toEqual([]);
    expect(fieldsOf({ image: 'redis:7', environment: { 'A-B': 'x', '9A': 'y', 'A=B': 'z' } })).toEqual(['environment.A-B', 'environment.9A', 'environment.A=B']);
  });

  test('resources are checked like every container', () => {
    expect(fieldsOf({ image: 'redis:7', resources: { cpu: { request: '2', limit: '1' }, memory: { limit: 'lots' } } }))
      .toEqual(['resources.cpu.request', 'resources.memory.limit']);
  });

  test('all problems at once, under the construct path', () => {
    try {
      declared(() => new JobService(chart(), 'Svc', { image: '', alias: 'A', port: 0 }));
      throw new Error('expected a FleetConfigError');
    } catch (e) {
      const error = e as FleetConfigError;
      expect(error.findings.map((f) => [f.path, f.field])).toEqual([['test/Svc', 'image'], ['test/Svc', 'alias'], ['test/Svc', 'port']]);
    }
  });

  describe('in config.toml', () => {
    test('one [[runners.kubernetes.services]] entry with image, alias, command, entrypoint and sorted environment', () => {
      const k = kubernetesWith((c) => [new JobService(c, 'Pg', {
        image: 'registry.example.com/postgres:16',
        alias: 'postgres',
        command: ['postgres', '-c', 'fsync=off'],
        entrypoint: ['docker-entrypoint.sh'],
        environment: { POSTGRES_PASSWORD: 'a=b', POSTGRES_DB: 'test' },
      })]);
      expect(k.services).toEqual([{
        name: 'registry.example.com/postgres:16',
        alias: 'postgres',
        command: ['postgres', '-c', 'fsync=off'],
        entrypoint: ['docker-entrypoint.sh'],
        environment: ['POSTGRES_DB=test', 'POSTGRES_PASSWORD=a=b'],
      }]);
    });

    test('optional fields are left out, not rendered empty', () => {
      const k = kubernetesWith((c) => [new JobService(c, 'Redis', { image: 'redis:7' })]);
      expect(k.services).toEqual([{ name: 'redis:7' }]);
    });

    test('services keep their declared order', () => {
      const k = kubernetesWith((c) => [new JobService(c, 'B', { image: 'b:1', alias: 'b' }), new JobService(c, 'A', { image: 'a:1', alias: 'a' })]);
      expect(k.services.map((s: any) => s.alias)).toEqual(['b', 'a']);
    });

    test("a service's own resources become the service_* keys", () => {
      const k = kubernetesWith((c) => [new JobService(c, 'Pg', { image: 'pg:16', resources: { cpu: { request: '250m', limit: '1' }, memory: { maxLimit: '2Gi' } } })]);
      expect(k).toMatchObject({ service_cpu_request: '250m', service_cpu_limit: '1', service_memory_limit_overwrite_max_allowed: '2Gi' });
    });

    test('a plain service is not privileged', () => {
      const k = kubernetesWith((c) => [new JobService(c, 'Redis', { image: 'redis:7' })]);
      expect(k).not.toHaveProperty('service_container_security_context');
      expect(k).not.toHaveProperty('privileged');
    });

    test('the port is not a config.toml key (the runner has none for it)', () => {
      const k = kubernetesWith((c) => [new JobService(c, 'Redis', { image: 'redis:7', port: 6379 })]);
      expect(k.services[0]).not.toHaveProperty('port');
    });
  });
});
