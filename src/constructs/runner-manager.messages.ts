import { PROP_MESSAGES } from './props.messages';
import { show, showEscaped } from '../internal/validate/validators';
import type { Problem } from '../model/problem';

/** Why a number beyond JavaScript's exact integers is refused. */
const EXACT_INTEGER = 'an exact JavaScript integer (the TOML writer prints larger ones as floats, which the runner refuses)';

/** @internal The wording of RunnerManager's prop errors and findings. */
export const MANAGER_MESSAGES = {
  /** The GitLab URL and the token. */
  notHttpUrl: (url: unknown): Problem => ({
    message: `${show(url)} is not an http(s) URL.`,
    fix: "give the GitLab instance's URL, e.g. 'https://gitlab.example.com/'.",
  }),
  /** `shown`: the start of the URL the message quotes. */
  urlHasSpace: (shown: string): Problem => ({
    message: `${showEscaped(shown)} holds white space or a control character, which the runner would send as part of the URL.`,
    fix: "give the URL without spaces, tabs, line breaks or control characters, e.g. 'https://gitlab.example.com/'.",
  }),
  tokenNotSecret: (): Problem => ({
    message: 'the token must come from a Secret; a token in plain text would end up in a ConfigMap.',
    fix: "use RunnerToken.fromSecret('<secret-name>', '<key>').",
  }),
  badSecretName: (name: unknown): Problem => ({
    message: `${show(name)} is not a valid Secret name.`,
    fix: 'use a DNS-1123 subdomain, e.g. gitlab-runner-token.',
  }),
  secretElsewhere: (name: string, other: string, namespace: string): Problem => ({
    message: `the Secret ${show(name)} is in namespace ${show(other)}, but the manager runs in ${show(namespace)}; `
      + 'a pod mounts Secrets of its own namespace only.',
    fix: `declare the Secret in namespace ${show(namespace)}, or run the manager in ${show(other)}.`,
  }),
  /** `reserved`: the key is well formed but one of the names Kubernetes reserves. */
  badTokenKey: (key: unknown, reserved: boolean): Problem => ({
    message: `${show(key)} is not a valid Secret key${reserved ? " ('.', '..' and keys starting with '..' are reserved)" : ''}.`,
    fix: "use at most 253 letters, digits, '-', '_' and '.', not starting with '..', e.g. runner-token.",
  }),
  noJobPod: (): Problem => ({ message: 'a JobPodTemplate is required.', fix: 'pass the JobPodTemplate construct this manager creates jobs from.' }),

  /** The name. `named`: the user set it (else it was derived from the construct path). */
  badName: (name: string, named: boolean, max: number): Problem => ({
    message: `${nameSubject(name, named)} is not a DNS-1123 label of at most ${max} characters.`,
    fix: nameFix(named),
  }),
  nameStartsWithDigit: (name: string, named: boolean): Problem => ({
    message: `${nameSubject(name, named)} starts with a digit, `
      + `but the metrics Service ${show(`${name}-metrics`)} must start with a letter (DNS-1035).`,
    fix: named ? 'start the name with a letter, e.g. runner-1.' : nameFix(named),
  }),
  badNamespace: (namespace: string): Problem => ({ message: PROP_MESSAGES.notNamespaceName(namespace), fix: 'use a DNS-1123 label.' }),

  /** Numbers and maps. */
  notImage: (image: unknown): Problem => ({
    message: PROP_MESSAGES.notImageReference(image),
    fix: 'give an image such as registry.example.com/gitlab/gitlab-runner:v18.3.0.',
  }),
  notPodCount: (value: unknown): Problem => ({ message: `${show(value)} is not a whole number of pods.`, fix: 'give 0 or more.' }),
  badConcurrent: (value: unknown): Problem => ({
    message: `${show(value)}: concurrent must be a whole number of at least 1 (the runner refuses 0).`,
    fix: 'give at least 1.',
  }),
  badLimit: (value: unknown): Problem => ({ message: `${show(value)} is not a whole number.`, fix: 'give 0 (no limit) or more.' }),
  badRequestConcurrency: (value: unknown): Problem => ({ message: `${show(value)} is not a whole number of at least 1.`, fix: 'give at least 1.' }),
  notMap: (map: unknown, field: string, example: string): Problem => ({
    message: `${show(map)} is not a map.`,
    fix: `give ${field} as an object, e.g. ${example}.`,
  }),
  /** Examples of the map props, for notMap. */
  mapExamples: { environment: "{ GIT_DEPTH: '20' }", featureFlags: '{ FF_PRINT_POD_EVENTS: true }' },
  unknownFeatureFlag: (flag: string, oldest: string, newest: string): Problem => ({
    message: `GitLab Runner has no feature flag ${show(flag)} (in no version from ${oldest} to ${newest}); it would be ignored.`,
    fix: 'check the flag name (FF_...) against the runner documentation.',
  }),
  notBudget: (budget: unknown): Problem => ({
    message: `${show(budget)} is not a ResourceBudget.`,
    fix: 'pass the ResourceBudget construct of the cluster, or leave budget out.',
  }),
  badRunAsUser: (value: unknown): Problem => ({
    message: `${show(value)}: the manager must run as a non-root user id.`,
    fix: 'give the image user id: 100 for the alpine flavour, 999 for ubuntu.',
  }),
  badFsGroup: (value: unknown): Problem => ({ message: `${show(value)} is not a group id.`, fix: 'give a whole number.' }),
  /** What the numbers are written into, for the range errors. */
  destination: {
    replicas: "a Deployment's replicas (int32)",
    maxSurge: "a Deployment's maxSurge (int32)",
    runAsUser: 'a Kubernetes user id (runAsUser, 0 to 2147483647)',
    fsGroup: 'a Kubernetes group id (fsGroup, 0 to 2147483647)',
    exactInteger: EXACT_INTEGER,
  },
  serviceMonitorWithoutService: (): Problem => ({
    message: 'a ServiceMonitor scrapes the metrics Service, but metricsService is false, so it would scrape nothing.',
    fix: 'leave metricsService unset (the ServiceMonitor turns it on), or use podMonitor, which needs no Service.',
  }),

  /** The rendered config.toml. */
  configTooLarge: (bytes: number, max: number): Problem => ({
    message: `config.toml takes ${bytes} bytes, more than the ${max} (1 MiB) a ConfigMap holds, `
      + "so the API server rejects it (and the chart's ConfigMap alike).",
    fix: 'keep large values out of the props (environment, gitlabUrl, extraConfig): put them in a ConfigMap or Secret the jobs mount.',
  }),
  tokenLines: (count: number, tokenLine: string): Problem => ({
    message: `config.toml has ${count} lines reading ${tokenLine}, so the init container cannot tell where to write the token and stops the pod.`,
    fix: 'give no other config.toml entry (labels, annotations, selectors) the key token with that value.',
  }),

  /** Findings. */
  noBudget: (slots: number): Problem => ({
    message: `no ResourceBudget: nothing checks that the ${slots} job slots (replicas × concurrent) can be scheduled, `
      + 'and jobs that find no node sit Pending until poll_timeout fails them.',
    fix: 'declare the cluster CI runs on with a ResourceBudget and pass it as budget.',
  }),
};

function nameSubject(name: string, named: boolean): string {
  return named ? show(name) : `the name derived from the construct path, ${show(name)},`;
}

function nameFix(named: boolean): string {
  return named ? 'use lower-case letters, digits and hyphens.' : 'set name to a DNS-1123 label starting with a letter, e.g. runner-1.';
}
