import * as fs from 'fs';
import * as path from 'path';
import { RULES } from '../src/internal/rules/catalogue';
import {
  currentRuleTable, currentRulesSection, GENERATED_RULE_FILES, renderRulesSection, renderRuleTable, RULE_TABLES, RULES_FILE, withRulesSection,
} from '../src/internal/rules/readme';

// The rule lists of docs/rules.md, docs/capacity.md and docs/helm.md are generated from the catalogue; this keeps them
// identical.
// To update it: npx ts-node --transpile-only scripts/update-readme-rules.ts

const page = (file: string) => fs.readFileSync(path.join(__dirname, '..', file), 'utf-8');
const readme = page(RULES_FILE);

test('docs/rules.md lists exactly the rules of the catalogue (run scripts/update-readme-rules.ts if this fails)', () => {
  // On mismatch jest prints the expected section in full: paste it, or run the script.
  expect(currentRulesSection(readme)).toBe(renderRulesSection());
});

test.each(RULE_TABLES.map((t) => [t.name, t.file]))('the %s rule table of %s is the one of the catalogue (run scripts/update-readme-rules.ts if this fails)', (name, file) => {
  expect(currentRuleTable(page(file), name)).toBe(renderRuleTable(name));
});

test('every generated page is up to date as a whole, and the README links each of them', () => {
  for (const file of GENERATED_RULE_FILES) expect(withRulesSection(page(file), file)).toBe(page(file));
  for (const file of GENERATED_RULE_FILES) expect(page('README.md')).toContain(`](${file})`);
});

test('every rule of the catalogue has one entry in the generated tables, with its severity, title, why and fix in their own columns', () => {
  const section = [renderRulesSection(), ...RULE_TABLES.map((t) => renderRuleTable(t.name))].join('\n');
  const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  for (const rule of RULES) {
    const rows = section.split('\n').filter((l) => l.startsWith(`| ${rule.id} |`));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toContain(`| ${rule.severity} |`);
    expect(rows[0]).toContain(`| ${cell(rule.title)} | ${cell(rule.why ?? '')} | ${cell(rule.fix)} |`);
  }
  expect(section).toContain('| Id | Severity | Checked | What it catches | Why it matters | Fix |');
});

test('the section explains the job-pod preview and both DinD TLS modes', () => {
  const section = renderRulesSection();
  expect(section).toContain('dist/job-pod-preview.yaml');
  expect(section).toMatch(/\| dockerd listens on \| 2376 \| 2375, started with `--tls=false` \|/);
});

test('rewriting the section leaves everything outside the markers alone', () => {
  const edited = readme.replace('<!-- rules:start -->', '<!-- rules:start -->\nstale text');
  const rewritten = withRulesSection(edited);
  expect(rewritten).toBe(withRulesSection(readme));
  expect(rewritten.slice(0, rewritten.indexOf('<!-- rules:start -->'))).toBe(readme.slice(0, readme.indexOf('<!-- rules:start -->')));
  expect(() => withRulesSection('# no markers')).toThrow(/has no <!-- rules:start -->/);
});
