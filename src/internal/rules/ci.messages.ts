import { quoteList } from './core';
import type { Problem } from '../../model/problem';
import { show } from '../validate/validators';

// The wording of the .gitlab-ci.yml findings (src/internal/rules/ci.ts decides when they apply).

/** A Docker daemon of the job pod, as a message names it. */
interface DaemonWords {
  readonly fromJob?: { readonly image: string };
  readonly path: string;
  readonly tls: boolean;
  readonly port: number;
}

/** The daemon, as a message names it: whose it is, and how it listens. */
function daemon(d: DaemonWords): string {
  const whose = d.fromJob ? `the job's service ${show(d.fromJob.image)}` : `the runner's DindService ${d.path}`;
  return `${whose} (${d.tls ? 'TLS' : 'plain TCP'} on ${d.port})`;
}

/** @internal */
export const CI_MESSAGES = {
  /** CI001: the job starts DinD but sets no DOCKER_HOST. */
  noDockerHost: (p: { daemon: DaemonWords; host: string }): Problem => ({
    message: `the job starts ${daemon(p.daemon)} but sets no DOCKER_HOST, so the docker CLI looks for unix:///var/run/docker.sock, `
      + 'which the build container does not have.',
    fix: `set DOCKER_HOST: tcp://${p.host}:${p.daemon.port}.`,
  }),
  /** CI001: DOCKER_HOST names a host no service answers to. */
  unknownHost: (p: { value: string; host: string; names: string[]; port?: number }): Problem => ({
    message: `DOCKER_HOST=${show(p.value)} names host '${p.host}', which no service of the job pod answers to`
      + `${p.names.length ? ` (the Docker daemon answers to ${quoteList(p.names)})` : ''}: "no such host".`,
    fix: p.names.length ? `use tcp://${p.names[p.names.length - 1]}:${p.port}.`
      : 'add a Docker daemon (a DindService on the runner) and point DOCKER_HOST at its alias.',
  }),
  /** CI002: the client and the daemon disagree on the port or on TLS. */
  wrongPort: (p: { value: string; port: number; daemon: DaemonWords }): Problem => ({
    message: `DOCKER_HOST=${show(p.value)} uses port ${p.port}, but ${daemon(p.daemon)} listens on ${p.daemon.port}: `
      + '"Cannot connect to the Docker daemon".',
    fix: `use port ${p.daemon.port}${p.daemon.fromJob ? '' : ', or drop DOCKER_HOST from the job: the runner sets it'}.`,
  }),
  noTlsVerify: (p: { daemon: DaemonWords; certDir?: string }): Problem => ({
    message: `${daemon(p.daemon)} serves TLS, but DOCKER_TLS_VERIFY is not set, so the docker CLI speaks plain HTTP to it `
      + '("Client sent an HTTP request to an HTTPS server").',
    fix: `set DOCKER_TLS_VERIFY: "1" and DOCKER_CERT_PATH: "${p.certDir ?? '/certs/client'}".`,
  }),
  leftoverTlsVerify: (p: { daemon: DaemonWords; value?: string; fromRunner: boolean }): Problem => ({
    message: `${daemon(p.daemon)} serves plain TCP, but DOCKER_TLS_VERIFY=${show(p.value)} makes the docker CLI insist on TLS`
      + `${p.fromRunner ? ' (the value comes from the runner\'s environment)' : ''}.`,
    fix: 'set DOCKER_TLS_VERIFY: "" in the job, or run the daemon with TLS.',
  }),
  certsNotShared: (p: { daemon: DaemonWords; certDir?: string; jobPodPath: string }): string =>
    `${daemon(p.daemon)} writes its client certificates to ${p.certDir}, but no volume of ${p.jobPodPath} shares that directory `
    + `with the build container ("open ${p.certDir}/ca.pem: no such file or directory").`,
  wrongCertPath: (p: { daemon: DaemonWords; value: string; certDir?: string }): string =>
    `DOCKER_CERT_PATH=${show(p.value)} is not ${p.certDir}, where ${daemon(p.daemon)} writes its client certificates.`,
  certsFix: (p: { fromJob: boolean; certDir?: string }): string => (p.fromJob
    ? 'use the runner\'s DindService instead of a job service: it shares the certificates through an emptyDir.'
    : `set DOCKER_CERT_PATH: "${p.certDir}".`),
  /** CI003: a job's own DinD service without privileged service containers. */
  unprivileged: (p: { image: string; jobPodPath: string }): Problem => ({
    message: `the job starts ${show(p.image)}, but ${p.jobPodPath} does not make service containers privileged, `
      + 'so dockerd fails ("mount: permission denied").',
    fix: `add a DindService to ${p.jobPodPath} (it scopes privileged to service containers) and remove ${show(p.image)} from the job.`,
  }),
  /** CI004: more services than the budget counted. */
  extraServices: (p: { actual: number; assumed: number; jobPodPath: string; fromJob: number }): Problem => ({
    message: `the job pod gets ${p.actual} service containers (${p.assumed} from ${p.jobPodPath}, ${p.fromJob} from the job), `
      + `but capacity was planned for ${p.assumed}: the pod requests more than budgeted and may not fit.`,
    fix: `add the job's services to ${p.jobPodPath} (so the budget counts them), or remove them from the job.`,
  }),
  /** CI005: a job's DinD service on the runner daemon's port. */
  portCollision: (p: { daemon: DaemonWords; runner: DaemonWords; image: string }): Problem => ({
    message: `${daemon(p.daemon)} collides with ${daemon(p.runner)}: the second dockerd cannot bind port ${p.daemon.port}.`,
    fix: `remove ${show(p.image)} from the job; the runner's DindService already gives every job a daemon.`,
  }),
};
