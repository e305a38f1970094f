import { validateContainerResources } from './container-resources';
import { validateWholeSeconds } from './placement';
import type { _PropErrors } from './prop-errors';
import { isDns1123Subdomain, isLabelKey, isPlainMap, show } from './validators';
import { JobPodSchedulingProps, NodeSelectorOperator, NodeSelectorRequirement, NodeSelectorTerm, SCHEDULING_KEYS } from '../../model/job-scheduling';
import type { Problem } from '../../model/problem';

// Declaration checks of the scheduling, identity, overwrite and pod-level resource props of JobPodTemplate: what the
// API server, the scheduler or the runner's Go regexp package would refuse. Message text is in MESSAGES.

const OPERATORS = Object.values(NodeSelectorOperator) as string[];
const WHOLE = /^-?(0|[1-9]\d*)$/;
/** Go's regexp refuses repeat counts above this ("invalid repeat count"). */
const RE2_MAX_REPEAT = 1000;
/** Letters Go's regexp accepts after a backslash; any other letter is "invalid escape sequence". */
const RE2_LETTER_ESCAPES = 'afntrvxdDsSwWbBAzpPQE';

const MESSAGES = {
  notMap: (v: unknown, shape: string) => ({ message: `${show(v)} is not ${shape}.`, fix: `give ${shape}.` }),
  notList: (v: unknown, example: string) => ({ message: `${show(v)} is not a list.`, fix: `give an array, e.g. ${example}.` }),
  operator: (v: unknown) => ({
    message: `${show(v)} is not a node selector operator; the API server rejects every job pod.`,
    fix: `use NodeSelectorOperator: one of ${OPERATORS.map((o) => `'${o}'`).join(', ')}.`,
  }),
  needsValues: (op: string) => ({
    message: `operator ${op} needs at least one value; the API server rejects every job pod.`,
    fix: `list the label values to match, e.g. values: ['ci'], or use ${op === 'In' ? 'Exists' : 'DoesNotExist'} to test only the label's presence.`,
  }),
  noValues: (op: string, n: number) => ({
    message: `operator ${op} takes no values, but ${n} ${n === 1 ? 'is' : 'are'} given; the API server rejects every job pod.`,
    fix: `drop values, or use ${op === 'Exists' ? 'In' : 'NotIn'} to compare the label with values.`,
  }),
  oneInteger: (op: string, values: unknown) => ({
    message: `operator ${op} needs exactly one integer value, not ${show(values)}; the API server rejects every job pod.`,
    fix: 'give one whole number, e.g. values: [\'4\'].',
  }),
  labelKey: (k: unknown) => ({ message: `${show(k)} is not a valid node label key; the API server rejects every job pod.`, fix: 'use an optional DNS-subdomain prefix and a name of at most 63 letters, digits, -, _ and ., e.g. node.kubernetes.io/instance-type.' }),
  fieldKey: (k: unknown) => ({ message: `${show(k)} is not a node field a selector may match; Kubernetes supports only metadata.name.`, fix: "use key 'metadata.name', or match a label with matchExpressions." }),
  emptyTerm: () => ({ message: 'the term has no requirements; the API server rejects a required term without any.', fix: 'give matchExpressions or matchFields, or drop the term.' }),
  weight: (w: unknown) => ({
    message: `${show(w)} is not a preferred-term weight; Kubernetes takes a whole number from 1 to 100 (the runner's field is int32, the API server checks the range).`,
    fix: 'give a weight from 1 to 100, e.g. 50.',
  }),
  className: (kind: string, v: unknown) => ({
    message: `${show(v)} is not a valid ${kind} name; the API server rejects every job pod.`,
    fix: `use the name of an existing ${kind}: a DNS-1123 subdomain (lower-case letters, digits, '-' and '.'), e.g. ${kind === 'RuntimeClass' ? 'gvisor' : 'ci-low'}.`,
  }),
  secretName: (v: unknown) => ({
    message: `${show(v)} is not a Secret name; the kubelet cannot look it up.`,
    fix: 'give the name of a Secret of type kubernetes.io/dockerconfigjson in the job namespace: a DNS-1123 subdomain, e.g. registry-credentials.',
  }),
  pullSecretsIgnored: () => ({
    message: 'with useServiceAccountImagePullSecrets the runner sends no image pull Secrets of its own (prepareImagePullSecrets returns none), so these are never used.',
    fix: "drop imagePullSecrets and add them to the job pods' ServiceAccount, or leave useServiceAccountImagePullSecrets off.",
  }),
  notBoolean: (v: unknown) => ({ message: `${show(v)} is not true or false.`, fix: 'give a boolean.' }),
  regex: (v: unknown, reason: string) => ({
    message: `${show(v)} is not a regular expression the runner can use: ${reason}. The runner compiles it with Go's regexp (RE2) and fails every job that sets the variable.`,
    fix: 'write it in RE2 syntax: no lookahead or lookbehind, no backreferences, no atomic groups or possessive quantifiers, repeat counts up to 1000; e.g. \'^ci-[a-z0-9-]+$\'.',
  }),
  regexType: (v: unknown) => ({ message: `${show(v)} is not a regular expression string.`, fix: "give a Go (RE2) regular expression, e.g. '^ci-.*$'." }),
  podEphemeral: () => ({ message: 'the runner has no pod-level ephemeral storage setting (only pod_cpu_* and pod_memory_*).', fix: 'set ephemeral storage per container, with buildResources, helper.resources or serviceResources.' }),
  twice: (key: string, prop: string) => ({ message: `config.toml key '${key}' is set both by ${prop} and by extraConfig.${key}.`, fix: `set it once, with ${prop}.` }),
};

