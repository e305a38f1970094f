import type { ExclusionField } from './evaluate';
import { plural } from './format';
import type { Problem } from '../../model/problem';

// The wording of the capacity findings (src/internal/capacity/findings.ts). The logic finds the numbers and shows
// them (format.ts); these templates only put them into sentences.

/** What to change for CAP002, per field that excludes a pool. */
const EXCLUSION_FIX: Record<ExclusionField, string> = {
  'nodeSelector': 'make nodeSelector match the labels of the pool meant for CI (or declare those labels on the pool)',
  'extraConfig.affinity': 'make the required node affinity (extraConfig.affinity.node_affinity) match the labels of the pool meant '
    + 'for CI (or declare those labels on the pool)',
  'nodeAffinity': 'make the required node affinity (nodeAffinity.required) match the labels of the pool meant for CI '
    + '(or declare those labels on the pool)',
  'tolerations': 'add tolerations for the taints of the pool meant for CI, or remove those taints',
};

export const FINDINGS_MESSAGES = {
  /** CAP010: a pool given by capacity without reservations. */
  capacityWithoutReserved: (a: { pool: string; declared: string }): Problem => ({
    message: `pool '${a.pool}' declares capacity (${a.declared}) but no reservations, so its allocatable is taken to be the whole `
      + 'capacity; the kubelet\'s system and kube reservations and the eviction threshold make the real allocatable smaller, '
      + 'and the fit may be overstated.',
    fix: 'declare reserved (systemReserved, kubeReserved, evictionHard), or give allocatable instead of capacity '
      + '(kubectl get node <node> -o jsonpath=\'{.status.allocatable}\').',
  }),

  /** CAP011 */
  unknownRuntimeOverhead: (a: { runtimeClass: string; budgetPath: string }): Problem => ({
    message: `job pods run with RuntimeClass '${a.runtimeClass}', whose pod overhead (the sandbox's own CPU and memory, added to `
      + `every pod's request) budget ${a.budgetPath} does not declare, so the fit may be overstated.`,
    fix: `declare it in the budget's runtimeClasses: { name: '${a.runtimeClass}', cpu: ..., memory: ... } `
      + `(kubectl get runtimeclass ${a.runtimeClass} -o jsonpath='{.overhead.podFixed}').`,
  }),

  /** CAP008: `what` names the undeclared resources, `requestFields` the fields to set. */
  bestEffort: (a: { names: string[]; helperInit: boolean; what: string; requestFields: string[] }): Problem => {
    const many = a.names.length > 1;
    const init = a.helperInit ? ' (and the init container init-permissions, which uses the helper\'s resources)' : '';
    return {
      message: `container${many ? 's' : ''} ${a.names.join(', ')}${init} declare${many ? '' : 's'} neither a request nor a limit `
        + `for ${a.what}: the scheduler counts ${a.what} as 0 for them, so job pods pile onto one node and are throttled, `
        + 'OOM-killed or evicted first.',
      fix: `set ${a.requestFields.join(' and ')} to what the container needs (e.g. cpu '100m', memory '128Mi' for the helper).`,
    };
  },

  /** CAP002: `why` lists each pool with its reasons; `fields` the fields that exclude one, most excluding first. */
  noEligiblePool: (a: { managerPath: string; budgetPath: string; why: string; fields: ExclusionField[] }): Problem => ({
    message: `job pods of ${a.managerPath} may use no node pool of budget ${a.budgetPath} (${a.why}); every job would stay `
      + 'Pending until poll_timeout fails it.',
    fix: `${a.fields.map((f) => EXCLUSION_FIX[f]).join('; and ') || EXCLUSION_FIX.nodeSelector}.`,
  }),

  /** One pool's exclusion reasons, for the list in noEligiblePool. */
  poolReasons: (pool: string, reasons: string[]): string => `pool '${pool}': ${reasons.join('; ')}`,

  /** CAP001 and CAP009: the pod (or its worst case) needs more of a resource than any node it may use has free. */
  podTooLarge: (a: {
    worst: boolean; resource: string; request: string; containers: string; largestFree: string; pool: string; field: string;
  }): Problem => ({
    message: `${a.worst ? 'when a job raises its resources to the *_overwrite_max_allowed values, its pod' : 'the job pod'} `
      + `requests ${a.resource} ${a.request} (${a.containers}), but the largest free node of the pools it may use has `
      + `${a.largestFree} (pool '${a.pool}', allocatable minus DaemonSets), so the pod never schedules and every job fails after `
      + 'poll_timeout.',
    fix: `lower ${a.field} so the pod needs at most ${a.largestFree} ${a.resource}, or add a pool of larger nodes to the budget.`,
  }),

  /** The containers making up a pod's request of one resource: `build 1 + helper 0.1 + runtime overhead 0.25`. */
  containerList: (a: { parts: string[]; overhead?: string; init?: { name: string; amount: string } }): string =>
    `${a.parts.join(' + ') || 'nothing'}${a.overhead !== undefined ? ` + runtime overhead ${a.overhead}` : ''}`
    + (a.init ? `; the init container ${a.init.name}, ${a.init.amount}, is larger and sets the request` : ''),

  /** One container's part of that list. */
  containerPart: (name: string, amount: string): string => `${name} ${amount}`,

  /** Per-pool packing as a phrase: `pool 'workers' takes 5 per node × 3 nodes (cpu binds: 8 free ÷ 1.5)`. */
  poolSentence: (a: {
    pool: string;
    count: number;
    nodes: number;
    autoscaling: boolean;
    binds: { pods: bigint | number } | { resource: string; free: string; size: string };
  }): string => {
    const basis = 'pods' in a.binds
      ? `pods bind: ${a.binds.pods} pod slots free after DaemonSets`
      : `${a.binds.resource} binds: ${a.binds.free} free ÷ ${a.binds.size}`;
    return `pool '${a.pool}' takes ${a.count} per node × ${a.nodes} ${plural(a.nodes, 'node')}`
      + `${a.autoscaling ? ', its autoscaling maximum' : ''} (${basis})`;
  },

  /** The pools beyond the ones listed one by one. */
  morePools: (pools: number, take: number): string => `${pools} more pools take ${take}`,

  /** `2 replicas × concurrent 4 = 8 job slots`. */
  slotsSentence: (a: { replicas: number; cappedByLimit: boolean; slotsPerReplica: number; concurrent: number; slots: number }): string =>
    `${a.replicas} ${plural(a.replicas, 'replica')} × ${a.cappedByLimit ? `limit ${a.slotsPerReplica}` : `concurrent ${a.concurrent}`}`
    + ` = ${a.slots} job slots`,

  /** CAP013: packing failed and the search hit its limit. */
  placementUndecided: (a: { slots: string; budgetPath: string; placed: number; work: number; how: string; unplaced: number }): Problem => ({
    message: `${a.slots} on budget ${a.budgetPath}: packing placed only ${a.placed} of them, and an exact search within its limit `
      + `(${a.work} steps) found neither a placement of every job slot nor a proof that none exists (${a.how}). The slots may `
      + `fit; if they do not, ${a.unplaced} jobs would sit Pending until poll_timeout.`,
    fix: 'lower concurrent or add nodes until the report shows every slot placed, or acknowledge CAP013 on the manager with '
      + 'Rules.acknowledge once you have checked the packing.',
  }),

  /**
   * CAP003: the job slots exceed what fits. `shortBy` is set when other managers take part of the pools; `proof` says how
   * the verdict was reached when several pod types share the pools; `fixes` are the proven fixes, if any.
   */
  demandExceedsFit: (a: {
    slots: string;
    placed: number;
    budgetPath: string;
    shortBy?: number;
    requests: string;
    how: string;
    proof?: { bound: string } | 'search';
    unplaced: number;
    fixes: string[];
  }): Problem => {
    const shared = a.shortBy !== undefined
      ? ` (${a.shortBy} fewer than its pools hold alone: other managers of the budget take their share)` : '';
    const why = a.proof === undefined ? ''
      : a.proof !== 'search' ? ` No placement exists: ${a.proof.bound}.`
        : ' No placement exists: an exact search over every way to put the job pods of the managers sharing these pools on '
          + 'their nodes found none.';
    return {
      message: `${a.slots}, but only ${a.placed} job pods fit on budget ${a.budgetPath}${shared}. Kubernetes places a job pod by `
        + `its requests (${a.requests}) on one node: ${a.how}.${why} The other ${a.unplaced} jobs would sit Pending and fail `
        + 'when poll_timeout expires.',
      fix: a.fixes.length ? `${a.fixes.join(', or ')}.`
        : 'free room on the pools these job pods may use (other managers share them), or let the job pods use more pools.',
    };
  },

  /** The proven fixes of demandExceedsFit. */
  fixLowerSlots: (a: { field: string; perReplica: number; replicas: number }): string =>
    `lower ${a.field} to ${a.perReplica} (${a.replicas} × ${a.perReplica} = ${a.replicas * a.perReplica} slots)`,
  fixLowerReplicas: (a: { replicas: number; field: string }): string => `lower replicas to ${a.replicas} with ${a.field} 1`,
  fixAddNodes: (a: { pool: string; nodes: number; maxNodes?: number; added: number; perNode: number }): string =>
    (a.maxNodes !== undefined
      ? `raise maxNodes of pool '${a.pool}' from ${a.maxNodes} to ${a.maxNodes + a.added}`
      : `add ${a.added} ${plural(a.added, 'node')} to pool '${a.pool}' (${a.nodes} → ${a.nodes + a.added})`)
    + `, each fitting ${a.perNode} of these job pods`,

  /** CAP004: the surge pods of a rollout take more job slots than fit; `allowed` is the largest maxSurge that fits. */
  surgeExceedsFit: (a: {
    replicas: number;
    maxSurge: number;
    slotsPerReplica: number;
    surgeSlots: number;
    capacity: number;
    budgetPath: string;
    allowed: number;
  }): Problem => ({
    message: `during a rollout (${a.replicas} + maxSurge ${a.maxSurge}) × ${a.slotsPerReplica} = ${a.surgeSlots} job slots, but `
      + `only ${a.capacity} job pods fit on budget ${a.budgetPath}: jobs taken by the surge pods would sit Pending and fail when `
      + 'poll_timeout expires.',
    fix: a.allowed > 0 ? `lower maxSurge to ${a.allowed}, or add nodes.`
      : 'set maxSurge to 0, so old manager pods finish their jobs before new ones take jobs, or add nodes.',
  }),

  /** CAP005: the sum-of-capacity estimate overstates the per-node fit. `nextSize` is the pod size that fits one more. */
  naiveOverstates: (a: {
    managerPath: string;
    basis: 'requests' | 'limits';
    total: string;
    resource: string;
    size: string;
    naive: number;
    real: number;
    percent: bigint;
    pool: string;
    perNode: string;
    free: string;
    fit: number;
    nextSize?: string;
  }): Problem => {
    const word = a.basis === 'requests' ? 'request' : 'limit';
    const next = a.nextSize !== undefined
      ? `; a pod ${word} of at most ${a.nextSize} ${a.resource} would fit ${a.fit + 1} per node` : '';
    return {
      message: `for job pods of ${a.managerPath}, the sum-of-capacity estimate by ${a.basis} (${a.total} ${a.resource} ÷ `
        + `${a.size} per pod = ${a.naive} jobs) overstates the per-node fit (${a.real}) by ${a.percent} %: a pod must fit on one `
        + `node, and a node of pool '${a.pool}' (${a.perNode} ${a.resource}, ${a.free} free) takes ${a.fit}, the rest of it `
        + 'staying unused.',
      fix: `size the fleet by the per-node fit (${a.real}), not by the sum${next}, or choose nodes whose free ${a.resource} is a `
        + `multiple of the pod's ${word}.`,
    };
  },

  /** CAP006: containers without a memory limit on a packed node. */
  memoryUnlimited: (a: { names: string[]; pool: string; pods: number; free: string; field: string }): Problem => {
    const many = a.names.length > 1;
    return {
      message: `container${many ? 's' : ''} ${a.names.join(', ')} of the job pod ha${many ? 've' : 's'} no memory limit: on a fully `
        + `packed node of pool '${a.pool}' (${a.pods} job pods) nothing stops them from using more than the node's ${a.free} free `
        + 'memory, and the kubelet then evicts or the kernel OOM-kills pods, other jobs\' included.',
      fix: `set ${a.field} (a memory limit fails only the job that exceeds it).`,
    };
  },

  /** CAP006: the memory limits of a packed node's pods exceed its free memory; `others` is how many other pools do too. */
  memoryOvercommit: (a: {
    pool: string; others: number; pods: number; request: string; limit: string; total: string; free: string; perPod: string;
  }): Problem => ({
    message: `on a fully packed node of pool '${a.pool}'${othersNote(a.others)} the ${a.pods} job pods (placed by their `
      + `${a.request} memory request) may use up to ${a.pods} × ${a.limit} = ${a.total} memory by their limits, more than the `
      + `node's ${a.free} free: when several jobs peak together the kubelet evicts or the kernel OOM-kills pods.`,
    fix: 'raise the memory requests toward the limits (fewer pods per node, each guaranteed its memory), or lower the memory '
      + `limits to at most ${a.perPod} per pod.`,
  }),

  /** CAP007: the CPU limits of a packed node's pods exceed its free CPU by more than the budget allows. */
  cpuOvercommit: (a: {
    pool: string;
    others: number;
    pods: number;
    limit: string;
    total: string;
    ratio: string;
    free: string;
    allowed: number;
    ratioNeeded: bigint;
  }): Problem => ({
    message: `on a fully packed node of pool '${a.pool}'${othersNote(a.others)} the ${a.pods} job pods may use up to ${a.pods} × `
      + `${a.limit} = ${a.total} CPU by their limits, ${a.ratio}× the node's ${a.free} free CPU (allowed: ${a.allowed}×): `
      + 'concurrent builds get throttled and run slower than their limits promise.',
    fix: 'raise the CPU requests toward the limits, lower the CPU limits, or accept it by raising the budget\'s '
      + `cpuLimitOvercommitRatio to ${a.ratioNeeded}.`,
  }),
};

function othersNote(others: number): string {
  return others > 0 ? ` (and on ${others} other ${plural(others, 'pool')})` : '';
}
