import { dirname } from 'path';
import type * as YamlLibrary from 'yaml';

// The `yaml` library is the one cdk8s bundles (its writer is cdk8s's `Yaml.stringify`): this package ships no second
// copy. It is resolved from cdk8s's own folder, where npm puts a bundled dependency, and loaded on first use only: most
// synths never need it (it writes the rare strings a YAML reader would misread, and parses a .gitlab-ci.yml).

/** The YAML version cdk8s writes and reads manifests in (its `Yaml.stringify` and `Yaml.load` pass `version: '1.1'`). */
export const CDK8S_YAML_VERSION = '1.1';

let library: typeof YamlLibrary | undefined;

/** @internal cdk8s's copy of the `yaml` library, loaded on first use. */
export function yamlLibrary(): typeof YamlLibrary {
  if (library === undefined) {
    const cdk8sFolder = dirname(require.resolve('cdk8s'));
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    library = require(require.resolve('yaml', { paths: [cdk8sFolder] })) as typeof YamlLibrary;
  }
  return library;
}
