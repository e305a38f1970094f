import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { JobPodTemplate, RunnerManager, RunnerToken } from '../../src';

// A manager and its job pods fenced in with cdk8s-plus-28 NetworkPolicies (docs/cdk8s-plus.md shows this file):
// the manager may reach GitLab, the Kubernetes API server and the cluster DNS, nothing else; the job pods may reach
// GitLab (clones, artifacts, caches) and the DNS; nothing may connect to either except Prometheus to the metrics port.

/** Where GitLab and the API server are, as the cluster's network sees them. */
export interface NetworkPolicyFleetProps {
  /** GitLab's address block, e.g. its load balancer's IP as `/32`. */
  readonly gitlabCidr: string;
  /** The API server's address block (the endpoints of the `kubernetes` Service, not its ClusterIP). */
  readonly apiServerCidr: string;
  /** The API server's port on those endpoints. */
  readonly apiServerPort: number;
}

export function networkPolicyFleet(app: App, props: NetworkPolicyFleetProps): { chart: Chart; manager: RunnerManager } {
  const chart = new Chart(app, 'ci', { namespace: 'ci', disableResourceNameHashes: true });
  const tokenSecret = kplus.Secret.fromSecretName(chart, 'TokenSecret', 'gitlab-runner-token');
  const manager = new RunnerManager(chart, 'Runner', {
    name: 'runner',
    gitlabUrl: 'https://gitlab.example.com/',
    token: RunnerToken.fromKplusSecret(tokenSecret),
    jobPod: new JobPodTemplate(chart, 'Jobs', { namespace: 'ci-jobs' }),
    podMonitor: true,
  });

  const gitlab = kplus.NetworkPolicyIpBlock.ipv4(chart, 'GitLab', props.gitlabCidr);
  const apiServer = kplus.NetworkPolicyIpBlock.ipv4(chart, 'ApiServer', props.apiServerCidr);
  const dns = kplus.Pods.select(chart, 'ClusterDns', {
    labels: { 'k8s-app': 'kube-dns' },
    namespaces: kplus.Namespaces.select(chart, 'KubeSystem', { names: ['kube-system'] }),
  });
  const dnsPorts = [kplus.NetworkPolicyPort.udp(53), kplus.NetworkPolicyPort.tcp(53)];
  const deny = { default: kplus.NetworkPolicyTrafficDefault.DENY };

  // The manager: polls GitLab, creates job pods through the API server, resolves names; Prometheus scrapes it.
  const managerPolicy = new kplus.NetworkPolicy(chart, 'ManagerPolicy', { selector: manager.managerPods(), egress: deny, ingress: deny });
  managerPolicy.addEgressRule(gitlab, [kplus.NetworkPolicyPort.tcp(443)]);
  managerPolicy.addEgressRule(apiServer, [kplus.NetworkPolicyPort.tcp(props.apiServerPort)]);
  managerPolicy.addEgressRule(dns, dnsPorts);
  const prometheus = kplus.Pods.select(chart, 'Prometheus', {
    labels: { 'app.kubernetes.io/name': 'prometheus' },
    namespaces: kplus.Namespaces.select(chart, 'Monitoring', { names: ['monitoring'] }),
  });
  managerPolicy.addIngressRule(prometheus, [kplus.NetworkPolicyPort.tcp(9252)]);

  // The job pods: clone, fetch and upload over GitLab's HTTPS, resolve names; nothing connects to them.
  const jobPolicy = new kplus.NetworkPolicy(chart, 'JobPolicy', { selector: manager.jobPods(), egress: deny, ingress: deny });
  jobPolicy.addEgressRule(gitlab, [kplus.NetworkPolicyPort.tcp(443)]);
  jobPolicy.addEgressRule(dns, dnsPorts);

  // More rights for the manager's ServiceAccount, bound with cdk8s-plus: reading the job namespace's events.
  const events = new kplus.Role(chart, 'ReadEvents', { metadata: { namespace: 'ci-jobs' } });
  events.allowRead(kplus.ApiResource.EVENTS);
  events.bind(manager.kplusServiceAccount());
  return { chart, manager };
}
