import { Construct } from 'constructs';
import { DNS_MESSAGES as M } from './dns-config.messages';
import { CONSTRUCTION_RULES as RULES, _RuleErrors, PROP_RULES } from '../internal/validate/construction-rules';
import { checkPropStrings } from '../internal/validate/secrets';
import { asText, isDns1123Subdomain, isIpAddress, plainProps } from '../internal/validate/validators';
import { ClusterDnsReach, DnsModel, DnsOption, DnsPolicy } from '../model/dns';

/** Kubernetes' spellings, to tell a user which runner spelling they meant. */
const KUBERNETES_SPELLING: Record<string, DnsPolicy> = {
  None: DnsPolicy.NONE,
  Default: DnsPolicy.DEFAULT,
  ClusterFirst: DnsPolicy.CLUSTER_FIRST,
  ClusterFirstWithHostNet: DnsPolicy.CLUSTER_FIRST_WITH_HOST_NET,
};

/**
 * Properties for `DnsConfig`.
 */
export interface DnsConfigProps {
  /**
   * How the job pod resolves names.
   *
   * @default - the runner's default, `cluster-first`
   */
  readonly policy?: DnsPolicy;

  /**
   * Nameserver IP addresses, at most 3 (Kubernetes' limit). Required with `DnsPolicy.NONE`.
   *
   * @default - none
   */
  readonly nameservers?: string[];

  /**
   * Search domains, at most 32 and 2048 characters in all (Kubernetes' limit since 1.28).
   *
   * @default - none
   */
  readonly searches?: string[];

  /**
   * Resolver options such as `ndots`.
   *
   * @default - none
   */
  readonly options?: DnsOption[];

  /**
   * What the cluster's DNS resolves. Not rendered: it describes the cluster, so the rule catalogue can tell whether a
   * `cluster-first` job pod can resolve the GitLab instance and the registries dockerd pulls from.
   *
   * @default ClusterDnsReach.ALL_NAMES
   */
  readonly clusterDnsReach?: ClusterDnsReach;
}

const MAX_NAMESERVERS = 3;
const MAX_SEARCHES = 32;
const MAX_SEARCH_CHARS = 2048;

/**
 * The DNS of every job pod: `dns_policy` and `[runners.kubernetes.dns_config]`.
 *
 * This is the pod's resolv.conf, which every container of the job uses, dockerd in a DinD service included. It is
 * not dockerd's `--dns`, which only reaches the containers dockerd starts (see `DindServiceProps.dns`).
 */
export class DnsConfig extends Construct {
  /** The policy, if one was set. */
  public readonly policy?: DnsPolicy;
  /** The nameservers. */
  public readonly nameservers: string[];
  /** The search domains. */
  public readonly searches: string[];
  /** The resolver options. */
  public readonly options: DnsOption[];
  /** What the cluster's own DNS resolves. */
  public readonly clusterDnsReach: ClusterDnsReach;

  constructor(scope: Construct, id: string, props: DnsConfigProps = {}) {
    // Missing props (undefined or null from plain JavaScript) are reported field by field, not a TypeError.
    props = plainProps(props ?? {}) as typeof props;
    super(scope, id);
    const errors = new _RuleErrors(this, PROP_RULES.dns);
    this.policy = props.policy;
    this.clusterDnsReach = props.clusterDnsReach ?? ClusterDnsReach.ALL_NAMES;
    for (const field of ['nameservers', 'searches', 'options'] as const) {
      if (props[field] !== undefined && !Array.isArray(props[field])) errors.addProblem(field, M.notList(props[field], field));
    }
    this.nameservers = Array.isArray(props.nameservers) ? [...props.nameservers] : [];
    this.searches = Array.isArray(props.searches) ? [...props.searches] : [];
    this.options = (Array.isArray(props.options) ? props.options : []).map((o) => ({ ...o }));

    const policies = Object.values(DnsPolicy) as string[];
    if (props.policy !== undefined && !policies.includes(props.policy)) {
      // An own property only: 'constructor' or 'toString' is no Kubernetes spelling.
      const kubernetesSpelling = typeof props.policy === 'string' && Object.prototype.hasOwnProperty.call(KUBERNETES_SPELLING, props.policy);
      const meant = kubernetesSpelling ? KUBERNETES_SPELLING[props.policy!] : undefined;
      const problem = M.badPolicy(props.policy, meant ? { value: meant, key: enumKey(meant) } : undefined, policies);
      errors.addProblem('policy', problem, RULES.dnsPolicySpelling.id);
    }
    if (!(Object.values(ClusterDnsReach) as string[]).includes(this.clusterDnsReach)) {
      errors.addProblem('clusterDnsReach', M.badReach(this.clusterDnsReach));
    }
    if (props.policy === DnsPolicy.NONE && this.nameservers.length === 0) {
      errors.addProblem('nameservers', M.noneWithoutNameservers(), RULES.dnsNoneWithoutNameservers.id);
    }
    if (this.nameservers.length > MAX_NAMESERVERS) {
      errors.addProblem('nameservers', M.tooManyNameservers(this.nameservers.length, MAX_NAMESERVERS), RULES.dnsLimits.id);
    }
    this.nameservers.forEach((ns, i) => {
      if (!isIpAddress(ns)) errors.addProblem(`nameservers[${i}]`, M.nameserverNotIp(ns), RULES.dnsLimits.id);
    });
    if (this.searches.length > MAX_SEARCHES) {
      errors.addProblem('searches', M.tooManySearches(this.searches.length, MAX_SEARCHES), RULES.dnsLimits.id);
    }
    const chars = this.searches.map(asText).join(' ').length;
    if (chars > MAX_SEARCH_CHARS) {
      errors.addProblem('searches', M.searchesTooLong(chars, MAX_SEARCH_CHARS), RULES.dnsLimits.id);
    }
    this.searches.forEach((s, i) => {
      if (!isDns1123Subdomain(s)) errors.addProblem(`searches[${i}]`, M.badSearch(s), RULES.dnsLimits.id);
    });
    this.options.forEach((o, i) => {
      // resolv.conf is 'options name[:value] ...' on one line: white space, a line break or a ':' in the name breaks it.
      if (typeof o.name !== 'string' || o.name.length === 0) {
        errors.addProblem(`options[${i}].name`, M.optionWithoutName());
      } else if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(o.name)) {
        errors.addProblem(`options[${i}].name`, M.badOptionName(o.name));
      }
      if (typeof o.value === 'string' && /[\s\u0000-\u001f\u007f-\u009f]/.test(o.value)) {
        errors.addProblem(`options[${i}].value`, M.optionValueBreaks(o.value));
      }
      if (o.value !== undefined && typeof o.value !== 'string') {
        errors.addProblem(`options[${i}].value`, M.optionValueNotString(o.value));
      }
    });
    checkPropStrings(errors, props);
    errors.record();
  }

  /** @internal */
  public _toModel(): DnsModel {
    return {
      path: this.node.path,
      policy: this.policy,
      nameservers: this.nameservers,
      searches: this.searches,
      options: this.options,
      clusterDnsReach: this.clusterDnsReach,
    };
  }
}

function enumKey(value: DnsPolicy): string {
  return Object.entries(DnsPolicy).find(([, v]) => v === value)![0];
}
