// The wording of the errors parsing a .gitlab-ci.yml throws (src/internal/rules/gitlab-ci.ts decides when).

/** @internal */
export const GITLAB_CI_MESSAGES = {
  notText: (): string => '.gitlab-ci.yml: the text is not a string.',
  invalidYaml: (p: { error: string }): string => `.gitlab-ci.yml is not valid YAML: ${p.error}`,
  topLevel: (): string => '.gitlab-ci.yml: the top level must be a mapping of keywords and jobs.',
  /** `extends:` */
  extendsLoop: (p: { chain: string[] }): string => `.gitlab-ci.yml: extends forms a loop: ${p.chain.join(' -> ')}.`,
  extendsTooDeep: (p: { job: string; maxDepth: number }): string => `.gitlab-ci.yml: ${p.job} extends more than ${p.maxDepth} levels deep.`,
  extendsNothing: (p: { job: string; parent: string }): string =>
    `.gitlab-ci.yml: ${p.job} extends '${p.parent}', which is not a job or hidden job.`,
  /** `variables:` and `services:` */
  variablesShape: (p: { where: string }): string => `.gitlab-ci.yml: ${p.where} must be a mapping of variable names to values.`,
  servicesShape: (p: { job: string }): string => `.gitlab-ci.yml: ${p.job}.services must be a list.`,
  serviceWithoutImage: (p: { job: string; index: number }): string => `.gitlab-ci.yml: ${p.job}.services[${p.index}] has no image name.`,
  /** `!reference` tags */
  referencesTooDeep: (): string => '.gitlab-ci.yml: !reference tags nest more than 10 levels deep.',
  referenceToNothing: (p: { path: unknown[] }): string => `.gitlab-ci.yml: !reference [${p.path.join(', ')}] points at nothing.`,
};
