import { plural } from './format';

// The prose of the Markdown capacity report (src/internal/capacity/report.ts). The logic computes and shows the
// numbers (format.ts) and code-quotes paths; these templates put them into the report's sentences. Table headers and
// cell labels stay beside the tables. The report's bytes are pinned (golden outputs, capacity-report tests).

export const REPORT_MESSAGES = {
  /** The report's opening paragraph, as its lines. */
  intro: [
    'Kubernetes schedules a job pod by its **requests**: the whole pod must fit on **one node**, into what is left of that node\'s',
    'allocatable after DaemonSets. **Limits** do not place pods; they decide CPU throttling, OOM kills and overcommit. This',
    'report compares every runner manager\'s job slots (replicas × concurrent) with what fits that way.',
  ],
  noManagers: 'No runner manager is attached to a budget.',
  noOtherFindings: 'None.',
  noBudgetFindings: 'None: every attached manager\'s job slots fit.',

  /** How a group of managers sharing pools was placed; `proof` for a bound, `work` the search steps if any. */
  placementLine: (a: { managers: string; status: string; method: string; proof?: string; work?: number }): string => {
    const method: Record<string, string> = {
      'packing': 'first-fit packing placed every job slot',
      'bound': 'no placement exists',
      'search': 'decided by an exact search',
      'search limit': 'undecided: the exact search reached its work limit',
    };
    const how = a.method === 'bound' ? `${method.bound}: ${a.proof}` : method[a.method];
    return `- ${a.managers}: **${a.status}** (${how}${a.work ? `, ${a.work} search steps` : ''}).`;
  },

  /** A manager's verdict. */
  fits: (spare: number): string => `fits (${spare} spare)`,
  doesNotFit: (unplaced: number): string => `**does not fit**: ${unplaced} jobs Pending`,
  undecided: (unplaced: number): string =>
    `**undecided**: packing left ${unplaced} jobs without a node, and the search found neither a placement nor a proof (CAP013)`,

  poolsNote: 'Read each cell as declared size − reserved − DaemonSets = **free for job pods**. Identical pools share a row.',

  /** The demand of a manager: `2 replicas × concurrent 4 = **8 job slots**`. */
  demand: (a: {
    replicas: number;
    cappedByLimit: boolean;
    slotsPerReplica: number;
    concurrent: number;
    slots: number;
    maxSurge: number;
    surgeSlots: number;
  }): string => `${a.replicas} ${plural(a.replicas, 'replica')} × `
    + (a.cappedByLimit ? `limit ${a.slotsPerReplica} (concurrent ${a.concurrent})` : `concurrent ${a.concurrent}`)
    + ` = **${a.slots} job slots**${a.maxSurge ? `; ${a.surgeSlots} during a rollout (maxSurge ${a.maxSurge})` : ''}`,

  /** A manager section's heading, for one manager or several alike. */
  managerHeading: (a: { path: string } | { paths: string; count: number }): string =>
    `### Job pods of ${'path' in a ? a.path : `${a.paths} (${a.count} managers alike)`}`,
  jobPodTemplate: (path: string, demand: string): string => `Job pod template ${path}. ${demand}.`,
  managersAlike: (differInTemplate: boolean): string => 'These managers have the same job pod and the same node selector, '
    + `affinity and tolerations; they differ in name${differInTemplate ? ', job pod template' : ''} and demand.`,
  limitNote: '*(limit)*: no request given, so Kubernetes copies the limit. The pod requests the sum of its containers, or its '
    + 'largest init container if that is larger; pod-level resources (`pod_cpu_request`, …) replace that sum.',

  /** The bold summary under a manager's pool table. */
  summary: (a: {
    who: string; slots: number; capacity: number; alone?: number; guaranteed: string; worstCase?: number; verdict: string;
  }): string => `${a.who}**${a.slots} job slots · ${a.capacity} schedulable by requests`
    + (a.alone !== undefined ? ` (${a.alone} with the budget to itself)` : '')
    + ` · ${a.guaranteed} guaranteed by limits`
    + (a.worstCase !== undefined ? ` · ${a.worstCase} when every job asks for the overwrite maximum` : '')
    + `** → ${a.verdict}.`,

  /** "Why not the sum": the naive estimate worked through. */
  whyNotHeading: (formula: string): string => `#### Why not ${formula}`,
  whyNotExplained: (label: string, basis: string): string => `That is the sum of the nodes' ${label} divided by one job pod's `
    + `${label} ${basis}. Kubernetes does not pool nodes: a pod must fit on one node, into what is free there after `
    + 'reservations and DaemonSets, and it is placed by its requests.',
  /** One pool's per-node arithmetic; `binds` names another resource that binds first. */
  whyNotFloor: (a: { free: string; size: string; quotient: bigint; binds?: { resource: string; count: number } }): string =>
    `floor(${a.free} ÷ ${a.size}) = ${a.quotient}${a.binds ? `, but ${a.binds.resource} binds first at **${a.binds.count}**` : ''}`,
  whyNotAtLimits: (perNode: string): string => `, at their limits ${perNode}`,
  whyNotPool: (a: { pool: string; nodes: number; free: string; label: string; byRequests: string; byLimits: string }): string =>
    `- pool ${a.pool} (${a.nodes} ${plural(a.nodes, 'node')}, ${a.free} ${a.label} free on each): by requests ${a.byRequests}`
    + `${a.byLimits} per node.`,
  whyNotMorePools: (more: number): string => `- … and ${more} more pools (see the table above).`,
  whyNotConclusion: (a: { schedulable: number; guaranteed?: number; unbounded?: string; naive: number }): string =>
    `So **${a.schedulable}** job pods schedule by requests and `
    + (a.guaranteed !== undefined ? `**${a.guaranteed}** can all run at their limits at once` : `none is guaranteed by limits (${a.unbounded})`)
    + `, against ${a.naive} from the sum. The rest of each node stays unused.`,

  /** Around the table of nodes after packing. */
  packingIntro: 'Every manager\'s job slots placed together (managers with the same job pod size and pools as one): by first-fit '
    + 'packing, or by the exact search when packing fails (see Placement).',
  packingNote: 'Pools whose nodes ended up alike share a row; nodes counts the nodes of each.',
};
