import { ApiObject, Chart, Duration, Names } from 'cdk8s';
import type * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { JobPodTemplate } from './job-pod-template';
import { jobPods, managerPods, managerServiceAccount } from './kplus';
import { declareManagerObjects, ManagerChildren, patchedObjects, replaceWithChart } from './manager-children';
import { ManagerPodProps } from './manager-pod-props';
import { PROP_MESSAGES as P } from './props.messages';
import { ResourceBudget } from './resource-budget';
import { _cacheAndCaModels, _checkCredentialLines, RunnerCa, RunnerCache } from './runner-cache';
import { MANAGER_MESSAGES as M } from './runner-manager.messages';
import { RunnerToken } from './runner-token';
import { demandOf } from '../internal/capacity/evaluate';
import { renderConfigToml, TOKEN_LINE } from '../internal/render/config-toml';
import { renderHelmValues, renderHelmValuesYaml } from '../internal/render/helm-values';
import { withAcknowledgements } from '../internal/rules/acknowledgements';
import { CAPACITY_RULES } from '../internal/rules/capacity-rules';
import { evaluateRules } from '../internal/rules/catalogue';
import { currentFindings, isCheckedBySynth } from '../internal/rules/finding-sources';
import { helmFindings } from '../internal/rules/helm';
import { addIdentityValidation } from '../internal/rules/identity';
import { patchFindings } from '../internal/rules/patches';
import { plainWriterFindings } from '../internal/rules/synth';
import { validateRunnerConfig } from '../internal/runner/runner-config';
import { isFeatureFlag, NEWEST_RUNNER_VERSION, OLDEST_RUNNER_VERSION, resolveRunnerVersion } from '../internal/runner/version';
import { PROP_RULES } from '../internal/validate/construction-rules';
import { validateContainerResources } from '../internal/validate/container-resources';
import { managerPodModel } from '../internal/validate/manager-pod';
import { validateManagerResources } from '../internal/validate/manager-resources';
import { validateLabels, validateTaints, validateWholeSeconds } from '../internal/validate/placement';
import { _isIncomplete, _markIncomplete, _PropErrors, _refuseIfIncomplete, _validationLine } from '../internal/validate/prop-errors';
import { checkPropStrings } from '../internal/validate/secrets';
import {
  CONFIG_MAP_MAX_BYTES, INT32_MAX, isDns1123Label, isDns1123Subdomain, isPlainMap, isWholeNumber, plainProps, rangeProblem, utf8Bytes,
} from '../internal/validate/validators';
import type { ExtraFile } from '../model/extra-file';
import { Finding, Severity } from '../model/finding';
import { ManagerModel } from '../model/manager';
import { ContainerResources } from '../model/resources';
import { Toleration } from '../model/toleration';

/** The official image of the chart version this library targets (chart 0.86.0, appVersion 18.9.0). */
const DEFAULT_IMAGE = 'registry.gitlab.com/gitlab-org/gitlab-runner:alpine-v18.9.0';
const DEFAULT_RESOURCES: ContainerResources = {
  cpu: { request: '100m', limit: '1' },
  memory: { request: '128Mi', limit: '512Mi' },
};

/**
 * Properties for `RunnerManager`.
 */
export interface RunnerManagerProps extends ManagerPodProps {
  /** The GitLab instance's URL, e.g. `https://gitlab.example.com/`. */
  readonly gitlabUrl: string;

  /** The runner authentication token, from a Secret. */
  readonly token: RunnerToken;

  /** The shape of the job pods this manager creates. */
  readonly jobPod: JobPodTemplate;

  /**
   * The base name of the manager's objects, and the runner's name in GitLab.
   *
   * @default - derived from the construct path
   */
  readonly name?: string;

  /**
   * The namespace the manager runs in.
   *
   * @default - the chart's namespace, else `default`
   */
  readonly namespace?: string;

