import { CapacityEvaluation, freeOf, ManagerCapacity, NodeGroup } from './evaluate';
import { RESOURCE_LABEL, showAmount } from './format';
import { SVG_MESSAGES as M } from './svg.messages';
import { Amounts, PoolModel } from '../../model/budget';

// A picture of the capacity report: per manager, job slots against what schedules; per node, how job pods pack into
// what is left after reservations and DaemonSets, with the pods' limits drawn over it. Hand-written SVG text,
// deterministic (fixed decimals, construct order), no dependencies.

const WIDTH = 960;
const MARGIN = 20;
const INNER = WIDTH - 2 * MARGIN;
const BAR_HEIGHT = 150;
const COLUMN = 46;
const MAX_COLUMNS = 40;
const MAX_BARS = 40;
const EXPAND_UP_TO = 20;
const PALETTE = ['#1f77b4', '#2ca02c', '#9467bd', '#ff7f0e', '#17becf', '#8c564b', '#e377c2', '#bcbd22'];
const PENDING = '#d62728';
const RESERVED = '#b0b0b0';
const DAEMONSETS = '#606060';
const BARS = ['cpu', 'memory'] as const;

function n(x: number): string {
  return (Math.round(x * 10) / 10).toFixed(1).replace(/\.0$/, '');
}

function esc(raw: string): string {
  return raw.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function text(x: number, y: number, content: string, attrs = ''): string {
  return `<text x="${n(x)}" y="${n(y)}"${attrs ? ` ${attrs}` : ''}>${esc(content)}</text>`;
}

function rect(x: number, y: number, w: number, h: number, attrs: string): string {
  return `<rect x="${n(x)}" y="${n(y)}" width="${n(Math.max(w, 0))}" height="${n(Math.max(h, 0))}" ${attrs}/>`;
}

/** value / of, as a float for drawing only. */
function ratio(value: bigint, of: bigint): number {
  return of <= 0n ? 0 : Number((value * 1_000_000n) / of) / 1_000_000;
}

/** Right-aligns a label that would run past the right edge. */
function anchor(x: number, width: number): string {
  return x + width > WIDTH - MARGIN ? ' text-anchor="end"' : '';
}

function color(manager: number): string {
  return PALETTE[manager % PALETTE.length];
}

/** The SVG of every budget, one panel each, stacked. */
export function renderCapacitySvg(evaluations: CapacityEvaluation[]): string {
  const parts: string[] = [];
  let y = MARGIN;
  parts.push(text(MARGIN, y + 16, M.title, 'class="h1"'));
  y += 32;
  if (evaluations.length === 0) {
    parts.push(text(MARGIN, y + 14, M.noBudget));
    y += 24;
  }
  for (const e of evaluations) y = budgetPanel(parts, e, y);
  y = legend(parts, y);
  const height = y + MARGIN;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${n(height)}" viewBox="0 0 ${WIDTH} ${n(height)}" font-family="Helvetica, Arial, sans-serif" font-size="12">`,
    '<defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
      + `<rect width="6" height="6" fill="#fde0e0"/><line x1="0" y1="0" x2="0" y2="6" stroke="${PENDING}" stroke-width="3"/></pattern>`
      + '<pattern id="reserved" width="5" height="5" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
      + `<rect width="5" height="5" fill="#e8e8e8"/><line x1="0" y1="0" x2="0" y2="5" stroke="${RESERVED}" stroke-width="2"/></pattern></defs>`,
    '<style>.h1{font-size:18px;font-weight:bold}.h2{font-size:15px;font-weight:bold}.small{font-size:10px;fill:#444}'
      + '.bad{fill:' + PENDING + ';font-weight:bold}</style>',
    rect(0, 0, WIDTH, height, 'fill="#ffffff"'),
    ...parts,
    '</svg>',
    '',
  ].join('\n');
}

function budgetPanel(parts: string[], e: CapacityEvaluation, top: number): number {
  let y = top;
  parts.push(text(MARGIN, y + 14, M.budget(e.budget.path), 'class="h2"'));
  y += 26;
  const scale = e.managers.reduce((mx, m) => Math.max(mx, m.demand.slots, m.placed + m.spare, m.guaranteed ?? 0), 1);
  // Managers that do not fit first; at most MAX_BARS bars, the report lists every manager.
  const order = e.managers.map((_, i) => i).sort((a, b) => Number(e.managers[b].unplaced > 0) - Number(e.managers[a].unplaced > 0) || a - b);
  for (const i of order.slice(0, MAX_BARS)) y = slotsBar(parts, e.managers[i], i, y, scale);
  if (order.length > MAX_BARS) {
    parts.push(text(MARGIN, y + 12, M.moreManagers(order.length - MAX_BARS), 'class="small"'));
    y += 20;
  }
  if (e.managers.length === 0) {
    parts.push(text(MARGIN, y + 12, M.noManagers, 'class="small"'));
    y += 20;
  }
  return nodeColumns(parts, e, y + 6);
}

