// The wording of the atomic output's outcomes (src/internal/output/atomic-output.ts): why an output directory is not
// replaced, and what state a failed or half-done swap left it in.

export const ATOMIC_OUTPUT_MESSAGES = {
  /** Why a directory must not be replaced as a whole (notAnOutputDirectory). */
  workingDirectory: 'it is the working directory or one of its parents',
  symbolicLink: 'it is a symbolic link, which the swap would replace rather than the directory it points to',
  notADirectory: 'it is not a directory',
  holdsGit: 'it holds a .git',
  holdsSpecial: (name: string): string => `it holds ${name}, which is neither a file nor a folder`,
  holdsNested: (name: string): string => `it holds ${name}, which is not a file of a chart folder`,

  /** The outcomes. */
  refused: (outdir: string, unsafe: string): string => `${outdir} is not replaced: ${unsafe}. FleetSynth replaces its output `
    + 'directory as a whole; give the App an outdir of its own (e.g. dist).',
  unchanged: (outdir: string): string => `${outdir} is unchanged`,
  notRestored: (outdir: string, previous: string): string =>
    `${outdir} could not be restored; the previous output is complete in ${previous}`,
  previousKept: (previous: string, error: string): string => `the previous output could not be removed from ${previous}: ${error}`,
};
