/** @internal The capacity section a refused synth prints, line by line. */
export const CAPACITY_REFUSAL_MESSAGES = {
  heading: 'Capacity:',
  budget: (b: { path: string; managers: number; slots: number; placed: number; short: number; placement: string }): string =>
    `  budget ${b.path}: ${b.managers} manager(s), ${b.slots} job slots, ${b.placed} placed; `
    + `${b.short} manager(s) short of nodes (placement: ${b.placement}).`,
  /** `more`: how many managers short of nodes are not listed. */
  more: (more: number): string => `    … and ${more} more (see the report).`,
  /** `dir`: the report directory, ending in the path separator. */
  fullReport: (dir: string): string => `  Full capacity report (Markdown, JSON, SVG): ${dir}`,

  /** One manager short of nodes. */
  noEligiblePool: (path: string, slots: number): string => `${path}: ${slots} job slots, no eligible pool`,
  fitsNoNode: (path: string, slots: number): string => `${path}: ${slots} job slots, the job pod fits on no node`,
  pending: (m: { path: string; slots: number; placed: number; unplaced: number; schedulable: number }): string =>
    `${m.path}: ${m.slots} job slots, ${m.placed} placed, ${m.unplaced} Pending (${m.schedulable} schedulable with the budget to itself)`,
};
