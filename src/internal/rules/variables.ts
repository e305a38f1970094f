import { CatalogueRule, CiRuleContext, RuleHit, ciField, problemHit } from './core';
import { VARIABLE_MESSAGES as M } from './variables.messages';
import { Severity } from '../../model/finding';
import type { JobPodModel } from '../../model/job-pod';
import { Quantity } from '../../model/quantity';
import { kubernetesTable } from '../render/config-toml';

// Job variables that look like runner settings. Only the variables of executors/kubernetes/overwrites.go change a
// job pod, and only within the *_overwrite_* limits of config.toml; the other KUBERNETES_* names the runner knows
// are `gitlab-runner register` settings read from the manager's own environment, never from a job.

const CONTAINERS = [
  { variable: '', toml: '', field: 'buildResources', kinds: ['cpu', 'memory', 'ephemeralStorage'] },
  { variable: 'HELPER_', toml: 'helper_', field: 'helper.resources', kinds: ['cpu', 'memory', 'ephemeralStorage'] },
  { variable: 'SERVICE_', toml: 'service_', field: 'serviceResources', kinds: ['cpu', 'memory', 'ephemeralStorage'] },
  { variable: 'POD_', toml: 'pod_', field: 'podResources', kinds: ['cpu', 'memory'] },
];
const KINDS: Record<string, { variable: string; toml: string }> = {
  cpu: { variable: 'CPU', toml: 'cpu' },
  memory: { variable: 'MEMORY', toml: 'memory' },
  ephemeralStorage: { variable: 'EPHEMERAL_STORAGE', toml: 'ephemeral_storage' },
};

interface ResourceOverwrite {
  /** The config.toml key that must be set for the runner to read the variable. */
  readonly maxKey: string;
  /** The prop that sets that key. */
  readonly prop: string;
}

/** Every resource overwrite variable, with the key that enables it. */
const RESOURCE_OVERWRITES = new Map<string, ResourceOverwrite>(CONTAINERS.flatMap((c) => c.kinds.flatMap((kind) =>
  (['request', 'limit'] as const).map((which): [string, ResourceOverwrite] => {
    const maxKey = `${c.toml}${KINDS[kind].toml}_${which}_overwrite_max_allowed`;
    const prop = `${c.field}.${kind}.${which === 'request' ? 'maxRequest' : 'maxLimit'}`;
    return [`KUBERNETES_${c.variable}${KINDS[kind].variable}_${which.toUpperCase()}`, { maxKey, prop }];
  }))));

const OTHER_OVERWRITES = new Set(['KUBERNETES_NAMESPACE_OVERWRITE', 'KUBERNETES_SERVICE_ACCOUNT_OVERWRITE', 'KUBERNETES_BEARER_TOKEN']);
const OVERWRITE_PREFIXES = [
  'KUBERNETES_POD_LABELS_', 'KUBERNETES_POD_ANNOTATIONS_', 'KUBERNETES_NODE_SELECTOR_', 'KUBERNETES_NODE_TOLERATIONS_',
];
/** Set by the kubelet in every container (service links); a job may legitimately pass them on. */
const KUBELET_VARIABLES = /^KUBERNETES_(SERVICE_HOST|SERVICE_PORT(_[A-Z0-9_]+)?|PORT(_[A-Z0-9_]+)?)$/;
/** Names someone uses hoping to set the job pod's DNS. */
const DNS_VARIABLE = /^KUBERNETES_(POD_)?DNS(_|$)|^(POD_)?DNS_(POLICY|CONFIG)$/;

function isDnsVariable(name: string): boolean {
  return DNS_VARIABLE.test(name);
}

function isKnownJobVariable(name: string): boolean {
  return RESOURCE_OVERWRITES.has(name) || OTHER_OVERWRITES.has(name) || KUBELET_VARIABLES.test(name)
    || OVERWRITE_PREFIXES.some((p) => name.startsWith(p) && name.length > p.length);
}

/** A set of job variables and where they were written. */
export interface VariableSource {
  readonly path: string;
  readonly variables: Record<string, string>;
  readonly field: (name: string) => string;
  readonly job: JobPodModel;
}

function dnsVariables(src: VariableSource): RuleHit[] {
  return Object.keys(src.variables).filter(isDnsVariable).map((name) => problemHit(src.path, src.field(name),
    M.dnsVariable({ name, jobPodPath: src.job.path, policy: src.job.dns?.policy })));
}

function unknownVariables(src: VariableSource): RuleHit[] {
  return Object.keys(src.variables)
    .filter((name) => name.startsWith('KUBERNETES_') && !isDnsVariable(name) && !isKnownJobVariable(name))
    .map((name) => problemHit(src.path, src.field(name), M.unknownVariable({ name })));
}

