import { Duration } from 'cdk8s';
import { PLACEMENT_MESSAGES as M } from './placement.messages';
import type { _PropErrors } from './prop-errors';
import { isLabelKey, isLabelValue, isPlainMap, isWholeNumber } from './validators';
import type { JobToleration } from '../../model/job-pod';
import { TAINT_EFFECTS } from '../../model/taint-effect';

// Checks shared by the job pod, the manager pod and the budget's node pools: label maps, taints and tolerations,
// whole-second durations. `subject` prefixes messages that need to say which pool they are about.

/** Every key and value of a label map (node selectors, pod labels) in Kubernetes label syntax. */
export function validateLabels(errors: _PropErrors, field: string, labels: Record<string, string> | undefined, subject = ''): void {
  if (labels !== undefined && !isPlainMap(labels)) {
    errors.addProblem(field, M.notLabels(subject, labels));
    return;
  }
  for (const [key, value] of Object.entries(labels ?? {})) {
    if (!isLabelKey(key)) {
      errors.addProblem(`${field}.${key}`, M.labelKey(subject, key));
    }
    if (!isLabelValue(value)) errors.addProblem(`${field}.${key}`, M.labelValue(subject, value));
  }
}

/** Annotation keys follow label-key syntax; values are free text. */
export function validateAnnotationKeys(errors: _PropErrors, field: string, annotations: Record<string, string> | undefined): void {
  if (annotations !== undefined && !isPlainMap(annotations)) {
    errors.addProblem(field, M.notAnnotations(annotations));
    return;
  }
  for (const [key, value] of Object.entries(annotations ?? {})) {
    if (!isLabelKey(key)) errors.addProblem(`${field}.${key}`, M.annotationKey(key));
    if (typeof value !== 'string') errors.addProblem(`${field}.${key}`, M.annotationValue(value));
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
    errors.addProblem(field, M.notTaints(subject, taints, check.noun));
    return;
  }
  const seen = new Map<string, number>();
  (taints ?? []).forEach((t, i) => {
    if (t === null || typeof t !== 'object') {
      errors.addProblem(`${field}[${i}]`, M.notTaint(subject, t, check.noun));
      return;
    }
    if (!isLabelKey(t.key)) errors.addProblem(`${field}[${i}].key`, M.taintKey(subject, t.key));
    if (t.value !== undefined && !isLabelValue(t.value)) {
      errors.addProblem(`${field}[${i}].value`, M.taintValue(subject, t.value));
    }
    if ((t.effect !== undefined || check.effectRequired) && !TAINT_EFFECTS.includes(t.effect as string)) {
      errors.addProblem(`${field}[${i}].effect`, M.taintEffect(subject, t.effect));
    }
    if (!check.oneEffectPerKey) return;
    const rendered = t.value !== undefined ? `${t.key}=${t.value}` : t.key;
    const first = seen.get(rendered);
    if (first !== undefined) {
      errors.addProblem(`${field}[${i}].key`, M.oneEffectPerKey(field, first, i, rendered));
    } else {
      seen.set(rendered, i);
    }
  });
}

/** A duration config.toml or Kubernetes takes in whole seconds (Duration.toSeconds() throws on fractions). */
export function validateWholeSeconds(
  errors: _PropErrors, field: string, duration: Duration | undefined, allowZero: boolean, example: string,
): void {
  if (duration === undefined) return;
  if (!(duration instanceof Duration)) {
    errors.addProblem(field, M.notDuration(duration, example));
    return;
  }
  const seconds = duration.toSeconds({ integral: false });
  if (!isWholeNumber(seconds, allowZero)) {
    errors.addProblem(field, M.notWholeSeconds(seconds, allowZero, example));
  }
}
