import type { CiJob } from './gitlab-ci';
import type { BudgetFacts } from '../../model/budget-facts';
import type { JobPodModel } from '../../model/job-pod';
import type { ManagerModel } from '../../model/manager';
import type { Problem } from '../../model/problem';
import type { RuleSpec } from '../../model/rule';
import type { ServiceModel } from '../../model/service';

// The shape of the rule catalogue. Rules are data: an id, a severity, what they catch, the general fix, and a pure
// check over plain models. Checks never touch the construct tree.

/** @internal What a fleet rule sees: one manager (with its job pod template) and the budget it is planned against. */
export interface RuleContext {
  readonly manager: ManagerModel;
  readonly budget?: BudgetFacts;
}

/** @internal What a .gitlab-ci.yml rule sees: the fleet context plus one resolved CI job. */
export interface CiRuleContext extends RuleContext {
  readonly job: CiJob;
}

/** @internal One thing a rule found: where (construct path and field), what, and how to fix this instance. */
export interface RuleHit {
  readonly path: string;
  readonly field: string;
  readonly message: string;
  readonly fix: string;
}

/**
 * @internal One rule of the fleet catalogue, as its file declares it: the rule's shape (src/model/rule.ts) and its
 * pure checks. When it is checked follows from the checks it has (the catalogue fills `checkedAt` in).
 */
export interface CatalogueRule extends Omit<RuleSpec, 'checkedAt'> {
  /** Checks a manager and its job pod. */
  readonly check?: (ctx: RuleContext) => RuleHit[];
  /** Checks one job of a .gitlab-ci.yml against the manager. */
  readonly ciCheck?: (ctx: CiRuleContext) => RuleHit[];
}

/** @internal */
export function hit(path: string, field: string, message: string, fix: string): RuleHit {
  return { path, field, message, fix };
}

/** @internal A hit worded by a message table (see src/model/problem.ts). */
export function problemHit(path: string, field: string, problem: Problem): RuleHit {
  return { path, field, message: problem.message, fix: problem.fix };
}

/** @internal The job pod's DinD services. */
export function dindServices(job: JobPodModel): Array<ServiceModel & { dind: NonNullable<ServiceModel['dind']> }> {
  return job.services.filter((s): s is ServiceModel & { dind: NonNullable<ServiceModel['dind']> } => s.dind !== undefined);
}

/** @internal Sorted, de-duplicated strings. */
export function uniqueSorted(values: string[]): string[] {
  return [...new Set(values)].sort();
}

/** @internal Quotes names for a message: 'a', 'b' and 'c'. */
export function quoteList(values: string[]): string {
  const quoted = values.map((v) => `'${v}'`);
  return quoted.length <= 1 ? quoted.join('') : `${quoted.slice(0, -1).join(', ')} and ${quoted[quoted.length - 1]}`;
}

/** @internal Where a finding about a .gitlab-ci.yml job points: the job and the key. */
export function ciField(job: CiJob, key: string): string {
  return `.gitlab-ci.yml ${job.name}.${key}`;
}
