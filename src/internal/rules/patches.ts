import { PATCH_MESSAGES as M } from './patches.messages';
import { Finding, Severity } from '../../model/finding';
import type { RuleSpec } from '../../model/rule';
import { secretShape } from '../validate/secrets';

// Escape-hatch patches of the manager's public child objects (`manager.deployment.addJsonPatch(...)`). The Helm values
// are rendered from the manager's model, not from its objects, so a patch changes the native manifests only. Each
// patched object is compared with what the model renders: a difference in a field the values carry, or in one they
// cannot carry, is reported; none goes unnoticed.

/** @internal The rules of patched child objects. */
export const PATCH_RULES = {
  divergence: {
    id: 'HELM010',
    severity: Severity.WARNING,
    checkedAt: ['synth'],
    area: 'Helm chart',
    title: 'A JSON patch (or metadata change) of one of the manager\'s objects changes what the native manifests deploy, '
      + 'and the Helm values do not follow.',
    why: 'the values file (and a `RunnerHelmRelease`) is rendered from the manager\'s props, so the two outputs then describe different fleets.',
    fix: 'set the matching prop instead of patching, so both outputs carry it; '
      + 'or acknowledge the warning when only the native manifests are deployed.',
  },
  replaced: {
    id: 'HELM011',
    severity: Severity.ERROR,
    checkedAt: ['helm-release'],
    area: 'Helm chart',
    title: 'A JSON patch (or metadata change) of one of the manager\'s objects, when a `RunnerHelmRelease` deploys the manager.',
    why: 'the release replaces the manager\'s objects with the chart\'s, so the patch provably never reaches the output.',
    fix: 'set the matching prop (the values follow it), or deploy the native manifests without a release.',
  },
} as const satisfies Record<string, RuleSpec>;

/** @internal A native field the Helm values carry: its JSON pointer in the object, and the values key(s) carrying it. */
export interface CarriedField {
  readonly pointer: string;
  readonly valuesKey: string;
}

const CONTAINER = '/spec/template/spec/containers/0';

/**
 * @internal The fields of each native object the Helm values carry (src/internal/render/helm-values.ts renders them
 * from the same model). Fields not listed here are ones the values cannot carry: the chart writes its own.
 */
export const CARRIED_FIELDS: Readonly<Record<string, readonly CarriedField[]>> = {
  Deployment: [
    { pointer: '/spec/replicas', valuesKey: 'replicas' },
    { pointer: '/spec/strategy', valuesKey: 'strategy' },
    { pointer: '/spec/template/metadata/labels', valuesKey: 'podLabels' },
    { pointer: '/spec/template/spec/terminationGracePeriodSeconds', valuesKey: 'terminationGracePeriodSeconds' },
    { pointer: '/spec/template/spec/securityContext', valuesKey: 'podSecurityContext' },
    { pointer: '/spec/template/spec/nodeSelector', valuesKey: 'nodeSelector' },
    { pointer: '/spec/template/spec/tolerations', valuesKey: 'tolerations' },
    { pointer: `${CONTAINER}/image`, valuesKey: 'image' },
    { pointer: `${CONTAINER}/imagePullPolicy`, valuesKey: 'imagePullPolicy' },
    { pointer: `${CONTAINER}/lifecycle`, valuesKey: 'deploymentLifecycle' },
    { pointer: `${CONTAINER}/resources`, valuesKey: 'resources' },
    { pointer: `${CONTAINER}/securityContext`, valuesKey: 'securityContext' },
    { pointer: `${CONTAINER}/ports`, valuesKey: 'metrics.port' },
  ],
  ConfigMap: [{ pointer: '/data', valuesKey: 'runners.config, concurrent, checkInterval, shutdown_timeout and gitlabUrl' }],
  Role: [{ pointer: '/rules', valuesKey: 'rbac.rules' }],
  Service: [{ pointer: '/spec/ports', valuesKey: 'metrics.port' }, { pointer: '/spec/type', valuesKey: 'service.type' }],
  PodMonitor: [{ pointer: '/spec', valuesKey: 'metrics.podMonitor' }],
  ServiceMonitor: [{ pointer: '/spec', valuesKey: 'metrics.serviceMonitor' }],
};

/** A short JSON rendering of a value for a message; never one holding a credential (findings reach the review files). */
function brief(value: unknown): string {
  if (value === undefined) return M.nothing();
  const text = JSON.stringify(value);
  const secret = secretShape(text);
  if (secret !== undefined) return M.hiddenSecret({ secret });
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** The value at a JSON pointer, or undefined. */
export function valueAt(doc: unknown, pointer: string): unknown {
  let at: unknown = doc;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (at === null || typeof at !== 'object') return undefined;
    at = (at as Record<string, unknown>)[key];
  }
  return at;
}

/** JSON with every object's keys sorted, so that key order never counts as a difference. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (v !== null && typeof v === 'object' && !Array.isArray(v)
    ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
    : v));
}

function equal(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

function escape(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** The JSON pointers where `a` and `b` first differ, skipping the pointers in `skip`. */
export function differences(a: unknown, b: unknown, skip: ReadonlySet<string>, at = ''): string[] {
  if (skip.has(at)) return [];
  if (equal(a, b)) return [];
  const bothObjects = a !== null && b !== null && typeof a === 'object' && typeof b === 'object' && Array.isArray(a) === Array.isArray(b);
  if (!bothObjects) return [at === '' ? '/' : at];
  const keys = [...new Set([...Object.keys(a as object), ...Object.keys(b as object)])].sort();
  return keys.flatMap((key) => differences((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], skip, `${at}/${escape(key)}`));
}

/** @internal One patched object of a manager: what the model renders, and what the patches made of it. */
export interface PatchedObject {
  readonly kind: string;
  readonly native: unknown;
  readonly patched: unknown;
}

/**
 * @internal The findings about a manager's patched objects: HELM010 for every difference from what the model renders
 * (one finding per carried field, one for the rest), or HELM011 when a release replaces the objects.
 */
export function patchFindings(path: string, objects: readonly PatchedObject[], release?: string): Finding[] {
  const findings: Finding[] = [];
  for (const { kind, native, patched } of objects) {
    const field = `${kind.charAt(0).toLowerCase()}${kind.slice(1)}`;
    if (release !== undefined) {
      const rule = PATCH_RULES.replaced;
      findings.push({ ruleId: rule.id, severity: rule.severity, path, field, ...M.replaced({ kind, release }) });
      continue;
    }
    const rule = PATCH_RULES.divergence;
    const carried = CARRIED_FIELDS[kind] ?? [];
    for (const { pointer, valuesKey } of carried) {
      const before = valueAt(native, pointer);
      const after = valueAt(patched, pointer);
      if (equal(before, after)) continue;
      const problem = M.carried({ kind, pointer, valuesKey, native: brief(before), patched: brief(after) });
      findings.push({ ruleId: rule.id, severity: rule.severity, path, field: `${field}${pointer}`, ...problem });
    }
    const rest = differences(native, patched, new Set(carried.map((c) => c.pointer)));
    if (rest.length > 0) {
      findings.push({ ruleId: rule.id, severity: rule.severity, path, field, ...M.uncarried({ kind, pointers: rest }) });
    }
  }
  return findings;
}
