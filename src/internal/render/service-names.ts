import { isDns1123Label, isDns1123Subdomain } from '../validate/validators';

// How the Kubernetes executor names and reaches service containers (gitlab-runner-facts §3). One implementation for
// the job-pod preview, the rule catalogue and the .gitlab-ci.yml check, so the three cannot disagree.

// A Docker image reference: [domain[:port]/]path[:tag][@digest] (the grammar of docker/distribution's reference).
const COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const DOMAIN = '(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]+)?';
const TAG = '(?::[\\w][\\w.-]{0,127})?';
const DIGEST = '(?:@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,})?';
const REFERENCE = new RegExp(`^((?:${DOMAIN}/)?${COMPONENT}(?:/${COMPONENT})*)${TAG}${DIGEST}$`);
// The runner drops the registry port before deriving names: registry:5000/group/img -> registry/group/img.
const WITHOUT_PORT = /^(.*?)(|:[0-9]+)(|\/.*)$/;

/** The container name prefix of services without a usable alias (`svc-0`, `svc-1`, ...). */
export const UNNAMED_SERVICE_PREFIX = 'svc-';

/**
 * The host names the runner derives from a service image (`services.SplitNameAndVersion`): the path without tag,
 * with `/` replaced by `__` and by `-`. `registry.example.com/docker:dind` gives `registry.example.com__docker` and
 * `registry.example.com-docker`; `docker:dind` gives `docker`.
 */
export function imageDerivedNames(image: string): string[] {
  const match = REFERENCE.exec(image);
  if (!match) return [];
  const [, registry, , path] = WITHOUT_PORT.exec(match[1])!;
  const service = registry + path;
  const underscored = service.replace(/\//g, '__');
  const dashed = service.replace(/\//g, '-');
  return underscored === dashed ? [underscored] : [underscored, dashed];
}

/** The explicit aliases of a service: the runner splits `alias` on spaces and commas. */
export function explicitAliases(alias: string | undefined): string[] {
  return (alias ?? '').split(/[\s,]+/).filter((a) => a.length > 0);
}

/**
 * The names a service answers to inside the job pod (`/etc/hosts` → 127.0.0.1): the image-derived names that are
 * valid DNS-1123 subdomains (the runner silently drops the others), then the explicit aliases.
 */
export function serviceHostnames(image: string, alias: string | undefined): string[] {
  return [...imageDerivedNames(image).filter(isDns1123Subdomain), ...explicitAliases(alias)];
}

/**
 * The container names the runner gives services, in declaration order (`getServiceDefinition`): the first unused
 * alias that is a DNS-1123 label, else `svc-<n>` counting only the services without one.
 */
export function serviceContainerNames(aliases: Array<string | undefined>): string[] {
  const used = new Set<string>();
  let unnamed = 0;
  return aliases.map((alias) => {
    for (const candidate of explicitAliases(alias)) {
      if (used.has(candidate)) continue;
      used.add(candidate);
      if (isDns1123Label(candidate)) return candidate;
    }
    return `${UNNAMED_SERVICE_PREFIX}${unnamed++}`;
  });
}

/** The registry host (with port) an image names explicitly, e.g. `registry.example.com` in `registry.example.com/x:1`. */
export function imageRegistry(image: string): string | undefined {
  const slash = image.indexOf('/');
  if (slash < 0) return undefined;
  const first = image.slice(0, slash);
  return first.includes('.') || first.includes(':') || first === 'localhost' ? first : undefined;
}

/** Whether an image runs a Docker daemon (`docker:dind`, `docker:27-dind`, `mirror/docker:dind-rootless`). */
export function isDindImage(image: string): boolean {
  const last = image.split('/').pop() ?? '';
  return /dind/.test(last);
}

/** The host and port of a `DOCKER_HOST` TCP address, or undefined for another scheme (`unix://`, `ssh://`). */
export function parseDockerHost(value: string): { host: string; port?: number } | undefined {
  const match = /^tcp:\/\/(\[[^\]]+\]|[^:/]+)(?::(\d+))?\/?$/.exec(value.trim());
  if (!match) return undefined;
  return { host: match[1].replace(/^\[|\]$/g, ''), port: match[2] !== undefined ? Number(match[2]) : undefined };
}

/** Whether a host name is the pod's own loopback (all containers of a job pod share one network namespace). */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** The host of an http(s) URL or a `host[:port]` registry, lower-cased, without port. */
export function hostOf(value: string): string {
  const withoutScheme = value.replace(/^[a-z]+:\/\//i, '');
  const hostPort = withoutScheme.split('/')[0];
  return (hostPort.startsWith('[') ? hostPort.slice(1, hostPort.indexOf(']')) : hostPort.split(':')[0]).toLowerCase();
}

/** Whether a host name is only resolvable inside the cluster: a `*.svc` / `*.cluster.local` name or a bare name. */
export function isInClusterName(host: string): boolean {
  return /\.svc(\.|$)/.test(host) || /\.cluster\.local$/.test(host) || (!host.includes('.') && !host.includes(':') && host !== 'localhost');
}
