// The group's own scaling policies that set its desired count: two controllers on one count
// fight, each undoing the other, so while one is there the band rules stand aside (engine,
// GroupView.scalingPolicies). Read by the collector every few minutes, kept in the state.
import { DescribePoliciesCommand } from '@aws-sdk/client-auto-scaling';
import type { ScalingPolicyView } from '../engine/index.js';
import { MAX_PAGES } from '../config/defaults.js';
import type { Clients } from './clients.js';
import { tooManyPages } from './errors.js';

/** The kinds that move desired on a metric. Predictive scaling raises capacity for the hour ahead of a forecast and never scales in; scheduled actions are one-off. */
const DYNAMIC = ['TargetTrackingScaling', 'StepScaling', 'SimpleScaling'];

/**
 * The group's enabled policies that can move its desired count: target tracking (its alarms are
 * its own), and step or simple scaling with an alarm to set them off (one without is a leftover
 * that never acts). Throws where a read fails.
 */
export async function readScalingPolicies(clients: Clients, group: string, signal?: AbortSignal): Promise<ScalingPolicyView[]> {
  const policies: ScalingPolicyView[] = [];
  let nextToken: string | undefined;
  let pages = 0;
  do {
    if (++pages > MAX_PAGES) throw tooManyPages('DescribePolicies');
    const page = await clients.autoScaling.send(
      new DescribePoliciesCommand({ AutoScalingGroupName: group, PolicyTypes: DYNAMIC, MaxRecords: 100, ...(nextToken !== undefined && { NextToken: nextToken }) }),
      { abortSignal: signal },
    );
    for (const p of page.ScalingPolicies ?? []) {
      const type = p.PolicyType ?? 'SimpleScaling';
      if (p.Enabled === false || !DYNAMIC.includes(type)) continue;
      if (type !== 'TargetTrackingScaling' && (p.Alarms ?? []).length === 0) continue;
      policies.push({ name: p.PolicyName ?? '?', type: type as ScalingPolicyView['type'] });
    }
    nextToken = page.NextToken;
  } while (nextToken);
  return policies;
}
