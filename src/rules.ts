import { IConstruct } from 'constructs';
import { applyAcknowledgements, evaluateRules, RULES, ruleById } from './_rules';
import { RuleContext } from './_rules-core';
import { Finding, FleetConfigError, Severity } from './problem';

/** The construct metadata type an acknowledgement is stored under. */
const ACKNOWLEDGEMENT = 'cdk8s-gitlab-runner/acknowledged-rule';

interface Acknowledgement {
  readonly ruleId: string;
  readonly reason: string;
}

/**
 * The rule catalogue's public face: acknowledging a warning that does not apply to one construct.
 *
 * Every rule has a stable id (`DIND004`, `DNS009`, ...); the README lists them all. Errors cannot be acknowledged:
 * they describe a fleet that cannot work, so they must be fixed.
 */
export class Rules {
  /**
   * Acknowledges a warning on one construct, with the reason it does not apply. The warning is still reported (in the
   * synth output and the review files), marked as acknowledged, with the reason.
   *
   * @param scope the construct the warning names (its construct path)
   * @param ruleId the rule's id, e.g. `DIND004`
   * @param reason why the warning does not apply here; required, so the next reader knows
   * @throws if the rule is unknown or an error, if the reason is empty, or if the rule is already acknowledged there
   */
  public static acknowledge(scope: IConstruct, ruleId: string, reason: string): void {
    const refuse = (message: string, fix: string): never => {
      throw new FleetConfigError([{ ruleId: 'RULES', severity: Severity.ERROR, path: scope.node.path, field: `acknowledge(${ruleId})`, message, fix }]);
    };
    const rule = ruleById(ruleId);
    if (!rule) {
      const sameArea = RULES.filter((r) => r.id.replace(/\d+$/, '') === String(ruleId).replace(/\d+$/, '').toUpperCase()).map((r) => r.id);
      refuse(`there is no rule ${JSON.stringify(ruleId)}.`, sameArea.length ? `use one of ${sameArea.join(', ')} (see the README's rule list).` : "use a rule id from the README's rule list, e.g. 'DIND004'.");
    } else if (rule.severity !== Severity.WARNING) {
      refuse(`${ruleId} is an error, and errors cannot be acknowledged: the fleet cannot work as declared.`, `fix it instead: ${rule.fix}`);
    } else if (typeof reason !== 'string' || reason.trim() === '') {
      refuse(`acknowledging ${ruleId} needs a written reason.`, "say why the warning does not apply, e.g. 'the CNI runs with MTU 1500'.");
    } else if (acknowledgementsOf(scope).some((a) => a.ruleId === ruleId)) {
      refuse(`${ruleId} is already acknowledged here.`, 'acknowledge each rule once per construct.');
    }
    scope.node.addMetadata(ACKNOWLEDGEMENT, { ruleId, reason: reason.trim() });
  }

  /** @internal Every acknowledgement in the app of `scope`: construct path → rule id → reason. */
  public static _acknowledgements(scope: IConstruct): Record<string, Record<string, string>> {
    const out: Record<string, Record<string, string>> = {};
    for (const c of scope.node.root.node.findAll()) {
      for (const a of acknowledgementsOf(c)) (out[c.node.path] ??= {})[a.ruleId] = a.reason;
    }
    return out;
  }

  /** @internal The catalogue's findings for one manager, acknowledgements applied. */
  public static _findingsFor(scope: IConstruct, ctx: RuleContext): Finding[] {
    return applyAcknowledgements(evaluateRules(ctx), Rules._acknowledgements(scope));
  }

  private constructor() {}
}

function acknowledgementsOf(c: IConstruct): Acknowledgement[] {
  return c.node.metadata.filter((m) => m.type === ACKNOWLEDGEMENT).map((m) => m.data as Acknowledgement);
}
