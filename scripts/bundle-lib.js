// Bundles the compiled library into one file: lib/bundle.js holds every module of lib/ that tsc's lib/index.js
// reaches, each in the function Node.js would wrap it in, and loads each on its first require() exactly as Node.js
// does (one module object per file, cached before the body runs, so import cycles behave the same); a messages module
// only on the first read of one of its exports (DEFERRED). It holds smol-toml
// too (EMBEDDED), so its code is compiled once into the code cache with the rest. Requires of anything else outside
// lib/ (cdk8s, constructs, Node.js built-ins) go to Node.js's own require, made in lib/, so they resolve as they did.
//
// Why: loading 150 small files costs a Node.js process more than the code in them (a path resolution, a stat, a read
// and a compile each); one file saves most of that on every synth (BENCHMARKS.md). The .d.ts files stay as tsc
// wrote them, and the package ships no other compiled file (.npmignore). lib/index.js, the package's entry, becomes
// scripts/lib-entry.js, which runs the bundle with a code cache. The bundle's first line holds the SHA-256 of the rest,
// so the entry names its cache without hashing the bundle on every load.
//
//   node scripts/bundle-lib.js [libDir]   (default: lib; runs after every compile, and in prepack)
'use strict';
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');

const ENTRY = fs.readFileSync(path.join(__dirname, 'lib-entry.js'), 'utf-8');
/** The scripts a bundle is made with: a bundle older than one of them is stale. */
const BUNDLER_SCRIPTS = [__filename, path.join(__dirname, 'lib-entry.js')];
/** The first line of the bundled entry, so a second run knows lib/index.js is no longer tsc's. */
const MARKER = ENTRY.slice(0, ENTRY.indexOf('\n'));
/**
 * The packages whose code goes into the bundle: one CommonJS file each, with no relative require. The library needs
 * smol-toml to write every config.toml; in the bundle it shares the code cache instead of being resolved, read and
 * compiled on every synth. Its license header stays with its code.
 */
const EMBEDDED = ['smol-toml'];
/**
 * Modules loaded on first use instead of when required: the messages modules (`*.messages.js`), which hold the text of
 * findings and errors. A synth that finds little reads few of them, so most are never run (or compiled into the cache).
 */
const DEFERRED = /\.messages\.js$/;
/** The bundle's first line: it names the SHA-256 of the rest of the bundle (lib-entry.js reads it). */
const HEADER = (digest) => `// cdk8s-gitlab-runner bundle sha256:${digest}: the compiled library in one file, loaded by lib/index.js (scripts/bundle-lib.js).`;

