import { closeSync, openSync, writeFileSync } from 'fs';
import { Yaml } from 'cdk8s';
import { mayNeedQuoting } from './yaml';
import { CDK8S_YAML_SCHEMA, yamlLibrary } from './yaml-library';

// The review files (Helm values, job-pod preview) of a large fleet spend most of their synth time in the YAML
// library, which builds a document tree for every value. Their data is plain JSON: maps, lists, strings, numbers,
// booleans and null. This writer prints such data in exactly the bytes cdk8s's writer (`Yaml.stringify`: the `yaml`
// library, YAML 1.1, no line folding, two-space indent, lists indented under their key) prints, and asks that
// writer for every string whose form it cannot tell at a glance. A string is written here when it starts with a
// letter, a digit, `/` or `-x`, holds no `#`, `: `, tab or line break and does not end in a space or `:`: plain when it
// starts with a letter and is longer than any YAML 1.1 keyword (`false`, `NULL`, ...) or when none of the library's
// own tests for YAML 1.1 values that are not strings (numbers, booleans, null, times) claims it, the test the library
// makes before it writes a string plain; double-quoted when one does. test/fast-yaml.test.ts compares the two writers
// byte for byte on random data, on every short string and shape of string, and on every review file the example
// fleets write.

/** cdk8s's own writer, kept before `withFastManifestWriter` stands in for it. */
const libraryStringify: (...docs: unknown[]) => string = Yaml.stringify.bind(Yaml);

/**
 * Plain in YAML 1.1 block context unless a tag of the schema reads it as another type: it starts with a letter, a
 * digit, `/`, or `-` before another character (no indicator, no list item, no document marker), holds no `#`, tab or
 * line break, and has `:` or a space only between two other characters (the library quotes `: `, ` #` and a trailing
 * space or `:`, and restricts only the first character otherwise).
 */