  /**
   * The runner image.
   *
   * @default 'registry.gitlab.com/gitlab-org/gitlab-runner:alpine-v18.9.0'
   */
  readonly image?: string;

  /**
   * The GitLab Runner version the image holds, `X.Y.Z`. Which config.toml keys and feature flags the runner knows
   * depends on it, and every key this manager writes is checked against it. Supported: 17.0.0 to 19.4.x.
   *
   * @default - the version in the image tag (`v18.3.0`, `alpine-v18.9.0`, `ubuntu-v19.4.0`, `alpine3.21-v19.4.0`, ...);
   * required when the tag names none (`latest`, a digest, a private tag)
   */
  readonly runnerVersion?: string;

  /**
   * How many manager pods run. Each takes up to `concurrent` jobs, so the fleet has `replicas × concurrent` job slots.
   *
   * @default 1
   */
  readonly replicas?: number;

  /**
   * The most jobs one manager pod runs at once (global `concurrent`).
   *
   * @default 1
   */
  readonly concurrent?: number;

  /**
   * The most jobs this runner entry runs at once (`[[runners]] limit`); 0 means no limit beyond `concurrent`.
   *
   * @default - no limit beyond concurrent
   */
  readonly limit?: number;

  /**
   * How many job requests to GitLab may be in flight at once (`request_concurrency`).
   *
   * @default - the runner's default, 1
   */
  readonly requestConcurrency?: number;

  /**
   * How often the manager asks GitLab for jobs (`check_interval`), in whole seconds.
   *
   * @default Duration.seconds(3)
   */
  readonly checkInterval?: Duration;

  /**
   * How long the manager waits for running jobs on shutdown before it gives up (`shutdown_timeout`).
   *
   * @default Duration.seconds(30)
   */
  readonly shutdownTimeout?: Duration;

  /**
   * How long Kubernetes lets a stopping manager pod finish its running jobs. Give it the longest job timeout.
   *
   * @default Duration.hours(1)
   */
  readonly terminationGracePeriod?: Duration;

  /**
   * Extra manager pods during a rollout. Each takes jobs while old pods finish theirs, so the fleet briefly has
   * `(replicas + maxSurge) × concurrent` slots.
   *
   * @default 0
   */
  readonly maxSurge?: number;

  /**
   * Variables added to every job (`[[runners]] environment`), after the ones a `DindService` sets.
   *
   * @default - only what the services need
   */
  readonly environment?: { [name: string]: string };

  /**
   * Runner feature flags (`[runners.feature_flags]`), e.g. `FF_PRINT_POD_EVENTS`.
   *
   * @default - the runner's defaults
   */
  readonly featureFlags?: { [flag: string]: boolean };

  /**
   * The port of the manager's Prometheus metrics (`listen_address`); the probes use it too.
   *
   * @default 9252
   */
  readonly metricsPort?: number;

  /**
   * Whether to create a ClusterIP Service for the metrics port.
   *
   * @default false
   */
  readonly metricsService?: boolean;

  /**
   * Whether to add a prometheus-operator PodMonitor (`monitoring.coreos.com/v1`) scraping the manager pods' metrics
   * port, in the native manifests and in the Helm values (`metrics.podMonitor`). Applying it needs the
   * prometheus-operator CRDs in the cluster.
   *
   * @default false
   */
  readonly podMonitor?: boolean;

  /**
   * Whether to add a prometheus-operator ServiceMonitor scraping the metrics Service, in the native manifests and in
   * the Helm values (`metrics.serviceMonitor`). It needs the metrics Service, which it turns on unless
   * `metricsService` is `false` (an error then). The chart prefers the PodMonitor, which keeps scraping a pod that
   * shuts down.
   *
   * @default false
   */
  readonly serviceMonitor?: boolean;

