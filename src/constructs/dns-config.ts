import { Construct } from 'constructs';
import { CONSTRUCTION_RULES as RULES, _RuleErrors, PROP_RULES } from '../internal/validate/construction-rules';
import { checkPropStrings } from '../internal/validate/secrets';
import { asText, isDns1123Subdomain, isIpAddress, plainProps, show, showEscaped } from '../internal/validate/validators';
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
      if (props[field] !== undefined && !Array.isArray(props[field])) errors.add(field, `${show(props[field])} is not a list.`, `give ${field} as an array.`);
    }
    this.nameservers = Array.isArray(props.nameservers) ? [...props.nameservers] : [];
    this.searches = Array.isArray(props.searches) ? [...props.searches] : [];
    this.options = (Array.isArray(props.options) ? props.options : []).map((o) => ({ ...o }));

    const policies = Object.values(DnsPolicy) as string[];
    if (props.policy !== undefined && !policies.includes(props.policy)) {
      // An own property only: 'constructor' or 'toString' is no Kubernetes spelling.
      const meant = typeof props.policy === 'string' && Object.prototype.hasOwnProperty.call(KUBERNETES_SPELLING, props.policy) ? KUBERNETES_SPELLING[props.policy] : undefined;
      errors.add('policy', `${show(props.policy)} is not a runner DNS policy${meant ? ' (that is the Kubernetes spelling, which the runner silently replaces with the cluster default)' : ''}.`,
        meant ? `use '${meant}', not '${props.policy}' (DnsPolicy.${enumKey(meant)}).` : `use one of ${policies.map((p) => `'${p}'`).join(', ')}.`, RULES.dnsPolicySpelling);
    }
    if (!(Object.values(ClusterDnsReach) as string[]).includes(this.clusterDnsReach)) {
      errors.add('clusterDnsReach', `${show(this.clusterDnsReach)} is not a ClusterDnsReach.`, 'use ClusterDnsReach.ALL_NAMES or ClusterDnsReach.IN_CLUSTER_ONLY.');
    }
    if (props.policy === DnsPolicy.NONE && this.nameservers.length === 0) {
      errors.add('nameservers', "policy 'none' with no nameserver: the API server rejects the job pod, so every job fails at pod creation.",
        'list at least one nameserver, or use another policy.', RULES.dnsNoneWithoutNameservers);
    }
    if (this.nameservers.length > MAX_NAMESERVERS) {
      errors.add('nameservers', `${this.nameservers.length} nameservers given; Kubernetes allows at most ${MAX_NAMESERVERS}.`,
        `keep at most ${MAX_NAMESERVERS} nameservers.`, RULES.dnsLimits);
    }
    this.nameservers.forEach((ns, i) => {
      if (!isIpAddress(ns)) errors.add(`nameservers[${i}]`, `${show(ns)} is not an IP address.`, 'give the nameserver as an IPv4 or IPv6 address, e.g. 10.0.0.2.', RULES.dnsLimits);
    });
    if (this.searches.length > MAX_SEARCHES) {
      errors.add('searches', `${this.searches.length} search domains given; Kubernetes allows at most ${MAX_SEARCHES}.`, `keep at most ${MAX_SEARCHES} search domains.`, RULES.dnsLimits);
    }
    const chars = this.searches.map(asText).join(' ').length;
    if (chars > MAX_SEARCH_CHARS) {
      errors.add('searches', `the search list is ${chars} characters long; Kubernetes allows at most ${MAX_SEARCH_CHARS}.`, 'shorten or drop search domains.', RULES.dnsLimits);
    }
    this.searches.forEach((s, i) => {
      if (!isDns1123Subdomain(s)) errors.add(`searches[${i}]`, `${show(s)} is not a valid DNS name.`, 'use lower-case labels of letters, digits and hyphens separated by dots, e.g. svc.cluster.local.', RULES.dnsLimits);
    });
    this.options.forEach((o, i) => {
      // resolv.conf is 'options name[:value] ...' on one line: white space, a line break or a ':' in the name breaks it.
      if (typeof o.name !== 'string' || o.name.length === 0) {
        errors.add(`options[${i}].name`, 'the option has no name.', "name the option, e.g. { name: 'ndots', value: '2' }.");
      } else if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(o.name)) {
        errors.add(`options[${i}].name`, `${showEscaped(o.name)} is not a resolver option name; resolv.conf would read it as something else.`, "use the option's name alone, e.g. 'ndots', 'timeout', 'edns0'.");
      }
      if (typeof o.value === 'string' && /[\s\u0000-\u001f\u007f-\u009f]/.test(o.value)) {
        errors.add(`options[${i}].value`, `${showEscaped(o.value)} holds white space or a control character; resolv.conf would end the option there.`, "give the value alone, e.g. '2'.");
      }
      if (o.value !== undefined && typeof o.value !== 'string') {
        errors.add(`options[${i}].value`, `${show(o.value)} is not a string; the runner decodes option values as strings only.`, `write the value as a string, e.g. '${asText(o.value)}'.`);
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
