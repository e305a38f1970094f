import { IConstruct } from 'constructs';
import { _propErrorsOf } from '../src/internal/validate/prop-errors';
import { Finding, FleetConfigError } from '../src/model/finding';

// Prop errors are recorded on the constructs and reported at synth, all of the app's at once. These helpers read
// them right after a declaration, as FleetSynth, app.synth() and Testing.synth report them.

/** The prop errors recorded on every construct of the app `scope` belongs to, in construct order. */
export function appPropErrors(scope: IConstruct): Finding[] {
  return scope.node.root.node.findAll().flatMap((c) => _propErrorsOf(c));
}

/**
 * Runs a declaration; throws a FleetConfigError listing the prop errors recorded in the app of the construct it
 * returns (or of `scope`) that were not there before it ran. Declaring never throws one itself.
 */
export function declared<T>(declare: () => T, scope?: IConstruct): T {
  const before = scope ? new Set(appPropErrors(scope)) : new Set<Finding>();
  const made = declare();
  const root = scope ?? (isConstruct(made) ? made : undefined);
  if (root === undefined) throw new Error('declared(): give the scope when the declaration returns no construct');
  const added = appPropErrors(root).filter((f) => !before.has(f));
  if (added.length > 0) throw new FleetConfigError(added);
  return made;
}

function isConstruct(x: unknown): x is IConstruct {
  return typeof x === 'object' && x !== null && typeof (x as IConstruct).node?.findAll === 'function';
}

/**
 * `declared` for declarations that return a construct, or an object holding one (`{ chart, manager }`), or nothing
 * when `scope` is given: throws the prop errors the declaration recorded in that construct's app.
 */
export function declaredAny<T>(declare: () => T, scope?: IConstruct): T {
  const before = scope ? new Set(appPropErrors(scope)) : new Set<Finding>();
  const made = declare();
  const root = scope ?? constructIn(made);
  if (root === undefined) throw new Error('declaredAny(): give the scope when the declaration returns no construct');
  const added = appPropErrors(root).filter((f) => !before.has(f));
  if (added.length > 0) throw new FleetConfigError(added);
  return made;
}

function constructIn(x: unknown): IConstruct | undefined {
  if (isConstruct(x)) return x;
  if (typeof x !== 'object' || x === null) return undefined;
  return Object.values(x).find(isConstruct);
}
