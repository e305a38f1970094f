// cdk8s-gitlab-runner: the package's entry (written into lib/index.js by scripts/bundle-lib.js). It runs lib/bundle.js,
// the whole compiled library in one file, and keeps V8's compiled code of it in a per-user cache directory, so a
// process that loads the library after the first one compiles (almost) nothing: the code cache holds the bytecode of
// every function the first process ran.
// - V8 refuses a cache written by another Node.js version or with other V8 flags.
// - A cache file's name is the SHA-256 of lib/bundle.js (which the bundle's first line names, so no process hashes the
//   bundle) with the bundle's size and modification time, so it never serves other code, nor a bundle edited in place;
//   it starts with the SHA-256 of its data, so a file damaged on disk is never used; it is written whole (under a name
//   of its own, then renamed).
// - Without a usable cache directory the library loads the same way, only slower; nothing is printed.
//
// CDK8S_GITLAB_RUNNER_COMPILE_CACHE: unset, the directory `cdk8s-gitlab-runner-<uid>` in the OS's temporary
// directory; `off` (or `0`, `false`), no cache; any other value, the directory to use.
'use strict';
const crypto = require('crypto');
const fs = require('fs');
const os = require('os');
const path = require('path');
const vm = require('vm');

/** Whether a buffer holds ASCII only (Node.js 18.15 and later; without it, the bundle is read as UTF-8). */
const isAscii = require('buffer').isAscii ?? (() => false);

const BUNDLE = path.join(__dirname, 'bundle.js');
/** How many cache files the directory keeps (one per version of this package and of Node.js in use). */
const KEEP = 8;
/** The length of a SHA-256 digest. */
const DIGEST_BYTES = 32;

/**
 * The cache directory, when it is safe to use: a real directory (not a symbolic link) that belongs to this user and
 * that nobody else may write to, so no other user can hand this process compiled code. Made (mode 700) if missing.
 */
function cacheDirectory() {
  const setting = (process.env.CDK8S_GITLAB_RUNNER_COMPILE_CACHE ?? '').trim();
  if (['off', '0', 'false'].includes(setting.toLowerCase())) return undefined;
  const uid = typeof process.getuid === 'function' ? process.getuid() : undefined;
  try {
    const dir = setting !== '' ? path.resolve(setting) : path.join(os.tmpdir(), `cdk8s-gitlab-runner-${uid ?? os.userInfo().username}`);
    let stat = fs.lstatSync(dir, { throwIfNoEntry: false });
    if (stat === undefined) {
      fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
      stat = fs.lstatSync(dir);
    }
    if (!stat.isDirectory()) return undefined;
    if (uid !== undefined && (stat.uid !== uid || (stat.mode & 0o022) !== 0)) return undefined;
    return dir;
  } catch {
    return undefined;
  }
}

/**
 * Keeps the `KEEP` most recently written cache files of `dir` (the others belong to versions no longer in use) and
 * removes the unfinished files of processes killed while writing (older than an hour).
 */
function prune(dir) {
  const files = fs.readdirSync(dir).map((name) => ({ name, written: fs.statSync(path.join(dir, name)).mtimeMs }));
  const caches = files.filter((f) => f.name.endsWith('.cache')).sort((a, b) => b.written - a.written || (a.name < b.name ? -1 : 1));
  const unfinished = files.filter((f) => f.name.endsWith('.tmp') && f.written < Date.now() - 3_600_000);
  for (const { name } of [...caches.slice(KEEP), ...unfinished]) fs.rmSync(path.join(dir, name), { force: true });
}

function load() {
  // The cached bundle runs in Node.js's main realm; a test runner that loads modules into a realm of its own (jest's vm
  // contexts) gets the bundle the ordinary way, so its objects are of that realm (`instanceof Error` holds there). A
  // built-in module is an object of the main realm: its prototype is this realm's Object.prototype only in that realm.
  const dir = Object.getPrototypeOf(path) === Object.prototype ? cacheDirectory() : undefined;
  if (dir === undefined) return require(BUNDLE);
  const fd = fs.openSync(BUNDLE, 'r');
  let code;
  let stat;
  try {
    stat = fs.fstatSync(fd);
    code = fs.readFileSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  // The bundle step writes ASCII, which reads the same as Latin-1 and UTF-8; Latin-1 is the quicker to decode.
  const source = code.toString(isAscii(code) ? 'latin1' : 'utf-8');
  const named = /^\/\/ cdk8s-gitlab-runner bundle sha256:([0-9a-f]{64}):/.exec(source.slice(0, 128));
  const digest = named !== null ? named[1] : crypto.createHash('sha256').update(code).digest('hex');
  const key = crypto.createHash('sha256')
    .update(`${digest}\0${stat.size}\0${stat.mtimeMs}\0${process.version}\0${process.arch}`).digest('hex');
  const file = path.join(dir, `${key.slice(0, 40)}.cache`);
  // A cache file is the SHA-256 of V8's data, then the data: a file damaged on disk is never handed to V8.
  let cachedData;
  try {
    const stored = fs.readFileSync(file);
    const data = stored.subarray(DIGEST_BYTES);
    if (stored.length > DIGEST_BYTES && crypto.createHash('sha256').update(data).digest().equals(stored.subarray(0, DIGEST_BYTES))) {
      cachedData = data;
    }
  } catch {
    cachedData = undefined;
  }
  // The bundle is one expression whose value, run as a script, is the module function (scripts/bundle-lib.js): V8
  // compiles the text as read, with no wrapper joined to it (joining would copy the 0.9 MB text once more).
  const script = new vm.Script(source, { filename: BUNDLE, cachedData });
  const module = { exports: {} };
  // This file's own require: the bundle sits in the same directory, so every request resolves as it would from there.
  script.runInThisContext().call(module.exports, module.exports, require, module, BUNDLE, __dirname);
  if (cachedData === undefined || script.cachedDataRejected) {
    // Written when the process ends, so the cache holds every function this process compiled, not only the top level.
    process.once('exit', () => {
      const temporary = `${file}.${crypto.randomUUID()}.tmp`;
      try {
        const data = script.createCachedData();
        fs.writeFileSync(temporary, Buffer.concat([crypto.createHash('sha256').update(data).digest(), data]), { mode: 0o600 });
        fs.renameSync(temporary, file);
        prune(dir);
      } catch {
        try {
          fs.rmSync(temporary, { force: true });
        } catch {
          // Nothing was cached; the next process tries again.
        }
      }
    });
  }
  return module.exports;
}

module.exports = load();
