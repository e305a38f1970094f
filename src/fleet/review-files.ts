import { IConstruct } from 'constructs';
import { JobPodTemplate } from '../constructs/job-pod-template';
import { ResourceBudget } from '../constructs/resource-budget';
import { REPORT_FILES, renderCapacityReports } from '../internal/capacity/report';
import { JOB_POD_PREVIEW_FILE, renderPreviewFile } from '../internal/render/job-pod';
import type { ExtraFile } from '../model/extra-file';
import type { Finding } from '../model/finding';

/** @internal A construct that contributes review files of its own to dist/ (a RunnerManager: its config.toml). */
export interface FileSource extends IConstruct {
  _extraFiles(findings: Finding[]): ExtraFile[];
}

function isFileSource(c: IConstruct): c is FileSource {
  return typeof (c as Partial<FileSource>)._extraFiles === 'function';
}

/** @internal One review file and the construct it is written for (named when two files clash). */
export interface ReviewFile {
  readonly source: IConstruct;
  readonly file: ExtraFile;
}

/**
 * @internal The review files of the fleet, assembled once, in construct order: each source's own files, the job pod
 * preview of every template (at the first template, from the managers registered with each) and the capacity report
 * of every budget (at the first budget).
 */
export function reviewFiles(all: IConstruct[], findings: Finding[]): ReviewFile[] {
  const templates = all.filter((c): c is JobPodTemplate => c instanceof JobPodTemplate);
  const budgets = all.filter((c): c is ResourceBudget => c instanceof ResourceBudget);
  const out: ReviewFile[] = [];
  for (const source of all) {
    if (isFileSource(source)) out.push(...source._extraFiles(findings).map((file) => ({ source, file })));
    if (source === templates[0]) {
      out.push({ source, file: renderedWhenRead(JOB_POD_PREVIEW_FILE, () => renderPreviewFile(templates.flatMap((t) => t._previewEntries()))) });
    }
    if (source === budgets[0]) out.push(...lazyCapacityReportFiles(budgets, findings).map((file) => ({ source, file })));
  }
  return withNamespaces(out);
}

/** A file whose content is rendered on every read of it (FleetSynth reads it once, to write it). */
function renderedWhenRead(fileName: string, render: () => string): ExtraFile {
  return { fileName, get content() { return render(); } };
}

/** The capacity report's files, rendered together when the first of them is read. */
function lazyCapacityReportFiles(budgets: ResourceBudget[], findings: Finding[]): ExtraFile[] {
  let rendered: ExtraFile[] | undefined;
  return [REPORT_FILES.markdown, REPORT_FILES.json, REPORT_FILES.svg].map((fileName) => renderedWhenRead(fileName, () => {
    rendered ??= capacityReportFiles(budgets, findings);
    return rendered.find((f) => f.fileName === fileName)!.content;
  }));
}

/**
 * Two managers of one name in two namespaces would write review files of one name: each of those files is named
 * `<namespace>.<file>` instead (names and namespaces hold no dot, so these never collide; files that do not clash keep
 * their names).
 */
function withNamespaces(files: ReviewFile[]): ReviewFile[] {
  const count = new Map<string, number>();
  for (const { file } of files) count.set(file.fileName, (count.get(file.fileName) ?? 0) + 1);
  return files.map((f) => {
    const namespace = (f.source as { namespace?: unknown }).namespace;
    return count.get(f.file.fileName)! > 1 && typeof namespace === 'string'
      ? { source: f.source, file: renderedWhenRead(`${namespace}.${f.file.fileName}`, () => f.file.content) }
      : f;
  });
}

/** @internal The capacity report (Markdown, JSON, SVG) covering every budget, in construct order. */
export function capacityReportFiles(budgets: ResourceBudget[], findings: Finding[]): ExtraFile[] {
  return renderCapacityReports(budgets.map((b) => ({ ...b._evaluate(), model: b._toModel() })), findings);
}
