import { Quantity } from '../src';

// Parsed the way Kubernetes' resource.ParseQuantity reads quantities, held exactly in nano-units.

const NANO = 1_000_000_000n;

describe('Quantity.parse', () => {
  test.each([
    ['500m', 500_000_000n],
    ['2', 2n * NANO],
    ['1.5', 1_500_000_000n],
    ['0.1', 100_000_000n],
    ['.5', 500_000_000n],
    ['1.', NANO],
    ['+1', NANO],
    ['0', 0n],
    ['1e3', 1000n * NANO],
    ['1E3', 1000n * NANO],
    ['1.5e3', 1500n * NANO],
    ['5e-1', 500_000_000n],
    ['1e-9', 1n],
    ['1k', 1000n * NANO],
    ['1M', 1_000_000n * NANO],
    ['1G', 1_000_000_000n * NANO],
    ['1E', 10n ** 18n * NANO],
    ['1Ki', 1024n * NANO],
    ['1Mi', 1024n * 1024n * NANO],
    ['1.5Gi', 1536n * 1024n * 1024n * NANO],
    ['1Ei', 2n ** 60n * NANO],
    ['250u', 250_000n],
    ['7n', 7n],
  ])('%s is %p nano-units', (text, nanos) => {
    const q = Quantity.parse(text);
    expect(q._nanos).toBe(nanos);
    expect(q.text).toBe(text);
    expect(q.toString()).toBe(text);
  });

  test('1Ki (binary) and 1k (decimal) differ', () => {
    expect(Quantity.parse('1Ki').compareTo(Quantity.parse('1k'))).toBe(1);
    expect(Quantity.parse('1Ki')._nanos - Quantity.parse('1k')._nanos).toBe(24n * NANO);
  });

  test('precision below one nano-unit is rounded up, never to zero (like Kubernetes)', () => {
    expect(Quantity.parse('0.5n')._nanos).toBe(1n);
    expect(Quantity.parse('1.5n')._nanos).toBe(2n);
    expect(Quantity.parse('1e-10')._nanos).toBe(1n);
    expect(Quantity.parse('0.0000000001')._nanos).toBe(1n);
    expect(Quantity.parse('-0.5n')._nanos).toBe(-1n);
  });

  test('negative quantities parse but are not valid resource values', () => {
    expect(Quantity.parse('-1')._nanos).toBe(-NANO);
    expect(Quantity.isValid('-1')).toBe(false);
    expect(Quantity.isValid('-500m')).toBe(false);
  });

  test.each(['2cores', '1 Gi', ' 1', '1gi', '1KI', '1ki', '1e', 'e3', '1.2.3', '', '.', 'm', '1mi', '1Gb', '0x10', '1,5', '1e31', 'Infinity', 'NaN'])(
    '%p is refused with the syntax in the message',
    (text) => {
      expect(Quantity.isValid(text)).toBe(false);
      expect(() => Quantity.parse(text)).toThrow(`'${text}' is not a Kubernetes quantity (examples: 500m, 2, 1.5, 512Mi, 2Gi, 1e9)`);
    },
  );

  test('a value that is not a string is refused', () => {
    expect(Quantity.isValid(2 as unknown as string)).toBe(false);
    expect(() => Quantity.parse(undefined as unknown as string)).toThrow(/is not a Kubernetes quantity/);
  });

  test('large exponents are exact', () => {
    expect(Quantity.parse('1e30')._nanos).toBe(10n ** 39n);
    expect(Quantity._nanosOf('2Ei')).toBe(2n ** 61n * NANO);
  });
});

describe('Quantity.isValid', () => {
  test.each(['500m', '0', '2', '1.5Gi', '1e3', '.5'])('%p is valid', (text) => {
    expect(Quantity.isValid(text)).toBe(true);
  });
});

describe('compareTo', () => {
  test.each([
    ['500m', '0.5', 0],
    ['1', '1000m', 0],
    ['1Gi', '1024Mi', 0],
    ['1e3', '1k', 0],
    ['1G', '1Gi', -1],
    ['2', '1999m', 1],
    ['-1', '0', -1],
    ['1n', '0', 1],
  ])('%s vs %s is %i', (a, b, expected) => {
    expect(Quantity.parse(a).compareTo(Quantity.parse(b))).toBe(expected);
    expect(Quantity.parse(b).compareTo(Quantity.parse(a))).toBe(-expected || 0);
  });
});

describe('toNumber', () => {
  test('base units as a float for display', () => {
    expect(Quantity.parse('500m').toNumber()).toBe(0.5);
    expect(Quantity.parse('2Gi').toNumber()).toBe(2 * 1024 ** 3);
  });
});

describe('_fromNanos renders the shortest exact form', () => {
  test.each([
    [0n, '0'],
    [NANO, '1'],
    [2n * NANO, '2'],
    [500_000_000n, '500m'],
    [1_500_000_000n, '1500m'],
    [1024n * NANO, '1Ki'],
    [1536n * 1024n * 1024n * NANO, '1536Mi'],
    [2n * 1024n ** 3n * NANO, '2Gi'],
    [1000n * NANO, '1k'],
    [10n ** 9n * NANO, '1G'],
    [10n ** 12n * NANO, '1T'],
    [10n ** 18n * NANO, '1E'],
    [1_000n, '1u'],
    [1n, '1n'],
    [123_456_789n, '123456789n'],
    [-500_000_000n, '-500m'],
    [-(1024n ** 2n) * NANO, '-1Mi'],
  ])('%p nano-units is %p', (nanos, text) => {
    const q = Quantity._fromNanos(nanos);
    expect(q.text).toBe(text);
    expect(q._nanos).toBe(nanos);
  });

  test('round-trips through parse for sums of mixed units', () => {
    const sum = ['2', '500m', '1.5'].map((t) => Quantity._nanosOf(t)).reduce((a, b) => a + b, 0n);
    const q = Quantity._fromNanos(sum);
    expect(q.text).toBe('4');
    const memory = ['2Gi', '2Gi', '512Mi'].map((t) => Quantity._nanosOf(t)).reduce((a, b) => a + b, 0n);
    expect(Quantity._fromNanos(memory).text).toBe('4608Mi');
    expect(Quantity.parse(Quantity._fromNanos(memory).text)._nanos).toBe(memory);
  });

  test('every rendered form parses back to the same value', () => {
    for (let nanos = 1n; nanos < 10n ** 25n; nanos *= 7n) {
      expect(Quantity.parse(Quantity._fromNanos(nanos).text)._nanos).toBe(nanos);
    }
  });
});
