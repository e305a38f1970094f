import { ManagerPodProps, NodeSelectorOperator, PodAntiAffinity, RunnerLogFormat, RunnerLogLevel } from '../src';

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