  /**
   * Resources of the manager container (not of jobs): requests and limits. `maxRequest` and `maxLimit` bound what
   * jobs may ask for, so they are refused here.
   *
   * @default - requests 100m CPU and 128Mi memory, limits 1 CPU and 512Mi
   */
  readonly resources?: ContainerResources;

  /**
   * Node labels the manager pods must land on. This places the manager, not the jobs (`JobPodTemplateProps.nodeSelector`).
   *
   * @default - any node
   */
  readonly nodeSelector?: { [label: string]: string };

  /**
   * Taints the manager pods tolerate. This places the manager, not the jobs (`JobPodTemplateProps.tolerations`).
   *
   * @default - none
   */
  readonly tolerations?: Toleration[];

  /**
   * The non-root user the manager runs as. The official alpine image's `gitlab-runner` user is 100; the ubuntu
   * flavour's is 999.
   *
   * @default 100
   */
  readonly runAsUser?: number;

  /**
   * The group owning the manager's writable volumes.
   *
   * @default 65533
   */
  readonly fsGroup?: number;

  /**
   * The cluster capacity this manager's job pods are checked against: synth fails when its job slots
   * (replicas × concurrent) cannot all be scheduled on the budget's node pools. Several managers may share a budget.
   *
   * @default - no capacity check (a warning says so)
   */
  readonly budget?: ResourceBudget;

  /**
   * The distributed cache (`[runners.cache]`): S3, GCS or Azure Blob. Credentials come from a Secret only
   * (docs/cache.md).
   *
   * @default - no distributed cache (warning CACHE001)
   */
  readonly cache?: RunnerCache;

  /**
   * The CA bundle the runner trusts for GitLab (`tls-ca-file`), from a Secret mounted in the manager pod; the runner
   * passes it on to the job pods (CI_SERVER_TLS_CA_FILE) for clones and artifact uploads.
   *
   * @default - the image's system CAs
   */
  readonly tlsCa?: RunnerCa;
}

/**
 * A GitLab Runner manager on Kubernetes: its Deployment, ServiceAccount, Role and RoleBinding in the job namespace,
 * the ConfigMap with config.toml, and optionally a metrics Service.
 */
export class RunnerManager extends Construct {
  /** The base name of the manager's objects. */
  public readonly name: string;
  /** The namespace the manager runs in. */
  public readonly namespace: string;
  /** How many manager pods run. */
  public readonly replicas: number;
  /** The most jobs one manager pod runs at once. */
  public readonly concurrent: number;
  /** The job pod template. */
  public readonly jobPod: JobPodTemplate;
  /** The GitLab Runner version the manager runs, `X.Y.Z` (from `runnerVersion` or the image tag). */
  public readonly runnerVersion: string = '';
  /** The rendered config.toml, for reviews and tests. */
  public readonly configToml: string = '';
  /** The budget the job slots are checked against, if any. */
  public readonly budget?: ResourceBudget;

  /**
   * The manager's ServiceAccount, for escape-hatch patches (`addJsonPatch`). A patch of a field the Helm values carry
   * is reported (HELM010); under a `RunnerHelmRelease` every patch is an error (HELM011). None of the objects exist
   * when the manager's props have errors (they are reported at synth).
   */
  public readonly serviceAccount?: ApiObject;
  /** The Role in the job namespace (patchable like `serviceAccount`). */
  public readonly role!: ApiObject;
  /** The RoleBinding of the Role to the ServiceAccount (patchable like `serviceAccount`). */
  public readonly roleBinding!: ApiObject;
  /** The ConfigMap holding config.toml (patchable like `serviceAccount`). */
  public readonly configMap!: ApiObject;
  /** The manager's Deployment (patchable like `serviceAccount`). */
  public readonly deployment!: ApiObject;
  /** The metrics Service, when `metricsService` (or `serviceMonitor`) asks for it. */
  public readonly metricsService?: ApiObject;
  /** The prometheus-operator PodMonitor, when `podMonitor` asks for it. */
  public readonly podMonitor?: ApiObject;
  /** The prometheus-operator ServiceMonitor, when `serviceMonitor` asks for it. */
  public readonly serviceMonitor?: ApiObject;
  /** The PodDisruptionBudget of the manager pods (by default when replicas > 1; `disruptionBudget` sets it). */
  public readonly podDisruptionBudget?: ApiObject;