/** The relative module ids `source` requires with a string literal: `require("./x")`, `require('../y')`. */
function relativeRequires(source) {
  const ids = [];
  for (const match of source.matchAll(/\brequire\((["'])(\.{1,2}\/[^"']*)\1\)/g)) ids.push(match[2]);
  return ids;
}

/** The packages of `EMBEDDED` that `source` requires with a string literal. */
function embeddedRequires(source) {
  return EMBEDDED.filter((name) => new RegExp(`\\brequire\\((["'])${name}\\1\\)`).test(source));
}

/**
 * The id and source of an embedded package: the file Node.js would load for it from `lib` (or, for a lib/ outside
 * this repository, from this repository), as `node_modules/...`.
 */
function embeddedModule(lib, name) {
  const file = require.resolve(name, { paths: [lib, __dirname] });
  const source = fs.readFileSync(file, 'utf-8');
  const [inner] = [...relativeRequires(source), ...embeddedRequires(source)];
  if (inner !== undefined) {
    throw new Error(`bundle-lib: ${name} (${path.basename(file)}) requires ${inner}; only a package in one file can be embedded`);
  }
  const at = file.split(path.sep).lastIndexOf('node_modules');
  return { id: file.split(path.sep).slice(at).join('/'), source };
}

/** The file Node.js would load for `request` from the module `from` (both relative to lib/, POSIX separators). */
function resolveLocal(lib, from, request) {
  const base = path.posix.join(path.posix.dirname(from), request);
  for (const candidate of [base, `${base}.js`, `${base}/index.js`]) {
    const full = path.join(lib, ...candidate.split('/'));
    if (fs.existsSync(full) && fs.statSync(full).isFile()) return candidate;
  }
  throw new Error(`bundle-lib: ${from} requires ${request}, which is not a compiled file under lib/`);
}

/**
 * The modules reachable from lib/index.js, by id (path relative to lib/), with each module's map from the requests it
 * makes to the ids they resolve to.
 */
function collect(lib) {
  const modules = new Map();
  const queue = ['index.js'];
  while (queue.length > 0) {
    const id = queue.shift();
    if (modules.has(id)) continue;
    const source = fs.readFileSync(path.join(lib, ...id.split('/')), 'utf-8');
    const requests = {};
    for (const request of relativeRequires(source)) {
      const target = resolveLocal(lib, id, request);
      requests[request] = target;
      queue.push(target);
    }
    for (const name of embeddedRequires(source)) {
      const embedded = embeddedModule(lib, name);
      requests[name] = embedded.id;
      if (!modules.has(embedded.id)) modules.set(embedded.id, { source: embedded.source, requests: {} });
    }
    modules.set(id, { source, requests });
  }
  return modules;
}

/**
 * `text` with every character outside ASCII written as its \u escape, which means the same character in a string, a
 * template, a regular expression and an identifier, so V8 keeps the source in one byte per character (half the memory,
 * and a faster read and scan). Only a tagged template's raw text would differ; the bundle step refuses to escape one.
 */
function asciiOnly(text) {
  if (!/[^\x00-\x7f]/.test(text)) return text;
  const escaped = /\\[^\x00-\x7f]/.exec(text);
  if (escaped) throw new Error(`bundle-lib: the bundle writes a backslash before ${escaped[0].slice(1)}; its \\u escape would read differently`);
  const ts = require('typescript');
  const file = ts.createSourceFile('bundle.js', text, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
  (function visit(node) {
    const template = ts.isTaggedTemplateExpression(node) ? node.template : undefined;
    const pieces = template === undefined ? [] : ts.isNoSubstitutionTemplateLiteral(template)
      ? [template] : [template.head, ...template.templateSpans.map((span) => span.literal)];
    if (pieces.some((piece) => /[^\x00-\x7f]/.test(piece.getText(file)))) {
      const { line } = file.getLineAndCharacterOfPosition(node.getStart(file));
      throw new Error(`bundle-lib: a tagged template at line ${line + 1} of the bundle holds a character outside ASCII; write it as \\u escape`);
    }
    ts.forEachChild(node, visit);
  })(file);
  return text.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * The names a deferred module exports (tsc's `exports.NAME = ...` at its top level). A module loaded on first use must
 * do nothing else when it loads: it may declare, require and export, but a statement with another effect (a call that
 * registers something, an `export *`) would run late or never, so the bundle step refuses it. The initial values of
 * its declarations are not inspected: a messages module's are its texts and the helpers that build them.
 */
function deferredExports(id, source) {
  const ts = require('typescript');
  const file = ts.createSourceFile(id, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
  const names = new Set();
  const exportTarget = (node) => ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'exports';
  for (const statement of file.statements) {
    if (ts.isVariableStatement(statement) || ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) continue;
    if (ts.isExpressionStatement(statement)) {
      const e = statement.expression;
      if (ts.isStringLiteral(e) && e.text === 'use strict') continue;
      if (ts.isCallExpression(e) && e.getText(file).replace(/\s+/g, ' ') === 'Object.defineProperty(exports, "__esModule", { value: true })') continue;
      let target = e;
      const assigned = [];
      while (ts.isBinaryExpression(target) && target.operatorToken.kind === ts.SyntaxKind.EqualsToken && exportTarget(target.left)) {
        assigned.push(target.left.name.text);
        target = target.right;
      }
      if (assigned.length > 0) {
        for (const name of assigned) names.add(name);
        continue;
      }
    }
    const { line } = file.getLineAndCharacterOfPosition(statement.getStart(file));
    throw new Error(`bundle-lib: ${id} is loaded on first use (${DEFERRED}), so it may only declare, require and export, but line ${line + 1} does more: ${statement.getText(file).split('\n')[0]}`);
  }
  return [...names].sort();
}

/**
 * The text of the bundle: deterministic (modules in id order), every module's source as tsc (or an embedded package)
 * wrote it, ASCII only, after a first line with the SHA-256 of the rest.
 */
function bundleText(modules) {
  const ids = [...modules.keys()].sort();
  const number = new Map(ids.map((id, i) => [id, i]));
  const requests = ids.map((id) => Object.fromEntries(Object.entries(modules.get(id).requests).map(([request, target]) => [request, number.get(target)])));
  const deferred = ids.map((id) => (DEFERRED.test(id) ? deferredExports(id, modules.get(id).source) : null));
  // The tables are JSON in a string: JSON.parse builds them faster than V8 runs 150 object literals once each.
  const parts = [
    "'use strict';",
    'const __outerRequire = require;',
    '/** The id of each module (its path under lib/); a module is known by its place here. */',
    `const __ids = JSON.parse(${JSON.stringify(JSON.stringify(ids))});`,
    '/** What each module requires with a string literal, and the place of the module each request names. */',
    `const __requests = JSON.parse(${JSON.stringify(JSON.stringify(requests))});`,
    '/** The names each module loaded on first use exports (null: the module runs when it is first required). */',
    `const __deferred = JSON.parse(${JSON.stringify(JSON.stringify(deferred))});`,
    '/** Each module\'s code, in the function Node.js would wrap it in. */',
    'const __definitions = [',
  ];
  ids.forEach((id, i) => {
    const body = modules.get(id).source.replace(/^#!.*\n/, '');
    parts.push(`// ${i}: ${id}`);
    parts.push('function (exports, require, module, __filename, __dirname) {');
    parts.push(body.endsWith('\n') ? body.slice(0, -1) : body);
    parts.push('},');
  });
  parts.push('];');
  parts.push(`const __cache = new Array(__ids.length);
const __stubs = new Array(__ids.length);
const __sep = __outerRequire('path').sep;
/**
 * What a require of a deferred module returns before the module has run: an object whose every export reads the
 * module's own (running it on the first read), as tsc's code reads an import (\`messages_1.NAME\`) only where it is used.
 */
function __stub(place) {
  let stub = __stubs[place];
  if (stub === undefined) {
    stub = Object.defineProperty({}, '__esModule', { value: true });
    for (const name of __deferred[place]) Object.defineProperty(stub, name, { enumerable: true, get: () => __load(place)[name] });
    __stubs[place] = stub;
  }
  return stub;
}
function __load(place) {
  const cached = __cache[place];
  if (cached !== undefined) return cached.exports;
  const id = __ids[place];
  const requests = __requests[place];
  const filename = __dirname + __sep + (__sep === '/' ? id : id.split('/').join(__sep));
  const module = { id: filename, filename, exports: {}, loaded: false };
  __cache[place] = module;
  const local = (request) => {
    if (Object.prototype.hasOwnProperty.call(requests, request)) {
      const target = requests[request];
      return __deferred[target] !== null && __cache[target] === undefined ? __stub(target) : __load(target);
    }
    if (request.startsWith('.')) throw new Error(\`\${id} requires \${request}, which is not in the bundle (only string-literal requires are bundled)\`);
    return __outerRequire(request);
  };
  local.resolve = (request, options) => __outerRequire.resolve(request, options);
  __definitions[place].call(module.exports, module.exports, local, module, filename, filename.slice(0, filename.lastIndexOf(__sep)));
  module.loaded = true;
  return module.exports;
}
module.exports = __load(${number.get('index.js')});
`);
  // One expression around the module function: required as a module (this: the module's exports), it runs the function
  // with the module's own exports, require, module and file names; run as a script (this: the global object,
  // lib-entry.js), its value is the function, which the entry calls.
  const text = asciiOnly([
    '((define) => (this === globalThis ? define : define.call(this, exports, require, module, __filename, __dirname)))(function (exports, require, module, __filename, __dirname) {',
    ...parts,
    '});',
    '',
  ].join('\n'));
  return `${HEADER(crypto.createHash('sha256').update(text).digest('hex'))}\n${text}`;
}

/**
 * Bundles `lib` into lib/bundle.js and makes lib/index.js the entry that loads it; returns the number of modules, or 0
 * when lib/ is already bundled and no compiled file is newer than the bundle.
 */
function bundleLib(lib) {
  const entry = path.join(lib, 'index.js');
  const bundle = path.join(lib, 'bundle.js');
  const current = fs.readFileSync(entry, 'utf-8');
  if (current.startsWith(MARKER)) {
    if (!fs.existsSync(bundle)) {
      throw new Error(`bundle-lib: ${entry} is the bundled entry, but ${bundle} is missing; compile again (npx projen compile), then bundle.`);
    }
    // tsc's entry is gone: a bundle older than a compiled file or than this step's own scripts can only be made anew
    // from a new compile.
    const bundledAt = fs.statSync(bundle).mtimeMs;
    const newer = [...compiledFiles(lib).filter((f) => f !== entry && f !== bundle), ...BUNDLER_SCRIPTS]
      .filter((f) => fs.statSync(f).mtimeMs > bundledAt);
    if (newer.length === 0 && current === ENTRY) return 0;
    const reason = newer.length > 0
      ? `${newer.length} file(s) are newer than it (e.g. ${path.basename(newer[0])})`
      : 'its entry is not the one of scripts/lib-entry.js';
    throw new Error(`bundle-lib: ${entry} is a bundle, but ${reason}; compile again (npx projen compile), then bundle.`);
  }
  const modules = collect(lib);
  fs.writeFileSync(bundle, bundleText(modules));
  fs.writeFileSync(entry, ENTRY);
  return modules.size;
}

function compiledFiles(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return compiledFiles(full);
    return e.name.endsWith('.js') ? [full] : [];
  });
}

module.exports = { bundleLib };

if (require.main === module) {
  const lib = path.resolve(__dirname, '..', process.argv[2] ?? 'lib');
  try {
    const count = bundleLib(lib);
    process.stdout.write(count === 0
      ? `${path.relative(process.cwd(), lib) || '.'}/ is already bundled: no compiled file is newer than its bundle.js\n`
      : `${count} modules bundled into ${path.relative(process.cwd(), path.join(lib, 'bundle.js'))}\n`);
  } catch (error) {
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 1;
  }
}
