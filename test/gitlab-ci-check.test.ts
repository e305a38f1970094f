import { Chart, Testing } from 'cdk8s';
import { parse as parseToml } from 'smol-toml';
import { parse } from 'yaml';
import { DindService, DindServiceProps, GitlabCiCheck, JobPodTemplate, JobService, Rules, RunnerManager, RunnerManagerProps, RunnerToken } from '../src';
import { RULES } from '../src/internal/rules/catalogue';
import { parseGitlabCi } from '../src/internal/rules/gitlab-ci';
import { Finding, Severity } from '../src/model/finding';

// A .gitlab-ci.yml against the runner that runs it: how the file is read, and every rule of the .gitlab-ci.yml area.

function runner(dind: DindServiceProps | null = {}, props: Partial<RunnerManagerProps> = {}, extra: (chart: Chart) => JobService[] = () => []) {
  const chart = new Chart(Testing.app(), 'ci', { namespace: 'ci' });
  const service = dind === null ? undefined : new DindService(chart, 'Dind', dind);
  const jobPod = new JobPodTemplate(chart, 'Jobs', { services: [...(service ? [service] : []), ...extra(chart)] });
  const manager = new RunnerManager(chart, 'Runner', { gitlabUrl: 'https://gitlab.example.com/', token: RunnerToken.fromSecret('runner', 'runner-token'), jobPod, ...props });
  return { manager, dind: service };
}

const ids = (findings: Finding[]) => findings.map((f) => f.ruleId);

describe('reading a .gitlab-ci.yml', () => {
  test('global and job variables (short and long form), services as strings and objects', () => {
    const [job] = parseGitlabCi(`
variables:
  DOCKER_DRIVER: overlay2
  TIMEOUT: 30
build:
  variables:
    DOCKER_DRIVER: vfs
    LONG: { value: "yes", description: "long form" }
  services:
    - postgres:16
    - name: registry.example.com/docker:dind
      alias: docker, dind
      variables:
        DOCKER_TLS_CERTDIR: ""
  script: make
`);
    expect(job.name).toBe('build');
    expect(job.variables).toEqual({ DOCKER_DRIVER: 'vfs', TIMEOUT: '30', LONG: 'yes' });
    expect(job.services).toEqual([
      { image: 'postgres:16', variables: {}, index: 0, alias: undefined },
      { image: 'registry.example.com/docker:dind', alias: 'docker, dind', variables: { DOCKER_TLS_CERTDIR: '' }, index: 1 },
    ]);
  });

  test('default: services apply unless the job has its own or does not inherit them', () => {
    const jobs = parseGitlabCi(`
default:
  services: [redis:7]
a: { script: x }
b: { script: x, services: [postgres:16] }
c: { script: x, inherit: { default: false } }
d: { script: x, inherit: { default: [image] } }
`);
    expect(jobs.map((j) => [j.name, j.services.map((s) => s.image)])).toEqual([['a', ['redis:7']], ['b', ['postgres:16']], ['c', []], ['d', []]]);
  });

  test('inherit: variables false or a list limits the global variables', () => {
    const jobs = parseGitlabCi('variables: { A: "1", B: "2" }\nx: { script: s, inherit: { variables: false } }\ny: { script: s, inherit: { variables: [B] } }\n');
    expect(jobs.map((j) => j.variables)).toEqual([{}, { B: '2' }]);
  });

  test('hidden jobs are templates, not jobs; extends merges them at any depth, mappings key by key', () => {
    const jobs = parseGitlabCi(`
.base:
  variables: { A: base, B: base }
  services: [redis:7]
.docker:
  extends: .base
  variables: { B: docker, C: docker }
.extra:
  variables: { D: extra }
build:
  extends: [.docker, .extra]
  variables: { C: job }
  script: make
`);
    expect(jobs.map((j) => j.name)).toEqual(['build']);
    expect(jobs[0].variables).toEqual({ A: 'base', B: 'docker', C: 'job', D: 'extra' });
    expect(jobs[0].services.map((s) => s.image)).toEqual(['redis:7']);
  });

  test('YAML anchors, merge keys and !reference tags', () => {
    const jobs = parseGitlabCi(`
.vars: &vars
  DOCKER_HOST: tcp://docker:2375
.svc:
  services: [ { name: "docker:dind", alias: docker } ]
build:
  variables:
    <<: *vars
    EXTRA: "1"
  services: !reference [.svc, services]
  script: make
`);
    expect(jobs[0].variables).toEqual({ DOCKER_HOST: 'tcp://docker:2375', EXTRA: '1' });
    expect(jobs[0].services).toEqual([{ image: 'docker:dind', alias: 'docker', variables: {}, index: 0 }]);
  });

  test('service names and aliases are expanded from the job variables; trigger jobs run on no runner', () => {
    const jobs = parseGitlabCi('variables: { TAG: "27-dind" }\nbuild: { script: x, services: [ { name: "docker:$TAG", alias: "${TAG}x" } ] }\ndeploy: { trigger: other/project }\n');
    expect(jobs.map((j) => j.name)).toEqual(['build']);
    expect(jobs[0].services[0]).toMatchObject({ image: 'docker:27-dind', alias: '27-dindx' });
  });

  test.each([
    ['build: [unclosed', /not valid YAML/],
    ['- a\n- b\n', /top level must be a mapping/],
    ['build: { extends: .missing, script: x }', /extends '.missing', which is not a job or hidden job/],
    ['.a: { extends: .b }\n.b: { extends: .a }\nbuild: { extends: .a }', /extends forms a loop: build -> .a -> .b -> .a/],
    ['build: { services: postgres, script: x }', /build.services must be a list/],
    ['build: { script: x, services: !reference [.nothing, services] }', /!reference \[.nothing, services\] points at nothing/],
  ])('refuses %j', (text, message) => {
    expect(() => parseGitlabCi(text)).toThrow(message);
  });

  test('an empty file has no jobs', () => {
    expect(parseGitlabCi('')).toEqual([]);
  });
});