  // Set once the props are valid; a manager with prop errors (reported at synth) has no model and no objects.
  private readonly model!: ManagerModel;
  private readonly children!: ManagerChildren;
  private release?: Construct;

  constructor(scope: Construct, id: string, props: RunnerManagerProps) {
    // Missing props (undefined or null from plain JavaScript) are reported field by field, not a TypeError.
    props = plainProps(props ?? {}) as typeof props;
    super(scope, id);
    const errors = new _PropErrors(this, PROP_RULES.manager.id);
    this.name = props.name ?? derivedName(this);
    this.namespace = props.namespace ?? Chart.of(this).namespace ?? 'default';
    this.replicas = props.replicas ?? 1;
    this.concurrent = props.concurrent ?? 1;
    this.jobPod = props.jobPod;
    this.budget = props.budget;
    validateProps(errors, props, this.name, this.namespace, props.name !== undefined);
    checkPropStrings(errors, props);
    const pod = managerPodModel(errors, props, { name: this.name, replicas: this.replicas });
    validateRunnerConfig(errors, props.runnerConfig);
    const image = props.image ?? DEFAULT_IMAGE;
    // A malformed image is reported by validateProps; its tag says nothing then.
    const version = typeof image === 'string' && image.trim() !== '' && !/\s/.test(image)
      ? resolveRunnerVersion(image, props.runnerVersion)
      : { version: undefined, problems: [] };
    for (const problem of version.problems) errors.addProblem(problem.field, problem);
    const extras = _cacheAndCaModels(errors, props.cache, props.tlsCa, props.gitlabUrl, version.version);
    if (errors.record()) return;
    // A job pod template or budget with prop errors reports them itself; without its model nothing is rendered here.
    if (_isIncomplete(props.jobPod) || _isIncomplete(props.budget)) {
      _markIncomplete(this);
      return;
    }
    this.runnerVersion = version.version!;

    this.model = {
      path: this.node.path,
      name: this.name,
      runnerName: this.name,
      namespace: this.namespace,
      image,
      runnerVersion: this.runnerVersion,
      gitlabUrl: props.gitlabUrl,
      token: { secretName: props.token.secretName, key: props.token.key },
      replicas: this.replicas,
      concurrent: this.concurrent,
      limit: props.limit,
      requestConcurrency: props.requestConcurrency,
      checkIntervalSeconds: props.checkInterval?.toSeconds() ?? 3,
      shutdownTimeoutSeconds: props.shutdownTimeout?.toSeconds() ?? 30,
      terminationGracePeriodSeconds: props.terminationGracePeriod?.toSeconds() ?? 3600,
      maxSurge: props.maxSurge ?? 0,
      environment: { ...(props.environment ?? {}) },
      featureFlags: { ...(props.featureFlags ?? {}) },
      metricsPort: props.metricsPort ?? 9252,
      metricsService: props.metricsService ?? props.serviceMonitor === true,
      monitoring: props.podMonitor || props.serviceMonitor
        ? { podMonitor: props.podMonitor === true, serviceMonitor: props.serviceMonitor === true } : undefined,
      resources: props.resources ?? DEFAULT_RESOURCES,
      nodeSelector: { ...(props.nodeSelector ?? {}) },
      tolerations: [...(props.tolerations ?? [])],
      runAsUser: props.runAsUser ?? 100,
      fsGroup: props.fsGroup ?? 65533,
      jobPod: props.jobPod._toModel(),
      pod,
      ...(extras.cache ? { cache: extras.cache } : {}),
      ...(extras.tlsCa ? { tlsCa: extras.tlsCa } : {}),
    };
    this.configToml = renderConfigToml(this.model);
    const bytes = Buffer.byteLength(this.configToml);
    if (bytes > CONFIG_MAP_MAX_BYTES) {
      // Blame the largest of what the manager's own props add; the rest comes from the job pod template.
      const shares: Array<[string, number]> = [
        ['gitlabUrl', Buffer.byteLength(props.gitlabUrl)], ['environment', utf8Bytes(this.model.environment)],
      ];
      const [field, share] = shares.reduce((a, b) => (b[1] > a[1] ? b : a));
      errors.addProblem(share > bytes / 2 ? field : 'jobPod', M.configTooLarge(bytes, CONFIG_MAP_MAX_BYTES));
    }
    // The init container writes the token over the one line that reads TOKEN_LINE; a map entry of the same text (a pod
    // label `token` with that value, say) would make it stop the pod.
    const tokenLines = this.configToml.split('\n').filter((line) => line === TOKEN_LINE).length;
    if (tokenLines !== 1) {
      errors.addProblem('token', M.tokenLines(tokenLines, TOKEN_LINE));
    }
    _checkCredentialLines(errors, this.configToml, this.model.cache);
    if (errors.record()) return;
    // The budget and the job pod template learn of the manager here, so neither searches the tree for its users.
    this.budget?._register(this.model);
    props.jobPod._register(this.model);

    // Declared now, rendered from the model at synth (or replaced by a RunnerHelmRelease's objects).
    this.children = declareManagerObjects(this, this.model, this.configToml);
    this.serviceAccount = this.children.serviceAccount;
    this.role = this.children.role;
    this.roleBinding = this.children.roleBinding;
    this.configMap = this.children.configMap;
    this.deployment = this.children.deployment;
    this.metricsService = this.children.metricsService;
    this.podMonitor = this.children.podMonitor;
    this.serviceMonitor = this.children.serviceMonitor;
    this.podDisruptionBudget = this.children.podDisruptionBudget;
    addIdentityValidation(this, (f) => _validationLine(f, this));

    // A plain app.synth() (not FleetSynth) also refuses strings cdk8s's YAML writer cannot carry (SYNTH002).
    const errorsOf = () => [...currentFindings(this), ...(isCheckedBySynth(this) ? [] : plainWriterFindings(this))]
      .filter((f) => f.severity === Severity.ERROR);
    this.node.addValidation({ validate: () => errorsOf().map((f) => _validationLine(f, this)) });
  }

