import { IConstruct } from 'constructs';
import type { Finding } from '../../model/finding';

// The constructs that check the fleet, and the findings FleetSynth has already computed for them: app.synth() runs
// every construct's validation, which would otherwise check the whole fleet a second time (about a tenth of a large
// fleet's synth).

/** @internal A construct that reports findings about the fleet (errors and warnings). */
export interface FindingSource extends IConstruct {
  _findings(): Finding[];
}

/** @internal */
export function isFindingSource(c: IConstruct): c is FindingSource {
  return typeof (c as Partial<FindingSource>)._findings === 'function';
}

const checkedBySynth = new WeakMap<IConstruct, Finding[]>();

/** @internal The source's findings: the ones FleetSynth computed if it is synthesizing right now, else fresh ones. */
export function currentFindings(source: FindingSource): Finding[] {
  return checkedBySynth.get(source) ?? source._findings();
}

/** @internal Whether FleetSynth is synthesizing the source right now (it re-quotes what cdk8s's YAML writer cannot carry). */
export function isCheckedBySynth(source: FindingSource): boolean {
  return checkedBySynth.has(source);
}

/** @internal Runs `synth` while the given findings stand for their sources; forgets them afterwards, even on error. */
export function withCheckedFindings<T>(checked: ReadonlyMap<FindingSource, Finding[]>, synth: () => T): T {
  for (const [source, findings] of checked) checkedBySynth.set(source, findings);
  try {
    return synth();
  } finally {
    for (const source of checked.keys()) checkedBySynth.delete(source);
  }
}
