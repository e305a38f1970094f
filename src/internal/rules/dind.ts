import { CatalogueRule, RuleHit, dindServices, problemHit } from './core';
import { DIND_MESSAGES as M } from './dind.messages';
import { Severity } from '../../model/finding';
import { servicesEnvironment } from '../render/config-toml';
import { isDindImage, isLoopbackHost, parseDockerHost, serviceHostnames } from '../render/service-names';

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
    title: 'The runner\'s `environment` sets a variable the DinD service needs (`DOCKER_HOST`, `DOCKER_TLS_*`) to another value.',
    why: 'The build container no longer reaches the daemon.',
    fix: 'remove the variable from `environment`; the DindService sets it.',
    check: ({ manager }) => {
      const needed = servicesEnvironment(manager.jobPod);
      return Object.entries(manager.environment)
        // Own keys only: a variable named 'constructor' or 'toString' is not one the services set.
        .filter(([name, value]) => Object.prototype.hasOwnProperty.call(needed, name) && needed[name] !== value)
        .map(([name, value]) => problemHit(manager.path, `environment.${name}`, M.contradicts({ name, value, needed: needed[name] })));
    },
  },
  {
    id: 'DIND002',
    severity: Severity.WARNING,
    area: 'DinD',
    title: 'The runner\'s `environment` sets `DOCKER_HOST` to a host no service of the job pod answers to.',
    why: 'Jobs fail with "no such host" unless each declares such a service.',
    fix: 'add a DindService (it sets `DOCKER_HOST` itself), or point `DOCKER_HOST` at a service alias.',
    check: ({ manager }) => {
      const value = manager.environment.DOCKER_HOST;
      const target = value === undefined ? undefined : parseDockerHost(value);
      if (!target || dindServices(manager.jobPod).length > 0 || isLoopbackHost(target.host)) return [];
      if (target.host.includes('.') || target.host.includes(':')) return [];
      const names = manager.jobPod.services.flatMap((s) => serviceHostnames(s.image, s.alias));
      if (names.includes(target.host)) return [];
      const problem = M.unknownHost({ value: value!, host: target.host, jobPodPath: manager.jobPod.path, names });
      return [problemHit(manager.path, 'environment.DOCKER_HOST', problem)];
    },
  },
  {
    id: 'DIND003',
    severity: Severity.ERROR,
    area: 'DinD',
    title: 'A Docker-in-Docker image declared as a plain JobService.',
    why: 'Its container is not privileged, so dockerd cannot start, and nothing sets TLS or `DOCKER_HOST` for the build container.',
    fix: 'declare it as a DindService.',
    check: ({ manager }) => manager.jobPod.services.filter((s) => s.dind === undefined && isDindImage(s.image)).map((s) =>
      problemHit(s.path, 'image', M.plainService({ image: s.image, alias: s.alias }))),
  },
  {
    id: 'DIND004',
    severity: Severity.WARNING,
    area: 'DinD',
    title: 'DinD without `mtu`, and no pod network MTU declared.',
    why: 'dockerd\'s bridge uses 1500, and on an overlay network (VXLAN 1450, IPIP 1440) large packets vanish, '
      + 'so builds hang in `apk`, `pip` or TLS handshakes.',
    fix: 'set `mtu` to the pod network\'s MTU, or declare the MTU in the ResourceBudget.',
    check: ({ manager, budget }) => (budget?.podNetworkMtu !== undefined ? [] : dindServices(manager.jobPod))
      .filter((s) => s.dind.mtu === undefined).map((s) =>
        problemHit(s.path, 'mtu', M.noMtu({ defaultMtu: DOCKERD_DEFAULT_MTU }))),
  },
  {
    id: 'DIND005',
    severity: Severity.ERROR,
    area: 'DinD',
    title: 'DinD `mtu` missing or above the pod network MTU declared in the budget.',
    why: 'Packets larger than the pod network carries are dropped silently and builds hang.',
    fix: 'set `mtu` to at most the declared pod network MTU.',
    check: ({ manager, budget }) => {
      const podMtu = budget?.podNetworkMtu;
      if (podMtu === undefined) return [];
      return dindServices(manager.jobPod).filter((s) => (s.dind.mtu ?? DOCKERD_DEFAULT_MTU) > podMtu).map((s) =>
        problemHit(s.path, 'mtu', M.mtuAbovePod({ mtu: s.dind.mtu, defaultMtu: DOCKERD_DEFAULT_MTU, podMtu, budgetPath: budget!.path })));
    },
  },
  {
    id: 'DIND006',
    severity: Severity.WARNING,
    area: 'DinD',
    title: 'DinD service containers without an ephemeral-storage request.',
    why: 'Image layers and build caches fill the node\'s disk, and a pod requesting 0 is evicted first.',
    fix: 'request ephemeral storage for the service containers (`serviceResources` or the DindService\'s `resources`).',
    check: ({ manager }) => (manager.jobPod.serviceResources?.ephemeralStorage?.request !== undefined ? [] : dindServices(manager.jobPod).map((s) =>
      problemHit(s.path, 'resources.ephemeralStorage.request', M.noEphemeralStorage({ jobPodPath: manager.jobPod.path })))),
  },
  {
    id: 'DIND007',
    severity: Severity.WARNING,
    area: 'DinD',
    title: 'Privileged DinD job pods not confined to a dedicated node pool.',
    why: 'Pod limits do not bound what dockerd builds, and a privileged container exposes the node.',
    fix: 'label and taint a node pool for CI and set `nodeSelector` and `tolerations` on the job pod template.',
    check: ({ manager }) => {
      const job = manager.jobPod;
      if (dindServices(manager.jobPod).length === 0) return [];
      const hits: RuleHit[] = [];
      if (Object.keys(job.nodeSelector).filter((k) => !GENERIC_NODE_LABELS.test(k)).length === 0) {
        hits.push(problemHit(job.path, 'nodeSelector', M.anyNode()));
      }
      if (job.tolerations.length === 0) {
        hits.push(problemHit(job.path, 'tolerations', M.noToleration()));
      }
      return hits;
    },
  },
];
