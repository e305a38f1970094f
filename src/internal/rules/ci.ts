import { CatalogueRule, CiRuleContext, RuleHit, ciField, dindServices, hit, quoteList } from './core';
import { CiService, expandVariables } from './gitlab-ci';
import { Severity } from '../../model/finding';
import { DIND_PLAIN_PORT, DIND_TLS_PORT } from '../../model/service';
import { kubernetesTable, runnerEnvironment } from '../render/config-toml';
import { isDindImage, isLoopbackHost, parseDockerHost, serviceHostnames } from '../render/service-names';
import { show } from '../validate/validators';

// A .gitlab-ci.yml job against the runner that will run it. The runner's `environment` comes first and the job's
// variables override it (Build.GetAllVariables); a service container gets the job's variables, then its own.

/** A Docker daemon in the job pod: the runner's DindService, or a DinD service the job declares. */
interface Daemon {
  readonly fromJob?: CiService;
  readonly path: string;
  readonly hostnames: string[];
  readonly tls: boolean;
  readonly port: number;
  /** Where the daemon writes client certificates, and whether a volume shares them with the build container. */
  readonly certDir?: string;
  readonly certsShared: boolean;
}

interface DockerView {
  readonly variables: Record<string, string>;
  readonly daemons: Daemon[];
  /** Whether the job's own YAML says anything about Docker, so a finding is the job's to fix. */
  readonly jobTouchesDocker: boolean;
}

function dockerView(ctx: CiRuleContext): DockerView {
  const merged = { ...runnerEnvironment(ctx.manager), ...ctx.job.variables };
  const variables = Object.fromEntries(Object.entries(merged).map(([k, v]) => [k, expandVariables(v, merged)]));
  const mounts = Object.values((kubernetesTable(ctx.manager.jobPod).volumes ?? {}) as Record<string, Array<{ mount_path?: string }>>)
    .flat().map((v) => v.mount_path);
  const runnerDaemons: Daemon[] = dindServices(ctx.manager.jobPod).map((s) => ({
    path: s.path,
    hostnames: serviceHostnames(s.image, s.alias),
    tls: s.dind.tls,
    port: s.dind.port,
    certDir: s.dind.certsVolume?.mountPath,
    certsShared: s.dind.certsVolume !== undefined,
  }));
  const jobDaemons: Daemon[] = ctx.job.services.filter((s) => isDindImage(s.image)).map((s) => {
    const env = { ...variables, ...s.variables };
    // docker:dind defaults DOCKER_TLS_CERTDIR to /certs, so TLS is on unless the variable is set to "".
    const certRoot = env.DOCKER_TLS_CERTDIR ?? '/certs';
    const tls = certRoot !== '';
    const certDir = tls ? `${certRoot.replace(/\/$/, '')}/client` : undefined;
    return {
      fromJob: s,
      path: ctx.manager.path,
      hostnames: serviceHostnames(s.image, s.alias),
      tls,
      port: tls ? DIND_TLS_PORT : DIND_PLAIN_PORT,
      certDir,
      certsShared: certDir !== undefined && mounts.includes(certDir),
    };
  });
  return {
    variables,
    daemons: [...runnerDaemons, ...jobDaemons],
    jobTouchesDocker: jobDaemons.length > 0 || Object.keys(ctx.job.variables).some((k) => k.startsWith('DOCKER_')),
  };
}

/** The field a finding about a client variable points at: the job's variable if it set one, else its DinD service. */
function clientField(ctx: CiRuleContext, name: string, daemon?: Daemon): string {
  if (ctx.job.variables[name] !== undefined || daemon?.fromJob === undefined) return ciField(ctx.job, `variables.${name}`);
  return ciField(ctx.job, `services[${daemon.fromJob.index}]`);
}

function describe(d: Daemon): string {
  return `${d.fromJob ? `the job's service ${show(d.fromJob.image)}` : `the runner's DindService ${d.path}`} (${d.tls ? 'TLS' : 'plain TCP'} on ${d.port})`;
}

/** The daemon DOCKER_HOST reaches: the service answering to its host, or on loopback the one on its port. */
function targetOf(view: DockerView, host: string, port: number | undefined): Daemon | undefined {
  const candidates = isLoopbackHost(host) ? view.daemons : view.daemons.filter((d) => d.hostnames.includes(host));
  return candidates.find((d) => port === undefined || d.port === port) ?? candidates[0];
}

