// Why a group does not launch, in AWS's words (src/aws/scaling-activities.ts): the newest launch
// that failed or was cancelled since one succeeded, from the group's scaling activities, newest first.
import type { Activity } from '@aws-sdk/client-auto-scaling';
import { describe, expect, it } from 'vitest';
import type { Clients } from '../../src/aws/clients.js';
import { oneLine, readLaunchFailure } from '../../src/aws/scaling-activities.js';

const NOW = Date.UTC(2026, 11, 5, 12, 0);
const MIN = 60_000;

/** Auto Scaling that lists these activities; records what each call asked. */
function autoScaling(activities: Activity[]) {
  const asked: Array<Record<string, unknown>> = [];
  const send = (command: { input: Record<string, unknown> }) => {
    asked.push(command.input);
    return Promise.resolve({ Activities: activities });
  };
  return { clients: { autoScaling: { send } } as unknown as Clients, asked };
}

const NO_CAPACITY = 'We currently do not have sufficient m5.large capacity in the Availability Zone you requested (us-east-1a). Our system will be working on provisioning additional capacity. Launching EC2 instance failed.';
const failed = (minutesAgo: number, message = NO_CAPACITY): Activity => ({
  ActivityId: `f${minutesAgo}`,
  AutoScalingGroupName: 'web',
  Cause: 'At … an instance was started in response to a difference between desired and actual capacity.',
  Description: `Launching a new EC2 instance.  Status Reason: ${message}`,
  StartTime: new Date(NOW - minutesAgo * MIN),
  StatusCode: 'Failed',
  StatusMessage: message,
});
const launched = (minutesAgo: number): Activity => ({ ActivityId: `l${minutesAgo}`, AutoScalingGroupName: 'web', Cause: '…', Description: 'Launching a new EC2 instance: i-0a1b2c3d4e5f60718', StartTime: new Date(NOW - minutesAgo * MIN), StatusCode: 'Successful' });
const terminated = (minutesAgo: number): Activity => ({ ActivityId: `t${minutesAgo}`, AutoScalingGroupName: 'web', Cause: '…', Description: 'Terminating EC2 instance: i-0a1b2c3d4e5f60718', StartTime: new Date(NOW - minutesAgo * MIN), StatusCode: 'Successful' });

describe('the group’s last failed launch', () => {
  it.each<{ what: string; activities: Activity[]; expected: { at: number; message: string } | null }>([
    { what: 'failing since its last launch', activities: [failed(1), failed(6), launched(20)], expected: { at: NOW - 1 * MIN, message: NO_CAPACITY.replace(' Launching EC2 instance failed.', '') } },
    // A launch that succeeded since: the failure is over.
    { what: 'a launch succeeded since', activities: [launched(2), failed(6)], expected: null },
    // A termination that succeeded says nothing of launches.
    { what: 'a termination since', activities: [terminated(2), failed(6), launched(30)], expected: { at: NOW - 6 * MIN, message: NO_CAPACITY.replace(' Launching EC2 instance failed.', '') } },
    // Still trying: the one in progress is passed over for the last that failed.
    { what: 'one in progress, one failed before', activities: [{ ...launched(0), StatusCode: 'InProgress' }, failed(5, 'The image id \'[ami-0abc]\' does not exist. Launching EC2 instance failed.')], expected: { at: NOW - 5 * MIN, message: "The image id '[ami-0abc]' does not exist." } },
    { what: 'cancelled', activities: [{ ...failed(3, 'Instance became unhealthy while waiting for instance to be in InService state. Termination Reason: Client.InternalError'), StatusCode: 'Cancelled' }], expected: { at: NOW - 3 * MIN, message: 'Instance became unhealthy while waiting for instance to be in InService state. Termination Reason: Client.InternalError' } },
    // No status message: the description says what there is; neither: the status.
    { what: 'failed, no status message', activities: [{ ...failed(3), StatusMessage: undefined, Description: 'Launching a new EC2 instance.  Status Reason: Quota exceeded.' }], expected: { at: NOW - 3 * MIN, message: 'Launching a new EC2 instance. Status Reason: Quota exceeded.' } },
    { what: 'failed, said nothing', activities: [{ ...failed(3), StatusMessage: '  ', Description: 'Launching a new EC2 instance.' }], expected: { at: NOW - 3 * MIN, message: 'Failed' } },
    { what: 'no start time given', activities: [{ ...failed(3), StartTime: undefined }], expected: { at: NOW, message: NO_CAPACITY.replace(' Launching EC2 instance failed.', '') } },
    { what: 'no activities', activities: [], expected: null },
  ])('$what', async ({ activities, expected }) => {
    expect(await readLaunchFailure(autoScaling(activities).clients, 'web', NOW)).toEqual(expected);
  });

  it('asks for the group’s newest 20, one call', async () => {
    const { clients, asked } = autoScaling([failed(1)]);
    await readLaunchFailure(clients, 'web', NOW);
    expect(asked).toEqual([{ AutoScalingGroupName: 'web', MaxRecords: 20 }]);
  });
});

describe('AWS’s message as one line', () => {
  it.each<{ what: string; message: string; expected: string }>([
    { what: 'the ending every failed launch has, dropped', message: 'Quota exceeded. Launching EC2 instance failed.', expected: 'Quota exceeded.' },
    { what: 'lines and runs of spaces, one space', message: 'Quota\n exceeded.\tTry   again.', expected: 'Quota exceeded. Try again.' },
    { what: '300 characters, whole', message: 'x'.repeat(300), expected: 'x'.repeat(300) },
    { what: '301 characters, cut to 300', message: 'x'.repeat(301), expected: `${'x'.repeat(299)}…` },
  ])('$what', ({ message, expected }) => {
    expect(oneLine(message)).toEqual(expected);
  });
});
