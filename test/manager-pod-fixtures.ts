import { Chart, Testing } from 'cdk8s';
import {
  JobPodTemplate, ManagerPodProps, NodeSelectorOperator, PodAntiAffinity, RunnerLogFormat, RunnerLogLevel, RunnerManager, RunnerManagerProps,
  RunnerToken,
} from '../src';

/** Issue #14's manager pod settings, each set (test/manager-pod.test.ts checks them one by one; the Helm tests render them). */
export const EVERY_POD_SETTING: ManagerPodProps = {
  imagePullSecrets: ['registry-credentials'],
  serviceAccount: { annotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/runner' } },
  podAnnotations: { 'example.com/owner': 'ci' },
  podLabels: { team: 'ci' },
  affinity: { requiredNodeLabels: [{ key: 'node-role', operator: NodeSelectorOperator.IN, values: ['system'] }], podAntiAffinity: PodAntiAffinity.PREFERRED },
  topologySpread: [{ topologyKey: 'topology.kubernetes.io/zone' }],
  priorityClassName: 'runner-critical',
  logLevel: RunnerLogLevel.WARNING,
  logFormat: RunnerLogFormat.JSON,
  runnerConfig: { output_limit: 8192 },
};

/**
 * One manager `runner` in namespace `ci` on a test chart, with its job pod template in `jobNamespace`: the fleet of
 * the manager's child-object and monitor tests, `props` on top.
 */
export function oneManager(props: Partial<RunnerManagerProps> = {}, jobNamespace = 'ci'): { chart: Chart; manager: RunnerManager } {
  const chart = Testing.chart();
  const manager = new RunnerManager(chart, 'Runner', {
    name: 'runner',
    namespace: 'ci',
    gitlabUrl: 'https://gitlab.example.com/',
    token: RunnerToken.fromSecret('runner-secret'),
    jobPod: new JobPodTemplate(chart, 'Jobs', { namespace: jobNamespace }),
    ...props,
  });
  return { chart, manager };
}
