import { analyze, deployment, dr, istio, se, service, summary } from '../fixtures/analysis/builders';

const versions = (...names: string[]) => names.map((n) => ({ name: n, labels: { version: n } }));

describe('IST0173 subset selects no pods', () => {
  test('only the subsets without a matching pod template are reported', () => {
    const findings = analyze([
      service('reviews'),
      deployment('reviews-v1', { app: 'reviews', version: 'v1' }),
      dr('reviews', { host: 'reviews', subsets: versions('v1', 'v2') }),
    ]);
    expect(summary(findings)).toEqual(['IST0173 DestinationRule/reviews spec.subsets[1]']);
    expect(findings[0].message).toContain("subset 'v2' selects no pods: no workload in the set has a pod template with labels version=v2");
  });

  test('pod templates of StatefulSets, DaemonSets, Jobs, CronJobs and Pods count, in any namespace', () => {
    const sts = { ...deployment('s', { version: 'v2' }), kind: 'StatefulSet' };
    const ds = { ...deployment('d', { version: 'v3' }, 'elsewhere'), kind: 'DaemonSet' };
    const cron = {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'c' },
      spec: { jobTemplate: { spec: { template: { metadata: { labels: { version: 'v4' } } } } } },
    };
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', labels: { version: 'v5' } } };
    const findings = analyze([
      service('reviews'),
      deployment('reviews-v1', { version: 'v1' }),
      sts,
      ds,
      cron,
      pod,
      dr('reviews', { host: 'reviews', subsets: versions('v1', 'v2', 'v3', 'v4', 'v5') }),
    ]);
    expect(findings).toEqual([]);
  });

  test('a subset needs all of its labels on one pod template', () => {
    const rule = dr('reviews', { host: 'reviews', subsets: [{ name: 'v1', labels: { version: 'v1', track: 'stable' } }] });
    expect(summary(analyze([service('reviews'), deployment('a', { version: 'v1' }), deployment('b', { track: 'stable' }), rule]))).toEqual([
      'IST0173 DestinationRule/reviews spec.subsets[0]',
    ]);
    expect(analyze([service('reviews'), deployment('a', { version: 'v1', track: 'stable', app: 'reviews' }), rule])).toEqual([]);
  });

  test('ServiceEntry workloadSelector labels are merged under the subset labels', () => {
    const entry = se('vm', {
      hosts: ['legacy.internal'],
      ports: [{ number: 80, name: 'http', protocol: 'HTTP' }],
      resolution: 'STATIC',
      workloadSelector: { labels: { app: 'legacy' } },
    });
    const workload = (name: string, labels: any) => istio('WorkloadEntry', name, { address: '10.0.0.1', labels });
    const rule = dr('legacy', { host: 'legacy.internal', subsets: versions('v1') });
    expect(analyze([entry, workload('w', { app: 'legacy', version: 'v1' }), rule])).toEqual([]);
    expect(summary(analyze([entry, workload('w', { app: 'other', version: 'v1' }), rule]))).toEqual([
      'IST0173 DestinationRule/legacy spec.subsets[0]',
    ]);
  });

  test('closed world: no workloads in the service namespace, or an unknown host, is not judged', () => {
    expect(analyze([service('reviews'), dr('reviews', { host: 'reviews', subsets: versions('v9') })])).toEqual([]);
    expect(
      analyze([service('reviews'), deployment('x', { app: 'x' }, 'other'), dr('reviews', { host: 'reviews', subsets: versions('v9') })]),
    ).toEqual([]);
    expect(analyze([deployment('x', { app: 'x' }), dr('ext', { host: 'api.example.com', subsets: versions('v9') })])).toEqual([]);
  });
});
