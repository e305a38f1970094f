import { Duration } from 'cdk8s';
import { TAINT_EFFECTS } from './_taints';
import { isLabelKey, isLabelValue, isWholeNumber, show } from './_validators';
import type { JobToleration } from './job-pod-template';
import type { _PropErrors } from './problem';

// Checks shared by the job pod and the manager pod: label maps, tolerations, whole-second durations.

/** Every key and value of a label map (node selectors, pod labels) in Kubernetes label syntax. */
export function validateLabels(errors: _PropErrors, field: string, labels: Record<string, string> | undefined): void {
  if (!isMapOrUndefined(labels)) {
    errors.add(field, `${show(labels)} is not a map of labels.`, "give { key: 'value' }, e.g. { 'kubernetes.io/arch': 'amd64' }.");
    return;
  }
  for (const [key, value] of Object.entries(labels ?? {})) {
    if (!isLabelKey(key)) errors.add(`${field}.${key}`, `${show(key)} is not a valid label key.`, 'use an optional DNS-subdomain prefix and a name of at most 63 letters, digits, -, _ and ., e.g. kubernetes.io/os.');
    if (!isLabelValue(value)) errors.add(`${field}.${key}`, `${show(value)} is not a valid label value.`, 'use at most 63 letters, digits, -, _ and ., starting and ending alphanumeric.');
  }
}

/** Annotation keys follow label-key syntax; values are free text. */
export function validateAnnotationKeys(errors: _PropErrors, field: string, annotations: Record<string, string> | undefined): void {
  if (!isMapOrUndefined(annotations)) {
    errors.add(field, `${show(annotations)} is not a map of annotations.`, "give { key: 'value' }.");
    return;
  }
  for (const [key, value] of Object.entries(annotations ?? {})) {
    if (!isLabelKey(key)) errors.add(`${field}.${key}`, `${show(key)} is not a valid annotation key; the API server rejects the pod.`, 'use an optional DNS-subdomain prefix and a name of at most 63 letters, digits, -, _ and ..');
    if (typeof value !== 'string') errors.add(`${field}.${key}`, `${show(value)} is not a string; annotation values are text.`, 'give it as a string.');
  }
}

/**
 * Toleration syntax, and for job pods also that no two render the same `node_tolerations` key: config.toml keeps one
 * effect per `key[=value]`, so one of them would be lost.
 */
export function validateTolerations(errors: _PropErrors, field: string, tolerations: JobToleration[] | undefined, oneEffectPerKey: boolean): void {
  if (tolerations !== undefined && !Array.isArray(tolerations)) {
    errors.add(field, `${show(tolerations)} is not a list of tolerations.`, "give an array, e.g. [{ key: 'ci', effect: TaintEffect.NO_SCHEDULE }].");
    return;
  }
  const seen = new Map<string, number>();
  (tolerations ?? []).forEach((t, i) => {
    if (t === null || typeof t !== 'object') {
      errors.add(`${field}[${i}]`, `${show(t)} is not a toleration.`, "give { key, value?, effect? }, e.g. { key: 'ci', effect: TaintEffect.NO_SCHEDULE }.");
      return;
    }
    if (!isLabelKey(t.key)) errors.add(`${field}[${i}].key`, `${show(t.key)} is not a valid taint key.`, 'use a label-style key such as dedicated or example.com/ci.');
    if (t.value !== undefined && !isLabelValue(t.value)) errors.add(`${field}[${i}].value`, `${show(t.value)} is not a valid taint value.`, 'use at most 63 letters, digits, -, _ and ., starting and ending alphanumeric.');
    if (t.effect !== undefined && !TAINT_EFFECTS.includes(t.effect)) {
      errors.add(`${field}[${i}].effect`, `${show(t.effect)} is not a taint effect.`, 'use TaintEffect.NO_SCHEDULE, PREFER_NO_SCHEDULE or NO_EXECUTE.');
    }
    if (!oneEffectPerKey) return;
    const rendered = t.value !== undefined ? `${t.key}=${t.value}` : t.key;
    const first = seen.get(rendered);
    if (first !== undefined) {
      errors.add(`${field}[${i}].key`, `${field}[${first}] and ${field}[${i}] both render node_tolerations key ${show(rendered)}; config.toml keeps one effect per key, so one would be lost.`,
        'merge them: leave effect out to tolerate every effect, or keep one.');
    } else {
      seen.set(rendered, i);
    }
  });
}

/** A duration config.toml or Kubernetes takes in whole seconds (Duration.toSeconds() throws on fractions). */
export function validateWholeSeconds(errors: _PropErrors, field: string, duration: Duration | undefined, allowZero: boolean, example: string): void {
  if (duration === undefined) return;
  if (!(duration instanceof Duration)) {
    errors.add(field, `${show(duration)} is not a Duration.`, `give a Duration, e.g. ${example}.`);
    return;
  }
  const seconds = duration.toSeconds({ integral: false });
  if (!isWholeNumber(seconds, allowZero)) {
    errors.add(field, `${seconds}s is not a ${allowZero ? '' : 'positive '}whole number of seconds.`, `give whole seconds, e.g. ${example}.`);
  }
}

/** A plain key-value map (not null, not an array), or absent. */
export function isMapOrUndefined(value: unknown): boolean {
  return value === undefined || (typeof value === 'object' && value !== null && !Array.isArray(value));
}
