import type { Problem } from '../../model/problem';

// The wording of the manager pod's findings (src/internal/rules/manager-pod.ts decides when they apply).

/** @internal */
export const MANAGER_POD_MESSAGES = {
  /** HELM012: the chart has no PodDisruptionBudget (the fix is the rule's). */
  noChartBudget: (p: { minAvailable?: number; maxUnavailable?: number }): string =>
    'the native manifests have a PodDisruptionBudget '
    + `(${p.minAvailable !== undefined ? `minAvailable: ${p.minAvailable}` : `maxUnavailable: ${p.maxUnavailable}`}) for the manager pods, `
    + 'but the gitlab-runner chart 0.86.0 has no PodDisruptionBudget: with the Helm values, a node drain may evict every manager pod at once.',
  /** HELM013: a label or annotation the chart writes itself (the fix is the rule's). */
  replacesChartKey: (p: { key: string }): string =>
    `'${p.key}' replaces the value the chart 0.86.0's pod template writes itself: the manager pods deployed with the Helm values `
    + 'lose the chart\'s meaning of it (the native manifests are not affected).',
  /** MGR010: the budget allows no eviction. */
  noDisruption: (p: { replicas: number }): Problem => ({
    message: `the PodDisruptionBudget allows 0 of the ${p.replicas} manager pods to be evicted: `
      + 'every node drain that meets one waits until the budget changes.',
    fix: 'set disruptionBudget to { maxUnavailable: 1 }, or acknowledge this warning if drains should wait for a person.',
  }),
};
