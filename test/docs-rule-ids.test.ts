import * as fs from 'fs';
import * as path from 'path';
import { ruleById } from '../src/internal/rules/catalogue';

// Every rule id the hand-written pages name (the README, docs/*.md) is one the catalogue has, so a renamed or removed
// rule cannot leave a page pointing at nothing. Ranges ("DNS001 to DNS009") are checked at both ends.

const ROOT = path.join(__dirname, '..');
const pages = ['README.md', ...fs.readdirSync(path.join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];

test.each(pages)('%s names only catalogued rule ids', (page) => {
  const text = fs.readFileSync(path.join(ROOT, page), 'utf8');
  const ids = [...new Set(text.match(/\b(?:ARCH|CAP|CI|DIND|DNS|HELM|JOB|MGR|RBAC|RES|SEC|SVC|SYNTH|TOK|VAR|VER)\d{3}\b/g) ?? [])];
  expect(ids.filter((id) => ruleById(id) === undefined)).toEqual([]);
});

