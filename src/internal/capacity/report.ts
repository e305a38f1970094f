import { CapacityEvaluation, declaredTotal, eligiblePools, freeOf, ManagerCapacity, NodeFit, PodShape } from './evaluate';
import { quantityText, RESOURCE_LABEL, showAmount, showFree } from './format';
import { REPORT_MESSAGES as M } from './report.messages';
import { renderCapacitySvg } from './svg';
import { Amounts, BudgetModel, DIMENSIONS, PoolModel, RESOURCES } from '../../model/budget';
import type { ExtraFile } from '../../model/extra-file';
import { Finding, Severity } from '../../model/finding';
import { byCodeUnit, sortedByKey } from '../render/records';

// The capacity report: Markdown for pull requests, JSON for machines, SVG for reviewers. Pure and deterministic.

/** One budget's input to the report. */
export interface BudgetReportInput {
  readonly model: BudgetModel;
  readonly evaluation: CapacityEvaluation;
  readonly findings: Finding[];
}

export const REPORT_FILES = { markdown: 'capacity-report.md', json: 'capacity-report.json', svg: 'capacity-report.svg' } as const;
/** Bumped whenever a field of the JSON report changes meaning or disappears. */
export const REPORT_SCHEMA_VERSION = 2;

/** The three report files covering every budget, with `findings` (all of the fleet's) listed too. */
export function renderCapacityReports(budgets: BudgetReportInput[], findings: Finding[]): ExtraFile[] {
  const own = new Set(budgets.flatMap((b) => b.findings.map(findingKey)));
  const others = sortFindings(findings.filter((f) => !own.has(findingKey(f))));
  return [
    { fileName: REPORT_FILES.markdown, content: renderMarkdown(budgets, others) },
    { fileName: REPORT_FILES.json, content: JSON.stringify(renderJson(budgets, others), null, 2) + '\n' },
    { fileName: REPORT_FILES.svg, content: renderCapacitySvg(budgets.map((b) => b.evaluation)) },
  ];
}

function findingKey(f: Finding): string {
  return JSON.stringify([f.ruleId, f.path, f.field, f.message]);
}

function sortFindings(findings: Finding[]): Finding[] {
  const rank = (f: Finding) => (f.severity === Severity.ERROR ? 0 : 1);
  return [...findings].sort((a, b) => rank(a) - rank(b) || byCodeUnit(a.ruleId, b.ruleId) || byCodeUnit(a.path, b.path)
    || byCodeUnit(a.field, b.field) || byCodeUnit(a.message, b.message));
}

// ---------------------------------------------------------------------------------------------------------------
// Verdicts shared by all formats

type Verdict = 'fits' | 'does not fit' | 'undecided' | 'no eligible pool' | 'pod too large';

function verdictOf(m: ManagerCapacity): Verdict {
  const eligible = eligiblePools(m);
  if (eligible.length === 0) return 'no eligible pool';
  if (!eligible.some((p) => p.byRequests.count > 0)) return 'pod too large';
  if (m.unplaced === 0) return 'fits';
  return m.placement === 'undecided' ? 'undecided' : 'does not fit';
}

/** Job pods of the manager's shape the budget holds, shared with the other managers. */
function capacityOf(m: ManagerCapacity): number {
  return m.placed + m.spare;
}

// ---------------------------------------------------------------------------------------------------------------
// Markdown

const DASH = '—';

function code(text: string): string {
  return `\`${text.replace(/`/g, "'")}\``;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** Appends `more` to `lines` one by one: spreading a fleet-sized array into push() overflows the call stack. */
function append(lines: string[], more: string[]): void {
  for (const line of more) lines.push(line);
}

function table(head: string[], align: string[], rows: string[][]): string[] {
  return [`| ${head.join(' | ')} |`, `|${align.join('|')}|`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)];
}

