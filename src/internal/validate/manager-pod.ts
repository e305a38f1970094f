import { validateAnnotationKeys, validateLabels } from './placement';
import type { _PropErrors } from './prop-errors';
import { ANNOTATIONS_MAX_BYTES, INT32_MAX, isDns1123Subdomain, isLabelKey, isPlainMap, isWholeNumber, show, utf8Bytes } from './validators';
import type { ManagerDisruptionBudgetModel, ManagerPodModel, ManagerTopologySpreadModel } from '../../model/manager-pod';

// Checks of the manager pod's settings (RunnerManager's ManagerPodProps, issue #14), and the model they give. The
// props arrive as plain data (typed in src/constructs/manager-pod-props.ts); plain JavaScript may pass anything.

/** GitLab Runner's `log_level` and `log_format` values (gitlab-runner-config-keys.json; commands/multi.go). */
export const LOG_LEVELS: readonly string[] = ['debug', 'info', 'warn', 'warning', 'error', 'fatal', 'panic'];
export const LOG_FORMATS: readonly string[] = ['runner', 'text', 'json'];

/**
 * Pod labels a Deployment selects by: the native selector's, and the chart's `app` (its Deployment's selector). Another
 * value would leave the Deployment's pods unselected, which the API server rejects. (The chart's `chart`, `release`
 * and `heritage` labels may be replaced; HELM013 warns.)
 */
export const RESERVED_POD_LABELS: Readonly<Record<string, string>> = {
  'app.kubernetes.io/name': 'the Deployment, PodDisruptionBudget and metrics Service select the manager pods by it',
  'app.kubernetes.io/instance': 'the Deployment, PodDisruptionBudget and metrics Service select the manager pods by it',
  'app': "the chart's Deployment selects its pods by it, so with another value the API server rejects the chart's Deployment",
};

/** Pod annotations the native manifests write themselves. (The chart's own may be replaced; HELM013 warns.) */
export const RESERVED_POD_ANNOTATIONS: Readonly<Record<string, string>> = {
  'checksum/config': 'the Deployment writes it to roll the pods when config.toml changes',
};

const NODE_OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist', 'Gt', 'Lt'];
const WHEN_UNSATISFIABLE = ['ScheduleAnyway', 'DoNotSchedule'];
const ANTI_AFFINITY = ['none', 'preferred', 'required'];
const HOSTNAME = 'kubernetes.io/hostname';

/** What the checks need beyond the props. */
export interface ManagerPodContext {
  readonly name: string;
  readonly replicas: number;
}

/** The props of ManagerPodProps as plain data. */
interface PodProps {
  readonly imagePullSecrets?: unknown;
  readonly serviceAccount?: { readonly annotations?: unknown; readonly existingName?: unknown };
  readonly podAnnotations?: unknown;
  readonly podLabels?: unknown;
  readonly affinity?: object;
  readonly topologySpread?: unknown;
  readonly priorityClassName?: unknown;
  readonly disruptionBudget?: { readonly enabled?: unknown; readonly maxUnavailable?: unknown; readonly minAvailable?: unknown };
  readonly logLevel?: unknown;
  readonly logFormat?: unknown;
  readonly runnerConfig?: unknown;
}

const quoted = (values: readonly string[]) => values.map((v) => `'${v}'`).join(', ');

/** Checks the props (adding every problem to `errors`) and returns the model; it is meaningless when errors were added. */
export function managerPodModel(errors: _PropErrors, props: PodProps, ctx: ManagerPodContext): ManagerPodModel {
  const count = errors.count;
  const pullSecrets = checkPullSecrets(errors, props.imagePullSecrets);
  const sa = checkServiceAccount(errors, props.serviceAccount);
  checkAnnotations(errors, 'podAnnotations', props.podAnnotations as Record<string, string> | undefined, RESERVED_POD_ANNOTATIONS);
  validateLabels(errors, 'podLabels', props.podLabels as Record<string, string> | undefined);
  for (const key of Object.keys(isPlainMap(props.podLabels) ? props.podLabels as object : {})) {
    if (Object.prototype.hasOwnProperty.call(RESERVED_POD_LABELS, key)) {
      errors.add(`podLabels.${key}`, `pod label ${show(key)} is the library's: ${RESERVED_POD_LABELS[key]}.`, 'give the label another key.');
    }
  }
  const affinity = checkAffinity(errors, props.affinity, ctx);
  const spread = checkTopologySpread(errors, props.topologySpread, ctx.replicas);
  const priority = props.priorityClassName;
  if (priority !== undefined && (typeof priority !== 'string' || !isDns1123Subdomain(priority))) {
    errors.add('priorityClassName', `${show(priority)} is not a PriorityClass name.`, 'give a DNS-1123 subdomain, e.g. gitlab-runner-critical.');
  }
  const budget = checkDisruptionBudget(errors, props.disruptionBudget, ctx.replicas);
  checkChoice(errors, 'logLevel', props.logLevel, LOG_LEVELS, 'RunnerLogLevel.INFO');
  checkChoice(errors, 'logFormat', props.logFormat, LOG_FORMATS, 'RunnerLogFormat.JSON');
  const ok = errors.count === count;
  return {
    imagePullSecrets: pullSecrets,
    createServiceAccount: sa.existingName === undefined,
    serviceAccountName: sa.existingName ?? ctx.name,
    serviceAccountAnnotations: ok ? { ...(sa.annotations ?? {}) } : {},
    podAnnotations: ok ? { ...(props.podAnnotations as Record<string, string> ?? {}) } : {},
    podLabels: ok ? { ...(props.podLabels as Record<string, string> ?? {}) } : {},
    affinity,
    topologySpread: spread,
    priorityClassName: priority as string | undefined,
    disruptionBudget: budget,
    logLevel: props.logLevel as string | undefined,
    logFormat: props.logFormat as string | undefined,
    runnerConfig: isPlainMap(props.runnerConfig) ? { ...(props.runnerConfig as Record<string, unknown>) } : {},
  };
}

