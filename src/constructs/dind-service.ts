import { Construct } from 'constructs';
import { DIND_MESSAGES as M } from './dind-service.messages';
import { JobService } from './job-service';
import { PROP_MESSAGES } from './props.messages';
import { sortedByKey, toYaml } from '../internal/render/records';
import { explicitAliases, hostOf } from '../internal/render/service-names';
import { CONSTRUCTION_RULES as RULES, _RuleErrors, PROP_RULES } from '../internal/validate/construction-rules';
import { checkPropStrings } from '../internal/validate/secrets';
import { asText, isIpAddress, isMtu, plainProps } from '../internal/validate/validators';
import type { Problem } from '../model/problem';
import { ContainerResources } from '../model/resources';
import { DindModel, ServiceModel, DIND_PLAIN_PORT, DIND_TLS_PORT } from '../model/service';

const CERT_DIR = '/certs';
const CLIENT_CERT_DIR = `${CERT_DIR}/client`;

/**
 * Properties for `DindService`.
 */
export interface DindServiceProps {
  /**
   * The Docker-in-Docker image.
   *
   * @default 'docker:dind'
   */
  readonly image?: string;

  /**
   * The host name of the Docker daemon for the build container (`DOCKER_HOST=tcp://<alias>:<port>`), and the service
   * container's name. Set it explicitly for a mirrored image: the name the runner derives from
   * `registry.example.com/docker:dind` is not `docker`.
   *
   * @default 'docker'
   */
  readonly alias?: string;

  /**
   * Whether the daemon serves TLS. On: port 2376, certificates generated under `/certs` and shared with the build
   * container through a memory-backed emptyDir at `/certs/client`. Off: port 2375 and `--tls=false`.
   *
   * @default true
   */
  readonly tls?: boolean;

  /**
   * The MTU of the pod network. dockerd's bridge defaults to 1500 whatever the pod interface has, and on an overlay
   * (VXLAN 1450, IPIP 1440) large packets are dropped silently, so builds hang in `apk`, `pip` or TLS handshakes.
   *
   * @default - dockerd's default (1500)
   */
  readonly mtu?: number;

  /**
   * Registry mirrors for Docker Hub pulls (`--registry-mirror`), as http(s) URLs.
   *
   * @default - none
   */
  readonly registryMirrors?: string[];

  /**
   * Registries dockerd may reach over plain HTTP or with an untrusted certificate (`--insecure-registry`), as
   * `host[:port]` or a CIDR.
   *
   * @default - none
   */
  readonly insecureRegistries?: string[];

  /**
   * Nameservers for the containers dockerd starts (`--dns`): `RUN` steps and `docker run`. They do NOT affect
   * dockerd's own image pulls, which use the job pod's DNS (`JobPodTemplateProps.dns`).
   *
   * @default - nested containers inherit the pod's resolv.conf
   */
  readonly dns?: string[];

  /**
   * Further dockerd flags, appended after the ones this construct renders.
   *
   * @default - none
   */
  readonly extraArgs?: string[];

  /**
   * Resources of the DinD container. DinD builds images: give it real memory and ephemeral storage.
   *
   * @default - the job pod template's service resources
   */
  readonly resources?: ContainerResources;
}

/**
 * A Docker-in-Docker service for every job, with the daemon flags, the service environment and the build
 * container's `DOCKER_*` environment rendered consistently for TLS on or off.
 *
 * The service container runs privileged (DinD cannot start otherwise); `JobPodTemplate` scopes that to service
 * containers with `service_container_security_context.privileged`, never to the whole pod.
 */
export class DindService extends JobService {
  /** Whether the daemon serves TLS. */
  public readonly tls: boolean;
  /** The daemon's TCP port: 2376 with TLS, 2375 without. */
  public readonly daemonPort: number;
  /** The pod network MTU given to dockerd, if any. */
  public readonly mtu?: number;
  /** Nameservers passed to dockerd with `--dns`. */
  public readonly dockerdDns: string[];

