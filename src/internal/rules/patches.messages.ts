import type { Problem } from '../../model/problem';

// The wording of the findings about patched child objects (src/internal/rules/patches.ts decides when they apply).

/** The first five pointers, and how many more. */
function listed(pointers: readonly string[]): string {
  return pointers.length > 5 ? `${pointers.slice(0, 5).join(', ')} and ${pointers.length - 5} more` : pointers.join(', ');
}

/** @internal */
export const PATCH_MESSAGES = {
  /** HELM010: a patch of a field the values carry. */
  carried: (p: { kind: string; pointer: string; valuesKey: string; native: string; patched: string }): Problem => ({
    message: `a JSON patch changes ${p.pointer} of the ${p.kind}, which the Helm values carry as ${p.valuesKey}: `
      + `the native manifests deploy ${p.patched}, the values ${p.native}.`,
    fix: `set the prop that renders ${p.valuesKey} instead of patching, so both outputs carry it.`,
  }),
  /** HELM010: a patch of fields the values cannot carry. */
  uncarried: (p: { kind: string; pointers: readonly string[] }): Problem => ({
    message: `a JSON patch (or a metadata change) changes ${listed(p.pointers)} of the ${p.kind}; `
      + `the Helm values have no key for it, so the chart's ${p.kind} would not have it.`,
    fix: 'if the chart should deploy the same, add it with the chart\'s own values by hand; '
      + 'else acknowledge HELM010 (the native manifests are what you deploy).',
  }),
  /** HELM011: a release replaces the patched object. */
  replaced: (p: { kind: string; release: string }): Problem => ({
    message: `the ${p.kind} has JSON patches or metadata changes, but RunnerHelmRelease ${p.release} deploys the chart's ${p.kind} `
      + 'in its place: they never reach the output.',
    fix: 'set the matching prop (the values follow it) instead of patching, or deploy the native manifests without the release.',
  }),
  /** How a patched or rendered value reads in a finding. */
  nothing: (): string => 'nothing',
  hiddenSecret: (p: { secret: string }): string => `a value holding ${p.secret} (not shown)`,
};
