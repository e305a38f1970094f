import { MANAGER_POD_MESSAGES as M } from './manager-pod.messages';
import { validateAnnotationKeys, validateLabels } from './placement';
import type { _PropErrors } from './prop-errors';
import { ANNOTATIONS_MAX_BYTES, INT32_MAX, isDns1123Subdomain, isLabelKey, isPlainMap, isWholeNumber, utf8Bytes } from './validators';
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

/** Checks the props (adding every problem to `errors`) and returns the model; it is meaningless when errors were added. */
export function managerPodModel(errors: _PropErrors, props: PodProps, ctx: ManagerPodContext): ManagerPodModel {
  const count = errors.count;
  const pullSecrets = checkPullSecrets(errors, props.imagePullSecrets);
  const sa = checkServiceAccount(errors, props.serviceAccount);
  checkAnnotations(errors, 'podAnnotations', props.podAnnotations as Record<string, string> | undefined, RESERVED_POD_ANNOTATIONS);
  validateLabels(errors, 'podLabels', props.podLabels as Record<string, string> | undefined);
  for (const key of Object.keys(isPlainMap(props.podLabels) ? props.podLabels as object : {})) {
    if (Object.prototype.hasOwnProperty.call(RESERVED_POD_LABELS, key)) {
      errors.addProblem(`podLabels.${key}`, M.reservedLabel(key, RESERVED_POD_LABELS[key]));
    }
  }
  const affinity = checkAffinity(errors, props.affinity, ctx);
  const spread = checkTopologySpread(errors, props.topologySpread, ctx.replicas);
  const priority = props.priorityClassName;
  if (priority !== undefined && (typeof priority !== 'string' || !isDns1123Subdomain(priority))) {
    errors.addProblem('priorityClassName', M.priorityClass(priority));
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
    errors.addProblem(field, M.choice(field, value, allowed, example));
  }
}

