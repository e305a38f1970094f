import type * as plus from 'cdk8s-plus-28';

/**
 * What a node taint does to pods that do not tolerate it.
 *
 * The values are Kubernetes' spellings, the same as cdk8s-plus-28's `TaintEffect`. The library declares its own enum
 * so that a fleet declaring a taint does not have to load cdk8s-plus at synth time (about 70 ms of every synth).
 */
export enum TaintEffect {
  /** Pods that do not tolerate the taint are not scheduled on the node. */
  NO_SCHEDULE = 'NoSchedule',
  /** The scheduler avoids the node for pods that do not tolerate the taint, but may still use it. */
  PREFER_NO_SCHEDULE = 'PreferNoSchedule',
  /** Pods that do not tolerate the taint are not scheduled, and running ones are evicted. */
  NO_EXECUTE = 'NoExecute',
}

/** @internal Every taint effect, for validation of untyped (JavaScript or escape-hatch) input. */
export const TAINT_EFFECTS: readonly string[] = Object.values(TaintEffect);

// Fails to compile if cdk8s-plus-28 ever spells an effect differently, so values stay interchangeable with it.
type SameValues<A extends string, B extends string> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const SAME_AS_CDK8S_PLUS: SameValues<`${TaintEffect}`, `${plus.TaintEffect}`> = true;
void SAME_AS_CDK8S_PLUS;
