import { CI_RULES } from './ci';
import { CatalogueRule, CiRuleContext, RuleArea, RuleContext, RuleHit } from './core';
import { DIND_RULES } from './dind';
import { DNS_RULES } from './dns';
import { MANAGER_RULES } from './manager';
import { POD_RULES } from './pod';
import { RESOURCE_RULES } from './resources';
import { VARIABLE_RULES } from './variables';
import { VERSION_RULES } from './version';
import { Finding, Severity } from '../../model/finding';
import { CONSTRUCTION_RULES, ConstructionRule } from '../validate/construction-rules';

// The rule catalogue: every rule of the library except the capacity rules (CAP…, the budget's), in one table that
// the checks, the acknowledgement API and the README all read.

const CONSTRUCTION_AREA: Record<string, RuleArea> = { DNS: 'DNS', SVC: 'Services', SEC: 'Security', JOB: 'Job pod', RES: 'Resources', DIND: 'DinD' };

function fromConstruction(rule: ConstructionRule): CatalogueRule {
  return {
    id: rule.id,
    severity: Severity.ERROR,
    area: CONSTRUCTION_AREA[rule.id.replace(/\d+$/, '')],
    title: rule.title,
    fix: rule.fix,
    enforcedBy: rule.enforcedBy,
  };
}

/** @internal Every rule, in id order. */
export const RULES: CatalogueRule[] = [
  ...Object.values(CONSTRUCTION_RULES).map(fromConstruction),
  ...DIND_RULES, ...DNS_RULES, ...RESOURCE_RULES, ...MANAGER_RULES, ...POD_RULES, ...VARIABLE_RULES, ...VERSION_RULES, ...CI_RULES,
].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

/** @internal The rule with this id, if the catalogue has one. */
export function ruleById(id: string): CatalogueRule | undefined {
  return RULES.find((r) => r.id === id);
}

function toFinding(rule: CatalogueRule, h: RuleHit): Finding {
  return { ruleId: rule.id, severity: rule.severity, path: h.path, field: h.field, message: h.message, fix: h.fix };
}

/** @internal The findings of every fleet rule for one manager: errors and warnings, in rule order. */
export function evaluateRules(ctx: RuleContext): Finding[] {
  return RULES.flatMap((rule) => (rule.check ? rule.check(ctx).map((h) => toFinding(rule, h)) : []));
}

/** @internal The findings of every .gitlab-ci.yml rule for one job. */
export function evaluateCiRules(ctx: CiRuleContext): Finding[] {
  return RULES.flatMap((rule) => (rule.ciCheck ? rule.ciCheck(ctx).map((h) => toFinding(rule, h)) : []));
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
    const acknowledged: AcknowledgedFinding = { ...f, message: `${f.message} (acknowledged: ${reason})`, acknowledged: reason };
    return acknowledged;
  });
}