  /** @internal Review files: the rendered config.toml, so a pull request shows what the runner will read. */
  public _extraFiles(): ExtraFile[] {
    const model = this.model;
    return [
      { fileName: `${this.name}.config.toml`, content: this.configToml },
      // Rendered when read: FleetSynth writes the values and lets them go (config.toml is kept for the ConfigMap anyway).
      { fileName: `${this.name}.values.yaml`, get content() { return renderHelmValuesYaml(model); } },
    ];
  }

  /**
   * The values of the official gitlab-runner Helm chart (version 0.86.0) for this manager: the same runner, job pods,
   * RBAC, placement and security settings as the native manifests.
   *
   * @throws when the manager or a construct it uses has prop errors (listed in the error)
   */
  public helmValues(): { [key: string]: any } {
    _refuseIfIncomplete(this);
    return renderHelmValues(this.model);
  }

  /**
   * The manager's ServiceAccount as a cdk8s-plus-28 `IServiceAccount`, e.g. to bind more rights to it with cdk8s-plus
   * (`role.bind(manager.kplusServiceAccount())`). It refers to the native ServiceAccount by name; no object is added.
   * Loads cdk8s-plus-28, an optional peer dependency that must then be installed.
   */
  public kplusServiceAccount(): kplus.IServiceAccount {
    return managerServiceAccount(this, this.model);
  }

