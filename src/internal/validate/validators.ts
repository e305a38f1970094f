import { Construct } from 'constructs';

// Kubernetes' own syntax rules (apimachinery validation), used to refuse bad input at construction.

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** A DNS-1123 label: lower-case alphanumerics and '-', at most 63 characters (container and service names). */
export function isDns1123Label(value: string): boolean {
  return typeof value === 'string' && value.length <= 63 && DNS1123_LABEL.test(value);
}

/** A DNS-1123 subdomain: dot-separated labels, at most 253 characters (host aliases, search domains). */
export function isDns1123Subdomain(value: string): boolean {
  return typeof value === 'string' && value.length > 0 && value.length <= 253
    && value.split('.').every((label) => DNS1123_LABEL.test(label) && label.length <= 63);
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/** An IPv4 or IPv6 address literal. */
export function isIpAddress(value: string): boolean {
  if (typeof value !== 'string') return false;
  if (IPV4.test(value)) return true;
  return isIpv6(value);
}

function isIpv6(value: string): boolean {
  if (!/^[0-9a-fA-F:.]+$/.test(value) || !value.includes(':')) return false;
  // At most one '::'; every other group is 1-4 hex digits (an empty group from a stray ':' is not).
  const halves = value.split('::');
  if (halves.length > 2) return false;
  const parts = halves.map((h) => (h === '' ? [] : h.split(':')));
  // An embedded IPv4 address may only be the very last group, and counts as two.
  const lastPart = parts[parts.length - 1];
  let width = 0;
  if (lastPart.length > 0 && lastPart[lastPart.length - 1].includes('.')) {
    if (!IPV4.test(lastPart.pop()!)) return false;
    width = 2;
  }
  const groups = parts.flat();
  if (!groups.every((g) => /^[0-9a-fA-F]{1,4}$/.test(g))) return false;
  width += groups.length;
  return halves.length === 2 ? width < 8 : width === 8;
}

/** A Kubernetes label key: optional DNS subdomain prefix and '/', then a name of at most 63 characters. */
export function isLabelKey(key: string): boolean {
  if (typeof key !== 'string') return false;
  const parts = key.split('/');
  if (parts.length > 2) return false;
  const name = parts[parts.length - 1];
  if (parts.length === 2 && !isDns1123Subdomain(parts[0])) return false;
  return name.length > 0 && name.length <= 63 && /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(name);
}

/** A Kubernetes label value: empty, or at most 63 alphanumerics, '-', '_' and '.', starting and ending alphanumeric. */
export function isLabelValue(value: string): boolean {
  return typeof value === 'string' && value.length <= 63 && (value === '' || /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(value));
}

/**
 * A positive whole number (or zero when `allowZero`) that JavaScript holds exactly: beyond 2^53 - 1 the TOML writer
 * prints a float, which the runner's integer keys refuse.
 */
export function isWholeNumber(value: number, allowZero = true): boolean {
  return typeof value === 'number' && Number.isSafeInteger(value) && (allowZero ? value >= 0 : value > 0);
}

/** The most bytes of data a ConfigMap or Secret holds (apimachinery's MaxSecretSize, 1 MiB). */
export const CONFIG_MAP_MAX_BYTES = 1024 * 1024;
/** The most bytes all annotations of one object take together, keys and values (TotalAnnotationSizeLimitB, 256 KiB). */
export const ANNOTATIONS_MAX_BYTES = 256 * 1024;

/** The bytes a map's keys and values take in UTF-8, as the API server counts them. */
export function utf8Bytes(record: Record<string, unknown>): number {
  return Object.entries(record).reduce((sum, [k, v]) => sum + Buffer.byteLength(k) + (typeof v === 'string' ? Buffer.byteLength(v) : 0), 0);
}

/** The largest value of a Kubernetes int32 field (replicas, ports, user and group ids, maxSurge). */
export const INT32_MAX = 2147483647;

/**
 * Why a whole number given for `destination` is out of its range, if it is: above `max`, or beyond the integers
 * JavaScript holds exactly. Other problems (not a number, negative) are the caller's to report.
 */
export function rangeProblem(value: unknown, max: number, destination: string): { message: string; fix: string } | undefined {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) return undefined;
  if (value > max) return { message: `${value} is above ${max}, the largest value ${destination} holds.`, fix: `give at most ${max}.` };
  return undefined;
}

/** A plain key-value map: an object that is neither null nor an array. */
export function isPlainMap(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A copy of a construct's props in which every object without a prototype (`Object.create(null)`, as some parsers
 * build them) is a plain object and every list is dense, so that validation can print, compare and visit whatever it
 * is given. Class instances (Durations, constructs, tokens) are kept as they are.
 */
export function plainProps<T>(props: T): T {
  return copyPlain(props, new Map()) as T;
}

function copyPlain(value: unknown, copies: Map<object, unknown>): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const prototype: unknown = Object.getPrototypeOf(value);
  if (!Array.isArray(value) && prototype !== Object.prototype && prototype !== null) return value;
  const done = copies.get(value);
  if (done !== undefined) return done;
  if (Array.isArray(value)) {
    // Dense: a hole becomes undefined, so validators that loop with forEach or every see (and report) it.
    const list: unknown[] = [];
    copies.set(value, list);
    for (let i = 0; i < value.length; i++) list.push(copyPlain(value[i], copies));
    return list;
  }
  const copy: Record<string, unknown> = {};
  copies.set(value, copy);
  for (const key of Object.keys(value)) {
    // defineProperty, so that an own '__proto__' key stays a key instead of replacing the copy's prototype.
    const item = copyPlain((value as Record<string, unknown>)[key], copies);
    Object.defineProperty(copy, key, { value: item, enumerable: true, writable: true, configurable: true });
  }
  return copy;
}

/** `String(value)` for a value of any type, never throwing (an object without a prototype has no string form). */
export function asText(value: unknown): string {
  try {
    return String(value);
  } catch {
    return show(value);
  }
}

/** Renders a value for an error message: strings quoted, everything else as JSON. */
export function show(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (typeof value === 'number' || value === undefined) return String(value);
  if (Construct.isConstruct(value)) return `${value.constructor.name} ${value.node.path}`;
  // Bad input can be anything: big integers, cycles, objects without a prototype. Messages must still be written.
  try {
    return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v)) ?? String(value);
  } catch {
    try {
      return String(value);
    } catch {
      return Object.prototype.toString.call(value);
    }
  }
}

/** `show`, with a string holding control or line-break characters written as JSON so that the message shows them. */
export function showEscaped(value: unknown): string {
  return typeof value === 'string' && /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(value) ? JSON.stringify(value) : show(value);
}

/** IPv4's minimum MTU to the largest jumbo frame Linux interfaces commonly take. */
const MTU_MIN = 576;
const MTU_MAX = 9216;

/** A usable interface MTU. */
export function isMtu(value: number): boolean {
  return isWholeNumber(value, false) && value >= MTU_MIN && value <= MTU_MAX;
}

/** The fix for a bad MTU. */
export const MTU_FIX = `give the pod network MTU as a whole number from ${MTU_MIN} to ${MTU_MAX} (1450 on VXLAN, 1440 on Calico IPIP).`;