interface CiCase {
  readonly id: string;
  readonly runner: DindServiceProps | null;
  readonly trigger: string;
  readonly quiet: string;
  readonly field: string;
  readonly mentions: string;
}

const CI_CASES: CiCase[] = [
  {
    id: 'CI001',
    runner: {},
    field: '.gitlab-ci.yml build.variables.DOCKER_HOST',
    mentions: "'dockerd'",
    trigger: 'build:\n  variables: { DOCKER_HOST: "tcp://dockerd:2376" }\n  script: docker build .\n',
    quiet: 'build:\n  variables: { DOCKER_HOST: "tcp://docker:2376" }\n  script: docker build .\n',
  },
  {
    id: 'CI002',
    runner: {},
    field: '.gitlab-ci.yml build.variables.DOCKER_HOST',
    mentions: 'listens on 2376',
    trigger: 'variables: { DOCKER_HOST: "tcp://docker:2375" }\nbuild: { script: docker build . }\n',
    quiet: 'variables: { DOCKER_HOST: "tcp://localhost:2376" }\nbuild: { script: docker build . }\n',
  },
  {
    id: 'CI003',
    runner: null,
    field: '.gitlab-ci.yml build.services[0]',
    mentions: "'docker:27-dind'",
    trigger: 'build:\n  services: ["docker:27-dind"]\n  variables: { DOCKER_HOST: "tcp://docker:2376" }\n  script: x\n',
    quiet: 'build:\n  services: ["postgres:16"]\n  script: x\n',
  },
  {
    id: 'CI004',
    runner: {},
    field: '.gitlab-ci.yml test.services',
    mentions: '2 service containers',
    trigger: 'test: { services: [postgres:16], script: x }\n',
    quiet: 'test: { script: x }\n',
  },
  {
    id: 'CI005',
    runner: { tls: false },
    field: '.gitlab-ci.yml build.services[0]',
    mentions: 'cannot bind port 2375',
    trigger: 'variables: { DOCKER_TLS_CERTDIR: "" }\nbuild: { services: [ { name: "docker:dind", alias: docker } ], script: x }\n',
    quiet: 'build: { services: [ { name: "redis:7", alias: cache } ], script: x }\n',
  },
];

