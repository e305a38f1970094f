import type { Problem } from '../../model/problem';

// The wording of CAP014 (src/internal/capacity/memory-volumes.ts). Amounts arrive shown (format.ts).

export const MEMORY_VOLUMES_MESSAGES = {
  /** A node packed by requests runs out of memory once its jobs fill their memory-backed volumes. */
  volumesOverNode: (a: {
    pool: string; count: number; request: string; volumes: string; perPod: string; total: string; free: string;
  }): Problem => ({
    message: `a node of pool '${a.pool}' takes ${a.count} job pods by their requests (memory ${a.request} each); a job that fills its `
      + `memory-backed volumes (${a.volumes}) uses ${a.perPod}, so ${a.count} such jobs use ${a.total} of the node's ${a.free} free `
      + 'memory, and the kubelet evicts pods under memory pressure.',
    fix: `add the volumes' size (${a.volumes}) to buildResources.memory.request, so the scheduler reserves it, or lower their sizeLimit.`,
  }),
};
