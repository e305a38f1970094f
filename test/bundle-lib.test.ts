import { spawnSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

// scripts/bundle-lib.js turns the compiled lib/ into lib/bundle.js (every module, loaded the way Node.js loads it) and
// lib/index.js into scripts/lib-entry.js, which runs the bundle with a V8 code cache. These tests bundle a small lib/ with
// the shapes the real one has (an import cycle, a directory import, a lazy require, requires of packages and built-ins)
// and run it in child processes, as a user's app runs it. test/consumer.test.ts checks the real package the same way.

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { bundleLib } = require('../scripts/bundle-lib.js') as { bundleLib: (lib: string) => number };

const FIXTURE: Record<string, string> = {
  'index.js': `"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
const a = require("./a");
const sub = require("./sub");
const greeting_messages_1 = require("./greeting.messages");
exports.seenByB = a.seenByB;
exports.fromSub = sub.name;
exports.where = sub.where;
exports.lazy = () => require('./lazy.generated').value;
exports.joined = require("path").posix.join('x', 'y');
exports.resolved = require.resolve('path');
exports.file = require("path").basename(__filename);
exports.error = () => new Error('made in the library');
exports.makeList = () => [1, 2];
exports.dynamic = (name) => Object.keys(require('./' + name));
exports.toml = () => require("smol-toml").stringify({ a: 'b' });
exports.greet = (name) => greeting_messages_1.GREETING_MESSAGES.hello(name);
exports.greetingModule = () => greeting_messages_1;
exports.messageRuns = () => globalThis.greetingMessagesRuns ?? 0;
// Characters outside ASCII (× ÷ →) in a comment, a string, a template, a regular expression; a tagged template in ASCII.
exports.symbols = ['2 × 3 ÷ 4 → µ', \`≤ \${1 + 1} – 😀\`, /^[×÷]$/.test('÷'), /^.$/u.test('😀'), String.raw\`a\\b \${'→'}\`];
`,
  // a requires b while a is half loaded: b sees a's exports as they are at that moment, as in Node.js.
  'a.js': `"use strict";
exports.early = 'set before b';
const b = require("./b");
exports.seenByB = b.seen;
exports.late = 'set after b';
`,
  'b.js': `"use strict";
const a = require("./a");
exports.seen = Object.keys(a);
`,
  'sub/index.js': `"use strict";
exports.name = 'sub/index, ' + require("../b").seen.length;
exports.where = [require("path").basename(__dirname), require("path").relative(__dirname, __filename)];
`,
  // A messages module: in the bundle it runs when one of its exports is first read, not when index.js requires it.
  'greeting.messages.js': `"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.GREETING_MESSAGES = void 0;
const sub = require("./sub");
const runs = (globalThis.greetingMessagesRuns = (globalThis.greetingMessagesRuns ?? 0) + 1);
exports.GREETING_MESSAGES = { hello: (name) => \`hello \${name} from \${sub.name}, run \${runs}\` };
`,
  'lazy.generated.js': `"use strict";
exports.value = 'loaded on first use';
`,
  'unreached.js': `"use strict";
throw new Error('no module requires this one');
`,
};

const PROBE = `const lib = require(process.argv[1]);
const error = lib.error();
process.stdout.write(JSON.stringify({
  messageRunsBefore: lib.messageRuns(), greeting: lib.greet('you'), messageRunsAfter: lib.messageRuns(), greetingKeys: Object.keys(lib.greetingModule()),
  seenByB: lib.seenByB, fromSub: lib.fromSub, where: lib.where, lazy: lib.lazy(), joined: lib.joined, resolved: lib.resolved, file: lib.file,
  symbols: lib.symbols, dynamic: (() => { try { return lib.dynamic('b'); } catch (e) { return e.message.split('\\n')[0]; } })(), errorIsError: error instanceof Error, listIsArray: Array.isArray(lib.makeList()), keys: Object.keys(lib).sort(),
  toml: (() => { try { return lib.toml(); } catch (e) { return e.code; } })(), tomlFiles: Object.keys(require.cache).filter((f) => f.includes('smol-toml')).length,
}));
`;

let work: string;
beforeEach(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'bundle-lib-'));
});
afterEach(() => {
  fs.rmSync(work, { recursive: true, force: true });
});

