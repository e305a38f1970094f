// The wording of the object-identity findings, SYNTH003 (src/internal/rules/identity.ts decides when they apply; the
// fix is the rule's).

/** @internal */
export const IDENTITY_MESSAGES = {
  /** SYNTH003: two objects of one identity. */
  sameObject: (p: { object: string; path: string; earlierPath: string }): string =>
    `${p.object} (${p.path}) is the same object as the one of ${p.earlierPath}: applying both, the second replaces the first.`,
  /** SYNTH003: an object, as the message names it. */
  object: (p: { kind: string; name: string; namespace?: string }): string =>
    `${p.kind} '${p.name}'${p.namespace === undefined ? '' : ` in namespace '${p.namespace}'`}`,
};
