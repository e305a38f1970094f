import { Construct } from 'constructs';
import { _PropErrors } from './prop-errors';
import { Severity } from '../../model/finding';
import type { RuleArea, RuleSpec } from '../../model/rule';

// Rules enforced while the fleet is declared: the construct throws, listing every problem at once. They are in the
// catalogue (src/internal/rules/catalogue.ts) with the same ids as the errors the constructs throw, so the README
// lists them beside the fleet rules.

/** @internal A rule a construct enforces in its constructor (an error, checked at declaration). */
export type ConstructionRule = RuleSpec;

const AREA: Record<string, RuleArea> = {
  DNS: 'DNS', SVC: 'Services', SEC: 'Security', JOB: 'Job pod', RES: 'Resources', DIND: 'DinD',
};

function rule(id: string, title: string, why: string, fix: string, enforcedBy: string): ConstructionRule {
  return { id, severity: Severity.ERROR, checkedAt: ['declaration'], area: AREA[id.replace(/\d+$/, '')], title, why, fix, enforcedBy };
}

function propRule(id: string, construct: string, fix: string): ConstructionRule {
  return {
    id,
    severity: Severity.ERROR,
    checkedAt: ['declaration'],
    area: 'Props',
    title: `A ${construct} prop of the wrong type, out of range or malformed (no numbered rule covers it).`,
    why: 'the value cannot be rendered into a working object or config.toml key; the error names the prop and the value.',
    fix,
    enforcedBy: `${construct} (every prop)`,
  };
}

/**
 * @internal The ids of a construct's own prop errors that no numbered rule covers: a wrong type, a range, a name's
 * syntax. Each construct reports under its own.
 */
export const PROP_RULES = {
  manager: propRule('MGR', 'RunnerManager', 'give the prop the type and range its documentation states.'),
  jobPod: propRule('JOB', 'JobPodTemplate', 'give the prop the type and range its documentation states.'),
  service: propRule('SVC', 'JobService', 'give the prop the type and range its documentation states.'),
  dind: propRule('DIND', 'DindService', 'give the prop the type and range its documentation states.'),
  dns: propRule('DNS', 'DnsConfig', 'give the prop the type and range its documentation states.'),
  budget: propRule('BUDGET', 'ResourceBudget', 'give the node pools and their quantities as the documentation states.'),
  helmRelease: propRule('HELM', 'RunnerHelmRelease', 'give the prop the type its documentation states.'),
  acknowledge: {
    id: 'RULES',
    severity: Severity.ERROR,
    checkedAt: ['declaration'],
    area: 'Props',
    title: '`Rules.acknowledge` of an unknown rule, of an error, without a reason, or twice on one construct.',
    why: 'only a warning that does not apply can be acknowledged, and the next reader needs the reason.',
    fix: 'acknowledge a warning id from the rule lists once per construct, with a written reason.',
    enforcedBy: 'Rules.acknowledge',
  } as ConstructionRule,
} as const;

/** @internal Construction rules by name. Ids are stable: tests, reports and the README refer to them. */
export const CONSTRUCTION_RULES = {
  dnsPolicySpelling: rule('DNS001',
    '`dns_policy` in the Kubernetes spelling (`ClusterFirst`, `None`) or unknown.',
    'the runner silently falls back to the cluster default.',
    "use a DnsPolicy member; config.toml takes the runner's spelling ('cluster-first', 'none').", 'DnsConfig `policy`'),
  dnsNoneWithoutNameservers: rule('DNS002',
    '`dns_policy = "none"` without a nameserver.',
    'the API server rejects the job pod, so every job fails at pod creation.',
    'list at least one nameserver, or use another policy.', 'DnsConfig `nameservers`'),
  dnsLimits: rule('DNS003',
    "Pod DNS beyond Kubernetes' limits or syntax: more than 3 nameservers, more than 32 search domains or 2048 characters, "
      + 'a nameserver that is not an IP address, a search domain that is not a DNS name.',
    'the API server rejects the job pod, so every job fails at pod creation.',
    'keep at most 3 IP nameservers and at most 32 valid search domains.', 'DnsConfig `nameservers`, `searches`'),
  serviceAlias: rule('SVC001',
    'A service alias that is not a DNS-1123 label.',
    'the runner fails every job with "provided host alias ... is invalid DNS".',
    "use lower-case letters, digits and '-' (e.g. 'docker').", 'JobService / DindService `alias`'),
  serviceCollision: rule('SVC002',
    'Two services of a job pod on one alias or one port.',
    'all containers share one network namespace, so the second cannot listen.',
    'give each service its own alias and port.', 'JobPodTemplate `services`'),
  podWidePrivileged: rule('SEC001',
    '`privileged = true` for the whole job pod.',
    'the helper, the init container and every service become privileged.',
    'add a DindService instead: it makes only service containers privileged (`service_container_security_context`).',
    'JobPodTemplate `extraConfig.privileged`'),
  pullPolicySpelling: rule('JOB001',
    'A pull policy outside `always`, `never`, `if-not-present`.',
    'the runner fails every job with "unsupported pull policy".',
    'use a PullPolicy member.', 'JobPodTemplate `pullPolicy`, `allowedPullPolicies`'),
  requestAboveLimit: rule('RES004',
    'A request above its limit (cpu, memory or ephemeral storage of any container).',
    'the API server rejects the job pod.',
    'lower the request to the limit or raise the limit.', 'every `resources` prop (validateContainerResources)'),
  dindFlags: rule('DIND008',
    'dockerd flags in `extraArgs` that contradict the DindService: TLS flags against `tls`, `--host`, '
      + 'or a flag a typed prop renders (`--mtu`, `--dns`, `--registry-mirror`, `--insecure-registry`).',
    "the build container's DOCKER_HOST or TLS would no longer match the daemon, or a typed prop's value would be hidden "
      + 'from the rule catalogue or given twice.',
    'use the typed props (tls, mtu, dns, registryMirrors, insecureRegistries) and leave the listen address to the construct.',
    'DindService `extraArgs`'),
  plainTextSecret: rule('SEC002',
    'A credential in plain text: a value shaped like a GitLab token (`glrt-`, `glpat-`, `GR1348941`, ...), a cloud key (AWS, Google, Azure), '
      + 'a PEM private key, a password or token in a URL, or `$RUNNER_TOKEN` inside `gitlabUrl`.',
    'Every prop string ends up in config.toml (a ConfigMap), the Helm values or the review files.',
    'keep credentials in Secrets: the runner token through `RunnerToken.fromSecret`, job credentials as masked CI/CD variables in GitLab.',
    'every string prop of RunnerManager (`gitlabUrl`, `environment`, ...), JobPodTemplate (`extraConfig`, ...), JobService, DindService, '
      + 'DnsConfig and ResourceBudget, and RunnerHelmRelease `repo`'),
} as const;

/**
 * @internal Collects the construction errors of one construct, each under its catalogue rule id (a problem without a
 * catalogue rule keeps the construct's default id), and throws them together.
 */
export class _RuleErrors extends _PropErrors {
  constructor(scope: Construct, own: ConstructionRule) {
    super(scope, own.id);
  }

  public add(field: string, message: string, fix: string, catalogued?: ConstructionRule | string): void {
    super.add(field, message, fix, typeof catalogued === 'string' ? catalogued : catalogued?.id);
  }
}
