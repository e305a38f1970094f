import { KeyKind } from '../src/internal/runner/key-kind';
import { entryProblems, kubernetesKeys, keyValueProblem } from '../src/internal/runner/keys';
import { KUBERNETES_TABLES } from '../src/internal/runner/kubernetes-tables.generated';

// The key lists themselves are checked against the runner's reference in test/conformance.test.ts.

describe('keyValueProblem: what GitLab Runner can decode for each kind of key', () => {
  const accepted: Array<[KeyKind, unknown]> = [
    ['string', 'ci'], ['string', ''],
    ['integer', 180], ['integer', 0], ['integer', -1],
    ['number', 0.5], ['number', 2],
    ['integers', []], ['integers', [1000, 2000]],
    ['boolean', true], ['boolean', false],
    ['strings', []], ['strings', ['NET_RAW', 'SYS_ADMIN']],
    ['stringOrStrings', 'always'], ['stringOrStrings', ['if-not-present', 'always']],
    ['stringMap', {}], ['stringMap', { 'node-role': 'ci' }],
    ['integerMap', { TLS_HANDSHAKE_TIMEOUT: 5 }],
    ['duration', '5m'], ['duration', '1h30m'], ['duration', '1.5h'], ['duration', '300ms'], ['duration', '0'], ['duration', '2µs'],
    ['table', {}], ['table', { run_as_user: 1000 }],
    ['tables', []], ['tables', [{ ip: '10.0.0.1', hostnames: ['a'] }]],
  ];
  test.each(accepted)('%s accepts %j', (kind, value) => {
    expect(keyValueProblem(kind, value)).toBeUndefined();
  });

  const refused: Array<[KeyKind, unknown, string, string]> = [
    ['string', 42, '42 is not a string', "e.g. 'value'"],
    ['integer', '180', "'180' is not a whole number", 'e.g. 180'],
    ['integer', 2.5, '2.5 is not a whole number', 'e.g. 180'],
    ['integer', Number.MAX_SAFE_INTEGER + 2, 'is not a whole number', 'e.g. 180'],
    ['boolean', 'true', "'true' is not true or false", 'e.g. true'],
    ['number', NaN, 'NaN is not a number', 'e.g. 1.5'],
    ['number', '0.5', "'0.5' is not a number", 'e.g. 1.5'],
    ['integers', [1000, 1.5], '[1000,1.5] is not a list of whole numbers', 'e.g. [1000, 2000]'],
    ['strings', 'NET_RAW', "'NET_RAW' is not a list of strings", "e.g. ['a', 'b']"],
    ['strings', ['NET_RAW', 7], '["NET_RAW",7] is not a list of strings', "e.g. ['a', 'b']"],
    ['stringOrStrings', 3, '3 is not a string or a list of strings', "['if-not-present', 'always']"],
    ['stringMap', ['a=b'], '["a=b"] is not a map of string values', "e.g. { key: 'value' }"],
    ['stringMap', { replicas: 2 }, '{"replicas":2} is not a map of string values', "e.g. { key: 'value' }"],
    ['integerMap', { TLS_HANDSHAKE_TIMEOUT: '5' }, 'is not a map of whole numbers', 'TLS_HANDSHAKE_TIMEOUT: 5'],
    ['duration', '5 minutes', "'5 minutes' is not a Go duration string", "e.g. '5m'"],
    ['duration', '5', "'5' is not a Go duration string", "e.g. '5m'"],
    ['table', [{ run_as_user: 1000 }], 'is not a table (a map of keys)', 'e.g. { key: value }'],
    ['table', 'run_as_user=1000', 'is not a table', 'e.g. { key: value }'],
    ['tables', { ip: '10.0.0.1' }, 'is not a list of tables', 'e.g. [{ key: value }]'],
    ['tables', ['10.0.0.1 a'], 'is not a list of tables', 'e.g. [{ key: value }]'],
  ];
  test.each(refused)('%s refuses %j', (kind, value, message, fix) => {
    const problem = keyValueProblem(kind, value);
    expect(problem?.message).toContain(message);
    expect(problem?.message).toContain('GitLab Runner cannot decode it and refuses to load config.toml, so the manager does not start.');
    expect(problem?.fix).toContain(fix);
  });
});

