// A user's cdk8s app, written in plain JavaScript against the packed library.
const { Chart } = require('cdk8s');
const { DindService, JobPodTemplate, PullPolicy, RunnerManager, RunnerToken } = require('cdk8s-gitlab-runner');

function declareFleet(app) {
  const chart = new Chart(app, 'ci', { namespace: 'ci', disableResourceNameHashes: true });
  const dind = new DindService(chart, 'Dind', {
    resources: {
      cpu: { request: '1', limit: '2' },
      memory: { request: '1Gi', limit: '2Gi' },
      ephemeralStorage: { request: '10Gi', limit: '20Gi' },
    },
  });
  const jobs = new JobPodTemplate(chart, 'Jobs', {
    buildResources: { cpu: { request: '1', limit: '2' }, memory: { request: '1Gi', limit: '2Gi' } },
    helper: { resources: { cpu: { request: '100m', limit: '500m' }, memory: { request: '256Mi', limit: '512Mi' } } },
    services: [dind],
    pullPolicy: [PullPolicy.IF_NOT_PRESENT],
  });
  new RunnerManager(chart, 'Runner', {
    name: 'ci-runner',
    gitlabUrl: 'https://gitlab.example.com/',
    token: RunnerToken.fromSecret('ci-runner-token'),
    concurrent: 4,
    jobPod: jobs,
  });
  // A second manager for heavier jobs, of its own job pod template.
  new RunnerManager(chart, 'Large', {
    name: 'ci-runner-large',
    gitlabUrl: 'https://gitlab.example.com/',
    token: RunnerToken.fromSecret('ci-runner-large-token'),
    concurrent: 2,
    jobPod: new JobPodTemplate(chart, 'LargeJobs', {
      buildResources: { cpu: { request: '4', limit: '4' }, memory: { request: '8Gi', limit: '8Gi' } },
      helper: { resources: { cpu: { request: '100m', limit: '500m' }, memory: { request: '256Mi', limit: '512Mi' } } },
    }),
  });
  return chart;
}

module.exports = { declareFleet };