function checkChoice(errors: _PropErrors, field: string, value: unknown, allowed: readonly string[], example: string): void {
  if (value !== undefined && (typeof value !== 'string' || !allowed.includes(value))) {
    errors.add(field, `${show(value)} is not a value GitLab Runner accepts for ${field === 'logLevel' ? 'log_level' : 'log_format'} (${allowed.join(', ')}); the runner would refuse to start.`,
      `use one of ${quoted(allowed)}, e.g. ${example}.`);
  }
}

function checkPullSecrets(errors: _PropErrors, value: unknown): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    errors.add('imagePullSecrets', `${show(value)} is not a list of Secret names.`, "give an array, e.g. ['registry-credentials'].");
    return [];
  }
  value.forEach((name, i) => {
    if (typeof name !== 'string' || !isDns1123Subdomain(name)) {
      errors.add(`imagePullSecrets[${i}]`, `${show(name)} is not a valid Secret name (a DNS-1123 subdomain); the API server rejects the pod.`,
        'give the name of a kubernetes.io/dockerconfigjson Secret in the manager\'s namespace: lower-case letters, digits, - and ., e.g. registry-credentials.');
    }
  });
  return [...new Set(value as string[])];
}

function checkAnnotations(
  errors: _PropErrors, field: string, annotations: Record<string, string> | undefined, reserved: Readonly<Record<string, string>>,
): void {
  validateAnnotationKeys(errors, field, annotations);
  if (!isPlainMap(annotations)) return;
  const bytes = utf8Bytes(annotations!);
  if (bytes > ANNOTATIONS_MAX_BYTES) {
    errors.add(field, `the annotations take ${bytes} bytes, more than the ${ANNOTATIONS_MAX_BYTES} (256 KiB) the API server allows on one object.`,
      'keep large data out of annotations: put it in a ConfigMap.');
  }
  for (const key of Object.keys(annotations!)) {
    if (Object.prototype.hasOwnProperty.call(reserved, key)) errors.add(`${field}.${key}`, `annotation ${show(key)} is the library's: ${reserved[key]}.`, 'give the annotation another key.');
  }
}

function checkServiceAccount(errors: _PropErrors, value: PodProps['serviceAccount']): { annotations?: Record<string, string>; existingName?: string } {
  if (value === undefined) return {};
  if (!isPlainMap(value)) {
    errors.add('serviceAccount', `${show(value)} is not a ServiceAccount setting.`, "give { annotations: { ... } } or { existingName: 'name' }.");
    return {};
  }
  const { annotations, existingName } = value;
  if (existingName !== undefined && (typeof existingName !== 'string' || !isDns1123Subdomain(existingName))) {
    errors.add('serviceAccount.existingName', `${show(existingName)} is not a ServiceAccount name.`, 'give a DNS-1123 subdomain, e.g. gitlab-runner.');
  }
  checkAnnotations(errors, 'serviceAccount.annotations', annotations as Record<string, string> | undefined, {});
  if (existingName !== undefined && isPlainMap(annotations) && Object.keys(annotations as object).length > 0) {
    errors.add('serviceAccount', `annotations and existingName ${show(existingName)} conflict: the library creates no ServiceAccount when it uses an existing one, so the annotations would be lost.`,
      'annotate the existing ServiceAccount where it is declared, or drop existingName to let the library create an annotated one.');
  }
  return { annotations: annotations as Record<string, string> | undefined, existingName: typeof existingName === 'string' ? existingName : undefined };
}

