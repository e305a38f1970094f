import { Duration } from 'cdk8s';
import type { _PropErrors } from './prop-errors';
import { isLabelKey, isLabelValue, isPlainMap, isWholeNumber, show } from './validators';
import type { JobToleration } from '../../model/job-pod';
import { TAINT_EFFECTS } from '../../model/taint-effect';

// Checks shared by the job pod, the manager pod and the budget's node pools: label maps, taints and tolerations,
// whole-second durations. `subject` prefixes messages that need to say which pool they are about.

/** Every key and value of a label map (node selectors, pod labels) in Kubernetes label syntax. */
export function validateLabels(errors: _PropErrors, field: string, labels: Record<string, string> | undefined, subject = ''): void {
  if (labels !== undefined && !isPlainMap(labels)) {
    errors.add(field, `${subject}${show(labels)} is not a map of labels.`, "give { key: 'value' }, e.g. { 'kubernetes.io/arch': 'amd64' }.");
    return;
  }
  for (const [key, value] of Object.entries(labels ?? {})) {
    if (!isLabelKey(key)) {
      errors.add(`${field}.${key}`, `${subject}${show(key)} is not a valid label key.`,
        'use an optional DNS-subdomain prefix and a name of at most 63 letters, digits, -, _ and ., e.g. kubernetes.io/os or kubernetes.io/arch.');
    }
    if (!isLabelValue(value)) errors.add(`${field}.${key}`, `${subject}${show(value)} is not a valid label value.`, 'use at most 63 letters, digits, -, _ and ., starting and ending alphanumeric.');
  }
}

/** Annotation keys follow label-key syntax; values are free text. */
export function validateAnnotationKeys(errors: _PropErrors, field: string, annotations: Record<string, string> | undefined): void {
  if (annotations !== undefined && !isPlainMap(annotations)) {
    errors.add(field, `${show(annotations)} is not a map of annotations.`, "give { key: 'value' }.");
    return;
  }
  for (const [key, value] of Object.entries(annotations ?? {})) {
    if (!isLabelKey(key)) errors.add(`${field}.${key}`, `${show(key)} is not a valid annotation key; the API server rejects the pod.`, 'use an optional DNS-subdomain prefix and a name of at most 63 letters, digits, -, _ and ..');
    if (typeof value !== 'string') errors.add(`${field}.${key}`, `${show(value)} is not a string; annotation values are text.`, 'give it as a string.');
  }
}

/** How a list of taints or tolerations is checked. */
export interface TaintCheck {
  /** `taint` (a node pool's) or `toleration` (a pod's), for messages. */
  readonly noun: 'taint' | 'toleration';
  /** A node taint always has an effect; a toleration without one tolerates every effect. */
  readonly effectRequired: boolean;
  /** Job pods: config.toml keeps one effect per `key[=value]` of `node_tolerations`, so two with one key would lose one. */
  readonly oneEffectPerKey: boolean;
  /** Prefix of every message, e.g. `pool 'ci': `. */
  readonly subject?: string;
}

/** Taint or toleration syntax: key, value and effect, and the rules of `TaintCheck`. */
export function validateTaints(errors: _PropErrors, field: string, taints: JobToleration[] | undefined, check: TaintCheck): void {
  const subject = check.subject ?? '';
  if (taints !== undefined && !Array.isArray(taints)) {
    errors.add(field, `${subject}${show(taints)} is not a list of ${check.noun}s.`, `give ${check.noun}s as an array, e.g. [{ key: 'ci', effect: TaintEffect.NO_SCHEDULE }].`);
    return;
  }
  const seen = new Map<string, number>();
  (taints ?? []).forEach((t, i) => {
    if (t === null || typeof t !== 'object') {
      errors.add(`${field}[${i}]`, `${subject}${show(t)} is not a ${check.noun}.`, "give { key, value?, effect? }, e.g. { key: 'ci', effect: TaintEffect.NO_SCHEDULE }.");
      return;
    }
    if (!isLabelKey(t.key)) errors.add(`${field}[${i}].key`, `${subject}${show(t.key)} is not a valid taint key.`, 'use a label-style key such as dedicated or example.com/ci.');
    if (t.value !== undefined && !isLabelValue(t.value)) {
      errors.add(`${field}[${i}].value`, `${subject}${show(t.value)} is not a valid taint value.`, 'use at most 63 letters, digits, -, _ and ., starting and ending alphanumeric.');
    }
    if ((t.effect !== undefined || check.effectRequired) && !TAINT_EFFECTS.includes(t.effect as string)) {
      errors.add(`${field}[${i}].effect`, `${subject}${show(t.effect)} is not a taint effect.`, 'use TaintEffect.NO_SCHEDULE, PREFER_NO_SCHEDULE or NO_EXECUTE.');
    }
    if (!check.oneEffectPerKey) return;
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
