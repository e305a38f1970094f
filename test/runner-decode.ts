import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

// GitLab Runner's own config loading, for tests: ../shared/tools/runner-decode decodes a config.toml with the runner's
// Go config types and the TOML library of one release (18.3.0, 18.9.0, 19.4.0) and lists what that release would
// ignore or refuse. And the manager's init script, run as the pod runs it, on local paths.

/** Where the decoder lives: `../shared/tools/runner-decode` beside the repository. */
export const RUN_SH = path.join(__dirname, '..', '..', 'shared', 'tools', 'runner-decode', 'run.sh');

/** The runner versions the decoder has the config types of. */
export const DECODER_VERSIONS = ['18.3.0', '18.9.0', '19.4.0'] as const;

/** Why the decoder cannot run here (its folder or Go missing), or undefined when it can. */
export function decoderProblem(env: NodeJS.ProcessEnv, runSh = RUN_SH): string | undefined {
  if (!fs.existsSync(runSh)) return `${runSh} is missing`;
  const go = spawnSync('go', ['version'], { encoding: 'utf8', env });
  if (go.error || go.status !== 0) return 'Go is not installed (apt-get install -y golang-go)';
  return undefined;
}

/** Whether to run the decoder tests: in CI (`CI=true`) a missing decoder or Go is an error, elsewhere a warning. */
export function decoderAvailable(env: NodeJS.ProcessEnv, runSh = RUN_SH): boolean {
  const problem = decoderProblem(env, runSh);
  if (problem === undefined) return true;
  if (env.CI === 'true') throw new Error(`runner-decode cannot run: ${problem}; CI must run the runner conformance checks.`);
  console.warn(`runner-decode checks not run: ${problem} (in CI this fails).`);
  return false;
}

/** What the decoder said about one file. */
export interface Decoded {
  /** Every problem line (UNDECODED, ERROR, INVALID, UNEXPANDED, IGNORED, SCHEMA, MISMATCH). */
  readonly problems: string[];
  /** The RESULT line. */
  readonly result: string;
  /** What decoded, as the runner's structs hold it. */
  readonly view: any;
}

const PROBLEM = /^(UNDECODED|ERROR|INVALID|UNEXPANDED|IGNORED|SCHEMA|MISMATCH) /;

/** Decodes `files` the way GitLab Runner `version` loads them, in one call of run.sh (the first per version builds). */
export function decode(version: string, files: string[], options: { template?: boolean } = {}): Map<string, Decoded> {
  const dumpDir = fs.mkdtempSync(path.join(path.dirname(files[0]), 'views-'));
  const args = [...(options.template ? ['--template'] : []), '-q', '--dump-dir', dumpDir, ...files];
  const r = spawnSync(RUN_SH, args, { encoding: 'utf8', env: { ...process.env, RUNNER_VERSION: version }, timeout: 600_000 });
  if (r.status !== 0 && r.status !== 1) throw new Error(`run.sh failed (${r.status}): ${r.stderr}${r.error ?? ''}`);
  const sections = new Map<string, string[]>();
  let current: string[] | undefined;
  for (const line of r.stdout.split('\n')) {
    const start = /^=== (.+)$/.exec(line);
    if (start && files.includes(start[1])) {
      current = [];
      sections.set(start[1], current);
    } else if (current) {
      current.push(line);
    }
  }
  const decoded = new Map<string, Decoded>();
  for (const file of files) {
    const lines = sections.get(file) ?? [];
    const view = path.join(dumpDir, `${path.basename(file, '.toml')}.view.json`);
    decoded.set(file, {
      problems: lines.filter((l) => PROBLEM.test(l)),
      result: lines.find((l) => l.startsWith('RESULT ')) ?? `no RESULT line for ${file} in:\n${r.stdout}\n${r.stderr}`,
      view: fs.existsSync(view) ? JSON.parse(fs.readFileSync(view, 'utf8')) : undefined,
    });
  }
  return decoded;
}

/** Tokens that break naive sed, shell quoting or TOML escaping. */
export const NASTY_TOKENS: Array<[string, string]> = [
  ['a plain glrt- token', 'glrt-t1_AbCdEf0123456789xyz'],
  ['sed metacharacters & / | and backslashes', 'glrt-a&b/c|d\\e\\\\f\\1&&'],
  ['quotes of every kind', 'glrt-"double" \'single\' `back`'],
  ['shell expansions', 'glrt-$(touch pwned) ${HOME} $RUNNER_TOKEN; rm -rf / #'],
  ['newlines, one trailing', 'glrt-line1\nline2\n'],
  ['only newlines after the first character', 'x\n\n\n'],
  ['a carriage return, a tab, control characters and DEL', 'glrt-\r\t\u0001\u001b[31m\u007f'],
  ['TOML syntax', 'glrt-"\nurl = "https://evil.example.com/"\n[[runners]]\ntoken = "'],
  ['non-ASCII UTF-8', 'glrt-ü€😀'],
  ['the placeholder itself', 'written-at-pod-start-from-the-secret'],
  ['a lone x (the sentinel)', 'x'],
];

/** What running the init script left behind. */
export interface InitRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** The config.toml the runner would read, if the script wrote one. */
  readonly configFile: string;
  readonly config?: string;
  /** Its permission bits, e.g. 0o600. */
  readonly mode?: number;
}

/**
 * Runs the init container of a synthesized manager Deployment as the pod would: its exact command, its environment,
 * with the ConfigMap's config.toml and the Secret's token file in place. Only the mount points move below `dir`:
 * every absolute path in the container's environment is prefixed with it. `token` undefined leaves the file out.
 * `binDir` goes first on PATH (to run the script with another awk).
 */
export function runInitScript(
  deployment: any, configToml: string, token: Buffer | string | undefined, dir: string, options: { shell?: string[]; binDir?: string } = {},
): InitRun {
  const init = deployment.spec.template.spec.initContainers.find((c: any) => c.name === 'copy-config');
  const [shell, flag, script] = init.command as string[];
  if (shell !== 'sh' || flag !== '-c' || init.args !== undefined) throw new Error(`unexpected init command: ${JSON.stringify(init.command)}`);
  const env: Record<string, string> = {};
  for (const e of init.env as Array<{ name: string; value: string }>) env[e.name] = e.value.startsWith('/') ? path.join(dir, e.value) : e.value;
  fs.mkdirSync(path.dirname(env.CONFIG_TEMPLATE), { recursive: true });
  fs.writeFileSync(env.CONFIG_TEMPLATE, configToml);
  fs.mkdirSync(path.dirname(env.TOKEN_FILE), { recursive: true });
  if (token !== undefined) fs.writeFileSync(env.TOKEN_FILE, token);
  fs.mkdirSync(path.dirname(env.CONFIG_FILE), { recursive: true });
  const PATH = options.binDir ? `${options.binDir}:${process.env.PATH}` : process.env.PATH!;
  const [command, ...prefix] = options.shell ?? ['sh'];
  const r = spawnSync(command, [...prefix, '-c', script], { encoding: 'utf8', env: { PATH, ...env }, cwd: dir, timeout: 30_000 });
  const written = fs.existsSync(env.CONFIG_FILE);
  return {
    status: r.status,
    stdout: r.stdout,
    stderr: r.stderr,
    configFile: env.CONFIG_FILE,
    config: written ? fs.readFileSync(env.CONFIG_FILE, 'utf8') : undefined,
    mode: written ? fs.statSync(env.CONFIG_FILE).mode % 0o1000 : undefined,
  };
}
