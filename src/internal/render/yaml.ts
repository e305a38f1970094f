import { readFileSync, readdirSync, writeFileSync } from 'fs';
import { join } from 'path';
import { CDK8S_YAML_VERSION, yamlLibrary } from './yaml-library';

// Strings that cdk8s's YAML writer (the `yaml` library, YAML 1.1 output) does not carry faithfully to every reader:
// - DEL, the C1 controls (NEL U+0085 among them), U+2028, U+2029 and the BOM are written raw. YAML 1.1 readers
//   (kubectl's, Helm's, PyYAML) take NEL, U+2028 and U+2029 for line breaks and fold them, and DEL and C1 are not
//   printable YAML characters, which strict readers refuse.
// - `0o17` is a string in YAML 1.1 but an octal integer in YAML 1.2, and the writer leaves it plain: a name like it
//   becomes a number in readers that know the 1.2 form.
// Such strings are written double-quoted, with those characters escaped. Every other string, and every document
// without such a string, is written exactly as cdk8s writes it.

/** Characters to escape: DEL, C1 (with NEL), LINE SEPARATOR, PARAGRAPH SEPARATOR, BOM. */
const UNSAFE_CHARS = /[\u007f-\u009f\u2028\u2029\ufeff]/;
const UNSAFE_CHARS_ALL = /[\u007f-\u009f\u2028\u2029\ufeff]/g;
/** A YAML 1.2 octal integer, which the YAML 1.1 writer does not quote. */
const YAML12_OCTAL = /^0o[0-7]+$/;

/** Whether `s` must be written double-quoted with escapes to read back as the same string everywhere. */
export function needsQuoting(s: string): boolean {
  return UNSAFE_CHARS.test(s) || YAML12_OCTAL.test(s);
}

/** Whether any string in `value` (keys included) needs quoting. */
export function anyNeedsQuoting(value: unknown): boolean {
  if (typeof value === 'string') return needsQuoting(value);
  if (Array.isArray(value)) return value.some(anyNeedsQuoting);
  if (typeof value === 'object' && value !== null) return Object.entries(value).some(([k, v]) => needsQuoting(k) || anyNeedsQuoting(v));
  return false;
}

/** Whether YAML text written by cdk8s may hold a string that needs quoting (a cheap test before parsing it). */
export function mayNeedQuoting(text: string): boolean {
  return UNSAFE_CHARS.test(text) || /0o[0-7]/.test(text);
}

/**
 * Where in `value` a string (or key) needs quoting, as `a.b[0].c` paths with the string, in document order. The
 * manifests `app.synth()` writes keep such strings as cdk8s writes them; FleetSynth re-quotes them.
 */
export function stringsNeedingQuoting(value: unknown, at = ''): Array<{ path: string; value: string }> {
  if (typeof value === 'string') return needsQuoting(value) ? [{ path: at, value }] : [];
  if (Array.isArray(value)) return value.flatMap((v, i) => stringsNeedingQuoting(v, `${at}[${i}]`));
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([k, v]) => {
    const here = at === '' ? k : `${at}.${k}`;
    return [...(needsQuoting(k) ? [{ path: here, value: k }] : []), ...stringsNeedingQuoting(v, here)];
  });
}

function escape(ch: string): string {
  return `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/**
 * Documents as cdk8s writes them (YAML 1.1, no line folding, joined by `---`), with every string that needs it
 * double-quoted and its unsafe characters escaped. Loads the `yaml` library on first use only.
 */
export function carefulYaml(docs: unknown[]): string {
  const { Document, Scalar, visit } = yamlLibrary();
  return docs.map((value) => {
    const doc = new Document(value, { version: CDK8S_YAML_VERSION });
    visit(doc, {
      Scalar(_key, node) {
        if (typeof node.value === 'string' && needsQuoting(node.value)) node.type = Scalar.QUOTE_DOUBLE;
      },
    });
    // Every raw unsafe character is now inside a double-quoted scalar, where its escape means the same character.
    return doc.toString({ lineWidth: 0 }).replace(UNSAFE_CHARS_ALL, escape);
  }).join('---\n');
}

/** TOML text (every string a basic string, as smol-toml writes it) with the unsafe characters escaped: ASCII-safe to embed. */
export function escapeTomlText(toml: string): string {
  return toml.replace(UNSAFE_CHARS_ALL, escape);
}

/**
 * Rewrites the manifests cdk8s wrote under `dir` (files ending in `extension`, chart folders included) that hold a
 * string needing quoting; the others keep cdk8s's bytes. Files in `needNoQuoting` (their writer saw that
 * `mayNeedQuoting` of their text is false) are not read again.
 */
export function requoteManifests(dir: string, extension: string, needNoQuoting: ReadonlySet<string> = new Set()): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const file = join(dir, entry.name);
    if (entry.isDirectory()) requoteManifests(file, extension, needNoQuoting);
    if (!entry.isFile() || !entry.name.endsWith(extension) || needNoQuoting.has(file)) continue;
    const text = readFileSync(file, 'utf8');
    if (!mayNeedQuoting(text)) continue;
    const docs = yamlLibrary().parseAllDocuments(text, { version: CDK8S_YAML_VERSION });
    const values: unknown[] = (Array.isArray(docs) ? docs : [docs]).map((d) => d.toJS());
    if (values.some(anyNeedsQuoting)) writeFileSync(file, carefulYaml(values));
  }
}
