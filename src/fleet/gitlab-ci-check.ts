import { GITLAB_CI_CHECK_MESSAGES as M } from './gitlab-ci-check.messages';
import { RunnerManager } from '../constructs/runner-manager';
import { withAcknowledgements } from '../internal/rules/acknowledgements';
import { evaluateCiRules } from '../internal/rules/catalogue';
import { parseGitlabCi } from '../internal/rules/gitlab-ci';
import { Finding, Severity } from '../model/finding';

/**
 * Checks a `.gitlab-ci.yml` against the runner that will run its jobs.
 *
 * The runner and the pipeline are written by different people, and a job can undo what the runner sets up: a
 * `DOCKER_HOST` naming a host no service answers to, port 2375 against a TLS daemon, a second `docker:dind` service
 * next to the runner's, Docker-in-Docker without privileged service containers, more services than the capacity
 * budget planned for, or variables that look like runner settings but change nothing.
 */
export class GitlabCiCheck {
  /**
   * The findings for every job of a `.gitlab-ci.yml` (rules CI001–CI005, DNS006, VAR001, RES006, RES007). Each
   * finding's path is the manager's construct path and its field names the job and key, e.g.
   * `.gitlab-ci.yml build.variables.DOCKER_HOST`.
   *
   * Reads `default:`, global and job `variables:`, `services:` as strings or objects (alias, variables), hidden
   * jobs, `extends:`, `inherit:`, YAML anchors and merge keys, and `!reference` tags. `include:` is not followed:
   * check the merged configuration (the pipeline editor's "Full configuration") to cover included files.
   *
   * @param yamlText the text of the `.gitlab-ci.yml`
   * @param manager the runner manager that runs the pipeline's jobs
   * @returns the findings, errors first, each group in job and rule order
   * @throws if the text is not valid YAML or not a pipeline (the message says where)
   */
  public static check(yamlText: string, manager: RunnerManager): Finding[] {
    if (!(manager instanceof RunnerManager)) throw new Error(M.notManager);
    const model = manager._toModel();
    const budget = manager.budget?._facts(model);
    const findings = parseGitlabCi(yamlText).flatMap((job) => evaluateCiRules({ manager: model, budget, job }));
    const acknowledged = withAcknowledgements(manager, findings);
    return [...acknowledged.filter((f) => f.severity === Severity.ERROR), ...acknowledged.filter((f) => f.severity !== Severity.ERROR)];
  }

  private constructor() {}
}
