import { validateContainerResources } from './container-resources';
import { JOB_SCHEDULING_MESSAGES as M } from './job-scheduling.messages';
import { validateWholeSeconds } from './placement';
import type { _PropErrors } from './prop-errors';
import { isDns1123Subdomain, isLabelKey, isPlainMap } from './validators';
import {
  JobPodSchedulingProps, NodeSelectorOperator, NodeSelectorRequirement, NodeSelectorTerm, SCHEDULING_KEYS,
} from '../../model/job-scheduling';
import type { Problem } from '../../model/problem';

// Declaration checks of the scheduling, identity, overwrite and pod-level resource props of JobPodTemplate: what the
// API server, the scheduler or the runner's Go regexp package would refuse. Message text is in job-scheduling.messages.ts.

const OPERATORS = Object.values(NodeSelectorOperator) as string[];
const WHOLE = /^-?(0|[1-9]\d*)$/;
/** Go's regexp refuses repeat counts above this ("invalid repeat count"). */
const RE2_MAX_REPEAT = 1000;
/** Letters Go's regexp accepts after a backslash; any other letter is "invalid escape sequence". */
const RE2_LETTER_ESCAPES = 'afntrvxdDsSwWbBAzpPQE';

const add = (errors: _PropErrors, field: string, p: Problem) => errors.addProblem(field, p);

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
      if (next === undefined) return M.re2.loneBackslash;
      // Go reads \1 to \7 followed by an octal digit as an octal escape, a lone digit as a backreference.
      if (/[1-9]/.test(next) && !(/[1-7]/.test(next) && /[0-7]/.test(pattern[i + 2] ?? ''))) return M.re2.backreference(`\\${next}`);
      if (next === 'k') return M.re2.backreference('\\k<name>');
      if (/[A-Za-z]/.test(next) && !RE2_LETTER_ESCAPES.includes(next)) return M.re2.notEscape(`\\${next}`);
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
      if (j >= pattern.length) return M.re2.openClass;
      i = j + 1;
      repeatable = true;
      repeated = false;
      continue;
    }
    if (c === '(') {
      const rest = pattern.slice(i);
      if (/^\(\?<?[=!]/.test(rest)) return M.re2.lookaround;
      if (rest.startsWith('(?>')) return M.re2.atomic;
      depth++;
      i++;
      repeatable = false;
      if (rest.startsWith('(?')) {
        const m = /^\(\?(P?<[A-Za-z_][A-Za-z0-9_]*>|:|[imsU-]+:|[imsU-]+\))/.exec(rest);
        if (!m) return M.re2.notGroup(rest.slice(0, 4));
        if (m[0].endsWith(')')) depth--;
        i += m[0].length - 1;
      }
      continue;
    }
    if (c === ')') {
      if (depth === 0) return M.re2.unmatchedClose;
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
        if (counts.some((n) => n > RE2_MAX_REPEAT)) return M.re2.repeatAbove(m[0], RE2_MAX_REPEAT);
        if (counts.length === 2 && counts[0] > counts[1]) return M.re2.repeatReversed(m[0]);
      }
      if (repeated) return M.re2.repeatRepeat(pattern.slice(i, i + q));
      if (!repeatable) return M.re2.nothingToRepeat(pattern.slice(i, i + q));
      i += q;
      if (pattern[i] === '?') i++;
      repeated = true;
      continue;
    }
    i++;
    repeatable = true;
    repeated = false;
  }
  if (depth > 0) return M.re2.openGroup;
  return undefined;
}

function validateRequirements(errors: _PropErrors, field: string, list: unknown, fields: boolean): void {
  if (list === undefined) return;
  if (!Array.isArray(list)) return add(errors, field, M.notList(list, 'requirements'));
  list.forEach((r: NodeSelectorRequirement, i) => {
    const at = `${field}[${i}]`;
    if (!isPlainMap(r)) return add(errors, at, M.notMap(r, 'requirement'));
    if (fields ? r.key !== 'metadata.name' : (typeof r.key !== 'string' || !isLabelKey(r.key))) {
      add(errors, `${at}.key`, fields ? M.fieldKey(r.key) : M.labelKey(r.key));
    }
    if (!OPERATORS.includes(r.operator as string) || (fields && !['In', 'NotIn'].includes(r.operator))) {
      return add(errors, `${at}.operator`, M.operator(r.operator));
    }
    if (r.values !== undefined && !(Array.isArray(r.values) && r.values.every((v) => typeof v === 'string'))) {
      return add(errors, `${at}.values`, M.notList(r.values, 'values'));
    }
    const values = r.values ?? [];
    const op = r.operator;
    if ((op === 'In' || op === 'NotIn') && values.length === 0) add(errors, `${at}.values`, M.needsValues(op));
    if ((op === 'Exists' || op === 'DoesNotExist') && values.length > 0) add(errors, `${at}.values`, M.noValues(op, values.length));
    if ((op === 'Gt' || op === 'Lt') && (values.length !== 1 || !WHOLE.test(values[0]))) add(errors, `${at}.values`, M.oneInteger(op, values));
  });
}

