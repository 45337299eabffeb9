import { SetDesiredCapacityCommand, TerminateInstanceInAutoScalingGroupCommand } from '@aws-sdk/client-auto-scaling';
import type { Action } from '../engine/index.js';
import type { Clients } from './clients.js';
import { awsCodeOf, describeAwsError, TRANSIENT_CODES, type AwsWhere } from './errors.js';

/**
 * `done`: AWS accepted the call. `refused`: AWS answered no at the first attempt, so nothing changed.
 * `unknown`: no answer (a timeout, a dropped connection, the tick's deadline) or an answer after
 * retries, one of which may have gone through; the intent stays and the next tick reconciles it.
 */
export type ActOutcome =
  | { kind: 'done' }
  | { kind: 'refused'; code: string; message: string; transient: boolean }
  | { kind: 'unknown'; code: string; message: string };

/**
 * Carries out the engine's action with one call. A refusal (a scaling activity in progress,
 * contention, throttling after the SDK's own retries, or AWS's validation: the instance left the
 * group, desired out of bounds) is returned, not thrown: the tick reports and records it, and a
 * later tick decides afresh. Nothing here loops, and nothing here throws.
 */
export async function act(clients: Clients, groupName: string, action: Action, signal?: AbortSignal): Promise<ActOutcome> {
  const where: AwsWhere = clients;
  const operation = action.kind === 'set-desired' ? 'SetDesiredCapacity' : 'TerminateInstanceInAutoScalingGroup';
  try {
    if (action.kind === 'set-desired') await setDesiredCapacity(clients, groupName, action.to, signal);
    else await terminateInstance(clients, action.instance, action.decrement, signal);
    return { kind: 'done' };
  } catch (error) {
    const code = awsCodeOf(error);
    const message = describeAwsError(error, operation, where);
    const meta = (error as { $metadata?: { httpStatusCode?: number; attempts?: number } }).$metadata;
    const status = meta?.httpStatusCode;
    const certain = status !== undefined && status >= 400 && status < 500 && (meta?.attempts ?? 1) <= 1;
    return certain ? { kind: 'refused', code, message, transient: TRANSIENT_CODES.has(code) } : { kind: 'unknown', code, message };
  }
}

/** SetDesiredCapacity, ignoring the group's own cooldown: the watchdog keeps its own. */
export async function setDesiredCapacity(clients: Clients, groupName: string, desired: number, signal?: AbortSignal): Promise<void> {
  await clients.autoScaling.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: groupName, DesiredCapacity: desired, HonorCooldown: false }), { abortSignal: signal });
}

/** TerminateInstanceInAutoScalingGroup: without decrement the group launches a replacement. */
export async function terminateInstance(clients: Clients, instanceId: string, decrement: boolean, signal?: AbortSignal): Promise<void> {
  await clients.autoScaling.send(new TerminateInstanceInAutoScalingGroupCommand({ InstanceId: instanceId, ShouldDecrementDesiredCapacity: decrement }), { abortSignal: signal });
}
