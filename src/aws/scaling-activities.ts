// Why a group does not launch, in AWS's own words: its scaling activities record each launch it
// tried, and a failed one says why (no capacity of the type in a zone, a launch template or image
// gone, a quota, a subnet out of addresses). Read by the collector only once the group has not
// launched for NOT_LAUNCHING_MINUTES (engine, notLaunchingLong), for the not-launching alert.
import { DescribeScalingActivitiesCommand, type Activity } from '@aws-sdk/client-auto-scaling';
import type { LaunchFailure } from '../engine/index.js';
import type { Clients } from './clients.js';
import { describeAwsError } from './errors.js';
import { LAUNCH_FAILURE_CHARS, SCALING_ACTIVITIES_READ } from '../config/defaults.js';

/** What every failed launch's message ends with, and says nothing the alert does not. */
const FAILED_SUFFIX = /\s*Launching EC2 instance failed\.?\s*$/;

/** An activity of a launch: AWS describes each as "Launching a new EC2 instance…". */
const isLaunch = (a: Activity) => a.Description?.startsWith('Launching') ?? false;

/**
 * The group's newest launch that failed or was cancelled since its last successful one, or null
 * (none among the newest SCALING_ACTIVITIES_READ, or one succeeded since). Throws where the read fails.
 */
export async function readLaunchFailure(clients: Clients, group: string, now: number, signal?: AbortSignal): Promise<LaunchFailure | null> {
  const page = await clients.autoScaling.send(new DescribeScalingActivitiesCommand({ AutoScalingGroupName: group, MaxRecords: SCALING_ACTIVITIES_READ }), { abortSignal: signal });
  for (const activity of (page.Activities ?? []).filter(isLaunch)) {
    if (activity.StatusCode === 'Successful') return null;
    if (activity.StatusCode !== 'Failed' && activity.StatusCode !== 'Cancelled') continue;
    const message = oneLine(activity.StatusMessage ?? activity.Description ?? '');
    return { at: activity.StartTime?.getTime() ?? now, message: message === '' ? activity.StatusCode : message };
  }
  return null;
}

/** readLaunchFailure, or null where the read fails, with a warning saying why (the alert then says where to look). */
export function whyNotLaunching(clients: Clients, group: string, now: number, warnings: string[], signal?: AbortSignal): Promise<LaunchFailure | null> {
  return readLaunchFailure(clients, group, now, signal).catch((error: unknown) => {
    warnings.push(`why the group does not launch unknown: ${describeAwsError(error, 'DescribeScalingActivities', clients)}`);
    return null;
  });
}

/** AWS's message as one line of at most LAUNCH_FAILURE_CHARS, without the ending every failed launch has. */
export function oneLine(message: string): string {
  const line = message.replace(FAILED_SUFFIX, '').replace(/\s+/g, ' ').trim();
  return line.length <= LAUNCH_FAILURE_CHARS ? line : `${line.slice(0, LAUNCH_FAILURE_CHARS - 1)}…`;
}
