import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'smol-toml';

// The runner's config.toml reference (the key table extracted from GitLab Runner's source, ../shared/reference beside
// the repository) and the walker that checks a config.toml against it: unknown keys, wrong value types, unknown enum
// values. The runner ignores unknown keys and misspelt enum values silently, so a typo would be a no-op nobody notices.
// Shared by the conformance tests and the property tests.

interface KeyDef {
  readonly type: string;
  readonly underlying_type?: string;
  readonly toml_kind?: string;
  readonly enum?: string[];
}

/** The reference: every table of config.toml (`''` is the global table), key by key. */
export interface Reference {
  readonly tables: Record<string, Record<string, KeyDef>>;
  /** Which table paths are tables and which are arrays of tables. */
  readonly table_kinds: Record<string, { readonly kind: 'table' | 'array_of_tables' }>;
}

/** Where the reference lives: `../shared/reference` beside the repository (never an absolute path). */
export const REFERENCE_FILE = path.join(__dirname, '..', '..', 'shared', 'reference', 'gitlab-runner-config-keys.json');

/** The reference, or undefined (with a warning) when it is absent outside CI; absent in CI (`CI=true`) is an error. */
export function loadReference(file: string, env: NodeJS.ProcessEnv): Reference | undefined {
  if (!fs.existsSync(file)) {
    if (env.CI === 'true') throw new Error(`the runner key reference ${file} is missing; CI must run the conformance checks.`);
    console.warn(`conformance checks not run: ${file} is missing (in CI this fails).`);
    return undefined;
  }
  return JSON.parse(fs.readFileSync(file, 'utf8')) as Reference;
}

/** Every way `toml` departs from the runner's config structs: unknown keys, wrong value types, unknown enum values. */
export function conformanceProblems(reference: Reference, toml: string): string[] {
  const problems: string[] = [];
  walkTable(reference, '', parse(toml) as Record<string, unknown>, problems);
  return problems;
}

function walkTable(reference: Reference, tablePath: string, table: Record<string, unknown>, problems: string[]): void {
  const defs = reference.tables[tablePath];
  if (defs === undefined) {
    problems.push(`[${tablePath}] is not a table of the runner's config.`);
    return;
  }
  for (const [key, value] of Object.entries(table)) {
    const keyPath = tablePath === '' ? key : `${tablePath}.${key}`;
    const def = defs[key];
    if (def === undefined) {
      problems.push(`${keyPath}: the runner has no such key; it would be ignored.`);
      continue;
    }
    if (reference.tables[keyPath] !== undefined) {
      // A table or array of tables of its own (feature_flags too: its known flags are listed as a table).
      const tables = Array.isArray(value) ? value : [value];
      for (const t of tables) {
        if (!isTable(t)) problems.push(`${keyPath}: ${JSON.stringify(t)} is not a table.`);
        else walkTable(reference, keyPath, t, problems);
      }
      continue;
    }
    checkValue(keyPath, def, value, problems);
  }
}

function isTable(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Checks a leaf value against the Go type (and enum) of its key. */
function checkValue(keyPath: string, def: KeyDef, value: unknown, problems: string[]): void {
  const type = (def.underlying_type ?? def.type).replace(/^\*/, '');
  const fail = (what: string) => problems.push(`${keyPath}: ${JSON.stringify(value)} is not ${what} (Go type ${def.type}).`);
  if (def.type === 'StringOrArray') {
    if (typeof value !== 'string' && !(Array.isArray(value) && value.every((v) => typeof v === 'string'))) fail('a string or an array of strings');
  } else if (type.startsWith('map[string]')) {
    // Map-typed keys (node_selector, pod_labels, node_tolerations, retry_limits, ...) take any key.
    if (!isTable(value)) fail('a table');
    else for (const [k, v] of Object.entries(value)) checkScalar(`${keyPath}.${k}`, type.slice('map[string]'.length), v, problems);
  } else if (type.startsWith('[]')) {
    if (!Array.isArray(value)) fail('an array');
    else value.forEach((v, i) => checkScalar(`${keyPath}[${i}]`, type.slice(2), v, problems));
  } else {
    checkScalar(keyPath, type, value, problems);
  }
  if (def.enum) {
    for (const v of Array.isArray(value) ? value : [value]) {
      if (!def.enum.includes(v as string)) problems.push(`${keyPath}: ${JSON.stringify(v)} is not a value the runner accepts (${def.enum.join(', ')}).`);
    }
  }
}

function checkScalar(keyPath: string, goType: string, value: unknown, problems: string[]): void {
  const type = goType.replace(/^\*/, '');
  const ok = (() => {
    if (type === 'string') return typeof value === 'string';
    if (/^u?int(8|16|32|64)?$/.test(type)) return typeof value === 'number' && Number.isInteger(value);
    if (type === 'float64' || type === 'float32') return typeof value === 'number';
    if (type === 'bool') return typeof value === 'boolean';
    // BurntSushi/toml decodes a Duration from a Go duration string or an integer of nanoseconds.
    if (type === 'time.Duration') return typeof value === 'string' || (typeof value === 'number' && Number.isInteger(value));
    // Named types without a recorded underlying type (api.Capability, DockerPullPolicy, ...) are strings in TOML.
    return typeof value === 'string' || isTable(value);
  })();
  if (!ok) problems.push(`${keyPath}: ${JSON.stringify(value)} is not of Go type ${goType}.`);
}
