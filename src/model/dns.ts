/**
 * The job pod's DNS policy, in the runner's config.toml spelling (`dns_policy`).
 *
 * The runner maps these to Kubernetes' `None`, `Default`, `ClusterFirst` and `ClusterFirstWithHostNet`; a Kubernetes
 * spelling in config.toml is silently replaced by the cluster default.
 */
export enum DnsPolicy {
  /** Only `nameservers`, `searches` and `options` are used (Kubernetes `None`); needs at least one nameserver. */
  NONE = 'none',
  /** The node's resolv.conf (Kubernetes `Default`); in-cluster Service names do not resolve. */
  DEFAULT = 'default',
  /** The cluster DNS first (Kubernetes `ClusterFirst`, the default). */
  CLUSTER_FIRST = 'cluster-first',
  /** The cluster DNS first, for pods on the host network (Kubernetes `ClusterFirstWithHostNet`). */
  CLUSTER_FIRST_WITH_HOST_NET = 'cluster-first-with-host-net',
}

/**
 * Which names the cluster's own DNS (CoreDNS or kube-dns, the resolver of `cluster-first` pods) can answer.
 *
 * Declare it when the cluster DNS does not forward to resolvers that know your registries and GitLab: the rule
 * catalogue then checks that job pods which need those names get nameservers that know them (rule DNS005).
 */
export enum ClusterDnsReach {
  /** The cluster DNS forwards names outside the cluster to resolvers that know them (the usual setup). */
  ALL_NAMES = 'all-names',
  /**
   * The cluster DNS answers in-cluster names only (`*.cluster.local`): a registry or GitLab outside the cluster
   * times out (`dial tcp: lookup registry.example.com: i/o timeout`) unless the pod has its own nameservers.
   */
  IN_CLUSTER_ONLY = 'in-cluster-only',
}

/**
 * A resolver option of the job pod (`[[runners.kubernetes.dns_config.options]]`), e.g. `ndots` = `2`.
 */
export interface DnsOption {
  /** The option's name, e.g. `ndots`, `timeout`, `attempts`, `edns0`. */
  readonly name: string;

  /**
   * The option's value; rendered as a TOML string, which is what the runner decodes.
   *
   * @default - a flag option without a value (e.g. `edns0`)
   */
  readonly value?: string;
}

/** @internal The plain model of a DnsConfig. */
export interface DnsModel {
  readonly path: string;
  readonly policy?: DnsPolicy;
  readonly nameservers: string[];
  readonly searches: string[];
  readonly options: DnsOption[];
  readonly clusterDnsReach: ClusterDnsReach;
}
