import { managerPodHelmFindings } from './manager-pod';
import { Finding, Severity } from '../../model/finding';
import type { ManagerModel } from '../../model/manager';
import type { RuleSpec } from '../../model/rule';
import { HELM_REGISTRATION_TOKEN_KEY, HELM_TOKEN_KEY, splitImage } from '../render/helm-values';
import { show } from '../validate/validators';

/**
 * @internal The rules of the Helm values: warnings beside the native manifests (the values file is a review output),
 * errors when RunnerHelmRelease deploys the chart.
 */
export const HELM_RULES = {
  tokenKey: {
    id: 'HELM001',
    severity: Severity.WARNING,
    checkedAt: ['synth', 'helm-release'],
    area: 'Helm chart',
    title: "The token's Secret key is not `runner-token`.",
    why: 'the chart reads exactly `runner-token` (and `runner-registration-token`); with either key missing the pod cannot start. An error under RunnerHelmRelease.',
    fix: 'store the token under `runner-token` with an empty `runner-registration-token` beside it.',
  },
  digestOnly: {
    id: 'HELM002',
    severity: Severity.WARNING,
    checkedAt: ['synth', 'helm-release'],
    area: 'Helm chart',
    title: 'The image is pinned by digest alone.',
    why: 'the chart always writes `<image>:<tag>`, so the values cannot name the image. An error under RunnerHelmRelease.',
    fix: 'give the tag with the digest, `name:tag@sha256:…`.',
  },
} as const satisfies Record<string, RuleSpec>;

/**
 * What would break or be lost when this manager is deployed with the chart. The values file is a review output next
 * to working native manifests, so these are warnings; when the chart is the deployment (`RunnerHelmRelease`), the ones
 * that stop the release from working are errors.
 */
export function helmFindings(m: ManagerModel, deployedWithHelm = false): Finding[] {
  const findings: Finding[] = [];
  const breaking = deployedWithHelm ? Severity.ERROR : Severity.WARNING;
  const add = (ruleId: string, severity: Severity, field: string, message: string, fix: string) =>
    findings.push({ ruleId, severity, path: m.path, field, message, fix });

  if (m.token.key !== HELM_TOKEN_KEY) {
    add(HELM_RULES.tokenKey.id, breaking, 'token.key',
      `the token is under key ${show(m.token.key)} of Secret ${show(m.token.secretName)}, but the chart reads only '${HELM_TOKEN_KEY}' `
      + `(and '${HELM_REGISTRATION_TOKEN_KEY}'): with either key missing the manager pod cannot mount its secrets and never starts.`,
      `store the token under '${HELM_TOKEN_KEY}' with an empty '${HELM_REGISTRATION_TOKEN_KEY}' beside it, and use RunnerToken.fromSecret(${show(m.token.secretName)}).`);
  }
  const image = splitImage(m.image);
  if (image.digest !== undefined && image.tag === undefined) {
    add(HELM_RULES.digestOnly.id, breaking, 'image',
      `${show(m.image)} is pinned by digest alone, but the chart always writes <registry>/<image>:<tag>, so the values cannot name this image.`,
      `give the tag with the digest, e.g. '${image.registry}/${image.image}:<tag>@${image.digest}'.`);
  }
  findings.push(...managerPodHelmFindings(m));
  return findings;
}
