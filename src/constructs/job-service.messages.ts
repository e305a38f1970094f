import { PROP_MESSAGES } from './props.messages';
import { show } from '../internal/validate/validators';
import type { Problem } from '../model/problem';

/** What the runner does with an invalid alias. */
const ALIAS_FAILS_JOBS = 'is not a DNS-1123 label; the runner fails every job with an invalid alias.';

/** @internal The wording of JobService's prop errors. */
export const SERVICE_MESSAGES = {
  notImage: (image: unknown): Problem => ({
    message: PROP_MESSAGES.notImageReference(image),
    fix: "give an image such as 'postgres:16' or 'registry.example.com/docker:dind'.",
  }),
  badAlias: (alias: unknown): Problem => ({
    message: `${show(alias)} ${ALIAS_FAILS_JOBS}`,
    fix: "use lower-case letters, digits and '-', starting and ending with a letter or digit, at most 63 characters (e.g. 'docker').",
  }),
  /** One bad alias of several. */
  badAliasOf: (bad: string, aliases: unknown): Problem => ({
    message: `${show(bad)} of the aliases ${show(aliases)} ${ALIAS_FAILS_JOBS}`,
    fix: "give each alias as lower-case letters, digits and '-', separated by commas or spaces (e.g. 'db,postgres').",
  }),
  notArguments: (args: unknown, field: string): Problem => ({
    message: `${show(args)} is not a list of arguments.`,
    fix: `give ${field} as an array of strings, e.g. ['--port', '5432'].`,
  }),
  argumentNotString: (arg: unknown): Problem => ({
    message: `${show(arg)} is not a string; config.toml takes arguments as strings.`,
    fix: PROP_MESSAGES.asStringFix(arg),
  }),
  notVariables: (env: unknown): Problem => ({ message: `${show(env)} is not a map of variables.`, fix: "give { NAME: 'value' }." }),
};
