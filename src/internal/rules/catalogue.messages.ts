// The wording the catalogue adds to findings (src/internal/rules/catalogue.ts).

/** @internal */
export const CATALOGUE_MESSAGES = {
  /** An acknowledged warning: its message, with the user's reason. */
  acknowledged: (p: { message: string; reason: string }): string => `${p.message} (acknowledged: ${p.reason})`,
};
