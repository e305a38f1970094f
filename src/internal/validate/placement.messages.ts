import { show } from './validators';
import type { Problem } from '../../model/problem';

// The wording of the checks shared by the job pod, the manager pod and the budget's node pools (placement.ts).
// `subject` prefixes the messages that need to say which pool they are about (e.g. `pool 'ci': `).

const LABEL_VALUE_FIX = 'use at most 63 letters, digits, -, _ and ., starting and ending alphanumeric.';

export const PLACEMENT_MESSAGES = {
  /** Labels and annotations. */
  notLabels: (subject: string, v: unknown): Problem => ({
    message: `${subject}${show(v)} is not a map of labels.`,
    fix: "give { key: 'value' }, e.g. { 'kubernetes.io/arch': 'amd64' }.",
  }),
  labelKey: (subject: string, key: string): Problem => ({
    message: `${subject}${show(key)} is not a valid label key.`,
    fix: 'use an optional DNS-subdomain prefix and a name of at most 63 letters, digits, -, _ and ., e.g. kubernetes.io/os or kubernetes.io/arch.',
  }),
  labelValue: (subject: string, v: unknown): Problem => ({ message: `${subject}${show(v)} is not a valid label value.`, fix: LABEL_VALUE_FIX }),
  notAnnotations: (v: unknown): Problem => ({ message: `${show(v)} is not a map of annotations.`, fix: "give { key: 'value' }." }),
  annotationKey: (key: string): Problem => ({
    message: `${show(key)} is not a valid annotation key; the API server rejects the pod.`,
    fix: 'use an optional DNS-subdomain prefix and a name of at most 63 letters, digits, -, _ and ..',
  }),
  annotationValue: (v: unknown): Problem => ({ message: `${show(v)} is not a string; annotation values are text.`, fix: 'give it as a string.' }),

  /** Taints and tolerations (`noun` says which). */
  notTaints: (subject: string, v: unknown, noun: string): Problem => ({
    message: `${subject}${show(v)} is not a list of ${noun}s.`,
    fix: `give ${noun}s as an array, e.g. [{ key: 'ci', effect: TaintEffect.NO_SCHEDULE }].`,
  }),
  notTaint: (subject: string, v: unknown, noun: string): Problem => ({
    message: `${subject}${show(v)} is not a ${noun}.`,
    fix: "give { key, value?, effect? }, e.g. { key: 'ci', effect: TaintEffect.NO_SCHEDULE }.",
  }),
  taintKey: (subject: string, v: unknown): Problem => ({
    message: `${subject}${show(v)} is not a valid taint key.`,
    fix: 'use a label-style key such as dedicated or example.com/ci.',
  }),
  taintValue: (subject: string, v: unknown): Problem => ({ message: `${subject}${show(v)} is not a valid taint value.`, fix: LABEL_VALUE_FIX }),
  taintEffect: (subject: string, v: unknown): Problem => ({
    message: `${subject}${show(v)} is not a taint effect.`,
    fix: 'use TaintEffect.NO_SCHEDULE, PREFER_NO_SCHEDULE or NO_EXECUTE.',
  }),
  oneEffectPerKey: (field: string, first: number, i: number, rendered: string): Problem => ({
    message: `${field}[${first}] and ${field}[${i}] both render node_tolerations key ${show(rendered)}; `
      + 'config.toml keeps one effect per key, so one would be lost.',
    fix: 'merge them: leave effect out to tolerate every effect, or keep one.',
  }),

  /** Durations. */
  notDuration: (v: unknown, example: string): Problem => ({ message: `${show(v)} is not a Duration.`, fix: `give a Duration, e.g. ${example}.` }),
  notWholeSeconds: (seconds: number, allowZero: boolean, example: string): Problem => ({
    message: `${seconds}s is not a ${allowZero ? '' : 'positive '}whole number of seconds.`,
    fix: `give whole seconds, e.g. ${example}.`,
  }),
};
