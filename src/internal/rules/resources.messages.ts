import type { Problem } from '../../model/problem';
import { show } from '../validate/validators';

// The wording of the job pod's resource findings (src/internal/rules/resources.ts decides when they apply).

/** @internal */
export const RESOURCE_MESSAGES = {
  /** RES001: a limit without a request. */
  noRequest: (p: { kind: string; limit: string; field: string }): Problem => ({
    message: `${p.kind} limit ${p.limit} has no request, so Kubernetes reserves the full ${p.limit} for every job pod.`,
    fix: `set ${p.field}.${p.kind}.request to a typical use (it may stay below the limit).`,
  }),
  /** RES002: helper memory below GitLab's documented minimum. */
  helperBelowMinimum: (p: { limit: string; minimum: string }): Problem => ({
    message: `the helper may use ${p.limit}, below GitLab's documented minimum of ${p.minimum} for jobs with caches and artifacts.`,
    fix: `raise helper.resources.memory.limit to at least ${p.minimum} (512Mi for large repositories).`,
  }),
  /** RES003: helper memory below the floor. */
  helperBelowFloor: (p: { limit: string; floor: string; minimum: string }): Problem => ({
    message: `the helper may use ${p.limit}, below ${p.floor}: git is OOM-killed while cloning ("died of signal 9").`,
    fix: `raise helper.resources.memory.limit to at least ${p.minimum}.`,
  }),
  /** RES005: an overwrite maximum below the default it bounds. */
  maxBelowDefault: (p: { maxKey: string; max: string; key: string; value: string; field: string; prop: string }): Problem => ({
    message: `${p.maxKey} ${show(p.max)} is below the ${p.key} ${show(p.value)} it bounds: a job that asks for the default ${p.key} fails.`,
    fix: `raise ${p.field}.${p.prop}.${p.maxKey} to at least ${p.value}.`,
  }),
  /** RES008: a memory-backed volume over a path that grows, or without a size limit. */
  largePathOnTmpfs: (p: { name: string; mountPath: string }): Problem => ({
    message: `${show(p.name)} puts ${p.mountPath} on tmpfs: everything written there counts against the memory limit, `
      + 'and a large clone or image build is OOM-killed.',
    fix: `drop medium = "Memory" for ${p.mountPath}.`,
  }),
  noSizeLimit: (p: { name: string }): Problem => ({
    message: `${show(p.name)} is memory-backed with no size_limit: it can grow until the container is OOM-killed.`,
    fix: `set size_limit on ${show(p.name)}.`,
  }),
};
