import { eligiblePools, ManagerCapacity } from './evaluate';
import { showAmount } from './format';
import { MEMORY_VOLUMES_MESSAGES as M } from './memory-volumes.messages';
import type { ManagerModel } from '../../model/manager';
import type { Problem } from '../../model/problem';
import { Quantity } from '../../model/quantity';
import { memoryVolumes } from '../render/job-volumes';
import type { CapacityRule } from '../rules/capacity-rules';

// Memory-backed emptyDirs in the capacity model. Kubernetes places a job pod by its containers' requests and reserves
// nothing for an emptyDir; the tmpfs of a `medium = "Memory"` volume is charged to the memory cgroup of the container
// that writes it, so a job that fills it uses its request plus the volume, up to its memory limit. On a node packed by
// requests, that use can exceed the node's free memory: the kubelet then evicts pods under memory pressure.

/** The memory one job pod uses with its memory-backed volumes full: request + Σ sizeLimit, at most the pod's limit. */
export function memoryWithVolumes(m: ManagerCapacity, model: ManagerModel): { volumes: bigint; perPod: bigint } | undefined {
  const bytes = (size: string | undefined) => (size !== undefined && Quantity.isValid(size) ? Quantity._nanosOf(size) : 0n);
  const sizes = memoryVolumes(model.jobPod).map((v) => bytes(v.sizeLimit));
  const volumes = sizes.reduce((a, b) => a + b, 0n);
  if (volumes === 0n) return undefined;
  const filled = m.pod.request.memory + volumes;
  const limit = m.pod.limit.memory;
  return { volumes, perPod: limit !== undefined && limit < filled ? limit : filled };
}

/** CAP014: per eligible pool, the node packed by requests against its free memory with every tmpfs full. */
export function memoryVolumeFindings(
  add: (rule: CapacityRule, path: string, field: string, problem: Problem) => void,
  rule: CapacityRule, m: ManagerCapacity, model: ManagerModel,
): void {
  const use = memoryWithVolumes(m, model);
  if (use === undefined) return;
  for (const p of eligiblePools(m)) {
    const free = p.free.memory;
    const count = BigInt(p.byRequests.count);
    if (free === undefined || count === 0n || count * use.perPod <= free) continue;
    add(rule, m.jobPodPath, 'volumes', M.volumesOverNode({
      pool: p.pool,
      count: p.byRequests.count,
      request: showAmount('memory', m.pod.request.memory),
      volumes: showAmount('memory', use.volumes),
      perPod: showAmount('memory', use.perPod),
      total: showAmount('memory', count * use.perPod),
      free: showAmount('memory', free),
    }));
  }
}