function renderMarkdown(budgets: BudgetReportInput[], others: Finding[]): string {
  const lines: string[] = [
    '# Capacity report',
    '',
    ...M.intro,
    '',
    '![Per-node packing against job slots](capacity-report.svg)',
    '',
  ];
  const all = budgets.flatMap((b) => b.evaluation.managers.map((m) => ({ b, m })));
  append(lines, table(
    ['manager', 'budget', 'job slots', 'schedulable by requests', 'guaranteed by limits', 'verdict'],
    ['---', '---', '--:', '--:', '--:', '---'],
    all.map(({ b, m }) => [
      code(m.path), code(b.model.path), `${m.demand.slots}`, `${capacityOf(m)}`, guaranteedText(m), verdictText(m),
    ]),
  ));
  if (all.length === 0) lines.push('', M.noManagers);
  for (const b of budgets) append(lines, ['', ...budgetSection(b)]);
  lines.push('', '## Other findings of the fleet', '');
  append(lines, others.length ? findingLines(others) : [M.noOtherFindings]);
  return lines.join('\n') + '\n';
}

/** Guaranteed by limits, or why there is no such number. */
function guaranteedText(m: ManagerCapacity): string {
  return m.guaranteed !== undefined ? `${m.guaranteed}` : `${DASH} (${m.guaranteedUnbounded ?? 'no limit'})`;
}

/** At most `max` names, then how many more. */
function names(items: string[], max = 3): string {
  return items.length <= max ? items.join(', ') : `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
}

/** Rows grouped by their cells after the first: equal rows become one, the first cells listed together. */
function groupRows(rows: string[][]): string[][] {
  const byRest = new Map<string, { first: string[]; rest: string[] }>();
  for (const r of rows) {
    const key = r.slice(1).join('\u0000');
    const entry = byRest.get(key);
    if (entry) entry.first.push(r[0]);
    else byRest.set(key, { first: [r[0]], rest: r.slice(1) });
  }
  return [...byRest.values()].map((e) => [e.first.length > 1 ? `${names(e.first)} (${e.first.length})` : e.first[0], ...e.rest]);
}

/** How the budget's placement was decided, per group of managers sharing pools. */
function placementLines(e: CapacityEvaluation): string[] {
  return e.placement.components.map((c) => {
    const managers = c.types.flatMap((t) => e.types[t].managers.map((i) => code(e.managers[i].path)));
    return M.placementLine({ managers: names(managers), status: c.status, method: c.method, proof: c.proof, work: c.work });
  });
}

function verdictText(m: ManagerCapacity): string {
  const v = verdictOf(m);
  if (v === 'fits') return M.fits(capacityOf(m) - m.demand.slots);
  if (v === 'does not fit') return M.doesNotFit(m.unplaced);
  if (v === 'undecided') return M.undecided(m.unplaced);
  return `**${v}**`;
}

function budgetSection(b: BudgetReportInput): string[] {
  const { model, evaluation } = b;
  const lines = [`## Budget ${code(model.path)}`, '', '### Node pools', ''];
  append(lines, table(
    ['pool', 'nodes', 'cpu per node', 'memory per node', 'ephemeral storage per node', 'pods per node', 'labels and taints'],
    ['---', '--:', '---', '---', '---', '---', '---'],
    groupRows(model.pools.map((p) => [
      code(p.name), nodesText(p),
      ...RESOURCES.map((r) => perNodeText(p, r)),
      p.daemonSetPods ? `${p.maxPods} − ${p.daemonSetPods} DaemonSet pods = **${p.maxPods - p.daemonSetPods}**` : `**${p.maxPods}**`,
      labelsText(p),
    ])),
  ));
  lines.push('', M.poolsNote);
  append(lines, ['', '### Placement', '', ...placementLines(evaluation)]);
  for (const group of managerGroups(evaluation.managers)) append(lines, ['', ...managerSection(model, group)]);
  lines.push('', '### Nodes after packing', '');
  append(lines, packingLines(evaluation));
  lines.push('', '### Findings', '');
  append(lines, b.findings.length ? findingLines(b.findings) : [M.noBudgetFindings]);
  return lines;
}

function nodesText(p: PoolModel): string {
  if (p.maxNodes === undefined) return `${p.nodes}`;
  return `${p.nodes} now, ${p.minNodes ?? 0}–${p.maxNodes} (evaluated at ${p.maxNodes})`;
}

