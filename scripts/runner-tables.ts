import { enumEntryLines, entryLines, objectEntryLines, q } from './generated-lines';
import type { KeyKind } from '../src/internal/runner/key-kind';
import type { Reference } from '../test/config-reference';

// How src/internal/runner/kubernetes-tables.generated.ts is derived from the runner's reference: the tables under [runners.kubernetes], each key
// with how its Go type decodes from TOML. Used by scripts/update-runner-tables.ts to write the file and by
// test/conformance.test.ts to prove it current.

const ROOT = 'runners.kubernetes';

/** How the runner decodes the value of `key` in the table at `tablePath` (a full dotted path), from its Go type. */
export function kindOf(ref: Reference, tablePath: string, key: string): KeyKind {
  const table = ref.table_kinds[`${tablePath}.${key}`];
  if (table) return table.kind === 'array_of_tables' ? 'tables' : 'table';
  const def = ref.tables[tablePath][key];
  if (def.type === 'StringOrArray') return 'stringOrStrings';
  const type = (def.underlying_type ?? def.type).replace(/^\*/, '');
  if (type === 'map[string]string') return 'stringMap';
  if (type === 'map[string]int') return 'integerMap';
  if (/^\[\]u?int(8|16|32|64)?$/.test(type)) return 'integers';
  // Other slices are of named string types (DockerPullPolicy, api.Capability, ...); slices of structs are tables, above.
  if (type.startsWith('[]')) return 'strings';
  if (/^u?int(8|16|32|64)?$/.test(type)) return 'integer';
  if (type === 'float64' || type === 'float32') return 'number';
  if (type === 'bool') return 'boolean';
  if (type === 'time.Duration') return 'duration';
  return 'string';
}

/**
 * The fixed values a key accepts, from the reference's enums. Left out: keys whose values the runner's code takes
 * free-form (the reference notes it), where a list would refuse values that work.
 */
function enumOf(ref: Reference, tablePath: string, key: string): { values: string[]; ignoreCase: boolean } | undefined {
  const def = ref.tables[tablePath][key] as { enum?: string[]; note?: string };
  if (!def.enum || /free-form/.test(def.note ?? '')) return undefined;
  return { values: def.enum, ignoreCase: /case-insensitive/.test(def.note ?? '') };
}

/** The text of src/internal/runner/kubernetes-tables.generated.ts for this reference. */
export function renderRunnerTables(ref: Reference): string {
  const paths = Object.keys(ref.tables).filter((p) => p === ROOT || p.startsWith(`${ROOT}.`));
  const entries = paths.map((p) => {
    const keys = Object.keys(ref.tables[p]).flatMap((key) => entryLines('', key, q(kindOf(ref, p, key))));
    return objectEntryLines('  ', q(p.slice(ROOT.length + 1)), keys).join('\n');
  });
  const enums = paths.flatMap((p) => Object.keys(ref.tables[p]).flatMap((key) => {
    const e = enumOf(ref, p, key);
    const table = p.slice(ROOT.length + 1);
    return e ? enumEntryLines('  ', q(`${table ? `${table}.` : ''}${key}`), e.values, e.ignoreCase) : [];
  }));
  return [
    '// GENERATED FILE, do not edit. Generated from ../shared/reference/gitlab-runner-config-keys.json (GitLab Runner 19.4) by',
    '// `npx ts-node --transpile-only scripts/update-runner-tables.ts`; test/conformance.test.ts fails when they differ.',
    "import type { KeyKind } from './key-kind';",
    '',
    "/** Every table under `[runners.kubernetes]` ('' is that table itself), each key with how its value decodes. */",
    'export const KUBERNETES_TABLES: Readonly<Record<string, Readonly<Record<string, KeyKind>>>> = {',
    ...entries,
    '};',
    '',
    '/** The values keys with a fixed set accept, by dotted path below `[runners.kubernetes]`. */',
    'export const KUBERNETES_ENUMS: Readonly<Record<string, { readonly values: readonly string[]; readonly ignoreCase: boolean }>> = {',
    ...enums,
    '};',
    '',
  ].join('\n');
}
