// npm runs this before `npm pack` and `npm publish` (and when a package is installed from git): the tarball must
// hold the compiled library (lib/) and its jsii assembly (.jsii). Compile unless both exist and are newer than every
// file under src/; a failed compile fails the pack, so a tarball without lib/ cannot be produced. Compiled files whose
// source is gone are removed first. Then the .d.ts files lose any @internal members still in them
// (scripts/strip-internal.js), and lib/ is bundled (scripts/bundle-lib.js), unless it already is.
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, '..');
const BUNDLE = path.join(root, 'lib', 'bundle.js');

function newestMtime(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : fs.statSync(full).mtimeMs);
  }
  return newest;
}

function builtAt(file) {
  const full = path.join(root, file);
  return fs.existsSync(full) ? fs.statSync(full).mtimeMs : -1;
}

function fresh() {
  // The bundle step's scripts count as sources: a bundle made by an older one is made anew from a new compile. So does
  // package-lock.json, which changes with the installed smol-toml that the bundle embeds.
  const sources = Math.max(newestMtime(path.join(root, 'src')), builtAt('tsconfig.json'), builtAt('package.json'),
    builtAt('package-lock.json'), builtAt('scripts/bundle-lib.js'), builtAt('scripts/lib-entry.js'));
  return Math.min(builtAt('lib/index.js'), builtAt('.jsii')) >= sources;
}

function sleep(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

// Two packs at once (parallel test suites on a fresh clone) must not run two compiles into the same lib/: the second
// waits for the first and then finds lib/ fresh. A lock left by a killed compile is taken over after 10 minutes.
const lock = path.join(root, '.prepack.lock');
function acquire() {
  for (;;) {
    try {
      fs.mkdirSync(lock);
      return;
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
      if (Date.now() - fs.statSync(lock).mtimeMs > 600_000) fs.rmSync(lock, { recursive: true, force: true });
      else sleep(500);
    }
  }
}

// jsii never deletes what it once wrote: a source file moved or removed leaves its old lib/*.js and .d.ts behind, and
// npm would pack them. Remove every compiled file whose source is gone.
function removeOrphans(dir = path.join(root, 'lib')) {
  if (!fs.existsSync(dir)) return;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (full === BUNDLE) continue; // made from the compiled files, not from one source
    if (entry.isDirectory()) {
      removeOrphans(full);
      if (fs.readdirSync(full).length === 0) fs.rmdirSync(full);
      continue;
    }
    const source = path.join(root, 'src', path.relative(path.join(root, 'lib'), full)).replace(/(\.d\.ts|\.js|\.js\.map)$/, '.ts');
    if (!fs.existsSync(source)) {
      fs.rmSync(full);
      console.error(`prepack: removed ${path.relative(root, full)} (its source is gone)`);
    }
  }
}

/** Whether a declaration file of lib/ still holds a member marked @internal (strip-internal.js leaves none). */
function holdsInternal(dir = path.join(root, 'lib')) {
  if (!fs.existsSync(dir)) return false;
  return fs.readdirSync(dir, { withFileTypes: true }).some((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return holdsInternal(full);
    return entry.name.endsWith('.d.ts') && fs.readFileSync(full, 'utf-8').includes('@internal');
  });
}

/** Runs one of the scripts beside this one; its exit status. */
function node(script) {
  const result = spawnSync(process.execPath, [path.join(__dirname, script)], { cwd: root, stdio: ['ignore', 2, 2] });
  return result.status === null ? 1 : result.status;
}

acquire();
let status = 0;
try {
  removeOrphans();
  if (fresh()) {
    console.error('prepack: lib/ and .jsii are newer than the sources');
  } else {
    console.error('prepack: compiling (jsii)');
    const jsii = path.join(root, 'node_modules', '.bin', 'jsii');
    if (!fs.existsSync(jsii)) {
      console.error('prepack: jsii is not installed; run `npm ci` first (a package without lib/ and .jsii cannot be packed)');
      status = 1;
    } else {
      const result = spawnSync(jsii, ['--silence-warnings=reserved-word'], {
        cwd: root,
        stdio: ['ignore', 2, 2], // stdout belongs to npm (npm pack --json)
        env: { ...process.env, JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION: '20' },
      });
      status = result.status === null ? 1 : result.status;
    }
  }
  // The published .d.ts files without @internal members, as the post-compile task writes them (a compile by `npx
  // projen compile` alone leaves jsii's, which still hold them, even when lib/ is fresh).
  if (status === 0 && holdsInternal()) status = node('strip-internal.js');
  // The package's entry and its bundle, as the post-compile task writes them (a compile by `npx projen compile` alone
  // leaves tsc's entry, which this step bundles; an already bundled lib/ is left as it is).
  if (status === 0) status = node('bundle-lib.js');
} finally {
  fs.rmSync(lock, { recursive: true, force: true });
}
process.exit(status);
