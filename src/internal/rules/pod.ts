import { CatalogueRule, problemHit } from './core';
import { POD_MESSAGES as M } from './pod.messages';
import { Severity } from '../../model/finding';
import { imageDerivedNames, serviceHostnames } from '../render/service-names';

const ARCH_LABEL = 'kubernetes.io/arch';
/** The architecture the runner picks for its default helper image when node_selector names none. */
const DEFAULT_HELPER_ARCH = 'amd64';
/** Architecture names in helper image tags (`x86_64-v18.3.0`, `arm64-v18.3.0`), as `kubernetes.io/arch` values. */
const TAG_ARCH: Array<[RegExp, string]> = [
  [/(^|[-_.])(x86_64|amd64)([-_.]|$)/, 'amd64'],
  [/(^|[-_.])(arm64|aarch64)([-_.]|$)/, 'arm64'],
  [/(^|[-_.])(s390x)([-_.]|$)/, 's390x'],
  [/(^|[-_.])(ppc64le)([-_.]|$)/, 'ppc64le'],
  [/(^|[-_.])(riscv64)([-_.]|$)/, 'riscv64'],
  [/(^|[-_.])arm([-_.]|$)/, 'arm'],
];

/** The architecture an image tag pins, if it names one. */
export function tagArchitecture(image: string): string | undefined {
  const last = image.split('/').pop() ?? '';
  const tag = last.includes(':') ? last.slice(last.indexOf(':') + 1).split('@')[0] : '';
  return TAG_ARCH.find(([pattern]) => pattern.test(tag))?.[1];
}

/** @internal Rules about the job pod's services and images (pitfalls 26, 30). */
export const POD_RULES: CatalogueRule[] = [
  {
    id: 'SVC003',
    severity: Severity.WARNING,
    area: 'Services',
    title: 'A service from a registry path without `alias`.',
    why: 'The runner names its container `svc-N` and it answers only to names like `registry.example.com-postgres`, '
      + 'not to the short name jobs expect.',
    fix: 'give the service an `alias`.',
    check: ({ manager }) => manager.jobPod.services.filter((s) => s.alias === undefined && s.image.includes('/')).map((s) => {
      const names = serviceHostnames(s.image, undefined);
      const short = (imageDerivedNames(s.image)[0] ?? s.image).split('__').pop();
      return problemHit(s.path, 'alias', M.noAlias({ image: s.image, names, short }));
    }),
  },
  {
    id: 'ARCH001',
    severity: Severity.ERROR,
    area: 'Architecture',
    title: 'Job pods may run on non-amd64 nodes (the budget\'s pools) while neither `helper.image` nor a `kubernetes.io/arch` node selector is set.',
    why: 'The runner pulls the amd64 helper, which fails there with "exec format error".',
    fix: 'select the architecture with `nodeSelector` (`kubernetes.io/arch`), which the runner also uses to pick its helper, '
      + 'or set an arch-matching `helper.image`.',
    check: ({ manager, budget }) => {
      const job = manager.jobPod;
      const foreign = (budget?.architectures ?? []).filter((a) => a !== DEFAULT_HELPER_ARCH);
      if (foreign.length === 0 || job.helper.image !== undefined || job.nodeSelector[ARCH_LABEL] !== undefined) return [];
      return [problemHit(job.path, 'nodeSelector',
        M.defaultHelper({ foreign, budgetPath: budget!.path, archLabel: ARCH_LABEL, defaultArch: DEFAULT_HELPER_ARCH }))];
    },
  },
  {
    id: 'ARCH002',
    severity: Severity.ERROR,
    area: 'Architecture',
    title: '`helper.image` pinned to an architecture the job pods\' nodes do not have (its tag names `x86_64`, `arm64`, ...).',
    why: 'The helper fails with "exec format error".',
    fix: 'use the helper image of the nodes\' architecture, or pin the nodes with `nodeSelector`.',
    check: ({ manager, budget }) => {
      const job = manager.jobPod;
      const pinned = job.helper.image === undefined ? undefined : tagArchitecture(job.helper.image);
      const selected = job.nodeSelector[ARCH_LABEL];
      const targets = selected !== undefined ? [selected] : budget?.architectures ?? [];
      const mismatched = targets.filter((a) => a !== pinned);
      if (pinned === undefined || mismatched.length === 0) return [];
      return [problemHit(job.path, 'helper.image', M.pinnedHelper({
        image: job.helper.image, pinned, mismatched, archLabel: ARCH_LABEL, selected: selected !== undefined, budgetPath: budget?.path,
      }))];
    },
  },
];
