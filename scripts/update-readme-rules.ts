// Rewrites the README's rule list from the rule catalogue: npx ts-node --transpile-only scripts/update-readme-rules.ts
import * as fs from 'fs';
import * as path from 'path';
import { withRulesSection } from '../src/internal/rules/readme';

const readmePath = path.join(__dirname, '..', 'README.md');
const before = fs.readFileSync(readmePath, 'utf-8');
const after = withRulesSection(before);
if (after === before) {
  process.stdout.write('README.md rules section is up to date.\n');
} else {
  fs.writeFileSync(readmePath, after);
  process.stdout.write('README.md rules section rewritten from the rule catalogue.\n');
}
