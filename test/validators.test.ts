import { Duration } from 'cdk8s';
import { asText, plainProps, show } from '../src/internal/validate/validators';

describe('plainProps', () => {
  test('objects without a prototype become plain objects, at any depth, with the same keys and values', () => {
    const inner = Object.assign(Object.create(null), { cpu: '1' });
    const props = { resources: Object.assign(Object.create(null), { limits: inner }), list: [inner] };
    const copy = plainProps(props);
    expect(Object.getPrototypeOf(copy.resources)).toBe(Object.prototype);
    expect(Object.getPrototypeOf(copy.list[0])).toBe(Object.prototype);
    expect(copy).toEqual({ resources: { limits: { cpu: '1' } }, list: [{ cpu: '1' }] });
    expect(() => `${copy.list[0] as unknown as string}`).not.toThrow();
  });

  test('lists become dense: a hole is an undefined entry that validators visit', () => {
    // eslint-disable-next-line no-sparse-arrays
    const copy = plainProps({ command: ['a', , 'c'] });
    expect(Object.keys(copy.command)).toEqual(['0', '1', '2']);
    expect(copy.command[1]).toBeUndefined();
  });

  test('class instances are kept as they are, and the caller\u2019s objects are not changed', () => {
    const timeout = Duration.seconds(5);
    const props = { pollTimeout: timeout, nodeSelector: { a: 'b' } };
    const copy = plainProps(props);
    expect(copy.pollTimeout).toBe(timeout);
    expect(copy.nodeSelector).not.toBe(props.nodeSelector);
    copy.nodeSelector.a = 'changed';
    expect(props.nodeSelector.a).toBe('b');
  });

  test('an own __proto__ key stays a key, and cycles are copied as cycles', () => {
    const parsed = JSON.parse('{"__proto__": {"polluted": true}, "a": 1}');
    const copy = plainProps(parsed);
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(Object.keys(copy)).toEqual(['__proto__', 'a']);
    const cyclic: Record<string, unknown> = { name: 'x' };
    cyclic.self = cyclic;
    const c = plainProps(cyclic);
    expect(c.self).toBe(c);
  });

  test('undefined and primitives pass through', () => {
    expect(plainProps(undefined)).toBeUndefined();
    expect(plainProps('x')).toBe('x');
  });
});

describe('show and asText never throw, whatever the value', () => {
  const cyclic: Record<string, unknown> = {};
  cyclic.self = cyclic;
  test.each<[string, unknown, string]>([
    ['a big integer', 10n, '"10n"'],
    ['a big integer inside a list', [1n], '["1n"]'],
    ['an object without a prototype', Object.create(null), '{}'],
    ['a cycle', cyclic, '[object Object]'],
    ['a symbol', Symbol('s'), 'Symbol(s)'],
  ])('show: %s', (_what, value, shown) => {
    expect(show(value)).toBe(shown);
  });

  test('asText: String() where it works, the shown value where String() throws', () => {
    expect(asText(1450)).toBe('1450');
    expect(asText(['a', 'b'])).toBe('a,b');
    expect(asText(Object.create(null))).toBe('{}');
    expect(asText([Object.create(null)])).toBe('[{}]');
  });
});
