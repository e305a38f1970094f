import { Construct } from 'constructs';
import { ContainerResources } from './container-resources';
import { DindModel, JobService, ServiceModel } from './job-service';
import { _PropErrors } from './problem';
import { isIpAddress, isWholeNumber, show } from './_validators';

/** dockerd's plain-TCP port. */
export const DIND_PLAIN_PORT = 2375;
/** dockerd's TLS port. */
export const DIND_TLS_PORT = 2376;
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

  constructor(scope: Construct, id: string, props: DindServiceProps = {}) {
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
    this.dockerdDns = [...(props.dns ?? [])];

    const errors = new _PropErrors(this, 'DIND');
    if (props.mtu !== undefined && (!isWholeNumber(props.mtu, false) || props.mtu < 576 || props.mtu > 9216)) {
      errors.add('mtu', `${show(props.mtu)} is not a usable MTU.`, 'give the pod network MTU as a whole number from 576 to 9216 (1450 on VXLAN, 1440 on Calico IPIP).');
    }
    (props.registryMirrors ?? []).forEach((m, i) => {
      if (!/^https?:\/\/[^\s/]+/.test(m)) errors.add(`registryMirrors[${i}]`, `${show(m)} is not an http(s) URL.`, "write the mirror as a URL, e.g. 'https://mirror.example.com'.");
    });
    (props.insecureRegistries ?? []).forEach((r, i) => {
      if (!/^[A-Za-z0-9.-]+(:\d+)?$/.test(r) && !/^[0-9a-fA-F.:]+\/\d+$/.test(r)) {
        errors.add(`insecureRegistries[${i}]`, `${show(r)} is neither host[:port] nor a CIDR.`, "write it as 'registry.example.com:5000' or '10.0.0.0/8', without a scheme.");
      }
    });
    this.dockerdDns.forEach((d, i) => {
      if (!isIpAddress(d)) errors.add(`dns[${i}]`, `${show(d)} is not an IP address.`, 'give dockerd nameservers as IP addresses.');
    });
    for (const arg of props.extraArgs ?? []) {
      if (tls && /^--tls(=(false|0))?$/.test(arg) && arg !== '--tls') {
        errors.add('extraArgs', `${show(arg)} turns TLS off while tls is true: the build container would talk TLS to a plain daemon.`, 'set tls: false instead of passing --tls=false.');
      }
      if (!tls && /^--tls(verify|cacert|cert|key)\b/.test(arg)) {
        errors.add('extraArgs', `${show(arg)} configures TLS while tls is false: the build container would talk plain TCP to a TLS daemon.`, 'set tls: true instead of passing TLS flags.');
      }
      if (/^-H$|^--host\b/.test(arg)) {
        errors.add('extraArgs', `${show(arg)} changes where dockerd listens; DOCKER_HOST of the build container would no longer match.`, 'leave the listen address to this construct.');
      }
    }
    errors.throwIfAny();
  }

  /** The environment the build container needs to reach this daemon. */
  public get buildEnvironment(): { [name: string]: string } {
    const host = `tcp://${this.alias}:${this.daemonPort}`;
    return this.tls
      ? { DOCKER_HOST: host, DOCKER_TLS_CERTDIR: CERT_DIR, DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: CLIENT_CERT_DIR }
      : { DOCKER_HOST: host, DOCKER_TLS_CERTDIR: '' };
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
    };
    return { ...super._toModel(), dind };
  }
}

function dockerdFlags(tls: boolean, props: DindServiceProps): string[] {
  return [
    ...(tls ? [] : ['--tls=false']),
    ...(props.mtu !== undefined ? [`--mtu=${props.mtu}`] : []),
    ...(props.registryMirrors ?? []).map((m) => `--registry-mirror=${m}`),
    ...(props.insecureRegistries ?? []).map((r) => `--insecure-registry=${r}`),
    ...(props.dns ?? []).map((d) => `--dns=${d}`),
    ...(props.extraArgs ?? []),
  ];
}
