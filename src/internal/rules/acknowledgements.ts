import { IConstruct } from 'constructs';
import { ACKNOWLEDGEMENT_MESSAGES as M } from './acknowledgements.messages';
import { applyAcknowledgements, RULES, ruleById } from './catalogue';
import { Finding, Severity } from '../../model/finding';
import type { Problem } from '../../model/problem';
import { PROP_RULES } from '../validate/construction-rules';
import { _recordErrors } from '../validate/prop-errors';

// Acknowledged warnings are stored as construct metadata on the construct the warning names. `Rules.acknowledge` is the
// public face; constructs and GitlabCiCheck apply the acknowledgements to their findings through this module.

/** The construct metadata type an acknowledgement is stored under. */
const ACKNOWLEDGEMENT = 'cdk8s-gitlab-runner/acknowledged-rule';

interface Acknowledgement {
  readonly ruleId: string;
  readonly reason: string;
}

/**
 * Records that the warning `ruleId` does not apply to `scope`, or records an error on `scope` saying why it cannot
 * (reported at synth with every other error of the app).
 */
export function acknowledgeRule(scope: IConstruct, ruleId: string, reason: string): void {
  const refuse = ({ message, fix }: Problem): void => {
    const field = `acknowledge(${ruleId})`;
    _recordErrors(scope, [{ ruleId: PROP_RULES.acknowledge.id, severity: Severity.ERROR, path: scope.node.path, field, message, fix }]);
  };
  const rule = ruleById(ruleId);
  if (!rule) {
    const prefix = String(ruleId).replace(/\d+$/, '').toUpperCase();
    const sameArea = RULES.filter((r) => r.area !== 'Props' && r.id.replace(/\d+$/, '') === prefix).map((r) => r.id);
    refuse(M.unknownRule({ ruleId, sameArea }));
  } else if (rule.severity !== Severity.WARNING) {
    refuse(M.isError({ ruleId, ruleFix: rule.fix }));
  } else if (typeof reason !== 'string' || reason.trim() === '') {
    refuse(M.noReason({ ruleId }));
  } else if (acknowledgementsOf(scope).some((a) => a.ruleId === ruleId)) {
    refuse(M.twice({ ruleId }));
  } else {
    scope.node.addMetadata(ACKNOWLEDGEMENT, { ruleId, reason: reason.trim() });
  }
}

/** Marks the warnings users acknowledged on the constructs the findings name (looked up from `scope`'s root). */
export function withAcknowledgements(scope: IConstruct, findings: Finding[]): Finding[] {
  // Look up only the constructs the findings name, by path: walking the whole tree per manager is quadratic in fleets.
  const acks: Record<string, Record<string, string>> = {};
  for (const path of new Set(findings.map((f) => f.path))) {
    const target = constructAt(scope.node.root, path);
    for (const a of target ? acknowledgementsOf(target) : []) (acks[path] ??= {})[a.ruleId] = a.reason;
  }
  return applyAcknowledgements(findings, acks);
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
