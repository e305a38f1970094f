// The wording of the SYNTH002 findings (src/internal/rules/synth.ts decides when they apply; the fix is the rule's).

/** @internal */
export const SYNTH_MESSAGES = {
  /** SYNTH002: a string the plain cdk8s writer cannot carry. */
  plainWriter: (p: { kind: string; name: string; value: string; octal: boolean }): string =>
    `${p.kind} ${JSON.stringify(p.name)} holds ${JSON.stringify(p.value)}, which app.synth() writes as cdk8s does: ${p.octal
      ? "plain, so kubectl's YAML reader reads it as an octal number and the object fails to apply"
      : 'with raw characters that YAML 1.1 readers fold into line breaks or refuse'}.`,
};
