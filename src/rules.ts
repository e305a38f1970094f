import { IConstruct } from 'constructs';
import { CAPACITY_RULE_LIST } from './_capacity-rules';
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
    // Capacity warnings (e.g. CAP013, an undecided placement) are acknowledged on the manager they name.
    const rule = ruleById(ruleId) ?? CAPACITY_RULE_LIST.find((r) => r.id === ruleId);
    if (!rule) {
      const sameArea = RULES.filter((r) => r.id.replace(/\d+$/, '') === String(ruleId).replace(/\d+$/, '').toUpperCase()).map((r) => r.id);
      refuse(`there is no rule ${JSON.stringify(ruleId)}.`, sameArea.length ? `use one of ${sameArea.join(', ')} (see the README's rule list).` : "use a rule id from the README's rule list, e.g. 'DIND004'.");
    } else if (rule.severity !== Severity.WARNING) {
      refuse(`${ruleId} is an error, and errors cannot be acknowledged: the fleet cannot work as declared.`, `fix it instead: ${'fix' in rule ? rule.fix : 'see the capacity report for the fix'}`);
    } else if (typeof reason !== 'string' || reason.trim() === '') {
      refuse(`acknowledging ${ruleId} needs a written reason.`, "say why the warning does not apply, e.g. 'the CNI runs with MTU 1500'.");
    } else if (acknowledgementsOf(scope).some((a) => a.ruleId === ruleId)) {
      refuse(`${ruleId} is already acknowledged here.`, 'acknowledge each rule once per construct.');
    }
    scope.node.addMetadata(ACKNOWLEDGEMENT, { ruleId, reason: reason.trim() });
  }

  /** @internal The catalogue's findings for one manager, acknowledgements applied. */
  public static _findingsFor(scope: IConstruct, ctx: RuleContext): Finding[] {
    return Rules._acknowledged(scope, evaluateRules(ctx));
  }

  /** @internal Marks the warnings users acknowledged on the constructs the findings name. */
  public static _acknowledged(scope: IConstruct, findings: Finding[]): Finding[] {
    // Look up only the constructs the findings name, by path: walking the whole tree per manager is quadratic in fleets.
    const acks: Record<string, Record<string, string>> = {};
    for (const path of new Set(findings.map((f) => f.path))) {
      const target = constructAt(scope.node.root, path);
      for (const a of target ? acknowledgementsOf(target) : []) (acks[path] ??= {})[a.ruleId] = a.reason;
    }
    return applyAcknowledgements(findings, acks);
  }

  private constructor() {}
}

/** The construct at a construct path (as `node.path` writes it), from the root of the tree. */
function constructAt(root: IConstruct, path: string): IConstruct | undefined {
  let current: IConstruct | undefined = root;
  for (const id of path.split('/')) {
    if (current === undefined) return undefined;
    if (id === '') continue;
    current = current.node.tryFindChild(id);
  }
  return current;
}

function acknowledgementsOf(c: IConstruct): Acknowledgement[] {
  return c.node.metadata.filter((m) => m.type === ACKNOWLEDGEMENT).map((m) => m.data as Acknowledgement);
}