  private readonly registries: string[] = [];

  constructor(scope: Construct, id: string, props: DindServiceProps = {}) {
    // Missing props (undefined or null from plain JavaScript) are reported field by field, not a TypeError.
    props = plainProps(props ?? {}) as typeof props;
    const tls = props.tls ?? true;
    const port = tls ? DIND_TLS_PORT : DIND_PLAIN_PORT;
    super(scope, id, {
      image: props.image ?? 'docker:dind',
      alias: props.alias ?? 'docker',
      command: dockerdFlags(tls, props),
      environment: {
        // docker:dind's entrypoint generates certificates here when set, and disables TLS when empty.
        DOCKER_TLS_CERTDIR: tls ? CERT_DIR : '',
        // The runner waits for this port before starting the build container's script.
        HEALTHCHECK_TCP_PORT: String(port),
      },
      port,
      resources: props.resources,
    });
    this.tls = tls;
    this.daemonPort = port;
    this.mtu = props.mtu;
    this.dockerdDns = listed(props.dns);

    const errors = new _RuleErrors(this, PROP_RULES.dind);
    if (typeof props.alias === 'string' && (explicitAliases(props.alias).length > 1 || props.alias !== props.alias.trim())) {
      errors.addProblem('alias', M.aliasNotOne(props.alias), RULES.serviceAlias.id);
    }
    if (props.tls !== undefined && typeof props.tls !== 'boolean') errors.addProblem('tls', PROP_MESSAGES.notBoolean(props.tls));
    if (props.mtu !== undefined && !isMtu(props.mtu)) {
      errors.addProblem('mtu', PROP_MESSAGES.notMtu(props.mtu));
    }
    for (const field of ['registryMirrors', 'insecureRegistries', 'dns', 'extraArgs'] as const) {
      if (props[field] !== undefined && !Array.isArray(props[field])) errors.addProblem(field, M.notList(props[field], field));
    }
    listed(props.registryMirrors).forEach((m, i) => {
      // The whole string: dockerd gets it as one flag, and a line break or quote after a valid start would end it.
      if (typeof m !== 'string' || !/^https?:\/\/[^\s/"'\\]+(\/[^\s"'\\]*)?$/.test(m) || /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(m)) {
        errors.addProblem(`registryMirrors[${i}]`, M.badMirror(m));
      }
    });
    listed(props.insecureRegistries).forEach((r, i) => {
      if (typeof r !== 'string' || (!/^[A-Za-z0-9.-]+(:\d+)?$/.test(r) && !/^[0-9a-fA-F.:]+\/\d+$/.test(r))) {
        errors.addProblem(`insecureRegistries[${i}]`, M.badInsecureRegistry(r));
      }
    });
    this.dockerdDns.forEach((d, i) => {
      if (!isIpAddress(d)) errors.addProblem(`dns[${i}]`, M.dnsNotIp(d));
    });
    listed(props.extraArgs).forEach((arg, i) => {
      const problem = typeof arg === 'string' ? extraArgProblem(arg, tls) : M.flagNotString();
      if (problem) errors.addProblem(`extraArgs[${i}]`, M.extraArg(arg, problem), RULES.dindFlags.id);
    });
    // The other props went through JobService's check in super().
    const { registryMirrors, insecureRegistries, dns, extraArgs } = props;
    checkPropStrings(errors, { registryMirrors, insecureRegistries, dns, extraArgs });
    if (errors.record()) return;
    // Host names dockerd must resolve itself (a CIDR names no host).
    const named = [...listed(props.registryMirrors), ...listed(props.insecureRegistries).filter((r) => !r.includes('/'))];
    this.registries = named.map(hostOf);
  }

  /** @internal dockerd's command and environment are built from the props checked in this constructor. */
  protected _derivedFields(): string[] {
    return ['command', 'environment'];
  }

  /** The environment the build container needs to reach this daemon. */
  public get buildEnvironment(): { [name: string]: string } {
    const host = `tcp://${this.alias}:${this.daemonPort}`;
    return this.tls
      ? { DOCKER_HOST: host, DOCKER_TLS_CERTDIR: CERT_DIR, DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: CLIENT_CERT_DIR }
      : { DOCKER_HOST: host, DOCKER_TLS_CERTDIR: '' };
  }

  /**
   * A `.gitlab-ci.yml` snippet that matches this daemon: the service the runner starts in every job (as a comment,
   * since jobs must not declare a second daemon on the same port) and the client variables the runner sets. Jobs may
   * repeat the variables to make their Docker setup explicit; `GitlabCiCheck` accepts the snippet for this runner.
   */
  public get gitlabCiSnippet(): string {
    const service: Record<string, unknown> = { name: this.image, alias: this.alias };
    if (this.command.length) service.command = this.command;
    service.variables = sortedByKey(this.environment);
    const serviceYaml = toYaml({ services: [service] }).trimEnd().split('\n').map((l) => `#   ${l}`);
    const transport = M.snippetTransport(this.tls, this.daemonPort, CLIENT_CERT_DIR);
    return [
      ...M.snippetHead(this.node.path, transport),
      '#',
      ...serviceYaml,
      '#',
      ...M.snippetTail(this.daemonPort),
      toYaml({ variables: sortedByKey(this.buildEnvironment) }).trimEnd(),
      '',
    ].join('\n');
  }

  /** @internal */
  public _toModel(): ServiceModel {
    const dind: DindModel = {
      tls: this.tls,
      port: this.daemonPort,
      certsVolume: this.tls ? { name: 'docker-certs', mountPath: CLIENT_CERT_DIR, sizeLimit: '16Mi' } : undefined,
      buildEnvironment: this.buildEnvironment,
      mtu: this.mtu,
      dockerdDns: this.dockerdDns,
      registries: this.registries,
    };
    return { ...super._toModel(), dind };
  }
}

/** Flags a typed prop renders; in extraArgs they would hide the value from the rule catalogue or be given twice. */
const TYPED_FLAGS: Record<string, string> = {
  '--mtu': 'mtu', '--dns': 'dns', '--registry-mirror': 'registryMirrors', '--insecure-registry': 'insecureRegistries',
};

function extraArgProblem(arg: string, tls: boolean): Problem | undefined {
  const flag = arg.split('=')[0];
  const value = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : 'true';
  if (/^-H$|^--host$/.test(flag) || /^-H./.test(arg)) {
    return M.flagSetsHost();
  }
  if (TYPED_FLAGS[flag] !== undefined) {
    return M.flagTyped(TYPED_FLAGS[flag]);
  }
  if (flag === '--tls' && tls && /^(false|0)$/i.test(value)) {
    return M.flagTlsOff();
  }
  if (!tls && ((flag === '--tls' && !/^(false|0)$/i.test(value)) || /^--tls(verify|cacert|cert|key)$/.test(flag))) {
    return M.flagTlsOn();
  }
  return undefined;
}

/** A list prop, or nothing when it is not a list (the constructor reports that). */
function listed(list: string[] | undefined): string[] {
  return Array.isArray(list) ? [...list] : [];
}

// Rendered before the props are checked (the service's command is a constructor argument of JobService): every
// value is made a string, so a wrong type is reported by the DindService prop that holds it.
function dockerdFlags(tls: boolean, props: DindServiceProps): string[] {
  return [
    ...(tls ? [] : ['--tls=false']),
    ...(props.mtu !== undefined ? [`--mtu=${asText(props.mtu)}`] : []),
    ...listed(props.registryMirrors).map((m) => `--registry-mirror=${asText(m)}`),
    ...listed(props.insecureRegistries).map((r) => `--insecure-registry=${asText(r)}`),
    ...listed(props.dns).map((d) => `--dns=${asText(d)}`),
    ...listed(props.extraArgs).map(asText),
  ];
}