function dockerHostHits(ctx: CiRuleContext): RuleHit[] {
  const view = dockerView(ctx);
  if (!view.jobTouchesDocker) return [];
  const value = view.variables.DOCKER_HOST;
  const jobDaemon = view.daemons.find((d) => d.fromJob);
  if (value === undefined) {
    return jobDaemon ? [hit(ctx.manager.path, clientField(ctx, 'DOCKER_HOST', jobDaemon),
      `the job starts ${describe(jobDaemon)} but sets no DOCKER_HOST, so the docker CLI looks for unix:///var/run/docker.sock, which the build container does not have.`,
      `set DOCKER_HOST: tcp://${jobDaemon.hostnames[jobDaemon.hostnames.length - 1] ?? 'docker'}:${jobDaemon.port}.`)] : [];
  }
  const target = parseDockerHost(value);
  if (!target || isLoopbackHost(target.host) || target.host.includes('.') || target.host.includes(':')) return [];
  const names = view.daemons.flatMap((d) => d.hostnames);
  const all = [...ctx.manager.jobPod.services, ...ctx.job.services].flatMap((s) => serviceHostnames(s.image, s.alias));
  if (all.includes(target.host)) return [];
  return [hit(ctx.manager.path, clientField(ctx, 'DOCKER_HOST'),
    `DOCKER_HOST=${show(value)} names host '${target.host}', which no service of the job pod answers to${names.length ? ` (the Docker daemon answers to ${quoteList(names)})` : ''}: "no such host".`,
    names.length ? `use tcp://${names[names.length - 1]}:${view.daemons[0].port}.` : 'add a Docker daemon (a DindService on the runner) and point DOCKER_HOST at its alias.')];
}

function tlsHits(ctx: CiRuleContext): RuleHit[] {
  const view = dockerView(ctx);
  const target = view.variables.DOCKER_HOST === undefined ? undefined : parseDockerHost(view.variables.DOCKER_HOST);
  if (!view.jobTouchesDocker || !target) return [];
  const daemon = targetOf(view, target.host, target.port);
  if (!daemon) return [];
  const clientTls = (view.variables.DOCKER_TLS_VERIFY ?? '') !== '' || (view.variables.DOCKER_TLS ?? '') !== '';
  const hits: RuleHit[] = [];
  if (target.port !== undefined && target.port !== daemon.port) {
    hits.push(hit(ctx.manager.path, clientField(ctx, 'DOCKER_HOST', daemon),
      `DOCKER_HOST=${show(view.variables.DOCKER_HOST)} uses port ${target.port}, but ${describe(daemon)} listens on ${daemon.port}: "Cannot connect to the Docker daemon".`,
      `use port ${daemon.port}${daemon.fromJob ? '' : ', or drop DOCKER_HOST from the job: the runner sets it'}.`));
  }
  if (daemon.tls && !clientTls) {
    hits.push(hit(ctx.manager.path, clientField(ctx, 'DOCKER_TLS_VERIFY', daemon),
      `${describe(daemon)} serves TLS, but DOCKER_TLS_VERIFY is not set, so the docker CLI speaks plain HTTP to it ("Client sent an HTTP request to an HTTPS server").`,
      `set DOCKER_TLS_VERIFY: "1" and DOCKER_CERT_PATH: "${daemon.certDir ?? '/certs/client'}".`));
  }
  if (!daemon.tls && clientTls) {
    hits.push(hit(ctx.manager.path, clientField(ctx, 'DOCKER_TLS_VERIFY', daemon),
      `${describe(daemon)} serves plain TCP, but DOCKER_TLS_VERIFY=${show(view.variables.DOCKER_TLS_VERIFY ?? view.variables.DOCKER_TLS)} makes the docker CLI insist on TLS${ctx.job.variables.DOCKER_TLS_VERIFY === undefined ? ' (the value comes from the runner\'s environment)' : ''}.`,
      'set DOCKER_TLS_VERIFY: "" in the job, or run the daemon with TLS.'));
  }
  if (daemon.tls && clientTls && (!daemon.certsShared || view.variables.DOCKER_CERT_PATH !== daemon.certDir)) {
    hits.push(hit(ctx.manager.path, clientField(ctx, 'DOCKER_CERT_PATH', daemon),
      !daemon.certsShared
        ? `${describe(daemon)} writes its client certificates to ${daemon.certDir}, but no volume of ${ctx.manager.jobPod.path} shares that directory with the build container ("open ${daemon.certDir}/ca.pem: no such file or directory").`
        : `DOCKER_CERT_PATH=${show(view.variables.DOCKER_CERT_PATH ?? '')} is not ${daemon.certDir}, where ${describe(daemon)} writes its client certificates.`,
      daemon.fromJob ? 'use the runner\'s DindService instead of a job service: it shares the certificates through an emptyDir.' : `set DOCKER_CERT_PATH: "${daemon.certDir}".`));
  }
  return hits;
}

