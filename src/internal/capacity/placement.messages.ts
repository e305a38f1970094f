// The wording of the placement's proofs (src/internal/capacity/placement.ts): why no placement of the job slots exists.

export const PLACEMENT_MESSAGES = {
  /** One pod type needs more pods than its pools hold even alone. */
  typeExceedsPools: (type: string, demand: number, most: number): string =>
    `${type}: ${demand} job pods, but the nodes of the pools they may use hold at most ${most} of them even with nothing else scheduled`,
  /** Pod types confined to the same pools need more of a resource than those pools have. */
  confinedExceedPools: (types: string[], pools: number, resource: string): string =>
    `${types.join(', ')} may use only the same ${pools} pool(s) and together need more ${resource} than all their nodes have free`,
};