function validateTerm(errors: _PropErrors, field: string, t: NodeSelectorTerm, required: boolean): void {
  if (!isPlainMap(t)) return add(errors, field, M.notMap(t, 'term'));
  validateRequirements(errors, `${field}.matchExpressions`, t.matchExpressions, false);
  validateRequirements(errors, `${field}.matchFields`, t.matchFields, true);
  const count = (Array.isArray(t.matchExpressions) ? t.matchExpressions.length : 0) + (Array.isArray(t.matchFields) ? t.matchFields.length : 0);
  if (required && count === 0) add(errors, field, M.emptyTerm());
}

function validateAffinity(errors: _PropErrors, a: unknown): void {
  if (a === undefined) return;
  if (!isPlainMap(a)) return add(errors, 'nodeAffinity', M.notMap(a, 'affinity'));
  const { required, preferred } = a as { required?: unknown; preferred?: unknown };
  if (required !== undefined && !Array.isArray(required)) add(errors, 'nodeAffinity.required', M.notList(required, 'required'));
  else (required as NodeSelectorTerm[] | undefined)?.forEach((t, i) => validateTerm(errors, `nodeAffinity.required[${i}]`, t, true));
  if (preferred !== undefined && !Array.isArray(preferred)) return add(errors, 'nodeAffinity.preferred', M.notList(preferred, 'preferred'));
  (preferred as unknown[] | undefined)?.forEach((p, i) => {
    const at = `nodeAffinity.preferred[${i}]`;
    if (!isPlainMap(p)) return add(errors, at, M.notMap(p, 'weightedTerm'));
    const { weight, preference } = p as { weight: unknown; preference: NodeSelectorTerm };
    if (typeof weight !== 'number' || !Number.isInteger(weight) || weight < 1 || weight > 100) add(errors, `${at}.weight`, M.weight(weight));
    validateTerm(errors, `${at}.preference`, preference, false);
  });
}

/** Checks the scheduling props of a JobPodTemplate and that none of their keys is also set through `extraConfig`. */
export function validateScheduling(errors: _PropErrors, p: JobPodSchedulingProps, rendered: Record<string, unknown>, extraConfig: unknown): void {
  validateAffinity(errors, p.nodeAffinity);
  for (const [field, kind] of [['runtimeClassName', 'RuntimeClass'], ['priorityClassName', 'PriorityClass']] as const) {
    const v: unknown = p[field];
    if (v !== undefined && (typeof v !== 'string' || !isDns1123Subdomain(v))) add(errors, field, M.className(kind, v));
  }
  const secrets: unknown = p.imagePullSecrets;
  if (secrets !== undefined && !Array.isArray(secrets)) add(errors, 'imagePullSecrets', M.notList(secrets, 'pullSecrets'));
  (Array.isArray(secrets) ? secrets : []).forEach((s, i) => {
    if (typeof s !== 'string' || !isDns1123Subdomain(s)) add(errors, `imagePullSecrets[${i}]`, M.secretName(s));
  });
  const useSa: unknown = p.useServiceAccountImagePullSecrets;
  if (useSa !== undefined && typeof useSa !== 'boolean') add(errors, 'useServiceAccountImagePullSecrets', M.notBoolean(useSa));
  if (useSa === true && Array.isArray(secrets) && secrets.length > 0) add(errors, 'imagePullSecrets', M.pullSecretsIgnored());
  for (const field of ['podTerminationGracePeriod', 'cleanupGracePeriod'] as const) {
    validateWholeSeconds(errors, field, p[field], true, 'Duration.seconds(30)');
  }
  const o: unknown = p.overwriteAllowed;
  if (o !== undefined && !isPlainMap(o)) {
    add(errors, 'overwriteAllowed', M.notMap(o, 'overwrite'));
  } else if (o !== undefined) {
    const lists = o as Record<string, unknown>;
    for (const key of ['namespace', 'serviceAccount', 'nodeSelector', 'podLabels', 'podAnnotations']) {
      const v = lists[key];
      if (v === undefined) continue;
      if (typeof v !== 'string') { add(errors, `overwriteAllowed.${key}`, M.regexType(v)); continue; }
      const reason = re2Problem(v);
      if (reason !== undefined) add(errors, `overwriteAllowed.${key}`, M.regex(v, reason));
    }
    if (lists.bearerToken !== undefined && typeof lists.bearerToken !== 'boolean') {
      add(errors, 'overwriteAllowed.bearerToken', M.notBoolean(lists.bearerToken));
    }
  }
  const pod: unknown = p.podResources;
  if (isPlainMap(pod) && (pod as Record<string, unknown>).ephemeralStorage !== undefined) {
    add(errors, 'podResources.ephemeralStorage', M.podEphemeral());
  }
  validateContainerResources(errors, 'podResources', pod as JobPodSchedulingProps['podResources']);
  if (isPlainMap(extraConfig)) {
    for (const key of Object.keys(rendered)) {
      if (Object.prototype.hasOwnProperty.call(extraConfig, key)) add(errors, `extraConfig.${key}`, M.twice(key, SCHEDULING_KEYS[key]));
    }
  }
}
