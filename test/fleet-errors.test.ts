import { Testing } from 'cdk8s';
import { FleetSynth, JobPodTemplate } from '../src';

// FleetConfigError cannot be exported (jsii refuses a class that extends Error): FleetSynth.findingsOfError answers
// for it in every language.

test('the findings of an error thrown by a construct with prop errors, none for any other error', () => {
  const chart = Testing.chart();
  const template = new JobPodTemplate(chart, 'Jobs', { namespace: 'ci', pullPolicy: ['sometimes' as any] });
  let caught: unknown;
  try {
    template.previewPod();
  } catch (e) {
    caught = e;
  }
  const findings = FleetSynth.findingsOfError(caught);
  expect(findings.map((f) => [f.ruleId, f.path, f.field])).toEqual([['JOB001', 'test/Jobs', 'pullPolicy[0]']]);
  expect(findings[0].message).toContain('sometimes');
  // The caller's own list: changing it changes nothing in the error.
  findings.pop();
  expect(FleetSynth.findingsOfError(caught)).toHaveLength(1);
  expect(FleetSynth.findingsOfError(new Error('boom'))).toEqual([]);
  expect(FleetSynth.findingsOfError(undefined)).toEqual([]);
  expect(FleetSynth.findingsOfError({ name: 'FleetConfigError', findings: [{ ruleId: 'X' }] })).toEqual([]);
});
