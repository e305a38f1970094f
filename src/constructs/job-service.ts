import { Construct } from 'constructs';
import { SERVICE_MESSAGES as M } from './job-service.messages';
import { PROP_MESSAGES as P } from './props.messages';
import { explicitAliases } from '../internal/render/service-names';
import { CONSTRUCTION_RULES as RULES, _RuleErrors, PROP_RULES } from '../internal/validate/construction-rules';
import { validateContainerResources } from '../internal/validate/container-resources';
import { checkPropStrings } from '../internal/validate/secrets';
import { isDns1123Label, isPlainMap, isWholeNumber, plainProps } from '../internal/validate/validators';
import { ContainerResources } from '../model/resources';
import { ServiceModel } from '../model/service';

/**
 * Properties for `JobService`.
 */
export interface JobServiceProps {
  /** The service image, e.g. `postgres:16` or `registry.example.com/redis:7`. */
  readonly image: string;

  /**
   * The host name the build container reaches the service by, and the service container's name. A DNS-1123 label.
   *
   * Without it the runner derives names from the image path, and a mirrored image such as
   * `registry.example.com/postgres:16` gets no usable short name.
   *
   * @default - derived by the runner from the image name
   */
  readonly alias?: string;

  /**
   * Arguments passed to the image's entrypoint (config.toml `command`).
   *
   * @default - the image's CMD
   */
  readonly command?: string[];

  /**
   * Replaces the image's entrypoint.
   *
   * @default - the image's ENTRYPOINT
   */
  readonly entrypoint?: string[];

  /**
   * Environment of the service container.
   *
   * @default - none
   */
  readonly environment?: { [name: string]: string };

  /**
   * The TCP port the service listens on. Used to detect two services on one port (all containers of a job pod share
   * one network namespace) and to count the service in reports.
   *
   * @default - unknown
   */
  readonly port?: number;

  /**
   * Resources of the service container. The Kubernetes executor applies one set of `service_*` resources to every
   * service of a job, so all services of a `JobPodTemplate` must agree (or leave it to `JobPodTemplateProps.serviceResources`).
   *
   * @default - the job pod template's service resources
   */
  readonly resources?: ContainerResources;
}

/**
 * A service container of every job pod (`[[runners.kubernetes.services]]`): a database, a cache, Docker-in-Docker.
 *
 * Services declared here run in every job of the runner, in addition to the job's own `services:`.
 */
export class JobService extends Construct {
  /** The service image. */
  public readonly image: string;
  /** The alias the build container reaches the service by, if set. */
  public readonly alias?: string;
  /** The TCP port the service listens on, if known. */
  public readonly port?: number;
  /** The resources this service asks for, if any. */
  public readonly resources?: ContainerResources;

  protected readonly command: string[];
  protected readonly entrypoint?: string[];
  protected readonly environment: Record<string, string>;

  constructor(scope: Construct, id: string, props: JobServiceProps) {
    // Missing props (undefined or null from plain JavaScript) are reported field by field, not a TypeError.
    props = plainProps(props ?? {}) as typeof props;
    super(scope, id);
    const errors = new _RuleErrors(this, PROP_RULES.service);
    this.image = props.image;
    this.alias = props.alias;
    this.port = props.port;
    this.resources = props.resources;
    this.command = Array.isArray(props.command) ? [...props.command] : [];
    this.entrypoint = Array.isArray(props.entrypoint) ? [...props.entrypoint] : undefined;
    const env: unknown = props.environment;
    const envIsMap = isPlainMap(env);
    this.environment = envIsMap ? { ...props.environment } : {};

    if (typeof props.image !== 'string' || props.image.trim() === '' || /[^\x21-\x7e]/.test(props.image)) {
      errors.addProblem('image', M.notImage(props.image));
    }
    // The runner splits alias on commas and spaces and checks each part (Service.Aliases): 'db,postgres' is two aliases.
    const aliases = typeof props.alias === 'string' ? explicitAliases(props.alias) : [];
    if (props.alias !== undefined && (aliases.length === 0 || (aliases.length === 1 && !isDns1123Label(aliases[0])))) {
      errors.addProblem('alias', M.badAlias(props.alias), RULES.serviceAlias.id);
    } else if (aliases.length > 1) {
      for (const bad of aliases.filter((a) => !isDns1123Label(a))) {
        errors.addProblem('alias', M.badAliasOf(bad, props.alias), RULES.serviceAlias.id);
      }
    }
    if (props.port !== undefined && (!isWholeNumber(props.port, false) || props.port > 65535)) {
      errors.addProblem('port', P.notPort(props.port));
    }
    for (const field of ['command', 'entrypoint'] as const) {
      const args: unknown = props[field];
      if (args !== undefined && !Array.isArray(args)) errors.addProblem(field, M.notArguments(args, field));
      (Array.isArray(args) ? args : []).forEach((arg: unknown, i) => {
        if (typeof arg !== 'string') errors.addProblem(`${field}[${i}]`, M.argumentNotString(arg));
      });
    }
    if (env !== undefined && !envIsMap) errors.addProblem('environment', M.notVariables(env));
    for (const [name, value] of Object.entries(this.environment)) {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
        errors.addProblem(`environment.${name}`, P.notEnvName(name));
      } else if (typeof value !== 'string') {
        errors.addProblem(`environment.${name}`, P.notString(value));
      }
    }
    validateContainerResources(errors, 'resources', props.resources);
    checkPropStrings(errors, props, this._derivedFields());
    errors.record();
  }

  /**
   * @internal Props a subclass builds from its own props (DindService's dockerd flags): their strings are checked,
   * and reported, under the subclass's own fields.
   */
  protected _derivedFields(): string[] {
    return [];
  }

  /** @internal */
  public _toModel(): ServiceModel {
    return {
      path: this.node.path,
      image: this.image,
      alias: this.alias,
      command: this.command,
      entrypoint: this.entrypoint,
      environment: this.environment,
      port: this.port,
      resources: this.resources,
    };
  }
}
