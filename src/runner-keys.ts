// Key names of GitLab Runner 19.4's config.toml that this library needs at run time, to vet escape-hatch keys and
// their values. test/conformance.test.ts checks them against ../shared/reference, so they cannot drift from the runner.

import { isPlainMap, show } from './_validators';

/** How GitLab Runner decodes the TOML value of a `[runners.kubernetes]` key, from the key's Go type. */
export type KeyKind =
  | 'string' | 'integer' | 'boolean' | 'strings' | 'stringOrStrings' | 'stringMap' | 'integerMap' | 'duration'
  | 'table' | 'tables';

// Every key of [runners.kubernetes], grouped by how its value decodes.
const KUBERNETES_KEYS_BY_KIND: Record<KeyKind, string> = {
  string: `
    host context cert_file key_file ca_file bearer_token image namespace namespace_overwrite_allowed
    runtime_class_name cpu_limit cpu_limit_overwrite_max_allowed cpu_request cpu_request_overwrite_max_allowed
    memory_limit memory_limit_overwrite_max_allowed memory_request memory_request_overwrite_max_allowed
    ephemeral_storage_limit ephemeral_storage_limit_overwrite_max_allowed ephemeral_storage_request
    ephemeral_storage_request_overwrite_max_allowed service_cpu_limit service_cpu_limit_overwrite_max_allowed
    service_cpu_request service_cpu_request_overwrite_max_allowed service_memory_limit
    service_memory_limit_overwrite_max_allowed service_memory_request
    service_memory_request_overwrite_max_allowed service_ephemeral_storage_limit
    service_ephemeral_storage_limit_overwrite_max_allowed service_ephemeral_storage_request
    service_ephemeral_storage_request_overwrite_max_allowed helper_cpu_limit
    helper_cpu_limit_overwrite_max_allowed helper_cpu_request helper_cpu_request_overwrite_max_allowed
    helper_memory_limit helper_memory_limit_overwrite_max_allowed helper_memory_request
    helper_memory_request_overwrite_max_allowed helper_ephemeral_storage_limit
    helper_ephemeral_storage_limit_overwrite_max_allowed helper_ephemeral_storage_request
    helper_ephemeral_storage_request_overwrite_max_allowed pod_cpu_limit pod_cpu_limit_overwrite_max_allowed
    pod_cpu_request pod_cpu_request_overwrite_max_allowed pod_memory_limit
    pod_memory_limit_overwrite_max_allowed pod_memory_request pod_memory_request_overwrite_max_allowed
    node_selector_overwrite_allowed node_tolerations_overwrite_allowed helper_image helper_image_flavor
    pod_labels_overwrite_allowed scheduler_name service_account service_account_overwrite_allowed
    pod_annotations_overwrite_allowed suspend_pvc_size suspend_pvc_storage_class dns_policy priority_class_name
    logs_base_dir scripts_base_dir`,
  integer: `
    pod_termination_grace_period_seconds cleanup_grace_period_seconds poll_interval poll_timeout
    resource_availability_check_max_attempts retry_limit retry_backoff_max`,
  boolean: `
    bearer_token_overwrite_allowed namespace_per_job privileged allow_privilege_escalation
    use_service_account_image_pull_secrets helper_image_autoset_arch_and_os automount_service_account_token
    print_pod_warning_events pod_disruption_budget`,
  strings: 'allowed_images allowed_pull_policies allowed_services allowed_users allowed_groups image_pull_secrets cap_add cap_drop',
  stringOrStrings: 'pull_policy',
  stringMap: 'node_selector node_tolerations pod_labels pod_annotations',
  integerMap: 'retry_limits',
  duration: 'cleanup_resources_timeout',
  table: `
    affinity pod_security_context init_permissions_container_security_context build_container_security_context
    helper_container_security_context service_container_security_context volumes dns_config container_lifecycle
    autoscaler`,
  tables: 'host_aliases services pod_spec',
};

/** Every key of `[runners.kubernetes]`, with how its value decodes. */
export const KUBERNETES_KEY_KINDS: ReadonlyMap<string, KeyKind> = new Map(Object.entries(KUBERNETES_KEYS_BY_KIND)
  .flatMap(([kind, keys]) => keys.trim().split(/\s+/).map((key): [string, KeyKind] => [key, kind as KeyKind])));

/** Every key of `[runners.kubernetes]`. */
export const KUBERNETES_KEYS: ReadonlySet<string> = new Set(KUBERNETES_KEY_KINDS.keys());

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
  boolean: { accepts: (v) => typeof v === 'boolean', noun: 'true or false', example: 'true' },
  strings: { accepts: (v) => everyItem(v, isString), noun: 'a list of strings', example: "['a', 'b']" },
  stringOrStrings: { accepts: (v) => isString(v) || everyItem(v, isString), noun: 'a string or a list of strings', example: "['if-not-present', 'always']" },
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
export function keyValueProblem(kind: KeyKind, value: unknown): { message: string; fix: string } | undefined {
  const { accepts, noun, example } = KINDS[kind];
  if (accepts(value)) return undefined;
  const nanoseconds = kind === 'duration' && typeof value === 'number'
    ? ` (a bare number would be read as ${value} nanoseconds)` : '';
  return {
    message: `${show(value)} is not ${noun}${nanoseconds}; GitLab Runner cannot decode it and refuses to load config.toml, so the manager does not start.`,
    fix: `give ${noun}, e.g. ${example}.`,
  };
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
