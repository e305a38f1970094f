// The capacity verdict against an independent brute-force placement on small random fleets: CAP003 is raised if and
// only if no placement of every job slot exists; every suggested fix clears it and one step less does not; the
// guaranteed-by-limits figure never exceeds the schedulable-by-requests one.
//
// The brute force shares no code with the library: it works in whole millicores and MiB (plain numbers), decides
// eligibility from the label it generated, and tries every assignment of job pods to nodes (remembering the states,
// as multisets of node states, that cannot be completed).
import * as fc from 'fast-check';
import { budget, jobPod, manager, pool } from './capacity-fixtures';
import { evaluateBudget } from '../src/internal/capacity/evaluate';
import { capacityFindings } from '../src/internal/capacity/findings';
import { place } from '../src/internal/capacity/placement';
import { Finding } from '../src/model/finding';
import type { ManagerModel } from '../src/model/manager';
import { ContainerResources } from '../src/model/resources';

const RUNS = process.env.PROPERTY_RUNS !== undefined ? Number(process.env.PROPERTY_RUNS) : 300;
const SEED = process.env.PROPERTY_SEED !== undefined ? Number(process.env.PROPERTY_SEED) : 20261128;

interface PoolSpec { nodes: number; cpu: number; memory: number; maxPods: number; group: 'a' | 'b' }
interface ManagerSpec { replicas: number; concurrent: number; cpu: number; memory: number; group?: 'a' | 'b'; memoryLimit: boolean; cpuLimit: boolean }
interface Fleet { pools: PoolSpec[]; managers: ManagerSpec[] }

const poolSpec = fc.record({
  nodes: fc.integer({ min: 1, max: 3 }),
  cpu: fc.integer({ min: 2, max: 8 }).map((c) => c * 500),
  memory: fc.integer({ min: 1, max: 8 }).map((g) => g * 512),
  maxPods: fc.integer({ min: 2, max: 6 }),
  group: fc.constantFrom<'a' | 'b'>('a', 'b'),
});
const managerSpec = fc.record({
  replicas: fc.integer({ min: 1, max: 2 }),
  concurrent: fc.integer({ min: 1, max: 4 }),
  cpu: fc.integer({ min: 1, max: 8 }).map((c) => c * 250),
  memory: fc.integer({ min: 1, max: 8 }).map((m) => m * 256),
  group: fc.option(fc.constantFrom<'a' | 'b'>('a', 'b'), { nil: undefined }),
  memoryLimit: fc.boolean(),
  cpuLimit: fc.boolean(),
});
const fleetArb: fc.Arbitrary<Fleet> = fc.record({
  pools: fc.array(poolSpec, { minLength: 1, maxLength: 3 }),
  managers: fc.array(managerSpec, { minLength: 1, maxLength: 3 }),
});

// ---------------------------------------------------------------------------------------------------------------
// The brute force

/** Whether every slot of `fleet` can be placed: depth-first over the pods, each onto every node it fits. */
function bruteForceFits(fleet: Fleet, only?: Set<number>): boolean {
  const nodes: Array<{ cpu: number; memory: number; pods: number; group: string }> = [];
  for (const p of fleet.pools) for (let i = 0; i < p.nodes; i++) nodes.push({ cpu: p.cpu, memory: p.memory, pods: p.maxPods, group: p.group });
  const pods: Array<{ m: number; cpu: number; memory: number; group?: string }> = [];
  fleet.managers.forEach((m, i) => {
    if (only !== undefined && !only.has(i)) return;
    const pod = { m: i, cpu: m.cpu + HELPER_CPU, memory: m.memory + HELPER_MEMORY, group: m.group };
    for (let k = 0; k < m.replicas * m.concurrent; k++) pods.push(pod);
  });
  const total = pods.length;
  // States that cannot be completed, keyed by the next pod and the multiset of node states (equal nodes are alike).
  const failed = new Set<string>();
  const go = (i: number): boolean => {
    if (i === total) return true;
    const key = `${i}|${nodes.map((n) => `${n.group}:${n.cpu}:${n.memory}:${n.pods}`).sort().join(',')}`;
    if (failed.has(key)) return false;
    const pod = pods[i];
    for (const node of nodes) {
      if (pod.group !== undefined && node.group !== pod.group) continue;
      if (node.cpu < pod.cpu || node.memory < pod.memory || node.pods < 1) continue;
      node.cpu -= pod.cpu;
      node.memory -= pod.memory;
      node.pods -= 1;
      const ok = go(i + 1);
      node.cpu += pod.cpu;
      node.memory += pod.memory;
      node.pods += 1;
      if (ok) return true;
    }
    failed.add(key);
    return false;
  };
  return go(0);
}

