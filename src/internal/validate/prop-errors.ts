import { Construct } from 'constructs';
import { Finding, FleetConfigError, Severity } from '../../model/finding';

/** @internal Collects prop errors of one construct so all of them are reported at once. */
export class _PropErrors {
  private readonly findings: Finding[] = [];
  /** `ruleId`: the construct's own prop rule (PROP_RULES), for problems no numbered rule covers. */
  constructor(private readonly scope: Construct, private readonly ruleId: string) {}

  /** Records one problem; `ruleId` names the catalogue rule when there is one, else the construct's default id. */
  public add(field: string, message: string, fix: string, ruleId: string = this.ruleId): void {
    this.findings.push({ ruleId, severity: Severity.ERROR, path: this.scope.node.path, field, message, fix });
  }

  public get count(): number {
    return this.findings.length;
  }

  /** Throws a FleetConfigError listing every collected problem, if there is any. */
  public throwIfAny(): void {
    if (this.findings.length > 0) throw new FleetConfigError(this.findings);
  }
}
