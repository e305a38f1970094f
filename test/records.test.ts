import { sameEntries } from '../src/internal/render/records';

describe('sameEntries', () => {
  test('the same keys with the same values are the same, in any order', () => {
    expect(sameEntries({ cpu_request: '1', memory_limit: '1Gi' }, { memory_limit: '1Gi', cpu_request: '1' })).toBe(true);
    expect(sameEntries({}, {})).toBe(true);
  });

  test('a differing value, a missing key or an extra key makes them differ', () => {
    expect(sameEntries({ cpu_request: '1' }, { cpu_request: '2' })).toBe(false);
    expect(sameEntries({ cpu_request: '1' }, { cpu_limit: '1' })).toBe(false);
    expect(sameEntries({ cpu_request: '1' }, { cpu_request: '1', cpu_limit: '2' })).toBe(false);
  });

  test('values of any type compare without throwing', () => {
    expect(sameEntries({ a: 10n }, { a: 10n })).toBe(true);
    expect(sameEntries({ a: NaN }, { a: NaN })).toBe(true);
    expect(sameEntries({ a: {} }, { a: {} })).toBe(false);
  });
});