function checkPullSecrets(errors: _PropErrors, value: unknown): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    errors.addProblem('imagePullSecrets', M.pullSecretsNotList(value));
    return [];
  }
  value.forEach((name, i) => {
    if (typeof name !== 'string' || !isDns1123Subdomain(name)) {
      errors.addProblem(`imagePullSecrets[${i}]`, M.pullSecretName(name));
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
    errors.addProblem(field, M.annotationsTooLarge(bytes));
  }
  for (const key of Object.keys(annotations!)) {
    if (Object.prototype.hasOwnProperty.call(reserved, key)) errors.addProblem(`${field}.${key}`, M.reservedAnnotation(key, reserved[key]));
  }
}

function checkServiceAccount(
  errors: _PropErrors, value: PodProps['serviceAccount'],
): { annotations?: Record<string, string>; existingName?: string } {
  if (value === undefined) return {};
  if (!isPlainMap(value)) {
    errors.addProblem('serviceAccount', M.serviceAccount(value));
    return {};
  }
  const { annotations, existingName } = value;
  if (existingName !== undefined && (typeof existingName !== 'string' || !isDns1123Subdomain(existingName))) {
    errors.addProblem('serviceAccount.existingName', M.serviceAccountName(existingName));
  }
  checkAnnotations(errors, 'serviceAccount.annotations', annotations as Record<string, string> | undefined, {});
  if (existingName !== undefined && isPlainMap(annotations) && Object.keys(annotations as object).length > 0) {
    errors.addProblem('serviceAccount', M.annotationsWithExisting(existingName));
  }
  return {
    annotations: annotations as Record<string, string> | undefined,
    existingName: typeof existingName === 'string' ? existingName : undefined,
  };
}

function checkInt(errors: _PropErrors, field: string, value: unknown, min: number, max: number): boolean {
  if (value === undefined) return true;
  if (typeof value !== 'number' || !isWholeNumber(value) || value < min || value > max) {
    errors.addProblem(field, M.notInt(value, min, max));
    return false;
  }
  return true;
}

function checkTopologySpread(errors: _PropErrors, value: unknown, replicas: number): ManagerTopologySpreadModel[] {
  if (value === undefined) return replicas > 1 ? [{ topologyKey: HOSTNAME, maxSkew: 1, whenUnsatisfiable: 'ScheduleAnyway' }] : [];
  if (!Array.isArray(value)) {
    errors.addProblem('topologySpread', M.spreadNotList(value));
    return [];
  }
  return value.map((t: any, i) => {
    const field = `topologySpread[${i}]`;
    if (!isPlainMap(t)) {
      errors.addProblem(field, M.spreadNotConstraint(t));
      return { topologyKey: '', maxSkew: 1, whenUnsatisfiable: 'ScheduleAnyway' };
    }
    if (typeof t.topologyKey !== 'string' || !isLabelKey(t.topologyKey)) {
      errors.addProblem(`${field}.topologyKey`, M.topologyKey(t.topologyKey));
    }
    checkInt(errors, `${field}.maxSkew`, t.maxSkew, 1, INT32_MAX);
    if (t.whenUnsatisfiable !== undefined && !WHEN_UNSATISFIABLE.includes(t.whenUnsatisfiable)) {
      errors.addProblem(`${field}.whenUnsatisfiable`, M.whenUnsatisfiable(t.whenUnsatisfiable, WHEN_UNSATISFIABLE));
    }
    return { topologyKey: t.topologyKey, maxSkew: t.maxSkew ?? 1, whenUnsatisfiable: t.whenUnsatisfiable ?? 'ScheduleAnyway' };
  });
}

function checkDisruptionBudget(
  errors: _PropErrors, value: PodProps['disruptionBudget'], replicas: number,
): ManagerDisruptionBudgetModel | undefined {
  if (value === undefined) return replicas > 1 ? { maxUnavailable: 1 } : undefined;
  if (!isPlainMap(value)) {
    errors.addProblem('disruptionBudget', M.budgetNotBudget(value));
    return undefined;
  }
  const { enabled, maxUnavailable, minAvailable } = value;
  if (enabled !== undefined && typeof enabled !== 'boolean') errors.addProblem('disruptionBudget.enabled', M.notBoolean(enabled));
  if (enabled === false) return undefined;
  const okMax = checkInt(errors, 'disruptionBudget.maxUnavailable', maxUnavailable, 0, INT32_MAX);
  const okMin = checkInt(errors, 'disruptionBudget.minAvailable', minAvailable, 0, INT32_MAX);
  if (maxUnavailable !== undefined && minAvailable !== undefined) {
    errors.addProblem('disruptionBudget', M.budgetBoth());
    return undefined;
  }
  for (const [key, n, ok] of [['maxUnavailable', maxUnavailable, okMax], ['minAvailable', minAvailable, okMin]] as const) {
    if (ok && typeof n === 'number' && n > replicas) {
      errors.addProblem(`disruptionBudget.${key}`, M.budgetAboveReplicas(key, n, replicas));
    }
  }
  if (minAvailable !== undefined) return { minAvailable: minAvailable as number };
  return { maxUnavailable: (maxUnavailable as number | undefined) ?? 1 };
}

function checkRequirements(errors: _PropErrors, field: string, value: unknown): Array<Record<string, unknown>> {
  if (!Array.isArray(value) || value.length === 0) {
    errors.addProblem(field, M.requirementsNotList(value));
    return [];
  }
  return value.map((r: any, i) => {
    const at = `${field}[${i}]`;
    if (!isPlainMap(r)) {
      errors.addProblem(at, M.notRequirement(r));
      return {};
    }
    if (typeof r.key !== 'string' || !isLabelKey(r.key)) errors.addProblem(`${at}.key`, M.requirementKey(r.key));
    if (!NODE_OPERATORS.includes(r.operator)) {
      errors.addProblem(`${at}.operator`, M.operator(r.operator, NODE_OPERATORS));
      return {};
    }
    const values: unknown = r.values ?? [];
    const strings = Array.isArray(values) && values.every((v) => typeof v === 'string');
    const count = Array.isArray(values) ? values.length : -1;
    if (!strings) {
      errors.addProblem(`${at}.values`, M.valuesNotStrings(r.values));
    } else if ((r.operator === 'In' || r.operator === 'NotIn') && count === 0) {
      errors.addProblem(`${at}.values`, M.valuesNeeded(r.operator));
    } else if ((r.operator === 'Exists' || r.operator === 'DoesNotExist') && count > 0) {
      errors.addProblem(`${at}.values`, M.valuesRefused(r.operator));
    } else if ((r.operator === 'Gt' || r.operator === 'Lt') && (count !== 1 || !/^-?\d+$/.test((values as string[])[0]))) {
      errors.addProblem(`${at}.values`, M.oneInteger(r.operator));
    }
    return { key: r.key, operator: r.operator, values: count > 0 ? values : undefined };
  });
}

function checkAffinity(errors: _PropErrors, given: PodProps['affinity'], ctx: ManagerPodContext): Record<string, unknown> | undefined {
  if (given === undefined) return undefined;
  const value = given as Record<string, any>;
  if (!isPlainMap(value)) {
    errors.addProblem('affinity', M.notAffinity(value));
    return undefined;
  }
  const nodeAffinity: Record<string, unknown> = {};
  if (value.requiredNodeLabels !== undefined) {
    const matchExpressions = checkRequirements(errors, 'affinity.requiredNodeLabels', value.requiredNodeLabels);
    nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution = { nodeSelectorTerms: [{ matchExpressions }] };
  }
  if (value.preferredNodeLabels !== undefined) {
    if (!Array.isArray(value.preferredNodeLabels)) {
      errors.addProblem('affinity.preferredNodeLabels', M.preferencesNotList(value.preferredNodeLabels));
    } else {
      nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution = value.preferredNodeLabels.map((p: any, i: number) => {
        const at = `affinity.preferredNodeLabels[${i}]`;
        if (!isPlainMap(p)) {
          errors.addProblem(at, M.notPreference(p));
          return {};
        }
        checkInt(errors, `${at}.weight`, p.weight, 1, 100);
        return { weight: p.weight, preference: { matchExpressions: checkRequirements(errors, `${at}.requirements`, p.requirements) } };
      });
    }
  }
  const mode = value.podAntiAffinity ?? 'none';
  if (!ANTI_AFFINITY.includes(mode as string)) {
    errors.addProblem('affinity.podAntiAffinity', M.antiAffinityMode(mode, ANTI_AFFINITY));
  }
  const matchLabels = { 'app.kubernetes.io/name': 'gitlab-runner', 'app.kubernetes.io/instance': ctx.name };
  const term = { labelSelector: { matchLabels }, topologyKey: HOSTNAME };
  const podAntiAffinity = mode === 'required' ? { requiredDuringSchedulingIgnoredDuringExecution: [term] }
    : mode === 'preferred' ? { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: term }] } : undefined;
  const affinity: Record<string, unknown> = {};
  if (Object.keys(nodeAffinity).length) affinity.nodeAffinity = nodeAffinity;
  if (podAntiAffinity) affinity.podAntiAffinity = podAntiAffinity;
  return Object.keys(affinity).length ? affinity : undefined;
}
