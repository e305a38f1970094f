import { enumEntryLines, entryLines, objectEntryLines, q } from './generated-lines';
import { kindOf } from './runner-tables';
import type { Reference } from '../test/config-reference';

// How src/internal/runner/runners-tables.generated.ts is derived from the runner's reference: the `[[runners]]` keys a
// Kubernetes-executor runner can use through RunnerManager's `runnerConfig` escape hatch, and the tables below them,
// each key with how its Go type decodes from TOML. Used by scripts/update-runner-tables.ts to write the file and by
// test/runner-config.test.ts to prove it current.

/**
 * `[[runners]]` keys left out of the escape hatch entirely: the other executors' tables (this library runs the
 * Kubernetes executor only), and what `register` writes about the runner itself (its id and token times).
 * `[runners.kubernetes]` is vetted by JobPodTemplate's extraConfig.
 */
export const NOT_FOR_KUBERNETES: readonly string[] = [
  'kubernetes', 'docker', 'machine', 'ssh', 'parallels', 'virtualbox', 'custom', 'autoscaler', 'instance',
  'id', 'token_obtained_at', 'token_expires_at',
];

/** The fixed values a key accepts, unless the reference says the runner takes others too. */
function enumOf(ref: Reference, tablePath: string, key: string): { values: string[]; ignoreCase: boolean } | undefined {
  const def = ref.tables[tablePath][key] as { enum?: string[]; note?: string };
  if (!def.enum || /free-form|also registered/.test(def.note ?? '')) return undefined;
  return { values: def.enum, ignoreCase: /case-insensitive/.test(def.note ?? '') };
}

/** The text of src/internal/runner/runners-tables.generated.ts for this reference. */
export function renderRunnersTables(ref: Reference): string {
  const excluded = (p: string) => NOT_FOR_KUBERNETES.some((k) => p === `runners.${k}` || p.startsWith(`runners.${k}.`));
  // feature_flags is a map in the runner (map[string]bool); the reference lists its flags as a table.
  const paths = Object.keys(ref.tables).filter((p) => (p === 'runners' || p.startsWith('runners.')) && !excluded(p) && p !== 'runners.feature_flags');
  const name = (p: string) => p.slice('runners'.length + 1);
  const entries = paths.map((p) => {
    const keys = Object.keys(ref.tables[p]).filter((key) => !(p === 'runners' && NOT_FOR_KUBERNETES.includes(key)))
      .flatMap((key) => entryLines('', q(key), q(key === 'feature_flags' ? 'table' : kindOf(ref, p, key))));
    return objectEntryLines('  ', q(name(p)), keys).join('\n');
  });
  const enums = paths.flatMap((p) => Object.keys(ref.tables[p]).flatMap((key) => {
    const e = enumOf(ref, p, key);
    return e ? enumEntryLines('  ', q(`${name(p) ? `${name(p)}.` : ''}${key}`), e.values, e.ignoreCase) : [];
  }));
  return [
    '// GENERATED FILE, do not edit. Generated from ../shared/reference/gitlab-runner-config-keys.json (GitLab Runner 19.4) by',
    '// `npx ts-node --transpile-only scripts/update-runner-tables.ts`; test/runner-config.test.ts fails when they differ.',
    "import type { KeyKind } from './key-kind';",
    '',
    "/** The `[[runners]]` table ('') and the tables below it a Kubernetes-executor runner uses, each key with how its value decodes. */",
    'export const RUNNERS_TABLES: Readonly<Record<string, Readonly<Record<string, KeyKind>>>> = {',
    ...entries,
    '};',
    '',
    '/** The values keys with a fixed set accept, by dotted path below `[[runners]]`. */',
    'export const RUNNERS_ENUMS: Readonly<Record<string, { readonly values: readonly string[]; readonly ignoreCase: boolean }>> = {',
    ...enums,
    '};',
    '',
  ].join('\n');
}
