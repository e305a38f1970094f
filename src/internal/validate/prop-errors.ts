import { IConstruct } from 'constructs';
import { Finding, FleetConfigError, Severity } from '../../model/finding';
import type { Problem } from '../../model/problem';

// Prop errors are not thrown where a construct is declared: they are recorded on the construct and reported, all of
// the app's at once, by its node validation (app.synth(), Testing.synth) and by FleetSynth. A construct with prop
// errors stops building (no model, no objects); one that depends on it (a manager on its job pod template) is
// incomplete too: it reports only its own errors and renders nothing, so no error is reported twice.

const recorded = new WeakMap<IConstruct, Finding[]>();
const incomplete = new WeakSet<IConstruct>();

/** @internal The prop errors recorded on `scope`, in the order they were found. */
export function _propErrorsOf(scope: IConstruct): Finding[] {
  return [...(recorded.get(scope) ?? [])];
}

/** @internal Whether `scope` was left unbuilt: it has prop errors, or depends on a construct that does. */
export function _isIncomplete(scope: unknown): boolean {
  return typeof scope === 'object' && scope !== null && incomplete.has(scope as IConstruct);
}

/**
 * @internal Throws a FleetConfigError when `scope` was left unbuilt and a method needs what it would have built (a
 * preview, the Helm values): it lists the prop errors of the app, which say why.
 */
export function _refuseIfIncomplete(scope: IConstruct): void {
  if (!incomplete.has(scope)) return;
  throw new FleetConfigError(scope.node.root.node.findAll().flatMap(_propErrorsOf));
}

/** @internal Marks `scope` as unbuilt because a construct it depends on is (its errors are reported there, once). */
export function _markIncomplete(scope: IConstruct): void {
  incomplete.add(scope);
}

/**
 * @internal A validation line for cdk8s: cdk8s prefixes every line with `[path]` itself, so the path is left out when
 * the finding is about the construct that reports it.
 */
export function _validationLine(f: Finding, scope: IConstruct): string {
  const where = f.path === scope.node.path ? '' : `[${f.path}] `;
  return `${f.ruleId} ${where}${f.field}: ${f.message} Fix: ${f.fix}`;
}

/** @internal Collects prop errors of one construct so all of them are reported at once. */
export class _PropErrors {
  private readonly findings: Finding[] = [];
  /** `ruleId`: the construct's own prop rule (PROP_RULES), for problems no numbered rule covers. */
  constructor(private readonly scope: IConstruct, private readonly ruleId: string) {}

  /** Records one problem; `ruleId` names the catalogue rule when there is one, else the construct's default id. */
  public add(field: string, message: string, fix: string, ruleId: string = this.ruleId): void {
    this.findings.push({ ruleId, severity: Severity.ERROR, path: this.scope.node.path, field, message, fix });
  }

  /** Records one problem worded by a message table (see src/model/problem.ts). */
  public addProblem(field: string, problem: Problem, ruleId: string = this.ruleId): void {
    this.add(field, problem.message, problem.fix, ruleId);
  }

  /** Records a finding made elsewhere (about another construct's props) as a prop error of this construct. */
  public addFinding(finding: Finding): void {
    this.findings.push({ ...finding, severity: Severity.ERROR });
  }

  public get count(): number {
    return this.findings.length;
  }

  /**
   * Records the problems collected so far on the construct (reported at synth with every other construct's) and
   * returns whether the construct has prop errors, so it stops building.
   */
  public record(): boolean {
    if (this.findings.length > 0) {
      _recordErrors(this.scope, this.findings);
      this.findings.length = 0;
      incomplete.add(this.scope);
    }
    return recorded.has(this.scope);
  }
}

/**
 * @internal Records errors on a construct without stopping it from building (a refused acknowledgement): they are
 * reported at synth with the app's other errors.
 */
export function _recordErrors(scope: IConstruct, findings: Finding[]): void {
  const existing = recorded.get(scope);
  if (existing !== undefined) {
    existing.push(...findings);
    return;
  }
  recorded.set(scope, [...findings]);
  scope.node.addValidation({ validate: () => _propErrorsOf(scope).map((f) => _validationLine(f, scope)) });
}