function perNodeText(p: PoolModel, r: typeof RESOURCES[number]): string {
  const declared = p.declared[r];
  if (declared === undefined) return 'not declared';
  const parts = [`${showAmount(r, declared)}${p.declaredAs === 'allocatable' ? ' allocatable' : ''}`];
  if (p.reserved[r]) parts.push(`${showAmount(r, p.reserved[r]!)} reserved`);
  if (p.daemonSets[r]) parts.push(`${showAmount(r, p.daemonSets[r]!)} DaemonSets`);
  const free = freeOf(p)[r]!;
  return parts.length > 1 ? `${parts.join(' − ')} = **${showAmount(r, free)}**` : `**${showAmount(r, free)}**`;
}

function labelsText(p: PoolModel): string {
  const labels = Object.entries(p.labels).sort(([a], [b]) => byCodeUnit(a, b)).map(([k, v]) => code(`${k}=${v}`));
  const taints = p.taints.map((t) => code(`${t.key}${t.value !== undefined ? `=${t.value}` : ''}:${t.effect}`));
  const text = [...labels, ...(taints.length ? [`taints ${taints.join(' ')}`] : [])].join(' ');
  return text || DASH;
}

/** Managers whose sections would read alike but for their names and demand: one profile and one job pod. */
function managerGroups(managers: ManagerCapacity[]): ManagerCapacity[][] {
  const groups = new Map<string, ManagerCapacity[]>();
  for (const m of managers) {
    const key = JSON.stringify([m.profile, m.guaranteedUnbounded ?? null, podJson(m.pod), m.worstPod ? podJson(m.worstPod) : null]);
    const g = groups.get(key);
    if (g) g.push(m);
    else groups.set(key, [m]);
  }
  return [...groups.values()];
}

function demandText(m: ManagerCapacity): string {
  const d = m.demand;
  return M.demand({
    replicas: d.replicas,
    cappedByLimit: d.cappedBy === 'limit',
    slotsPerReplica: d.slotsPerReplica,
    concurrent: d.concurrent,
    slots: d.slots,
    maxSurge: d.maxSurge,
    surgeSlots: d.surgeSlots,
  });
}

function managerSection(model: BudgetModel, group: ManagerCapacity[]): string[] {
  const m = group[0];
  const heading = group.length === 1 ? { path: code(m.path) } : { paths: names(group.map((x) => code(x.path))), count: group.length };
  const lines = [M.managerHeading(heading), ''];
  if (group.length === 1) {
    lines.push(M.jobPodTemplate(code(m.jobPodPath), demandText(m)));
  } else {
    lines.push(M.managersAlike(group.some((x) => x.jobPodPath !== m.jobPodPath)), '');
    append(lines, table(['managers', 'demand', 'placed', 'verdict'], ['---', '---', '--:', '---'],
      groupRows(group.map((x) => [code(x.path), demandText(x), `${x.placed}`, verdictText(x)]))));
  }
  lines.push('', ...podTable(m), '');
  lines.push(M.limitNote);
  append(lines, ['', ...table(
    ['pool', 'eligible', 'per node by requests', 'per node by limits', 'nodes', 'schedulable', 'guaranteed'],
    ['---', '---', '--:', '--:', '--:', '--:', '--:'],
    groupRows(m.pools.map((p) => [
      code(p.pool),
      p.eligible ? (p.reasons.length ? `yes (${p.reasons.join('; ')})` : 'yes') : `no: ${p.reasons.join('; ')}`,
      p.eligible ? fitText(p.byRequests) : DASH,
      p.eligible && p.byLimits && m.guaranteed !== undefined ? fitText(p.byLimits) : DASH,
      `${p.nodes}`,
      p.eligible ? `${p.nodes * p.byRequests.count}` : DASH,
      p.eligible && p.byLimits && m.guaranteed !== undefined ? `${p.nodes * p.byLimits.count}` : DASH,
    ])),
  )]);
  const d = m.demand;
  const who = group.length === 1 ? '' : `${code(m.path)}: `;
  lines.push('', M.summary({
    who,
    slots: d.slots,
    capacity: capacityOf(m),
    alone: capacityOf(m) !== m.schedulable ? m.schedulable : undefined,
    guaranteed: guaranteedText(m),
    worstCase: m.worstCaseSchedulable,
    verdict: verdictText(m),
  }));
  lines.push('', ...whyNotTheSum(model, m));
  return lines;
}

function fitText(f: NodeFit): string {
  return `${f.count} (${RESOURCE_LABEL[f.binding]} binds)`;
}

