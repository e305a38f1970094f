import { RULES } from './catalogue';
import { CatalogueRule, RuleArea } from './core';
import { DIND_PLAIN_PORT, DIND_TLS_PORT } from '../../model/service';
import { PREVIEW_POD_NAME, JOB_POD_PREVIEW_FILE, DEFAULT_CAP_DROP } from '../render/job-pod';

// The README section between <!-- rules:start --> and <!-- rules:end -->, generated from the catalogue so the two
// cannot drift (test/readme-rules.test.ts; scripts/update-readme-rules.ts rewrites it).

export const RULES_START = '<!-- rules:start -->';
export const RULES_END = '<!-- rules:end -->';

const AREA_ORDER: RuleArea[] = ['DinD', 'DNS', 'Services', 'Security', 'Job pod', 'Resources', 'Variables', 'Architecture', 'Manager', 'Runner version', 'Token', 'RBAC', '.gitlab-ci.yml'];

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function checkedWhere(rule: CatalogueRule): string {
  if (rule.enforcedBy) return `when declared: ${rule.enforcedBy}`;
  return [rule.check ? 'synth' : undefined, rule.ciCheck ? '`GitlabCiCheck`' : undefined].filter((w) => w !== undefined).join(', ');
}

function ruleTable(rules: CatalogueRule[]): string[] {
  return [
    '| Id | Severity | Checked | What it catches | Fix |',
    '|---|---|---|---|---|',
    ...rules.map((r) => `| ${r.id} | ${r.severity} | ${cell(checkedWhere(r))} | ${cell(r.title)} | ${cell(r.fix)} |`),
  ];
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
    `| build environment | \`DOCKER_HOST=tcp://<alias>:${DIND_TLS_PORT}\`, \`DOCKER_TLS_VERIFY=1\`, \`DOCKER_CERT_PATH=/certs/client\` | \`DOCKER_HOST=tcp://<alias>:${DIND_PLAIN_PORT}\` |`,
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
    'Errors cannot be acknowledged. The capacity rules (CAP…) are listed under Capacity.',
    '',
  ];
  for (const area of AREA_ORDER) {
    const rules = RULES.filter((r) => r.area === area);
    if (rules.length === 0) continue;
    lines.push(`#### ${area}`, '', ...ruleTable(rules), '');
  }
  return `${lines.join('\n')}`;
}

/** The README with its rules section replaced by the generated one. */
export function withRulesSection(readme: string): string {
  const start = readme.indexOf(RULES_START);
  const end = readme.indexOf(RULES_END);
  if (start < 0 || end < start) throw new Error(`README.md has no ${RULES_START} ... ${RULES_END} section.`);
  return readme.slice(0, start + RULES_START.length) + renderRulesSection() + readme.slice(end);
}

/** The text currently between the README's markers. */
export function currentRulesSection(readme: string): string {
  const start = readme.indexOf(RULES_START);
  const end = readme.indexOf(RULES_END);
  if (start < 0 || end < start) throw new Error(`README.md has no ${RULES_START} ... ${RULES_END} section.`);
  return readme.slice(start + RULES_START.length, end);
}
