import { VERSION_MESSAGES as M } from './version.messages';
import { FEATURE_FLAG_VERSIONS, KEY_SINCE, MAP_KEYS, RUNNER_VERSIONS } from './versions.generated';
import { isPlainMap } from '../validate/validators';

// The GitLab Runner version a fleet runs: found in the image tag or given, checked against the versions the library
// knows (../shared/reference/gitlab-runner-config-keys-by-version.json, generated into versions.generated.ts), and what
// that version knows of config.toml. A key an older runner does not know is ignored by it without a word.

/** The oldest and newest runner versions the library supports. */
export const OLDEST_RUNNER_VERSION = RUNNER_VERSIONS[0];
export const NEWEST_RUNNER_VERSION = RUNNER_VERSIONS[RUNNER_VERSIONS.length - 1];

type Triple = [number, number, number];

/** `X.Y.Z` (or `vX.Y.Z`) as numbers, or undefined when it is not a version of that shape. */
export function parseVersion(text: string): Triple | undefined {
  const m = /^v?(0|[1-9]\d{0,5})\.(0|[1-9]\d{0,5})\.(0|[1-9]\d{0,5})$/.exec(text);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined;
}

/** Negative, zero or positive as version `a` is older than, equal to or newer than `b` (both `X.Y.Z`). */
export function compareVersions(a: string, b: string): number {
  const x = parseVersion(a)!;
  const y = parseVersion(b)!;
  return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
}

/** The tag of an image reference (`registry:5000/path/name:tag@sha256:...`), or undefined when it has none. */
export function imageTag(image: string): string | undefined {
  const withoutDigest = image.split('@')[0];
  const name = withoutDigest.slice(withoutDigest.lastIndexOf('/') + 1);
  const colon = name.lastIndexOf(':');
  return colon < 0 ? undefined : name.slice(colon + 1);
}

/**
 * The runner version a GitLab Runner image tag names: `vX.Y.Z`, `alpine-vX.Y.Z`, `ubuntu-vX.Y.Z`,
 * `alpine3.21-vX.Y.Z`, ... Undefined for tags that say nothing (`latest`, `alpine`, `bleeding`, a digest alone).
 */
export function runnerImageVersion(image: string): string | undefined {
  const m = /(?:^|-)v(\d+\.\d+\.\d+)$/.exec(imageTag(image) ?? '');
  return m && parseVersion(m[1]) ? m[1] : undefined;
}

/**
 * The runner version a helper image tag names: `[<flavor>-]<arch>-vX.Y.Z[-pwsh]`, `<arch>-vX.Y.Z-servercore...`,
 * as GitLab publishes them; undefined when the tag names none.
 */
export function helperImageVersion(image: string): string | undefined {
  const m = /(?:^|-)v(\d+\.\d+\.\d+)(?:-|$)/.exec(imageTag(image) ?? '');
  return m && parseVersion(m[1]) ? m[1] : undefined;
}

/** The release whose keys `version` knows: its minor (`X.Y.0`), which must be one the library knows. */
function knownMinor(version: string): string {
  const [major, minor] = parseVersion(version)!;
  return `${major}.${minor}.0`;
}

/** Whether the library knows the config.toml keys of `version` (any patch of a known minor). */
export function isSupportedVersion(version: string): boolean {
  return parseVersion(version) !== undefined && RUNNER_VERSIONS.includes(knownMinor(version));
}

/** Where a runner version comes from, for messages. */
export interface VersionProblem {
  readonly field: string;
  readonly message: string;
  readonly fix: string;
}

/**
 * The runner version a manager runs, from its `image` tag and its `runnerVersion` prop, or the problems that keep it
 * from being known. `X.Y.Z` without the `v`.
 */
