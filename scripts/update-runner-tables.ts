// Rewrites src/_runner-tables.ts from the runner's reference: npx ts-node --transpile-only scripts/update-runner-tables.ts
import * as fs from 'fs';
import * as path from 'path';
import { loadReference, REFERENCE_FILE } from '../test/config-reference';
import { renderRunnerTables } from '../test/runner-tables';

const reference = loadReference(REFERENCE_FILE, { CI: 'true' })!;
const file = path.join(__dirname, '..', 'src', '_runner-tables.ts');
const after = renderRunnerTables(reference);
if (fs.existsSync(file) && fs.readFileSync(file, 'utf-8') === after) {
  process.stdout.write('src/_runner-tables.ts is up to date.\n');
} else {
  fs.writeFileSync(file, after);
  process.stdout.write('src/_runner-tables.ts rewritten from the reference.\n');
}
