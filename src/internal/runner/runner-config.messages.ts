import type { Problem } from '../../model/problem';
import { show } from '../validate/validators';

// The wording of the checks of RunnerManager's `runnerConfig` escape hatch (runner-config.ts).

export const RUNNER_CONFIG_MESSAGES = {
  notMap: (value: unknown): Problem => ({
    message: `${show(value)} is not a map of [[runners]] keys.`,
    fix: 'give runnerConfig as an object, e.g. { output_limit: 16384 }.',
  }),
  owned: (key: string, prop: string): Problem => ({
    message: `[[runners]] key ${show(key)} is written by the construct; set ${prop} instead, so config.toml and the Helm values say the same.`,
    fix: `remove ${key} from runnerConfig and use the typed prop.`,
  }),
  notKubernetes: (key: string): Problem => ({
    message: `[[runners]] key ${show(key)} belongs to another executor or is written by register; `
      + 'this manager runs the Kubernetes executor and the runner would ignore it.',
    fix: 'remove it from runnerConfig.',
  }),
  /** `tablePath`: below `[[runners]]`, '' for that table itself. */
  unknown: (tablePath: string, key: string): Problem => ({
    message: `GitLab Runner has no ${`[runners${tablePath ? `.${tablePath}` : ''}]`} key ${show(key)}; it would silently ignore it.`,
    fix: 'check the spelling against the runner documentation (cache keys are CamelCase, the others snake_case).',
  }),
  credential: (key: string): Problem => ({
    message: `${key} is a credential; in runnerConfig it would be written in plain text to config.toml (a ConfigMap), the Helm values `
      + 'and the review files.',
    fix: 'give the runner its credentials through a Secret (IAM roles / Workload Identity need none: AuthenticationType iam), '
      + 'never in runnerConfig.',
  }),
  enumValue: (values: unknown[], key: string, allowed: readonly string[]): Problem => ({
    message: `${values.map(show).join(', ')} is not a value GitLab Runner accepts for ${key} (${allowed.join(', ')}).`,
    fix: `use one of ${allowed.map((a) => `'${a}'`).join(', ')}.`,
  }),
};
