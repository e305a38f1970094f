/** @internal The wording of GitlabCiCheck's errors. */
export const GITLAB_CI_CHECK_MESSAGES = {
  notManager: 'GitlabCiCheck.check: manager must be a RunnerManager.',
};