  /**
   * The manager pods as a cdk8s-plus-28 pod selector (their labels, in the manager's namespace), for a
   * `kplus.NetworkPolicy`'s `selector` or peers. The chart's pods carry the same labels (`podLabels`). Loads
   * cdk8s-plus-28.
   */
  public managerPods(): kplus.Pods {
    return managerPods(this, this.model);
  }

  /**
   * The job pods of this manager as a cdk8s-plus-28 pod selector: the label `manager.runner.gitlab.com/name` the runner
   * gives every job pod (its `[[runners]] name`, runner 17.9.0 on), in the job namespace. Loads cdk8s-plus-28.
   */
  public jobPods(): kplus.Pods {
    return jobPods(this, this.model);
  }

  /** @internal */
  public _toModel(): ManagerModel {
    return this.model;
  }

  /**
   * @internal A RunnerHelmRelease deploys this manager: each of its objects renders the chart's object of the same kind
   * from now on. Returns the chart's objects that replace none, for the release to add.
   */
  public _deployWith(release: Construct, chartObjects: readonly ApiObject[]): ApiObject[] {
    this.release = release;
    return replaceWithChart(this.node.path, this.children, chartObjects);
  }

  /** @internal The RunnerHelmRelease deploying this manager, if any. */
  public get _release(): Construct | undefined {
    return this.release;
  }

  /** @internal Cross-construct findings about this manager (errors also fail synth through node validation). */
  public _findings(): Finding[] {
    const findings: Finding[] = [];
    const add = (ruleId: string, severity: Severity, field: string, message: string, fix: string) =>
      findings.push({ ruleId, severity, path: this.node.path, field, message, fix });
    // The rule catalogue (DinD, DNS, resources, token, RBAC, ...), the Helm values' rules and CAP012; the warnings users
    // acknowledged are marked below.
    findings.push(...evaluateRules({ manager: this.model, budget: this.budget?._facts(this.model) }));
    findings.push(...helmFindings(this.model));
    findings.push(...patchFindings(this.node.path, patchedObjects(this.children), this.release?.node.path));
    if (this.budget === undefined) {
      const rule = CAPACITY_RULES.noBudget;
      const problem = M.noBudget(demandOf(this.model).slots);
      add(rule.id, rule.severity, 'budget', problem.message, problem.fix);
    }
    return withAcknowledgements(this, findings);
  }
}

/** The longest name: the longest object name derived from it is `<name>-metrics` (8 more characters than 63). */
const MAX_NAME = 55;

/**
 * The name derived from the construct path: cdk8s's DNS label of it, with what a DNS label cannot hold (`_` and `.`
 * from construct ids) turned into '-' and cut to MAX_NAME characters.
 */
function derivedName(scope: Construct): string {
  const label = Names.toDnsLabel(scope, { includeHash: false }).replace(/[^a-z0-9-]+/g, '-');
  return label.slice(0, MAX_NAME).replace(/^-+/, '').replace(/-+$/, '') || 'gitlab-runner';
}