function resourceOverwrites(src: VariableSource, severity: Severity): RuleHit[] {
  const table = kubernetesTable(src.job) as Record<string, unknown>;
  return Object.entries(src.variables).flatMap(([name, value]) => {
    const overwrite = RESOURCE_OVERWRITES.get(name);
    if (!overwrite || value === '') return [];
    const max = table[overwrite.maxKey] as string | undefined;
    if (max === undefined) {
      return severity === Severity.WARNING ? [problemHit(src.path, src.field(name),
        M.ignoredOverwrite({ name, value, maxKey: overwrite.maxKey, prop: overwrite.prop, jobPodPath: src.job.path }))] : [];
    }
    if (severity !== Severity.ERROR || value.includes('$')) return [];
    if (!Quantity.isValid(value)) {
      return [problemHit(src.path, src.field(name), M.notQuantity({ name, value }))];
    }
    return Quantity.parse(value).compareTo(Quantity.parse(max)) > 0
      ? [problemHit(src.path, src.field(name),
        M.aboveMax({ name, value, maxKey: overwrite.maxKey, max, prop: overwrite.prop, jobPodPath: src.job.path }))]
      : [];
  });
}

/** The variables of the runner's own `environment` (the user's, not the ones a DindService adds). */
function runnerVariables(m: { path: string; environment: Record<string, string>; jobPod: JobPodModel }): VariableSource {
  return { path: m.path, variables: m.environment, field: (name) => `environment.${name}`, job: m.jobPod };
}

/** The variables of a .gitlab-ci.yml job, and those of each of its services (which apply to that service only). */
function ciVariables(ctx: CiRuleContext): VariableSource[] {
  const job = ctx.manager.jobPod;
  return [
    { path: ctx.manager.path, variables: ctx.job.variables, field: (name) => ciField(ctx.job, `variables.${name}`), job },
    ...ctx.job.services.map((s) => ({
      path: ctx.manager.path,
      variables: s.variables,
      field: (name: string) => ciField(ctx.job, `services[${s.index}].variables.${name}`),
      job,
    })),
  ];
}

/** @internal Rules about variables, checked in the runner's environment and in .gitlab-ci.yml alike. */
export const VARIABLE_RULES: CatalogueRule[] = [
  {
    id: 'DNS006',
    severity: Severity.ERROR,
    area: 'DNS',
    title: 'A variable meant to set the pod DNS (`KUBERNETES_DNS_CONFIG`, `KUBERNETES_DNS_POLICY`, ...).',
    why: 'CI variables do not control the job pod\'s DNS.',
    fix: 'set the DNS on the job pod template (`JobPodTemplateProps.dns`).',
    check: ({ manager }) => dnsVariables(runnerVariables(manager)),
    ciCheck: (ctx) => ciVariables(ctx).flatMap(dnsVariables),
  },
  {
    id: 'VAR001',
    severity: Severity.WARNING,
    area: 'Variables',
    title: 'A `KUBERNETES_*` job variable the Kubernetes executor does not read (a typo, or a `gitlab-runner register` setting).',
    why: 'It changes nothing.',
    fix: 'use the overwrite variable the runner reads, or the JobPodTemplate prop.',
    check: ({ manager }) => unknownVariables(runnerVariables(manager)),
    ciCheck: (ctx) => ciVariables(ctx).flatMap(unknownVariables),
  },
  {
    id: 'RES006',
    severity: Severity.WARNING,
    area: 'Resources',
    title: 'A resource overwrite variable (`KUBERNETES_CPU_REQUEST`, ...) without the matching `*_overwrite_max_allowed`.',
    why: 'The runner silently ignores it.',
    fix: 'set `maxRequest`/`maxLimit` on the container\'s resources, or drop the variable.',
    check: ({ manager }) => resourceOverwrites(runnerVariables(manager), Severity.WARNING),
    ciCheck: (ctx) => ciVariables(ctx).flatMap((src) => resourceOverwrites(src, Severity.WARNING)),
  },
  {
    id: 'RES007',
    severity: Severity.ERROR,
    area: 'Resources',
    title: 'A resource overwrite variable above its `*_overwrite_max_allowed`, or not a quantity.',
    why: 'The runner fails the job instead of clamping it.',
    fix: 'ask for at most the maximum, or raise `maxRequest`/`maxLimit`.',
    check: ({ manager }) => resourceOverwrites(runnerVariables(manager), Severity.ERROR),
    ciCheck: (ctx) => ciVariables(ctx).flatMap((src) => resourceOverwrites(src, Severity.ERROR)),
  },
];