function podTable(m: ManagerCapacity): string[] {
  const head = ['container', ...RESOURCES.flatMap((r) => [`${RESOURCE_LABEL[r]} request`, `${RESOURCE_LABEL[r]} limit`])];
  const rows = m.pod.containers.map((c) => [
    c.init ? `${c.name} (init)` : c.name,
    ...RESOURCES.flatMap((r) => [
      c.requests[r] === 0n && c.undeclared.includes(r) ? DASH
        : `${showAmount(r, c.requests[r])}${c.requestFromLimit.includes(r) ? ' *(limit)*' : ''}`,
      c.limits[r] === undefined ? DASH : showAmount(r, c.limits[r]!),
    ]),
  ]);
  if (m.pod.overhead) {
    const overhead = m.pod.overhead;
    rows.push([`RuntimeClass ${m.pod.runtimeClass} overhead`, ...RESOURCES.flatMap((r) => [overhead[r] ? showAmount(r, overhead[r]!) : DASH, DASH])]);
  }
  rows.push(podRow('**pod**', m.pod));
  if (m.pod.podLevel) {
    const lvl = m.pod.podLevel;
    rows.push(['pod-level resources (replace the sum)', ...RESOURCES.flatMap((r) => [
      lvl.requests[r] !== undefined ? showAmount(r, lvl.requests[r]!) : DASH,
      lvl.limits[r] !== undefined ? showAmount(r, lvl.limits[r]!) : DASH,
    ])]);
  }
  if (m.worstPod) rows.push(podRow('**pod, worst case** (overwrite maximum)', m.worstPod));
  return table(head, head.map((_, i) => (i === 0 ? '---' : '--:')), rows);
}

function podRow(label: string, pod: PodShape): string[] {
  return [label, ...RESOURCES.flatMap((r) => [
    `**${showAmount(r, pod.request[r])}**`,
    pod.limit[r] === undefined ? 'unbounded' : `**${showAmount(r, pod.limit[r]!)}**`,
  ])];
}

/** The seed's trap, worked through with this manager's numbers: Σ capacity ÷ pod size is not what fits. */
function whyNotTheSum(model: BudgetModel, m: ManagerCapacity): string[] {
  const eligible = eligiblePools(m);
  const naive = m.naiveByLimits ?? m.naiveByRequests;
  if (eligible.length === 0 || naive === undefined) return [];
  const r = naive.binding as typeof RESOURCES[number];
  const pools = eligible.map((e) => model.pools[e.index]);
  const total = declaredTotal(pools, r)!;
  const label = RESOURCE_LABEL[r];
  const basis = m.naiveByLimits ? 'limits' : 'requests';
  const size = m.naiveByLimits ? m.pod.limit[r]! : m.pod.request[r];
  const lines = [M.whyNotHeading(code(`${showAmount(r, total)} / ${showAmount(r, size)} = ${naive.count}`)), ''];
  lines.push(M.whyNotExplained(label, basis));
  lines.push('');
  const WHY_POOLS = 10;
  for (const p of eligible.slice(0, WHY_POOLS)) {
    const per = (each: bigint | undefined, fit: NodeFit) => (p.free[r] !== undefined && each
      ? M.whyNotFloor({
        free: showFree(p.free, r),
        size: showAmount(r, each),
        quotient: p.free[r]! / each,
        binds: fit.binding !== r ? { resource: RESOURCE_LABEL[fit.binding], count: fit.count } : undefined,
      })
      : `**${fit.count}**`);
    const byLimits = p.byLimits && m.guaranteed !== undefined ? M.whyNotAtLimits(per(m.pod.limit[r], p.byLimits)) : '';
    lines.push(M.whyNotPool({
      pool: code(p.pool), nodes: p.nodes, free: showFree(p.free, r), label, byRequests: per(m.pod.request[r], p.byRequests), byLimits,
    }));
  }
  if (eligible.length > WHY_POOLS) lines.push(M.whyNotMorePools(eligible.length - WHY_POOLS));
  lines.push('');
  lines.push(M.whyNotConclusion({
    schedulable: m.schedulable, guaranteed: m.guaranteed, unbounded: m.guaranteedUnbounded, naive: naive.count,
  }));
  return lines;
}

