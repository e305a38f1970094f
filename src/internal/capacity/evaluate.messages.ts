// The wording of the capacity model's reasons (src/internal/capacity/evaluate.ts): why a pool admits no job pod,
// why no number of pods is guaranteed by limits, and how a pod type is named. The findings and the report quote them.

export const EVALUATE_MESSAGES = {
  /** A pool's nodes lack a label the node selector requires. */
  labelMissing: (key: string, value: string): string => `nodes lack the label ${key}=${value} the node selector requires`,
  /** A pool's nodes carry the selected label with another value. */
  labelDiffers: (key: string, value: string, has: string): string => `node selector ${key}=${value}, but the nodes have ${key}=${has}`,
  /** No term of the required node affinity matches the pool's labels; `field` is the prop that sets it. */
  affinityUnmatched: (field: 'nodeAffinity.required' | 'extraConfig.affinity.node_affinity'): string =>
    `the node labels match no term of the required node affinity (${field})`,
  /** A taint the job pods do not tolerate; `preferred` for a PreferNoSchedule taint, which only steers. */
  taintNotTolerated: (taint: string, preferred: boolean): string =>
    `taint ${taint} is not tolerated${preferred ? ': the scheduler avoids these nodes while others have room' : ''}`,
  /** A resource no limit bounds, with the containers lacking one. */
  unbounded: (resource: string, containers: string[]): string => `${resource} is unbounded (no limit on ${containers.join(', ')})`,
  /** A pod type, by its managers (the first three). */
  shapeName: (shown: string[], more: number): string =>
    `job pods of ${shown.join(', ')}${more > 0 ? ` and ${more} more managers` : ''}`,
};
