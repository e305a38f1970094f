import { CACHE_RULES } from './cache';
import { CAPACITY_RULE_LIST } from './capacity-rules';
import { CATALOGUE_MESSAGES as M } from './catalogue.messages';
import { CI_RULES } from './ci';
import { CatalogueRule, CiRuleContext, RuleContext, RuleHit } from './core';
import { DIND_RULES } from './dind';
import { DNS_RULES } from './dns';
import { HELM_RULES } from './helm';
import { JOB_SCHEDULING_RULES } from './job-scheduling';
import { JOB_VOLUME_RULES } from './job-volumes';
import { MANAGER_RULES } from './manager';
import { MANAGER_POD_HELM_RULES, MANAGER_POD_RULES } from './manager-pod';
import { NAMESPACE_RULES } from './namespace';
import { PATCH_RULES } from './patches';
import { POD_RULES } from './pod';
import { RESOURCE_RULES } from './resources';
import { SYNTH_RULES } from './synth';
import { VARIABLE_RULES } from './variables';
import { VERSION_RULES } from './version';
import { Finding, Severity } from '../../model/finding';
import type { RuleCheckedAt, RuleSpec } from '../../model/rule';
import { CACHE_PROP_RULES } from '../validate/cache';
import { CONSTRUCTION_RULES, PROP_RULES } from '../validate/construction-rules';

// The rule catalogue: every rule of the library in one shape (src/model/rule.ts), in one table that the checks, the
// acknowledgement API and the README all read. Rules with checks (FLEET_RULES) are evaluated here; the others are
// checked where their data is (constructs at declaration, the capacity model, the Helm values, FleetSynth) and
// listed here by their specs.

const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** @internal The rules with checks over the fleet model and .gitlab-ci.yml jobs, in id order. */
export const FLEET_RULES: CatalogueRule[] = [
  ...DIND_RULES, ...DNS_RULES, ...RESOURCE_RULES, ...MANAGER_RULES, ...POD_RULES, ...VARIABLE_RULES, ...VERSION_RULES, ...CI_RULES,
  ...JOB_VOLUME_RULES, ...JOB_SCHEDULING_RULES, ...MANAGER_POD_RULES, ...CACHE_RULES, ...NAMESPACE_RULES,
].sort(byId);

/** A fleet rule's spec: when it is checked follows from the checks it has. */
function specOf(rule: CatalogueRule): RuleSpec {
  const { check, ciCheck, ...spec } = rule;
  const when: RuleCheckedAt[] = [];
  if (spec.enforcedBy !== undefined) when.push('declaration');
  if (check) when.push('synth');
  if (ciCheck) when.push('gitlab-ci');
  return { ...spec, checkedAt: when };
}

/** @internal Every rule of the library, in id order. */
export const RULES: RuleSpec[] = [
  ...Object.values(CONSTRUCTION_RULES),
  ...Object.values(PROP_RULES),
  CACHE_PROP_RULES.malformed, CACHE_PROP_RULES.caNotSecret,
  ...FLEET_RULES.map(specOf),
  ...CAPACITY_RULE_LIST,
  ...Object.values(HELM_RULES),
  ...Object.values(PATCH_RULES),
  ...Object.values(MANAGER_POD_HELM_RULES),
  ...Object.values(SYNTH_RULES),
].sort(byId);

const RULES_BY_ID = new Map(RULES.map((r) => [r.id, r]));

/** @internal The rule with this id, if the catalogue has one. */
export function ruleById(id: string): RuleSpec | undefined {
  return RULES_BY_ID.get(id);
}

function toFinding(rule: CatalogueRule, h: RuleHit): Finding {
  return { ruleId: rule.id, severity: rule.severity, path: h.path, field: h.field, message: h.message, fix: h.fix };
}

/** @internal The findings of every fleet rule for one manager: errors and warnings, in rule order. */
export function evaluateRules(ctx: RuleContext): Finding[] {
  return FLEET_RULES.flatMap((rule) => (rule.check ? rule.check(ctx).map((h) => toFinding(rule, h)) : []));
}

/** @internal The findings of every .gitlab-ci.yml rule for one job. */
export function evaluateCiRules(ctx: CiRuleContext): Finding[] {
  return FLEET_RULES.flatMap((rule) => (rule.ciCheck ? rule.ciCheck(ctx).map((h) => toFinding(rule, h)) : []));
}

/** @internal A finding a user acknowledged: still reported, with the reason. */
export interface AcknowledgedFinding extends Finding {
  readonly acknowledged: string;
}

/**
 * @internal Marks the warnings acknowledged on the construct they are about (`acks`: construct path → rule id →
 * reason). The reason is appended to the message, so every printer and report shows it.
 */
export function applyAcknowledgements(findings: Finding[], acks: Record<string, Record<string, string>>): Finding[] {
  return findings.map((f) => {
    const reason = f.severity === Severity.WARNING ? acks[f.path]?.[f.ruleId] : undefined;
    if (reason === undefined) return f;
    const acknowledged: AcknowledgedFinding = { ...f, message: M.acknowledged({ message: f.message, reason }), acknowledged: reason };
    return acknowledged;
  });
}