const add = (errors: _PropErrors, field: string, p: Problem) => errors.add(field, p.message, p.fix);

/**
 * Why Go's regexp package (RE2 syntax) would refuse `pattern`, or undefined when it accepts it. Covers the
 * constructs JavaScript accepts and RE2 does not, plus unbalanced groups and classes; the verdicts are checked
 * against Go's own regexp.Compile in test/job-scheduling-conformance.test.ts.
 */
export function re2Problem(pattern: string): string | undefined {
  let depth = 0;
  let i = 0;
  // Whether the previous item can take a repetition operator, and whether it already is a repetition.
  let repeatable = false;
  let repeated = false;
  const quantifier = (at: number): number => {
    const c = pattern[at];
    if (c === '*' || c === '+' || c === '?') return 1;
    if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(pattern.slice(at));
      if (m) return m[0].length;
    }
    return 0;
  };
  while (i < pattern.length) {
    const c = pattern[i];
    if (c === '\\') {
      const next = pattern[i + 1];
      if (next === undefined) return 'it ends in a lone backslash';
      // Go reads \1 to \7 followed by an octal digit as an octal escape, a lone digit as a backreference.
      if (/[1-9]/.test(next) && !(/[1-7]/.test(next) && /[0-7]/.test(pattern[i + 2] ?? ''))) return `\\${next} is a backreference, which RE2 does not support`;
      if (next === 'k') return '\\k<name> is a backreference, which RE2 does not support';
      if (/[A-Za-z]/.test(next) && !RE2_LETTER_ESCAPES.includes(next)) return `\\${next} is not an RE2 escape`;
      if (next === 'Q') {
        const end = pattern.indexOf('\\E', i + 2);
        i = end < 0 ? pattern.length : end + 2;
      } else {
        i += /[pP]/.test(next) && pattern[i + 2] === '{' ? pattern.indexOf('}', i) + 1 || pattern.length : 2;
      }
      repeatable = true;
      repeated = false;
      continue;
    }
    if (c === '[') {
      let j = i + 1;
      if (pattern[j] === '^') j++;
      if (pattern[j] === ']') j++;
      while (j < pattern.length && pattern[j] !== ']') {
        if (pattern[j] === '\\') {j++;} else if (pattern[j] === '[' && pattern[j + 1] === ':') {
          const end = pattern.indexOf(':]', j + 2);
          if (end > 0) j = end + 1;
        }
        j++;
      }
      if (j >= pattern.length) return 'a character class [ is never closed';
      i = j + 1;
      repeatable = true;
      repeated = false;
      continue;
    }
    if (c === '(') {
      const rest = pattern.slice(i);
      if (/^\(\?<?[=!]/.test(rest)) return 'lookahead and lookbehind ((?=, (?!, (?<=, (?<!) are not RE2 syntax';
      if (rest.startsWith('(?>')) return 'atomic groups ((?>...)) are not RE2 syntax';
      depth++;
      i++;
      repeatable = false;
      if (rest.startsWith('(?')) {
        const m = /^\(\?(P?<[A-Za-z_][A-Za-z0-9_]*>|:|[imsU-]+:|[imsU-]+\))/.exec(rest);
        if (!m) return `${rest.slice(0, 4)}... is not an RE2 group`;
        if (m[0].endsWith(')')) depth--;
        i += m[0].length - 1;
      }
      continue;
    }
    if (c === ')') {
      if (depth === 0) return 'a ) has no matching (';
      depth--;
      i++;
      repeatable = true;
      repeated = false;
      continue;
    }
    if (c === '|') {
      i++;
      repeatable = false;
      continue;
    }
    const q = quantifier(i);
    if (q > 0) {
      if (c === '{') {
        const m = /^\{(\d+)(,(\d*))?\}/.exec(pattern.slice(i))!;
        const counts = [m[1], m[3]].filter((n) => n !== undefined && n !== '').map(Number);
        if (counts.some((n) => n > RE2_MAX_REPEAT)) return `the repeat count ${m[0]} is above RE2's limit of ${RE2_MAX_REPEAT}`;
        if (counts.length === 2 && counts[0] > counts[1]) return `the repeat count ${m[0]} has its minimum above its maximum`;
      }
      if (repeated) return `${pattern.slice(i, i + q)} repeats a repetition (possessive or nested quantifiers are not RE2 syntax)`;
      if (!repeatable) return `${pattern.slice(i, i + q)} has nothing to repeat`;
      i += q;
      if (pattern[i] === '?') i++;
      repeated = true;
      continue;
    }
    i++;
    repeatable = true;
    repeated = false;
  }
  if (depth > 0) return 'a ( is never closed';
  return undefined;
}

