import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

// The YAML reader of kubectl and Helm, for tests: Go's gopkg.in/yaml.v2 (kubectl reads through sigs.k8s.io/yaml, a
// fork of it), from Debian's golang-gopkg-yaml.v2-dev, built once per machine into the temp directory.

/** Where Debian's package puts the library (GOPATH mode, no network). */
const GOPATH = '/usr/share/gocode';
const SOURCE = path.join(__dirname, 'go-yaml', 'main.go');

/** Why the reader cannot run here, or undefined when it can. */
export function goYamlProblem(gopath = GOPATH): string | undefined {
  const go = spawnSync('go', ['version'], { encoding: 'utf8' });
  if (go.error || go.status !== 0) return 'Go is not installed (apt-get install -y golang-go)';
  if (!fs.existsSync(path.join(gopath, 'src', 'gopkg.in', 'yaml.v2'))) return 'gopkg.in/yaml.v2 is not installed (apt-get install -y golang-gopkg-yaml.v2-dev)';
  return undefined;
}

/** Whether to run the Go YAML checks: in CI (`CI=true`) a missing reader is an error, elsewhere a warning. */
export function goYamlAvailable(env: NodeJS.ProcessEnv = process.env, gopath = GOPATH): boolean {
  const problem = goYamlProblem(gopath);
  if (problem === undefined) return true;
  if (env.CI === 'true') throw new Error(`the Go YAML reader cannot run: ${problem}; CI must run the kubectl-reader checks.`);
  console.warn(`Go YAML reader checks not run: ${problem} (in CI this fails).`);
  return false;
}

let binary: string | undefined;

function build(): string {
  if (binary !== undefined) return binary;
  const dir = path.join(os.tmpdir(), `go-yaml-reader-${process.getuid?.() ?? 'user'}`);
  const out = path.join(dir, 'read-yaml');
  const source = fs.readFileSync(SOURCE, 'utf8');
  const stamp = path.join(dir, 'source.go');
  if (!fs.existsSync(out) || !fs.existsSync(stamp) || fs.readFileSync(stamp, 'utf8') !== source) {
    fs.mkdirSync(dir, { recursive: true });
    const r = spawnSync('go', ['build', '-o', `${out}.tmp`, SOURCE], {
      encoding: 'utf8', env: { ...process.env, GO111MODULE: 'off', GOPATH, GOFLAGS: '', GOCACHE: path.join(dir, 'cache') }, timeout: 300_000,
    });
    if (r.status !== 0) throw new Error(`building the Go YAML reader failed: ${r.stderr}${r.error ?? ''}`);
    fs.renameSync(`${out}.tmp`, out);
    fs.writeFileSync(stamp, source);
  }
  binary = out;
  return out;
}

/** The documents of `text` as Go's yaml.v2 reads them (as JSON values). Throws when the reader refuses the text. */
export function readWithGoYaml(text: string): unknown[] {
  const r = spawnSync(build(), [], { input: text, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`Go's yaml.v2 refused the text: ${r.stderr}`);
  return r.stdout.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l));
}
