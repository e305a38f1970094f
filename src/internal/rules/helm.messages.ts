import type { Problem } from '../../model/problem';
import { show } from '../validate/validators';

// The wording of the Helm values' findings (src/internal/rules/helm.ts decides when they apply).

/** @internal */
export const HELM_MESSAGES = {
  /** HELM001: the token under another key than the chart reads. */
  tokenKey: (p: { key: string; secretName: string; tokenKey: string; registrationKey: string }): Problem => ({
    message: `the token is under key ${show(p.key)} of Secret ${show(p.secretName)}, but the chart reads only '${p.tokenKey}' `
      + `(and '${p.registrationKey}'): with either key missing the manager pod cannot mount its secrets and never starts.`,
    fix: `store the token under '${p.tokenKey}' with an empty '${p.registrationKey}' beside it, `
      + `and use RunnerToken.fromSecret(${show(p.secretName)}).`,
  }),
  /** HELM002: an image pinned by digest alone. */
  digestOnly: (p: { image: string; registry: string; name: string; digest: string }): Problem => ({
    message: `${show(p.image)} is pinned by digest alone, but the chart always writes <registry>/<image>:<tag>, `
      + 'so the values cannot name this image.',
    fix: `give the tag with the digest, e.g. '${p.registry}/${p.name}:<tag>@${p.digest}'.`,
  }),
};
