import { ANNOTATIONS_MAX_BYTES, show } from './validators';
import { VALUE_MESSAGES } from './validators.messages';
import type { Problem } from '../../model/problem';

// The wording of the checks of the manager pod's settings (manager-pod.ts).

const quoted = (values: readonly string[]) => values.map((v) => `'${v}'`).join(', ');

export const MANAGER_POD_MESSAGES = {
  /** Labels, annotations, names. */
  reservedLabel: (key: string, reason: string): Problem => ({
    message: `pod label ${show(key)} is the library's: ${reason}.`,
    fix: 'give the label another key.',
  }),
  reservedAnnotation: (key: string, reason: string): Problem => ({
    message: `annotation ${show(key)} is the library's: ${reason}.`,
    fix: 'give the annotation another key.',
  }),
  annotationsTooLarge: (bytes: number): Problem => ({
    message: `the annotations take ${bytes} bytes, more than the ${ANNOTATIONS_MAX_BYTES} (256 KiB) the API server allows on one object.`,
    fix: 'keep large data out of annotations: put it in a ConfigMap.',
  }),
  priorityClass: (v: unknown): Problem => ({
    message: `${show(v)} is not a PriorityClass name.`,
    fix: 'give a DNS-1123 subdomain, e.g. gitlab-runner-critical.',
  }),
  choice: (field: string, v: unknown, allowed: readonly string[], example: string): Problem => ({
    message: `${show(v)} is not a value GitLab Runner accepts for ${field === 'logLevel' ? 'log_level' : 'log_format'} `
      + `(${allowed.join(', ')}); the runner would refuse to start.`,
    fix: `use one of ${quoted(allowed)}, e.g. ${example}.`,
  }),
  pullSecretsNotList: (v: unknown): Problem => ({
    message: `${show(v)} is not a list of Secret names.`,
    fix: "give an array, e.g. ['registry-credentials'].",
  }),
  pullSecretName: (v: unknown): Problem => ({
    message: `${show(v)} is not a valid Secret name (a DNS-1123 subdomain); the API server rejects the pod.`,
    fix: 'give the name of a kubernetes.io/dockerconfigjson Secret in the manager\'s namespace: lower-case letters, digits, - and ., '
      + 'e.g. registry-credentials.',
  }),

  /** The ServiceAccount. */
  serviceAccount: (v: unknown): Problem => ({
    message: `${show(v)} is not a ServiceAccount setting.`,
    fix: "give { annotations: { ... } } or { existingName: 'name' }.",
  }),
  serviceAccountName: (v: unknown): Problem => ({
    message: `${show(v)} is not a ServiceAccount name.`,
    fix: 'give a DNS-1123 subdomain, e.g. gitlab-runner.',
  }),
  annotationsWithExisting: (existingName: unknown): Problem => ({
    message: `annotations and existingName ${show(existingName)} conflict: the library creates no ServiceAccount when it uses an existing one, `
      + 'so the annotations would be lost.',
    fix: 'annotate the existing ServiceAccount where it is declared, or drop existingName to let the library create an annotated one.',
  }),

  /** Numbers and booleans. */
  notInt: (v: unknown, min: number, max: number): Problem => ({
    message: `${show(v)} is not a whole number from ${min} to ${max}.`,
    fix: `give a whole number from ${min} to ${max}.`,
  }),
  notBoolean: VALUE_MESSAGES.notBoolean,

  /** Topology spread. */
  spreadNotList: (v: unknown): Problem => ({
    message: `${show(v)} is not a list of topology spread constraints.`,
    fix: "give an array, e.g. [{ topologyKey: 'topology.kubernetes.io/zone' }], or [] for none.",
  }),
  spreadNotConstraint: (v: unknown): Problem => ({
    message: `${show(v)} is not a topology spread constraint.`,
    fix: "give { topologyKey: 'kubernetes.io/hostname' }.",
  }),
  topologyKey: (v: unknown): Problem => ({
    message: `${show(v)} is not a node label key.`,
    fix: 'give a label key such as kubernetes.io/hostname or topology.kubernetes.io/zone.',
  }),
  whenUnsatisfiable: (v: unknown, allowed: readonly string[]): Problem => ({
    message: `${show(v)} is not ${allowed.join(' or ')}.`,
    fix: 'use WhenUnsatisfiable.SCHEDULE_ANYWAY or WhenUnsatisfiable.DO_NOT_SCHEDULE.',
  }),

  /** The disruption budget. */
  budgetNotBudget: (v: unknown): Problem => ({
    message: `${show(v)} is not a disruption budget.`,
    fix: 'give { maxUnavailable: 1 }, { minAvailable: 1 } or { enabled: false }.',
  }),
  budgetBoth: (): Problem => ({
    message: 'maxUnavailable and minAvailable are both set; a PodDisruptionBudget takes one of them (the API server rejects both).',
    fix: 'keep one of the two.',
  }),
  budgetAboveReplicas: (key: 'maxUnavailable' | 'minAvailable', n: number, replicas: number): Problem => ({
    message: `${key} ${n} is larger than replicas (${replicas}): the budget counts pods that cannot exist`
      + `${key === 'minAvailable' ? ', so no drain can ever evict a manager pod and node drains hang' : ''}.`,
    fix: `give at most ${replicas}, or raise replicas.`,
  }),

  /** Affinity. */
  requirementsNotList: (v: unknown): Problem => ({
    message: `${show(v)} is not a non-empty list of node label requirements.`,
    fix: "give e.g. [{ key: 'node-role', operator: NodeLabelOperator.IN, values: ['system'] }].",
  }),
  notRequirement: (v: unknown): Problem => ({ message: `${show(v)} is not a node label requirement.`, fix: 'give { key, operator, values? }.' }),
  requirementKey: (v: unknown): Problem => ({
    message: `${show(v)} is not a valid label key.`,
    fix: 'give a node label key, e.g. node-role or kubernetes.io/arch.',
  }),
  operator: (v: unknown, operators: readonly string[]): Problem => ({
    message: `${show(v)} is not a node selector operator (${operators.join(', ')}).`,
    fix: 'use a NodeLabelOperator.',
  }),
  valuesNotStrings: (v: unknown): Problem => ({ message: `${show(v)} is not a list of strings.`, fix: "give e.g. ['system']." }),
  valuesNeeded: (operator: string): Problem => ({
    message: `${operator} needs at least one value; the API server rejects the pod.`,
    fix: 'give the values to match.',
  }),
  valuesRefused: (operator: string): Problem => ({ message: `${operator} takes no values; the API server rejects the pod.`, fix: 'remove values.' }),
  oneInteger: (operator: string): Problem => ({
    message: `${operator} needs exactly one integer value; the API server rejects the pod.`,
    fix: "give one integer as a string, e.g. ['4'].",
  }),
  notAffinity: (v: unknown): Problem => ({
    message: `${show(v)} is not an affinity.`,
    fix: 'give { requiredNodeLabels?, preferredNodeLabels?, podAntiAffinity? }.',
  }),
  preferencesNotList: (v: unknown): Problem => ({
    message: `${show(v)} is not a list of weighted preferences.`,
    fix: 'give e.g. [{ weight: 50, requirements: [...] }].',
  }),
  notPreference: (v: unknown): Problem => ({ message: `${show(v)} is not a weighted preference.`, fix: 'give { weight, requirements }.' }),
  antiAffinityMode: (v: unknown, modes: readonly string[]): Problem => ({
    message: `${show(v)} is not a pod anti-affinity mode (${modes.join(', ')}).`,
    fix: 'use a PodAntiAffinity value.',
  }),
};
