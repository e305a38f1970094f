// Small helpers for the plain objects the renderers build. Output order must not depend on locale or insertion, so
// keys are sorted by code unit.

/** Code-unit order of two strings (locale-independent, so output is byte-stable everywhere). */
export function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The same record with its keys in code-unit order. */
export function sortedByKey<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => byCodeUnit(a, b)));
}

/** The same record without its undefined values, so writers never print them. */
export function compact<T extends object>(record: T): T {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined)) as T;
}

/** The record, or undefined when it has no key. */
export function nonEmptyRecord<T extends object>(record: T): T | undefined {
  return Object.keys(record).length > 0 ? record : undefined;
}

/** The list, or undefined when it is empty. */
export function nonEmptyList<T>(list: T[]): T[] | undefined {
  return list.length > 0 ? list : undefined;
}
