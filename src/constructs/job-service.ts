import { Construct } from 'constructs';
import { explicitAliases } from '../internal/render/service-names';
import { CONSTRUCTION_RULES as RULES, _RuleErrors, PROP_RULES } from '../internal/validate/construction-rules';
import { validateContainerResources } from '../internal/validate/container-resources';
import { checkPropStrings } from '../internal/validate/secrets';
import { isDns1123Label, isPlainMap, isWholeNumber, plainProps, show } from '../internal/validate/validators';
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
      errors.add('image', `${show(props.image)} is not an image reference.`, "give an image such as 'postgres:16' or 'registry.example.com/docker:dind'.");
    }
    // The runner splits alias on commas and spaces and checks each part (Service.Aliases): 'db,postgres' is two aliases.
    const aliases = typeof props.alias === 'string' ? explicitAliases(props.alias) : [];
    if (props.alias !== undefined && (aliases.length === 0 || (aliases.length === 1 && !isDns1123Label(aliases[0])))) {
      errors.add('alias', `${show(props.alias)} is not a DNS-1123 label; the runner fails every job with an invalid alias.`,
        "use lower-case letters, digits and '-', starting and ending with a letter or digit, at most 63 characters (e.g. 'docker').", RULES.serviceAlias);
    } else if (aliases.length > 1) {
      for (const bad of aliases.filter((a) => !isDns1123Label(a))) {
        errors.add('alias', `${show(bad)} of the aliases ${show(props.alias)} is not a DNS-1123 label; the runner fails every job with an invalid alias.`,
          "give each alias as lower-case letters, digits and '-', separated by commas or spaces (e.g. 'db,postgres').", RULES.serviceAlias);
      }
    }
    if (props.port !== undefined && (!isWholeNumber(props.port, false) || props.port > 65535)) {
      errors.add('port', `${show(props.port)} is not a TCP port.`, 'give a whole number from 1 to 65535.');
    }
    for (const field of ['command', 'entrypoint'] as const) {
      const args: unknown = props[field];
      if (args !== undefined && !Array.isArray(args)) errors.add(field, `${show(args)} is not a list of arguments.`, `give ${field} as an array of strings, e.g. ['--port', '5432'].`);
      (Array.isArray(args) ? args : []).forEach((arg: unknown, i) => {
        if (typeof arg !== 'string') errors.add(`${field}[${i}]`, `${show(arg)} is not a string; config.toml takes arguments as strings.`, asStringFix(arg));
      });
    }
    if (env !== undefined && !envIsMap) errors.add('environment', `${show(env)} is not a map of variables.`, "give { NAME: 'value' }.");
    for (const [name, value] of Object.entries(this.environment)) {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
        errors.add(`environment.${name}`, `${show(name)} is not an environment variable name.`, 'use letters, digits and underscores, not starting with a digit.');
      } else if (typeof value !== 'string') {
        errors.add(`environment.${name}`, `${show(value)} is not a string.`, asStringFix(value));
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

/** The fix for a value that must be a string: quote it (a number or boolean), or give text. */
export function asStringFix(value: unknown): string {
  return typeof value === 'number' || typeof value === 'boolean' ? `write it as a string, e.g. '${value}'.` : 'give it as a string.';
}
