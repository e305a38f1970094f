import { Chart, Testing } from 'cdk8s';
import { parse } from 'smol-toml';
import { DnsConfig, DnsConfigProps, DnsPolicy, JobPodTemplate, RunnerManager, RunnerToken } from '../src';
import { declared } from './declared';
import { FleetConfigError } from '../src/model/finding';

function chart(): Chart {
  return new Chart(Testing.app(), 'test', { namespace: 'ci' });
}

function fieldsOf(props: DnsConfigProps): string[] {
  try {
    declared(() => new DnsConfig(chart(), 'Dns', props));
  } catch (e) {
    if (e instanceof FleetConfigError) return e.findings.map((f) => f.field);
    throw e;
  }
  return [];
}

/** The job pod's DNS as config.toml renders it. */
function renderedKubernetes(props: DnsConfigProps): any {
  const c = chart();
  const jobPod = new JobPodTemplate(c, 'Jobs', { dns: new DnsConfig(c, 'Dns', props) });
  const manager = new RunnerManager(c, 'Runner', { gitlabUrl: 'https://gitlab.example.com/', token: RunnerToken.fromSecret('t'), jobPod });
  return (parse(manager.configToml) as any).runners[0].kubernetes;
}

describe('DnsConfig', () => {
  test('keeps its props and exposes them as a model', () => {
    const c = chart();
    const dns = new DnsConfig(c, 'Dns', {
      policy: DnsPolicy.NONE, nameservers: ['10.0.0.2'], searches: ['svc.cluster.local'], options: [{ name: 'ndots', value: '2' }, { name: 'edns0' }],
    });
    expect(dns.policy).toBe('none');
    expect(dns._toModel()).toMatchObject({
      path: 'test/Dns', policy: 'none', nameservers: ['10.0.0.2'], searches: ['svc.cluster.local'], options: [{ name: 'ndots', value: '2' }, { name: 'edns0' }],
    });
  });

  test('defaults to no policy and empty lists', () => {
    const dns = new DnsConfig(chart(), 'Dns');
    const model = dns._toModel();
    expect(model).toMatchObject({ path: 'test/Dns', nameservers: [], searches: [], options: [] });
    expect(model.policy).toBeUndefined();
  });

  test('copies the input arrays, so later mutation of the props does not leak in', () => {
    const nameservers = ['10.0.0.2'];
    const options = [{ name: 'ndots', value: '2' }];
    const dns = new DnsConfig(chart(), 'Dns', { nameservers, options });
    nameservers.push('10.0.0.3');
    options[0].value = '5';
    expect(dns.nameservers).toEqual(['10.0.0.2']);
    expect(dns.options).toEqual([{ name: 'ndots', value: '2' }]);
  });

  test('the enum values are the runner spellings of the reference', () => {
    expect(Object.values(DnsPolicy).sort()).toEqual(['cluster-first', 'cluster-first-with-host-net', 'default', 'none']);
  });

  test.each([
    ['None', DnsPolicy.NONE, 'NONE'],
    ['Default', DnsPolicy.DEFAULT, 'DEFAULT'],
    ['ClusterFirst', DnsPolicy.CLUSTER_FIRST, 'CLUSTER_FIRST'],
    ['ClusterFirstWithHostNet', DnsPolicy.CLUSTER_FIRST_WITH_HOST_NET, 'CLUSTER_FIRST_WITH_HOST_NET'],
  ])('the Kubernetes spelling %s is refused with the runner spelling as the fix', (k8s, runner, key) => {
    const c = chart();
    expect(() => declared(() => new DnsConfig(c, 'Dns', { policy: k8s as DnsPolicy, nameservers: ['10.0.0.2'] })))
      .toThrow(`[test/Dns] policy: '${k8s}' is not a runner DNS policy (that is the Kubernetes spelling, which the runner silently replaces with the cluster default). Fix: use '${runner}', not '${k8s}' (DnsPolicy.${key}).`);
  });

  test.each(Object.values(DnsPolicy))('policy %s with a nameserver is accepted', (policy) => {
    expect(fieldsOf({ policy, nameservers: ['10.0.0.2'] })).toEqual([]);
  });

  test('only policy none needs a nameserver', () => {
    expect(fieldsOf({ policy: DnsPolicy.NONE })).toEqual(['nameservers']);
    expect(fieldsOf({ policy: DnsPolicy.NONE, searches: ['cluster.local'] })).toEqual(['nameservers']);
    expect(fieldsOf({ policy: DnsPolicy.DEFAULT })).toEqual([]);
    expect(fieldsOf({})).toEqual([]);
  });

  test('at most 3 nameservers', () => {
    expect(fieldsOf({ nameservers: ['10.0.0.1', '10.0.0.2', '10.0.0.3'] })).toEqual([]);
    expect(fieldsOf({ nameservers: ['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4'] })).toEqual(['nameservers']);
  });

  test.each(['10.0.0.2', '0.0.0.0', '255.255.255.255', '::1', '::', 'fd00::53', 'fe80::1:2', '2001:db8:0:0:0:0:0:1', '::ffff:10.0.0.1', '2001:db8::10.0.0.1'])(
    'nameserver %s is an IP address',
    (ip) => {
      expect(fieldsOf({ nameservers: [ip] })).toEqual([]);
    },
  );

  test.each(['dns.example.com', '10.0.0.256', '010.0.0.1', '10.0.0', '1:::2', ':1::2', '1::2:', ':1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7:8:', '1:2:3:4:5:6:7',
    '1:2:3:4:5:6:7:8:9', '1::2::3', '1.2.3.4::', '::1.2.3', 'fe80::1%eth0', '12345::1', ''])(
    'nameserver %p is refused',
    (ip) => {
      expect(fieldsOf({ nameservers: [ip] })).toEqual(['nameservers[0]']);
    },
  );

  test('search domains: at most 32, at most 2048 characters in all, each a DNS name', () => {
    const domain = (i: number) => `d${i}.example.com`;
    expect(fieldsOf({ searches: Array.from({ length: 32 }, (_, i) => domain(i)) })).toEqual([]);
    expect(fieldsOf({ searches: Array.from({ length: 33 }, (_, i) => domain(i)) })).toEqual(['searches']);
    // 8 domains of 253 characters, one of 16 and 8 separators: exactly 2048; one character more is too many.
    const big = (i: number) => `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(60)}${i}`;
    const bigOnes = Array.from({ length: 8 }, (_, i) => big(i));
    const fits = [...bigOnes, `${'e'.repeat(12)}.com`];
    expect(fits.join(' ').length).toBe(2048);
    expect(fieldsOf({ searches: fits })).toEqual([]);
    expect(fieldsOf({ searches: [...bigOnes, `${'e'.repeat(13)}.com`] })).toEqual(['searches']);
    expect(fieldsOf({ searches: ['Svc.cluster.local', 'svc..local', '-a.local'] })).toEqual(['searches[0]', 'searches[1]', 'searches[2]']);
  });

  test('resolver options: a name, and a string value if any', () => {
    expect(fieldsOf({ options: [{ name: 'edns0' }, { name: 'ndots', value: '2' }] })).toEqual([]);
    expect(fieldsOf({ options: [{ name: '' }, { name: 'ndots', value: 2 as unknown as string }] })).toEqual(['options[0].name', 'options[1].value']);
  });

  test('every problem carries a DNS rule id and the construct path', () => {
    try {
      declared(() => new DnsConfig(chart(), 'Dns', { policy: DnsPolicy.NONE }));
      throw new Error('expected a FleetConfigError');
    } catch (e) {
      expect((e as FleetConfigError).findings).toEqual([expect.objectContaining({ ruleId: expect.stringMatching(/^DNS/), severity: 'error', path: 'test/Dns', field: 'nameservers' })]);
    }
  });

  describe('as config.toml renders it', () => {
    test('policy and the dns_config table, options in order, a flag option without value', () => {
      const k = renderedKubernetes({ policy: DnsPolicy.NONE, nameservers: ['10.0.0.2'], searches: ['a.local'], options: [{ name: 'ndots', value: '2' }, { name: 'edns0' }] });
      expect(k.dns_policy).toBe('none');
      expect(k.dns_config).toEqual({ nameservers: ['10.0.0.2'], searches: ['a.local'], options: [{ name: 'ndots', value: '2' }, { name: 'edns0' }] });
    });

    test('no policy: no dns_policy key (the runner default), but the dns_config table', () => {
      const k = renderedKubernetes({ nameservers: ['10.0.0.2'] });
      expect(k).not.toHaveProperty('dns_policy');
      expect(k.dns_config).toEqual({ nameservers: ['10.0.0.2'] });
    });

    test('a policy alone renders no empty dns_config table', () => {
      const k = renderedKubernetes({ policy: DnsPolicy.CLUSTER_FIRST });
      expect(k.dns_policy).toBe('cluster-first');
      expect(k).not.toHaveProperty('dns_config');
    });
  });
});