/** Whether a node of `p` may take one pod of `m`. */
function usable(m: ManagerSpec, p: PoolSpec): boolean {
  return (m.group === undefined || m.group === p.group) && p.cpu >= m.cpu + HELPER_CPU && p.memory >= m.memory + HELPER_MEMORY && p.maxPods >= 1;
}

/** The managers that share pools with manager `i`, directly or through others (they compete for the same nodes). */
function sharing(fleet: Fleet, i: number): Set<number> {
  const found = new Set([i]);
  for (let grown = true; grown;) {
    grown = false;
    fleet.managers.forEach((m, k) => {
      if (found.has(k)) return;
      const shares = fleet.pools.some((p) => usable(m, p) && [...found].some((f) => usable(fleet.managers[f], p)));
      if (shares) {
        found.add(k);
        grown = true;
      }
    });
  }
  return found;
}

// ---------------------------------------------------------------------------------------------------------------
// The same fleet as the library's models

const HELPER_CPU = 100;
const HELPER_MEMORY = 64;

function models(fleet: Fleet): { managers: ManagerModel[]; pools: ReturnType<typeof pool>[] } {
  const pools = fleet.pools.map((p, i) => pool({
    name: `pool-${i}`, nodes: p.nodes, cpu: `${p.cpu}m`, memory: `${p.memory}Mi`, maxPods: p.maxPods, labels: { group: p.group },
  }));
  const managers = fleet.managers.map((m, i) => {
    const build: ContainerResources = {
      cpu: { request: `${m.cpu}m`, ...(m.cpuLimit ? { limit: `${m.cpu * 2}m` } : {}) },
      memory: { request: `${m.memory}Mi`, ...(m.memoryLimit ? { limit: `${m.memory}Mi` } : {}) },
    };
    const helper: ContainerResources = { cpu: { request: `${HELPER_CPU}m`, limit: `${HELPER_CPU}m` }, memory: { request: `${HELPER_MEMORY}Mi`, limit: `${HELPER_MEMORY}Mi` } };
    return manager({
      path: `test/Runner${i}`,
      replicas: m.replicas,
      concurrent: m.concurrent,
      jobPod: jobPod({ path: `test/Jobs${i}`, build, helper, nodeSelector: m.group ? { group: m.group } : {} }),
    });
  });
  return { managers, pools };
}

function verdict(fleet: Fleet): Finding[] {
  const { managers, pools } = models(fleet);
  return capacityFindings(evaluateBudget(budget(pools), managers), managers);
}

const placementErrors = (findings: Finding[]) => findings.filter((f) => f.ruleId === 'CAP003');

/** Applies one suggested fix (as the message words it) to the fleet; undefined if the fix is not one of the known forms. */
function applyFix(fleet: Fleet, managerIndex: number, fix: string, step: number): Fleet | undefined {
  const clone: Fleet = { pools: fleet.pools.map((p) => ({ ...p })), managers: fleet.managers.map((m) => ({ ...m })) };
  let match = /^lower concurrent to (\d+)/.exec(fix);
  if (match) {
    clone.managers[managerIndex].concurrent = Number(match[1]) + step;
    return clone;
  }
  match = /^lower replicas to (\d+) with concurrent 1/.exec(fix);
  if (match) {
    clone.managers[managerIndex].replicas = Number(match[1]) + step;
    clone.managers[managerIndex].concurrent = 1;
    return clone;
  }
  match = /^add (\d+) nodes? to pool 'pool-(\d+)'/.exec(fix);
  if (match) {
    clone.pools[Number(match[2])].nodes += Number(match[1]) - step;
    return clone;
  }
  return undefined;
}

