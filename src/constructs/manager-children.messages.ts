/** @internal The wording of the errors the manager's objects throw while they are declared or replaced by a chart's. */
export const CHILDREN_MESSAGES = {
  noDisruptionBudget: (path: string): string => `${path} has no PodDisruptionBudget to render.`,
  chartKindCount: (path: string, count: number, kind: string): string =>
    `[${path}] the chart rendered ${count} objects of kind ${kind}, not one, so it cannot replace the manager's ${kind}.`,
};
