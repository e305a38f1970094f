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
  objectIdentity: {
    id: 'SYNTH002',
    severity: Severity.ERROR,
    checkedAt: ['synth'],
    area: 'Synth',
    title: 'Two objects of one API group, kind, namespace and name (two managers of one name in one namespace, say).',
    why: 'the API server holds one object per identity: the second kubectl apply silently replaces the first, so one manager loses its Deployment, RBAC or config.',
    fix: 'give the two managers (or releases) different names, or put them in different namespaces.',
  },
} as const satisfies Record<string, RuleSpec>;
