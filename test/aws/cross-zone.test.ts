// Whether a group's balancers balance across zones (src/aws/cross-zone.ts): a classic balancer
// says so itself; a target group says true or false, or takes its load balancer's setting (a
// network load balancer's is off by default, an application load balancer's always on).
import type { AutoScalingGroup } from '@aws-sdk/client-auto-scaling';
import { describe, expect, it } from 'vitest';
import type { Clients } from '../../src/aws/clients.js';
import { readCrossZone } from '../../src/aws/cross-zone.js';

interface Setup {
  /** Classic balancers: their CrossZoneLoadBalancing.Enabled. */
  classic?: Record<string, boolean>;
  /** Target groups: their own attribute, and the load balancers in front of them. */
  targetGroups?: Record<string, { own: 'true' | 'false' | 'use_load_balancer_configuration'; balancers: string[] }>;
  /** ELBv2 load balancers: their attribute, or none listed. */
  balancers?: Record<string, 'true' | 'false' | null>;
  /** Operations that fail. */
  failing?: string[];
}

/** The classic and v2 ELB APIs over a setup; records the calls made. */
function elb(setup: Setup) {
  const calls: string[] = [];
  const answer = (operation: string, result: () => unknown) => {
    calls.push(operation);
    if (setup.failing?.includes(operation)) return Promise.reject(Object.assign(new Error('User is not authorized'), { name: 'AccessDenied' }));
    return Promise.resolve(result());
  };
  const classic = {
    send: (command: { input: { LoadBalancerName: string } }) =>
      answer('DescribeLoadBalancerAttributes (classic)', () => ({ LoadBalancerAttributes: { CrossZoneLoadBalancing: { Enabled: setup.classic![command.input.LoadBalancerName] } } })),
  };
  const v2 = {
    send: (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
      const name = command.constructor.name.replace(/Command$/, '');
      if (name === 'DescribeTargetGroupAttributes') {
        const tg = setup.targetGroups![command.input['TargetGroupArn'] as string]!;
        return answer(name, () => ({ Attributes: [{ Key: 'deregistration_delay.timeout_seconds', Value: '300' }, { Key: 'load_balancing.cross_zone.enabled', Value: tg.own }] }));
      }
      if (name === 'DescribeTargetGroups') {
        const arn = (command.input['TargetGroupArns'] as string[])[0]!;
        return answer(name, () => ({ TargetGroups: [{ TargetGroupArn: arn, LoadBalancerArns: setup.targetGroups![arn]!.balancers }] }));
      }
      const value = setup.balancers![command.input['LoadBalancerArn'] as string];
      return answer(name, () => ({ Attributes: [{ Key: 'deletion_protection.enabled', Value: 'false' }, ...(value === null ? [] : [{ Key: 'load_balancing.cross_zone.enabled', Value: value }])] }));
    },
  };
  const clients = { elb: async () => classic, elbv2: async () => v2 } as unknown as Clients;
  return { clients, calls };
}

const NLB = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/net/web/50dc6c495c0c9188';
const ALB = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web/50dc6c495c0c9188';

const group = (setup: Setup): AutoScalingGroup => ({ LoadBalancerNames: Object.keys(setup.classic ?? {}), TargetGroupARNs: Object.keys(setup.targetGroups ?? {}) }) as AutoScalingGroup;

describe('whether the balancers balance across zones', () => {
  it.each<{ what: string; setup: Setup; expected: boolean | null; calls: number }>([
    { what: 'a classic balancer with it', setup: { classic: { web: true } }, expected: true, calls: 1 },
    { what: 'a classic balancer without it (made by API)', setup: { classic: { web: false } }, expected: false, calls: 1 },
    // The target group and its attributes are read at once: most take their balancer's setting.
    { what: 'a target group that turns it off', setup: { targetGroups: { tg: { own: 'false', balancers: [ALB] } } }, expected: false, calls: 2 },
    { what: 'a target group that turns it on', setup: { targetGroups: { tg: { own: 'true', balancers: [NLB] } } }, expected: true, calls: 2 },
    { what: 'a target group behind a network load balancer, as its default', setup: { targetGroups: { tg: { own: 'use_load_balancer_configuration', balancers: [NLB] } }, balancers: { [NLB]: 'false' } }, expected: false, calls: 3 },
    { what: 'a target group behind a network load balancer that turns it on', setup: { targetGroups: { tg: { own: 'use_load_balancer_configuration', balancers: [NLB] } }, balancers: { [NLB]: 'true' } }, expected: true, calls: 3 },
    { what: 'a target group behind an application load balancer', setup: { targetGroups: { tg: { own: 'use_load_balancer_configuration', balancers: [ALB] } }, balancers: { [ALB]: 'true' } }, expected: true, calls: 3 },
    // An application load balancer always balances across zones, listed or not.
    { what: 'a balancer that does not list it', setup: { targetGroups: { tg: { own: 'use_load_balancer_configuration', balancers: [ALB] } }, balancers: { [ALB]: null } }, expected: true, calls: 3 },
    { what: 'a target group behind no balancer yet', setup: { targetGroups: { tg: { own: 'use_load_balancer_configuration', balancers: [] } } }, expected: null, calls: 2 },
    { what: 'one of two without it', setup: { classic: { web: true }, targetGroups: { tg: { own: 'use_load_balancer_configuration', balancers: [NLB] } }, balancers: { [NLB]: 'false' } }, expected: false, calls: 4 },
    { what: 'no balancer', setup: {}, expected: null, calls: 0 },
  ])('$what: $expected in $calls calls', async ({ setup, expected, calls }) => {
    const api = elb(setup);
    expect({ crossZone: await readCrossZone(api.clients, group(setup)), calls: api.calls.length }).toEqual({ crossZone: expected, calls });
  });

  it('a call refused says which', async () => {
    const setup: Setup = { targetGroups: { tg: { own: 'use_load_balancer_configuration', balancers: [NLB] } }, balancers: { [NLB]: 'false' }, failing: ['DescribeTargetGroups'] };
    await expect(readCrossZone(elb(setup).clients, group(setup))).rejects.toMatchObject({ name: 'AccessDenied', operation: 'DescribeTargetGroups' });
  });
});
