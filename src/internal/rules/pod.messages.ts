import { quoteList } from './core';
import type { Problem } from '../../model/problem';
import { show } from '../validate/validators';

// The wording of the service and architecture findings (src/internal/rules/pod.ts decides when they apply).

/** @internal */
export const POD_MESSAGES = {
  /** SVC003: a registry-path service without alias. */
  noAlias: (p: { image: string; names: string[]; short?: string }): Problem => ({
    message: `${show(p.image)} has no alias, so jobs reach it only as ${p.names.length ? quoteList(p.names) : 'nothing at all'}, `
      + `not as '${p.short}', and its container is named svc-N.`,
    fix: `set alias: '${p.short}'.`,
  }),
  /** ARCH001: the default amd64 helper on other architectures. */
  defaultHelper: (p: { foreign: string[]; budgetPath: string; archLabel: string; defaultArch: string }): Problem => ({
    message: `job pods may land on ${quoteList(p.foreign)} nodes of ${p.budgetPath}, but without a ${p.archLabel} node selector `
      + `the runner pulls the ${p.defaultArch} helper image, which cannot run there.`,
    fix: `set nodeSelector: { '${p.archLabel}': '${p.foreign[0]}' } (one JobPodTemplate per architecture), `
      + `or a helper.image built for ${quoteList(p.foreign)}.`,
  }),
  /** ARCH002: a helper image pinned to another architecture. */
  pinnedHelper: (p: {
    image?: string; pinned: string; mismatched: string[]; archLabel: string; selected: boolean; budgetPath?: string;
  }): Problem => ({
    message: `${show(p.image)} is built for ${p.pinned}, but job pods run on ${quoteList(p.mismatched)} nodes `
      + `(${p.selected ? `nodeSelector ${p.archLabel}` : `the pools of ${p.budgetPath}`}).`,
    fix: `use the helper image for ${quoteList(p.mismatched)} (tag <arch>-v<version>), `
      + `or restrict the job pods with nodeSelector { '${p.archLabel}': '${p.pinned}' }.`,
  }),
};
