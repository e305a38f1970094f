import { RULES } from './catalogue';
import { README_MESSAGES as M } from './readme.messages';
import type { RuleArea, RuleCheckedAt, RuleSpec } from '../../model/rule';
import { DIND_PLAIN_PORT, DIND_TLS_PORT } from '../../model/service';
import { PREVIEW_POD_NAME, JOB_POD_PREVIEW_FILE, DEFAULT_CAP_DROP } from '../render/job-pod';

// The rule section of docs/rules.md (between <!-- rules:start --> and <!-- rules:end -->) and the rule tables of
// docs/capacity.md and docs/helm.md, generated from the catalogue so they cannot drift (test/readme-rules.test.ts;
// scripts/update-readme-rules.ts rewrites them).

export const RULES_START = '<!-- rules:start -->';
export const RULES_END = '<!-- rules:end -->';

/** The page holding the rules section. */
export const RULES_FILE = 'docs/rules.md';

/** The other generated rule tables, each between its own markers in its page. */
export const RULE_TABLES: ReadonlyArray<{ readonly name: string; readonly file: string; readonly areas: readonly RuleArea[] }> = [
  { name: 'capacity', file: 'docs/capacity.md', areas: ['Capacity'] },
  { name: 'helm', file: 'docs/helm.md', areas: ['Helm chart'] },
];

/** Every page with generated rule text. */
export const GENERATED_RULE_FILES: readonly string[] = [RULES_FILE, ...RULE_TABLES.map((t) => t.file)];

const AREA_ORDER: RuleArea[] = [
  'DinD', 'DNS', 'Services', 'Security', 'Job pod', 'Resources', 'Variables', 'Architecture', 'Manager', 'Runner version', 'Token', 'RBAC',
  '.gitlab-ci.yml', 'Synth', 'Props',
];

const CHECKED_AT: Record<RuleCheckedAt, (rule: RuleSpec) => string> = {
  'declaration': (rule) => `when declared: ${rule.enforcedBy}`,
  'synth': () => 'synth',
  'gitlab-ci': () => '`GitlabCiCheck`',
  'helm-release': () => '`RunnerHelmRelease`',
  'write': () => 'when FleetSynth writes',
};

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function checkedWhere(rule: RuleSpec): string {
  return rule.checkedAt.map((when) => CHECKED_AT[when](rule)).join(', ');
}

function ruleTable(rules: RuleSpec[]): string[] {
  return [
    '| Id | Severity | Checked | What it catches | Why it matters | Fix |',
    '|---|---|---|---|---|---|',
    ...rules.map((r) => `| ${r.id} | ${r.severity} | ${cell(checkedWhere(r))} | ${cell(r.title)} | ${cell(r.why)} | ${cell(r.fix)} |`),
  ];
}

function markers(name: string): { start: string; end: string } {
  return { start: `<!-- rules:${name}:start -->`, end: `<!-- rules:${name}:end -->` };
}

/** The generated text of one of RULE_TABLES, starting and ending with a newline. */
export function renderRuleTable(name: string): string {
  const table = RULE_TABLES.find((t) => t.name === name)!;
  return `\n${ruleTable(RULES.filter((r) => table.areas.includes(r.area))).join('\n')}\n`;
}

