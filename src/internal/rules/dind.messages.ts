import { quoteList } from './core';
import type { Problem } from '../../model/problem';
import { show } from '../validate/validators';

// The wording of the Docker-in-Docker findings (src/internal/rules/dind.ts decides when they apply).

/** @internal */
export const DIND_MESSAGES = {
  /** DIND001: a runner variable contradicts what the DinD service sets. */
  contradicts: (p: { name: string; value: string; needed: string }): Problem => ({
    message: `${p.name}=${show(p.value)} contradicts the DinD service, which needs ${p.name}=${show(p.needed)}.`,
    fix: `remove ${p.name} from environment; the DindService sets it.`,
  }),
  /** DIND002: DOCKER_HOST names a host no service answers to. */
  unknownHost: (p: { value: string; host: string; jobPodPath: string; names: string[] }): Problem => ({
    message: `DOCKER_HOST=${show(p.value)} names host '${p.host}', which no service of ${p.jobPodPath} answers to`
      + `${p.names.length ? ` (they answer to ${quoteList(p.names)})` : ' (it has no services)'}; `
      + `every job that does not declare a service with alias '${p.host}' fails with "no such host".`,
    fix: 'add a DindService to the job pod template, which sets DOCKER_HOST to its alias, and remove DOCKER_HOST from environment.',
  }),
  /** DIND003: a DinD image declared as a plain JobService. */
  plainService: (p: { image: string; alias?: string }): Problem => ({
    message: `${show(p.image)} runs a Docker daemon, but as a plain JobService its container is not privileged `
      + '(dockerd fails with "mount: permission denied") and the build container gets no DOCKER_HOST.',
    fix: `replace the JobService with new DindService(scope, id, { image: '${p.image}'${p.alias ? `, alias: '${p.alias}'` : ''} }).`,
  }),
  /** DIND004: no MTU anywhere. */
  noMtu: (p: { defaultMtu: number }): Problem => ({
    message: `dockerd gets no --mtu, so its bridge uses ${p.defaultMtu}; nothing declares the pod network's MTU to show that this fits.`,
    fix: 'set mtu to the pod network\'s MTU (1450 on VXLAN overlays, 1440 on Calico IPIP), '
      + 'or declare the cluster\'s pod network MTU in its ResourceBudget.',
  }),
  /** DIND005: the bridge MTU is above the pod network's. */
  mtuAbovePod: (p: { mtu?: number; defaultMtu: number; podMtu: number; budgetPath: string }): Problem => ({
    message: `dockerd's bridge MTU is ${p.mtu ?? `${p.defaultMtu} (dockerd's default)`}, `
      + `above the pod network MTU ${p.podMtu} declared by ${p.budgetPath}.`,
    fix: `set mtu: ${p.podMtu}.`,
  }),
  /** DIND006: no ephemeral-storage request for the service containers. */
  noEphemeralStorage: (p: { jobPodPath: string }): Problem => ({
    message: 'dockerd keeps images, layers and build cache on the node\'s disk, but service containers request no ephemeral storage '
      + `(${p.jobPodPath} sets no service_ephemeral_storage_request).`,
    fix: "request what a build needs, e.g. resources: { ephemeralStorage: { request: '10Gi', limit: '20Gi' } } "
      + 'on the DindService or serviceResources.',
  }),
  /** DIND007: privileged job pods not confined to a node pool. */
  anyNode: (): Problem => ({
    message: 'job pods run a privileged Docker daemon but may land on any node: dockerd reports the whole node to builds, '
      + 'and a privileged container can reach the host.',
    fix: "select a dedicated CI node pool, e.g. nodeSelector: { 'node-role.example.com/ci': 'true' }.",
  }),
  noToleration: (): Problem => ({
    message: 'job pods run a privileged Docker daemon but tolerate no taint, so they can only use untainted nodes that other workloads share.',
    fix: "taint the CI node pool and tolerate that taint, e.g. tolerations: [{ key: 'ci', effect: TaintEffect.NO_SCHEDULE }].",
  }),
};
