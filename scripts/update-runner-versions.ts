// Rewrites src/_runner-versions.ts from the runner's by-version reference: npx ts-node --transpile-only scripts/update-runner-versions.ts
import * as fs from 'fs';
import * as path from 'path';
import { BY_VERSION_FILE, loadByVersionReference, renderRunnerVersions } from '../test/runner-versions';

const reference = loadByVersionReference(BY_VERSION_FILE, { CI: 'true' })!;
const file = path.join(__dirname, '..', 'src', '_runner-versions.ts');
const after = renderRunnerVersions(reference);
if (fs.existsSync(file) && fs.readFileSync(file, 'utf-8') === after) {
  process.stdout.write('src/_runner-versions.ts is up to date.\n');
} else {
  fs.writeFileSync(file, after);
  process.stdout.write('src/_runner-versions.ts rewritten from the reference.\n');
}