/** Pods of whole cores and GiB on small nodes; `searched` keeps the fleets only the exact search decides (about 3 %). */
const size = (min: number, max: number) => fc.integer({ min, max });
const wholeUnits: fc.Arbitrary<Fleet> = fc.record({
  pools: fc.array(fc.record({ nodes: size(1, 3), cpu: size(2, 8), memory: size(2, 8) }), { minLength: 1, maxLength: 2 }),
  managers: fc.array(fc.record({ concurrent: size(1, 4), cpu: size(1, 5), memory: size(1, 5) }), { minLength: 2, maxLength: 3 }),
}).map((f) => ({
  pools: f.pools.map((p) => ({ nodes: p.nodes, cpu: p.cpu * 1000, memory: p.memory * 1024, maxPods: 10, group: 'a' as const })),
  managers: f.managers.map((m) => ({
    replicas: 1,
    concurrent: m.concurrent,
    cpu: m.cpu * 1000 - HELPER_CPU,
    memory: m.memory * 1024 - HELPER_MEMORY,
    memoryLimit: true,
    cpuLimit: true,
  })),
}));
const searched = (fleet: Fleet) => {
  const { managers, pools } = models(fleet);
  return evaluateBudget(budget(pools), managers).placement.components.some((c) => c.method === 'search');
};

describe('placement against a brute force on small random fleets', () => {
  test('CAP003 is raised if and only if no placement of every job slot exists, and small fleets are always decided', () => {
    fc.assert(fc.property(fleetArb, (fleet) => {
      const findings = verdict(fleet);
      expect(findings.filter((f) => f.ruleId === 'CAP013')).toEqual([]);
      // CAP001/CAP002 (a pod that fits nowhere, no eligible pool) are proofs of their own; the brute force agrees.
      const exists = bruteForceFits(fleet);
      if (findings.some((f) => f.ruleId === 'CAP001' || f.ruleId === 'CAP002')) {
        expect(exists).toBe(false);
        return;
      }
      expect(placementErrors(findings).length > 0).toBe(!exists);
    }), { numRuns: RUNS, seed: SEED });
  });

  test('fleets only the exact search decides (packing fails, no bound proves it): its verdict matches the brute force', () => {
    // Pods of whole cores and GiB on small nodes: about 3 % of these fleets reach the search. Only those are kept.
    const outcomes = new Set<boolean>();
    fc.assert(fc.property(wholeUnits.filter(searched), (fleet) => {
      const findings = verdict(fleet);
      // A pod that fits no node (CAP001) is an error of its own; the search decides the others' pools.
      if (findings.some((f) => f.ruleId === 'CAP001')) return;
      const exists = bruteForceFits(fleet);
      outcomes.add(exists);
      expect(findings.filter((f) => f.ruleId === 'CAP013')).toEqual([]);
      expect(placementErrors(findings).length > 0).toBe(!exists);
    }), { numRuns: Math.ceil(RUNS / 3), seed: SEED + 3 });
    // Both answers occur: placements the packing missed, and refusals only the search could prove.
    expect([...outcomes].sort()).toEqual([false, true]);
  });

  test('every suggested fix clears the error, and one step less does not', () => {
    let checked = 0;
    const checkFixes = (fleet: Fleet) => {
      for (const f of placementErrors(verdict(fleet))) {
        const index = Number(/Runner(\d+)$/.exec(f.path)![1]);
        const fixes = f.fix.replace(/\.$/, '').split(', or ');
        for (const fix of fixes) {
          const fixed = applyFix(fleet, index, fix, 0);
          if (fixed === undefined) continue;
          checked++;
          // The fix concerns the managers competing for the same nodes; others may fail on their own.
          const group = sharing(fleet, index);
          expect(bruteForceFits(fixed, group)).toBe(true);
          expect(verdict(fixed).filter((x) => x.path === f.path && ['CAP003', 'CAP013'].includes(x.ruleId))).toEqual([]);
          // One step less: one more job slot per replica, one more replica, one node fewer.
          const less = applyFix(fleet, index, fix, 1)!;
          const unchanged = JSON.stringify(less) === JSON.stringify(fleet);
          if (!unchanged) expect(bruteForceFits(less, group)).toBe(false);
        }
      }
    };
    fc.assert(fc.property(fleetArb, checkFixes), { numRuns: RUNS, seed: SEED + 1 });
    // The fleets only the search decides: fixes there are re-checked by the search too.
    fc.assert(fc.property(wholeUnits.filter(searched), checkFixes), { numRuns: Math.ceil(RUNS / 10), seed: SEED + 4 });
    expect(checked).toBeGreaterThan(0);
  });

  test('guaranteed by limits is null when a binding resource is unbounded, and never above schedulable by requests', () => {
    fc.assert(fc.property(fleetArb, (fleet) => {
      const { managers, pools } = models(fleet);
      const e = evaluateBudget(budget(pools), managers);
      e.managers.forEach((m, i) => {
        const spec = fleet.managers[i];
        expect(m.guaranteed ?? 0).toBeLessThanOrEqual(m.schedulable);
        if (!m.pools.some((p) => p.eligible)) return;
        if (!spec.memoryLimit || !spec.cpuLimit) {
          expect(m.guaranteed).toBeUndefined();
          expect(m.guaranteedUnbounded).toContain(!spec.cpuLimit ? 'cpu is unbounded (no limit on build)' : 'memory is unbounded (no limit on build)');
        } else {
          expect(m.guaranteed).toBeLessThanOrEqual(m.schedulable);
        }
      });
    }), { numRuns: RUNS, seed: SEED + 2 });
  });
});

