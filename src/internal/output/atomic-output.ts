import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'fs';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'path';
import { ATOMIC_OUTPUT_MESSAGES as M } from './atomic-output.messages';

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
    rmSync(dir, { recursive: true, force: true });
  } catch {
    // The next synth removes leftovers of this one.
  }
}

/** Staging and set-aside directories of `outdir` (from this or an interrupted synth): `.<name>.synth-*`, `.<name>.previous-*`. */
function leftovers(outdir: string): string[] {
  const parent = dirname(outdir);
  const prefix = `.${basename(outdir)}`;
  if (!existsSync(parent)) return [];
  return readdirSync(parent)
    .filter((name) => name.startsWith(`${prefix}${STAGING}`) || name.startsWith(`${prefix}${PREVIOUS}`))
    .map((name) => join(parent, name));
}

/**
 * Why `outdir` must not be replaced as a whole, if it must not: it is the working directory or one of its parents,
 * holds a `.git`, or holds something other than files and folders of files (what cdk8s and FleetSynth write).
 */
export function notAnOutputDirectory(outdir: string): string | undefined {
  const absolute = resolve(outdir);
  const fromHere = relative(absolute, process.cwd());
  if (!fromHere.startsWith('..') && !isAbsolute(fromHere)) return M.workingDirectory;
  if (!existsSync(absolute)) return undefined;
  const stat = lstatSync(absolute);
  if (stat.isSymbolicLink()) return M.symbolicLink;
  if (!stat.isDirectory()) return M.notADirectory;
  for (const entry of readdirSync(absolute, { withFileTypes: true })) {
    if (entry.name === '.git') return M.holdsGit;
    if (entry.isFile()) continue;
    if (!entry.isDirectory()) return M.holdsSpecial(entry.name);
    const inner = readdirSync(join(absolute, entry.name), { withFileTypes: true });
    const odd = inner.find((e) => !e.isFile());
    if (odd) return M.holdsNested(join(entry.name, odd.name));
  }
  return undefined;
}

/**
 * Runs `write` with a fresh staging directory, then makes that directory `outdir`. On any failure `outdir` is left as
 * it was, and the outcome says at which stage it failed.
 */
export function writeAtomically(outdir: string, write: (staging: string) => void): AtomicOutcome {
  const target = resolve(outdir);
  const unsafe = notAnOutputDirectory(target);
  if (unsafe !== undefined) {
    return {
      ok: false,
      stage: 'refused',
      error: undefined,
      message: M.refused(outdir, unsafe),
    };
  }
  const parent = dirname(target);
  let staging: string | undefined;
  try {
    for (const old of leftovers(target)) rmSync(old, { recursive: true, force: true });
    mkdirSync(parent, { recursive: true });
    staging = mkdtempSync(join(parent, `.${basename(target)}${STAGING}`));
    write(staging);
  } catch (error) {
    if (staging !== undefined) removeQuietly(staging);
    return { ok: false, stage: 'write', error, message: M.unchanged(outdir) };
  }
  const previous = `${staging.replace(`${STAGING}`, PREVIOUS)}`;
  const hadPrevious = existsSync(target);
  try {
    if (hadPrevious) renameSync(target, previous);
  } catch (error) {
    removeQuietly(staging);
    return { ok: false, stage: 'swap', error, message: M.unchanged(outdir) };
  }
  try {
    renameSync(staging, target);
  } catch (error) {
    let message = M.unchanged(outdir);
    try {
      if (hadPrevious) renameSync(previous, target);
    } catch {
      message = M.notRestored(outdir, previous);
    }
    removeQuietly(staging);
    return { ok: false, stage: 'swap', error, message };
  }
  try {
    if (hadPrevious) rmSync(previous, { recursive: true, force: true });
  } catch (error) {
    return { ok: true, warning: M.previousKept(previous, (error as Error).message) };
  }
  return { ok: true };
}
