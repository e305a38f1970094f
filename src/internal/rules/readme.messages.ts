// The wording of the errors the rule-table generator throws (src/internal/rules/readme.ts decides when).

/** @internal */
export const README_MESSAGES = {
  noSection: (p: { start: string; end: string }): string => `the page has no ${p.start} ... ${p.end} section.`,
};
