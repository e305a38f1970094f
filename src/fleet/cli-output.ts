import { existsSync, readdirSync } from 'fs';
import { join, relative } from 'path';
import { CLI_OUTPUT_MESSAGES as M } from './cli-output.messages';

// Running under the cdk8s CLI (`cdk8s synth`): the CLI sets CDK8S_OUTDIR for the app, swallows the app's stdout and
// lists only the *.k8s.yaml files it finds. When the app exits non-zero it rejects with an Error whose stack it prints
// below the library's clean refusal; when the app exits 0 but its output directory is missing, it prints
// `ERROR: synthesis failed, app expected to create "<outdir>"` and exits 1 itself, without a stack trace (cdk8s-cli
// lib/util.js synthApp). A refused FleetSynth writes nothing, so under the CLI it leaves the exit code to the CLI
// exactly when the directory the CLI expects is absent; everywhere else it sets process.exitCode = 1.

/** @internal Whether the app runs under `cdk8s synth` (the CLI passes the output directory in CDK8S_OUTDIR). */
export function underCdk8sCli(): boolean {
  return (process.env.CDK8S_OUTDIR ?? '') !== '';
}

/**
 * @internal Marks a refused synth: process.exitCode = 1, except under the cdk8s CLI when `outdir` does not exist,
 * where the CLI fails the synth itself (exit code 1, its own one-line error) instead of printing a stack trace.
 */
export function markRefused(outdir: string): void {
  if (underCdk8sCli() && !existsSync(outdir)) {
    process.stderr.write(M.cliReportsMissing(outdir));
    return;
  }
  process.exitCode = 1;
}

/**
 * @internal Lists every file a synth wrote, relative to the working directory: on stdout, or on stderr under the cdk8s
 * CLI, which swallows the app's stdout and lists only the manifests.
 */
export function listWritten(outdir: string): void {
  const files = filesUnder(outdir).map((f) => relative(process.cwd(), f)).sort();
  (underCdk8sCli() ? process.stderr : process.stdout).write(M.wrote(files));
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : e.isFile() ? [join(dir, e.name)] : []));
}
