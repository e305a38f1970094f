// Rewrites the generated rule text of docs/rules.md, docs/capacity.md and docs/helm.md from the rule catalogue:
// npx ts-node --transpile-only scripts/update-readme-rules.ts
import * as fs from 'fs';
import * as path from 'path';
import { GENERATED_RULE_FILES, withRulesSection } from '../src/internal/rules/readme';

for (const file of GENERATED_RULE_FILES) {
  const full = path.join(__dirname, '..', file);
  const before = fs.readFileSync(full, 'utf-8');
  const after = withRulesSection(before, file);
  if (after === before) {
    process.stdout.write(`${file}: the generated rules are up to date.\n`);
  } else {
    fs.writeFileSync(full, after);
    process.stdout.write(`${file}: the generated rules rewritten from the rule catalogue.\n`);
  }
}
