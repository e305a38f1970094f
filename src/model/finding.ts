

/**
 * How serious a finding is.
 */
export enum Severity {
  /** Synth fails: the fleet cannot work as declared. */
  ERROR = 'error',
  /** Synth succeeds; the finding is printed and kept in the report. */
  WARNING = 'warning',
}

/**
 * One thing wrong (or worth a look) in the declared fleet.
 */
export interface Finding {
  /** Stable rule id, e.g. `DNS001`. */
  readonly ruleId: string;
  /** Error or warning. */
  readonly severity: Severity;
  /** Construct path of the construct the finding is about. */
  readonly path: string;
  /** The prop (or config.toml key) at fault. */
  readonly field: string;
  /** What is wrong, with the offending value. */
  readonly message: string;
  /** How to fix it. */
  readonly fix: string;
}

/** Formats a finding as one line: `[path] field: message Fix: fix` (the form every error of this library takes). */
export function formatFinding(f: Finding): string {
  return `[${f.path}] ${f.field}: ${f.message} Fix: ${f.fix}`;
}

/**
 * Thrown when a construct's own props are invalid. The message lists every problem of that construct, one per line.
 */
export class FleetConfigError extends Error {
  /** The problems, one per invalid prop. */
  public readonly findings: Finding[];

  constructor(findings: Finding[]) {
    super(`Invalid fleet configuration:\n  ${findings.map(formatFinding).join('\n  ')}`);
    this.name = 'FleetConfigError';
    this.findings = findings;
  }
}
