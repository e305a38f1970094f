import { writeFileSync } from 'fs';
import { join } from 'path';
import { App } from 'cdk8s';
import { IConstruct } from 'constructs';
import { reportCapacityOutcome } from './capacity-refusal';
import { listWritten, markRefused } from './cli-output';
import { FLEET_SYNTH_MESSAGES as M } from './fleet-synth.messages';
import { reviewFiles } from './review-files';
import { writeAtomically } from '../internal/output/atomic-output';
import { withFastManifestWriter } from '../internal/render/fast-yaml';
import { requoteManifests } from '../internal/render/yaml';
import { FindingSource, isFindingSource, withCheckedFindings } from '../internal/rules/finding-sources';
import { identityFindings, refreshObjectIdentity } from '../internal/rules/identity';
import { SYNTH_RULES } from '../internal/rules/synth';
import { _isIncomplete, _propErrorsOf } from '../internal/validate/prop-errors';
import { ExtraFile } from '../model/extra-file';
import { Finding, FleetConfigError, Severity } from '../model/finding';

/**
 * The outcome of `FleetSynth.synth`.
 */
export interface FleetSynthResult {
  /** Whether the manifests and review files were written. */
  readonly written: boolean;
  /** Every error and warning found, errors first. */
  readonly findings: Finding[];
}

/**
 * Synthesizes a fleet the way a pipeline wants it: every error listed at once (nothing is written then), warnings
 * printed, and the review files (config.toml per manager, reports) written beside the manifests.
 */
export class FleetSynth {
  /**
   * All findings of the constructs under `app`: errors first, then warnings, each group in construct order.
   */
  public static findings(app: App): Finding[] {
    return checkAll(app).findings;
  }

  /**
   * Checks the fleet, prints findings to stderr, and writes the manifests and review files when there is no error,
   * listing every file written (on stdout; on stderr under `cdk8s synth`, which swallows the app's stdout). Sets a
   * non-zero `process.exitCode` on errors, without a stack trace; under `cdk8s synth` a refusal leaves the exit code
   * to the CLI, which fails on the output directory it finds missing without printing a stack trace of its own.
   */
  public static synth(app: App): FleetSynthResult {
    const { checked, findings } = checkAll(app);
    const errors = findings.filter((f) => f.severity === Severity.ERROR);
    for (const w of findings.filter((f) => f.severity !== Severity.ERROR)) process.stderr.write(`${M.warningLine(w)}\n`);
    reportCapacityOutcome(app, findings);
    if (errors.length > 0) {
      process.stderr.write(M.refusedErrors(errors.length));
      for (const e of errors) process.stderr.write(`${M.errorLine(e)}\n`);
      markRefused(app.outdir);
      return { written: false, findings };
    }
    const files = reviewFiles(app.node.findAll(), findings);
    const clashes = fileNameClashes(files);
    if (clashes.length > 0) {
      process.stderr.write(M.refusedErrors(clashes.length));
      for (const e of clashes) process.stderr.write(`${M.errorLine(e)}\n`);
      markRefused(app.outdir);
      return { written: false, findings: [...clashes, ...findings] };
    }
    // Manifests and review files go into a staging directory that replaces the output directory only when complete.
    const outdir = app.outdir;
    // A review file is rendered as it is written; a renderer that throws is not a failed write, and throws from here.
    let renderFailure: { error: unknown } | undefined;
    const outcome = writeAtomically(outdir, (staging) => {
      const writable = app as { outdir: string };
      writable.outdir = staging;
      const needNoQuoting = new Set<string>();
      try {
        withCheckedFindings(checked, () => withFastManifestWriter(() => app.synth(), needNoQuoting));
      } finally {
        writable.outdir = outdir;
      }
      requoteManifests(staging, app.outputFileExtension, needNoQuoting);
      for (const { file } of files) {
        let content: string;
        try {
          content = file.content;
        } catch (error) {
          renderFailure = { error };
          throw error;
        }
        writeFileSync(join(staging, file.fileName), content);
      }
    });
    if (renderFailure !== undefined) throw renderFailure.error;
    if (!outcome.ok) {
      const reason = outcome.error === undefined ? undefined : `${(outcome.error as Error)?.message ?? outcome.error}`;
      // Failed: a system call did (a full disk, a permission). Refused: the output directory is not one to replace, or
      // the app's own validation failed.
      const systemError = typeof (outcome.error as { syscall?: unknown } | undefined)?.syscall === 'string';
      const refused = outcome.stage === 'refused' || (outcome.stage === 'write' && !systemError);
      process.stderr.write(M.writeFailed(refused, outcome.message, reason));
      process.exitCode = 1;
      return { written: false, findings };
    }
    if (outcome.warning !== undefined) process.stderr.write(`${M.writeWarning(outcome.warning)}\n`);
    listWritten(outdir);
    return { written: true, findings };
  }

