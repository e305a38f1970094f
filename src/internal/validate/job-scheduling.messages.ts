import { show } from './validators';
import { VALUE_MESSAGES } from './validators.messages';
import { NodeSelectorOperator } from '../../model/job-scheduling';
import type { Problem } from '../../model/problem';

// The wording of the declaration checks of JobPodTemplate's scheduling, identity, overwrite and pod-level resource
// props (job-scheduling.ts), and of why Go's regexp package refuses a pattern (re2Problem).

const OPERATORS = Object.values(NodeSelectorOperator) as string[];

/** The maps the props take, by name: what each is. */
const SHAPES = {
  requirement: 'a requirement { key, operator, values? }',
  term: 'a term { matchExpressions?, matchFields? }',
  affinity: 'a node affinity { required?, preferred? }',
  weightedTerm: 'a weighted term { weight, preference }',
  overwrite: 'overwrite allowlists { namespace?, serviceAccount?, bearerToken?, nodeSelector?, podLabels?, podAnnotations? }',
};

/** The lists the props take, by name: an example of each. */
const LIST_EXAMPLES = {
  requirements: "[{ key: 'pool', operator: NodeSelectorOperator.IN, values: ['ci'] }]",
  values: "['ci']",
  required: "[{ matchExpressions: [{ key: 'pool', operator: NodeSelectorOperator.IN, values: ['ci'] }] }]",
  preferred: '[{ weight: 50, preference: { ... } }]',
  pullSecrets: "['registry-credentials']",
};

export const JOB_SCHEDULING_MESSAGES = {
  notMap: (v: unknown, shape: keyof typeof SHAPES): Problem => ({ message: `${show(v)} is not ${SHAPES[shape]}.`, fix: `give ${SHAPES[shape]}.` }),
  notList: (v: unknown, list: keyof typeof LIST_EXAMPLES): Problem => ({
    message: `${show(v)} is not a list.`,
    fix: `give an array, e.g. ${LIST_EXAMPLES[list]}.`,
  }),
  operator: (v: unknown): Problem => ({
    message: `${show(v)} is not a node selector operator; the API server rejects every job pod.`,
    fix: `use NodeSelectorOperator: one of ${OPERATORS.map((o) => `'${o}'`).join(', ')}.`,
  }),
  needsValues: (op: string): Problem => ({
    message: `operator ${op} needs at least one value; the API server rejects every job pod.`,
    fix: `list the label values to match, e.g. values: ['ci'], or use ${op === 'In' ? 'Exists' : 'DoesNotExist'} `
      + "to test only the label's presence.",
  }),
  noValues: (op: string, n: number): Problem => ({
    message: `operator ${op} takes no values, but ${n} ${n === 1 ? 'is' : 'are'} given; the API server rejects every job pod.`,
    fix: `drop values, or use ${op === 'Exists' ? 'In' : 'NotIn'} to compare the label with values.`,
  }),
  oneInteger: (op: string, values: unknown): Problem => ({
    message: `operator ${op} needs exactly one integer value, not ${show(values)}; the API server rejects every job pod.`,
    fix: 'give one whole number, e.g. values: [\'4\'].',
  }),
  labelKey: (k: unknown): Problem => ({
    message: `${show(k)} is not a valid node label key; the API server rejects every job pod.`,
    fix: 'use an optional DNS-subdomain prefix and a name of at most 63 letters, digits, -, _ and ., e.g. node.kubernetes.io/instance-type.',
  }),
  fieldKey: (k: unknown): Problem => ({
    message: `${show(k)} is not a node field a selector may match; Kubernetes supports only metadata.name.`,
    fix: "use key 'metadata.name', or match a label with matchExpressions.",
  }),
  emptyTerm: (): Problem => ({
    message: 'the term has no requirements; the API server rejects a required term without any.',
    fix: 'give matchExpressions or matchFields, or drop the term.',
  }),
  weight: (w: unknown): Problem => ({
    message: `${show(w)} is not a preferred-term weight; Kubernetes takes a whole number from 1 to 100 `
      + "(the runner's field is int32, the API server checks the range).",
    fix: 'give a weight from 1 to 100, e.g. 50.',
  }),
  className: (kind: string, v: unknown): Problem => ({
    message: `${show(v)} is not a valid ${kind} name; the API server rejects every job pod.`,
    fix: `use the name of an existing ${kind}: a DNS-1123 subdomain (lower-case letters, digits, '-' and '.'), `
      + `e.g. ${kind === 'RuntimeClass' ? 'gvisor' : 'ci-low'}.`,
  }),
  secretName: (v: unknown): Problem => ({
    message: `${show(v)} is not a Secret name; the kubelet cannot look it up.`,
    fix: 'give the name of a Secret of type kubernetes.io/dockerconfigjson in the job namespace: a DNS-1123 subdomain, '
      + 'e.g. registry-credentials.',
  }),
  pullSecretsIgnored: (): Problem => ({
    message: 'with useServiceAccountImagePullSecrets the runner sends no image pull Secrets of its own '
      + '(prepareImagePullSecrets returns none), so these are never used.',
    fix: "drop imagePullSecrets and add them to the job pods' ServiceAccount, or leave useServiceAccountImagePullSecrets off.",
  }),
  notBoolean: VALUE_MESSAGES.notBoolean,
  regex: (v: unknown, reason: string): Problem => ({
    message: `${show(v)} is not a regular expression the runner can use: ${reason}. `
      + "The runner compiles it with Go's regexp (RE2) and fails every job that sets the variable.",
    fix: 'write it in RE2 syntax: no lookahead or lookbehind, no backreferences, no atomic groups or possessive quantifiers, '
      + 'repeat counts up to 1000; e.g. \'^ci-[a-z0-9-]+$\'.',
  }),
  regexType: (v: unknown): Problem => ({
    message: `${show(v)} is not a regular expression string.`,
    fix: "give a Go (RE2) regular expression, e.g. '^ci-.*$'.",
  }),
  podEphemeral: (): Problem => ({
    message: 'the runner has no pod-level ephemeral storage setting (only pod_cpu_* and pod_memory_*).',
    fix: 'set ephemeral storage per container, with buildResources, helper.resources or serviceResources.',
  }),
  twice: (key: string, prop: string): Problem => ({
    message: `config.toml key '${key}' is set both by ${prop} and by extraConfig.${key}.`,
    fix: `set it once, with ${prop}.`,
  }),

  /** Why Go's regexp package refuses a pattern (completes `regex`). */
  re2: {
    loneBackslash: 'it ends in a lone backslash',
    backreference: (escape: string) => `${escape} is a backreference, which RE2 does not support`,
    notEscape: (escape: string) => `${escape} is not an RE2 escape`,
    openClass: 'a character class [ is never closed',
    lookaround: 'lookahead and lookbehind ((?=, (?!, (?<=, (?<!) are not RE2 syntax',
    atomic: 'atomic groups ((?>...)) are not RE2 syntax',
    notGroup: (start: string) => `${start}... is not an RE2 group`,
    unmatchedClose: 'a ) has no matching (',
    repeatAbove: (count: string, max: number) => `the repeat count ${count} is above RE2's limit of ${max}`,
    repeatReversed: (count: string) => `the repeat count ${count} has its minimum above its maximum`,
    repeatRepeat: (q: string) => `${q} repeats a repetition (possessive or nested quantifiers are not RE2 syntax)`,
    nothingToRepeat: (q: string) => `${q} has nothing to repeat`,
    openGroup: 'a ( is never closed',
  },
};
