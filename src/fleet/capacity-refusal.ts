import { existsSync, mkdirSync, readdirSync, rmSync, rmdirSync, writeFileSync } from 'fs';
import { join, resolve, sep } from 'path';
import { App } from 'cdk8s';
import { CAPACITY_REFUSAL_MESSAGES as M } from './capacity-refusal.messages';
import { capacityReportFiles } from './review-files';
import { ResourceBudget } from '../constructs/resource-budget';
import { eligiblePools, ManagerCapacity } from '../internal/capacity/evaluate';
import { REPORT_FILES } from '../internal/capacity/report';
import { _isIncomplete } from '../internal/validate/prop-errors';
import { Finding, Severity } from '../model/finding';

// The capacity report of a synth that says no. dist/ stays all-or-nothing, so the report goes to a directory beside
// it (`<outdir>-capacity-report/`, e.g. dist-capacity-report/), and the capacity section is printed with the refusal.
// A synth that passes removes that directory's report files, so a stale one never outlives its refusal.

/** The directory a refused synth writes its capacity report to: beside the output directory, never inside it. */
export function refusalReportDir(outdir: string): string {
  return `${resolve(outdir)}-capacity-report`;
}

/** How many managers that do not fit are listed on the terminal per budget; the report lists them all. */
const SHOWN = 20;

/**
 * After the checks of a synth: when it refuses (an error among `findings`) and the app has a budget, writes the full
 * capacity report beside the output directory and prints the capacity section; when it passes, removes a report a
 * refusal left there. Returns the directory written to, if any.
 */
export function reportCapacityOutcome(
  app: App, findings: Finding[], print: (text: string) => void = (t) => process.stderr.write(t),
): string | undefined {
  const dir = refusalReportDir(app.outdir);
  const refused = findings.some((f) => f.severity === Severity.ERROR);
  // A budget with prop errors has no capacity to report (its errors are among the findings).
  const budgets = app.node.findAll().filter((c): c is ResourceBudget => c instanceof ResourceBudget && !_isIncomplete(c));
  if (!refused || budgets.length === 0) {
    for (const name of Object.values(REPORT_FILES)) rmSync(join(dir, name), { force: true });
    if (existsSync(dir) && readdirSync(dir).length === 0) rmdirSync(dir);
    return undefined;
  }
  const files = capacityReportFiles(budgets, findings);
  mkdirSync(dir, { recursive: true });
  for (const file of files) writeFileSync(join(dir, file.fileName), file.content);
  const lines: string[] = ['', M.heading];
  for (const b of budgets) {
    const { evaluation } = b._evaluate();
    const managers = evaluation.managers;
    const short = managers.filter((m) => m.unplaced > 0 || !eligiblePools(m).some((p) => p.byRequests.count > 0));
    const slots = managers.reduce((s, m) => s + m.demand.slots, 0);
    const placed = managers.reduce((s, m) => s + m.placed, 0);
    lines.push(M.budget({
      path: b.node.path, managers: managers.length, slots, placed, short: short.length, placement: evaluation.placement.status,
    }));
    for (const m of short.slice(0, SHOWN)) lines.push(`    ${summary(m)}`);
    if (short.length > SHOWN) lines.push(M.more(short.length - SHOWN));
  }
  lines.push(M.fullReport(`${dir}${sep}`));
  print(`${lines.join('\n')}\n`);
  return dir;
}

function summary(m: ManagerCapacity): string {
  const d = m.demand;
  if (eligiblePools(m).length === 0) return M.noEligiblePool(m.path, d.slots);
  if (!eligiblePools(m).some((p) => p.byRequests.count > 0)) return M.fitsNoNode(m.path, d.slots);
  return M.pending({ path: m.path, slots: d.slots, placed: m.placed, unplaced: m.unplaced, schedulable: m.schedulable });
}
