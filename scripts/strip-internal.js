// Rewrites the declaration files of lib/ without the members and types marked @internal (TypeScript's stripInternal),
// so users' IDEs do not offer `_toModel()`, `_findings()`, `_evaluate()` and the like. jsii compiles with
// stripInternal off (its tsconfig rules require it) and keeps @internal members out of the .jsii assembly only; this
// step runs after it (post-compile) and emits the .d.ts files again from the same sources and tsconfig.
//   node scripts/strip-internal.js [outDir]   (default: lib)
const path = require('path');
const ts = require('typescript');

/** Emits the stripped declarations of the project in `root` into `outDir`; returns the files written. */
function emitStrippedDeclarations(root, outDir) {
  const configFile = path.join(root, 'tsconfig.json');
  const parsed = ts.getParsedCommandLineOfConfigFile(configFile, {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => { throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n')); },
  });
  const options = {
    ...parsed.options, outDir, stripInternal: true, declaration: true, emitDeclarationOnly: true, noEmit: false,
    incremental: false, tsBuildInfoFile: undefined, inlineSourceMap: false, inlineSources: false,
  };
  const program = ts.createProgram(parsed.fileNames, options);
  const written = [];
  const result = program.emit(undefined, (fileName, text) => {
    ts.sys.writeFile(fileName, text);
    written.push(fileName);
  });
  const errors = result.diagnostics.filter((d) => d.category === ts.DiagnosticCategory.Error);
  if (errors.length > 0) throw new Error(ts.formatDiagnostics(errors, { getCanonicalFileName: (f) => f, getCurrentDirectory: () => root, getNewLine: () => '\n' }));
  return written;
}

module.exports = { emitStrippedDeclarations };

if (require.main === module) {
  const root = path.join(__dirname, '..');
  const outDir = path.resolve(root, process.argv[2] ?? 'lib');
  const written = emitStrippedDeclarations(root, outDir);
  process.stdout.write(`${written.length} declaration files without @internal members written to ${path.relative(root, outDir) || '.'}\n`);
}
