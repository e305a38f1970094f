import { CI_MESSAGES as M } from './ci.messages';
import { CatalogueRule, CiRuleContext, RuleHit, ciField, dindServices, hit, problemHit } from './core';
import { CiService, expandVariables } from './gitlab-ci';
import { Severity } from '../../model/finding';
import { DIND_PLAIN_PORT, DIND_TLS_PORT } from '../../model/service';
import { kubernetesTable, runnerEnvironment } from '../render/config-toml';
import { isDindImage, isLoopbackHost, parseDockerHost, serviceHostnames } from '../render/service-names';

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
    if (!jobDaemon) return [];
    const host = jobDaemon.hostnames[jobDaemon.hostnames.length - 1] ?? 'docker';
    return [problemHit(ctx.manager.path, clientField(ctx, 'DOCKER_HOST', jobDaemon), M.noDockerHost({ daemon: jobDaemon, host }))];
  }
  const target = parseDockerHost(value);
  if (!target || isLoopbackHost(target.host) || target.host.includes('.') || target.host.includes(':')) return [];
  const names = view.daemons.flatMap((d) => d.hostnames);
  const all = [...ctx.manager.jobPod.services, ...ctx.job.services].flatMap((s) => serviceHostnames(s.image, s.alias));
  if (all.includes(target.host)) return [];
  const port = view.daemons[0]?.port;
  return [problemHit(ctx.manager.path, clientField(ctx, 'DOCKER_HOST'), M.unknownHost({ value, host: target.host, names, port }))];
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
    hits.push(problemHit(ctx.manager.path, clientField(ctx, 'DOCKER_HOST', daemon),
      M.wrongPort({ value: view.variables.DOCKER_HOST!, port: target.port, daemon })));
  }
  if (daemon.tls && !clientTls) {
    hits.push(problemHit(ctx.manager.path, clientField(ctx, 'DOCKER_TLS_VERIFY', daemon), M.noTlsVerify({ daemon, certDir: daemon.certDir })));
  }
  if (!daemon.tls && clientTls) {
    const value = view.variables.DOCKER_TLS_VERIFY ?? view.variables.DOCKER_TLS;
    const fromRunner = ctx.job.variables.DOCKER_TLS_VERIFY === undefined;
    hits.push(problemHit(ctx.manager.path, clientField(ctx, 'DOCKER_TLS_VERIFY', daemon), M.leftoverTlsVerify({ daemon, value, fromRunner })));
  }
  if (daemon.tls && clientTls && (!daemon.certsShared || view.variables.DOCKER_CERT_PATH !== daemon.certDir)) {
    hits.push(hit(ctx.manager.path, clientField(ctx, 'DOCKER_CERT_PATH', daemon),
      !daemon.certsShared
        ? M.certsNotShared({ daemon, certDir: daemon.certDir, jobPodPath: ctx.manager.jobPod.path })
        : M.wrongCertPath({ daemon, value: view.variables.DOCKER_CERT_PATH ?? '', certDir: daemon.certDir }),
      M.certsFix({ fromJob: daemon.fromJob !== undefined, certDir: daemon.certDir })));
  }
  return hits;
}

/** @internal Rules for a .gitlab-ci.yml against the runner that runs it (GitlabCiCheck). */
export const CI_RULES: CatalogueRule[] = [
  {
    id: 'CI001',
    severity: Severity.ERROR,
    area: '.gitlab-ci.yml',
    title: 'A job\'s `DOCKER_HOST` names a host no service of the job pod answers to, or a job starts DinD without `DOCKER_HOST`.',
    why: 'The docker CLI then finds no daemon: "no such host", or it looks for a unix socket the build container does not have.',
    fix: 'point `DOCKER_HOST` at the DinD service\'s alias (`tcp://docker:2376`).',
    ciCheck: dockerHostHits,
  },
  {
    id: 'CI002',
    severity: Severity.ERROR,
    area: '.gitlab-ci.yml',
    title: 'A job\'s Docker client and the daemon disagree on TLS: port 2375 against a TLS daemon (or 2376 against a plain one), '
      + '`DOCKER_TLS_VERIFY` missing or left over, or client certificates the build container cannot read.',
    why: 'The docker CLI cannot talk to the daemon, so every docker command of the job fails.',
    fix: 'TLS: port 2376, `DOCKER_TLS_VERIFY=1`, `DOCKER_CERT_PATH=/certs/client` on a shared volume; '
      + 'plain: port 2375 and no `DOCKER_TLS_VERIFY`.',
    ciCheck: tlsHits,
  },
  {
    id: 'CI003',
    severity: Severity.ERROR,
    area: '.gitlab-ci.yml',
    title: 'A job declares a Docker-in-Docker service, but the runner does not run service containers privileged.',
    why: 'dockerd cannot start.',
    fix: 'add a DindService to the runner\'s job pod template and drop the job\'s own DinD service.',
    ciCheck: (ctx) => (dindServices(ctx.manager.jobPod).length > 0 ? [] : ctx.job.services.filter((s) => isDindImage(s.image)).map((s) =>
      problemHit(ctx.manager.path, ciField(ctx.job, `services[${s.index}]`),
        M.unprivileged({ image: s.image, jobPodPath: ctx.manager.jobPod.path })))),
  },
  {
    id: 'CI004',
    severity: Severity.WARNING,
    area: '.gitlab-ci.yml',
    title: 'A job runs more services than the capacity budget sized its pod for (the template\'s services).',
    why: 'Every extra service container requests the `service_*` resources on top.',
    fix: 'declare the services on the runner\'s job pod template, so the budget counts them, or drop them from the job.',
    ciCheck: (ctx) => {
      const assumed = ctx.manager.jobPod.services.length;
      const actual = assumed + ctx.job.services.length;
      if (ctx.job.services.length === 0) return [];
      return [problemHit(ctx.manager.path, ciField(ctx.job, 'services'),
        M.extraServices({ actual, assumed, jobPodPath: ctx.manager.jobPod.path, fromJob: ctx.job.services.length }))];
    },
  },
  {
    id: 'CI005',
    severity: Severity.ERROR,
    area: '.gitlab-ci.yml',
    title: 'A job declares a Docker-in-Docker service on the port the runner\'s DindService already uses.',
    why: 'Containers of a pod share one network namespace, so the second daemon cannot listen.',
    fix: 'drop the job\'s DinD service; the runner starts one in every job.',
    ciCheck: (ctx) => {
      const view = dockerView(ctx);
      const runner = view.daemons.filter((d) => !d.fromJob);
      return view.daemons.filter((d) => d.fromJob && runner.some((r) => r.port === d.port)).map((d) => problemHit(ctx.manager.path,
        ciField(ctx.job, `services[${d.fromJob!.index}]`),
        M.portCollision({ daemon: d, runner: runner.find((r) => r.port === d.port)!, image: d.fromJob!.image })));
    },
  },
];
