import { App, Chart } from 'cdk8s';
import { JobPodTemplate, JobService, RunnerManager, RunnerToken } from '../src';
import { declaredAny } from './declared';
import { FleetConfigError } from '../src/model/finding';

// Environment values and container arguments become exec(2)'s C strings, which end at the first NUL: Go's os/exec and
// syscall (the container runtime's) refuse them, so a job whose variables or service arguments hold a NUL cannot
// start. They are refused where they are declared; a NUL in free text that stays data (an annotation) is kept.

const TOKEN = RunnerToken.fromSecret('gitlab-runner-token');

function errorOf(declare: (chart: Chart) => void): string {
  const chart = new Chart(new App(), 'fleet', { namespace: 'ci' });
  try {
    declaredAny(() => declare(chart), chart);
  } catch (e) {
    expect(e).toBeInstanceOf(FleetConfigError);
    return (e as Error).message;
  }
  return '';
}

describe('NUL in what becomes a process environment or argument', () => {
  test.each([
    ['a manager variable', 'fleet/Runner', 'environment.NOTE', (c: Chart) => new RunnerManager(c, 'Runner', { gitlabUrl: 'https://gitlab.example.com/', token: TOKEN, jobPod: new JobPodTemplate(c, 'Jobs'), environment: { NOTE: 'a\u0000b' } })],
    ['a service variable', 'fleet/Db', 'environment.NOTE', (c: Chart) => new JobService(c, 'Db', { image: 'postgres:16', alias: 'db', environment: { NOTE: 'a\u0000b' } })],
    ['a service argument', 'fleet/Db', 'command[1]', (c: Chart) => new JobService(c, 'Db', { image: 'postgres:16', alias: 'db', command: ['-c', '\u0000'] })],
    ['a service entrypoint', 'fleet/Db', 'entrypoint[0]', (c: Chart) => new JobService(c, 'Db', { image: 'postgres:16', alias: 'db', entrypoint: ['sh\u0000'] })],
  ])('%s is refused with the path, the field, the reason and the fix', (_what, path, field, declare) => {
    const message = errorOf(declare);
    expect(message).toContain(`[${path}] ${field}: holds a NUL character`);
    expect(message).toContain('cannot pass a string with NUL to exec(2)');
    expect(message).toContain('Fix: remove the NUL character');
  });

  test('a NUL in an annotation value stays data and is accepted', () => {
    expect(errorOf((c) => new JobPodTemplate(c, 'Jobs', { podAnnotations: { 'example.com/note': 'a\u0000b' } }))).toBe('');
  });
});
