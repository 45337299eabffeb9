import { SetDesiredCapacityCommand, TerminateInstanceInAutoScalingGroupCommand } from '@aws-sdk/client-auto-scaling';
import type { Action } from '../engine/index.js';
import type { Clients } from './clients.js';
import { awsCodeOf, describeAwsError, TRANSIENT_CODES } from './errors.js';

export type ActOutcome = { executed: true } | { executed: false; code: string; message: string; transient: boolean };

/**
 * Carries out the engine's action with one call. A refusal (a scaling activity in progress,
 * contention, throttling after the SDK's own retries, or AWS's validation: the instance left the
 * group, desired out of bounds) is returned, not thrown: the tick reports and records it, and a
 * later tick decides afresh. Nothing here loops.
 */
export async function act(clients: Clients, groupName: string, action: Action): Promise<ActOutcome> {
  const where = { region: clients.region, ...(clients.endpoint !== undefined && { endpoint: clients.endpoint }) };
  const operation = action.kind === 'set-desired' ? 'SetDesiredCapacity' : 'TerminateInstanceInAutoScalingGroup';
  try {
    if (action.kind === 'set-desired') await setDesiredCapacity(clients, groupName, action.to);
    else await terminateInstance(clients, action.instance, action.decrement);
    return { executed: true };
  } catch (error) {
    const code = awsCodeOf(error);
    return { executed: false, code, message: describeAwsError(error, operation, where), transient: TRANSIENT_CODES.has(code) };
  }
}

/** SetDesiredCapacity, ignoring the group's own cooldown: the watchdog keeps its own. */
export async function setDesiredCapacity(clients: Clients, groupName: string, desired: number): Promise<void> {
  await clients.autoScaling.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: groupName, DesiredCapacity: desired, HonorCooldown: false }));
}

/** TerminateInstanceInAutoScalingGroup: without decrement the group launches a replacement. */
export async function terminateInstance(clients: Clients, instanceId: string, decrement: boolean): Promise<void> {
  await clients.autoScaling.send(new TerminateInstanceInAutoScalingGroupCommand({ InstanceId: instanceId, ShouldDecrementDesiredCapacity: decrement }));
}