function checkInt(errors: _PropErrors, field: string, value: unknown, min: number, max: number): boolean {
  if (value === undefined) return true;
  if (typeof value !== 'number' || !isWholeNumber(value) || value < min || value > max) {
    errors.add(field, `${show(value)} is not a whole number from ${min} to ${max}.`, `give a whole number from ${min} to ${max}.`);
    return false;
  }
  return true;
}

function checkTopologySpread(errors: _PropErrors, value: unknown, replicas: number): ManagerTopologySpreadModel[] {
  if (value === undefined) return replicas > 1 ? [{ topologyKey: HOSTNAME, maxSkew: 1, whenUnsatisfiable: 'ScheduleAnyway' }] : [];
  if (!Array.isArray(value)) {
    errors.add('topologySpread', `${show(value)} is not a list of topology spread constraints.`, "give an array, e.g. [{ topologyKey: 'topology.kubernetes.io/zone' }], or [] for none.");
    return [];
  }
  return value.map((t: any, i) => {
    const field = `topologySpread[${i}]`;
    if (!isPlainMap(t)) {
      errors.add(field, `${show(t)} is not a topology spread constraint.`, "give { topologyKey: 'kubernetes.io/hostname' }.");
      return { topologyKey: '', maxSkew: 1, whenUnsatisfiable: 'ScheduleAnyway' };
    }
    if (typeof t.topologyKey !== 'string' || !isLabelKey(t.topologyKey)) {
      errors.add(`${field}.topologyKey`, `${show(t.topologyKey)} is not a node label key.`, 'give a label key such as kubernetes.io/hostname or topology.kubernetes.io/zone.');
    }
    checkInt(errors, `${field}.maxSkew`, t.maxSkew, 1, INT32_MAX);
    if (t.whenUnsatisfiable !== undefined && !WHEN_UNSATISFIABLE.includes(t.whenUnsatisfiable)) {
      errors.add(`${field}.whenUnsatisfiable`, `${show(t.whenUnsatisfiable)} is not ${WHEN_UNSATISFIABLE.join(' or ')}.`, 'use WhenUnsatisfiable.SCHEDULE_ANYWAY or WhenUnsatisfiable.DO_NOT_SCHEDULE.');
    }
    return { topologyKey: t.topologyKey, maxSkew: t.maxSkew ?? 1, whenUnsatisfiable: t.whenUnsatisfiable ?? 'ScheduleAnyway' };
  });
}

function checkDisruptionBudget(errors: _PropErrors, value: PodProps['disruptionBudget'], replicas: number): ManagerDisruptionBudgetModel | undefined {
  if (value === undefined) return replicas > 1 ? { maxUnavailable: 1 } : undefined;
  if (!isPlainMap(value)) {
    errors.add('disruptionBudget', `${show(value)} is not a disruption budget.`, 'give { maxUnavailable: 1 }, { minAvailable: 1 } or { enabled: false }.');
    return undefined;
  }
  const { enabled, maxUnavailable, minAvailable } = value;
  if (enabled !== undefined && typeof enabled !== 'boolean') errors.add('disruptionBudget.enabled', `${show(enabled)} is not true or false.`, 'give a boolean.');
  if (enabled === false) return undefined;
  const okMax = checkInt(errors, 'disruptionBudget.maxUnavailable', maxUnavailable, 0, INT32_MAX);
  const okMin = checkInt(errors, 'disruptionBudget.minAvailable', minAvailable, 0, INT32_MAX);
  if (maxUnavailable !== undefined && minAvailable !== undefined) {
    errors.add('disruptionBudget', 'maxUnavailable and minAvailable are both set; a PodDisruptionBudget takes one of them (the API server rejects both).', 'keep one of the two.');
    return undefined;
  }
  for (const [key, n, ok] of [['maxUnavailable', maxUnavailable, okMax], ['minAvailable', minAvailable, okMin]] as const) {
    if (ok && typeof n === 'number' && n > replicas) {
      errors.add(`disruptionBudget.${key}`, `${key} ${n} is larger than replicas (${replicas}): the budget counts pods that cannot exist${key === 'minAvailable' ? ', so no drain can ever evict a manager pod and node drains hang' : ''}.`,
        `give at most ${replicas}, or raise replicas.`);
    }
  }
  if (minAvailable !== undefined) return { minAvailable: minAvailable as number };
  return { maxUnavailable: (maxUnavailable as number | undefined) ?? 1 };
}

