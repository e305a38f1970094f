import { RESOURCE_LABEL } from './format';
import { PLACEMENT_MESSAGES as M } from './placement.messages';
import type { Free } from '../../model/budget';
import { ResourceKind } from '../../model/resources';

// Whether every job slot of a budget can be placed, decided so that a "no" is a proof. Job pods of one shape and one
// set of eligible pools form a type; nodes of one pool are identical. In order:
//   1. first-fit decreasing, in two orders (largest pods first; most constrained type first): a placement found is a
//      proof that the slots fit;
//   2. bounds that no placement can beat (a type alone on its pools; per resource, the demand of every type confined
//      to a set of pools against what those pools have): one that fails is a proof that the slots do not fit;
//   3. an exact search (below) within a work limit: it finds a placement or proves there is none;
//   4. otherwise the answer is `undecided`, never "does not fit".
// Types whose pools overlap are decided together (a component); components do not interact. Everything iterative,
// nothing recursive or spread, so the cost does not grow the stack with the fleet.

const RESOURCE_KEYS: ResourceKind[] = ['cpu', 'memory', 'ephemeralStorage'];

/** One pod shape with the pools it may use. */
export interface PlacementType {
  readonly size: Record<ResourceKind, bigint>;
  readonly demand: number;
  /** Indices of the pools the type may use and where at least one pod fits on a node. */
  readonly pools: number[];
}

/** A pool as the placement sees it: how many identical nodes, and what each has free. */
export interface PlacementPool {
  readonly count: number;
  readonly free: Free;
}

/** Identical nodes of one pool after placement, with the pods of each type on every one of them. */
export interface PlacedGroup {
  readonly pool: number;
  readonly count: number;
  readonly free: Free;
  readonly pods: Array<{ readonly type: number; readonly count: number }>;
}

export type PlacementStatus = 'fits' | 'does not fit' | 'undecided';

/** How a component was decided. */
export type PlacementMethod = 'packing' | 'bound' | 'search' | 'search limit';

/** The verdict on a group of types that share pools. */
export interface ComponentVerdict {
  readonly types: number[];
  readonly pools: number[];
  readonly status: PlacementStatus;
  readonly method: PlacementMethod;
  /** For `does not fit` by a bound: which bound, in words. */
  readonly proof?: string;
  /** Work the exact search did (0 when it did not run). */
  readonly work: number;
}

export interface PlacementResult {
  readonly status: PlacementStatus;
  readonly components: ComponentVerdict[];
  /** Per type: pods placed (all of them when the component fits; the best packing's count otherwise). */
  readonly placed: number[];
  readonly groups: PlacedGroup[];
  /** Component index per type. */
  readonly componentOf: number[];
}

/** The work the exact search may do per component (state × configuration steps and dominance comparisons). */
export const DEFAULT_WORK_LIMIT = 2_000_000;

/** Pods of `size` one node with `free` takes: min over declared dimensions of floor(free / size). */
export function fitCount(free: Free, size: Record<ResourceKind, bigint>): number {
  let count = free.pods < 0n ? 0n : free.pods;
  for (const r of RESOURCE_KEYS) {
    const need = size[r];
    const have = free[r];
    if (need <= 0n || have === undefined) continue;
    const n = have <= 0n ? 0n : have / need;
    if (n < count) count = n;
  }
  return Number(count);
}