const SURELY_PLAIN = /^(?:[A-Za-z0-9/]|-(?=[A-Za-z0-9_./@=+%~()<>,;$*&!?'"`|[\]{}\\^-]))(?:[A-Za-z0-9_./@=+%~()<>,;$*&!?'"`|[\]{}\\^-]|[: ](?=[A-Za-z0-9_./@=+%~()<>,;$*&!?'"`|[\]{}\\^-]))*$/;
/** The longest YAML 1.1 keyword starting with a letter (`false`, `FALSE`): longer words starting with a letter are strings. */
const LONGEST_KEYWORD = 5;
/** A string that starts with a letter: no YAML 1.1 number, timestamp or `.inf` does. */
const LETTER = /^[A-Za-z]/;
/** Printable ASCII without `"`, `'` or `\\`: double-quoted by the library as it is. */
const PRINTABLE_UNQUOTED = /^[\x20-\x21\x23-\x26\x28-\x5b\x5d-\x7e]*$/;
/** The library's tests of the plain forms that read as something else than a string (bool, null, int, float, ...). */
let notStringTests: RegExp[] | undefined;
/**
 * What `readsAsString` found for each string it was asked about: a fleet's documents repeat their keys (`name`, `cpu`)
 * and short values, and each answer runs every test of the schema.
 */
const readsAsStringOf = new Map<string, boolean>();

/** Whether the library would write `s` plain, given that it is `SURELY_PLAIN`: no tag of its schema but `str` claims it. */
function readsAsString(s: string): boolean {
  let reads = readsAsStringOf.get(s);
  if (reads !== undefined) return reads;
  if (notStringTests === undefined) {
    const { tags, compat } = new (yamlLibrary().Schema)({ schema: CDK8S_YAML_SCHEMA });
    notStringTests = [...tags, ...(compat ?? [])]
      .filter((tag) => tag.default === true && tag.tag !== 'tag:yaml.org,2002:str' && tag.test !== undefined)
      .map((tag) => tag.test!);
  }
  reads = true;
  for (let i = 0; i < notStringTests.length && reads; i++) reads = !notStringTests[i].test(s);
  if (readsAsStringOf.size >= 100_000) readsAsStringOf.clear();
  readsAsStringOf.set(s, reads);
  return reads;
}

/** The yaml library writes a key longer than this as an explicit key (`? `); such documents go to the library. */
const MAX_IMPLICIT_KEY = 1024;

/** The library's test for a document marker (`m`: after \n, \r, U+2028 or U+2029 too). */
const DOCUMENT_MARKER = /^(%|---|\.\.\.)/m;

/** The form of one single-line string, as the library writes it as a map value (the same as a key, short keys). */
const scalarForms = new Map<string, string | null>();
/** The form of one multi-line string as a map value at one indent (block scalars carry the indent in their lines). */
const blockForms = new Map<string, string>();

/** Thrown inside the writer when a value needs the library's own writer for the whole document. */
class NeedsLibrary extends Error {}

function stringForm(s: string): string {
  if (SURELY_PLAIN.test(s)) {
    if ((s.length > LONGEST_KEYWORD && LETTER.test(s)) || readsAsString(s)) return s;
    // Read as a number, a boolean, null or a time, the library double-quotes it: printable ASCII, so nothing to escape.
    if (!/["'\\]/.test(s)) return `"${s}"`;
  }
  if (s === '') return '""';
  // `: ` makes the library quote a one-line string; printable ASCII without a quote or backslash needs no escape.
  if (s.includes(': ') && PRINTABLE_UNQUOTED.test(s)) return `"${s}"`;
  let form = scalarForms.get(s);
  if (form === undefined) {
    const text = libraryStringify({ k: s });
    const body = text.slice('k: '.length, -1);
    // Only a one-line form can stand anywhere; a block scalar depends on where it stands.
    form = text.startsWith('k: ') && !body.includes('\n') ? body : null;
    if (scalarForms.size > 100_000) scalarForms.clear();
    scalarForms.set(s, form);
  }
  if (form === null) throw new NeedsLibrary();
  return form;
}

/** What the library double-quotes instead of writing it in a block: control characters and lone surrogates. */
const QUOTED_CHARACTERS = /[\x00-\x08\x0b-\x1f\x7f-\x9f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * The library's literal block (`|` or `|-`) for the common multi-line string: it starts with neither a space nor a line
 * break, ends in one line break or none, has no white space before that end, and no character the library quotes.
 */
function literalBlock(s: string, contentIndent: string): string | undefined {
  const body = s.endsWith('\n') ? s.slice(0, -1) : s;
  if (/^[ \n]|[\n\t ]$/.test(body) || !/\S/.test(body) || QUOTED_CHARACTERS.test(body)) return undefined;
  return `|${body === s ? '-' : ''}\n${contentIndent}${body.replace(/\n+/g, `$&${contentIndent}`)}`;
}

/** A multi-line string as the value of a key indented by `indent`: the text after `key: `. */
function blockForm(s: string, indent: string): string {
  const literal = literalBlock(s, `${indent}  `);
  if (literal !== undefined) return literal;
  const cacheKey = `${indent.length}\u0000${s}`;
  let form = blockForms.get(cacheKey);
  if (form === undefined) {
    // The same string under the same indent: nested single-key maps put `k` at `indent`.
    let wrapped: unknown = { k: s };
    for (let depth = indent.length / 2; depth > 0; depth--) wrapped = { a: wrapped };
    const text = libraryStringify(wrapped);
    const at = text.indexOf(`\n${indent}k: `);
    const start = indent === '' ? (text.startsWith('k: ') ? 3 : -1) : at < 0 ? -1 : at + 1 + indent.length + 3;
    if (start < 0) throw new NeedsLibrary();
    form = text.slice(start, -1);
    if (blockForms.size > 10_000) blockForms.clear();
    blockForms.set(cacheKey, form);
  }
  return form;
}

function keyForm(key: string): string {
  // A key with a document marker at a line start (after any JavaScript line terminator) is quoted at some depths only.
  if (key.length > MAX_IMPLICIT_KEY || key.includes('\n') || DOCUMENT_MARKER.test(key)) throw new NeedsLibrary();
  return stringForm(key);
}

function scalarForm(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new NeedsLibrary();
    return JSON.stringify(value);
  }
  if (typeof value === 'string') return stringForm(value);
  throw new NeedsLibrary();
}

function isCollection(value: unknown): value is Record<string, unknown> | unknown[] {
  return typeof value === 'object' && value !== null;
}

function isEmpty(value: Record<string, unknown> | unknown[]): boolean {
  return Array.isArray(value) ? value.length === 0 : Object.keys(value).length === 0;
}

/** The lines of a non-empty map or list whose entries start at `indent`. */
function collectionLines(value: Record<string, unknown> | unknown[], indent: string, out: string[]): void {
  if (Array.isArray(value)) {
    for (const item of value) {
      if (isCollection(item) && !isEmpty(item)) {
        // The item's first entry follows the dash; the others line up under it.
        const first = out.length;
        collectionLines(item, `${indent}  `, out);
        out[first] = `${indent}- ${out[first].slice(indent.length + 2)}`;
      } else if (isCollection(item)) {
        out.push(`${indent}- ${Array.isArray(item) ? '[]' : '{}'}`);
      } else if (typeof item === 'string' && item.includes('\n')) {
        // A list item's block scalar is indented like a map value's under a key at the list's indent.
        out.push(`${indent}- ${blockForm(item, indent)}`);
      } else {
        out.push(`${indent}- ${scalarForm(item)}`);
      }
    }
    return;
  }
  for (const key of Object.keys(value)) {
    const item = value[key];
    const head = `${indent}${keyForm(key)}:`;
    if (isCollection(item) && !isEmpty(item)) {
      out.push(head);
      // Lists are indented under their key, like maps.
      collectionLines(item, `${indent}  `, out);
    } else if (isCollection(item)) {
      out.push(`${head} ${Array.isArray(item) ? '[]' : '{}'}`);
    } else if (typeof item === 'string' && item.includes('\n')) {
      out.push(`${head} ${blockForm(item, indent)}`);
    } else {
      out.push(`${head} ${scalarForm(item)}`);
    }
  }
}

/**
 * `Yaml.stringify(value)` of cdk8s for a plain JSON value (no undefined, no cycles), faster on large values; the
 * library itself writes what this writer does not cover.
 */
export function fastYaml(value: unknown): string {
  if (!isCollection(value) || isEmpty(value)) return libraryStringify(value);
  const out: string[] = [];
  try {
    collectionLines(value, '', out);
  } catch (e) {
    if (e instanceof NeedsLibrary) return libraryStringify(value);
    throw e;
  }
  return `${out.join('\n')}\n`;
}

/**
 * What `fastYaml({ [key]: list })` writes when `list` is not empty, in pieces: `fastYamlKey(key)` is its first line,
 * `fastYamlListItem(item)` the lines of one item (each ending in a line break), so a long list can be written one item
 * at a time. Undefined when the piece needs the library's writer: the whole value must then go to `fastYaml`.
 */
export function fastYamlKey(key: string): string | undefined {
  try {
    return `${keyForm(key)}:\n`;
  } catch (e) {
    if (e instanceof NeedsLibrary) return undefined;
    throw e;
  }
}

/** The lines of one item of a list written under a top-level key; see `fastYamlKey`. */
export function fastYamlListItem(item: unknown): string | undefined {
  const out: string[] = [];
  try {
    collectionLines([item], '  ', out);
  } catch (e) {
    if (e instanceof NeedsLibrary) return undefined;
    throw e;
  }
  return `${out.join('\n')}\n`;
}

/** How much manifest text is written at a time: few system calls, and a big fleet's manifests are never one string. */
const WRITE_PIECE = 2 ** 20;

/**
 * What cdk8s's `Yaml.save(filePath, docs)` writes (`Yaml.stringify(...docs)` into the file, UTF-8), written in pieces of
 * whole documents as they are printed. Returns whether the text surely holds no string to re-quote (`mayNeedQuoting`
 * of every piece is false; a piece after the first starts with `---`, so no match spans two pieces).
 */
function saveInPieces(filePath: string, docs: unknown[]): boolean {
  const fd = openSync(filePath, 'w', 0o666);
  let clean = true;
  try {
    let pending: string[] = [];
    let size = 0;
    const flush = () => {
      const piece = pending.join('');
      pending = [];
      size = 0;
      if (clean && mayNeedQuoting(piece)) clean = false;
      writeFileSync(fd, piece, 'utf8');
    };
    for (let i = 0; i < docs.length; i++) {
      const text = `${i > 0 ? '---\n' : ''}${docs[i] === undefined ? '\n' : fastYaml(docs[i])}`;
      pending.push(text);
      size += text.length;
      if (size >= WRITE_PIECE) flush();
    }
    if (pending.length > 0) flush();
  } finally {
    closeSync(fd);
  }
  return clean;
}

/**
 * Runs `synth` (an `app.synth()`) with this writer standing in for cdk8s's `Yaml.stringify`, which writes the
 * manifests, and `Yaml.save` writing them in pieces: the same bytes, in a fraction of the time for a large fleet.
 * Every file written whose text surely needs no re-quoting (`requoteManifests`) is added to `needNoQuoting`.
 * cdk8s's own writer is back when `synth` returns or throws.
 */
export function withFastManifestWriter<T>(synth: () => T, needNoQuoting: Set<string> = new Set()): T {
  const writable = Yaml as unknown as { stringify: (...docs: unknown[]) => string; save: (filePath: string, docs: unknown[]) => void };
  const original = { stringify: writable.stringify, save: writable.save };
  writable.stringify = (...docs: unknown[]) => docs.map((d) => (d === undefined ? '\n' : fastYaml(d))).join('---\n');
  writable.save = (filePath: string, docs: unknown[]) => {
    if (saveInPieces(filePath, docs)) needNoQuoting.add(filePath);
    else needNoQuoting.delete(filePath);
  };
  try {
    return synth();
  } finally {
    writable.stringify = original.stringify;
    writable.save = original.save;
  }
}