function slotsBar(parts: string[], m: ManagerCapacity, index: number, top: number, scale: number): number {
  const d = m.demand;
  const capacity = m.placed + m.spare;
  const unit = INNER / scale;
  const status = m.unplaced === 0 ? M.spare(capacity - d.slots)
    : m.placement === 'undecided' ? M.undecided(m.unplaced) : M.pending(m.unplaced);
  const summary = M.summary({ path: m.path, slots: d.slots, capacity, guaranteed: m.guaranteed, status });
  parts.push(text(MARGIN, top + 12, summary, m.unplaced > 0 ? 'class="bad"' : ''));
  const shape = (size: Amounts) => BARS
    .map((r) => M.amount(RESOURCE_LABEL[r], size[r] === undefined ? undefined : showAmount(r, size[r]!))).join(', ');
  parts.push(text(MARGIN, top + 26, M.podShape(shape(m.pod.request), shape(m.pod.limit)), 'class="small"'));
  const y = top + 32;
  const h = 16;
  parts.push(rect(MARGIN, y, m.placed * unit, h, `fill="${color(index)}"`));
  parts.push(rect(MARGIN + m.placed * unit, y, m.unplaced * unit, h, 'fill="url(#hatch)"'));
  if (m.unplaced === 0) parts.push(rect(MARGIN + d.slots * unit, y, m.spare * unit, h, `fill="${color(index)}" fill-opacity="0.25"`));
  // One cell per job slot while cells stay wide enough to count.
  if (unit >= 4) {
    const ticks: string[] = [];
    for (let k = 1; k < Math.max(d.slots, capacity); k++) ticks.push(`M${n(MARGIN + k * unit)} ${n(y)}v${h}`);
    if (ticks.length) parts.push(`<path d="${ticks.join('')}" stroke="#ffffff" stroke-width="1"/>`);
  }
  parts.push(rect(MARGIN, y, Math.max(d.slots, capacity) * unit, h, 'fill="none" stroke="#333" stroke-width="0.5"'));
  if (m.guaranteed !== undefined) {
    const gx = MARGIN + m.guaranteed * unit;
    parts.push(`<path d="M${n(gx)} ${n(y - 3)}v${h + 6}" stroke="#000" stroke-width="2"/>`);
    parts.push(text(gx + 3, y + h + 11, M.guaranteedMark(m.guaranteed), `class="small"${anchor(gx, 130)}`));
  }
  const sx = MARGIN + d.slots * unit;
  parts.push(text(sx, y + h + (m.guaranteed !== undefined ? 22 : 11), M.slotsMark(d.slots), `class="small"${anchor(sx, 30)}`));
  return y + h + 30;
}

interface Column {
  readonly group: NodeGroup;
  readonly pool: PoolModel;
  readonly label: string;
  /** No manager of the budget may place job pods on this pool (selector or taints). */
  readonly offLimits: boolean;
}

function columnsOf(e: CapacityEvaluation): { columns: Column[]; hidden: number } {
  const total = e.nodes.reduce((s, g) => s + g.count, 0);
  const columns: Column[] = [];
  const seen = new Map<string, number>();
  const usable = e.budget.pools.map(() => false);
  for (const t of e.types) for (const p of t.pools) usable[p] = true;
  for (const g of e.nodes) {
    const pool = e.budget.pools[g.poolIndex];
    const offLimits = !usable[g.poolIndex];
    if (total <= EXPAND_UP_TO) {
      for (let k = 0; k < g.count; k++) {
        const idx = (seen.get(g.pool) ?? 0) + 1;
        seen.set(g.pool, idx);
        columns.push({ group: g, pool, label: `#${idx}`, offLimits });
      }
    } else {
      columns.push({ group: g, pool, label: `×${g.count}`, offLimits });
    }
  }
  const hidden = Math.max(0, columns.length - MAX_COLUMNS);
  return { columns: columns.slice(0, MAX_COLUMNS), hidden };
}

function nodeColumns(parts: string[], e: CapacityEvaluation, top: number): number {
  const { columns, hidden } = columnsOf(e);
  parts.push(text(MARGIN, top + 12, M.nodesCaption, 'class="small"'));
  const perRow = Math.floor(INNER / COLUMN);
  const maxOf = (r: typeof BARS[number]) => e.budget.pools
    .reduce((mx, p) => (p.declared[r] !== undefined && p.declared[r]! > mx ? p.declared[r]! : mx), 0n);
  const max = { cpu: maxOf('cpu'), memory: maxOf('memory') };
  let y = top + 34;
  for (let row = 0; row * perRow < columns.length; row++) {
    columns.slice(row * perRow, (row + 1) * perRow).forEach((c, i) => column(parts, e, c, MARGIN + i * COLUMN, y, max));
    y += BAR_HEIGHT + 66;
  }
  if (hidden > 0) {
    parts.push(text(MARGIN, y, M.moreNodeGroups(hidden), 'class="small"'));
    y += 16;
  }
  return y;
}