describe('the exact search', () => {
  test('finds the placement first-fit decreasing misses: an unconstrained manager must leave the only pool a pinned one may use', () => {
    // Pool 0 (group a) holds 2 pods; pool 1 (group b) holds 2 pods. Runner0 may use both, Runner1 only pool 0. Largest
    // first puts Runner0's larger pods on pool 0, leaving Runner1 nothing; the placement exists the other way round.
    const fleet: Fleet = {
      pools: [{ nodes: 1, cpu: 2000, memory: 4096, maxPods: 6, group: 'a' }, { nodes: 1, cpu: 2000, memory: 4096, maxPods: 6, group: 'b' }],
      managers: [
        { replicas: 1, concurrent: 2, cpu: 900, memory: 256, memoryLimit: true, cpuLimit: true },
        { replicas: 1, concurrent: 2, cpu: 800, memory: 256, group: 'a', memoryLimit: true, cpuLimit: true },
      ],
    };
    expect(bruteForceFits(fleet)).toBe(true);
    const findings = verdict(fleet);
    expect(findings.filter((f) => ['CAP003', 'CAP013'].includes(f.ruleId))).toEqual([]);
    const { managers, pools } = models(fleet);
    const e = evaluateBudget(budget(pools), managers);
    expect(e.managers.map((m) => m.unplaced)).toEqual([0, 0]);
    expect(e.placement.status).toBe('fits');
  });

  test('a search that runs out of work is undecided (CAP013, a warning), never a refusal', () => {
    // Three pods of 7, 7 and 4 CPU on two nodes of 10: no resource bound proves it (18 ≤ 20 CPU), packing fails, and
    // only the search proves that no two of them share a node. With a work limit of 1 it cannot finish.
    const sizes = (cpu: bigint, memory: bigint) => ({ cpu, memory, ephemeralStorage: 0n });
    const pools = [{ count: 1, free: { cpu: 10n, memory: 10n, pods: 10n } }, { count: 1, free: { cpu: 10n, memory: 10n, pods: 10n } }];
    const types = [
      { size: sizes(7n, 4n), demand: 1, pools: [0, 1] },
      { size: sizes(7n, 7n), demand: 1, pools: [0, 1] },
      { size: sizes(4n, 2n), demand: 1, pools: [0, 1] },
    ];
    const full = place(pools, types, (t) => `type ${t}`);
    expect(full).toMatchObject({ status: 'does not fit', components: [{ method: 'search' }] });
    const limited = place(pools, types, (t) => `type ${t}`, 1);
    expect(limited).toMatchObject({ status: 'undecided', components: [{ method: 'search limit' }] });
    // The best packing found is still reported: two of the three pods placed.
    expect(limited.placed.reduce((a, b) => a + b, 0)).toBe(2);
  });
});
