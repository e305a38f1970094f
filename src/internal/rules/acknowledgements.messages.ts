import type { Problem } from '../../model/problem';

// The wording of the errors `Rules.acknowledge` records (src/internal/rules/acknowledgements.ts decides when).

/** @internal */
export const ACKNOWLEDGEMENT_MESSAGES = {
  unknownRule: (p: { ruleId: unknown; sameArea: string[] }): Problem => ({
    message: `there is no rule ${JSON.stringify(p.ruleId)}.`,
    fix: p.sameArea.length ? `use one of ${p.sameArea.join(', ')} (see the rule list, docs/rules.md).`
      : "use a rule id from the rule list (docs/rules.md), e.g. 'DIND004'.",
  }),
  isError: (p: { ruleId: string; ruleFix: string }): Problem => ({
    message: `${p.ruleId} is an error, and errors cannot be acknowledged: the fleet cannot work as declared.`,
    fix: `fix it instead: ${p.ruleFix}`,
  }),
  noReason: (p: { ruleId: string }): Problem => ({
    message: `acknowledging ${p.ruleId} needs a written reason.`,
    fix: "say why the warning does not apply, e.g. 'the CNI runs with MTU 1500'.",
  }),
  twice: (p: { ruleId: string }): Problem => ({
    message: `${p.ruleId} is already acknowledged here.`,
    fix: 'acknowledge each rule once per construct.',
  }),
};
