import { Finding, formatFinding } from '../model/finding';
import type { Problem } from '../model/problem';

/** @internal What FleetSynth prints on stderr, and the error of two review files of one name. */
export const FLEET_SYNTH_MESSAGES = {
  /** One finding per line, after its severity and rule id. */
  warningLine: (f: Finding): string => `warning ${f.ruleId} ${formatFinding(f)}`,
  errorLine: (f: Finding): string => `error ${f.ruleId} ${formatFinding(f)}`,
  /** `warning`: what the atomic write warns of. */
  writeWarning: (warning: string): string => `warning ${warning}`,
  refusedErrors: (count: number): string => `\nSynth refused: ${count} error(s); nothing was written.\n`,
  refusedOnDeclaration: 'Synth refused; nothing was written.\n',
  /** `refused`: the output was refused (else writing failed); `reason`: the error's message, if there was one. */
  writeFailed: (refused: boolean, message: string, reason: string | undefined): string =>
    `\nSynth ${refused ? 'refused' : 'failed while writing'}; nothing was written: ${message}.\n${reason === undefined ? '' : `${reason}\n`}`,
  fileNameClash: (fileName: string, first: string): Problem => ({
    message: `its review file ${fileName} has the same name as the one of ${first}; one would overwrite the other.`,
    fix: 'give the two constructs different names.',
  }),
};
