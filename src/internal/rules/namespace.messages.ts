import type { Problem } from '../../model/problem';

// The wording of the namespace findings (src/internal/rules/namespace.ts decides when they apply).

/** @internal */
export const NAMESPACE_MESSAGES = {
  /** NS001: the manager in the default namespace. */
  manager: (): Problem => ({
    message: "the manager runs in the 'default' namespace (no namespace was given, or 'default' was).",
    fix: "give the chart or the manager a namespace of CI's own, e.g. namespace: 'gitlab-runner'.",
  }),
  /** NS001: the job pods in the default namespace. */
  jobPods: (): Problem => ({
    message: "the job pods of this template run in the 'default' namespace, and the manager's Role there lets it create and exec into pods.",
    fix: "give the chart or the job pod template a namespace of CI's own, e.g. namespace: 'ci-jobs'.",
  }),
};
