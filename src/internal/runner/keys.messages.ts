import type { Problem } from '../../model/problem';
import { show } from '../validate/validators';

// The wording of the checks of `[runners.kubernetes]` escape-hatch keys and their values (keys.ts). `noun` and
// `example` come from the key kinds' table there.

export const KEYS_MESSAGES = {
  wrongType: (value: unknown, noun: string, example: string): Problem => ({
    message: `${show(value)} is not ${noun}; GitLab Runner cannot decode it and refuses to load config.toml, so the manager does not start.`,
    fix: `give ${noun}, e.g. ${example}.`,
  }),
  unknownKey: (table: string, key: string): Problem => ({
    message: `GitLab Runner has no ${table} key ${show(key)}; it would silently ignore it.`,
    fix: 'check the spelling against the runner documentation (keys are snake_case).',
  }),
  enumValue: (values: unknown[], key: string, allowed: readonly string[]): Problem => ({
    message: `${values.map(show).join(', ')} is not a value GitLab Runner accepts for ${key} (${allowed.join(', ')}); `
      + 'it drops the setting or the job pod is rejected.',
    fix: `use one of ${allowed.map((a) => `'${a}'`).join(', ')}.`,
  }),
};
