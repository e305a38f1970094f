import type { Problem } from '../../model/problem';
import { show } from '../validate/validators';

// The wording of the runner-version findings (src/internal/rules/version.ts decides when they apply).

/** @internal */
export const VERSION_MESSAGES = {
  /** VER001: a config.toml key or feature flag the runner version does not know. */
  unknownKey: (p: { version: string; image: string; keyPath: string; since: string; field: string }): Problem => ({
    message: `GitLab Runner ${p.version} (the manager's image ${show(p.image)}) does not know config.toml key '${p.keyPath}', `
      + `added in ${p.since}: it ignores the setting without a word.`,
    fix: `run GitLab Runner ${p.since} or newer (an image tagged v${p.since} or later, and the matching helper), or drop ${p.field}.`,
  }),
  flagNotYet: (p: { version: string; flag: string; since: string }): Problem => ({
    message: `GitLab Runner ${p.version} has no feature flag ${p.flag} (added in ${p.since}): it ignores it without a word.`,
    fix: `run GitLab Runner ${p.since} or newer, or drop the flag.`,
  }),
  flagRemoved: (p: { version: string; flag: string; removedIn: string }): Problem => ({
    message: `GitLab Runner ${p.version} has no feature flag ${p.flag} any more (removed in ${p.removedIn}): it ignores it without a word.`,
    fix: 'drop the flag; its behaviour is now fixed.',
  }),
  /** VER002: a deprecated feature flag. */
  flagDeprecated: (p: { flag: string; since: string; version: string }): Problem => ({
    message: `feature flag ${p.flag} is deprecated since GitLab Runner ${p.since} (this manager runs ${p.version}).`,
    fix: 'drop the flag, or plan for its removal.',
  }),
  /** VER003: a helper image of another release, or of none. */
  helperVersion: (p: { image: string; helperVersion?: string; version: string; managerPath: string }): Problem => ({
    message: p.helperVersion === undefined
      ? `the helper image ${show(p.image)} names no version in its tag, so nothing shows it matches GitLab Runner ${p.version} of ${p.managerPath}.`
      : `the helper image ${show(p.image)} is of GitLab Runner ${p.helperVersion}, but ${p.managerPath} runs ${p.version}.`,
    fix: `use the helper of ${p.version}, e.g. tag x86_64-v${p.version} (the arch of the job nodes), or leave helper.image out.`,
  }),
};
