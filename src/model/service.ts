import type { ContainerResources } from './resources';

/** @internal What the build container needs to use Docker-in-Docker. */
export interface DindModel {
  readonly tls: boolean;
  readonly port: number;
  readonly certsVolume?: { readonly name: string; readonly mountPath: string; readonly sizeLimit: string };
  readonly buildEnvironment: Record<string, string>;
  readonly mtu?: number;
  readonly dockerdDns: string[];
  /** Host names of the registries dockerd pulls from by name (mirrors and insecure registries). */
  readonly registries: string[];
}

/** @internal The plain model of a job service. */
export interface ServiceModel {
  readonly path: string;
  readonly image: string;
  readonly alias?: string;
  readonly command: string[];
  readonly entrypoint?: string[];
  readonly environment: Record<string, string>;
  readonly port?: number;
  readonly resources?: ContainerResources;
  readonly dind?: DindModel;
}

/** dockerd's plain-TCP port. */
export const DIND_PLAIN_PORT = 2375;

/** dockerd's TLS port. */
export const DIND_TLS_PORT = 2376;