function validateProps(errors: _PropErrors, props: RunnerManagerProps, name: string, namespace: string, named: boolean): void {
  let url: URL | undefined;
  try {
    url = new URL(props.gitlabUrl);
  } catch {
    url = undefined;
  }
  if (!url || !['http:', 'https:'].includes(url.protocol)) {
    errors.addProblem('gitlabUrl', M.notHttpUrl(props.gitlabUrl));
  } else if (/[\s\u0000-\u001f\u007f-\u009f]/.test(props.gitlabUrl)) {
    // The URL parser drops tabs and line breaks before it checks, but config.toml gets the raw string.
    errors.addProblem('gitlabUrl', M.urlHasSpace(props.gitlabUrl.slice(0, 200)));
  }
  if (!(props.token instanceof RunnerToken)) {
    errors.addProblem('token', M.tokenNotSecret());
  } else {
    if (!isDns1123Subdomain(props.token.secretName)) errors.addProblem('token.secretName', M.badSecretName(props.token.secretName));
    // A cdk8s-plus Secret declared in the app knows its namespace: a pod mounts Secrets of its own namespace only.
    const secrets: Array<[string, { secretName: string; _namespace?: string } | undefined]> = [
      ['cache.credentials', props.cache instanceof RunnerCache ? props.cache._options.credentials : undefined],
      ['tlsCa', props.tlsCa instanceof RunnerCa ? props.tlsCa : undefined],
    ];
    for (const [field, secret] of secrets) {
      const other = secret?._namespace;
      if (secret !== undefined && other !== undefined && other !== namespace) {
        errors.addProblem(field, M.secretElsewhere(secret.secretName, other, namespace));
      }
    }
    if (props.token._namespace !== undefined && props.token._namespace !== namespace) {
      errors.addProblem('token', M.secretElsewhere(props.token.secretName, props.token._namespace, namespace));
    }
    // apimachinery's IsConfigMapKey: [-._a-zA-Z0-9]+, at most 253 characters, not '.' or '..', not starting with '..'.
    const key: unknown = props.token.key;
    if (typeof key !== 'string' || !/^[-._a-zA-Z0-9]+$/.test(key) || key.length > 253 || key === '.' || key.startsWith('..')) {
      const reserved = typeof key === 'string' && key.startsWith('.') && /^[-._a-zA-Z0-9]+$/.test(key);
      errors.addProblem('token.key', M.badTokenKey(key, reserved));
    }
  }
  if (!(props.jobPod instanceof JobPodTemplate)) errors.addProblem('jobPod', M.noJobPod());
  // A derived name is always a DNS label; only what the user set, or a derived name starting with a digit, is wrong.
  if (!isDns1123Label(name) || name.length > MAX_NAME) {
    errors.addProblem('name', M.badName(name, named, MAX_NAME));
  } else if ((props.metricsService || (props.serviceMonitor && props.metricsService === undefined)) && !/^[a-z]/.test(name)) {
    errors.addProblem('name', M.nameStartsWithDigit(name, named));
  }
  if (!isDns1123Label(namespace)) errors.addProblem('namespace', M.badNamespace(namespace));
  const image: unknown = props.image;
  if (image !== undefined && (typeof image !== 'string' || image.trim() === '' || /[^\x21-\x7e]/.test(image))) {
    errors.addProblem('image', M.notImage(image));
  }
  if (props.replicas !== undefined && !isWholeInteger(props.replicas)) errors.addProblem('replicas', M.notPodCount(props.replicas));
  if (props.concurrent !== undefined && !isWholeInteger(props.concurrent, false)) {
    errors.addProblem('concurrent', M.badConcurrent(props.concurrent));
  }
  if (props.limit !== undefined && !isWholeInteger(props.limit)) errors.addProblem('limit', M.badLimit(props.limit));
  if (props.requestConcurrency !== undefined && !isWholeInteger(props.requestConcurrency, false)) {
    errors.addProblem('requestConcurrency', M.badRequestConcurrency(props.requestConcurrency));
  }
  if (props.maxSurge !== undefined && !isWholeInteger(props.maxSurge)) errors.addProblem('maxSurge', M.notPodCount(props.maxSurge));
  validateWholeSeconds(errors, 'checkInterval', props.checkInterval, false, 'Duration.seconds(3)');
  validateWholeSeconds(errors, 'shutdownTimeout', props.shutdownTimeout, false, 'Duration.seconds(30)');
  validateWholeSeconds(errors, 'terminationGracePeriod', props.terminationGracePeriod, true, 'Duration.hours(1)');
  for (const field of ['environment', 'featureFlags'] as const) {
    const map = props[field];
    if (map !== undefined && !isPlainMap(map)) errors.addProblem(field, M.notMap(map, field, M.mapExamples[field]));
  }
  for (const [key, value] of Object.entries(isPlainMap(props.environment) ? props.environment! : {})) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) errors.addProblem(`environment.${key}`, P.notEnvName(key));
    else if (typeof value !== 'string') errors.addProblem(`environment.${key}`, P.notString(value));
  }
  for (const [flag, value] of Object.entries(isPlainMap(props.featureFlags) ? props.featureFlags! : {})) {
    if (!isFeatureFlag(flag)) errors.addProblem(`featureFlags.${flag}`, M.unknownFeatureFlag(flag, OLDEST_RUNNER_VERSION, NEWEST_RUNNER_VERSION));
    else if (typeof value !== 'boolean') errors.addProblem(`featureFlags.${flag}`, P.notBoolean(value));
  }
  if (props.metricsService !== undefined && typeof props.metricsService !== 'boolean') {
    errors.addProblem('metricsService', P.notBoolean(props.metricsService));
  }
  validateMonitors(errors, props);
  if (props.budget !== undefined && !(props.budget instanceof ResourceBudget)) {
    errors.addProblem('budget', M.notBudget(props.budget));
  }
  const port = props.metricsPort;
  if (port !== undefined && (!isWholeNumber(port, false) || port > 65535)) errors.addProblem('metricsPort', P.notPort(port));
  validateContainerResources(errors, 'resources', props.resources);
  validateManagerResources(errors, 'resources', props.resources);
  validateLabels(errors, 'nodeSelector', props.nodeSelector);
  validateTaints(errors, 'tolerations', props.tolerations, { noun: 'toleration', effectRequired: false, oneEffectPerKey: false });
  if (props.runAsUser !== undefined && !isWholeInteger(props.runAsUser, false)) {
    errors.addProblem('runAsUser', M.badRunAsUser(props.runAsUser));
  }
  if (props.fsGroup !== undefined && !isWholeInteger(props.fsGroup)) errors.addProblem('fsGroup', M.badFsGroup(props.fsGroup));
  validateRanges(errors, props);
}

