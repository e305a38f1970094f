import * as fs from 'fs';
import * as path from 'path';
import { RULES } from '../src/internal/rules/catalogue';
import { currentRuleTable, currentRulesSection, renderRulesSection, renderRuleTable, RULE_TABLES, withRulesSection } from '../src/internal/rules/readme';

// The README's rule list is generated from the catalogue; this keeps the two identical.
// To update it: npx ts-node --transpile-only scripts/update-readme-rules.ts

const readme = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf-8');

test('README.md lists exactly the rules of the catalogue (run scripts/update-readme-rules.ts if this fails)', () => {
  // On mismatch jest prints the expected section in full: paste it, or run the script.
  expect(currentRulesSection(readme)).toBe(renderRulesSection());
});

test.each(RULE_TABLES.map((t) => t.name))('the %s rule table of README.md is the one of the catalogue (run scripts/update-readme-rules.ts if this fails)', (name) => {
  expect(currentRuleTable(readme, name)).toBe(renderRuleTable(name));
});

test('every rule of the catalogue has one entry in the generated tables, with its severity and fix', () => {
  const section = [renderRulesSection(), ...RULE_TABLES.map((t) => renderRuleTable(t.name))].join('\n');
  for (const rule of RULES) {
    const rows = section.split('\n').filter((l) => l.startsWith(`| ${rule.id} |`));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toContain(`| ${rule.severity} |`);
    expect(rows[0]).toContain(rule.fix.replace(/\|/g, '\\|'));
  }
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
