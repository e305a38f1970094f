import * as fs from 'fs';
import * as path from 'path';
import { BY_VERSION_FILE, loadByVersionReference, renderRunnerVersions } from '../scripts/runner-versions';
import { FEATURE_FLAGS } from '../src/internal/runner/keys';
import { compareVersions, featureFlagStatus, helperImageVersion, imageTag, isSupportedVersion, keysUnknownTo, parseVersion, resolveRunnerVersion, runnerImageVersion } from '../src/internal/runner/version';
import { FEATURE_FLAG_VERSIONS, RUNNER_VERSIONS } from '../src/internal/runner/versions.generated';

// The runner version of a fleet (src/internal/runner/version.ts) and the per-version key table it reads
// (src/internal/runner/versions.generated.ts, generated from ../shared/reference/gitlab-runner-config-keys-by-version.json).

describe('versions and image tags', () => {
  test.each([
    ['18.3.0', [18, 3, 0]], ['v19.4.0', [19, 4, 0]], ['17.10.12', [17, 10, 12]],
  ])('%s parses', (text, triple) => {
    expect(parseVersion(text)).toEqual(triple);
  });

  test.each(['18.3', '18.3.0.1', '18.3.0-rc1', 'v', '', ' 18.3.0', '018.3.0', '18.03.0', 'latest'])('%s is no version', (text) => {
    expect(parseVersion(text)).toBeUndefined();
  });

  test('versions compare as numbers, not text', () => {
    expect(compareVersions('18.10.0', '18.9.0')).toBeGreaterThan(0);
    expect(compareVersions('18.9.1', '18.9.0')).toBeGreaterThan(0);
    expect(compareVersions('v18.9.0', '18.9.0')).toBe(0);
  });

  test.each<[string, string | undefined]>([
    ['gitlab/gitlab-runner:v18.3.0', 'v18.3.0'],
    ['registry.example.com:5000/gitlab-runner', undefined],
    ['registry.example.com:5000/gitlab-runner:alpine-v18.9.0', 'alpine-v18.9.0'],
    [`r.example.com/a/b:v19.4.0@sha256:${'a'.repeat(64)}`, 'v19.4.0'],
    [`r.example.com/a/b@sha256:${'a'.repeat(64)}`, undefined],
  ])('the tag of %s is %s', (image, tag) => {
    expect(imageTag(image)).toBe(tag);
  });

  test.each<[string, string | undefined]>([
    ['gitlab/gitlab-runner:v18.3.0', '18.3.0'],
    ['gitlab/gitlab-runner:alpine-v18.9.0', '18.9.0'],
    ['gitlab/gitlab-runner:ubuntu-v19.4.0', '19.4.0'],
    ['gitlab/gitlab-runner:alpine3.21-v19.1.2', '19.1.2'],
    ['gitlab/gitlab-runner:latest', undefined],
    ['gitlab/gitlab-runner:alpine', undefined],
    ['gitlab/gitlab-runner:bleeding', undefined],
    ['gitlab/gitlab-runner:v18.3', undefined],
    ['gitlab/gitlab-runner:18.3.0', undefined],
    ['registry.example.com:5000/v18.3.0/runner', undefined],
  ])('the runner image %s holds %s', (image, version) => {
    expect(runnerImageVersion(image)).toBe(version);
  });

  test.each<[string, string | undefined]>([
    ['registry.gitlab.com/gitlab-org/gitlab-runner/gitlab-runner-helper:x86_64-v18.3.0', '18.3.0'],
    ['registry.gitlab.com/gitlab-org/gitlab-runner/gitlab-runner-helper:ubuntu-arm64-v18.9.0-pwsh', '18.9.0'],
    ['registry.gitlab.com/gitlab-org/gitlab-runner/gitlab-runner-helper:concrete-x86_64-v19.4.0', '19.4.0'],
    ['registry.gitlab.com/gitlab-org/gitlab-runner/gitlab-runner-helper:x86_64-v19.2.0-servercore21H2', '19.2.0'],
    ['registry.example.com/helper:latest', undefined],
    ['registry.example.com/helper', undefined],
  ])('the helper image %s is of %s', (image, version) => {
    expect(helperImageVersion(image)).toBe(version);
  });

  test('supported: every patch of every minor from 17.0 to 19.4', () => {
    expect(RUNNER_VERSIONS[0]).toBe('17.0.0');
    expect(RUNNER_VERSIONS[RUNNER_VERSIONS.length - 1]).toBe('19.4.0');
    for (const v of ['17.0.0', '17.11.3', '18.3.0', '18.10.1', '19.4.9']) expect(isSupportedVersion(v)).toBe(true);
    for (const v of ['16.11.0', '19.5.0', '20.0.0', '18.12.0']) expect(isSupportedVersion(v)).toBe(false);
  });

  test('resolveRunnerVersion: the tag, the prop, or an explained problem', () => {
    expect(resolveRunnerVersion('gitlab/gitlab-runner:v18.3.0', undefined)).toEqual({ version: '18.3.0', problems: [] });
    expect(resolveRunnerVersion('gitlab/gitlab-runner:latest', 'v18.3.1')).toEqual({ version: '18.3.1', problems: [] });
    expect(resolveRunnerVersion('gitlab/gitlab-runner:v18.3.0', '18.3.1').problems[0].field).toBe('runnerVersion');
    expect(resolveRunnerVersion('gitlab/gitlab-runner:v18.12.0', undefined).problems[0]).toMatchObject({ field: 'image', message: expect.stringContaining('GitLab Runner 18.12.0 is not a release this library knows: there was no 18.12') });
    expect(resolveRunnerVersion('gitlab/gitlab-runner:v20.0.0', undefined).problems[0]).toMatchObject({ field: 'image', message: expect.stringContaining('newer than') });
  });
});

