import { Chart, Testing } from 'cdk8s';
import * as plus from 'cdk8s-plus-28';
import { ResourceBudget, TaintEffect } from '../src';
import { declared } from './declared';

test('every value is spelled as cdk8s-plus-28 spells it, and no effect is missing', () => {
  expect(Object.entries(TaintEffect)).toEqual(Object.entries(plus.TaintEffect));
});

test('a taint effect from plain JavaScript that Kubernetes does not know is refused with the enum in the fix', () => {
  const chart = new Chart(Testing.app(), 'c');
  expect(() => declared(() => new ResourceBudget(chart, 'Cluster', {
    nodePools: [{
      name: 'ci',
      nodes: 1,
      allocatable: { cpu: '4', memory: '16Gi' },
      taints: [{ key: 'ci', effect: 'NoScheduleAtAll' as TaintEffect }],
    }],
  }))).toThrow(/nodePools\[0\]\.taints\[0\]\.effect.*'NoScheduleAtAll' is not a taint effect.*TaintEffect\.NO_SCHEDULE/s);
});

// That the library runs without cdk8s-plus at all is shown by test/consumer.test.ts: its app does not install it.
