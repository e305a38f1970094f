import { Amounts, Dimension, Free, RESOURCES } from '../../model/budget';
import { Quantity } from '../../model/quantity';
import { ResourceKind } from '../../model/resources';

// How reports and messages show amounts. Display only: no fit decision reads these strings.

const BINARY_UNITS: Array<[string, bigint]> = [['Ti', 1024n ** 4n], ['Gi', 1024n ** 3n], ['Mi', 1024n ** 2n], ['Ki', 1024n]];
const NANO = 1_000_000_000n;

/** Trims a fixed-point value with `decimals` digits after the point: 150 with 2 decimals → '1.5'. */
function fixed(scaled: bigint, decimals: number): string {
  const negative = scaled < 0n;
  const abs = negative ? -scaled : scaled;
  const unit = 10n ** BigInt(decimals);
  const whole = abs / unit;
  const fraction = (abs % unit).toString().padStart(decimals, '0').replace(/0+$/, '');
  return `${negative ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`;
}

/**
 * A CPU amount in cores (`1.5`, `0.25`), or a byte amount with the largest fitting binary suffix and at most two
 * decimals (`1.5Gi`). A `~` marks a value cut to that precision.
 */
export function showAmount(resource: ResourceKind, amount: bigint): string {
  if (resource === 'cpu') return `${amount % 1_000_000n === 0n ? '' : '~'}${fixed(amount / 1_000_000n, 3)}`;
  const bytes = amount / NANO;
  for (const [suffix, unit] of BINARY_UNITS) {
    if (bytes >= unit || bytes <= -unit) {
      return `${(bytes * 100n) % unit === 0n && amount % NANO === 0n ? '' : '~'}${fixed((bytes * 100n) / unit, 2)}${suffix}`;
    }
  }
  return `${amount % NANO === 0n ? '' : '~'}${bytes}`;
}

/** `cpu 1.5, memory 1.5Gi` for the resources present in `amounts` (zero ones left out unless `withZero`). */
export function showAmounts(amounts: Amounts, withZero = false): string {
  const parts = RESOURCES.filter((r) => amounts[r] !== undefined && (withZero || amounts[r] !== 0n))
    .map((r) => `${RESOURCE_LABEL[r]} ${showAmount(r, amounts[r]!)}`);
  return parts.length ? parts.join(', ') : 'nothing';
}

/** How reports and messages name a dimension. */
export const RESOURCE_LABEL: Record<Dimension, string> = { cpu: 'cpu', memory: 'memory', ephemeralStorage: 'ephemeral storage', pods: 'pods' };

/** A dimension of a free vector, for display. */
export function showFree(free: Free, d: Dimension): string {
  if (d === 'pods') return `${free.pods}`;
  const v = free[d];
  return v === undefined ? 'n/a' : showAmount(d, v);
}

/** `word` for one, `word` + s for any other count: `1 node`, `3 nodes` (the word only). */
export function plural(count: number, word: string): string {
  return `${word}${count === 1 ? '' : 's'}`;
}

/** The canonical Kubernetes quantity for an amount (exact; for machine-readable output). */
export function quantityText(amount: bigint): string {
  return Quantity._fromNanos(amount).text;
}
