import { spawnSync } from 'child_process';
import { App, Chart } from 'cdk8s';
import { JobPodTemplate, RunnerHelmRelease, RunnerManager, RunnerToken } from '../src';
import { declaredAny } from './declared';
import { realHelm, requireRealHelm } from './helm-binary';
import { FleetConfigError } from '../src/model/finding';

// A chart repository URL with credentials reaches helm's command line, and the real helm repeats it in its error
// messages, password and all; RunnerHelmRelease refuses it (SEC002) and says how to log in to the repository instead.

const PASSWORD = 's3cr3t-repo-pass';

function releaseError(repo: string, helmExecutable: string): string {
  const chart = new Chart(new App(), 'fleet', { namespace: 'ci' });
  const manager = new RunnerManager(chart, 'Runner', {
    name: 'runner', gitlabUrl: 'https://gitlab.example.com/', token: RunnerToken.fromSecret('runner-secret'), jobPod: new JobPodTemplate(chart, 'Jobs'),
  });
  try {
    declaredAny(() => new RunnerHelmRelease(chart, 'Release', { manager, chart: 'gitlab-runner', repo, helmExecutable }));
  } catch (e) {
    expect(e).toBeInstanceOf(FleetConfigError);
    return (e as Error).message;
  }
  return '';
}

if (requireRealHelm()) {
  const found = realHelm() as { helm: string; chart: string };

  test('the real helm prints a repository URL with its password when the repository cannot be reached', () => {
    const r = spawnSync(found.helm, ['template', 'x', 'gitlab-runner', '--repo', `http://runner:${PASSWORD}@127.0.0.1:1`, '--version', '0.86.0'], { encoding: 'utf8' });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain(PASSWORD);
  });

  test.each([
    ['user and password', `https://runner:${PASSWORD}@charts.example.com/`, 'user credentials (user:password@ before the host)'],
    ['a token query parameter', `https://charts.example.com/?private_token=${PASSWORD}`, 'a credential in the query parameter private_token='],
  ])('a repo URL with %s is refused with the field, where it would leak and the fix, without the secret', (_what, repo, what) => {
    const message = releaseError(repo, found.helm);
    expect(message).toContain(`[fleet/Release] repo: the chart repository URL holds ${what}`);
    expect(message).toContain('helm repeats the URL in its error messages');
    expect(message).toContain("Fix: give the URL without credentials: run 'helm repo add <alias> <url> --username <user> --password-stdin'");
    expect(message).not.toContain(PASSWORD);
  });

  test('a repo URL without credentials passes the check (the release is refused only for its missing helm here)', () => {
    const message = releaseError('https://charts.example.com/', '/nonexistent/helm');
    expect(message).toContain('[fleet/Release] helmExecutable:');
    expect(message).not.toContain('repo:');
  });
}
