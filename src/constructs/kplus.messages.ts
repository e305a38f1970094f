import type { Problem } from '../model/problem';

/** @internal The wording of the errors of the cdk8s-plus-28 interop methods. */
export const KPLUS_MESSAGES = {
  /** `member`: the method that needs cdk8s-plus-28. */
  missing: (member: string): Problem => ({
    message: `${member}() returns a cdk8s-plus-28 object, but cdk8s-plus-28 cannot be loaded.`,
    fix: 'install it beside this library: npm install cdk8s-plus-28@^2.5.6 (an optional peer dependency).',
  }),
  /** `label`: the job pod label the runner sets from `since` on. */
  tooOld: (version: string, label: string, since: string): Problem => ({
    message: `the runner ${version} does not label its job pods with its name (${label} came with `
      + `${since}), so no selector can tell this manager's job pods apart and a policy would select none.`,
    fix: `run runner ${since} or later, or select the job pods by the labels of your JobPodTemplate with kplus.Pods.select.`,
  }),
};