function packingLines(e: CapacityEvaluation): string[] {
  const rows = e.nodes.map((g) => [
    code(g.pool),
    `${g.count}`,
    g.pods.length
      ? g.pods.map((p) => `${names(e.types[p.type].managers.map((i) => code(e.managers[i].path)), 2)} × ${p.count}`).join(', ')
      : 'none',
    DIMENSIONS.filter((d) => d === 'pods' || g.free[d] !== undefined).map((d) => `${RESOURCE_LABEL[d]} ${showFree(g.free, d)}`).join(', '),
  ]);
  return [
    M.packingIntro,
    '',
    ...table(['pool', 'nodes', 'job pods per node', 'free per node'], ['---', '--:', '---', '---'], groupRows(rows)),
    '',
    M.packingNote,
  ];
}

/** Text for Markdown outside code spans: `<node>` would otherwise vanish as an HTML tag. */
function prose(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function findingLines(findings: Finding[]): string[] {
  return findings.map((f) => `- **${f.severity} ${f.ruleId}** ${code(f.path)} ${code(f.field)}: ${prose(f.message)}<br>Fix: ${prose(f.fix)}`);
}

// ---------------------------------------------------------------------------------------------------------------
// JSON

function amountsJson(a: Amounts, keys: readonly string[] = RESOURCES): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const r of keys as Array<typeof RESOURCES[number]>) out[r] = a[r] === undefined ? null : quantityText(a[r]!);
  return out;
}

function fitJson(f: NodeFit | undefined) {
  return f === undefined ? null : { perNode: f.count, binding: f.binding };
}

function naiveJson(f: NodeFit | undefined) {
  return f === undefined ? null : { jobs: f.count, binding: f.binding };
}

function findingJson(f: Finding) {
  return { ruleId: f.ruleId, severity: f.severity, path: f.path, field: f.field, message: f.message, fix: f.fix };
}

function podJson(pod: PodShape) {
  return {
    containers: pod.containers.map((c) => ({
      name: c.name,
      init: c.init,
      field: c.field,
      requests: amountsJson(c.requests),
      limits: amountsJson(c.limits),
      requestsFromLimits: c.requestFromLimit,
    })),
    runtimeClass: pod.runtimeClass ?? null,
    overhead: pod.overhead ? amountsJson(pod.overhead) : null,
    requests: amountsJson(pod.request),
    limits: amountsJson(pod.limit),
    podLevel: pod.podLevel
      ? { requests: amountsJson(pod.podLevel.requests, ['cpu', 'memory']), limits: amountsJson(pod.podLevel.limits, ['cpu', 'memory']) }
      : null,
  };
}

/** Pod shapes of the report, each once: managers refer to them by index. */
class PodIndex {
  public readonly pods: Array<ReturnType<typeof podJson>> = [];
  private readonly byKey = new Map<string, number>();

  of(pod: PodShape): number {
    const json = podJson(pod);
    const key = JSON.stringify(json);
    let index = this.byKey.get(key);
    if (index === undefined) {
      index = this.pods.length;
      this.pods.push(json);
      this.byKey.set(key, index);
    }
    return index;
  }
}

function managerJson(m: ManagerCapacity, pods: PodIndex) {
  return {
    path: m.path,
    name: m.name,
    jobPod: m.jobPodPath,
    demand: {
      replicas: m.demand.replicas,
      concurrent: m.demand.concurrent,
      limit: m.demand.limit ?? null,
      slotsPerReplica: m.demand.slotsPerReplica,
      cappedBy: m.demand.cappedBy,
      maxSurge: m.demand.maxSurge,
      slots: m.demand.slots,
      surgeSlots: m.demand.surgeSlots,
    },
    pod: pods.of(m.pod),
    worstCasePod: m.worstPod ? pods.of(m.worstPod) : null,
    profile: m.profile,
    type: m.type,
    verdict: verdictOf(m),
    schedulable: capacityOf(m),
    schedulableAlone: m.schedulable,
    guaranteedByLimits: m.guaranteed ?? null,
    guaranteedByLimitsUnbounded: m.guaranteedUnbounded ?? null,
    worstCaseSchedulable: m.worstCaseSchedulable ?? null,
    naive: { byRequests: naiveJson(m.naiveByRequests), byLimits: naiveJson(m.naiveByLimits) },
    placed: m.placed,
    unplaced: m.unplaced,
  };
}

