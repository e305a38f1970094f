import { accessSync, constants, statSync } from 'fs';
import { delimiter, join, sep } from 'path';
import { ApiObject, App, Chart, Helm } from 'cdk8s';
import { Construct } from 'constructs';
import { PROP_MESSAGES } from './props.messages';
import { HELM_RELEASE_MESSAGES as M } from './runner-helm-release.messages';
import { RunnerManager } from './runner-manager';
import { HELM_CHART_VERSION, HELM_MONITORING_API, renderHelmValues } from '../internal/render/helm-values';
import { helmFindings } from '../internal/rules/helm';
import { addIdentityValidation } from '../internal/rules/identity';
import { CONSTRUCTION_RULES, PROP_RULES } from '../internal/validate/construction-rules';
import { _isIncomplete, _markIncomplete, _PropErrors, _validationLine } from '../internal/validate/prop-errors';
import { urlCredentials } from '../internal/validate/secrets';
import { isDns1123Label, plainProps } from '../internal/validate/validators';
import { Severity } from '../model/finding';

/**
 * Properties for `RunnerHelmRelease`.
 */
export interface RunnerHelmReleaseProps {
  /** The manager the release deploys; its values come from the same model as its native manifests. */
  readonly manager: RunnerManager;

  /**
   * The chart to render, as `helm template` takes it: `<repo-alias>/gitlab-runner` after `helm repo add`, or the path
   * of the official chart's directory or packaged `.tgz`.
   *
   * @default 'gitlab/gitlab-runner'
   */
  readonly chart?: string;

  /**
   * The URL of the chart repository, for rendering without a `helm repo add` first.
   *
   * @default - the repository of the alias in `chart`
   */
  readonly repo?: string;

  /**
   * The Helm release name. The chart names its objects `<release>-gitlab-runner`, or `<release>` when the release
   * name already starts with `gitlab-runner`.
   *
   * @default - the manager's name
   */
  readonly releaseName?: string;

  /**
   * The helm executable: a name looked up on PATH, or a path.
   *
   * @default 'helm'
   */
  readonly helmExecutable?: string;

  /**
   * Whether the chart adds a prometheus-operator PodMonitor for the manager pods. The chart renders it only when the
   * cluster serves `monitoring.coreos.com/v1`; `helm template` has no cluster, so the release tells helm that API
   * exists (`--api-versions`). Applying the PodMonitor needs the prometheus-operator CRDs in the cluster. A manager
   * with `podMonitor` has one in its values already, so it needs no release prop.
   *
   * @default - the manager's `podMonitor`
   */
  readonly podMonitor?: boolean;

  /**
   * Whether the chart adds a prometheus-operator ServiceMonitor, and the metrics Service it needs (the CRDs too, as for
   * `podMonitor`). The chart prefers the PodMonitor, which keeps scraping while a pod shuts down.
   *
   * @default - the manager's `serviceMonitor`
   */
  readonly serviceMonitor?: boolean;
}

/**
 * A `RunnerManager` deployed through the official gitlab-runner Helm chart (version 0.86.0), rendered with
 * `helm template` at synth time.
 *
 * The release replaces the manager's native manifests: the manager stays as the model, with its checks and its
 * review files, while the chart's objects take the place of its Deployment, RBAC and ConfigMap. Rendering needs the
 * helm CLI; without it, apply the manager's native manifests or install `dist/<name>.values.yaml` with helm yourself.
 */
export class RunnerHelmRelease extends Construct {
  /** The Helm release name. */
  public readonly releaseName: string;
  /** The values passed to the chart. */
  public readonly values: { [key: string]: any } = {};

