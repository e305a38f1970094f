// Rewrites src/_runner-tables.ts and src/_runner-versions.ts from the runner's references:
// npx ts-node --transpile-only scripts/update-runner-tables.ts
import * as fs from 'fs';
import * as path from 'path';
import { loadReference, REFERENCE_FILE } from '../test/config-reference';
import { renderRunnerTables } from '../test/runner-tables';
import { BY_VERSION_FILE, loadByVersionReference, renderRunnerVersions } from '../test/runner-versions';

function update(name: string, after: string, from: string): void {
  const file = path.join(__dirname, '..', 'src', name);
  if (fs.existsSync(file) && fs.readFileSync(file, 'utf-8') === after) {
    process.stdout.write(`src/${name} is up to date.\n`);
  } else {
    fs.writeFileSync(file, after);
    process.stdout.write(`src/${name} rewritten from ${from}.\n`);
  }
}

update('_runner-tables.ts', renderRunnerTables(loadReference(REFERENCE_FILE, { CI: 'true' })!), 'the reference');
update('_runner-versions.ts', renderRunnerVersions(loadByVersionReference(BY_VERSION_FILE, { CI: 'true' })!), 'the by-version reference');
