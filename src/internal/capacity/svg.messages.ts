import { plural } from './format';

// The words of the capacity drawing (src/internal/capacity/svg.ts): titles, captions and legend labels. The drawing
// logic computes and shows the numbers; these put them into words. The SVG's bytes are pinned (golden outputs).

export const SVG_MESSAGES = {
  title: 'Job slots against per-node packing',
  noBudget: 'No budget declared.',
  budget: (path: string): string => `Budget ${path}`,
  moreManagers: (more: number): string => `… and ${more} more managers (see capacity-report.md)`,
  noManagers: 'No runner manager uses this budget.',

  /** A manager's bar: its caption, the pod's shape, the marks. */
  spare: (spare: number): string => `${spare} spare`,
  undecided: (unplaced: number): string => `${unplaced} unplaced by packing (undecided, CAP013)`,
  pending: (unplaced: number): string => `${unplaced} Pending`,
  summary: (a: { path: string; slots: number; capacity: number; guaranteed?: number; status: string }): string =>
    `${a.path}: ${a.slots} job slots · ${a.capacity} schedulable by requests · `
    + `${a.guaranteed ?? 'none (unbounded)'} guaranteed by limits · ${a.status}`,
  /** One resource of the pod's shape; `amount` is undefined when no limit bounds it. */
  amount: (resource: string, amount?: string): string => (amount === undefined ? `${resource} unbounded` : `${resource} ${amount}`),
  podShape: (requests: string, limits: string): string => `one job pod: requests ${requests}; limits ${limits}`,
  guaranteedMark: (guaranteed: number): string => `guaranteed by limits: ${guaranteed}`,
  slotsMark: (slots: number): string => `job slots: ${slots}`,

  /** The node columns. */
  nodesCaption: 'Nodes after packing (bars: cpu | memory; each block is one job pod, by request; dashed line: the pods\' limits)',
  moreNodeGroups: (hidden: number): string => `… and ${hidden} more node groups (see capacity-report.md)`,
  freeBeforePacking: (resource: string, amount: string): string => `${resource} ${amount} free before packing`,
  noJobs: 'no jobs',
  pods: (count: number): string => `${count} ${plural(count, 'pod')}`,

  /** The legend. */
  legendReserved: 'reserved (system, kube, eviction)',
  legendDaemonSets: 'DaemonSets',
  legendFree: 'free',
  legendPending: 'job slots that find no node (Pending)',
  legendLimits: 'sum of the pods\' limits (red above the node: limits ÷ free)',
};
