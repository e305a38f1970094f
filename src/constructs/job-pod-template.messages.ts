import { PROP_MESSAGES } from './props.messages';
import { show, showEscaped } from '../internal/validate/validators';
import type { Problem } from '../model/problem';

/** @internal The wording of JobPodTemplate's prop errors. */
export const JOB_POD_MESSAGES = {
  /** The template's own props. */
  badNamespace: (namespace: unknown): Problem => ({
    message: PROP_MESSAGES.notNamespaceName(namespace),
    fix: 'use a DNS-1123 label: lower-case letters, digits and hyphens, at most 63 characters.',
  }),
  servicesNotList: (services: unknown): Problem => ({
    message: PROP_MESSAGES.notList(services),
    fix: 'give services as an array of JobService or DindService constructs.',
  }),
  notDnsConfig: (dns: unknown): Problem => ({ message: `${show(dns)} is not a DnsConfig.`, fix: 'pass a DnsConfig construct.' }),
  notHelperOptions: (helper: unknown): Problem => ({
    message: `${show(helper)} is not helper options.`,
    fix: "give { image?, resources? }, e.g. { image: 'registry.example.com/gitlab-runner-helper:x86_64-v18.3.0' }.",
  }),
  notImage: (image: unknown): Problem => ({
    message: PROP_MESSAGES.notImageReference(image),
    fix: "give an image such as 'registry.example.com/ci/build:1.0'.",
  }),
  reservedLabel: (key: string): Problem => ({
    message: `the runner.gitlab.com label namespace is reserved; the runner drops ${show(key)}.`,
    fix: 'use a label key outside runner.gitlab.com.',
  }),
  annotationsTooLarge: (bytes: number, max: number): Problem => ({
    message: `the annotations take ${bytes} bytes; Kubernetes allows at most ${max} (256 KiB) for all annotations of a pod, `
      + 'so the API server rejects every job pod.',
    fix: 'keep large data out of annotations: put it in a ConfigMap or a volume and annotate a reference to it.',
  }),
  badServiceAccount: (name: unknown): Problem => ({
    message: `${show(name)} is not a valid ServiceAccount name; the API server rejects the job pod.`,
    fix: 'use a DNS-1123 subdomain, e.g. ci-job.',
  }),

  /** extraConfig, the escape hatch. */
  extraNotMap: (extra: unknown): Problem => ({
    message: `${show(extra)} is not a map of config.toml keys.`,
    fix: 'give { key: value }, e.g. { poll_interval: 5 }.',
  }),
  extraOwned: (key: string, prop: string): Problem => ({
    message: `${show(key)} is rendered from a typed prop.`,
    fix: `set it with the ${prop} prop.`,
  }),
  extraResource: (key: string): Problem => ({
    message: `${show(key)} is a resource setting, rendered from the typed resources props.`,
    fix: 'set it with buildResources, helper.resources or serviceResources.',
  }),
  extraPrivileged: (): Problem => ({
    message: 'pod-wide privileged makes the helper, the init container and every service privileged.',
    fix: 'add a DindService instead: it makes only service containers privileged (service_container_security_context.privileged).',
  }),
  extraEmpty: (): Problem => ({ message: 'the value is empty.', fix: 'give a value or leave the key out.' }),
  badVolumeName: (name: unknown): Problem => ({
    message: `${showEscaped(name)} is not a volume name; the API server rejects every job pod.`,
    fix: "give name as a DNS-1123 label (lower-case letters, digits and '-', at most 63), e.g. 'cache'.",
  }),
  noMountPath: (mountPath: unknown): Problem => ({
    message: `${showEscaped(mountPath)}: the volume has no mount path; the API server rejects every job pod.`,
    fix: "give mount_path, the absolute path in the containers, e.g. '/cache'.",
  }),
  volumeClashesWithCerts: (v: { name: unknown; mountPath: unknown }, certs: { name: string; mountPath: string }): Problem => ({
    message: `the volume ${show(v.name)} at ${show(v.mountPath)} clashes with the DinD certificates volume `
      + `${show(certs.name)} at ${show(certs.mountPath)}.`,
    fix: 'give the volume another name and mount path.',
  }),
  hostAliasNotIp: (ip: unknown): Problem => ({
    message: `${showEscaped(ip)} is not an IP address; the API server rejects every job pod.`,
    fix: "give the address the host names resolve to, e.g. '10.0.0.10'.",
  }),
  hostAliasNoHost: (hostnames: unknown): Problem => ({
    message: `${show(hostnames)}: the entry names no host.`,
    fix: "list the host names, e.g. ['registry.internal'].",
  }),
  hostAliasBadHost: (host: string): Problem => ({
    message: `${showEscaped(host)} is not a DNS-1123 subdomain; the API server rejects every job pod.`,
    fix: "use lower-case labels separated by dots, e.g. 'registry.internal'.",
  }),
  badId: (value: number, max: number): Problem => ({
    message: `${value} is not a Kubernetes user or group id (0 to ${max}); the API server rejects every job pod.`,
    fix: `give an id from 0 to ${max}, e.g. 1000.`,
  }),
  badWeight: (value: number): Problem => ({
    message: `${value} is not a scheduling weight; Kubernetes takes 1 to 100 and the API server rejects every job pod.`,
    fix: 'give a weight from 1 to 100.',
  }),

  /** Services. */
  notJobService: (service: unknown): Problem => ({
    message: `${show(service)} is not a JobService.`,
    fix: 'pass JobService or DindService constructs.',
  }),
  aliasTaken: (alias: string, other: string): Problem => ({
    message: `alias ${show(alias)} is used by ${other} too; both would claim one host name and container name.`,
    fix: 'give each service its own alias.',
  }),
  portTaken: (port: number, other: string): Problem => ({
    message: `port ${port} is used by ${other} too; the containers of a job pod share one network namespace, so the second cannot listen.`,
    fix: 'keep one service per port.',
  }),
  serviceResourcesDiffer: (): Problem => ({
    message: 'the Kubernetes executor applies one set of service_* resources to every service container, and these differ from the others.',
    fix: 'declare the same resources on every service, or set them once with serviceResources.',
  }),

  /** Pull policies. */
  pullPoliciesNotList: (policies: unknown, field: string): Problem => ({
    message: PROP_MESSAGES.notList(policies),
    fix: `give ${field} as an array, e.g. [PullPolicy.IF_NOT_PRESENT].`,
  }),
  /** `meant`: the runner spelling of a policy written another way, if it is one. */
  badPullPolicy: (policy: unknown, meant: string | undefined, known: string[]): Problem => ({
    message: `${show(policy)} is not a runner pull policy; the runner fails every job with "unsupported pull policy".`,
    fix: meant ? `use '${meant}' (the runner's spelling).` : `use one of ${known.map((k) => `'${k}'`).join(', ')}.`,
  }),
};