function column(parts: string[], e: CapacityEvaluation, c: Column, x: number, top: number, max: { cpu: bigint; memory: bigint }): void {
  const bottom = top + BAR_HEIGHT;
  const free = BARS.map((r) => M.freeBeforePacking(RESOURCE_LABEL[r], showAmount(r, freeOf(c.pool)[r]!)));
  const title = `${c.pool.name} ${c.label}: ${free.join(', ')}`;
  parts.push(`<g><title>${esc(title)}</title>`);
  const podsOnNode = c.group.pods.reduce((s, p) => s + p.count, 0);
  BARS.forEach((r, b) => {
    const bx = x + b * 17;
    const declared = c.pool.declared[r]!;
    const height = BAR_HEIGHT * ratio(declared, max[r]);
    const px = (v: bigint) => BAR_HEIGHT * ratio(v, max[r]);
    let y = bottom;
    const stack = (amount: bigint, attrs: string) => {
      const h = px(amount);
      parts.push(rect(bx, y - h, 14, h, attrs));
      y -= h;
    };
    stack(c.pool.reserved[r] ?? 0n, 'fill="url(#reserved)"');
    stack(c.pool.daemonSets[r] ?? 0n, `fill="${DAEMONSETS}"`);
    const held = (c.pool.reserved[r] ?? 0n) + (c.pool.daemonSets[r] ?? 0n);
    let limits: bigint | undefined = held;
    for (const p of c.group.pods) {
      const m = e.managers[p.manager];
      for (let k = 0; k < p.count; k++) stack(m.pod.request[r], `fill="${color(p.manager)}" stroke="#ffffff" stroke-width="0.5"`);
      const l = m.pod.limit[r];
      limits = limits === undefined || l === undefined ? undefined : limits + l * BigInt(p.count);
    }
    parts.push(rect(bx, bottom - height, 14, height, c.offLimits
      ? 'fill="none" stroke="#999" stroke-width="0.75" stroke-dasharray="2 2"'
      : 'fill="none" stroke="#333" stroke-width="0.75"'));
    if (limits !== undefined && c.group.pods.length > 0) {
      const over = limits > declared;
      const ly = over ? bottom - height - 4 : bottom - px(limits);
      parts.push(`<path d="M${n(bx - 2)} ${n(ly)}h18" stroke="${over ? PENDING : '#000'}" stroke-width="1.5" stroke-dasharray="3 2"/>`);
      // The ratio the CAP006/CAP007 rules use: the pods' limits against what is free for them.
      const times = Math.floor(ratio(limits - held, declared - held) * 10) / 10;
      if (over) parts.push(text(bx + 7, ly - 3, `${times.toFixed(1)}×`, 'class="small bad" text-anchor="middle"'));
    }
    parts.push(text(bx + 7, bottom + 11, r === 'cpu' ? 'c' : 'm', 'class="small" text-anchor="middle"'));
  });
  parts.push(text(x + 17, bottom + 24, c.pool.name.length > 8 ? `${c.pool.name.slice(0, 7)}…` : c.pool.name, 'class="small" text-anchor="middle"'));
  parts.push(text(x + 17, bottom + 36, c.label, 'class="small" text-anchor="middle"'));
  const pods = c.offLimits ? M.noJobs : M.pods(podsOnNode);
  parts.push(text(x + 17, bottom + 48, pods, 'class="small" text-anchor="middle"'));
  parts.push('</g>');
}

function legend(parts: string[], top: number): number {
  const items: Array<[string, string]> = [
    ['url(#reserved)', M.legendReserved],
    [DAEMONSETS, M.legendDaemonSets],
    ['#ffffff', M.legendFree],
    ['url(#hatch)', M.legendPending],
  ];
  let x = MARGIN;
  const y = top + 4;
  for (const [fill, label] of items) {
    parts.push(rect(x, y, 12, 12, `fill="${fill}" stroke="#333" stroke-width="0.5"`));
    parts.push(text(x + 16, y + 10, label, 'class="small"'));
    x += 28 + label.length * 5.6;
  }
  parts.push(`<path d="M${n(x)} ${n(y + 6)}h16" stroke="#000" stroke-width="1.5" stroke-dasharray="3 2"/>`);
  parts.push(text(x + 20, y + 10, M.legendLimits, 'class="small"'));
  return y + 20;
}