function checkRequirements(errors: _PropErrors, field: string, value: unknown): Array<Record<string, unknown>> {
  if (!Array.isArray(value) || value.length === 0) {
    errors.add(field, `${show(value)} is not a non-empty list of node label requirements.`, "give e.g. [{ key: 'node-role', operator: NodeLabelOperator.IN, values: ['system'] }].");
    return [];
  }
  return value.map((r: any, i) => {
    const at = `${field}[${i}]`;
    if (!isPlainMap(r)) {
      errors.add(at, `${show(r)} is not a node label requirement.`, 'give { key, operator, values? }.');
      return {};
    }
    if (typeof r.key !== 'string' || !isLabelKey(r.key)) errors.add(`${at}.key`, `${show(r.key)} is not a valid label key.`, 'give a node label key, e.g. node-role or kubernetes.io/arch.');
    if (!NODE_OPERATORS.includes(r.operator)) {
      errors.add(`${at}.operator`, `${show(r.operator)} is not a node selector operator (${NODE_OPERATORS.join(', ')}).`, 'use a NodeLabelOperator.');
      return {};
    }
    const values: unknown = r.values ?? [];
    const strings = Array.isArray(values) && values.every((v) => typeof v === 'string');
    const count = Array.isArray(values) ? values.length : -1;
    if (!strings) {errors.add(`${at}.values`, `${show(r.values)} is not a list of strings.`, "give e.g. ['system'].");} else if ((r.operator === 'In' || r.operator === 'NotIn') && count === 0) {errors.add(`${at}.values`, `${r.operator} needs at least one value; the API server rejects the pod.`, 'give the values to match.');} else if ((r.operator === 'Exists' || r.operator === 'DoesNotExist') && count > 0) {errors.add(`${at}.values`, `${r.operator} takes no values; the API server rejects the pod.`, 'remove values.');} else if ((r.operator === 'Gt' || r.operator === 'Lt') && (count !== 1 || !/^-?\d+$/.test((values as string[])[0]))) {
      errors.add(`${at}.values`, `${r.operator} needs exactly one integer value; the API server rejects the pod.`, "give one integer as a string, e.g. ['4'].");
    }
    return { key: r.key, operator: r.operator, values: count > 0 ? values : undefined };
  });
}

function checkAffinity(errors: _PropErrors, given: PodProps['affinity'], ctx: ManagerPodContext): Record<string, unknown> | undefined {
  if (given === undefined) return undefined;
  const value = given as Record<string, any>;
  if (!isPlainMap(value)) {
    errors.add('affinity', `${show(value)} is not an affinity.`, 'give { requiredNodeLabels?, preferredNodeLabels?, podAntiAffinity? }.');
    return undefined;
  }
  const nodeAffinity: Record<string, unknown> = {};
  if (value.requiredNodeLabels !== undefined) {
    const matchExpressions = checkRequirements(errors, 'affinity.requiredNodeLabels', value.requiredNodeLabels);
    nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution = { nodeSelectorTerms: [{ matchExpressions }] };
  }
  if (value.preferredNodeLabels !== undefined) {
    if (!Array.isArray(value.preferredNodeLabels)) {
      errors.add('affinity.preferredNodeLabels', `${show(value.preferredNodeLabels)} is not a list of weighted preferences.`, 'give e.g. [{ weight: 50, requirements: [...] }].');
    } else {
      nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution = value.preferredNodeLabels.map((p: any, i: number) => {
        const at = `affinity.preferredNodeLabels[${i}]`;
        if (!isPlainMap(p)) {
          errors.add(at, `${show(p)} is not a weighted preference.`, 'give { weight, requirements }.');
          return {};
        }
        checkInt(errors, `${at}.weight`, p.weight, 1, 100);
        return { weight: p.weight, preference: { matchExpressions: checkRequirements(errors, `${at}.requirements`, p.requirements) } };
      });
    }
  }
  const mode = value.podAntiAffinity ?? 'none';
  if (!ANTI_AFFINITY.includes(mode as string)) {
    errors.add('affinity.podAntiAffinity', `${show(mode)} is not a pod anti-affinity mode (${ANTI_AFFINITY.join(', ')}).`, 'use a PodAntiAffinity value.');
  }
  const term = { labelSelector: { matchLabels: { 'app.kubernetes.io/name': 'gitlab-runner', 'app.kubernetes.io/instance': ctx.name } }, topologyKey: HOSTNAME };
  const podAntiAffinity = mode === 'required' ? { requiredDuringSchedulingIgnoredDuringExecution: [term] }
    : mode === 'preferred' ? { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: term }] } : undefined;
  const affinity: Record<string, unknown> = {};
  if (Object.keys(nodeAffinity).length) affinity.nodeAffinity = nodeAffinity;
  if (podAntiAffinity) affinity.podAntiAffinity = podAntiAffinity;
  return Object.keys(affinity).length ? affinity : undefined;
}
