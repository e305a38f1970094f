import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Yaml } from 'cdk8s';
import * as fc from 'fast-check';
import { fastYaml, withFastManifestWriter } from '../src/internal/render/fast-yaml';
import { toYaml, toYamlOfList } from '../src/internal/render/records';
import { requoteManifests } from '../src/internal/render/yaml';
import { CDK8S_YAML_SCHEMA, CDK8S_YAML_VERSION, yamlLibrary } from '../src/internal/render/yaml-library';

// The fast writer of the review files must print exactly what cdk8s's YAML writer prints, for any plain JSON value:
// random data here (strings from an alphabet full of YAML indicators, keywords, numbers-as-strings, line breaks and
// spaces), and every review file of the example fleets through test/golden-outputs.test.ts.

const RUNS = Number(process.env.FAST_YAML_RUNS ?? 3000);

const pieces = fc.constantFrom(
  'a', 'Z', '0', '9', '-', '_', '.', '/', ':', ': ', ' #', '#', ' ', '\t', '\n', '\n\n', "'", '"', '\\', '[', ']', '{', '}', ',', '&', '*', '!',
  '|', '>', '%', '@', '`', '?', '~', '=', '+', '(', ')', 'yes', 'No', 'on', 'OFF', 'true', 'FALSE', 'null', 'NULL', 'y', 'N', '0o17', '0x1F',
  '0b101', '017', '1e3', '1_000', '.inf', '.NaN', '12:30', '2026-11-28', '---', '...', '<<', 'é', '\u{1f600}', '\u0085', '\u2028', '\u00a0',
  'http://x:80/y', 'registry.example.com/gitlab/gitlab-runner:v18.3.0', 'cpu', 'memory', '500m', '1Gi', 'runner-1',
);
const text = fc.array(pieces, { maxLength: 6 }).map((p) => p.join(''));
const key = fc.oneof({ weight: 4, arbitrary: fc.constantFrom('name', 'app.kubernetes.io/name', 'k', 'image', 'x y') }, { weight: 2, arbitrary: text });
const scalar = fc.oneof(
  { weight: 6, arbitrary: text },
  { weight: 1, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }) },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constant(null) },
);
const { value } = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, tie('list'), tie('map')),
  list: fc.array(tie('value'), { maxLength: 4 }),
  map: fc.dictionary(key, tie('value'), { maxKeys: 5 }),
}));

test(`prints what cdk8s's writer prints for random JSON values (${RUNS} runs)`, () => {
  fc.assert(fc.property(value, (v) => {
    const plain = JSON.parse(JSON.stringify(v));
    expect(fastYaml(plain)).toBe(Yaml.stringify(plain));
  }), { numRuns: RUNS, seed: 20261128 });
});

test("the schema the writer takes its tag tests from is the one the library gives cdk8s's documents (YAML 1.1)", () => {
  const library = yamlLibrary();
  const documentSchema = new library.Document(null, { version: CDK8S_YAML_VERSION }).schema;
  const schema = new library.Schema({ schema: CDK8S_YAML_SCHEMA });
  expect(schema.name).toBe(documentSchema.name);
  expect(schema.tags).toEqual(documentSchema.tags);
  expect(schema.compat).toEqual(documentSchema.compat);
  expect(schema.tags.filter((tag) => tag.default === true && tag.test !== undefined).length).toBeGreaterThan(5);
});

test('prints block scalars at every depth and in lists of maps as the library does', () => {
  const v = { a: 'l1\nl2', b: { c: 'x\n\ny\n', d: [{ e: 'p\nq', f: ['r'] }, [{ g: ' lead\nz' }]] }, h: [[['deep']]], i: { j: {} }, k: [[], {}] };
  expect(fastYaml(v)).toBe(Yaml.stringify(v));
});

test("withFastManifestWriter stands in for cdk8s's writer only while synth runs, and gives it back on a throw", () => {
  const original = Yaml.stringify;
  const inside = withFastManifestWriter(() => Yaml.stringify({ a: ['l1\nl2'] }, undefined, { b: 1 }));
  expect(inside).toBe(original.call(Yaml, { a: ['l1\nl2'] }, undefined, { b: 1 }));
  expect(() => withFastManifestWriter(() => {
    expect(Yaml.stringify).not.toBe(original);
    throw new Error('synth failed');
  })).toThrow('synth failed');
  expect(Yaml.stringify).toBe(original);
});