function validateRequirements(errors: _PropErrors, field: string, list: unknown, fields: boolean): void {
  if (list === undefined) return;
  if (!Array.isArray(list)) return add(errors, field, MESSAGES.notList(list, "[{ key: 'pool', operator: NodeSelectorOperator.IN, values: ['ci'] }]"));
  list.forEach((r: NodeSelectorRequirement, i) => {
    const at = `${field}[${i}]`;
    if (!isPlainMap(r)) return add(errors, at, MESSAGES.notMap(r, 'a requirement { key, operator, values? }'));
    if (fields ? r.key !== 'metadata.name' : (typeof r.key !== 'string' || !isLabelKey(r.key))) {
      add(errors, `${at}.key`, fields ? MESSAGES.fieldKey(r.key) : MESSAGES.labelKey(r.key));
    }
    if (!OPERATORS.includes(r.operator as string) || (fields && !['In', 'NotIn'].includes(r.operator))) {
      return add(errors, `${at}.operator`, MESSAGES.operator(r.operator));
    }
    if (r.values !== undefined && !(Array.isArray(r.values) && r.values.every((v) => typeof v === 'string'))) {
      return add(errors, `${at}.values`, MESSAGES.notList(r.values, "['ci']"));
    }
    const values = r.values ?? [];
    const op = r.operator;
    if ((op === 'In' || op === 'NotIn') && values.length === 0) add(errors, `${at}.values`, MESSAGES.needsValues(op));
    if ((op === 'Exists' || op === 'DoesNotExist') && values.length > 0) add(errors, `${at}.values`, MESSAGES.noValues(op, values.length));
    if ((op === 'Gt' || op === 'Lt') && (values.length !== 1 || !WHOLE.test(values[0]))) add(errors, `${at}.values`, MESSAGES.oneInteger(op, values));
  });
}

function validateTerm(errors: _PropErrors, field: string, t: NodeSelectorTerm, required: boolean): void {
  if (!isPlainMap(t)) return add(errors, field, MESSAGES.notMap(t, 'a term { matchExpressions?, matchFields? }'));
  validateRequirements(errors, `${field}.matchExpressions`, t.matchExpressions, false);
  validateRequirements(errors, `${field}.matchFields`, t.matchFields, true);
  const count = (Array.isArray(t.matchExpressions) ? t.matchExpressions.length : 0) + (Array.isArray(t.matchFields) ? t.matchFields.length : 0);
  if (required && count === 0) add(errors, field, MESSAGES.emptyTerm());
}

