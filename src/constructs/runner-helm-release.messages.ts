import { show } from '../internal/validate/validators';
import type { Problem } from '../model/problem';

/** @internal The wording of RunnerHelmRelease's prop errors. */
export const HELM_RELEASE_MESSAGES = {
  notManager: (manager: unknown): Problem => ({
    message: `${show(manager)} is not a RunnerManager.`,
    fix: 'pass the RunnerManager this release deploys.',
  }),
  deployedTwice: (manager: string, earlier: string): Problem => ({
    message: `${manager} is already deployed by the release ${earlier}; two releases of one manager would run it twice.`,
    fix: 'declare one RunnerHelmRelease per manager.',
  }),
  badReleaseName: (name: string): Problem => ({
    message: `${show(name)} is not a DNS-1123 label of at most 53 characters.`,
    fix: 'use lower-case letters, digits and hyphens.',
  }),
  /** `what`: the kind of credential the URL holds. */
  repoCredentials: (what: string): Problem => ({
    message: `the chart repository URL holds ${what}; cdk8s passes it to helm on the command line, where every process on the `
      + 'machine can read it, and helm repeats the URL in its error messages, which end up in synth logs.',
    fix: "give the URL without credentials: run 'helm repo add <alias> <url> --username <user> --password-stdin' before synth "
      + "and set chart to '<alias>/gitlab-runner' instead of repo.",
  }),
  /** `inDirectory`: the executable names a directory (else it is looked up on PATH). */
  helmNotFound: (executable: string, inDirectory: boolean): Problem => ({
    message: `the helm CLI (${show(executable)}) was not found ${inDirectory ? 'there' : 'on PATH'}; `
      + "cdk8s renders a chart by running 'helm template' during synth.",
    fix: 'install Helm 3 and put it on PATH (or pass helmExecutable), or drop RunnerHelmRelease and apply the native manifests, '
      + 'or run helm install with dist/<name>.values.yaml.',
  }),
};
