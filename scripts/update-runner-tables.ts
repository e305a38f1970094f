// Rewrites the generated files of src/internal/runner/ from the runner's references:
// npx ts-node --transpile-only scripts/update-runner-tables.ts
import * as fs from 'fs';
import * as path from 'path';
import { renderRunnerTables } from './runner-tables';
import { BY_VERSION_FILE, loadByVersionReference, renderRunnerVersions } from './runner-versions';
import { renderRunnersTables } from './runners-table';
import { loadReference, REFERENCE_FILE } from '../test/config-reference';

function update(name: string, after: string, from: string): void {
  const file = path.join(__dirname, '..', 'src', 'internal', 'runner', name);
  if (fs.existsSync(file) && fs.readFileSync(file, 'utf-8') === after) {
    process.stdout.write(`src/internal/runner/${name} is up to date.\n`);
  } else {
    fs.writeFileSync(file, after);
    process.stdout.write(`src/internal/runner/${name} rewritten from ${from}.\n`);
  }
}

update('kubernetes-tables.generated.ts', renderRunnerTables(loadReference(REFERENCE_FILE, { CI: 'true' })!), 'the reference');
update('runners-tables.generated.ts', renderRunnersTables(loadReference(REFERENCE_FILE, { CI: 'true' })!), 'the reference');
update('versions.generated.ts', renderRunnerVersions(loadByVersionReference(BY_VERSION_FILE, { CI: 'true' })!), 'the by-version reference');
