// Key names of GitLab Runner 19.4's config.toml that this library needs at run time, to vet escape-hatch keys and
// their values. test/conformance.test.ts checks them against ../shared/reference, so they cannot drift from the runner.

import { caseProblem, integerRangeProblem, nanosecondsProblem, requiredFieldsProblem } from './decoder-rules';
import { KeyKind } from './key-kind';
import { KEYS_MESSAGES as M } from './keys.messages';
import type * as RunnerTables from './kubernetes-tables.generated';
import type { Problem } from '../../model/problem';
import { isPlainMap } from '../validate/validators';

/**
 * The runner's [runners.kubernetes] tables, loaded on first use: only the escape hatch needs them, and most fleets
 * set none of its keys (loading them costs a few milliseconds of every synth).
 */
function runnerTables(): typeof RunnerTables {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('./kubernetes-tables.generated') as typeof RunnerTables;
}

let keys: ReadonlySet<string> | undefined;

/** Every key of `[runners.kubernetes]`. */
export function kubernetesKeys(): ReadonlySet<string> {
  keys ??= new Set(Object.keys(runnerTables().KUBERNETES_TABLES['']));
  return keys;
}

// What Go's time.ParseDuration accepts, e.g. 300ms, 5m, 1h30m, 1.5h.
const GO_DURATION = /^[-+]?(0|((\d+(\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h))+)$/;

const isString = (v: unknown): boolean => typeof v === 'string';
const isInteger = (v: unknown): boolean => Number.isSafeInteger(v);
const everyValue = (v: unknown, ok: (x: unknown) => boolean): boolean => isPlainMap(v) && Object.values(v as object).every(ok);
const everyItem = (v: unknown, ok: (x: unknown) => boolean): boolean => Array.isArray(v) && v.every(ok);

/** Per kind: which values decode, what they look like (for messages) and an example (for fixes). */
const KINDS: Record<KeyKind, { readonly accepts: (v: unknown) => boolean; readonly noun: string; readonly example: string }> = {
  string: { accepts: isString, noun: 'a string', example: "'value'" },
  integer: { accepts: isInteger, noun: 'a whole number', example: '180' },
  number: { accepts: (v) => typeof v === 'number' && Number.isFinite(v), noun: 'a number', example: '1.5' },
  boolean: { accepts: (v) => typeof v === 'boolean', noun: 'true or false', example: 'true' },
  strings: { accepts: (v) => everyItem(v, isString), noun: 'a list of strings', example: "['a', 'b']" },
  integers: { accepts: (v) => everyItem(v, isInteger), noun: 'a list of whole numbers', example: '[1000, 2000]' },
  stringOrStrings: {
    accepts: (v) => isString(v) || everyItem(v, isString), noun: 'a string or a list of strings', example: "['if-not-present', 'always']",
  },
  stringMap: { accepts: (v) => everyValue(v, isString), noun: 'a map of string values', example: "{ key: 'value' }" },
  integerMap: { accepts: (v) => everyValue(v, isInteger), noun: 'a map of whole numbers', example: '{ TLS_HANDSHAKE_TIMEOUT: 5 }' },
  duration: { accepts: (v) => isString(v) && GO_DURATION.test(v as string), noun: 'a Go duration string', example: "'5m'" },
  table: { accepts: isPlainMap, noun: 'a table (a map of keys)', example: '{ key: value }' },
  tables: { accepts: (v) => everyItem(v, isPlainMap), noun: 'a list of tables', example: '[{ key: value }]' },
};

/**
 * Why the runner could not decode `value` for a `[runners.kubernetes]` key of this kind, or undefined when it can.
 * A value of the wrong type makes GitLab Runner refuse the whole config.toml, so the manager does not start.
 */
export function keyValueProblem(kind: KeyKind, value: unknown): Problem | undefined {
  const { accepts, noun, example } = KINDS[kind];
  if (accepts(value)) return undefined;
  // A time.Duration decodes a TOML integer as nanoseconds: the file loads, with a surely unintended value.
  if (kind === 'duration' && Number.isSafeInteger(value)) return nanosecondsProblem(value as number);
  return M.wrongType(value, noun, example);
}

/** A problem of one entry of an escape-hatch table, at its place below the escape hatch. */
export interface EntryProblem {
  readonly field: string;
  readonly message: string;
  readonly fix: string;
}

/**
 * Every problem of `value` as the key `key` of the `[runners.kubernetes]` table at `tablePath` ('' for that table),
 * down to the last nested key: keys the runner does not know (it would silently ignore them) and values it cannot
 * decode (it would refuse the whole config.toml).
 */
export function entryProblems(tablePath: string, key: string, value: unknown, field: string): EntryProblem[] {
  const { KUBERNETES_ENUMS, KUBERNETES_TABLES } = runnerTables();
  // Own keys only: 'constructor' or 'toString' is no runner key.
  const own = (record: object | undefined, name: string) => record !== undefined && Object.prototype.hasOwnProperty.call(record, name);
  const kind = own(KUBERNETES_TABLES[tablePath], key) ? KUBERNETES_TABLES[tablePath][key] : undefined;
  const table = `[runners.kubernetes${tablePath ? `.${tablePath}` : ''}]`;
  if (kind === undefined) {
    const sameKey = caseProblem(key, Object.keys(KUBERNETES_TABLES[tablePath] ?? {}), table);
    if (sameKey) return [{ field, ...sameKey }];
    return [{ field, ...M.unknownKey(table, key) }];
  }
  const problem = keyValueProblem(kind, value);
  if (problem) return [{ field, ...problem }];
  const inner = tablePath ? `${tablePath}.${key}` : key;
  const outOfRange = (Array.isArray(value) ? value : [value]).map((v) => integerRangeProblem(inner, key, v)).find((p) => p !== undefined);
  if (outOfRange) return [{ field, ...outOfRange }];
  const allowed = own(KUBERNETES_ENUMS, inner) ? KUBERNETES_ENUMS[inner] : undefined;
  if (allowed) {
    const known = (v: unknown) => allowed.values.some((a) => (allowed.ignoreCase ? a.toLowerCase() === String(v).toLowerCase() : a === v));
    const unknown = (Array.isArray(value) ? value : [value]).filter((v) => !known(v));
    if (unknown.length > 0) {
      return [{ field, ...M.enumValue(unknown, key, allowed.values) }];
    }
  }
  const entries = (t: unknown, at: string) => Object.entries(t as object).flatMap(([k, v]) => entryProblems(inner, k, v, `${at}.${k}`));
  if (kind === 'table') return entries(value, field);
  if (kind === 'tables') {
    return (value as unknown[]).flatMap((item, i) => {
      const missing = requiredFieldsProblem(inner, item as Record<string, unknown>);
      return [...(missing ? [{ field: `${field}[${i}]`, ...missing }] : []), ...entries(item, `${field}[${i}]`)];
    });
  }
  return [];
}

/** Every feature flag the runner knows (`[runners.feature_flags]`). */
export const FEATURE_FLAGS: ReadonlySet<string> = new Set(`
  FF_TEST_FEATURE FF_NETWORK_PER_BUILD FF_USE_LEGACY_KUBERNETES_EXECUTION_STRATEGY FF_USE_DIRECT_DOWNLOAD
  FF_USE_FASTZIP FF_DISABLE_UMASK_FOR_DOCKER_EXECUTOR FF_ENABLE_BASH_EXIT_CODE_CHECK
  FF_USE_WINDOWS_LEGACY_PROCESS_STRATEGY FF_USE_LEGACY_BASH_EVAL FF_USE_POWERSHELL_PATH_RESOLVER
  FF_USE_DYNAMIC_TRACE_FORCE_SEND_INTERVAL FF_SCRIPT_SECTIONS FF_ENABLE_JOB_CLEANUP
  FF_KUBERNETES_HONOR_ENTRYPOINT FF_POSIXLY_CORRECT_ESCAPES FF_RESOLVE_FULL_TLS_CHAIN
  FF_DISABLE_POWERSHELL_STDIN FF_USE_POD_ACTIVE_DEADLINE_SECONDS FF_USE_ADVANCED_POD_SPEC_CONFIGURATION
  FF_SECRET_RESOLVING_FAILS_IF_MISSING FF_PRINT_POD_EVENTS FF_USE_GIT_BUNDLE_URIS FF_USE_GIT_NATIVE_CLONE
  FF_USE_DUMB_INIT_WITH_KUBERNETES_EXECUTOR FF_USE_INIT_WITH_DOCKER_EXECUTOR FF_LOG_IMAGES_CONFIGURED_FOR_JOB
  FF_USE_DOCKER_AUTOSCALER_DIAL_STDIO FF_CLEAN_UP_FAILED_CACHE_EXTRACT FF_USE_WINDOWS_JOB_OBJECT FF_TIMESTAMPS
  FF_DISABLE_AUTOMATIC_TOKEN_ROTATION FF_USE_LEGACY_GCS_CACHE_ADAPTER FF_DISABLE_UMASK_FOR_KUBERNETES_EXECUTOR
  FF_USE_LEGACY_S3_CACHE_ADAPTER FF_GIT_URLS_WITHOUT_TOKENS FF_WAIT_FOR_POD_TO_BE_REACHABLE
  FF_MASK_ALL_DEFAULT_TOKENS FF_EXPORT_HIGH_CARDINALITY_METRICS FF_USE_FLEETING_ACQUIRE_HEARTBEATS
  FF_USE_EXPONENTIAL_BACKOFF_STAGE_RETRY FF_USE_ADAPTIVE_REQUEST_CONCURRENCY FF_USE_GITALY_CORRELATION_ID
  FF_USE_GIT_PROACTIVE_AUTH FF_HASH_CACHE_KEYS FF_ENABLE_JOB_INPUTS_INTERPOLATION FF_USE_JOB_ROUTER
  FF_SCRIPT_TO_STEP_MIGRATION FF_USE_PARALLEL_CACHE_TRANSFER FF_USE_PARALLEL_ARTIFACT_TRANSFER FF_CONCRETE
  FF_SUSPENDABLE_ENVIRONMENTS FF_USE_NATIVE_CONTAINER_STOP
`.trim().split(/\s+/));