export function resolveRunnerVersion(image: string, runnerVersion: unknown): { version?: string; problems: VersionProblem[] } {
  const fromTag = runnerImageVersion(image);
  const range = `${OLDEST_RUNNER_VERSION} to ${NEWEST_RUNNER_VERSION}.x`;
  if (runnerVersion !== undefined && (typeof runnerVersion !== 'string' || parseVersion(runnerVersion) === undefined)) {
    return { problems: [{ field: 'runnerVersion', ...M.notVersion(runnerVersion) }] };
  }
  const given = runnerVersion === undefined ? undefined : (runnerVersion as string).replace(/^v/, '');
  if (given !== undefined && fromTag !== undefined && compareVersions(given, fromTag) !== 0) {
    return {
      problems: [{ field: 'runnerVersion', ...M.contradicts(given, image, fromTag) }],
    };
  }
  const version = given ?? fromTag;
  if (version === undefined) {
    return {
      problems: [{ field: 'runnerVersion', ...M.noTagVersion(image, range) }],
    };
  }
  if (!isSupportedVersion(version)) {
    const field = given !== undefined ? 'runnerVersion' : 'image';
    const older = compareVersions(version, OLDEST_RUNNER_VERSION) < 0;
    const newer = compareVersions(version, NEWEST_RUNNER_VERSION) > 0;
    const [major, minor] = parseVersion(version)!;
    return {
      problems: [{ field, ...M.unsupported(version, range, older, newer, `${major}.${minor}`) }],
    };
  }
  return { version, problems: [] };
}

/** The first version that knows key path `keyPath` (dotted, arrays of tables like tables), if after the oldest. */
export function keySince(keyPath: string): string | undefined {
  return Object.prototype.hasOwnProperty.call(KEY_SINCE, keyPath) ? KEY_SINCE[keyPath] : undefined;
}

/** A config.toml key that a runner version does not know, and the version that introduced it. */
export interface UnknownKey {
  /** The dotted path below the root, arrays of tables written like tables. */
  readonly keyPath: string;
  /** The path with array positions, e.g. `runners[0].kubernetes.volumes.nfs[1]`, for messages. */
  readonly at: string;
  readonly since: string;
}

const MAPS: ReadonlySet<string> = new Set(MAP_KEYS);

/**
 * Every key of the config.toml `table` (the object that is rendered to TOML) that GitLab Runner `version` does not
 * know yet. It would ignore each without a word. Map-typed keys (node_selector, feature_flags, ...) hold data, not keys.
 */
export function keysUnknownTo(version: string, table: Record<string, unknown>): UnknownKey[] {
  const found: UnknownKey[] = [];
  const walk = (t: Record<string, unknown>, prefix: string, at: string) => {
    for (const [key, value] of Object.entries(t)) {
      if (value === undefined) continue;
      const keyPath = prefix ? `${prefix}.${key}` : key;
      const here = at ? `${at}.${key}` : key;
      const since = keySince(keyPath);
      if (since !== undefined && compareVersions(version, since) < 0) {
        found.push({ keyPath, at: here, since });
        continue;
      }
      if (MAPS.has(keyPath)) continue;
      if (isPlainMap(value)) walk(value as Record<string, unknown>, keyPath, here);
      else if (Array.isArray(value)) value.forEach((v, i) => { if (isPlainMap(v)) walk(v as Record<string, unknown>, keyPath, `${here}[${i}]`); });
    }
  };
  walk(table, '', '');
  return found;
}

/** What runner `version` makes of feature flag `name`: known, not yet there, gone, deprecated, or never a flag. */
export function featureFlagStatus(version: string, name: string):
{ status: 'ok' | 'unknown' } | { status: 'notYet' | 'removed' | 'deprecated'; version: string } {
  if (!Object.prototype.hasOwnProperty.call(FEATURE_FLAG_VERSIONS, name)) return { status: 'unknown' };
  const flag = FEATURE_FLAG_VERSIONS[name];
  if (compareVersions(version, flag.since) < 0) return { status: 'notYet', version: flag.since };
  if (flag.removedIn !== undefined && compareVersions(version, flag.removedIn) >= 0) return { status: 'removed', version: flag.removedIn };
  if (flag.deprecatedIn !== undefined && compareVersions(version, flag.deprecatedIn) >= 0) {
    return { status: 'deprecated', version: flag.deprecatedIn };
  }
  return { status: 'ok' };
}

/** Whether any supported runner version has feature flag `name`. */
export function isFeatureFlag(name: string): boolean {
  return Object.prototype.hasOwnProperty.call(FEATURE_FLAG_VERSIONS, name);
}
