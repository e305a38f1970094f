const NANO = 1_000_000_000n;

// Kubernetes resource.Quantity suffixes, as multipliers of the base unit expressed in nano-units.
const SUFFIX_NANOS: Record<string, bigint> = {
  'n': 1n,
  'u': 1_000n,
  'm': 1_000_000n,
  '': NANO,
  'k': 1_000n * NANO,
  'M': 1_000_000n * NANO,
  'G': 1_000_000_000n * NANO,
  'T': 1_000_000_000_000n * NANO,
  'P': 1_000_000_000_000_000n * NANO,
  'E': 1_000_000_000_000_000_000n * NANO,
  'Ki': 1024n * NANO,
  'Mi': 1024n ** 2n * NANO,
  'Gi': 1024n ** 3n * NANO,
  'Ti': 1024n ** 4n * NANO,
  'Pi': 1024n ** 5n * NANO,
  'Ei': 1024n ** 6n * NANO,
};

const QUANTITY_PATTERN = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(?:(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)|[eE]([+-]?\d+))?$/;

// Fleets repeat the same few amounts thousands of times, and BigInt arithmetic is slow: texts parsed and amounts
// formatted are kept (a bounded number of them).
const CACHED_MAX = 4096;
/** Nano-units of texts already parsed (null: not a quantity). */
const PARSED = new Map<string, bigint | null>();
/** Texts of amounts already formatted. */
const FORMATTED = new Map<bigint, string>();

/**
 * An exact Kubernetes resource quantity (`500m`, `2`, `1.5Gi`, `1e3`).
 *
 * Parsed the way `resource.ParseQuantity` reads it, and held exactly (in nano-units), so sums and
 * comparisons of CPU and memory never drift through floating point.
 */
export class Quantity {
  /**
   * Parse a Kubernetes quantity string.
   *
   * @throws if the text is not a Kubernetes quantity; the message says what the syntax is.
   */
  public static parse(text: string): Quantity {
    const nanos = Quantity.tryParseNanos(text);
    if (nanos === undefined) {
      throw new Error(`'${text}' is not a Kubernetes quantity (examples: 500m, 2, 1.5, 512Mi, 2Gi, 1e9)`);
    }
    return new Quantity(text, nanos);
  }

  /** Whether `text` is a valid, non-negative Kubernetes quantity. */
  public static isValid(text: string): boolean {
    const nanos = Quantity.tryParseNanos(text);
    return nanos !== undefined && nanos >= 0n;
  }

  /** @internal */
  public static _fromNanos(nanos: bigint): Quantity {
    return new Quantity(formatNanos(nanos), nanos);
  }

  /** @internal */
  public static _nanosOf(text: string): bigint {
    return Quantity.parse(text)._nanos;
  }

  private static tryParseNanos(text: string): bigint | undefined {
    if (typeof text !== 'string') return undefined;
    let nanos = PARSED.get(text);
    if (nanos === undefined) {
      if (PARSED.size >= CACHED_MAX) PARSED.clear();
      nanos = Quantity.parseNanos(text) ?? null;
      PARSED.set(text, nanos);
    }
    return nanos ?? undefined;
  }

  private static parseNanos(text: string): bigint | undefined {
    const match = QUANTITY_PATTERN.exec(text);
    if (!match) return undefined;
    const [, sign, number, suffix, exponent] = match;
    const [whole, fraction = ''] = number.split('.');
    const digits = BigInt((whole || '0') + fraction);
    const scale = 10n ** BigInt(fraction.length);
    let numerator: bigint;
    let denominator: bigint;
    if (exponent !== undefined) {
      const exp = Number(exponent);
      if (Math.abs(exp) > 30) return undefined;
      numerator = digits * NANO * (exp >= 0 ? 10n ** BigInt(exp) : 1n);
      denominator = scale * (exp < 0 ? 10n ** BigInt(-exp) : 1n);
    } else {
      numerator = digits * SUFFIX_NANOS[suffix ?? ''];
      denominator = scale;
    }
    // Like resource.ParseQuantity: precision below 1n is rounded up (away from zero), never dropped to 0.
    const nanos = (numerator + denominator - 1n) / denominator;
    return sign === '-' ? -nanos : nanos;
  }

  /** The text the quantity was written as. */
  public readonly text: string;

  /** @internal */
  public readonly _nanos: bigint;

  private constructor(text: string, nanos: bigint) {
    this.text = text;
    this._nanos = nanos;
  }

  /** The value in base units (cores for CPU, bytes for memory), as a floating-point number for display. */
  public toNumber(): number {
    return Number(this._nanos) / 1e9;
  }

  /** Negative, zero or positive as this quantity is less than, equal to or greater than `other`. */
  public compareTo(other: Quantity): number {
    return this._nanos < other._nanos ? -1 : this._nanos > other._nanos ? 1 : 0;
  }

  /** The text the quantity was written as. */
  public toString(): string {
    return this.text;
  }
}

// Every suffix, in the order that wins a tie in length: binary, then plain and decimal, then the small units.
const FORMAT_SUFFIXES = ['Ei', 'Pi', 'Ti', 'Gi', 'Mi', 'Ki', '', 'k', 'M', 'G', 'T', 'P', 'E', 'm', 'u', 'n'];


/** Renders nano-units in the shortest exact Kubernetes form (on a tie: binary suffix, then plain or decimal, then milli). */
function formatNanos(nanos: bigint): string {
  let text = FORMATTED.get(nanos);
  if (text === undefined) {
    if (FORMATTED.size >= CACHED_MAX) FORMATTED.clear();
    text = shortestText(nanos);
    FORMATTED.set(nanos, text);
  }
  return text;
}

function shortestText(nanos: bigint): string {
  if (nanos === 0n) return '0';
  const sign = nanos < 0n ? '-' : '';
  const abs = nanos < 0n ? -nanos : nanos;
  let best = `${abs}n`;
  for (const suffix of FORMAT_SUFFIXES) {
    const unit = SUFFIX_NANOS[suffix];
    if (abs % unit !== 0n) continue;
    const text = `${abs / unit}${suffix}`;
    if (text.length < best.length) best = text;
  }
  return `${sign}${best}`;
}
