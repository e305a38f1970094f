import { CatalogueRule, RuleHit, dindServices, hit, quoteList } from './core';
import { Severity } from '../../model/finding';
import { servicesEnvironment } from '../render/config-toml';
import { isDindImage, isLoopbackHost, parseDockerHost, serviceHostnames } from '../render/service-names';
import { show } from '../validate/validators';

/** dockerd's bridge MTU when it is given none. */
const DOCKERD_DEFAULT_MTU = 1500;
/** Node-selector labels every node carries: they do not set a node pool apart. */
const GENERIC_NODE_LABELS = /^kubernetes\.io\/(arch|os|hostname)$/;

/** @internal Docker-in-Docker rules (pitfalls 1, 5, 6, 17, 22, 26). */
export const DIND_RULES: CatalogueRule[] = [
  {
    id: 'DIND001',
    severity: Severity.ERROR,
    area: 'DinD',
    title: 'The runner\'s `environment` sets a variable the DinD service needs (`DOCKER_HOST`, `DOCKER_TLS_*`) to another value: the build container no longer reaches the daemon.',
    fix: 'remove the variable from `environment`; the DindService sets it.',
    check: ({ manager }) => {
      const needed = servicesEnvironment(manager.jobPod);
      return Object.entries(manager.environment)
        // Own keys only: a variable named 'constructor' or 'toString' is not one the services set.
        .filter(([name, value]) => Object.prototype.hasOwnProperty.call(needed, name) && needed[name] !== value)
        .map(([name, value]) => hit(manager.path, `environment.${name}`,
          `${name}=${show(value)} contradicts the DinD service, which needs ${name}=${show(needed[name])}.`,
          `remove ${name} from environment; the DindService sets it.`));
    },
  },
  {
    id: 'DIND002',
    severity: Severity.WARNING,
    area: 'DinD',
    title: 'The runner\'s `environment` sets `DOCKER_HOST` to a host no service of the job pod answers to: jobs fail with "no such host" unless each declares such a service.',
    fix: 'add a DindService (it sets `DOCKER_HOST` itself), or point `DOCKER_HOST` at a service alias.',
    check: ({ manager }) => {
      const value = manager.environment.DOCKER_HOST;
      const target = value === undefined ? undefined : parseDockerHost(value);
      if (!target || dindServices(manager.jobPod).length > 0 || isLoopbackHost(target.host) || target.host.includes('.') || target.host.includes(':')) return [];
      const names = manager.jobPod.services.flatMap((s) => serviceHostnames(s.image, s.alias));
      if (names.includes(target.host)) return [];
      return [hit(manager.path, 'environment.DOCKER_HOST',
        `DOCKER_HOST=${show(value)} names host '${target.host}', which no service of ${manager.jobPod.path} answers to`
        + `${names.length ? ` (they answer to ${quoteList(names)})` : ' (it has no services)'}; every job that does not declare a service with alias '${target.host}' fails with "no such host".`,
        'add a DindService to the job pod template, which sets DOCKER_HOST to its alias, and remove DOCKER_HOST from environment.')];
    },
  },
  {
    id: 'DIND003',
    severity: Severity.ERROR,
    area: 'DinD',
    title: 'A Docker-in-Docker image declared as a plain JobService: its container is not privileged, so dockerd cannot start, and nothing sets TLS or `DOCKER_HOST` for the build container.',
    fix: 'declare it as a DindService.',
    check: ({ manager }) => manager.jobPod.services.filter((s) => s.dind === undefined && isDindImage(s.image)).map((s) =>
      hit(s.path, 'image', `${show(s.image)} runs a Docker daemon, but as a plain JobService its container is not privileged (dockerd fails with "mount: permission denied") and the build container gets no DOCKER_HOST.`,
        `replace the JobService with new DindService(scope, id, { image: '${s.image}'${s.alias ? `, alias: '${s.alias}'` : ''} }).`)),
  },
  {
    id: 'DIND004',
    severity: Severity.WARNING,
    area: 'DinD',
    title: 'DinD without `mtu`, and no pod network MTU declared: dockerd\'s bridge uses 1500, and on an overlay network (VXLAN 1450, IPIP 1440) large packets vanish, so builds hang in `apk`, `pip` or TLS handshakes.',
    fix: 'set `mtu` to the pod network\'s MTU, or declare the MTU in the ResourceBudget.',
    check: ({ manager, budget }) => (budget?.podNetworkMtu !== undefined ? [] : dindServices(manager.jobPod))
      .filter((s) => s.dind.mtu === undefined).map((s) =>
        hit(s.path, 'mtu', `dockerd gets no --mtu, so its bridge uses ${DOCKERD_DEFAULT_MTU}; nothing declares the pod network's MTU to show that this fits.`,
          'set mtu to the pod network\'s MTU (1450 on VXLAN overlays, 1440 on Calico IPIP), or declare the cluster\'s pod network MTU in its ResourceBudget.')),
  },
  {
    id: 'DIND005',
    severity: Severity.ERROR,
    area: 'DinD',
    title: 'DinD `mtu` missing or above the pod network MTU declared in the budget: packets larger than the pod network carries are dropped silently and builds hang.',
    fix: 'set `mtu` to at most the declared pod network MTU.',
    check: ({ manager, budget }) => {
      const podMtu = budget?.podNetworkMtu;
      if (podMtu === undefined) return [];
      return dindServices(manager.jobPod).filter((s) => (s.dind.mtu ?? DOCKERD_DEFAULT_MTU) > podMtu).map((s) =>
        hit(s.path, 'mtu', `dockerd's bridge MTU is ${s.dind.mtu ?? `${DOCKERD_DEFAULT_MTU} (dockerd's default)`}, above the pod network MTU ${podMtu} declared by ${budget!.path}.`,
          `set mtu: ${podMtu}.`));
    },
  },
  {
    id: 'DIND006',
    severity: Severity.WARNING,
    area: 'DinD',
    title: 'DinD service containers without an ephemeral-storage request: image layers and build caches fill the node\'s disk, and a pod requesting 0 is evicted first.',
    fix: 'request ephemeral storage for the service containers (`serviceResources` or the DindService\'s `resources`).',
    check: ({ manager }) => manager.jobPod.serviceResources?.ephemeralStorage?.request !== undefined ? [] : dindServices(manager.jobPod).map((s) =>
      hit(s.path, 'resources.ephemeralStorage.request', `dockerd keeps images, layers and build cache on the node's disk, but service containers request no ephemeral storage (${manager.jobPod.path} sets no service_ephemeral_storage_request).`,
        "request what a build needs, e.g. resources: { ephemeralStorage: { request: '10Gi', limit: '20Gi' } } on the DindService or serviceResources.")),
  },
  {
    id: 'DIND007',
    severity: Severity.WARNING,
    area: 'DinD',
    title: 'Privileged DinD job pods not confined to a dedicated node pool: pod limits do not bound what dockerd builds, and a privileged container exposes the node.',
    fix: 'label and taint a node pool for CI and set `nodeSelector` and `tolerations` on the job pod template.',
    check: ({ manager }) => {
      const job = manager.jobPod;
      if (dindServices(manager.jobPod).length === 0) return [];
      const hits: RuleHit[] = [];
      if (Object.keys(job.nodeSelector).filter((k) => !GENERIC_NODE_LABELS.test(k)).length === 0) {
        hits.push(hit(job.path, 'nodeSelector', 'job pods run a privileged Docker daemon but may land on any node: dockerd reports the whole node to builds, and a privileged container can reach the host.',
          "select a dedicated CI node pool, e.g. nodeSelector: { 'node-role.example.com/ci': 'true' }."));
      }
      if (job.tolerations.length === 0) {
        hits.push(hit(job.path, 'tolerations', 'job pods run a privileged Docker daemon but tolerate no taint, so they can only use untainted nodes that other workloads share.',
          "taint the CI node pool and tolerate that taint, e.g. tolerations: [{ key: 'ci', effect: TaintEffect.NO_SCHEDULE }]."));
      }
      return hits;
    },
  },
];