describe.each(CI_CASES)('$id', ({ id, runner: dind, trigger, quiet, field, mentions }) => {
  const rule = RULES.find((r) => r.id === id)!;

  test('fires, naming the manager, the job and key, the value and the fix', () => {
    const { manager } = runner(dind);
    const hits = GitlabCiCheck.check(trigger, manager).filter((f) => f.ruleId === id);
    expect(hits).toHaveLength(1);
    expect(hits[0]).toMatchObject({ severity: rule.severity, path: 'ci/Runner', field });
    expect(hits[0].message).toContain(mentions);
    expect(hits[0].fix.length).toBeGreaterThan(10);
  });

  test('stays quiet for the near miss', () => {
    expect(ids(GitlabCiCheck.check(quiet, runner(dind).manager)).filter((i) => i === id)).toEqual([]);
  });
});

describe('TLS mismatches (CI002)', () => {
  test('a leftover DOCKER_TLS_VERIFY from the runner environment against a plain daemon the job asks for', () => {
    const { manager } = runner({ tls: false }, { environment: { DOCKER_TLS_VERIFY: '1' } });
    const findings = GitlabCiCheck.check('build:\n  variables: { DOCKER_HOST: "tcp://docker:2375" }\n  script: x\n', manager);
    expect(findings).toContainEqual(expect.objectContaining({ ruleId: 'CI002', message: expect.stringMatching(/comes from the runner's environment/) }));
  });

  test('a job that turns TLS verification off against the TLS daemon', () => {
    const findings = GitlabCiCheck.check('build:\n  variables: { DOCKER_TLS_VERIFY: "" }\n  script: x\n', runner().manager);
    expect(findings).toEqual([expect.objectContaining({ ruleId: 'CI002', field: '.gitlab-ci.yml build.variables.DOCKER_TLS_VERIFY', message: expect.stringMatching(/speaks plain HTTP/) })]);
  });

  test('a job-declared TLS daemon whose client certificates no volume shares', () => {
    const yaml = 'build:\n  services: [ { name: "docker:dind", alias: docker } ]\n  variables: { DOCKER_HOST: "tcp://docker:2376", DOCKER_TLS_VERIFY: "1", DOCKER_CERT_PATH: /certs/client }\n  script: x\n';
    const findings = GitlabCiCheck.check(yaml, runner(null).manager);
    expect(ids(findings)).toEqual(['CI002', 'CI003', 'CI004']);
    expect(findings[0].message).toMatch(/no volume of ci\/Jobs shares that directory/);
  });

  test('a job-declared daemon without DOCKER_HOST leaves the CLI on the unix socket (CI001)', () => {
    const findings = GitlabCiCheck.check('build: { services: ["docker:dind"], script: x }\n', runner(null).manager);
    expect(findings).toContainEqual(expect.objectContaining({ ruleId: 'CI001', field: '.gitlab-ci.yml build.services[0]', message: expect.stringMatching(/unix:\/\/\/var\/run\/docker.sock/) }));
  });

  test('a job that says nothing about Docker is never blamed for the runner', () => {
    expect(GitlabCiCheck.check('lint: { script: npm run lint }\n', runner({}, { environment: { DOCKER_HOST: 'tcp://elsewhere:2375' } }).manager)).toEqual([]);
  });
});

describe('variables in .gitlab-ci.yml that look like runner settings', () => {
  test('overwrites without a maximum are ignored (RES006), above it fail the job (RES007); unknown KUBERNETES_* do nothing (VAR001)', () => {
    const chart = new Chart(Testing.app(), 'ci');
    const jobPod = new JobPodTemplate(chart, 'Jobs', { buildResources: { cpu: { request: '1', maxRequest: '4' } } });
    const manager = new RunnerManager(chart, 'Runner', { gitlabUrl: 'https://gitlab.example.com/', token: RunnerToken.fromSecret('r'), jobPod });
    const findings = GitlabCiCheck.check(`
build:
  variables: { KUBERNETES_CPU_REQUEST: "8", KUBERNETES_MEMORY_LIMIT: 4Gi, KUBERNETES_PRIVILEGED: "true" }
  script: x
`, manager);
    expect(findings.map((f) => [f.ruleId, f.severity, f.field])).toEqual([
      ['RES007', Severity.ERROR, '.gitlab-ci.yml build.variables.KUBERNETES_CPU_REQUEST'],
      ['RES006', Severity.WARNING, '.gitlab-ci.yml build.variables.KUBERNETES_MEMORY_LIMIT'],
      ['VAR001', Severity.WARNING, '.gitlab-ci.yml build.variables.KUBERNETES_PRIVILEGED'],
    ]);
  });

  test('a service\'s own variables are checked too', () => {
    const findings = GitlabCiCheck.check('t:\n  services: [ { name: "postgres:16", alias: db, variables: { KUBERNETES_SERVICE_CPU_LIMIT: "2" } } ]\n  script: x\n', runner(null).manager);
    expect(findings).toContainEqual(expect.objectContaining({ ruleId: 'RES006', field: '.gitlab-ci.yml t.services[0].variables.KUBERNETES_SERVICE_CPU_LIMIT' }));
  });
});

describe('the DindService snippet', () => {
  test.each([[true], [false]])('tls %s: its variables are the runner\'s, and GitlabCiCheck accepts it', (tls) => {
    const { manager, dind } = runner({ tls, image: 'registry.example.com/docker:27-dind', alias: 'dockerd' });
    const snippet = dind!.gitlabCiSnippet;
    expect(parse(snippet)).toEqual({ variables: dind!.buildEnvironment });
    expect(GitlabCiCheck.check(`${snippet}\nbuild:\n  image: docker:27-cli\n  script: docker info\n`, manager)).toEqual([]);
  });

  test('documents the service the runner starts, exactly as config.toml declares it, and warns against a second one', () => {
    const { manager, dind } = runner({ tls: false, insecureRegistries: ['registry.example.com'] });
    const snippet = dind!.gitlabCiSnippet;
    const commented = snippet.split('\n').filter((l) => l.startsWith('#   ')).map((l) => l.slice(4)).join('\n');
    const [service] = parse(commented).services;
    const toml: any = parseToml(manager.configToml);
    const declared = toml.runners[0].kubernetes.services[0];
    expect(service.name).toBe(declared.name);
    expect(service.alias).toBe(declared.alias);
    expect(service.command).toEqual(declared.command);
    expect(Object.entries(service.variables).map(([k, v]) => `${k}=${v}`)).toEqual(declared.environment);
    expect(snippet).toMatch(/Do not declare a docker:dind service in jobs as well: a second daemon cannot listen on port 2375/);
    const doubled = GitlabCiCheck.check(`build:\n  services:\n${commented.split('\n').slice(1).map((l) => `  ${l}`).join('\n')}\n  script: x\n`, manager);
    expect(ids(doubled)).toContain('CI005');
  });

  test('says where the TLS client certificates are', () => {
    expect(runner().dind!.gitlabCiSnippet).toContain('TLS on port 2376; the client certificates reach every container through a memory-backed emptyDir at /certs/client');
  });
});

describe('GitlabCiCheck.check', () => {
  test('lists errors before warnings', () => {
    const findings = GitlabCiCheck.check('a: { services: [postgres:16], script: x }\nb: { variables: { DOCKER_HOST: "tcp://nope:2376" }, script: x }\n', runner().manager);
    expect(findings.map((f) => f.severity)).toEqual([Severity.ERROR, Severity.WARNING]);
  });

  test('marks warnings acknowledged on the manager, with the reason', () => {
    const { manager } = runner();
    Rules.acknowledge(manager, 'CI004', 'the budget counts a database per job');
    const [finding] = GitlabCiCheck.check('t: { services: [postgres:16], script: x }\n', manager);
    expect(finding.message).toMatch(/\(acknowledged: the budget counts a database per job\)$/);
  });

  test('refuses what is not a RunnerManager', () => {
    expect(() => GitlabCiCheck.check('a: { script: x }', {} as RunnerManager)).toThrow(/manager must be a RunnerManager/);
  });

  test('every rule of the .gitlab-ci.yml area has a case here', () => {
    expect(RULES.filter((r) => r.area === '.gitlab-ci.yml').map((r) => r.id)).toEqual(CI_CASES.map((c) => c.id));
  });
});