describe('keys and flags per version', () => {
  test('a key is unknown before its minor and known from it on; map entries are data', () => {
    const config = { runners: [{ kubernetes: { pod_disruption_budget: true, node_selector: { pod_disruption_budget: 'x' } }, feature_flags: { FF_CONCRETE: true } }] };
    expect(keysUnknownTo('18.10.9', config)).toEqual([{ keyPath: 'runners.kubernetes.pod_disruption_budget', at: 'runners[0].kubernetes.pod_disruption_budget', since: '18.11.0' }]);
    expect(keysUnknownTo('18.11.0', config)).toEqual([]);
  });

  test('a table the version does not know is reported once, not key by key', () => {
    const config = { runners: [{ kubernetes: { autoscaler: { max_pause_pods: 2, policy: [{ idle_count: 1 }] } } }] };
    expect(keysUnknownTo('18.3.0', config).map((k) => k.keyPath)).toEqual(['runners.kubernetes.autoscaler']);
  });

  test('feature flags: not yet, gone, deprecated, fine, never', () => {
    expect(featureFlagStatus('18.3.0', 'FF_CONCRETE')).toEqual({ status: 'notYet', version: '18.11.0' });
    expect(featureFlagStatus('19.3.0', 'FF_SKIP_NOOP_BUILD_STAGES')).toEqual({ status: 'removed', version: '19.3.0' });
    expect(featureFlagStatus('19.2.0', 'FF_SKIP_NOOP_BUILD_STAGES')).toEqual({ status: 'ok' });
    expect(featureFlagStatus('19.4.0', 'FF_USE_FASTZIP')).toEqual({ status: 'deprecated', version: '19.4.0' });
    expect(featureFlagStatus('18.3.0', 'FF_NO_SUCH_FLAG')).toEqual({ status: 'unknown' });
  });

  test('the flags of 19.4.0 are exactly internal/runner/keys.ts FEATURE_FLAGS', () => {
    const at194 = Object.keys(FEATURE_FLAG_VERSIONS).filter((f) => featureFlagStatus('19.4.0', f).status !== 'notYet' && featureFlagStatus('19.4.0', f).status !== 'removed');
    expect(at194.sort()).toEqual([...FEATURE_FLAGS].sort());
  });
});

// Throws (the suite fails) in CI when the reference is missing; elsewhere this check is left out with a warning.
const reference = loadByVersionReference(BY_VERSION_FILE, process.env);
if (reference !== undefined) {
  test('src/internal/runner/versions.generated.ts is the by-version reference (run scripts/update-runner-tables.ts if this fails)', () => {
    expect(fs.readFileSync(path.join(__dirname, '..', 'src', 'internal', 'runner', 'versions.generated.ts'), 'utf-8')).toBe(renderRunnerVersions(reference));
  });

  test('the reference covers the 29 minors from 17.0.0 to 19.4.0', () => {
    expect(reference.versions).toHaveLength(29);
    expect(RUNNER_VERSIONS).toEqual(reference.versions);
  });
}

test('a missing by-version reference fails in CI and is a warning elsewhere', () => {
  const missing = path.join(__dirname, 'no-such-reference.json');
  expect(() => loadByVersionReference(missing, { CI: 'true' })).toThrow(/missing; CI must run the conformance checks/);
  const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  try {
    expect(loadByVersionReference(missing, {})).toBeUndefined();
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('runner version checks not run'));
  } finally {
    warn.mockRestore();
  }
});
