import { fastYaml, fastYamlKey, fastYamlListItem } from './fast-yaml';
import { anyNeedsQuoting, carefulYaml, needsQuoting } from './yaml';

// Small helpers for the plain objects the renderers build. Output order must not depend on locale or insertion, so
// keys are sorted by code unit.

/** Code-unit order of two strings (locale-independent, so output is byte-stable everywhere). */
export function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Sets an own enumerable property, as Object.fromEntries does: assigning `__proto__` would set the prototype instead
 * (a user's map may hold any key, e.g. an environment variable named so).
 */
export function setOwn(record: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
  else record[key] = value;
}

/** The same record with its keys in code-unit order. */
export function sortedByKey<T>(record: Record<string, T>): Record<string, T> {
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(record).sort(byCodeUnit)) setOwn(sorted, key, record[key]);
  return sorted as Record<string, T>;
}

/** The same record without its undefined values, so writers never print them. */
export function compact<T extends object>(record: T): T {
  const kept: Record<string, unknown> = {};
  for (const key of Object.keys(record)) {
    const v = (record as Record<string, unknown>)[key];
    if (v !== undefined) setOwn(kept, key, v);
  }
  return kept as T;
}

/** Whether two records hold the same keys with the same values (`Object.is`), in any order. */
export function sameEntries(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => Object.prototype.hasOwnProperty.call(b, k) && Object.is(a[k], b[k]));
}

/** The record, or undefined when it has no key. */
export function nonEmptyRecord<T extends object>(record: T): T | undefined {
  return Object.keys(record).length > 0 ? record : undefined;
}

/** The list, or undefined when it is empty. */
export function nonEmptyList<T>(list: T[]): T[] | undefined {
  return list.length > 0 ? list : undefined;
}

/**
 * YAML of a plain value, in the bytes cdk8s's own YAML writer prints (YAML 1.1 like the manifests, no line folding),
 * written by src/internal/render/fast-yaml.ts, which leaves to that writer what it does not cover. The JSON copy first leaves undefined values out and prints an
 * object used twice in full rather than as an anchor and alias. A value holding a string that YAML readers would not
 * read back as written (src/internal/render/yaml.ts) is written with that string double-quoted and escaped.
 */
export function toYaml(value: unknown): string {
  const plain: unknown = jsonCopy(value, '');
  return anyNeedsQuoting(plain) ? carefulYaml([plain]) : fastYaml(plain);
}

/**
 * `toYaml({ [key]: list })` of a long list whose items `item(0)` ... `item(count - 1)` builds: each item is copied and
 * written as soon as it is built, so neither the list nor its copy is ever held whole (a big fleet's job pod preview
 * is megabytes of objects). An item the fast writer leaves to the library, or that holds a string to quote, sends the
 * whole value to `toYaml`, which then builds every item again.
 */
export function toYamlOfList(key: string, count: number, item: (i: number) => unknown): string {
  const head = count > 0 && !needsQuoting(key) ? fastYamlKey(key) : undefined;
  // The key line and every item, joined once into one flat string.
  const pieces: string[] = [head ?? ''];
  for (let i = 0; head !== undefined && i < count; i++) {
    // An item that copies to nothing is null in the list, as in a JSON copy of the whole.
    const plain = jsonCopy(item(i), String(i)) ?? null;
    const piece = anyNeedsQuoting(plain) ? undefined : fastYamlListItem(plain);
    if (piece === undefined) break;
    pieces.push(piece);
  }
  if (head === undefined || pieces.length < count + 1) {
    const whole: Record<string, unknown> = {};
    setOwn(whole, key, Array.from({ length: count }, (_, i) => item(i)));
    return toYaml(whole);
  }
  return pieces.join('');
}

/**
 * What `JSON.parse(JSON.stringify(value))` returns, without the text in between (review files of big fleets are
 * megabytes): `toJSON` called, undefined, functions and symbols left out of objects and null in arrays, numbers that
 * are not finite null, -0 written 0, boxed primitives unboxed; a BigInt throws, as JSON.stringify does.
 */
export function jsonCopy(value: unknown, key: string): unknown {
  if (value !== null && (typeof value === 'object' || typeof value === 'bigint')
    && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    value = (value as { toJSON: (key: string) => unknown }).toJSON(key);
  }
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) ? (value === 0 ? 0 : value) : null;
    case 'bigint':
      throw new TypeError('Do not know how to serialize a BigInt');
    case 'object':
      break;
    default:
      return undefined;
  }
  if (value === null) return null;
  if (value instanceof Number || value instanceof String || value instanceof Boolean) return jsonCopy(value.valueOf(), key);
  if (Array.isArray(value)) return value.map((v, i) => jsonCopy(v, String(i)) ?? null);
  const copy: Record<string, unknown> = {};
  for (const k of Object.keys(value)) {
    const v = jsonCopy((value as Record<string, unknown>)[k], k);
    if (v !== undefined) setOwn(copy, k, v);
  }
  return copy;
}
