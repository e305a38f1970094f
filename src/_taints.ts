import type { TaintEffect } from 'cdk8s-plus-28';

// The values of cdk8s-plus's TaintEffect, checked against it at compile time. Validation reads this list rather than
// the enum object so that synth does not load all of cdk8s-plus at run time (about 70 ms of every synth).
export const TAINT_EFFECTS: readonly string[] = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'] satisfies Array<`${TaintEffect}`>;
