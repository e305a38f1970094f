import { Chart, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { DindService, JobPodTemplate, JobService, RunnerManager, RunnerToken } from '../src';
import { declared } from './declared';
import { _SECRET_SHAPES, secretShape, urlCredentials } from '../src/internal/validate/secrets';
import { FleetConfigError } from '../src/model/finding';

// The credential detector (src/internal/validate/secrets.ts): what it finds, what it leaves alone, and that an error never repeats
// the secret it refuses. The bad-input corpus has one row per shape and place.

const TOKEN = RunnerToken.fromSecret('gitlab-runner-token');

describe('shapes found anywhere in a value', () => {
  test.each([
    ['glrt-t1_Ab3dE6gH9jK2mN5pQ8sT', 'runner authentication token'],
    ['Authorization: Bearer glpat-Zk3Xw8Qp2Lm7Rt5Vn9Bc', 'personal access token'],
    ['token=GR1348941aB3cD4eF5gH6iJ7kL8mN', 'registration token'],
    ['AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE', 'AWS access key id'],
    ['{"type":"service_account","private_key": "-----BEGIN PRIVATE KEY-----\\nMII"}', 'private key (PEM block)'],
    ['-----BEGIN EC PRIVATE KEY-----', 'private key (PEM block)'],
    ['-----BEGIN PGP PRIVATE KEY BLOCK-----', 'private key (PEM block)'],
    ['Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=x;SharedAccessKey=Eby8vdM02xNOcqFlqUwJPLlm', 'Azure storage or Service Bus key'],
    ['git clone https://gitlab-ci-token:literal-token@gitlab.example.com/a/b.git', 'password in a URL'],
    ['curl "https://gitlab.example.com/api/v4/projects?access_token=abc"', 'token in a URL query'],
    ['https://storage.example.com/blob?sv=2020&sig=abcdef', 'token in a URL query'],
  ])('%s', (value, what) => {
    expect(secretShape(value)).toContain(what);
  });
});

describe('the needles: a value without any of a shape\'s needles is not run through its pattern', () => {
  /**
   * Strings from the pattern without its lookarounds and its `i` flag, which fast-check cannot generate from (its
   * matches include every match), in a random mix of cases when the pattern ignores case.
   */
  const generator = (pattern: RegExp) => {
    const strings = fc.stringMatching(new RegExp(pattern.source.replace(/\(\?<?[!=](?:\[[^\]]*\]|[^)])*\)/g, ''), pattern.flags.replace('i', '')));
    if (!pattern.ignoreCase) return strings;
    return fc.tuple(strings, fc.array(fc.boolean(), { minLength: 64, maxLength: 64 }))
      .map(([value, upper]) => [...value].map((c, i) => (upper[i % 64] ? c.toUpperCase() : c.toLowerCase())).join(''));
  };
  const holdsNeedle = (shape: (typeof _SECRET_SHAPES)[number], value: string) =>
    shape.needles.some((n) => (shape.pattern.ignoreCase ? value.toLowerCase() : value).includes(n));

  test.each(_SECRET_SHAPES.map((shape) => [shape.what, shape] as const))('every match of %s holds a needle', (_what, shape) => {
    let matched = 0;
    fc.assert(fc.property(generator(shape.pattern), (value) => {
      if (!shape.pattern.test(value)) return;
      matched++;
      expect(holdsNeedle(shape, value)).toBe(true);
    }), { numRuns: 500 });
    // The generator reaches the pattern: the property is not vacuous.
    expect(matched).toBeGreaterThan(100);
  });

  test('a case-insensitive shape has lower-case needles (they are looked for in the value in lower case)', () => {
    const needles = _SECRET_SHAPES.filter((shape) => shape.pattern.ignoreCase).flatMap((shape) => shape.needles);
    expect(needles.length).toBeGreaterThan(0);
    for (const needle of needles) expect(needle).toBe(needle.toLowerCase());
  });
});