/** The text between the markers, starting and ending with a newline. */
export function renderRulesSection(): string {
  const lines = [
    '',
    '### The job pod, before a job runs',
    '',
    `\`npm run synth\` writes \`dist/${JOB_POD_PREVIEW_FILE}\` beside the manifests: for every RunnerManager and the JobPodTemplate it`,
    'uses, the Pod the Kubernetes executor will create for each job, rebuilt from the config.toml this library wrote. It shows',
    'the init container `init-permissions` (helper image and resources), the containers `build`, `helper` and one per',
    'service named after its alias (`svc-N` without one, sorted by name), one `hostAliases` entry mapping every service name',
    'to 127.0.0.1, `dnsPolicy` and `dnsConfig`, the volumes mounted in every container, and the security contexts',
    `(privileged only on service containers, and only with a DindService; \`${DEFAULT_CAP_DROP}\` dropped everywhere).`,
    '',
    'It is a review file, not a manifest: its top level is a list of previews, so `kubectl apply` rejects it, and the pod',
    `name (\`${PREVIEW_POD_NAME}\`) and the scripts and logs paths are placeholders. \`JobPodTemplate.previewPod()\``,
    'returns the same Pod object for tests.',
    '',
    '### Docker-in-Docker: TLS on or off',
    '',
    '| | `tls: true` (default) | `tls: false` |',
    '|---|---|---|',
    `| dockerd listens on | ${DIND_TLS_PORT} | ${DIND_PLAIN_PORT}, started with \`--tls=false\` |`,
    '| service environment | `DOCKER_TLS_CERTDIR=/certs` (dockerd generates certificates) | `DOCKER_TLS_CERTDIR=""` |',
    '| client certificates | shared through a memory-backed emptyDir at `/certs/client` | none |',
    `| build environment | \`DOCKER_HOST=tcp://<alias>:${DIND_TLS_PORT}\`, \`DOCKER_TLS_VERIFY=1\`, \`DOCKER_CERT_PATH=/certs/client\` `
      + `| \`DOCKER_HOST=tcp://<alias>:${DIND_PLAIN_PORT}\` |`,
    '',
    'Either way the service sets `HEALTHCHECK_TCP_PORT`, so the job script starts once dockerd listens, and only service',
    'containers run privileged. The runner starts the daemon in every job: jobs must not declare a `docker:dind` service',
    'of their own. `DindService.gitlabCiSnippet` prints the matching `.gitlab-ci.yml` variables, and',
    '`GitlabCiCheck.check(yamlText, manager)` reports jobs whose services or variables contradict the runner.',
    '',
    '### Rules',
    '',
    'Generated from the rule catalogue (`src/internal/rules/`); `npx ts-node --transpile-only scripts/update-readme-rules.ts`',
    'rewrites this list, and a test fails when it differs from the catalogue. An error stops synth; a warning is printed',
    'and kept in the review files. A warning that does not apply can be acknowledged on the construct it names, with a',
    "reason: `Rules.acknowledge(dind, 'DIND004', 'the CNI runs with MTU 1500')`; it is still reported, marked acknowledged.",
    'Errors cannot be acknowledged. The capacity rules (CAP…) are listed under Capacity and the Helm values\' rules',
    '(HELM…) under the Helm chart; their warnings are acknowledged the same way. Each construct\'s own prop errors that',
    'no numbered rule covers (a wrong type, a range) carry its prop id (Props, below).',
    '',
  ];
  for (const area of AREA_ORDER) {
    const rules = RULES.filter((r) => r.area === area);
    if (rules.length === 0) continue;
    lines.push(`#### ${area}`, '', ...ruleTable(rules), '');
  }
  return `${lines.join('\n')}`;
}

function replaced(readme: string, startMarker: string, endMarker: string, text: string): string {
  const start = readme.indexOf(startMarker);
  const end = readme.indexOf(endMarker);
  if (start < 0 || end < start) throw new Error(M.noSection({ start: startMarker, end: endMarker }));
  return readme.slice(0, start + startMarker.length) + text + readme.slice(end);
}

function between(readme: string, startMarker: string, endMarker: string): string {
  const start = readme.indexOf(startMarker);
  const end = readme.indexOf(endMarker);
  if (start < 0 || end < start) throw new Error(M.noSection({ start: startMarker, end: endMarker }));
  return readme.slice(start + startMarker.length, end);
}

/**
 * The page `file` (one of GENERATED_RULE_FILES) with its generated rule text replaced by the current one: the rules
 * section in RULES_FILE, its table in the page of each of RULE_TABLES.
 */
export function withRulesSection(text: string, file: string = RULES_FILE): string {
  let out = file === RULES_FILE ? replaced(text, RULES_START, RULES_END, renderRulesSection()) : text;
  for (const table of RULE_TABLES.filter((t) => t.file === file)) {
    out = replaced(out, markers(table.name).start, markers(table.name).end, renderRuleTable(table.name));
  }
  return out;
}

/** The text currently between the rules markers of RULES_FILE. */
export function currentRulesSection(readme: string): string {
  return between(readme, RULES_START, RULES_END);
}

/** The text currently between the markers of one of RULE_TABLES, in its page. */
export function currentRuleTable(readme: string, name: string): string {
  return between(readme, markers(name).start, markers(name).end);
}
