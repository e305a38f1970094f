/** @internal What a synth prints about its output directory. */
export const CLI_OUTPUT_MESSAGES = {
  cliReportsMissing: (outdir: string): string => `(cdk8s synth reports the missing ${outdir} next and exits with code 1.)\n`,
  /** `files`: the paths written, relative to the working directory. */
  wrote: (files: string[]): string => `Wrote ${files.length} file(s):\n${files.map((f) => `  - ${f}\n`).join('')}`,
};
