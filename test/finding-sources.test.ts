import { Chart, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { currentFindings, FindingSource, isFindingSource, withCheckedFindings } from '../src/internal/rules/finding-sources';
import { Finding, Severity } from '../src/model/finding';

class Counting extends Construct implements FindingSource {
  public calls = 0;
  public _findings(): Finding[] {
    this.calls++;
    return [{ ruleId: 'T001', severity: Severity.WARNING, path: this.node.path, field: 'x', message: `check ${this.calls}.`, fix: 'none.' }];
  }
}

function source(): Counting {
  return new Counting(new Chart(Testing.app(), 'c'), 'S');
}

test('outside a synth, every call checks afresh', () => {
  const s = source();
  currentFindings(s);
  currentFindings(s);
  expect(s.calls).toBe(2);
});

test('during a synth, the findings already computed stand for the source, and are forgotten afterwards', () => {
  const s = source();
  const computed = s._findings();
  const seen = withCheckedFindings(new Map([[s, computed]]), () => currentFindings(s));
  expect(seen).toBe(computed);
  expect(s.calls).toBe(1);
  expect(currentFindings(s)[0].message).toBe('check 2.');
});

test('they are forgotten even when the synth throws', () => {
  const s = source();
  expect(() => withCheckedFindings(new Map([[s, []]]), () => {
    throw new Error('synth failed');
  })).toThrow('synth failed');
  expect(currentFindings(s)).toHaveLength(1);
});

test('only constructs with a _findings method are sources', () => {
  const s = source();
  expect(isFindingSource(s)).toBe(true);
  expect(isFindingSource(s.node.scope!)).toBe(false);
});