  constructor(scope: Construct, id: string, props: RunnerHelmReleaseProps) {
    props = plainProps(props);
    super(scope, id);
    const errors = new _PropErrors(this, PROP_RULES.helmRelease.id);
    if (!(props.manager instanceof RunnerManager)) {
      errors.addProblem('manager', M.notManager(props.manager));
      this.releaseName = props.releaseName ?? '';
      errors.record();
      return;
    }
    const earlier = props.manager._release;
    if (earlier !== undefined) {
      errors.addProblem('manager', M.deployedTwice(props.manager.node.path, earlier.node.path));
    }
    this.releaseName = props.releaseName ?? props.manager.name;
    // Helm's limit: the release name ends up in object names and labels with suffixes added.
    if (!isDns1123Label(this.releaseName) || this.releaseName.length > 53) {
      errors.addProblem('releaseName', M.badReleaseName(this.releaseName));
    }
    for (const field of ['podMonitor', 'serviceMonitor'] as const) {
      if (props[field] !== undefined && typeof props[field] !== 'boolean') errors.addProblem(field, PROP_MESSAGES.notBoolean(props[field]));
    }
    const repoCredential = typeof props.repo === 'string' ? urlCredentials(props.repo) : undefined;
    if (repoCredential !== undefined) {
      errors.addProblem('repo', M.repoCredentials(repoCredential), CONSTRUCTION_RULES.plainTextSecret.id);
    }
    const executable = props.helmExecutable ?? 'helm';
    const found = findExecutable(executable);
    if (found === undefined) {
      errors.addProblem('helmExecutable', M.helmNotFound(executable, hasDirectory(executable)));
    }
    // A manager with prop errors reports them itself; without its model there is nothing to render.
    if (_isIncomplete(props.manager)) _markIncomplete(this);
    if (errors.record() || _isIncomplete(props.manager)) return;
    const model = props.manager._toModel();
    // Checked before helm runs: a release that cannot start should fail here, not after an install. The findings are
    // about the manager's props (its path); the manager's own warning of the same rule gives way to them at synth.
    const blocking = helmFindings(model, true).filter((f) => f.severity === Severity.ERROR);
    for (const f of blocking) errors.addFinding(f);
    if (errors.record()) return;

    this.values = renderHelmValues(model, { podMonitor: props.podMonitor, serviceMonitor: props.serviceMonitor });
    const monitors = this.values.metrics?.podMonitor !== undefined || this.values.metrics?.serviceMonitor !== undefined;
    // helm template runs in a chart of its own (the target chart's namespace and labels), outside this app: the chart's
    // objects then take the place of the manager's (which stay in the tree, patchable, rendering the chart's instead),
    // and only the ones with no counterpart are added here.
    const target = Chart.of(this);
    const scratch = new Chart(new App(), 'Release', { namespace: target.namespace, labels: target.labels });
    const rendered = new Helm(scratch, 'Chart', {
      chart: props.chart ?? 'gitlab/gitlab-runner',
      repo: props.repo,
      version: HELM_CHART_VERSION,
      namespace: model.namespace,
      releaseName: this.releaseName,
      values: this.values,
      helmExecutable: found,
      // The monitor templates check `.Capabilities.APIVersions`, which `helm template` fills only from this flag.
      helmFlags: monitors ? ['--api-versions', HELM_MONITORING_API] : undefined,
    });
    const holder = new Construct(this, 'Chart');
    for (const extra of props.manager._deployWith(this, rendered.apiObjects)) new ApiObject(holder, extra.node.id, extra.toJson());
    addIdentityValidation(this, (f) => _validationLine(f, this));
  }
}

function hasDirectory(executable: string): boolean {
  return executable.includes('/') || executable.includes(sep);
}

/** The executable file `executable` names, looked up on PATH unless it names a directory. */
function findExecutable(executable: string): string | undefined {
  const candidates = hasDirectory(executable)
    ? [executable]
    : (process.env.PATH ?? '').split(delimiter).filter((dir) => dir !== '').map((dir) => join(dir, executable));
  const extensions = process.platform === 'win32' ? ['', ...(process.env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';')] : [''];
  for (const candidate of candidates.flatMap((c) => extensions.map((ext) => c + ext))) {
    try {
      accessSync(candidate, constants.X_OK);
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not there or not executable: try the next one
    }
  }
  return undefined;
}