function validateAffinity(errors: _PropErrors, a: unknown): void {
  if (a === undefined) return;
  if (!isPlainMap(a)) return add(errors, 'nodeAffinity', MESSAGES.notMap(a, 'a node affinity { required?, preferred? }'));
  const { required, preferred } = a as { required?: unknown; preferred?: unknown };
  if (required !== undefined && !Array.isArray(required)) add(errors, 'nodeAffinity.required', MESSAGES.notList(required, "[{ matchExpressions: [{ key: 'pool', operator: NodeSelectorOperator.IN, values: ['ci'] }] }]"));
  else (required as NodeSelectorTerm[] | undefined)?.forEach((t, i) => validateTerm(errors, `nodeAffinity.required[${i}]`, t, true));
  if (preferred !== undefined && !Array.isArray(preferred)) return add(errors, 'nodeAffinity.preferred', MESSAGES.notList(preferred, '[{ weight: 50, preference: { ... } }]'));
  (preferred as unknown[] | undefined)?.forEach((p, i) => {
    const at = `nodeAffinity.preferred[${i}]`;
    if (!isPlainMap(p)) return add(errors, at, MESSAGES.notMap(p, 'a weighted term { weight, preference }'));
    const { weight, preference } = p as { weight: unknown; preference: NodeSelectorTerm };
    if (typeof weight !== 'number' || !Number.isInteger(weight) || weight < 1 || weight > 100) add(errors, `${at}.weight`, MESSAGES.weight(weight));
    validateTerm(errors, `${at}.preference`, preference, false);
  });
}

/** Checks the scheduling props of a JobPodTemplate and that none of their keys is also set through `extraConfig`. */
export function validateScheduling(errors: _PropErrors, p: JobPodSchedulingProps, rendered: Record<string, unknown>, extraConfig: unknown): void {
  validateAffinity(errors, p.nodeAffinity);
  for (const [field, kind] of [['runtimeClassName', 'RuntimeClass'], ['priorityClassName', 'PriorityClass']] as const) {
    const v: unknown = p[field];
    if (v !== undefined && (typeof v !== 'string' || !isDns1123Subdomain(v))) add(errors, field, MESSAGES.className(kind, v));
  }
  const secrets: unknown = p.imagePullSecrets;
  if (secrets !== undefined && !Array.isArray(secrets)) add(errors, 'imagePullSecrets', MESSAGES.notList(secrets, "['registry-credentials']"));
  (Array.isArray(secrets) ? secrets : []).forEach((s, i) => {
    if (typeof s !== 'string' || !isDns1123Subdomain(s)) add(errors, `imagePullSecrets[${i}]`, MESSAGES.secretName(s));
  });
  const useSa: unknown = p.useServiceAccountImagePullSecrets;
  if (useSa !== undefined && typeof useSa !== 'boolean') add(errors, 'useServiceAccountImagePullSecrets', MESSAGES.notBoolean(useSa));
  if (useSa === true && Array.isArray(secrets) && secrets.length > 0) add(errors, 'imagePullSecrets', MESSAGES.pullSecretsIgnored());
  for (const field of ['podTerminationGracePeriod', 'cleanupGracePeriod'] as const) validateWholeSeconds(errors, field, p[field], true, 'Duration.seconds(30)');
  const o: unknown = p.overwriteAllowed;
  if (o !== undefined && !isPlainMap(o)) {
    add(errors, 'overwriteAllowed', MESSAGES.notMap(o, 'overwrite allowlists { namespace?, serviceAccount?, bearerToken?, nodeSelector?, podLabels?, podAnnotations? }'));
  } else if (o !== undefined) {
    const lists = o as Record<string, unknown>;
    for (const key of ['namespace', 'serviceAccount', 'nodeSelector', 'podLabels', 'podAnnotations']) {
      const v = lists[key];
      if (v === undefined) continue;
      if (typeof v !== 'string') { add(errors, `overwriteAllowed.${key}`, MESSAGES.regexType(v)); continue; }
      const reason = re2Problem(v);
      if (reason !== undefined) add(errors, `overwriteAllowed.${key}`, MESSAGES.regex(v, reason));
    }
    if (lists.bearerToken !== undefined && typeof lists.bearerToken !== 'boolean') add(errors, 'overwriteAllowed.bearerToken', MESSAGES.notBoolean(lists.bearerToken));
  }
  const pod: unknown = p.podResources;
  if (isPlainMap(pod) && (pod as Record<string, unknown>).ephemeralStorage !== undefined) add(errors, 'podResources.ephemeralStorage', MESSAGES.podEphemeral());
  validateContainerResources(errors, 'podResources', pod as JobPodSchedulingProps['podResources']);
  if (isPlainMap(extraConfig)) {
    for (const key of Object.keys(rendered)) {
      if (Object.prototype.hasOwnProperty.call(extraConfig, key)) add(errors, `extraConfig.${key}`, MESSAGES.twice(key, SCHEDULING_KEYS[key]));
    }
  }
}
