import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

// The library serves Python, Java, .NET and Go through jsii: generate the four bindings from the compiled assembly
// (jsii-pacmak --code-only, as CI does), check that every public type reaches each of them, and that the Python
// example in docs/other-languages.md uses only names the generated Python module (and cdk8s) really has.

const repo = path.join(__dirname, '..');
const bin = (name: string) => path.join(repo, 'node_modules', '.bin', name);
const env = { ...process.env, JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION: '20' };

interface JsiiType {
  readonly fqn: string;
  readonly name: string;
  readonly kind: string;
  readonly properties?: { name: string }[];
  readonly members?: { name: string }[];
  readonly methods?: { name: string; static?: boolean }[];
  readonly datatype?: boolean;
}
interface Assembly { readonly types: Record<string, JsiiType>; readonly targets: Record<string, any> }

let out: string;
let assembly: Assembly;

beforeAll(() => {
  // The same step `npm pack` runs: compile unless lib/ and .jsii are newer than the sources.
  execFileSync('node', [path.join(repo, 'scripts', 'prepack.js')], { cwd: repo, env, stdio: 'pipe' });
  assembly = JSON.parse(fs.readFileSync(path.join(repo, '.jsii'), 'utf-8'));
  out = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-gitlab-runner-bindings-'));
  execFileSync(bin('jsii-pacmak'), ['--code-only', '--outdir', out], { cwd: repo, env, stdio: 'pipe', timeout: 240_000 });
}, 300_000);

afterAll(() => {
  if (out) fs.rmSync(out, { recursive: true, force: true });
});

function publicTypes(): JsiiType[] {
  return Object.values(assembly.types).filter((t) => t.fqn.startsWith('cdk8s-gitlab-runner.'));
}

test('the assembly declares the four language targets with the cdk8s naming convention', () => {
  expect(assembly.targets.python).toEqual({ distName: 'cdk8s-gitlab-runner', module: 'cdk8s_gitlab_runner' });
  expect(assembly.targets.java.package).toBe('org.cdk8s.gitlabrunner');
  expect(assembly.targets.dotnet.namespace).toBe('Org.Cdk8s.GitlabRunner');
  expect(assembly.targets.go.packageName).toBe('cdk8sgitlabrunner');
});

test('every public type reaches the Python, Java, .NET and Go bindings', () => {
  const pythonModule = fs.readFileSync(path.join(out, 'python', 'src', 'cdk8s_gitlab_runner', '__init__.py'), 'utf-8');
  const javaDir = path.join(out, 'java', 'src', 'main', 'java', 'org', 'cdk8s', 'gitlabrunner');
  const dotnetDir = path.join(out, 'dotnet', 'Org.Cdk8s.GitlabRunner');
  const goDir = path.join(out, 'go', 'cdk8sgitlabrunner');
  const types = publicTypes();
  expect(types.length).toBeGreaterThan(20);
  const missing: string[] = [];
  for (const t of types) {
    if (!new RegExp(`^class ${t.name}\\b`, 'm').test(pythonModule)) missing.push(`python ${t.name}`);
    if (!fs.existsSync(path.join(javaDir, `${t.name}.java`))) missing.push(`java ${t.name}`);
    if (!fs.readdirSync(dotnetDir, { recursive: true }).some((f) => path.basename(String(f)) === `${t.name}.cs`)) {
      missing.push(`dotnet ${t.name}`);
    }
    if (!fs.readdirSync(goDir).some((f) => f === `${t.name}.go`)) missing.push(`go ${t.name}`);
  }
  expect(missing).toEqual([]);
});

// Lists, for a Python source, what it imports and how it uses the imported names: calls with their keyword
// arguments and attribute reads (enum members, static methods). Python's own parser, so the example is also proven
// to be valid Python.
const USES = String.raw`
import ast, json, sys
tree = ast.parse(open(sys.argv[1]).read())
imports = {}
for node in ast.walk(tree):
    if isinstance(node, ast.ImportFrom):
        for a in node.names:
            imports[a.asname or a.name] = [node.module, a.name]
calls, attrs = [], []
for node in ast.walk(tree):
    if isinstance(node, ast.Call):
        f = node.func
        if isinstance(f, ast.Name) and f.id in imports:
            calls.append([f.id, None, [k.arg for k in node.keywords]])
        elif isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name) and f.value.id in imports:
            calls.append([f.value.id, f.attr, [k.arg for k in node.keywords]])
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in imports:
        attrs.append([node.value.id, node.attr])
print(json.dumps({"imports": imports, "calls": calls, "attrs": attrs}))
`;

