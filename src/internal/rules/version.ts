import { CatalogueRule, problemHit, RuleHit } from './core';
import { runnerConfigField } from './manager-pod';
import { VERSION_MESSAGES as M } from './version.messages';
import { Severity } from '../../model/finding';
import { OWNED_KEYS } from '../../model/job-pod';
import { SCHEDULING_KEYS } from '../../model/job-scheduling';
import type { ManagerModel } from '../../model/manager';
import { configTable } from '../render/config-toml';
import { typedOrigin } from '../render/job-volumes';
import { featureFlagStatus, helperImageVersion, keysUnknownTo, UnknownKey } from '../runner/version';

// Rules about the GitLab Runner version a manager runs (RunnerManagerProps.runnerVersion or its image tag): a key or
// feature flag that version does not know is ignored by it without a word, and the helper must be of the same release.

const KUBERNETES = 'runners[0].kubernetes.';
const RESOURCE_PROP: Record<string, string> = { '': 'buildResources', 'helper_': 'helper.resources', 'service_': 'serviceResources' };

/** The construct and prop that put `key` into config.toml. */
function origin(m: ManagerModel, key: UnknownKey): { path: string; field: string } {
  const hatch = runnerConfigField(m, key.at);
  if (hatch) return { path: m.path, field: hatch };
  if (!key.at.startsWith(KUBERNETES)) return { path: m.path, field: `config.toml ${key.at}` };
  const below = key.at.slice(KUBERNETES.length);
  const top = below.split(/[.[]/)[0];
  const typed = typedOrigin(m.jobPod, below);
  if (typed !== undefined) return { path: m.jobPod.path, field: typed };
  if (Object.prototype.hasOwnProperty.call(m.jobPod.extraConfig, top)) return { path: m.jobPod.path, field: `extraConfig.${below}` };
  if (Object.prototype.hasOwnProperty.call(m.jobPod.scheduling, top)) return { path: m.jobPod.path, field: SCHEDULING_KEYS[top] };
  if (Object.prototype.hasOwnProperty.call(OWNED_KEYS, top)) return { path: m.jobPod.path, field: OWNED_KEYS[top] };
  const resource = /^(helper_|service_)?(cpu|memory|ephemeral_storage)_/.exec(top);
  if (resource) return { path: m.jobPod.path, field: RESOURCE_PROP[resource[1] ?? ''] };
  return { path: m.jobPod.path, field: `config.toml ${key.at}` };
}

function unknownKeys(m: ManagerModel): RuleHit[] {
  return keysUnknownTo(m.runnerVersion, configTable(m)).map((key) => {
    const { path, field } = origin(m, key);
    return problemHit(path, field, M.unknownKey({ version: m.runnerVersion, image: m.image, keyPath: key.keyPath, since: key.since, field }));
  });
}

function unknownFlags(m: ManagerModel): RuleHit[] {
  return Object.keys(m.featureFlags).sort().flatMap((flag) => {
    const s = featureFlagStatus(m.runnerVersion, flag);
    if (s.status === 'notYet') {
      return [problemHit(m.path, `featureFlags.${flag}`, M.flagNotYet({ version: m.runnerVersion, flag, since: s.version }))];
    }
    if (s.status === 'removed') {
      return [problemHit(m.path, `featureFlags.${flag}`, M.flagRemoved({ version: m.runnerVersion, flag, removedIn: s.version }))];
    }
    return [];
  });
}

/** @internal Rules about the runner version a manager runs. */
export const VERSION_RULES: CatalogueRule[] = [
  {
    id: 'VER001',
    severity: Severity.ERROR,
    area: 'Runner version',
    title: 'A config.toml key or feature flag the manager\'s GitLab Runner version does not know (from a typed prop or `extraConfig`).',
    why: 'The runner ignores it without a word, so the setting silently does nothing.',
    fix: 'run a runner version that knows the key (the message names the version that added it), or drop the setting.',
    check: ({ manager }) => [...unknownKeys(manager), ...unknownFlags(manager)],
  },
  {
    id: 'VER002',
    severity: Severity.WARNING,
    area: 'Runner version',
    title: 'A feature flag the manager\'s GitLab Runner version marks deprecated.',
    why: 'It still works, but will be removed.',
    fix: 'drop the flag, or plan for its behaviour becoming fixed.',
    check: ({ manager: m }) => [
      ...Object.keys(m.featureFlags).sort().map((flag) => ({ flag, field: `featureFlags.${flag}` })),
      // The runner also reads feature flags from the variables of every job, [[runners]] environment included.
      ...Object.keys(m.environment).filter((name) => !Object.prototype.hasOwnProperty.call(m.featureFlags, name)).sort()
        .map((flag) => ({ flag, field: `environment.${flag}` })),
    ].flatMap(({ flag, field }) => {
      const s = featureFlagStatus(m.runnerVersion, flag);
      return s.status === 'deprecated'
        ? [problemHit(m.path, field, M.flagDeprecated({ flag, since: s.version, version: m.runnerVersion }))]
        : [];
    }),
  },
  {
    id: 'VER003',
    severity: Severity.WARNING,
    area: 'Runner version',
    title: '`helper.image` of another GitLab Runner release than the manager, or with no version in its tag.',
    why: 'The helper and the runner exchange commands and files, and GitLab supports only matching releases.',
    fix: 'use the helper image of the runner\'s version (tag `<arch>-v<runner version>`), '
      + 'or leave `helper.image` out so the runner picks its own.',
    check: ({ manager: m }) => {
      const image = m.jobPod.helper.image;
      if (image === undefined) return [];
      const version = helperImageVersion(image);
      if (version === m.runnerVersion) return [];
      const problem = M.helperVersion({ image, helperVersion: version, version: m.runnerVersion, managerPath: m.path });
      return [problemHit(m.jobPod.path, 'helper.image', problem)];
    },
  },
];
