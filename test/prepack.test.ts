import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

// scripts/prepack.js runs before every npm pack: it compiles a stale lib/ and removes compiled files whose source is
// gone (jsii never deletes them, and npm would pack them).

const repo = path.join(__dirname, '..');
const env = { ...process.env, JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION: '20' };

test('compiled files without a source are removed; the others stay', () => {
  execFileSync('node', [path.join(repo, 'scripts', 'prepack.js')], { cwd: repo, env, stdio: 'pipe' });
  const orphanDir = path.join(repo, 'lib', 'prepack-test-orphans');
  fs.mkdirSync(orphanDir, { recursive: true });
  const orphans = ['gone.js', 'gone.d.ts'].map((f) => path.join(orphanDir, f));
  for (const f of orphans) fs.writeFileSync(f, '// compiled from a source that no longer exists\n');
  const kept = fs.readdirSync(path.join(repo, 'lib'), { recursive: true }).map(String).filter((f) => !f.startsWith('prepack-test-orphans')).sort();

  const log = execFileSync('node', [path.join(repo, 'scripts', 'prepack.js')], { cwd: repo, env, encoding: 'utf-8', stdio: ['ignore', 'pipe', 'pipe'] });

  expect(orphans.filter((f) => fs.existsSync(f))).toEqual([]);
  expect(fs.existsSync(orphanDir)).toBe(false);
  expect(fs.readdirSync(path.join(repo, 'lib'), { recursive: true }).map(String).sort()).toEqual(kept);
  expect(kept).toEqual(expect.arrayContaining(['index.js', 'index.d.ts', 'bundle.js']));
  expect(log).toBe(''); // stdout stays npm's (npm pack --json)
}, 300_000);

test('declaration files that still hold @internal members (a compile by `npx projen compile` alone) are stripped, even when lib/ is fresh', () => {
  execFileSync('node', [path.join(repo, 'scripts', 'prepack.js')], { cwd: repo, env, stdio: 'pipe' });
  const declarations = path.join(repo, 'lib', 'model', 'quantity.d.ts');
  const stripped = fs.readFileSync(declarations, 'utf-8');
  expect(stripped).not.toContain('@internal');
  fs.appendFileSync(declarations, '/** @internal as jsii writes it */\nexport declare const _notForUsers: number;\n');

  const log = execFileSync('node', [path.join(repo, 'scripts', 'prepack.js')], { cwd: repo, env, encoding: 'utf-8', stdio: ['ignore', 'pipe', 'pipe'] });

  expect(fs.readFileSync(declarations, 'utf-8')).toBe(stripped);
  expect(log).toBe('');
}, 300_000);
