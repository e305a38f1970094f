import { CatalogueRule, problemHit } from './core';
import { MANAGER_POD_MESSAGES as M } from './manager-pod.messages';
import { Finding, Severity } from '../../model/finding';
import type { ManagerModel } from '../../model/manager';
import type { RuleSpec } from '../../model/rule';

// Rules of the manager pod's settings (issue #14).

/** @internal What the chart 0.86.0 cannot carry of the manager pod's settings. */
export const MANAGER_POD_HELM_RULES = {
  noDisruptionBudget: {
    id: 'HELM012',
    severity: Severity.WARNING,
    checkedAt: ['synth', 'helm-release'],
    area: 'Helm chart',
    title: 'The native manifests have a PodDisruptionBudget; the chart 0.86.0 has none.',
    why: 'the chart has no PodDisruptionBudget template or value, so a fleet installed from the values file with helm has no budget: '
      + 'a node drain may evict every manager pod at once, cancelling their running jobs. A RunnerHelmRelease keeps the native '
      + 'PodDisruptionBudget beside the chart\'s objects (it selects labels the values give the chart\'s pods).',
    fix: 'with helm install, apply the native PodDisruptionBudget beside the release (it selects the same labels, which the values give '
      + 'the chart\'s pods), or set disruptionBudget: { enabled: false } to accept the difference.',
  },
  replacesChartMetadata: {
    id: 'HELM013',
    severity: Severity.WARNING,
    checkedAt: ['synth', 'helm-release'],
    area: 'Helm chart',
    title: "A pod label or annotation replaces one the chart's pod template writes itself.",
    why: 'the chart writes `chart`, `release`, `heritage`, `checksum/configmap`, `checksum/secrets` and `prometheus.io/*` on its pods '
      + "and then the values' podLabels and podAnnotations, whose value wins (helm template shows it): the chart's own meaning is lost, "
      + 'e.g. the pods no longer roll when the ConfigMap changes.',
    fix: 'give the label or annotation another key.',
  },
} as const satisfies Record<string, RuleSpec>;

/** Labels and annotations the chart 0.86.0's pod template writes before the values' own (templates/deployment.yaml). */
const CHART_POD_LABELS = ['chart', 'release', 'heritage'];
const CHART_POD_ANNOTATIONS = ['checksum/configmap', 'checksum/secrets', 'prometheus.io/scrape', 'prometheus.io/port'];

/** @internal The Helm findings of the manager pod's settings. */
export function managerPodHelmFindings(m: ManagerModel): Finding[] {
  const findings: Finding[] = [];
  const budget = m.pod?.disruptionBudget;
  if (budget !== undefined) {
    const rule = MANAGER_POD_HELM_RULES.noDisruptionBudget;
    findings.push({
      ruleId: rule.id,
      severity: rule.severity,
      path: m.path,
      field: 'disruptionBudget',
      message: M.noChartBudget({ minAvailable: budget.minAvailable, maxUnavailable: budget.maxUnavailable }),
      fix: rule.fix,
    });
  }
  const replaced = MANAGER_POD_HELM_RULES.replacesChartMetadata;
  const clashes: Array<[string, string[], Record<string, string>]> = [
    ['podLabels', CHART_POD_LABELS, m.pod?.podLabels ?? {}],
    ['podAnnotations', CHART_POD_ANNOTATIONS, m.pod?.podAnnotations ?? {}],
  ];
  for (const [field, chartKeys, given] of clashes) {
    for (const key of chartKeys.filter((k) => Object.prototype.hasOwnProperty.call(given, k))) {
      findings.push({
        ruleId: replaced.id,
        severity: replaced.severity,
        path: m.path,
        field: `${field}.${key}`,
        message: M.replacesChartKey({ key }),
        fix: replaced.fix,
      });
    }
  }
  return findings;
}

/** @internal The `runnerConfig` field that wrote config.toml key `at` (`runners[0].<key>...`), if the escape hatch did. */
export function runnerConfigField(m: ManagerModel, at: string): string | undefined {
  const prefix = 'runners[0].';
  if (!at.startsWith(prefix)) return undefined;
  const below = at.slice(prefix.length);
  const top = below.split(/[.[]/)[0];
  return Object.prototype.hasOwnProperty.call(m.pod?.runnerConfig ?? {}, top) ? `runnerConfig.${below}` : undefined;
}

/** How many manager pods a voluntary disruption may take down under the budget: 0 blocks every node drain. */
function allowedDisruptions(m: ManagerModel): number | undefined {
  const budget = m.pod?.disruptionBudget;
  if (budget === undefined) return undefined;
  return budget.minAvailable !== undefined ? Math.max(0, m.replicas - budget.minAvailable) : budget.maxUnavailable;
}

/** @internal Fleet rules of the manager pod's settings. */
export const MANAGER_POD_RULES: CatalogueRule[] = [
  {
    id: 'MGR010',
    severity: Severity.WARNING,
    area: 'Manager',
    title: 'The PodDisruptionBudget allows no manager pod to be evicted, so every node drain that meets one waits until the budget changes.',
    why: 'maxUnavailable 0, or minAvailable equal to replicas, is valid and sometimes meant (drains wait for a person), '
      + 'but cluster upgrades and autoscalers then stall on the manager nodes.',
    fix: 'allow one disruption (`maxUnavailable: 1`, the default), or acknowledge the warning when drains should wait.',
    check: ({ manager: m }) => (m.replicas > 0 && allowedDisruptions(m) === 0
      ? [problemHit(m.path, 'disruptionBudget', M.noDisruption({ replicas: m.replicas }))] : []),
  },
];