function minus(free: Free, size: Record<ResourceKind, bigint>, n: number): Free {
  const k = BigInt(n);
  const out: Free = { pods: free.pods - k };
  for (const r of RESOURCE_KEYS) {
    const have = free[r];
    if (have !== undefined) out[r] = have - size[r] * k;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// First-fit decreasing over groups of identical nodes

interface Group {
  pool: number;
  count: number;
  free: Free;
  pods: Array<{ type: number; count: number }>;
}

/**
 * Places `types` in `order`, each pod on the first group (in `poolOrder`) it fits. A group splits only where a type's
 * pods run out part-way, so the cost depends on types and pools, not on the number of identical nodes.
 */
function firstFit(
  pools: PlacementPool[], poolIds: number[], types: PlacementType[], order: number[], poolOrder: number[],
): { groups: Group[]; placed: Map<number, number> } {
  const rank = new Map(poolOrder.map((p, i) => [p, i]));
  const groups: Group[] = poolIds.map((p) => ({ pool: p, count: pools[p].count, free: pools[p].free, pods: [] }))
    .sort((a, b) => rank.get(a.pool)! - rank.get(b.pool)!);
  const placed = new Map<number, number>();
  for (const t of order) {
    const type = types[t];
    const allowed = new Set(type.pools);
    let remaining = type.demand;
    for (let gi = 0; gi < groups.length && remaining > 0; gi++) {
      const g = groups[gi];
      if (!allowed.has(g.pool) || g.count === 0) continue;
      const f = fitCount(g.free, type.size);
      if (f === 0) continue;
      if (remaining >= f * g.count) {
        g.free = minus(g.free, type.size, f);
        g.pods = g.pods.concat([{ type: t, count: f }]);
        remaining -= f * g.count;
        continue;
      }
      const full = Math.floor(remaining / f);
      const rest = remaining % f;
      const split: Group[] = [];
      const filled = (count: number, perNode: number): Group =>
        ({ pool: g.pool, count, free: minus(g.free, type.size, perNode), pods: g.pods.concat([{ type: t, count: perNode }]) });
      if (full > 0) split.push(filled(full, f));
      if (rest > 0) split.push(filled(1, rest));
      const untouched = g.count - full - (rest > 0 ? 1 : 0);
      if (untouched > 0) split.push({ ...g, count: untouched });
      groups.splice(gi, 1, split[0], ...split.slice(1));
      remaining = 0;
    }
    placed.set(t, type.demand - remaining);
  }
  return { groups, placed };
}

/** Compares the dominant share (largest fraction of the biggest free node) of two pod sizes, exactly. */
function dominantShare(size: Record<ResourceKind, bigint>, largest: Partial<Record<ResourceKind, bigint>>): [bigint, bigint] {
  let best: [bigint, bigint] = [0n, 1n];
  for (const r of RESOURCE_KEYS) {
    const of = largest[r];
    if (of === undefined || of <= 0n) continue;
    if (size[r] * best[1] > best[0] * of) best = [size[r], of];
  }
  return best;
}

/** The two packings: largest pods first over pools in budget order; most constrained types first over least shared pools. */
function packings(pools: PlacementPool[], poolIds: number[], types: PlacementType[], typeIds: number[]) {
  const largest: Partial<Record<ResourceKind, bigint>> = {};
  for (const p of poolIds) {
    for (const r of RESOURCE_KEYS) {
      const v = pools[p].free[r];
      if (v !== undefined && (largest[r] === undefined || v > largest[r]!)) largest[r] = v;
    }
  }
  const shares = new Map(typeIds.map((t) => [t, dominantShare(types[t].size, largest)]));
  const byShare = [...typeIds].sort((a, b) => {
    const [na, da] = shares.get(a)!;
    const [nb, db] = shares.get(b)!;
    const cmp = nb * da - na * db;
    return cmp > 0n ? 1 : cmp < 0n ? -1 : a - b;
  });
  const inBudgetOrder = [...poolIds].sort((a, b) => a - b);
  const first = firstFit(pools, poolIds, types, byShare, inBudgetOrder);
  // Types with the least room (pods they could place at most ÷ demand) go first, onto the pools fewest types share.
  const room = new Map(typeIds.map((t) => [t, types[t].pools.reduce((s, p) => s + pools[p].count * fitCount(pools[p].free, types[t].size), 0)]));
  const sharing = new Map<number, number>(poolIds.map((p) => [p, 0]));
  for (const t of typeIds) for (const p of types[t].pools) sharing.set(p, (sharing.get(p) ?? 0) + 1);
  const constrained = [...typeIds].sort((a, b) => {
    const ra = room.get(a)! - types[a].demand;
    const rb = room.get(b)! - types[b].demand;
    return ra - rb || a - b;
  });
  const leastShared = [...poolIds].sort((a, b) => sharing.get(a)! - sharing.get(b)! || a - b);
  const second = firstFit(pools, poolIds, types, constrained, leastShared);
  return [first, second];
}

// ---------------------------------------------------------------------------------------------------------------
// Bounds

/** A reason no placement exists, or undefined. Every bound here holds for any placement. */
function bound(
  pools: PlacementPool[], poolIds: number[], types: PlacementType[], typeIds: number[], name: (t: number) => string,
): string | undefined {
  for (const t of typeIds) {
    const most = types[t].pools.reduce((s, p) => s + pools[p].count * fitCount(pools[p].free, types[t].size), 0);
    if (types[t].demand > most) {
      return M.typeExceedsPools(name(t), types[t].demand, most);
    }
  }
  const sets = new Map<string, number[]>();
  for (const t of typeIds) sets.set(types[t].pools.join(','), types[t].pools);
  sets.set(poolIds.join(','), poolIds);
  for (const pset of sets.values()) {
    const inSet = new Set(pset);
    const confined = typeIds.filter((t) => types[t].pools.every((p) => inSet.has(p)));
    if (confined.length < 2) continue;
    for (const r of [...RESOURCE_KEYS, 'pods' as const]) {
      let have = 0n;
      let declared = true;
      for (const p of pset) {
        const f = r === 'pods' ? pools[p].free.pods : pools[p].free[r];
        if (f === undefined) {
          declared = false;
          break;
        }
        have += (f > 0n ? f : 0n) * BigInt(pools[p].count);
      }
      if (!declared) continue;
      const need = confined.reduce((s, t) => s + BigInt(types[t].demand) * (r === 'pods' ? 1n : types[t].size[r]), 0n);
      if (need > have) {
        return M.confinedExceedPools(confined.map(name), pset.length, RESOURCE_LABEL[r]);
      }
    }
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Exact search

interface State {
  readonly rem: number[];
  readonly parent: number;
  /** Pods of each type put on the node that led here. */
  readonly took: number[];
}

/**
 * The configurations of one node of `pool` that cannot take another pod: pods per type (positions in `typeIds`),
 * each at most its per-node fit and its demand. Every placement can be turned into one that uses only these on every
 * node (adding a pod that fits never hurts), so searching them is exact.
 */
function maximalConfigs(
  pool: PlacementPool, poolId: number, types: PlacementType[], typeIds: number[], budget: { work: number; limit: number },
): number[][] | undefined {
  const k = typeIds.length;
  const caps = typeIds.map((t) => (types[t].pools.includes(poolId) ? Math.min(fitCount(pool.free, types[t].size), types[t].demand) : 0));
  const out: number[][] = [];
  // Iterative enumeration: a stack of (position, counts so far, free left).
  const stack: Array<{ i: number; c: number[]; free: Free }> = [{ i: 0, c: [], free: pool.free }];
  while (stack.length > 0) {
    const top = stack.pop()!;
    budget.work++;
    if (budget.work > budget.limit) return undefined;
    if (top.i === k) {
      const maximal = typeIds.every((t, j) => top.c[j] >= caps[j] || fitCount(top.free, types[t].size) === 0);
      if (maximal) out.push(top.c);
      continue;
    }
    const t = typeIds[top.i];
    const most = Math.min(caps[top.i], fitCount(top.free, types[t].size));
    for (let n = 0; n <= most; n++) stack.push({ i: top.i + 1, c: top.c.concat([n]), free: minus(top.free, types[t].size, n) });
  }
  return out;
}

/** Keeps the states no other state dominates (needs at most as much of every type). */
function pareto(states: State[], budget: { work: number; limit: number }): State[] | undefined {
  const sorted = [...states].sort((a, b) => a.rem.reduce((s, x) => s + x, 0) - b.rem.reduce((s, x) => s + x, 0));
  const kept: State[] = [];
  const seen = new Set<string>();
  for (const s of sorted) {
    const key = s.rem.join(',');
    if (seen.has(key)) continue;
    budget.work += kept.length;
    if (budget.work > budget.limit) return undefined;
    if (kept.some((q) => q.rem.every((x, i) => x <= s.rem[i]))) continue;
    seen.add(key);
    kept.push(s);
  }
  return kept;
}

/**
 * Node by node over the component's pools, the set of demands that can still be left (Pareto-minimal). A pool whose
 * next node changes nothing is done (its further identical nodes change nothing either). Fits when a state reaches 0.
 */
function search(pools: PlacementPool[], poolIds: number[], types: PlacementType[], typeIds: number[], limit: number):
{ status: PlacementStatus; work: number; nodes?: Array<{ pool: number; took: number[] }> } {
  const budget = { work: 0, limit };
  const layers: State[][] = [[{ rem: typeIds.map((t) => types[t].demand), parent: -1, took: [] }]];
  const layerPool: number[] = [-1];
  const done = (s: State) => s.rem.every((x) => x === 0);
  for (const p of poolIds) {
    const configs = maximalConfigs(pools[p], p, types, typeIds, budget);
    if (configs === undefined) return { status: 'undecided', work: budget.work };
    for (let node = 0; node < pools[p].count; node++) {
      const current = layers[layers.length - 1];
      const next: State[] = [];
      // Equal remainders are one state (the first way to reach it is kept), so memory stays with distinct states.
      const reached = new Set<string>();
      for (let si = 0; si < current.length; si++) {
        const s = current[si];
        for (const c of configs) {
          budget.work++;
          const took = c.map((x, i) => Math.min(x, s.rem[i]));
          const rem = s.rem.map((x, i) => x - took[i]);
          const key = rem.join(',');
          if (reached.has(key)) continue;
          reached.add(key);
          next.push({ rem, parent: si, took });
        }
        if (budget.work > limit) return { status: 'undecided', work: budget.work };
      }
      const kept = pareto(next, budget);
      if (kept === undefined) return { status: 'undecided', work: budget.work };
      layers.push(kept);
      layerPool.push(p);
      const finished = kept.find(done);
      if (finished) return { status: 'fits', work: budget.work, nodes: trace(layers, layerPool, kept.indexOf(finished)) };
      const before = new Set(current.map((s) => s.rem.join(',')));
      if (kept.length === current.length && kept.every((s) => before.has(s.rem.join(',')))) break;
    }
  }
  return { status: 'does not fit', work: budget.work };
}

function trace(layers: State[][], layerPool: number[], index: number): Array<{ pool: number; took: number[] }> {
  const nodes: Array<{ pool: number; took: number[] }> = [];
  let at = index;
  for (let l = layers.length - 1; l > 0; l--) {
    const s = layers[l][at];
    nodes.push({ pool: layerPool[l], took: s.took });
    at = s.parent;
  }
  return nodes.reverse();
}

/** Groups of identical nodes from a node-by-node placement; nodes of a pool the search did not use stay empty. */
function groupsOf(
  pools: PlacementPool[], poolIds: number[], types: PlacementType[], typeIds: number[], nodes: Array<{ pool: number; took: number[] }>,
): Group[] {
  const groups: Group[] = [];
  for (const p of poolIds) {
    const mine = nodes.filter((n) => n.pool === p);
    let used = 0;
    for (const n of mine) {
      const pods = n.took.map((count, i) => ({ type: typeIds[i], count })).filter((x) => x.count > 0);
      let free = pools[p].free;
      for (const x of pods) free = minus(free, types[x.type].size, x.count);
      const last = groups[groups.length - 1];
      const key = JSON.stringify(pods);
      if (last && last.pool === p && JSON.stringify(last.pods) === key) last.count++;
      else groups.push({ pool: p, count: 1, free, pods });
      used++;
    }
    if (pools[p].count > used) groups.push({ pool: p, count: pools[p].count - used, free: pools[p].free, pods: [] });
  }
  return groups;
}

// ---------------------------------------------------------------------------------------------------------------
// The decision

/** Components of types that share a pool (union-find over pools). */
function components(pools: PlacementPool[], types: PlacementType[]): Array<{ types: number[]; pools: number[] }> {
  const parent = pools.map((_, i) => i);
  const find = (x: number): number => {
    let r = x;
    while (parent[r] !== r) r = parent[r];
    while (parent[x] !== r) {
      const n = parent[x];
      parent[x] = r;
      x = n;
    }
    return r;
  };
  for (const t of types) for (let i = 1; i < t.pools.length; i++) parent[find(t.pools[i])] = find(t.pools[0]);
  const byRoot = new Map<number, { types: number[]; pools: number[] }>();
  types.forEach((t, i) => {
    if (t.demand === 0 && t.pools.length === 0) return;
    const root = t.pools.length ? find(t.pools[0]) : -1 - i;
    const c = byRoot.get(root) ?? { types: [], pools: [] };
    c.types.push(i);
    byRoot.set(root, c);
  });
  pools.forEach((_, p) => {
    const c = byRoot.get(find(p));
    if (c) c.pools.push(p);
  });
  return [...byRoot.values()].sort((a, b) => a.types[0] - b.types[0]);
}

/**
 * Decides whether every type's demand can be placed. `name(t)` names a type in proofs. Deterministic: the same
 * input gives the same verdict, placement and groups.
 */
export function place(pools: PlacementPool[], types: PlacementType[], name: (t: number) => string, limit = DEFAULT_WORK_LIMIT): PlacementResult {
  const placed = types.map(() => 0);
  const componentOf = types.map(() => -1);
  const verdicts: ComponentVerdict[] = [];
  const groups: Group[] = [];
  const covered = new Set<number>();
  for (const c of components(pools, types)) {
    const index = verdicts.length;
    for (const t of c.types) componentOf[t] = index;
    for (const p of c.pools) covered.add(p);
    const demand = c.types.reduce((s, t) => s + types[t].demand, 0);
    const tries = c.pools.length ? packings(pools, c.pools, types, c.types) : [];
    const total = (x: { placed: Map<number, number> }) => c.types.reduce((s, t) => s + (x.placed.get(t) ?? 0), 0);
    const best = tries.reduce<typeof tries[number] | undefined>((a, b) => (a === undefined || total(b) > total(a) ? b : a), undefined);
    const take = (g: Group[], per: (t: number) => number) => {
      for (const x of g) groups.push(x);
      for (const t of c.types) placed[t] = per(t);
    };
    if (best && total(best) === demand) {
      take(best.groups, (t) => types[t].demand);
      verdicts.push({ types: c.types, pools: c.pools, status: 'fits', method: 'packing', work: 0 });
      continue;
    }
    const fallback = () => take(best?.groups ?? [], (t) => best?.placed.get(t) ?? 0);
    const proof = bound(pools, c.pools, types, c.types, name);
    if (proof !== undefined) {
      fallback();
      verdicts.push({ types: c.types, pools: c.pools, status: 'does not fit', method: 'bound', proof, work: 0 });
      continue;
    }
    const found = search(pools, c.pools, types, c.types, limit);
    if (found.status === 'fits') {
      take(groupsOf(pools, c.pools, types, c.types, found.nodes!), (t) => types[t].demand);
      verdicts.push({ types: c.types, pools: c.pools, status: 'fits', method: 'search', work: found.work });
    } else {
      fallback();
      const method = found.status === 'undecided' ? 'search limit' : 'search';
      verdicts.push({ types: c.types, pools: c.pools, status: found.status, method, work: found.work });
    }
  }
  pools.forEach((p, i) => {
    if (!covered.has(i)) groups.push({ pool: i, count: p.count, free: p.free, pods: [] });
  });
  groups.sort((a, b) => a.pool - b.pool);
  const status: PlacementStatus = verdicts.some((v) => v.status === 'does not fit') ? 'does not fit'
    : verdicts.some((v) => v.status === 'undecided') ? 'undecided' : 'fits';
  return { status, components: verdicts, placed, groups, componentOf };
}
