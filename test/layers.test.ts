// The folders of src/ are layers: each file imports only from its own layer or the ones below it, and no import chain
// comes back to where it started. Type-only imports and re-exports count like any other: a loop through types is
// still a loop for a reader. See docs/architecture.md.
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

const SRC = path.join(__dirname, '..', 'src');

/** Lowest first. A file may import from its own layer and the layers before it. */
const LAYERS = [
  'model',
  'internal/validate',
  'internal/runner',
  'internal/render',
  'internal/rules',
  'internal/capacity',
  'internal/output',
  'constructs',
  'fleet',
  'index.ts',
];

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(full);
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [path.relative(SRC, full).split(path.sep).join('/')] : [];
  });
}

/** Every relative module a file names: imports (type-only included), re-exports, `import()` types and require(). */
export function importsOf(file: string, text: string): string[] {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const specs: string[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      specs.push(node.moduleSpecifier.text);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      specs.push(node.argument.literal.text);
    } else if (ts.isCallExpression(node) && node.arguments.length === 1 && ts.isStringLiteral(node.arguments[0])
      && (node.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(node.expression) && node.expression.text === 'require'))) {
      specs.push(node.arguments[0].text);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return specs.filter((s) => s.startsWith('.')).map((s) => {
    const base = path.posix.normalize(path.posix.join(path.posix.dirname(file), s));
    return fs.existsSync(path.join(SRC, `${base}.ts`)) ? `${base}.ts` : `${base}/index.ts`;
  });
}

function layerOf(file: string): number {
  const i = LAYERS.findIndex((l) => file === l || file.startsWith(`${l}/`));
  if (i < 0) throw new Error(`src/${file} is in no layer; put it in one of ${LAYERS.join(', ')}.`);
  return i;
}

/** The import graph of src/: file -> the files it imports. */
function importGraph(): Map<string, string[]> {
  return new Map(sourceFiles(SRC).sort().map((f) => [f, importsOf(f, fs.readFileSync(path.join(SRC, f), 'utf8'))]));
}

/** Every strongly connected component with more than one file, or a file that imports itself (Tarjan). */
export function cycles(graph: Map<string, string[]>): string[][] {
  let index = 0;
  const indices = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const connect = (v: string): void => {
    indices.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!indices.has(w)) {
        connect(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, indices.get(w)!));
      }
    }
    if (low.get(v) === indices.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (graph.get(v) ?? []).includes(v)) out.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!indices.has(v)) connect(v);
  return out;
}

describe('the layers of src/', () => {
  const graph = importGraph();

  test('the graph reads the imports of every file (a sanity check of the parser)', () => {
    expect(graph.size).toBeGreaterThan(40);
    expect(graph.get('index.ts')).toEqual(expect.arrayContaining(['constructs/runner-manager.ts', 'fleet/fleet-synth.ts']));
    const unresolved = [...graph].flatMap(([file, targets]) => targets.filter((t) => !graph.has(t)).map((t) => `${file} -> ${t}`));
    expect(unresolved).toEqual([]);
  });

  test('every file is in a layer, and imports only from its own layer or lower ones', () => {
    const upward: string[] = [];
    for (const [file, targets] of graph) {
      for (const t of targets) if (layerOf(t) > layerOf(file)) upward.push(`${file} -> ${t}`);
    }
    expect(upward).toEqual([]);
  });

  test('no import loop, type-only imports included', () => {
    expect(cycles(graph)).toEqual([]);
  });

  test('the model imports nothing but the model (and cdk8s types)', () => {
    for (const [file, targets] of graph) if (file.startsWith('model/')) for (const t of targets) expect(t).toMatch(/^model\//);
  });
});

describe('the checks themselves', () => {
  test('a loop through a type-only import is found', () => {
    const text = "import type { A } from './b';\nexport const x = 1;\n";
    expect(importsOf('model/a.ts', text)).toEqual(['model/b/index.ts']);
    const graph = new Map([['a.ts', ['b.ts']], ['b.ts', ['c.ts']], ['c.ts', ['a.ts']], ['d.ts', ['a.ts']]]);
    expect(cycles(graph)).toEqual([['a.ts', 'b.ts', 'c.ts']]);
  });

  test('re-exports, import() types and require() are edges', () => {
    const text = "export { A } from './x';\nlet y: import('./y').Y;\nconst z = require('./z');\n";
    expect(importsOf('fleet/f.ts', text)).toEqual(['fleet/x/index.ts', 'fleet/y/index.ts', 'fleet/z/index.ts']);
  });

  test('an upward import names its layers', () => {
    expect(layerOf('model/quantity.ts')).toBeLessThan(layerOf('internal/render/config-toml.ts'));
    expect(layerOf('internal/rules/core.ts')).toBeLessThan(layerOf('internal/capacity/evaluate.ts'));
    expect(() => layerOf('elsewhere/x.ts')).toThrow(/in no layer/);
  });
});