/** Per profile (managers alike in pod size and scheduling constraints), the per-pool view, once. */
function profilesJson(e: CapacityEvaluation) {
  const seen = new Map<number, ManagerCapacity>();
  for (const m of e.managers) if (!seen.has(m.profile)) seen.set(m.profile, m);
  return [...seen.values()].map((m) => {
    // Excluded pools are grouped by their reasons: a fleet of many pools repeats the same few.
    const excluded = new Map<string, { pools: string[]; reasons: string[]; excludedBy: string[] }>();
    for (const p of m.pools) {
      if (p.eligible) continue;
      const key = JSON.stringify([p.reasons, p.excludedBy]);
      const entry = excluded.get(key) ?? { pools: [], reasons: p.reasons, excludedBy: p.excludedBy };
      entry.pools.push(p.pool);
      excluded.set(key, entry);
    }
    // Eligible pools with the same fit are grouped too.
    const eligible = new Map<string, { pools: string[] }>();
    for (const p of eligiblePools(m)) {
      const fit = {
        reasons: p.reasons, nodes: p.nodes, byRequests: fitJson(p.byRequests), byLimits: fitJson(p.byLimits), worstCase: fitJson(p.worstCase),
      };
      const key = JSON.stringify(fit);
      const entry = eligible.get(key) ?? { pools: [], ...fit };
      entry.pools.push(p.pool);
      eligible.set(key, entry);
    }
    return { index: m.profile, eligible: [...eligible.values()], excluded: [...excluded.values()] };
  });
}

function renderJson(budgets: BudgetReportInput[], others: Finding[]) {
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    budgets: budgets.map(({ model, evaluation, findings }) => budgetJson(model, evaluation, findings, new PodIndex())),
    otherFindings: others.map(findingJson),
  };
}

function budgetJson(model: BudgetModel, evaluation: CapacityEvaluation, findings: Finding[], podIndex: PodIndex) {
  return ({
    path: model.path,
    cpuLimitOvercommitRatio: model.cpuLimitOvercommitRatio,
    pools: model.pools.map((p) => ({
      name: p.name,
      nodes: p.nodes,
      minNodes: p.minNodes ?? null,
      maxNodes: p.maxNodes ?? null,
      evaluatedNodes: p.maxNodes ?? p.nodes,
      declaredAs: p.declaredAs,
      declared: amountsJson(p.declared),
      reserved: amountsJson(p.reserved),
      allocatable: amountsJson(p.allocatable),
      daemonSets: { ...amountsJson(p.daemonSets), pods: p.daemonSetPods },
      maxPods: p.maxPods,
      free: { ...amountsJson(freeOf(p)), pods: p.maxPods - p.daemonSetPods },
      labels: sortedByKey(p.labels),
      taints: p.taints.map((t) => ({ key: t.key, value: t.value ?? null, effect: t.effect })),
      provisioningSeconds: p.provisioningSeconds ?? null,
    })),
    profiles: profilesJson(evaluation),
    types: evaluation.types.map((t) => ({
      managers: t.managers.map((i) => evaluation.managers[i].path),
      requests: amountsJson(t.request),
      pools: t.pools.map((i) => model.pools[i].name),
      demand: t.demand,
      placed: t.placed,
      spare: t.spare,
    })),
    placement: {
      status: evaluation.placement.status,
      components: evaluation.placement.components.map((c) => ({
        types: c.types,
        pools: c.pools.map((i) => model.pools[i].name),
        status: c.status,
        method: c.method,
        proof: c.proof ?? null,
        searchSteps: c.work,
      })),
    },
    managers: evaluation.managers.map((m) => managerJson(m, podIndex)),
    pods: podIndex.pods,
    nodes: evaluation.nodes.map((g) => ({
      pool: g.pool,
      count: g.count,
      pods: g.pods.map((p) => ({ manager: evaluation.managers[p.manager].path, type: p.type, perNode: p.count })),
      free: { ...amountsJson(g.free), pods: Number(g.free.pods) },
    })),
    findings: findings.map(findingJson),
  });
}
