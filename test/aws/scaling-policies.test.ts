// The group's own scaling policies that can move its desired count (src/aws/scaling-policies.ts):
// the band rules stand aside while it has one. What DescribePolicies lists, and what counts.
import type { ScalingPolicy } from '@aws-sdk/client-auto-scaling';
import { describe, expect, it } from 'vitest';
import type { Clients } from '../../src/aws/clients.js';
import { readScalingPolicies } from '../../src/aws/scaling-policies.js';

/** Auto Scaling over pages of policies; records what each call asked. */
function autoScaling(pages: ScalingPolicy[][]) {
  const asked: Array<Record<string, unknown>> = [];
  const send = (command: { input: Record<string, unknown> }) => {
    asked.push(command.input);
    const index = command.input['NextToken'] === undefined ? 0 : Number(command.input['NextToken']);
    return Promise.resolve({ ScalingPolicies: pages[index], ...(index + 1 < pages.length && { NextToken: String(index + 1) }) });
  };
  return { clients: { autoScaling: { send } } as unknown as Clients, asked };
}

const alarm = [{ AlarmName: 'web-high-cpu', AlarmARN: 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:web-high-cpu' }];

describe('the group’s own scaling policies that count', () => {
  it.each<{ what: string; policy: ScalingPolicy; counts: boolean }>([
    { what: 'target tracking (its alarms are its own)', policy: { PolicyName: 'cpu50', PolicyType: 'TargetTrackingScaling', Enabled: true, Alarms: alarm }, counts: true },
    { what: 'target tracking, disabled', policy: { PolicyName: 'cpu50', PolicyType: 'TargetTrackingScaling', Enabled: false, Alarms: alarm }, counts: false },
    { what: 'step scaling with an alarm', policy: { PolicyName: 'queue', PolicyType: 'StepScaling', Enabled: true, Alarms: alarm }, counts: true },
    { what: 'step scaling without an alarm: a leftover that never acts', policy: { PolicyName: 'old', PolicyType: 'StepScaling', Enabled: true, Alarms: [] }, counts: false },
    { what: 'simple scaling with an alarm', policy: { PolicyName: 'up', PolicyType: 'SimpleScaling', Alarms: alarm }, counts: true },
    { what: 'simple scaling with no type given (the API default)', policy: { PolicyName: 'up', Alarms: alarm }, counts: true },
    { what: 'predictive scaling (raises capacity ahead of a forecast, never scales in)', policy: { PolicyName: 'forecast', PolicyType: 'PredictiveScaling', Enabled: true }, counts: false },
  ])('$what', async ({ policy, counts }) => {
    const { clients } = autoScaling([[policy]]);
    const type = policy.PolicyType ?? 'SimpleScaling';
    expect(await readScalingPolicies(clients, 'web')).toEqual(counts ? [{ name: policy.PolicyName, type }] : []);
  });

  it('asks for the group’s dynamic kinds alone, 100 a page, every page', async () => {
    const { clients, asked } = autoScaling([[{ PolicyName: 'a', PolicyType: 'TargetTrackingScaling' }], [{ PolicyName: 'b', PolicyType: 'StepScaling', Alarms: alarm }]]);
    const read = await readScalingPolicies(clients, 'web');
    expect({ read, asked }).toEqual({
      read: [
        { name: 'a', type: 'TargetTrackingScaling' },
        { name: 'b', type: 'StepScaling' },
      ],
      asked: [
        { AutoScalingGroupName: 'web', PolicyTypes: ['TargetTrackingScaling', 'StepScaling', 'SimpleScaling'], MaxRecords: 100 },
        { AutoScalingGroupName: 'web', PolicyTypes: ['TargetTrackingScaling', 'StepScaling', 'SimpleScaling'], MaxRecords: 100, NextToken: '1' },
      ],
    });
  });
});