  /**
   * The findings an error of this library carries: one per invalid prop when `previewPod()` or `helmValues()` of a
   * construct with prop errors threw it, none for any other error. (The error's class is not exported: jsii cannot
   * export a class that extends `Error`, so other languages catch it as a plain error and ask here.)
   *
   * @param error what was caught
   */
  public static findingsOfError(error: any): Finding[] {
    return error instanceof FleetConfigError ? [...error.findings] : [];
  }

  /**
   * Prints an error thrown while the fleet was being declared (an invalid prop) without a stack trace, and sets a
   * non-zero exit code. Errors of other kinds are printed in full: they are bugs, not bad input.
   */
  public static reportError(error: any): void {
    if (error instanceof FleetConfigError) {
      process.stderr.write(`${M.refusedOnDeclaration}${error.findings.map(M.errorLine).join('\n')}\n`);
    } else {
      process.stderr.write(`${error?.stack ?? error}\n`);
    }
    process.exitCode = 1;
  }
}

/**
 * The prop errors of every construct under `app` and the findings of every checking construct that was built, in
 * construct order, errors first; `checked` keeps each source's findings for its node validation during app.synth().
 */
function checkAll(app: App): { checked: Map<FindingSource, Finding[]>; findings: Finding[] } {
  const checked = new Map<FindingSource, Finding[]>();
  const all: Finding[] = [];
  // The object clashes of the whole app, found in one walk for every owner below.
  refreshObjectIdentity(app);
  for (const c of app.node.findAll()) {
    all.push(..._propErrorsOf(c));
    // A construct left unbuilt by prop errors (its own or a dependency's) has nothing more to check.
    if (_isIncomplete(c)) continue;
    all.push(...identityFindings(c));
    if (!isFindingSource(c)) continue;
    const own = c._findings();
    checked.set(c, own);
    all.push(...own);
  }
  return { checked, findings: errorsFirst(all) };
}

/** Errors first; a warning gives way to an error of the same rule about the same field (e.g. HELM001 for a release). */
function errorsFirst(all: Finding[]): Finding[] {
  const errors = all.filter((f) => f.severity === Severity.ERROR);
  const key = (f: Finding) => `${f.ruleId}\u0000${f.path}\u0000${f.field}`;
  const erred = new Set(errors.map(key));
  return [...errors, ...all.filter((f) => f.severity !== Severity.ERROR && !erred.has(key(f)))];
}

/** Two review files of one name would overwrite each other in dist/ (e.g. two managers named alike in two namespaces). */
function fileNameClashes(files: Array<{ source: IConstruct; file: ExtraFile }>): Finding[] {
  const firstByName = new Map<string, IConstruct>();
  const clashes: Finding[] = [];
  for (const { source, file } of files) {
    const first = firstByName.get(file.fileName);
    if (first === undefined) {
      firstByName.set(file.fileName, source);
      continue;
    }
    clashes.push({
      ruleId: SYNTH_RULES.fileNameClash.id,
      severity: Severity.ERROR,
      path: source.node.path,
      field: 'name',
      ...M.fileNameClash(file.fileName, first.node.path),
    });
  }
  return clashes;
}