test('the escape hatch knows every key of [runners.kubernetes] and no other', () => {
  expect([...kubernetesKeys()]).toEqual(Object.keys(KUBERNETES_TABLES['']));
  expect(kubernetesKeys().size).toBe(113);
  expect(kubernetesKeys().has('')).toBe(false);
});

describe('entryProblems: an escape-hatch entry checked down to its last key', () => {
  test('a well-formed nested entry has no problem; maps take any key', () => {
    expect(entryProblems('', 'volumes', { empty_dir: [{ name: 'scratch', mount_path: '/scratch', medium: 'Memory' }] }, 'extraConfig.volumes')).toEqual([]);
    expect(entryProblems('', 'retry_limits', { 'any key the runner defines': 3 }, 'extraConfig.retry_limits')).toEqual([]);
  });

  test('every problem is reported at its own place, in a list of tables too', () => {
    const problems = entryProblems('', 'volumes', { empty_dir: [{ name: 'a', mount_pth: '/a' }, { name: 7 }], host_paths: [] }, 'extraConfig.volumes');
    expect(problems.map((p) => p.field)).toEqual([
      'extraConfig.volumes.empty_dir[0].mount_pth',
      'extraConfig.volumes.empty_dir[1].name',
      'extraConfig.volumes.host_paths',
    ]);
    expect(problems[0].message).toBe("GitLab Runner has no [runners.kubernetes.volumes.empty_dir] key 'mount_pth'; it would silently ignore it.");
    expect(problems[1].message).toContain('7 is not a string');
  });

  test('a wrong type stops the descent: a list where a table belongs is one problem, not one per item', () => {
    expect(entryProblems('', 'pod_security_context', [{ run_as_user: 'x' }], 'f')).toEqual([
      expect.objectContaining({ field: 'f', message: expect.stringContaining('is not a table') }),
    ]);
  });
});

describe('entryProblems: keys with a fixed set of values', () => {
  test('a misspelt seccomp profile type is refused with the values the runner accepts', () => {
    expect(entryProblems('', 'build_container_security_context', { seccomp_profile: { type: 'runtimedefault' } }, 'extraConfig.build_container_security_context')).toEqual([{
      field: 'extraConfig.build_container_security_context.seccomp_profile.type',
      message: "'runtimedefault' is not a value GitLab Runner accepts for type (RuntimeDefault, Localhost, Unconfined); it drops the setting or the job pod is rejected.",
      fix: "use one of 'RuntimeDefault', 'Localhost', 'Unconfined'.",
    }]);
  });

  test('where the runner compares without case, any case is accepted', () => {
    expect(entryProblems('', 'build_container_security_context', { proc_mount: 'Unmasked' }, 'f')).toEqual([]);
    expect(entryProblems('', 'build_container_security_context', { proc_mount: 'masked' }, 'f')).toHaveLength(1);
  });

  test('values of the set are accepted, in lists of tables too', () => {
    expect(entryProblems('', 'volumes', { empty_dir: [{ name: 'm', mount_path: '/m', medium: 'Memory', mount_propagation: 'HostToContainer' }] }, 'f')).toEqual([]);
    expect(entryProblems('', 'volumes', { empty_dir: [{ name: 'm', mount_path: '/m', medium: 'memory' }] }, 'f')).toEqual([
      expect.objectContaining({ field: 'f.empty_dir[0].medium', fix: "use one of '', 'Memory'." }),
    ]);
  });
});

test("keys Object.prototype has ('constructor', 'toString', '__proto__') are unknown keys, at any depth", () => {
  const nested = JSON.parse('{"constructor": 1, "toString": "x", "__proto__": {}}');
  expect(entryProblems('', 'pod_security_context', nested, 'f').map((p) => p.field)).toEqual(['f.constructor', 'f.toString', 'f.__proto__']);
  expect(entryProblems('', 'constructor', 1, 'extraConfig.constructor')[0].message).toBe("GitLab Runner has no [runners.kubernetes] key 'constructor'; it would silently ignore it.");
});
