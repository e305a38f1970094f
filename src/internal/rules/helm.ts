import { HELM_MESSAGES as M } from './helm.messages';
import { managerPodHelmFindings } from './manager-pod';
import { Finding, Severity } from '../../model/finding';
import type { ManagerModel } from '../../model/manager';
import type { Problem } from '../../model/problem';
import type { RuleSpec } from '../../model/rule';
import { HELM_REGISTRATION_TOKEN_KEY, HELM_TOKEN_KEY, splitImage } from '../render/helm-values';

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
    why: 'the chart reads exactly `runner-token` (and `runner-registration-token`); with either key missing the pod cannot start. '
      + 'An error under RunnerHelmRelease.',
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
  const add = (ruleId: string, severity: Severity, field: string, problem: Problem) =>
    findings.push({ ruleId, severity, path: m.path, field, message: problem.message, fix: problem.fix });

  if (m.token.key !== HELM_TOKEN_KEY) {
    add(HELM_RULES.tokenKey.id, breaking, 'token.key',
      M.tokenKey({ key: m.token.key, secretName: m.token.secretName, tokenKey: HELM_TOKEN_KEY, registrationKey: HELM_REGISTRATION_TOKEN_KEY }));
  }
  const image = splitImage(m.image);
  if (image.digest !== undefined && image.tag === undefined) {
    add(HELM_RULES.digestOnly.id, breaking, 'image',
      M.digestOnly({ image: m.image, registry: image.registry, name: image.image, digest: image.digest }));
  }
  findings.push(...managerPodHelmFindings(m));
  return findings;
}