/** A whole number of any size: one beyond its destination's range is reported by validateRanges, naming the limit. */
function isWholeInteger(value: number, allowZero = true): boolean {
  return typeof value === 'number' && Number.isInteger(value) && (allowZero ? value >= 0 : value > 0);
}

/** Whole numbers beyond what their destination holds: Kubernetes int32 fields, and JavaScript's exact integers. */
function validateRanges(errors: _PropErrors, props: RunnerManagerProps): void {
  const SAFE = Number.MAX_SAFE_INTEGER;
  const to = M.destination;
  const ranges: Array<[string, unknown, number, string]> = [
    ['replicas', props.replicas, INT32_MAX, to.replicas],
    ['maxSurge', props.maxSurge, INT32_MAX, to.maxSurge],
    ['runAsUser', props.runAsUser, INT32_MAX, to.runAsUser],
    ['fsGroup', props.fsGroup, INT32_MAX, to.fsGroup],
    ['concurrent', props.concurrent, SAFE, to.exactInteger],
    ['limit', props.limit, SAFE, to.exactInteger],
    ['requestConcurrency', props.requestConcurrency, SAFE, to.exactInteger],
  ];
  for (const [field, value, max, destination] of ranges) {
    const problem = rangeProblem(value, max, destination);
    if (problem) errors.addProblem(field, problem);
  }
}

/** The monitor props: booleans, and a ServiceMonitor only with its Service. */
function validateMonitors(errors: _PropErrors, props: RunnerManagerProps): void {
  for (const field of ['podMonitor', 'serviceMonitor'] as const) {
    if (props[field] !== undefined && typeof props[field] !== 'boolean') errors.addProblem(field, P.notBoolean(props[field]));
  }
  if (props.serviceMonitor === true && props.metricsService === false) {
    errors.addProblem('serviceMonitor', M.serviceMonitorWithoutService());
  }
}