// Lists, for the generated module, each class with its constructor's keyword arguments and its other members.
const API = String.raw`
import ast, json, sys
tree = ast.parse(open(sys.argv[1]).read())
classes = {}
for node in tree.body:
    if isinstance(node, ast.ClassDef):
        init, members = [], []
        for item in node.body:
            if isinstance(item, ast.FunctionDef):
                if item.name == "__init__":
                    init = [a.arg for a in item.args.kwonlyargs]
                else:
                    members.append(item.name)
            elif isinstance(item, ast.Assign):
                members += [t.id for t in item.targets if isinstance(t, ast.Name)]
        classes[node.name] = {"init": init, "members": members}
print(json.dumps(classes))
`;

function python(script: string, file: string): any {
  return JSON.parse(execFileSync('python3', ['-c', script, file], { encoding: 'utf-8' }));
}

const snake = (name: string) => name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();

/** cdk8s's Python names, derived from its jsii assembly by jsii's rules. */
function cdk8sApi(): Record<string, { init: string[]; members: string[] }> {
  const cdk8s: Assembly = JSON.parse(fs.readFileSync(path.join(repo, 'node_modules', 'cdk8s', '.jsii'), 'utf-8'));
  const byFqn = cdk8s.types;
  const api: Record<string, { init: string[]; members: string[] }> = {};
  for (const t of Object.values(byFqn)) {
    const ctor = (t as any).initializer?.parameters ?? [];
    const props = ctor.flatMap((p: any) => {
      const struct = p.type?.fqn ? byFqn[p.type.fqn] : undefined;
      return struct?.datatype ? (struct.properties ?? []).map((q) => snake(q.name)) : [];
    });
    api[t.name] = {
      init: props,
      members: [...(t.methods ?? []).map((m) => snake(m.name)), ...(t.members ?? []).map((m) => m.name)],
    };
  }
  return api;
}

/** What in a Python source does not exist in the bindings: imported names, keyword arguments, members. */
function pythonProblems(file: string): { problems: string[]; uses: any } {
  const uses = python(USES, file);
  const apis: Record<string, Record<string, { init: string[]; members: string[] }>> = {
    cdk8s_gitlab_runner: python(API, path.join(out, 'python', 'src', 'cdk8s_gitlab_runner', '__init__.py')),
    cdk8s: cdk8sApi(),
  };
  const problems: string[] = [];
  const apiOf = (local: string) => {
    const [module, name] = uses.imports[local];
    return apis[module]?.[name];
  };
  for (const [module, name] of Object.values(uses.imports) as [string, string][]) {
    if (!apis[module]) problems.push(`imports from an unexpected module ${module}`);
    else if (!apis[module][name]) problems.push(`${module} has no ${name}`);
  }
  // Constructor keyword arguments; a static method's arguments are positional here, its name is an attribute read.
  for (const [local, method, keywords] of uses.calls as [string, string | null, string[]][]) {
    const api = apiOf(local);
    if (!api || method !== null) continue;
    for (const k of keywords) if (!api.init.includes(k)) problems.push(`${local}(...) has no keyword argument ${k}`);
  }
  for (const [local, attr] of uses.attrs as [string, string][]) {
    const api = apiOf(local);
    if (api && !api.members.includes(attr)) problems.push(`${local}.${attr} does not exist`);
  }
  return { problems, uses };
}

test('the Python example in docs/other-languages.md uses only names the bindings have', () => {
  const doc = fs.readFileSync(path.join(repo, 'docs', 'other-languages.md'), 'utf-8');
  const block = /```python\n([\s\S]*?)```/.exec(doc);
  expect(block).not.toBeNull();
  const example = path.join(out, 'example.py');
  fs.writeFileSync(example, block![1]);
  const { problems, uses } = pythonProblems(example);
  expect(problems).toEqual([]);
  // The example exercises what it claims to: the five constructs, a token from a Secret, and FleetSynth.
  expect(Object.keys(uses.imports)).toEqual(expect.arrayContaining(
    ['RunnerManager', 'JobPodTemplate', 'DindService', 'DnsConfig', 'ResourceBudget', 'RunnerToken', 'FleetSynth']));
  expect(uses.attrs).toEqual(expect.arrayContaining([['RunnerToken', 'from_secret'], ['FleetSynth', 'synth']]));
  expect(uses.calls.filter((c: any[]) => c[2].length > 0).length).toBeGreaterThan(10);
});

test('camelCase keywords, missing members and unknown imports in a Python example are caught', () => {
  const bad = path.join(out, 'bad.py');
  fs.writeFileSync(bad, [
    'from cdk8s import Chart',
    'from cdk8s_gitlab_runner import RunnerManager, DnsPolicy, RunnerTokens',
    'RunnerManager(None, "R", gitlabUrl="x", job_pod=None)',
    'Chart(None, "c", disableResourceNameHashes=True)',
    'DnsPolicy.None_',
    '',
  ].join('\n'));
  expect(pythonProblems(bad).problems.sort()).toEqual([
    'Chart(...) has no keyword argument disableResourceNameHashes',
    'DnsPolicy.None_ does not exist',
    'RunnerManager(...) has no keyword argument gitlabUrl',
    'cdk8s_gitlab_runner has no RunnerTokens',
  ]);
});
