// What GitLab Runner's config decoding refuses beyond a value's type, for the escape hatch: integers outside their Go
// field's range (BurntSushi/toml: "N is out of range for int32"), tables whose custom decoder requires fields
// (KubernetesNFS.UnmarshalTOML), keys spelled in another case (matched case-insensitively, so they are the same key)
// and bare numbers for durations (a time.Duration decodes an integer as nanoseconds). test/decoder-rules.test.ts
// checks the tables against ../shared/reference and the messages against the decoder itself.

import { DECODER_RULES_MESSAGES as M } from './decoder-rules.messages';
import type { Problem } from '../../model/problem';

/** A Go integer type narrower than the int64 every other integer key of `[runners.kubernetes]` has. */
export type GoIntegerType = 'int8' | 'int16' | 'int32' | 'uint8' | 'uint16' | 'uint32' | 'uint' | 'uint64';

/** The range of each narrow Go integer type (uint and uint64 only exclude negatives: above 2^53 no number is safe). */
export const GO_INTEGER_RANGES: Readonly<Record<GoIntegerType, readonly [number, number]>> = {
  int8: [-128, 127],
  int16: [-32768, 32767],
  int32: [-2147483648, 2147483647],
  uint8: [0, 255],
  uint16: [0, 65535],
  uint32: [0, 4294967295],
  uint: [0, Number.MAX_SAFE_INTEGER],
  uint64: [0, Number.MAX_SAFE_INTEGER],
};

/**
 * Integer keys below `[runners.kubernetes]` whose Go field is narrower than int64, in every runner version of the
 * reference (the dotted path, arrays of tables written like tables).
 */
export const NARROW_INTEGER_KEYS: Readonly<Record<string, GoIntegerType>> = {
  'affinity.node_affinity.preferred_during_scheduling_ignored_during_execution.weight': 'int32',
  'affinity.pod_affinity.preferred_during_scheduling_ignored_during_execution.weight': 'int32',
  'affinity.pod_anti_affinity.preferred_during_scheduling_ignored_during_execution.weight': 'int32',
};

/** Tables with a custom decoder that refuses the whole config.toml when a field is missing or empty. */
export const REQUIRED_FIELDS: Readonly<Record<string, readonly string[]>> = {
  // KubernetesNFS.UnmarshalTOML: "nfs volume: missing required fields: ..." (GitLab Runner 19.0 and later).
  'volumes.nfs': ['name', 'mount_path', 'server', 'path'],
};

/** The problem of an integer outside its Go field's range, if it is. */
export function integerRangeProblem(path: string, key: string, value: unknown): Problem | undefined {
  const type = Object.prototype.hasOwnProperty.call(NARROW_INTEGER_KEYS, path) ? NARROW_INTEGER_KEYS[path] : undefined;
  if (type === undefined || typeof value !== 'number') return undefined;
  const [min, max] = GO_INTEGER_RANGES[type];
  if (value >= min && value <= max) return undefined;
  return M.integerRange(value, key, type, min, max);
}

/** The problem of a table whose custom decoder requires fields, if any is missing or empty. */
export function requiredFieldsProblem(path: string, table: Record<string, unknown>): Problem | undefined {
  const required = Object.prototype.hasOwnProperty.call(REQUIRED_FIELDS, path) ? REQUIRED_FIELDS[path] : undefined;
  // The decoder reads only string values; another type counts as missing (the type checks report it too).
  const missing = (required ?? []).filter((f) => typeof table[f] !== 'string' || table[f] === '');
  if (missing.length === 0) return undefined;
  return M.requiredFields(missing, path, required!);
}

/** The problem of a key the runner reads as another key of the table (its decoder ignores case), if it is one. */
export function caseProblem(key: string, keys: readonly string[], table: string): Problem | undefined {
  const canonical = keys.find((k) => k !== key && k.toLowerCase() === key.toLowerCase());
  if (canonical === undefined) return undefined;
  return M.otherCase(key, table, canonical);
}

/** The problem of a bare number given for a Go duration: the runner decodes it as nanoseconds. */
export function nanosecondsProblem(value: number): Problem {
  return M.nanoseconds(value);
}
