import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { SYNTH_MESSAGES as M } from './synth.messages';
import { Finding, Severity } from '../../model/finding';
import type { RuleSpec } from '../../model/rule';
import { stringsNeedingQuoting } from '../render/yaml';

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
  plainWriterString: {
    id: 'SYNTH002',
    severity: Severity.ERROR,
    checkedAt: ['synth'],
    area: 'Synth',
    title: 'A manifest string that `app.synth()` writes in a form YAML readers change: a name like `0o17`, or DEL, a C1 control, '
      + 'U+2028, U+2029 or a BOM.',
    why: "cdk8s's writer leaves `0o17` plain, which kubectl's reader (Go's integer parsing) takes for the number 15, and writes the "
      + 'characters raw, which YAML 1.1 readers fold or refuse; FleetSynth.synth re-quotes them, plain `app.synth()` and `cdk8s synth` '
      + 'without it cannot.',
    fix: 'synthesize with FleetSynth.synth(app), or choose another value.',
  },
  objectIdentity: {
    id: 'SYNTH003',
    severity: Severity.ERROR,
    checkedAt: ['synth'],
    area: 'Synth',
    title: 'Two objects of one API group, kind, namespace and name (two managers of one name in one namespace, say).',
    why: 'the API server holds one object per identity: the second kubectl apply silently replaces the first, '
      + 'so one manager loses its Deployment, RBAC or config.',
    fix: 'give the two managers (or releases) different names, or put them in different namespaces.',
  },
} as const satisfies Record<string, RuleSpec>;

/**
 * @internal SYNTH002 findings for the Kubernetes objects under `scope`: strings the plain cdk8s writer cannot carry.
 * Only for a synth that FleetSynth does not run (FleetSynth re-quotes them).
 */
export function plainWriterFindings(scope: IConstruct): Finding[] {
  const rule = SYNTH_RULES.plainWriterString;
  return scope.node.findAll().filter((c): c is ApiObject => ApiObject.isApiObject(c)).flatMap((o) => {
    const json = o.toJson();
    const message = (value: string) => M.plainWriter({ kind: o.kind, name: o.name, value, octal: /^0o/.test(value) });
    return stringsNeedingQuoting(json).map(({ path, value }) =>
      ({ ruleId: rule.id, severity: rule.severity, path: scope.node.path, field: path, message: message(value), fix: rule.fix }));
  });
}
