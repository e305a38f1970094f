import * as fs from 'fs';
import * as path from 'path';
import { yamlLibrary } from '../src/internal/render/yaml-library';

// The package ships no YAML library of its own: the rare strings YAML readers would misread and .gitlab-ci.yml files
// go through the copy cdk8s bundles.

test("the yaml library in use is cdk8s's bundled copy, and the package declares none at run time", () => {
  const cdk8sCopy = require.resolve('yaml', { paths: [path.dirname(require.resolve('cdk8s'))] });
  expect(cdk8sCopy).toContain(`${path.sep}cdk8s${path.sep}node_modules${path.sep}yaml${path.sep}`);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  expect(yamlLibrary()).toBe(require(cdk8sCopy));
  const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf-8'));
  expect(Object.keys(pkg.dependencies ?? {})).not.toContain('yaml');
  expect(pkg.bundledDependencies ?? []).not.toContain('yaml');
  // What the code uses of it.
  const { parseDocument, visit, Document, Scalar } = yamlLibrary();
  expect([parseDocument, visit, Document, Scalar].every((x) => typeof x === 'function' || typeof x === 'object')).toBe(true);
  expect(parseDocument('a: yes', { version: '1.1' }).toJS()).toEqual({ a: true });
});

test("without cdk8s's own node_modules/yaml (another layout), the library is resolved from cdk8s's folder all the same", () => {
  const cdk8sCopy = require.resolve('yaml', { paths: [path.dirname(require.resolve('cdk8s'))] });
  const bundled = path.join(path.dirname(require.resolve('cdk8s')), '..', 'node_modules', 'yaml', 'package.json');
  // The module object itself (the import above is a namespace copy, whose members cannot be replaced).
  const nodeFs: typeof fs = jest.requireActual('fs');
  const realExists = nodeFs.existsSync;
  const exists = jest.spyOn(nodeFs, 'existsSync');
  try {
    exists.mockImplementation((p) => p !== bundled && realExists(p));
    jest.isolateModules(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const fresh = require('../src/internal/render/yaml-library') as typeof import('../src/internal/render/yaml-library');
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      expect(fresh.yamlLibrary()).toBe(require(cdk8sCopy));
    });
    expect(exists).toHaveBeenCalledWith(bundled);
  } finally {
    exists.mockRestore();
  }
});
