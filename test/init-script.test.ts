import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Testing } from 'cdk8s';
import { parse } from 'smol-toml';
import { NASTY_TOKENS, runInitScript } from './runner-decode';
import { seedFleet } from '../examples/seed-fleet/fleet';

// The manager's init container writes the token from the Secret into the memory-backed copy of config.toml, because
// runners before 18.10.0 send `token = "$VAR"` to GitLab as it stands. This runs the exact script the example's
// Deployment carries, with `sh`, on tokens full of shell and TOML metacharacters, and reads the result back.
// test/runner-decode.test.ts decodes the same output with the runner's own config types.

const manifests = Testing.synth(seedFleet(Testing.app()));
const deployment = manifests.find((o) => o.kind === 'Deployment');
const configToml: string = manifests.find((o) => o.kind === 'ConfigMap').data['config.toml'];


// Made while the tests are collected: the awk shims of variants() live here too.
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'init-script-'));
afterAll(() => { fs.rmSync(work, { recursive: true, force: true }); });

let runs = 0;
const freshDir = () => fs.mkdtempSync(path.join(work, `run-${runs++}-`));

/** Every line of `config` except the token line, and the token line alone. */
function split(config: string): { others: string[]; tokenLines: string[] } {
  const lines = config.split('\n');
  return { others: lines.filter((l) => !l.startsWith('token = ')), tokenLines: lines.filter((l) => l.startsWith('token = ')) };
}

/** The shells and awks to run the script with: the system's, plus busybox and gawk when installed. */
function variants(): Array<[string, { shell?: string[]; binDir?: string }]> {
  const found: Array<[string, { shell?: string[]; binDir?: string }]> = [['sh and the default awk', {}]];
  const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
  const shim = (name: string, target: string) => {
    const dir = fs.mkdtempSync(path.join(work, `${name}-`));
    fs.symlinkSync(target, path.join(dir, 'awk'));
    return dir;
  };
  const which = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).stdout.trim();
  if (has('busybox')) found.push(['busybox sh and busybox awk (alpine images)', { shell: [which('busybox'), 'sh'], binDir: shim('busybox', which('busybox')) }]);
  if (has('mawk')) found.push(['sh and mawk (Ubuntu images)', { binDir: shim('mawk', which('mawk')) }]);
  if (has('gawk')) found.push(['sh and gawk', { binDir: shim('gawk', which('gawk')) }]);
  return found;
}

test('the example\'s init container is the script these tests run: sh -c, no args, its paths in the environment', () => {
  const init = deployment.spec.template.spec.initContainers[0];
  expect(init.command[0]).toBe('sh');
  expect(init.env.map((e: any) => e.name)).toEqual(['CONFIG_TEMPLATE', 'TOKEN_FILE', 'CONFIG_FILE']);
  expect(init.env.every((e: any) => e.value !== undefined && e.valueFrom === undefined)).toBe(true);
  expect(configToml).toContain('token = "written-at-pod-start-from-the-secret"\n');
});

describe.each(variants())('with %s', (_name, options) => {
  test.each(NASTY_TOKENS)('%s: the written config.toml holds the token exactly, the rest unchanged, mode 0600', (_what, token) => {
    const run = runInitScript(deployment, configToml, token, freshDir(), options);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.mode).toBe(0o600);
    expect((parse(run.config!) as any).runners[0].token).toBe(token);
    const before = split(configToml);
    const after = split(run.config!);
    expect(after.others).toEqual(before.others);
    expect(after.tokenLines).toHaveLength(1);
    // Nothing of the token reaches the output streams (the pod's log).
    expect(run.stdout).toBe('');
  });

  test('a missing token file stops the pod with a message, and writes no config.toml', () => {
    const run = runInitScript(deployment, configToml, undefined, freshDir(), options);
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(/copy-config: cannot read the runner token from .*\/secrets\/runner-token/);
    expect(run.config).toBeUndefined();
  });

  test('an empty token stops the pod', () => {
    const run = runInitScript(deployment, configToml, '', freshDir(), options);
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(/copy-config: the runner token in .* is empty/);
    expect(run.config).toBeUndefined();
  });

  test('a config.toml without the token line, or with two, stops the pod', () => {
    const none = runInitScript(deployment, configToml.replace(/^token = .*\n/m, ''), 'glrt-x', freshDir(), options);
    expect(none.status).not.toBe(0);
    expect(none.stderr).toMatch(/has 0 token lines to fill in, not 1/);
    expect(none.config).toBeUndefined();
    const twice = runInitScript(deployment, `${configToml}${configToml.match(/^token = .*\n/m)![0]}`, 'glrt-x', freshDir(), options);
    expect(twice.stderr).toMatch(/has 2 token lines to fill in, not 1/);
    expect(twice.config).toBeUndefined();
  });

  test('every ASCII character but NUL round-trips, in one token', () => {
    const ascii = Array.from({ length: 127 }, (_, i) => String.fromCharCode(i + 1)).join('');
    const run = runInitScript(deployment, configToml, ascii, freshDir(), options);
    expect(run.status).toBe(0);
    expect((parse(run.config!) as any).runners[0].token).toBe(ascii);
  });
});
