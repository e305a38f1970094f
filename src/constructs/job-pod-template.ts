import { Chart, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { DnsConfig } from './dns-config';
import { JOB_POD_MESSAGES as M } from './job-pod-template.messages';
import { JobService } from './job-service';
import { runnerEnvironment } from '../internal/render/config-toml';
import { renderJobPod, PreviewEntry } from '../internal/render/job-pod';
import { schedulingTomlKeys } from '../internal/render/job-scheduling';
import { sameEntries } from '../internal/render/records';
import { resourceTomlKeys } from '../internal/render/resources';
import { explicitAliases } from '../internal/render/service-names';
import { entryProblems, kubernetesKeys } from '../internal/runner/keys';
import { CONSTRUCTION_RULES as RULES, _RuleErrors, PROP_RULES } from '../internal/validate/construction-rules';
import { validateContainerResources } from '../internal/validate/container-resources';
import { validateScheduling } from '../internal/validate/job-scheduling';
import { validateJobVolumes, validateSecurityContexts, VolumeNeighbours } from '../internal/validate/job-volumes';
import { validateAnnotationKeys, validateLabels, validateTaints, validateWholeSeconds } from '../internal/validate/placement';
import { _isIncomplete, _markIncomplete, _refuseIfIncomplete } from '../internal/validate/prop-errors';
import { checkPropStrings } from '../internal/validate/secrets';
import {
  ANNOTATIONS_MAX_BYTES, asText, INT32_MAX, isDns1123Label, isDns1123Subdomain, isIpAddress, isPlainMap, plainProps, utf8Bytes,
} from '../internal/validate/validators';

import { HelperOptions, JobPodModel, OWNED_KEYS, PullPolicy } from '../model/job-pod';
import type { JobPodSchedulingProps } from '../model/job-scheduling';
import { JobContainerSecurityContext, JobPodSecurityContext, JobVolume, JobVolumeModel } from '../model/job-volumes';
import type { ManagerModel } from '../model/manager';
import { ContainerResources } from '../model/resources';
import { Toleration } from '../model/toleration';

/**
 * Properties for `JobPodTemplate`.
 */
export interface JobPodTemplateProps extends JobPodSchedulingProps {
  /**
   * The namespace job pods are created in. The manager's Role is granted there.
   *
   * @default - the chart's namespace, else `default`
   */
  readonly namespace?: string;

  /**
   * The build image for jobs that name none.
   *
   * @default - none: a job without `image:` fails
   */
  readonly image?: string;

  /**
   * Resources of the build container, where the job's script runs.
   *
   * @default - none (BestEffort)
   */
  readonly buildResources?: ContainerResources;

  /**
   * The helper container.
   *
   * @default - the runner's default helper image, no resources
   */
  readonly helper?: HelperOptions;

  /**
   * Resources of every service container (`service_*`). Services may instead declare their own, if they agree.
   *
   * @default - the services' own resources, else none
   */
  readonly serviceResources?: ContainerResources;

  /**
   * Services started in every job, e.g. a `DindService`.
   *
   * @default - none
   */
  readonly services?: JobService[];

  /**
   * The job pod's DNS.
   *
   * @default - the runner's default policy, `cluster-first`
   */
  readonly dns?: DnsConfig;

  /**
   * Pull policies, tried in order when a pull fails.
   *
   * @default - the cluster's default
   */
  readonly pullPolicy?: PullPolicy[];

  /**
   * The pull policies a job may choose with `image:pull_policy`.
   *
   * @default - only `pullPolicy`
   */
  readonly allowedPullPolicies?: PullPolicy[];

  /**
   * Node labels job pods must land on (`node_selector`). Include `kubernetes.io/arch` on mixed-architecture clusters.
   *
   * @default - any node
   */
  readonly nodeSelector?: { [label: string]: string };

  /**
   * Taints job pods tolerate (`node_tolerations`).
   *
   * @default - none
   */
  readonly tolerations?: Toleration[];

  /**
   * Labels of every job pod.
   *
   * @default - only the runner's own labels
   */
  readonly podLabels?: { [key: string]: string };

  /**
   * Annotations of every job pod.
   *
   * @default - only the runner's own annotations
   */
  readonly podAnnotations?: { [key: string]: string };

  /**
   * How long the runner waits for a job pod to start before failing the job (`poll_timeout`). Raise it for
   * autoscaling node pools and slow image pulls.
   *
   * @default Duration.seconds(180) (the runner's default)
   */
  readonly pollTimeout?: Duration;

  /**
   * The service account of job pods.
   *
   * @default - the namespace's `default` service account
   */
  readonly serviceAccountName?: string;

  /**
   * Volumes mounted in every container of every job pod (`[runners.kubernetes.volumes]`): scratch space (disk or
   * memory), existing claims, Secrets, ConfigMaps, host paths, inline CSI volumes and NFS shares. They are added after
   * the escape hatch's `volumes`, if any.
   *
   * @default - only the runner's own volumes
   */
  readonly volumes?: JobVolume[];

  /**
   * The job pod's security context (`pod_security_context`): user, group, fsGroup and seccomp profile of every
   * container.
   *
   * @default - none (the images' users)
   */
  readonly podSecurityContext?: JobPodSecurityContext;

  /**
   * The build container's security context (`build_container_security_context`), where job scripts run.
   *
   * @default - none (the runner drops NET_RAW)
   */
  readonly buildSecurityContext?: JobContainerSecurityContext;

  /**
   * The helper container's security context (`helper_container_security_context`).
   *
   * @default - none (the runner drops NET_RAW)
   */
  readonly helperSecurityContext?: JobContainerSecurityContext;

  /**
   * The security context of every service container (`service_container_security_context`). A DindService sets
   * `privileged` here; the other fields add to it.
   *
   * @default - none, or privileged with a DindService
   */
  readonly serviceSecurityContext?: JobContainerSecurityContext;

  /**
   * Further `[runners.kubernetes]` keys, in config.toml spelling, for settings this construct does not type.
   * Checked against the runner's own config structs down to the last nested key: keys the runner does not know (it
   * would silently ignore them), keys a typed prop owns, values it could not decode (a string for a number, a bare
   * number for a duration, a null) and values outside the set a key accepts (a seccomp profile type) are refused.
   *
   * @default - none
   */
  readonly extraConfig?: { [key: string]: any };
}

const RESOURCE_KEY = /^(helper_|service_)?(cpu|memory|ephemeral_storage)_(request|limit)(_overwrite_max_allowed)?$/;

/**
 * The shape of every job pod the Kubernetes executor creates: `[runners.kubernetes]` of config.toml.
 */
export class JobPodTemplate extends Construct {
  /** The namespace job pods run in. */
  public readonly namespace: string;
  /** The services of every job. */
  public readonly services: JobService[];
  /** The job pod's DNS, if set. */
  public readonly dns?: DnsConfig;

  private readonly props: JobPodTemplateProps;
  private readonly volumeModels: JobVolumeModel[];
  private readonly managers: ManagerModel[] = [];

  constructor(scope: Construct, id: string, props: JobPodTemplateProps = {}) {
    // Missing props (undefined or null from plain JavaScript) are reported field by field, not a TypeError.
    props = plainProps(props ?? {}) as typeof props;
    super(scope, id);
    this.props = props;
    this.namespace = props.namespace ?? Chart.of(this).namespace ?? 'default';
    this.services = Array.isArray(props.services) ? [...props.services] : [];
    this.dns = props.dns;

    const errors = new _RuleErrors(this, PROP_RULES.jobPod);
    if (!isDns1123Label(this.namespace)) {
      errors.addProblem('namespace', M.badNamespace(this.namespace));
    }
    if (props.services !== undefined && !Array.isArray(props.services)) errors.addProblem('services', M.servicesNotList(props.services));
    if (props.dns !== undefined && !(props.dns instanceof DnsConfig)) errors.addProblem('dns', M.notDnsConfig(props.dns));
    const helper: unknown = props.helper;
    if (helper !== undefined && !isPlainMap(helper)) {
      errors.addProblem('helper', M.notHelperOptions(helper));
    }
    for (const [field, image] of [['image', props.image], ['helper.image', props.helper?.image]] as const) {
      if (image !== undefined && (typeof image !== 'string' || image.trim() === '' || /[^\x21-\x7e]/.test(image))) {
        errors.addProblem(field, M.notImage(image));
      }
    }
    validateContainerResources(errors, 'buildResources', props.buildResources);
    validateContainerResources(errors, 'helper.resources', props.helper?.resources);
    validateContainerResources(errors, 'serviceResources', props.serviceResources);
    this.validateServices(errors);
    this.validatePullPolicies(errors, 'pullPolicy', props.pullPolicy);
    this.validatePullPolicies(errors, 'allowedPullPolicies', props.allowedPullPolicies);
    validateLabels(errors, 'nodeSelector', props.nodeSelector);
    validateLabels(errors, 'podLabels', props.podLabels);
    for (const key of Object.keys(props.podLabels ?? {})) {
      if (key.split('/')[0].endsWith('runner.gitlab.com')) {
        errors.addProblem(`podLabels.${key}`, M.reservedLabel(key));
      }
    }
    validateTaints(errors, 'tolerations', props.tolerations, { noun: 'toleration', effectRequired: false, oneEffectPerKey: true });
    validateWholeSeconds(errors, 'pollTimeout', props.pollTimeout, false, 'Duration.seconds(180)');
    validateAnnotationKeys(errors, 'podAnnotations', props.podAnnotations);
    const annotationBytes = isPlainMap(props.podAnnotations) ? utf8Bytes(props.podAnnotations!) : 0;
    if (annotationBytes > ANNOTATIONS_MAX_BYTES) {
      errors.addProblem('podAnnotations', M.annotationsTooLarge(annotationBytes, ANNOTATIONS_MAX_BYTES));
    }
    if (props.serviceAccountName !== undefined && !isDns1123Subdomain(props.serviceAccountName)) {
      errors.addProblem('serviceAccountName', M.badServiceAccount(props.serviceAccountName));
    }
    this.validateExtraVolumes(errors);
    this.volumeModels = validateJobVolumes(errors, props.volumes, this.volumeNeighbours());
    validateSecurityContexts(errors, props as Record<string, unknown>, isPlainMap(props.extraConfig) ? props.extraConfig! : {},
      this.services.some((s) => s instanceof JobService && s._toModel().dind !== undefined));
    this.validateHostAliases(errors);
    validateExtraNumbers(errors, 'extraConfig', props.extraConfig);
    validateScheduling(errors, props, schedulingTomlKeys(props), props.extraConfig);
    const extraConfig: unknown = props.extraConfig;
    const extraIsMap = isPlainMap(extraConfig);
    if (extraConfig !== undefined && !extraIsMap) errors.addProblem('extraConfig', M.extraNotMap(extraConfig));
    for (const [key, value] of Object.entries(extraIsMap ? props.extraConfig! : {})) {
      const field = `extraConfig.${key}`;
      // Keys the runner does not know are reported by entryProblems, with the rest of what the runner cannot read.
      const known = kubernetesKeys().has(key);
      if (known && OWNED_KEYS[key] !== undefined) {
        errors.addProblem(field, M.extraOwned(key, OWNED_KEYS[key]));
      } else if (known && RESOURCE_KEY.test(key)) {
        errors.addProblem(field, M.extraResource(key));
      } else if (key === 'privileged') {
        errors.addProblem(field, M.extraPrivileged(), RULES.podWidePrivileged.id);
      } else if (known && (value === undefined || value === null)) {
        errors.addProblem(field, M.extraEmpty());
      } else {
        for (const problem of entryProblems('', key, value, field)) errors.addProblem(problem.field, problem);
      }
    }
    checkPropStrings(errors, props);
    // JobVolume objects are not plain props: their strings (items, attributes, paths) are checked from their models.
    checkPropStrings(errors, { volumes: this.volumeModels });
    errors.record();
    // A service or DNS config with prop errors has no model: the template cannot be rendered, and says so through them.
    if ([...this.services, this.dns].some(_isIncomplete)) _markIncomplete(this);
  }

  /** The resources every service container gets (`service_*`), from `serviceResources` or the services' own. */
  public get effectiveServiceResources(): ContainerResources | undefined {
    return this.props.serviceResources ?? this.services.find((s) => s.resources !== undefined)?.resources;
  }

  /**
   * The pod the GitLab Runner's Kubernetes executor will create for a job of this template, as a Kubernetes Pod
   * object: init container `init-permissions`, containers `build`, `helper` and one per service, the host aliases of
   * the services, DNS, volumes and security contexts. For review only: names and paths hold placeholders, and the
   * runner adds per-job values (CI variables, its own labels) when it creates the real pod.
   *
   * @param environment the variables the runner adds to every job (a RunnerManager's environment), shown on the
   * build and service containers
   * @throws when the template, a service or its DNS config has prop errors (listed in the error)
   */
  public previewPod(environment?: { [name: string]: string }): any {
    _refuseIfIncomplete(this);
    return renderJobPod(this._toModel(), { environment });
  }

  /** @internal */
  public _toModel(): JobPodModel {
    const p = this.props;
    return {
      path: this.node.path,
      namespace: this.namespace,
      image: p.image,
      buildResources: p.buildResources,
      helper: p.helper ?? {},
      serviceResources: this.effectiveServiceResources,
      serviceResourcesFrom: p.serviceResources === undefined
        ? this.services.find((s) => s.resources !== undefined)?.node.path
        : undefined,
      services: this.services.map((s) => s._toModel()),
      dns: this.dns?._toModel(),
      pullPolicy: [...(p.pullPolicy ?? [])],
      allowedPullPolicies: [...(p.allowedPullPolicies ?? [])],
      nodeSelector: { ...(p.nodeSelector ?? {}) },
      tolerations: [...(p.tolerations ?? [])],
      podLabels: { ...(p.podLabels ?? {}) },
      podAnnotations: { ...(p.podAnnotations ?? {}) },
      pollTimeoutSeconds: p.pollTimeout?.toSeconds(),
      serviceAccountName: p.serviceAccountName,
      extraConfig: { ...(p.extraConfig ?? {}) },
      volumes: this.volumeModels,
      security: {
        pod: p.podSecurityContext, build: p.buildSecurityContext, helper: p.helperSecurityContext, service: p.serviceSecurityContext,
      },
      scheduling: schedulingTomlKeys(p),
    };
  }

  /** The volume names and mount paths the escape hatch and the DinD services take. */
  private volumeNeighbours(): VolumeNeighbours {
    const raw: unknown = this.props.extraConfig?.volumes;
    const extra = isPlainMap(raw) ? Object.entries(raw as Record<string, unknown>).flatMap(([kind, list]) => (Array.isArray(list) ? list : [])
      .map((v: any, i: number) => ({
        field: `extraConfig.volumes.${kind}[${i}]`, kind, name: v?.name, mountPath: v?.mount_path, readOnly: v?.read_only,
      }))) : [];
    const owned = this.services.flatMap((s) => {
      const certs = s instanceof JobService ? s._toModel().dind?.certsVolume : undefined;
      return certs ? [{ owner: s.node.path, name: certs.name, mountPath: certs.mountPath }] : [];
    });
    return { extra, owned };
  }

  /** @internal Attaches a manager that creates its job pods from this template (RunnerManager does). */
  public _register(manager: ManagerModel): void {
    this.managers.push(manager);
  }

  /** @internal The entries of `job-pod-preview.yaml` for this template: one per manager using it, or one alone. */
  public _previewEntries(): PreviewEntry[] {
    const job = this._toModel();
    const managers = this.managers;
    if (managers.length === 0) return [{ jobPodTemplate: job.path, job }];
    return managers.map((m) => ({
      runnerManager: m.path, jobPodTemplate: job.path, job, environment: runnerEnvironment(m), runnerImage: m.image,
    }));
  }

  private validateServices(errors: _RuleErrors): void {
    const byAlias = new Map<string, string>();
    const byPort = new Map<number, string>();
    this.services.forEach((s, i) => {
      if (!(s instanceof JobService)) {
        errors.addProblem(`services[${i}]`, M.notJobService(s));
        return;
      }
      // A service with prop errors reports them itself; its props are not read here.
      if (_isIncomplete(s)) return;
      // Each of a service's aliases (the runner splits alias on commas and spaces) is a host name of the pod.
      for (const alias of typeof s.alias === 'string' ? explicitAliases(s.alias) : []) {
        const other = byAlias.get(alias);
        if (other && other !== s.node.path) errors.addProblem(`services[${i}].alias`, M.aliasTaken(alias, other), RULES.serviceCollision.id);
        byAlias.set(alias, s.node.path);
      }
      if (s.port !== undefined) {
        const other = byPort.get(s.port);
        if (other) errors.addProblem(`services[${i}].port`, M.portTaken(s.port, other), RULES.serviceCollision.id);
        byPort.set(s.port, s.node.path);
      }
    });
    const own = this.services.filter((s) => s instanceof JobService && !_isIncomplete(s) && s.resources !== undefined);
    const reference = this.props.serviceResources ?? own[0]?.resources;
    for (const s of own) {
      if (!sameEntries(resourceTomlKeys('', s.resources), resourceTomlKeys('', reference))) {
        errors.addProblem(`services.${s.node.id}.resources`, M.serviceResourcesDiffer());
      }
    }
  }

  /** Escape-hatch volumes are merged with the DinD certificates volume; the same name or mount path would clash. */
  private validateExtraVolumes(errors: _RuleErrors): void {
    const volumes = this.props.extraConfig?.volumes;
    if (volumes === null || typeof volumes !== 'object') return;
    const built = this.services.filter((s) => s instanceof JobService && !_isIncomplete(s));
    const certs = built.flatMap((s) => (s._toModel().dind?.certsVolume ? [s._toModel().dind!.certsVolume!] : []));
    for (const [kind, list] of Object.entries(volumes as Record<string, unknown>)) {
      if (!Array.isArray(list)) continue;
      list.forEach((v: any, i: number) => {
        if (!isPlainMap(v)) return;
        // The runner names the pod's volume (a DNS-1123 label) after `name` and mounts it at `mount_path`; without
        // them the API server rejects every job pod.
        // A value of another type is reported by the key checks (entryProblems) already.
        if (v.name === undefined || (typeof v.name === 'string' && !isDns1123Label(v.name))) {
          errors.addProblem(`extraConfig.volumes.${kind}[${i}].name`, M.badVolumeName(v.name));
        }
        if (v.mount_path === undefined || v.mount_path === '') {
          errors.addProblem(`extraConfig.volumes.${kind}[${i}].mount_path`, M.noMountPath(v.mount_path));
        }
        const clash = certs.find((c) => v?.name === c.name || v?.mount_path === c.mountPath);
        if (clash) {
          errors.addProblem(`extraConfig.volumes.${kind}[${i}]`, M.volumeClashesWithCerts({ name: v?.name, mountPath: v?.mount_path }, clash));
        }
      });
    }
  }

  /** `host_aliases` of the escape hatch: the API server validates each entry's `ip` and `hostnames`. */
  private validateHostAliases(errors: _RuleErrors): void {
    const aliases = this.props.extraConfig?.host_aliases;
    if (!Array.isArray(aliases)) return;
    aliases.forEach((a: unknown, i: number) => {
      if (!isPlainMap(a)) return;
      const entry = a as { ip?: unknown; hostnames?: unknown };
      const field = `extraConfig.host_aliases[${i}]`;
      if (entry.ip === undefined || (typeof entry.ip === 'string' && !isIpAddress(entry.ip))) {
        errors.addProblem(`${field}.ip`, M.hostAliasNotIp(entry.ip));
      }
      if (entry.hostnames === undefined || (Array.isArray(entry.hostnames) && entry.hostnames.length === 0)) {
        errors.addProblem(`${field}.hostnames`, M.hostAliasNoHost(entry.hostnames));
        return;
      }
      if (!Array.isArray(entry.hostnames)) return;
      entry.hostnames.forEach((h: unknown, j: number) => {
        if (typeof h === 'string' && !isDns1123Subdomain(h)) {
          errors.addProblem(`${field}.hostnames[${j}]`, M.hostAliasBadHost(h));
        }
      });
    });
  }

  private validatePullPolicies(errors: _RuleErrors, field: string, policies: PullPolicy[] | undefined): void {
    const known = Object.values(PullPolicy) as string[];
    if (policies !== undefined && !Array.isArray(policies)) {
      errors.addProblem(field, M.pullPoliciesNotList(policies, field));
      return;
    }
    (policies ?? []).forEach((policy, i) => {
      if (!known.includes(policy)) {
        const meant = known.find((k) => k.replace(/-/g, '') === asText(policy).toLowerCase());
        errors.addProblem(`${field}[${i}]`, M.badPullPolicy(policy, meant, known), RULES.pullPolicySpelling.id);
      }
    });
  }
}

/** Escape-hatch keys holding Kubernetes user and group ids: the API server takes 0 to 2147483647 (IsValidUserID). */
const ID_KEYS = new Set(['run_as_user', 'run_as_group', 'fs_group', 'supplemental_groups']);

/**
 * Numbers in the escape hatch beyond what the API server accepts where they end up in the job pod: user and group
 * ids above int32, scheduling weights outside 1 to 100. Their type is checked by the key checks (entryProblems).
 */
function validateExtraNumbers(errors: _RuleErrors, field: string, value: unknown, key?: string): void {
  if (Array.isArray(value)) {
    value.forEach((item, i) => validateExtraNumbers(errors, `${field}[${i}]`, item, key));
    return;
  }
  if (isPlainMap(value)) {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) validateExtraNumbers(errors, `${field}.${k}`, v, k);
    return;
  }
  if (typeof value !== 'number' || !Number.isInteger(value) || key === undefined) return;
  if (ID_KEYS.has(key) && (value < 0 || value > INT32_MAX)) {
    errors.addProblem(field, M.badId(value, INT32_MAX));
  }
  if (key === 'weight' && (value < 1 || value > 100)) {
    errors.addProblem(field, M.badWeight(value));
  }
}