test("withFastManifestWriter's Yaml.save writes cdk8s's bytes in pieces (more than a piece here), and gives save back", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fast-yaml-save-'));
  try {
    const original = Yaml.save;
    // About 3 MiB of documents with multi-byte characters, block scalars and an undefined document between them.
    const docs: unknown[] = Array.from({ length: 3000 }, (_, i) => ({
      kind: 'ConfigMap', metadata: { name: `cm-${i}` }, data: { text: `é ${'x'.repeat(1000)} \u{1f600}`, script: 'a\nb\n' },
    }));
    docs.splice(1500, 0, undefined);
    const fast = path.join(dir, 'fast.k8s.yaml');
    const library = path.join(dir, 'library.k8s.yaml');
    withFastManifestWriter(() => {
      expect(Yaml.save).not.toBe(original);
      Yaml.save(fast, docs);
      Yaml.save(path.join(dir, 'empty.k8s.yaml'), []);
    });
    expect(Yaml.save).toBe(original);
    Yaml.save(library, docs);
    expect(fs.statSync(library).size).toBeGreaterThan(3 * 2 ** 20);
    expect(fs.readFileSync(fast).equals(fs.readFileSync(library))).toBe(true);
    expect(fs.readFileSync(path.join(dir, 'empty.k8s.yaml'), 'utf8')).toBe('');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

describe('toYamlOfList', () => {
  const ofList = (name: string, list: unknown[]) => toYamlOfList(name, list.length, (i) => list[i]);

  test(`writes what toYaml writes for the whole value, for random lists (${Math.ceil(RUNS / 3)} runs)`, () => {
    fc.assert(fc.property(key, fc.array(value, { maxLength: 5 }), (k, list) => {
      expect(ofList(k, list)).toBe(toYaml({ [k]: list }));
    }), { numRuns: Math.ceil(RUNS / 3), seed: 20261128 });
  });

  test('an item to quote, an item the library writes, a missing item and an empty list: still the whole value\'s text', () => {
    const cases: Array<[string, unknown[]]> = [
      ['previews', [{ a: 'plain text' }, { b: 'name\u2028x' }]],
      ['previews', [{ a: 'plain text' }, { ['k'.repeat(1100)]: 1 }]],
      ['previews', [{ a: 1 }, undefined, () => 1, { toJSON: () => ({ c: 'from toJSON' }) }]],
      ['previews', []],
      ['0o17', [{ a: 1 }]],
      ['__proto__', [{ a: 1 }]],
    ];
    for (const [k, list] of cases) {
      const whole: Record<string, unknown> = {};
      Object.defineProperty(whole, k, { value: list, enumerable: true });
      expect(ofList(k, list)).toBe(toYaml(whole));
    }
  });

  test('builds each item once, in order, when the fast writer covers them all; all again for the whole value otherwise', () => {
    const built: number[] = [];
    const written = toYamlOfList('previews', 3, (i) => {
      built.push(i);
      return { pod: `pod-${i}` };
    });
    expect(written).toBe('previews:\n  - pod: pod-0\n  - pod: pod-1\n  - pod: pod-2\n');
    expect(built).toEqual([0, 1, 2]);

    built.length = 0;
    toYamlOfList('previews', 3, (i) => {
      built.push(i);
      return { pod: i === 1 ? 'needs\u0085quoting' : 'plain-pod' };
    });
    expect(built).toEqual([0, 1, 0, 1, 2]);
  });
});

test('withFastManifestWriter names the files whose text needs no re-quoting; requoteManifests reads only the others', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fast-yaml-requote-'));
  try {
    const clean = path.join(dir, 'clean.k8s.yaml');
    const unsafe = path.join(dir, 'unsafe.k8s.yaml');
    const needNoQuoting = new Set<string>([unsafe]);
    withFastManifestWriter(() => {
      Yaml.save(clean, [{ kind: 'ConfigMap', data: { a: 'plain' } }]);
      Yaml.save(unsafe, [{ kind: 'ConfigMap', data: { a: 'line\u2028separator', b: '0o17' } }]);
    }, needNoQuoting);
    expect([...needNoQuoting]).toEqual([clean]);
    const unsafeText = fs.readFileSync(unsafe, 'utf8');
    requoteManifests(dir, '.k8s.yaml', needNoQuoting);
    expect(fs.readFileSync(unsafe, 'utf8')).not.toBe(unsafeText);
    expect(fs.readFileSync(unsafe, 'utf8')).toContain('"line\\u2028separator"');
    // A file named there is not read again, whatever it holds now.
    fs.writeFileSync(clean, 'a: "0o17"\nb: 0o17\n');
    requoteManifests(dir, '.k8s.yaml', needNoQuoting);
    expect(fs.readFileSync(clean, 'utf8')).toBe('a: "0o17"\nb: 0o17\n');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('writes every short string (up to the longest YAML 1.1 keyword) as the library does: plain, or quoted where it reads as another type', () => {
  const letters = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
  const next = `${letters}0123456789_./:=-~`;
  const strings = [...letters];
  for (const a of letters) for (const b of next) strings.push(a + b);
  // Every upper- and lower-case spelling of the words YAML 1.1 may read as a boolean or null, and some that look close.
  const caseVariants = (word: string): string[] => [...word].reduce<string[]>((acc, c) => acc.flatMap((p) => [p + c.toLowerCase(), p + c.toUpperCase()]), ['']);
  for (const word of ['y', 'yes', 'n', 'no', 'true', 'false', 'on', 'off', 'null', 'inf', 'nan', 'e5', 'x0', 'o12', 'b101']) strings.push(...caseVariants(word));
  const plainOnes: string[] = [];
  for (let i = 0; i < strings.length; i += 200) {
    const chunk = strings.slice(i, i + 200);
    const doc = { values: Object.fromEntries(chunk.map((s, k) => [`k${k}`, s])), keys: Object.fromEntries(chunk.map((s) => [s, 1])), list: chunk };
    expect(fastYaml(doc)).toBe(Yaml.stringify(doc));
    plainOnes.push(...chunk.filter((s) => Yaml.stringify({ k: s }) === `k: ${s}\n`));
  }
  // The comparison covers both forms: most short strings are plain, the YAML 1.1 words are quoted.
  expect(plainOnes.length).toBeGreaterThan(3000);
  expect(plainOnes).not.toContain('yes');
  expect(plainOnes).not.toContain('Off');
  expect(plainOnes).toContain('yES');
});

test('writes strings that start with a digit or a slash as the library does: quantities, addresses, times, numbers, paths', () => {
  const first = ['0', '1', '5', '9', '/', '.', '_', '+', '-'];
  const next = ['0', '1', '7', '9', '.', '_', ':', 'e', 'E', 'x', 'o', 'b', 'm', 'i', 'M', 'G', '/', '-', '+', ' ', 'T', 'Z', ','];
  const strings = ['500m', '2Gi', '10.0.0.2', '127.0.0.1', '1b39d5ec2e48', '0x1F', '0o17', '0b101', '1_000', '1e5', '1.5e+3', '12:30', '190:20:30',
    '2024-01-02', '2024-01-02T03:04:05Z', '2024-1-2 3:04:05.5 +01:00', '.inf', '.NaN', '', '-c', '--config', '--tls=false', '-', '- x', '-5', '-.5', '+1', '/tmp', '/home/gitlab-runner/.gitlab-runner/config.toml', '/', '//x'];
  for (const a of first) {
    strings.push(a);
    for (const b of next) {
      strings.push(a + b);
      for (const c of next) strings.push(a + b + c, `${a}${b}${c}0`);
    }
  }
  for (let i = 0; i < strings.length; i += 300) {
    const chunk = strings.slice(i, i + 300);
    const doc = { values: Object.fromEntries(chunk.map((s, k) => [`k${k}`, s])), keys: Object.fromEntries(chunk.map((s) => [s, 1])), list: chunk };
    expect(fastYaml(doc)).toBe(Yaml.stringify(doc));
  }
  // Both forms are compared: quantities and paths plain, numbers and times quoted.
  const colons = ['<the image: of the job>', 'key: value # x', "it's: x", 'say "a: b"', 'a: \\b', 'x:  y', ': a', 'a :b', 'a: ', ' a: b', '-: x', '? a: b', '#a: b'];
  const colonDoc = { values: Object.fromEntries(colons.map((s, k) => [`k${k}`, s])), keys: Object.fromEntries(colons.map((s) => [s, 1])), list: colons };
  expect(fastYaml(colonDoc)).toBe(Yaml.stringify(colonDoc));
  expect(fastYaml({ a: '500m', b: '2', c: '/tmp', d: '12:30', e: '1e5', f: '10.0.0.2' })).toBe('a: 500m\nb: "2"\nc: /tmp\nd: "12:30"\ne: "1e5"\nf: 10.0.0.2\n');
});

test('writes strings with spaces, colons and punctuation inside as the library does', () => {
  const inner = [' ', ':', '#', ',', ';', '$', '*', '&', '!', '?', '<', '>', '"', "'", '`', '|', '[', ']', '{', '}', '\\', '^', '%', '@', '-', '.', '/', '~', '=', '\t'];
  const strings: string[] = [];
  for (const x of inner) {
    strings.push(`a${x}`, `${x}a`, `ab${x}cd`, `word${x}`, `kill -QUIT 1${x} done`);
    for (const y of inner) strings.push(`a${x}${y}b`, `a${x}b${y}`, `abcdef${x}${y}`);
  }
  for (let i = 0; i < strings.length; i += 300) {
    const chunk = strings.slice(i, i + 300);
    const doc = { values: Object.fromEntries(chunk.map((s, k) => [`k${k}`, s])), keys: Object.fromEntries(chunk.map((s) => [s, 1])), list: chunk };
    expect(fastYaml(doc)).toBe(Yaml.stringify(doc));
  }
});
