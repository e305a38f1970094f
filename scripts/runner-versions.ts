import * as fs from 'fs';
import * as path from 'path';
import { entryLines, packedLines, q, stringLines } from './generated-lines';

// How src/internal/runner/versions.generated.ts is derived from ../shared/reference/gitlab-runner-config-keys-by-version.json: the
// runner versions the library supports, the first version that knows each config.toml key added after the oldest one,
// the map-typed keys (their entries are data), and the life of every feature flag. Used by
// scripts/update-runner-tables.ts to write the file and by test/runner-version.test.ts to prove it current.

interface ByVersionKey {
  readonly since: string;
  readonly type: string;
  readonly removedIn?: string;
}

interface ByVersionFlag {
  readonly since: string;
  readonly removedIn?: string;
  readonly deprecatedIn?: string;
}

/** The parts of the by-version reference the library reads. */
export interface ByVersionReference {
  readonly versions: string[];
  readonly keys: Record<string, ByVersionKey>;
  readonly featureFlags: Record<string, ByVersionFlag>;
}

/** Where the by-version reference lives: `../shared/reference` beside the repository. */
export const BY_VERSION_FILE = path.join(__dirname, '..', '..', 'shared', 'reference', 'gitlab-runner-config-keys-by-version.json');

/** The reference, or undefined (with a warning) when it is absent outside CI; absent in CI (`CI=true`) is an error. */
export function loadByVersionReference(file: string, env: NodeJS.ProcessEnv): ByVersionReference | undefined {
  if (!fs.existsSync(file)) {
    if (env.CI === 'true') throw new Error(`the runner version reference ${file} is missing; CI must run the conformance checks.`);
    console.warn(`runner version checks not run: ${file} is missing (in CI this fails).`);
    return undefined;
  }
  return JSON.parse(fs.readFileSync(file, 'utf8')) as ByVersionReference;
}

/** The text of src/internal/runner/versions.generated.ts. */
export function renderRunnerVersions(ref: ByVersionReference): string {
  const oldest = ref.versions[0];
  const keys = Object.entries(ref.keys).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const added = keys.filter(([, k]) => k.since !== oldest);
  const removed = keys.filter(([, k]) => k.removedIn !== undefined);
  if (removed.length) throw new Error(`keys removed from the runner (${removed.map(([p]) => p).join(', ')}): teach src/internal/runner/version.ts about removals first.`);
  const maps = keys.filter(([, k]) => k.type.replace(/^\*/, '').startsWith('map[')).map(([p]) => p);
  const flags = Object.entries(ref.featureFlags).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const flag = (f: ByVersionFlag) => `{ since: ${q(f.since)}${f.removedIn ? `, removedIn: ${q(f.removedIn)}` : ''}${f.deprecatedIn ? `, deprecatedIn: ${q(f.deprecatedIn)}` : ''} }`;
  return [
    '// GENERATED FILE, do not edit. Generated from ../shared/reference/gitlab-runner-config-keys-by-version.json (GitLab Runner 17.0 to 19.4) by',
    '// `npx ts-node --transpile-only scripts/update-runner-tables.ts`; test/runner-version.test.ts fails when they differ.',
    '',
    '/** The minor releases the library knows the config.toml keys of, oldest first. */',
    'export const RUNNER_VERSIONS: readonly string[] = [',
    ...packedLines(ref.versions.map(q), '  '),
    '];',
    '',
    `/** Every config.toml key path added after ${oldest}, with the first version that knows it (arrays of tables written like tables). */`,
    'export const KEY_SINCE: Readonly<Record<string, string>> = {',
    ...added.flatMap(([p, k]) => entryLines('  ', q(p), q(k.since))),
    '};',
    '',
    '/** Key paths whose value is a map: its entries are data, not keys. */',
    'export const MAP_KEYS: readonly string[] = [',
    ...maps.flatMap((p) => stringLines(p, '  ', ',', '    ')),
    '];',
    '',
    '/** Every feature flag of every version: the first version that has it, the first without it, the first deprecating it. */',
    'export const FEATURE_FLAG_VERSIONS: Readonly<Record<string, {',
    '  readonly since: string;',
    '  readonly removedIn?: string;',
    '  readonly deprecatedIn?: string;',
    '}>> = {',
    ...flags.flatMap(([n, f]) => entryLines('  ', n, flag(f))),
    '};',
    '',
  ].join('\n');
}
