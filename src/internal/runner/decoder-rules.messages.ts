import type { Problem } from '../../model/problem';
import { show } from '../validate/validators';

// The wording of what GitLab Runner's config decoding refuses beyond a value's type (decoder-rules.ts).

export const DECODER_RULES_MESSAGES = {
  integerRange: (value: number, key: string, type: string, min: number, max: number): Problem => ({
    message: `${value} is out of range for ${key}, an ${type} in GitLab Runner (${min} to ${max}); `
      + 'its TOML decoder refuses the whole config.toml, so the manager does not start.',
    fix: `give a whole number from ${min} to ${max}.`,
  }),
  requiredFields: (missing: readonly string[], path: string, required: readonly string[]): Problem => ({
    message: `the entry has no ${missing.join(', ')}; GitLab Runner's decoder for ${path} requires ${required.join(', ')} `
      + `and refuses the whole config.toml ("missing required fields: ${missing.join(', ')}"), so the manager does not start.`,
    fix: `give ${missing.map((f) => `${f}`).join(', ')}, `
      + "e.g. { name: 'cache', mount_path: '/cache', server: 'nfs.example.com', path: '/exports/cache' }.",
  }),
  otherCase: (key: string, table: string, canonical: string): Problem => ({
    message: `${show(key)} is read by GitLab Runner as the ${table} key ${show(canonical)} (its TOML decoder matches keys case-insensitively), `
      + "but this library checks and renders keys in the runner's spelling only.",
    fix: `write it ${show(canonical)}.`,
  }),
  nanoseconds: (value: number): Problem => ({
    message: `${value} is a bare number: GitLab Runner decodes it without error, but it would be read as ${value} nanoseconds `
      + '(a time.Duration), surely not what was meant.',
    fix: "give a Go duration string, e.g. '5m'.",
  }),
};
