import { PROP_MESSAGES } from './props.messages';
import { asText, show, showEscaped } from '../internal/validate/validators';
import type { Problem } from '../model/problem';

/** The end of the errors about a count or length beyond what Kubernetes takes. */
const LIMIT = (max: number): string => `Kubernetes allows at most ${max}.`;

/** @internal The wording of DnsConfig's prop errors. */
export const DNS_MESSAGES = {
  notList: (value: unknown, field: string): Problem => ({ message: PROP_MESSAGES.notList(value), fix: `give ${field} as an array.` }),
  /**
   * `meant`: the runner's policy the value spells the Kubernetes way (`value`, and `key`, its DnsPolicy member), when
   * it does.
   */
  badPolicy: (policy: unknown, meant: { value: string; key: string } | undefined, policies: string[]): Problem => ({
    message: `${show(policy)} is not a runner DNS policy`
      + `${meant ? ' (that is the Kubernetes spelling, which the runner silently replaces with the cluster default)' : ''}.`,
    fix: meant
      ? `use '${meant.value}', not '${asText(policy)}' (DnsPolicy.${meant.key}).`
      : `use one of ${policies.map((p) => `'${p}'`).join(', ')}.`,
  }),
  badReach: (reach: unknown): Problem => ({
    message: `${show(reach)} is not a ClusterDnsReach.`,
    fix: 'use ClusterDnsReach.ALL_NAMES or ClusterDnsReach.IN_CLUSTER_ONLY.',
  }),
  noneWithoutNameservers: (): Problem => ({
    message: "policy 'none' with no nameserver: the API server rejects the job pod, so every job fails at pod creation.",
    fix: 'list at least one nameserver, or use another policy.',
  }),
  tooManyNameservers: (count: number, max: number): Problem => ({
    message: `${count} nameservers given; ${LIMIT(max)}`,
    fix: `keep at most ${max} nameservers.`,
  }),
  nameserverNotIp: (ns: unknown): Problem => ({
    message: `${show(ns)} is not an IP address.`,
    fix: 'give the nameserver as an IPv4 or IPv6 address, e.g. 10.0.0.2.',
  }),
  tooManySearches: (count: number, max: number): Problem => ({
    message: `${count} search domains given; ${LIMIT(max)}`,
    fix: `keep at most ${max} search domains.`,
  }),
  searchesTooLong: (chars: number, max: number): Problem => ({
    message: `the search list is ${chars} characters long; ${LIMIT(max)}`,
    fix: 'shorten or drop search domains.',
  }),
  badSearch: (search: unknown): Problem => ({
    message: `${show(search)} is not a valid DNS name.`,
    fix: 'use lower-case labels of letters, digits and hyphens separated by dots, e.g. svc.cluster.local.',
  }),

  /** Resolver options. */
  optionWithoutName: (): Problem => ({ message: 'the option has no name.', fix: "name the option, e.g. { name: 'ndots', value: '2' }." }),
  badOptionName: (name: string): Problem => ({
    message: `${showEscaped(name)} is not a resolver option name; resolv.conf would read it as something else.`,
    fix: "use the option's name alone, e.g. 'ndots', 'timeout', 'edns0'.",
  }),
  optionValueBreaks: (value: string): Problem => ({
    message: `${showEscaped(value)} holds white space or a control character; resolv.conf would end the option there.`,
    fix: "give the value alone, e.g. '2'.",
  }),
  optionValueNotString: (value: unknown): Problem => ({
    message: `${show(value)} is not a string; the runner decodes option values as strings only.`,
    fix: `write the value as a string, e.g. '${asText(value)}'.`,
  }),
};
