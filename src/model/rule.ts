import { Severity } from './finding';

// The one shape of every rule of the library, whoever checks it: a construct's props when it is declared, the
// catalogue and the capacity model at synth, GitlabCiCheck, RunnerHelmRelease, FleetSynth while writing. Every
// finding and every prop error carries the id of one of these.

/** @internal The areas the README groups rules by. */
export type RuleArea = 'DinD' | 'DNS' | 'Services' | 'Security' | 'Resources' | 'Manager' | 'Runner version' | 'Token' | 'RBAC'
  | 'Architecture' | 'Variables' | '.gitlab-ci.yml' | 'Job pod' | 'Capacity' | 'Helm chart' | 'Synth' | 'Props';

/** @internal When a rule is checked. */
export type RuleCheckedAt = 'declaration' | 'synth' | 'gitlab-ci' | 'helm-release' | 'write';

/** @internal One rule: what the README lists, `Rules.acknowledge` looks up and every finding names. */
export interface RuleSpec {
  /** Stable id: tests, reports and users' acknowledgements refer to it. */
  readonly id: string;
  /** Error (synth fails) or warning (printed, kept in the review files, may be acknowledged). */
  readonly severity: Severity;
  /** When it is checked. */
  readonly checkedAt: readonly RuleCheckedAt[];
  readonly area: RuleArea;
  /** What it catches, one or two sentences (README). */
  readonly title: string;
  /** Why that matters: what goes wrong in the cluster (README). */
  readonly why: string;
  /** The general fix (README); each finding carries a fix for its own values. */
  readonly fix: string;
  /** For rules a construct enforces when it is declared: the construct and prop. */
  readonly enforcedBy?: string;
}