/** @internal Rules for a .gitlab-ci.yml against the runner that runs it (GitlabCiCheck). */
export const CI_RULES: CatalogueRule[] = [
  {
    id: 'CI001',
    severity: Severity.ERROR,
    area: '.gitlab-ci.yml',
    title: 'A job\'s `DOCKER_HOST` names a host no service of the job pod answers to, or a job starts DinD without `DOCKER_HOST` (the CLI then looks for a unix socket).',
    fix: 'point `DOCKER_HOST` at the DinD service\'s alias (`tcp://docker:2376`).',
    ciCheck: dockerHostHits,
  },
  {
    id: 'CI002',
    severity: Severity.ERROR,
    area: '.gitlab-ci.yml',
    title: 'A job\'s Docker client and the daemon disagree on TLS: port 2375 against a TLS daemon (or 2376 against a plain one), `DOCKER_TLS_VERIFY` missing or left over, or client certificates the build container cannot read.',
    fix: 'TLS: port 2376, `DOCKER_TLS_VERIFY=1`, `DOCKER_CERT_PATH=/certs/client` on a shared volume; plain: port 2375 and no `DOCKER_TLS_VERIFY`.',
    ciCheck: tlsHits,
  },
  {
    id: 'CI003',
    severity: Severity.ERROR,
    area: '.gitlab-ci.yml',
    title: 'A job declares a Docker-in-Docker service, but the runner does not run service containers privileged: dockerd cannot start.',
    fix: 'add a DindService to the runner\'s job pod template and drop the job\'s own DinD service.',
    ciCheck: (ctx) => (dindServices(ctx.manager.jobPod).length > 0 ? [] : ctx.job.services.filter((s) => isDindImage(s.image)).map((s) =>
      hit(ctx.manager.path, ciField(ctx.job, `services[${s.index}]`),
        `the job starts ${show(s.image)}, but ${ctx.manager.jobPod.path} does not make service containers privileged, so dockerd fails ("mount: permission denied").`,
        `add a DindService to ${ctx.manager.jobPod.path} (it scopes privileged to service containers) and remove ${show(s.image)} from the job.`))),
  },
  {
    id: 'CI004',
    severity: Severity.WARNING,
    area: '.gitlab-ci.yml',
    title: 'A job runs more services than the capacity budget sized its pod for (the template\'s services): every extra service container requests the `service_*` resources on top.',
    fix: 'declare the services on the runner\'s job pod template, so the budget counts them, or drop them from the job.',
    ciCheck: (ctx) => {
      const assumed = ctx.manager.jobPod.services.length;
      const actual = assumed + ctx.job.services.length;
      if (ctx.job.services.length === 0) return [];
      return [hit(ctx.manager.path, ciField(ctx.job, 'services'),
        `the job pod gets ${actual} service containers (${assumed} from ${ctx.manager.jobPod.path}, ${ctx.job.services.length} from the job), but capacity was planned for ${assumed}: the pod requests more than budgeted and may not fit.`,
        `add the job's services to ${ctx.manager.jobPod.path} (so the budget counts them), or remove them from the job.`)];
    },
  },
  {
    id: 'CI005',
    severity: Severity.ERROR,
    area: '.gitlab-ci.yml',
    title: 'A job declares a Docker-in-Docker service on the port the runner\'s DindService already uses: containers of a pod share one network namespace, so the second daemon cannot listen.',
    fix: 'drop the job\'s DinD service; the runner starts one in every job.',
    ciCheck: (ctx) => {
      const view = dockerView(ctx);
      const runner = view.daemons.filter((d) => !d.fromJob);
      return view.daemons.filter((d) => d.fromJob && runner.some((r) => r.port === d.port)).map((d) => hit(ctx.manager.path, ciField(ctx.job, `services[${d.fromJob!.index}]`),
        `${describe(d)} collides with ${describe(runner.find((r) => r.port === d.port)!)}: the second dockerd cannot bind port ${d.port}.`,
        `remove ${show(d.fromJob!.image)} from the job; the runner's DindService already gives every job a daemon.`));
    },
  },
];
