import * as fc from 'fast-check';
import { jsonCopy } from '../src/internal/render/records';

// jsonCopy stands in for JSON.parse(JSON.stringify(value)) before every review file is written: it must return the
// same value for everything, the odd cases of JSON.stringify included.

const roundTrip = (v: unknown) => {
  const text = JSON.stringify(v);
  return text === undefined ? undefined : JSON.parse(text);
};

/**
 * Where two values differ: primitives by Object.is (so -0 is not 0), objects by prototype and own keys in order.
 * (Jest's toStrictEqual reads an own `constructor` key as the type, so it cannot compare these.)
 */
function differences(a: unknown, b: unknown, at: string): string[] {
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return Object.is(a, b) ? [] : [at];
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return [`${at} (prototype)`];
  const keys = Object.keys(a);
  if (keys.join('\u0000') !== Object.keys(b).join('\u0000')) return [`${at} (keys)`];
  return keys.flatMap((k) => differences((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${at}.${k}`));
}

const ODD: unknown[] = [
  0, -0, 1.5, -7, NaN, Infinity, -Infinity, '', 'x', '__proto__', true, false, null, undefined,
  () => 1, Symbol('s'), new Date(0), new Number(3), new String('boxed'), new Boolean(false),
  { toJSON: (key: string) => `json of ${key}` }, { toJSON: () => undefined },
];

const key = fc.constantFrom('a', 'b', '__proto__', 'constructor', 'toJSON', '0', '10', 'z');
const { value } = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, fc.constantFrom(...ODD), fc.double(), tie('list'), tie('map')),
  list: fc.array(tie('value'), { maxLength: 4 }),
  map: fc.dictionary(key, tie('value'), { maxKeys: 5 }),
}));

test('the odd cases of JSON.stringify come out as JSON.parse would give them', () => {
  for (const v of ODD) expect(differences(jsonCopy({ v, list: [v] }, ''), roundTrip({ v, list: [v] }), '')).toEqual([]);
  const withProto = JSON.parse('{"__proto__": {"polluted": 1}, "a": [1, -0]}');
  const copy = jsonCopy(withProto, '') as Record<string, unknown>;
  expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
  expect(Object.keys(copy)).toEqual(['__proto__', 'a']);
  expect(differences(copy, roundTrip(withProto), '')).toEqual([]);
  expect(differences(jsonCopy([-0], ''), [0], '')).toEqual([]);
  expect(differences([-0], [0], '')).toEqual(['.0']);
  expect(() => jsonCopy({ n: BigInt(1) }, '')).toThrow(TypeError);
});

test('random values: the same as the JSON round trip, key order included (2,000 runs)', () => {
  fc.assert(fc.property(value, (v) => {
    expect(differences(jsonCopy(v, ''), roundTrip(v), '')).toEqual([]);
  }), { numRuns: 2000, seed: 20261128 });
});
