// The published declaration files (lib/*.d.ts after scripts/strip-internal.js) hold no @internal member or type, and
// a user's TypeScript that uses the public API type-checks against them, with library checks on.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ts from 'typescript';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { emitStrippedDeclarations } = require('../scripts/strip-internal') as { emitStrippedDeclarations: (root: string, outDir: string) => string[] };

const ROOT = path.join(__dirname, '..');
let outDir: string;

beforeAll(() => {
  outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'stripped-types-'));
  emitStrippedDeclarations(ROOT, outDir);
}, 120_000);

afterAll(() => fs.rmSync(outDir, { recursive: true, force: true }));

/** The declaration files index.d.ts reaches through its imports and re-exports. */
function reachable(): Map<string, string> {
  const seen = new Map<string, string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    const text = fs.readFileSync(file, 'utf8');
    seen.set(file, text);
    for (const spec of ts.preProcessFile(text, true, true).importedFiles.map((f) => f.fileName).filter((s) => s.startsWith('.'))) {
      const base = path.resolve(path.dirname(file), spec);
      visit(fs.existsSync(`${base}.d.ts`) ? `${base}.d.ts` : path.join(base, 'index.d.ts'));
    }
  };
  visit(path.join(outDir, 'index.d.ts'));
  return seen;
}

test('no internal member (_toModel, _findings, _evaluate, ...) or @internal model type is in the public declarations', () => {
  const files = reachable();
  expect(files.size).toBeGreaterThan(10);
  const internal = /\b_(toModel|findings|evaluate|extraFiles|register|managers|facts|nanos|nanosOf)\b\s*\(|\binterface (ManagerModel|JobPodModel|ServiceModel|DnsModel|BudgetModel)\b/;
  const leaks = [...files].filter(([, text]) => internal.test(text.replace(/\/\*\*[\s\S]*?\*\//g, ''))).map(([file]) => path.relative(outDir, file));
  expect(leaks).toEqual([]);
  // The public API is still there.
  const all = [...files.values()].join('\n');
  for (const name of ['class RunnerManager', 'class FleetSynth', 'helmValues()', 'class Rules', 'static acknowledge(']) expect(all).toContain(name);
});

test("a user's program type-checks against the stripped declarations, library checks on", () => {
  const user = path.join(outDir, 'user.ts');
  fs.writeFileSync(user, [
    "import { App, Chart } from 'cdk8s';",
    "import { FleetSynth, JobPodTemplate, ResourceBudget, Rules, RunnerManager, RunnerToken, Severity } from './index';",
    'const app = new App();',
    "const chart = new Chart(app, 'c');",
    "const budget = new ResourceBudget(chart, 'B', { nodePools: [{ name: 'w', nodes: 1, allocatable: { cpu: '4', memory: '16Gi' } }] });",
    "const jobs = new JobPodTemplate(chart, 'J');",
    "const m = new RunnerManager(chart, 'R', { gitlabUrl: 'https://gitlab.example.com/', token: RunnerToken.fromSecret('t'), jobPod: jobs, budget });",
    "Rules.acknowledge(m, 'CAP012', 'reason');",
    'const errors: number = FleetSynth.findings(app).filter((f) => f.severity === Severity.ERROR).length;',
    'export const values: { [key: string]: any } = m.helmValues();',
    'export { errors };',
  ].join('\n'));
  const modules = path.join(ROOT, 'node_modules');
  const program = ts.createProgram([user], {
    noEmit: true,
    strict: true,
    skipLibCheck: false,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    types: [],
    typeRoots: [path.join(modules, '@types')],
    paths: { '*': [path.join(modules, '*')] },
  });
  const errors = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  expect(errors).toEqual([]);
}, 120_000);
