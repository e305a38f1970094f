import * as fs from 'fs';
import * as path from 'path';

// One synth's output replaces the previous one as a whole, or not at all. Everything is written into a staging
// directory beside the output directory (same parent, so the same file system) and swapped in by two renames: the
// previous output aside, the staging directory in its place. A failure while writing leaves the previous output
// exactly as it was; files a previous synth wrote and this one does not are gone after the swap; a synth killed while
// writing leaves only a staging directory, which the next synth removes. Killed between the two renames (two system
// calls), the output directory is absent and the complete previous one is beside it, never a mix of two synths.

/** The outcome of an atomic write. */
export type AtomicOutcome =
  | { readonly ok: true; readonly warning?: string }
  | { readonly ok: false; readonly error: unknown; readonly stage: 'refused' | 'write' | 'swap'; readonly message: string };

const STAGING = '.synth-';
const PREVIOUS = '.previous-';

/** Removes a directory of ours, ignoring a failure: the outcome reports the error that matters. */
function removeQuietly(dir: string): void {
  try {
    fs.rmSync(dir, { recursive: true, force: true });
  } catch {
    // The next synth removes leftovers of this one.
  }
}

/** Staging and set-aside directories of `outdir` (from this or an interrupted synth): `.<name>.synth-*`, `.<name>.previous-*`. */
function leftovers(outdir: string): string[] {
  const parent = path.dirname(outdir);
  const prefix = `.${path.basename(outdir)}`;
  if (!fs.existsSync(parent)) return [];
  return fs.readdirSync(parent)
    .filter((name) => name.startsWith(`${prefix}${STAGING}`) || name.startsWith(`${prefix}${PREVIOUS}`))
    .map((name) => path.join(parent, name));
}

/**
 * Why `outdir` must not be replaced as a whole, if it must not: it is the working directory or one of its parents,
 * holds a `.git`, or holds something other than files and folders of files (what cdk8s and FleetSynth write).
 */
export function notAnOutputDirectory(outdir: string): string | undefined {
  const absolute = path.resolve(outdir);
  const fromHere = path.relative(absolute, process.cwd());
  if (!fromHere.startsWith('..') && !path.isAbsolute(fromHere)) return 'it is the working directory or one of its parents';
  if (!fs.existsSync(absolute)) return undefined;
  const stat = fs.lstatSync(absolute);
  if (stat.isSymbolicLink()) return 'it is a symbolic link, which the swap would replace rather than the directory it points to';
  if (!stat.isDirectory()) return 'it is not a directory';
  for (const entry of fs.readdirSync(absolute, { withFileTypes: true })) {
    if (entry.name === '.git') return 'it holds a .git';
    if (entry.isFile()) continue;
    if (!entry.isDirectory()) return `it holds ${entry.name}, which is neither a file nor a folder`;
    const inner = fs.readdirSync(path.join(absolute, entry.name), { withFileTypes: true });
    const odd = inner.find((e) => !e.isFile());
    if (odd) return `it holds ${path.join(entry.name, odd.name)}, which is not a file of a chart folder`;
  }
  return undefined;
}

/**
 * Runs `write` with a fresh staging directory, then makes that directory `outdir`. On any failure `outdir` is left as
 * it was, and the outcome says at which stage it failed.
 */
export function writeAtomically(outdir: string, write: (staging: string) => void): AtomicOutcome {
  const target = path.resolve(outdir);
  const unsafe = notAnOutputDirectory(target);
  if (unsafe !== undefined) {
    return {
      ok: false,
      stage: 'refused',
      error: undefined,
      message: `${outdir} is not replaced: ${unsafe}. FleetSynth replaces its output directory as a whole; give the App an outdir of its own (e.g. dist).`,
    };
  }
  const parent = path.dirname(target);
  let staging: string | undefined;
  try {
    for (const old of leftovers(target)) fs.rmSync(old, { recursive: true, force: true });
    fs.mkdirSync(parent, { recursive: true });
    staging = fs.mkdtempSync(path.join(parent, `.${path.basename(target)}${STAGING}`));
    write(staging);
  } catch (error) {
    if (staging !== undefined) removeQuietly(staging);
    return { ok: false, stage: 'write', error, message: `${outdir} is unchanged` };
  }
  const previous = `${staging.replace(`${STAGING}`, PREVIOUS)}`;
  const hadPrevious = fs.existsSync(target);
  try {
    if (hadPrevious) fs.renameSync(target, previous);
  } catch (error) {
    removeQuietly(staging);
    return { ok: false, stage: 'swap', error, message: `${outdir} is unchanged` };
  }
  try {
    fs.renameSync(staging, target);
  } catch (error) {
    let message = `${outdir} is unchanged`;
    try {
      if (hadPrevious) fs.renameSync(previous, target);
    } catch {
      message = `${outdir} could not be restored; the previous output is complete in ${previous}`;
    }
    removeQuietly(staging);
    return { ok: false, stage: 'swap', error, message };
  }
  try {
    if (hadPrevious) fs.rmSync(previous, { recursive: true, force: true });
  } catch (error) {
    return { ok: true, warning: `the previous output could not be removed from ${previous}: ${(error as Error).message}` };
  }
  return { ok: true };
}