function writeLib(dir: string): string {
  for (const [file, text] of Object.entries(FIXTURE)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

/** A bundled copy of the fixture in `work/<name>`. */
function bundled(name = 'lib'): string {
  const lib = writeLib(path.join(work, name));
  expect(bundleLib(lib)).toBe(7);
  return lib;
}

function probe(lib: string, env: NodeJS.ProcessEnv = {}) {
  const result = spawnSync(process.execPath, ['-e', PROBE, lib], { encoding: 'utf-8', env: { ...process.env, ...env } });
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  return JSON.parse(result.stdout);
}

const cacheFiles = (dir: string) => (fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.cache')).sort() : []);

describe('the bundle', () => {
  test('behaves as the compiled files it was made of: cycles, directory imports, lazy and outer requires', () => {
    const plain = probe(writeLib(path.join(work, 'plain')));
    const lib = bundled();
    const viaBundle = probe(lib, { CDK8S_GITLAB_RUNNER_COMPILE_CACHE: 'off' });
    // A relative require that is not a string literal cannot be bundled: it fails plainly instead of finding a wrong file.
    expect(plain.dynamic).toEqual(['seen']);
    expect(viaBundle.dynamic).toBe('index.js requires ./b, which is not in the bundle (only string-literal requires are bundled)');
    // smol-toml is in the bundle (the fixture's plain copy, outside this repository, cannot find the package at all).
    expect(plain.toml).toBe('MODULE_NOT_FOUND');
    expect(viaBundle.toml).toBe('a = "b"\n');
    expect(viaBundle.tomlFiles).toBe(0);
    // The messages module ran when index.js required it; in the bundle, when the greeting first read its export.
    expect([plain.messageRunsBefore, plain.messageRunsAfter]).toEqual([1, 1]);
    expect([viaBundle.messageRunsBefore, viaBundle.messageRunsAfter]).toEqual([0, 1]);
    expect({ ...viaBundle, dynamic: plain.dynamic, toml: plain.toml, messageRunsBefore: 1 }).toEqual(plain);
    expect(plain).toEqual({
      messageRunsBefore: 1,
      greeting: 'hello you from sub/index, 1, run 1',
      messageRunsAfter: 1,
      greetingKeys: ['GREETING_MESSAGES'],
      seenByB: ['early'],
      fromSub: 'sub/index, 1',
      where: ['sub', 'index.js'],
      lazy: 'loaded on first use',
      joined: 'x/y',
      resolved: 'path',
      dynamic: ['seen'],
      symbols: ['2 × 3 ÷ 4 → µ', '≤ 2 – 😀', true, true, 'a\\b →'],
      file: 'index.js',
      errorIsError: true,
      listIsArray: true,
      keys: ['dynamic', 'error', 'file', 'fromSub', 'greet', 'greetingModule', 'joined', 'lazy', 'makeList', 'messageRuns', 'resolved', 'seenByB', 'symbols', 'toml', 'where'],
      toml: 'MODULE_NOT_FOUND',
      tomlFiles: 0,
    });
  });

  test('holds only the modules the entry reaches, in ASCII, in a text that is the same for the same files', () => {
    const first = fs.readFileSync(path.join(bundled('one'), 'bundle.js'), 'utf-8');
    expect(first).toMatch(/^[\x00-\x7f]*$/);
    expect(first).toContain('2 \\u00d7 3');
    expect(fs.readFileSync(path.join(bundled('two'), 'bundle.js'), 'utf-8')).toBe(first);
    // Seven modules, each after a line with its place and id.
    expect(first.split('\n').filter((line) => /^\/\/ \d+: /.test(line))).toEqual([
      '// 0: a.js', '// 1: b.js', '// 2: greeting.messages.js', '// 3: index.js', '// 4: lazy.generated.js', '// 5: node_modules/smol-toml/dist/index.cjs',
      '// 6: sub/index.js',
    ]);
    // Only the messages module is loaded on first use, and its stand-in names what it exports.
    expect(first).toContain('const __deferred = JSON.parse("[null,null,[\\"GREETING_MESSAGES\\"],null,null,null,null]");');
    expect(first).not.toContain('unreached');
    // The embedded package keeps its license header; the first line names the SHA-256 of the rest.
    expect(first).toContain('// 5: node_modules/smol-toml/dist/index.cjs\nfunction (exports, require, module, __filename, __dirname) {\n/*!\n* Copyright (c) Squirrel Chat');
    const [header, ...rest] = first.split('\n');
    expect(header).toBe(`// cdk8s-gitlab-runner bundle sha256:${createHash('sha256').update(rest.join('\n')).digest('hex')}: the compiled library in one file, loaded by lib/index.js (scripts/bundle-lib.js).`);
    expect(fs.readFileSync(path.join(work, 'one', 'index.js'), 'utf-8')).toBe(fs.readFileSync(path.join(__dirname, '..', 'scripts', 'lib-entry.js'), 'utf-8'));
  });

  test('a second run leaves a bundled lib/ as it is; a compiled file newer than the bundle or a missing bundle is an error', () => {
    const lib = bundled();
    expect(bundleLib(lib)).toBe(0);
    const later = new Date(Date.now() + 60_000);
    fs.utimesSync(path.join(lib, 'a.js'), later, later);
    expect(() => bundleLib(lib)).toThrow(/index\.js is a bundle, but 1 file\(s\) are newer than it \(e\.g\. a\.js\); compile again/);
    fs.utimesSync(path.join(lib, 'a.js'), new Date(0), new Date(0));
    expect(bundleLib(lib)).toBe(0);
    fs.appendFileSync(path.join(lib, 'index.js'), '// an entry of an older bundle step\n');
    expect(() => bundleLib(lib)).toThrow(/index\.js is a bundle, but its entry is not the one of scripts\/lib-entry\.js; compile again/);
    // Made by an older bundle step: the scripts are newer than the bundle.
    fs.writeFileSync(path.join(lib, 'index.js'), fs.readFileSync(path.join(__dirname, '..', 'scripts', 'lib-entry.js')));
    for (const file of ['index.js', 'a.js', 'b.js', 'greeting.messages.js', 'sub/index.js', 'lazy.generated.js', 'unreached.js']) fs.utimesSync(path.join(lib, file), new Date(0), new Date(0));
    fs.utimesSync(path.join(lib, 'bundle.js'), new Date(1000), new Date(1000));
    expect(() => bundleLib(lib)).toThrow(/index\.js is a bundle, but 2 file\(s\) are newer than it \(e\.g\. bundle-lib\.js\); compile again/);
    fs.rmSync(path.join(lib, 'bundle.js'));
    expect(() => bundleLib(lib)).toThrow(/bundle\.js is missing; compile again/);
  });

  test('a character outside ASCII in a tagged template, or after a backslash, fails the bundle: its escape would read differently', () => {
    const lib = writeLib(path.join(work, 'lib'));
    fs.writeFileSync(path.join(lib, 'b.js'), '"use strict";\nexports.seen = [];\nexports.raw = String.raw`×`;\n');
    expect(() => bundleLib(lib)).toThrow(/^bundle-lib: a tagged template at line \d+ of the bundle holds a character outside ASCII/);
    fs.writeFileSync(path.join(lib, 'b.js'), '"use strict";\nexports.seen = ["\\×"];\n');
    expect(() => bundleLib(lib)).toThrow('bundle-lib: the bundle writes a backslash before ×');
  });

  test('a messages module that does more than declare, require and export fails the bundle: loaded on first use, it would do it late or never', () => {
    const lib = writeLib(path.join(work, 'lib'));
    const messages = path.join(lib, 'greeting.messages.js');
    fs.appendFileSync(messages, 'require("./sub").register(exports.GREETING_MESSAGES);\n');
    expect(() => bundleLib(lib)).toThrow('bundle-lib: greeting.messages.js is loaded on first use (/\\.messages\\.js$/), so it may only declare, require and export, but line 7 does more: require("./sub").register(exports.GREETING_MESSAGES);');
    fs.writeFileSync(messages, '"use strict";\nObject.defineProperty(exports, "__esModule", { value: true });\n__exportStar(require("./sub"), exports);\n');
    expect(() => bundleLib(lib)).toThrow(/greeting\.messages\.js is loaded on first use .* but line 3 does more: __exportStar/);
  });

  test('a relative require of a file that does not exist fails the bundle, naming both', () => {
    const lib = writeLib(path.join(work, 'lib'));
    fs.writeFileSync(path.join(lib, 'b.js'), '"use strict";\nrequire("./missing");\n');
    expect(() => bundleLib(lib)).toThrow('bundle-lib: b.js requires ./missing, which is not a compiled file under lib/');
  });
});

describe('the entry and its code cache', () => {
  test('the first process writes the cache (mode 600 in a directory of mode 700); the next one uses it as it is', () => {
    const lib = bundled();
    const cache = path.join(work, 'cache');
    const env = { CDK8S_GITLAB_RUNNER_COMPILE_CACHE: cache };
    const expected = probe(lib, { CDK8S_GITLAB_RUNNER_COMPILE_CACHE: 'off' });
    expect(fs.existsSync(cache)).toBe(false);

    expect(probe(lib, env)).toEqual(expected);
    const [file] = cacheFiles(cache);
    expect(cacheFiles(cache)).toEqual([expect.stringMatching(/^[0-9a-f]{40}\.cache$/)]);
    expect(fs.statSync(cache).mode.toString(8).slice(-3)).toBe('700');
    expect(fs.statSync(path.join(cache, file)).mode.toString(8).slice(-3)).toBe('600');

    // Accepted by V8, the cache is not written again.
    const old = new Date('2020-01-01T00:00:00Z');
    fs.utimesSync(path.join(cache, file), old, old);
    expect(probe(lib, env)).toEqual(expected);
    expect(fs.statSync(path.join(cache, file)).mtimeMs).toBe(old.getTime());
  });

  test('a damaged cache file is not used and is replaced; the library loads the same', () => {
    const lib = bundled();
    const cache = path.join(work, 'cache');
    const env = { CDK8S_GITLAB_RUNNER_COMPILE_CACHE: cache };
    const expected = probe(lib, env);
    const [file] = cacheFiles(cache);
    const good = fs.readFileSync(path.join(cache, file));
    // Its digest, then V8's data.
    expect(good.subarray(0, 32)).toEqual(createHash('sha256').update(good.subarray(32)).digest());
    for (const damaged of [good.subarray(0, good.length - 1), Buffer.concat([good.subarray(0, 100), Buffer.from('x'), good.subarray(101)]), Buffer.alloc(0)]) {
      fs.writeFileSync(path.join(cache, file), damaged);
      expect(probe(lib, env)).toEqual(expected);
      // V8's header (its magic number, version, source and flag hashes) as in the good cache, written anew.
      const rewritten = fs.readFileSync(path.join(cache, file));
      expect(rewritten.subarray(0, 48)).not.toEqual(damaged.subarray(0, 48));
      expect(rewritten.subarray(32, 48)).toEqual(good.subarray(32, 48));
    }
    expect(cacheFiles(cache)).toEqual([file]);
  });

  test("the cache file is named from the digest the bundle's first line gives, the bundle's size and modification time, and Node.js", () => {
    const lib = bundled();
    const cache = path.join(work, 'cache');
    probe(lib, { CDK8S_GITLAB_RUNNER_COMPILE_CACHE: cache });
    const bundle = path.join(lib, 'bundle.js');
    const digest = /^\/\/ cdk8s-gitlab-runner bundle sha256:([0-9a-f]{64}):/.exec(fs.readFileSync(bundle, 'utf-8'))![1];
    const { size, mtimeMs } = fs.statSync(bundle);
    const key = createHash('sha256').update(`${digest}\0${size}\0${mtimeMs}\0${process.version}\0${process.arch}`).digest('hex');
    // The entry read the digest from the first line: it did not hash the bundle itself.
    expect(cacheFiles(cache)).toEqual([`${key.slice(0, 40)}.cache`]);
  });

  test('a bundle edited in place (same length, same first line) gets a cache of its own: no process runs the old code', () => {
    const lib = bundled();
    const cache = path.join(work, 'cache');
    const env = { CDK8S_GITLAB_RUNNER_COMPILE_CACHE: cache };
    expect(probe(lib, env).lazy).toBe('loaded on first use');
    expect(probe(lib, env).lazy).toBe('loaded on first use');
    const [first] = cacheFiles(cache);
    const bundle = path.join(lib, 'bundle.js');
    const text = fs.readFileSync(bundle, 'utf-8');
    fs.writeFileSync(bundle, text.replace("'loaded on first use'", "'LOADED on first use'"));
    expect(fs.statSync(bundle).size).toBe(Buffer.byteLength(text));
    expect(probe(lib, env).lazy).toBe('LOADED on first use');
    expect(cacheFiles(cache)).toEqual(expect.arrayContaining([first]));
    expect(cacheFiles(cache)).toHaveLength(2);
    expect(probe(lib, env).lazy).toBe('LOADED on first use');
  });

  test("a sound file that V8 refuses (another bundle's cache under this bundle's name) is replaced", () => {
    const cache = path.join(work, 'cache');
    const env = { CDK8S_GITLAB_RUNNER_COMPILE_CACHE: cache };
    const one = bundled('one');
    probe(one, env);
    const [first] = cacheFiles(cache);
    const two = bundled('two');
    fs.appendFileSync(path.join(two, 'bundle.js'), '\n// a longer bundle: V8 compares the source length\n');
    const expected = probe(two, { CDK8S_GITLAB_RUNNER_COMPILE_CACHE: 'off' });
    probe(two, env);
    const second = cacheFiles(cache).find((f) => f !== first)!;
    fs.copyFileSync(path.join(cache, first), path.join(cache, second));
    const old = new Date('2020-01-01T00:00:00Z');
    fs.utimesSync(path.join(cache, second), old, old);

    expect(probe(two, env)).toEqual(expected);
    expect(fs.statSync(path.join(cache, second)).mtimeMs).toBeGreaterThan(old.getTime());
    expect(fs.readFileSync(path.join(cache, second))).not.toEqual(fs.readFileSync(path.join(cache, first)));
  });

  test('another bundle gets a cache file of its own; the directory keeps the 8 most recent and no old unfinished file', () => {
    const cache = path.join(work, 'cache');
    fs.mkdirSync(cache, { mode: 0o700 });
    for (let i = 0; i < 9; i++) {
      const stale = path.join(cache, `${String(i).repeat(40)}.cache`);
      fs.writeFileSync(stale, 'from an older version');
      fs.utimesSync(stale, new Date(2020, 0, 1 + i), new Date(2020, 0, 1 + i));
    }
    const unfinished = [['a.cache.1.tmp', new Date(2020, 0, 1)], ['b.cache.2.tmp', new Date()]] as const;
    for (const [name, written] of unfinished) {
      fs.writeFileSync(path.join(cache, name), 'half');
      fs.utimesSync(path.join(cache, name), written, written);
    }
    const lib = bundled();
    probe(lib, { CDK8S_GITLAB_RUNNER_COMPILE_CACHE: cache });
    // A process killed while writing left a file: removed once it is an hour old (a recent one may still be written).
    expect(fs.readdirSync(cache).filter((f) => f.endsWith('.tmp'))).toEqual(['b.cache.2.tmp']);
    const files = cacheFiles(cache);
    expect(files).toHaveLength(8);
    // The newest: this bundle's and the 7 most recent stale ones (written on days 3 to 9).
    expect(files.filter((f) => /^\d/.test(f) && /^(\d)\1+\.cache$/.test(f)).map((f) => Number(f[0])).sort()).toEqual([2, 3, 4, 5, 6, 7, 8]);

    fs.appendFileSync(path.join(lib, 'bundle.js'), '\n// another build\n');
    probe(lib, { CDK8S_GITLAB_RUNNER_COMPILE_CACHE: cache });
    expect(cacheFiles(cache).filter((f) => !/^(\d)\1+\.cache$/.test(f))).toHaveLength(2);
  });

  test.each(['off', 'OFF', '0', 'false'])('CDK8S_GITLAB_RUNNER_COMPILE_CACHE=%s: no cache is read or written', (setting) => {
    const lib = bundled();
    const home = path.join(work, 'tmp');
    fs.mkdirSync(home);
    probe(lib, { CDK8S_GITLAB_RUNNER_COMPILE_CACHE: setting, TMPDIR: home });
    expect(fs.readdirSync(home)).toEqual([]);
  });

  test('unset, the cache is a directory of this user in the temporary directory', () => {
    const lib = bundled();
    const home = path.join(work, 'tmp');
    fs.mkdirSync(home);
    const env: NodeJS.ProcessEnv = { ...process.env, TMPDIR: home };
    delete env.CDK8S_GITLAB_RUNNER_COMPILE_CACHE;
    const result = spawnSync(process.execPath, ['-e', PROBE, lib], { encoding: 'utf-8', env });
    expect(result.status).toBe(0);
    const user = typeof process.getuid === 'function' ? String(process.getuid()) : os.userInfo().username;
    expect(fs.readdirSync(home)).toEqual([`cdk8s-gitlab-runner-${user}`]);
    expect(cacheFiles(path.join(home, `cdk8s-gitlab-runner-${user}`))).toHaveLength(1);
  });

  const posix = typeof process.getuid === 'function' ? test : test.skip;
  posix('a directory others may write to, a symbolic link or a file is not used; the library loads all the same', () => {
    const lib = bundled();
    const expected = probe(lib, { CDK8S_GITLAB_RUNNER_COMPILE_CACHE: 'off' });

    const open = path.join(work, 'open');
    fs.mkdirSync(open);
    fs.chmodSync(open, 0o777);
    expect(probe(lib, { CDK8S_GITLAB_RUNNER_COMPILE_CACHE: open })).toEqual(expected);
    expect(fs.readdirSync(open)).toEqual([]);

    const real = path.join(work, 'real');
    fs.mkdirSync(real, { mode: 0o700 });
    const link = path.join(work, 'link');
    fs.symlinkSync(real, link);
    expect(probe(lib, { CDK8S_GITLAB_RUNNER_COMPILE_CACHE: link })).toEqual(expected);
    expect(fs.readdirSync(real)).toEqual([]);

    const file = path.join(work, 'a-file');
    fs.writeFileSync(file, '');
    expect(probe(lib, { CDK8S_GITLAB_RUNNER_COMPILE_CACHE: file })).toEqual(expected);
  });

  test("in a test runner's own realm (this jest test) the bundle is loaded the ordinary way: its objects are of this realm", () => {
    const lib = bundled();
    const cache = path.join(work, 'cache');
    const before = process.env.CDK8S_GITLAB_RUNNER_COMPILE_CACHE;
    process.env.CDK8S_GITLAB_RUNNER_COMPILE_CACHE = cache;
    const exitListeners = process.listeners('exit').length;
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const loaded = require(lib);
      expect(loaded.error()).toBeInstanceOf(Error);
      expect(Array.isArray(loaded.makeList())).toBe(true);
      expect(loaded.lazy()).toBe('loaded on first use');
    } finally {
      if (before === undefined) delete process.env.CDK8S_GITLAB_RUNNER_COMPILE_CACHE;
      else process.env.CDK8S_GITLAB_RUNNER_COMPILE_CACHE = before;
    }
    expect(process.listeners('exit')).toHaveLength(exitListeners);
    expect(fs.existsSync(cache)).toBe(false);
  });
});
