import { existsSync } from 'fs';
import { dirname, join } from 'path';
import type * as YamlLibrary from 'yaml';

// The `yaml` library is the one cdk8s bundles (its writer is cdk8s's `Yaml.stringify`): this package ships no second
// copy. It is found in cdk8s's own folder, where npm puts a bundled dependency, and loaded on first use: the fast YAML
// writer takes its YAML 1.1 tag tests from it, and it writes the rare strings a YAML reader would misread and parses a
// .gitlab-ci.yml.

/** The YAML version cdk8s writes and reads manifests in (its `Yaml.stringify` and `Yaml.load` pass `version: '1.1'`). */
export const CDK8S_YAML_VERSION = '1.1';
/**
 * The schema the library gives a document of `CDK8S_YAML_VERSION` (test/fast-yaml.test.ts checks that its tags are that
 * document's): built alone, it costs a fraction of a whole document.
 */
export const CDK8S_YAML_SCHEMA = 'yaml-1.1';

let library: typeof YamlLibrary | undefined;

/** @internal cdk8s's copy of the `yaml` library, loaded on first use. */
export function yamlLibrary(): typeof YamlLibrary {
  if (library === undefined) {
    const cdk8sFolder = dirname(require.resolve('cdk8s'));
    // cdk8s bundles it, so npm puts it in cdk8s's own node_modules: required by its folder, it costs a fraction of a
    // resolution with `paths` (about 0.4 against 1.6 to 6 ms per process). Any other layout gets that resolution.
    const bundled = join(cdk8sFolder, '..', 'node_modules', 'yaml');
    const where = existsSync(join(bundled, 'package.json')) ? bundled : require.resolve('yaml', { paths: [cdk8sFolder] });
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    library = require(where) as typeof YamlLibrary;
  }
  return library;
}
