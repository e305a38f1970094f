import { Severity } from '../../model/finding';
import type { RuleSpec } from '../../model/rule';

/** @internal Rules FleetSynth checks while it writes the output. */
export const SYNTH_RULES = {
  fileNameClash: {
    id: 'SYNTH001',
    severity: Severity.ERROR,
    checkedAt: ['write'],
    area: 'Synth',
    title: 'Two review files of one name (two managers named alike in two namespaces, say).',
    why: 'one would overwrite the other in the output directory.',
    fix: 'give the two constructs different names.',
  },
} as const satisfies Record<string, RuleSpec>;