describe('near misses are accepted', () => {
  test.each([
    'glrt-short',
    'myglrt-t1_Ab3dE6gH9jK2mN5pQ8sTxx',
    'https://gitlab-ci-token:${CI_JOB_TOKEN}@gitlab.example.com/a/b.git',
    'https://gitlab-ci-token:$CI_JOB_TOKEN@gitlab.example.com/a/b.git',
    'https://gitlab.example.com/api/v4/jobs?token=$CI_JOB_TOKEN',
    'https://gitlab.example.com/-/tokens',
    '-----BEGIN CERTIFICATE-----',
    '-----BEGIN PUBLIC KEY-----',
    'akiaiosfodnn7example',
    'RUNNER_TOKEN',
    'postgres://db:5432/app',
    'registry.example.com/docker:dind',
  ])('%s', (value) => {
    expect(secretShape(value)).toBeUndefined();
  });
});

describe('the GitLab URL', () => {
  test('a plain URL, with a port and a path, carries no credential', () => {
    expect(urlCredentials('https://gitlab.example.com:8443/gitlab/')).toBeUndefined();
  });

  test.each([
    ['https://runner:pass@gitlab.example.com/', 'user credentials'],
    ['https://glrt-t1_Ab3dE6gH9jK2mN5pQ8sT@gitlab.example.com/', 'user credentials'],
    ['https://gitlab.example.com/?private_token=x', 'private_token='],
    ['https://gitlab.example.com/?X-Api-Key=x', 'X-Api-Key='],
    ['https://gitlab.example.com/${RUNNER_TOKEN}', '$RUNNER_TOKEN'],
    ['https://gitlab.example.com/$RUNNER_TOKEN', '$RUNNER_TOKEN'],
  ])('%s', (url, what) => {
    expect(urlCredentials(url)).toContain(what);
  });

  test('query parameters that only contain a credential word are no credential', () => {
    expect(urlCredentials('https://gitlab.example.com/?monkey=1&design=2&tokens_page=3')).toBeUndefined();
  });

  test('$RUNNER_TOKENS is another variable, not the token', () => {
    expect(urlCredentials('https://gitlab.example.com/$RUNNER_TOKENS')).toBeUndefined();
  });
});

function refusal(fn: () => unknown): FleetConfigError {
  try {
    declared(fn);
  } catch (e) {
    if (e instanceof FleetConfigError) return e;
    throw e;
  }
  throw new Error('nothing was thrown');
}

describe('the error', () => {
  const secret = 'glrt-t1_Ab3dE6gH9jK2mN5pQ8sT';

  test('names the field and rule, points to a Secret, and never repeats the secret', () => {
    const chart = new Chart(Testing.app(), 'test');
    const error = refusal(() => new RunnerManager(chart, 'Runner', {
      gitlabUrl: 'https://gitlab.example.com/', token: TOKEN, jobPod: new JobPodTemplate(chart, 'Jobs'), environment: { RUNNER_TOKEN: secret },
    }));
    expect(error.findings).toHaveLength(1);
    expect(error.findings[0]).toMatchObject({ ruleId: 'SEC002', path: 'test/Runner', field: 'environment.RUNNER_TOKEN' });
    expect(error.findings[0].message).toContain("'glrt...' (28 characters)");
    expect(error.message).not.toContain(secret);
    expect(error.message).not.toContain(secret.slice(5));
  });

  test('a map key holding a credential is found too', () => {
    const chart = new Chart(Testing.app(), 'test');
    const error = refusal(() => new JobPodTemplate(chart, 'Jobs', { podAnnotations: { [secret]: 'x' } }));
    const found = error.findings.filter((f) => f.ruleId === 'SEC002');
    expect(found.map((f) => f.field)).toEqual(['podAnnotations']);
    expect(found[0].message).toContain("the key 'glrt...'");
    expect(found[0].message).not.toContain(secret);
  });

  test('a DindService is blamed on its own prop, not on the dockerd command built from it', () => {
    const chart = new Chart(Testing.app(), 'test');
    const error = refusal(() => new DindService(chart, 'Dind', { extraArgs: [`--label=token=${secret}`] }));
    expect(error.findings.filter((f) => f.ruleId === 'SEC002').map((f) => f.field)).toEqual(['extraArgs[0]']);
  });

  test('a service with CI variable references is accepted', () => {
    const chart = new Chart(Testing.app(), 'test');
    expect(() => new JobService(chart, 'Svc', {
      image: 'alpine:3', environment: { CLONE: 'https://gitlab-ci-token:${CI_JOB_TOKEN}@gitlab.example.com/a/b.git' },
    })).not.toThrow();
  });
});
