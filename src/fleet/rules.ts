import { IConstruct } from 'constructs';
import { acknowledgeRule } from '../internal/rules/acknowledgements';

/**
 * The rule catalogue's public face: acknowledging a warning that does not apply to one construct.
 *
 * Every rule has a stable id (`DIND004`, `DNS009`, ...); docs/rules.md lists them all. Errors cannot be acknowledged:
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
   * A rule that is unknown or an error, an empty reason, or a second acknowledgement of one rule on one construct is
   * an error, reported at synth with every other error of the app (nothing is thrown here).
   */
  public static acknowledge(scope: IConstruct, ruleId: string, reason: string): void {
    acknowledgeRule(scope, ruleId, reason);
  }

  private constructor() {}
}
