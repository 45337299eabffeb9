// A group that does not launch (a launch template gone, no capacity of the type, a quota): the
// tick in-process against local-aws, whose scenario's `launch-failure` fault launches nothing for
// a while. The watchdog's scale-out is carried out and counted as on its way, as ever; ten minutes
// later the alert says the group is not launching, and once it launches again nothing more is said.
import { afterEach, describe, expect, it } from 'vitest';
import { fleetScenario } from '../e2e/local.js';
import { heldLine } from '../../src/engine/index.js';
import { inProcess, type InProcess } from './harness.js';

let h: InProcess | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

/** AWS's words for a launch without capacity, as local-aws gives them (less the ending every failed launch has). */
const NO_CAPACITY = 'We currently do not have sufficient c5.large capacity in the Availability Zone you requested (us-east-1a). Our system will be working on provisioning additional capacity.';

// Four instances at 95 % (3.8 units), launches failing from minute 30 to 60.
const failing = fleetScenario(4, {
  demand: [[0, 3.8]],
  group: { name: 'web', min: 1, max: 12, desired: 4, launchMinutes: 3, loadBalancer: 'target-group' },
  faults: [{ kind: 'launch-failure', atMinute: 30, minutes: 30 }],
});

describe('a group that does not launch', () => {
  it('is told of after 10 minutes short of desired, and no more once it launches', async () => {
    h = await inProcess(failing, { advanceTo: 40 });
    const ticks: Array<{ minute: number; action: string | null; alerts: string[]; held: string[]; launched: number }> = [];
    for (let minute = 40; minute <= 65; minute++) {
      const report = (await h.tick()).report!;
      ticks.push({
        minute,
        action: report.action === null ? null : `${report.action.from} → ${report.action.to} (${report.action.rule})`,
        // Without mail each tick reports it; with mail, one goes each 30 minutes (alertDedupSeconds).
        alerts: report.alerts.map((a) => a.subject),
        held: report.held.map(heldLine),
        launched: h.server.world.groups.get('web')!.live.length,
      });
      h.server.world.advance(1);
    }
    const told = ticks.filter((t) => t.alerts.some((a) => a.includes('not launching')));
    expect({
      acted: ticks.filter((t) => t.action !== null).map((t) => `${t.minute}: ${t.action}`),
      told: `${told[0]!.minute}: ${told[0]!.alerts.find((a) => a.includes('not launching'))}`,
      toldMinutes: told.map((t) => t.minute),
      heldAt45: ticks.find((t) => t.minute === 45)!.held,
      launchedAtEnd: ticks.at(-1)!.launched,
      askedWhy: h.server.callCounts()['DescribeScalingActivities'] ?? 0,
    }).toEqual({
      // 95 % on four is 4.47 instances at 85 %: five.
      acted: ['40: 4 → 5 (high-band)'],
      // Short of desired from the tick after the step, minute 41; AWS's reason from its scaling
      // activities (local-aws fails a launch each minute, with AWS's message for no capacity).
      told: `51: web: not launching: desired 5, 4 launched for 10 min; AWS's last failed launch, 0 min ago: "${NO_CAPACITY}"; no scale-in until it launches`,
      // Until the group launches again, at minute 60.
      toldMinutes: [51, 52, 53, 54, 55, 56, 57, 58, 59],
      // Held meanwhile, as `watch` and `status` show it.
      heldAt45: ['not-launching, held 4 of 10 min: alert in 6 min'],
      // Asked at each tick that found it 10 minutes short at the last one: 51 to 60 (launched again
      // by then), never for the step's own launch.
      askedWhy: 10,
      // Launching again from minute 60: the fifth is there.
      launchedAtEnd: 5,
    });
  });

  // The policy of an earlier version, without autoscaling:DescribeScalingActivities: the alert says
  // where to look, as before, and the warning what could not be read and how to mend it.
  it('is told of where AWS refuses its scaling activities', async () => {
    h = await inProcess(failing, { advanceTo: 40, failures: [{ operation: 'DescribeScalingActivities', rate: 1, kind: 'denied' }] });
    const reports = [];
    for (let minute = 40; minute <= 51; minute++) {
      reports.push((await h.tick()).report!);
      h.server.world.advance(1);
    }
    const last = reports.at(-1)!;
    expect({ alerts: last.alerts.map((a) => a.subject), warnings: last.warnings.map((w) => w.replace(h!.url, 'URL').replace(/ after \d attempts/, '')), warnedBefore: reports.slice(0, -1).some((r) => r.warnings.length > 0) }).toEqual({
      alerts: ["web: not launching: desired 5, 4 launched for 10 min; its scaling activities say why (the console's Activity tab, or aws autoscaling describe-scaling-activities); no scale-in until it launches"],
      warnings: [
        // (Tried again by the SDK, as a clock skew: local-aws's clock was moved ahead.)
        'why the group does not launch unknown: DescribeScalingActivities failed at URL: AccessDenied: User: arn:aws:iam::123456789012:user/watchdog is not authorized to perform: autoscaling:DescribeScalingActivities because no identity-based policy allows the autoscaling:DescribeScalingActivities action; asg-watchdog iam-policy -g GROUP prints the policy the watchdog needs (docs/operations.md)',
      ],
      warnedBefore: false,
    });
  });

  // Launched, but Pending for 35 minutes (a launch lifecycle hook, slow): said once it is 30 minutes
  // on its way, until it serves.
  it('a launch not finished in 30 minutes is told of, until it finishes', async () => {
    h = await inProcess(fleetScenario(4, { demand: [[0, 3.8]], group: { name: 'web', min: 1, max: 12, desired: 4, launchMinutes: 35, loadBalancer: 'target-group' } }), { advanceTo: 40 });
    const told: number[] = [];
    let subject = '';
    const ordered: string[] = [];
    for (let minute = 40; minute <= 80; minute++) {
      const report = (await h.tick()).report!;
      if (minute === 40) ordered.push(...h.server.world.groups.get('web')!.live.filter((i) => i.lifecycle === 'Pending').map((i) => i.id));
      const said = report.alerts.find((a) => a.key === 'launch-not-finished');
      if (said) {
        told.push(minute);
        subject ||= said.subject;
      }
      h.server.world.advance(1);
    }
    expect({ ordered: ordered.length, told, subject }).toEqual({
      ordered: 1,
      // Ordered at minute 40, InService at 75.
      told: [70, 71, 72, 73, 74],
      subject: `web: a launch not finished in 30 min: ${ordered[0]} Pending for 30 min (a launch lifecycle hook that nothing completes?); its scaling activities say why (the console's Activity tab, or aws autoscaling describe-scaling-activities)`,
    });
  });

  // The operator's maintenance, which the tick's warning tells: nothing more to mail. local-aws
  // has no SuspendProcesses; the group's description says Launch is suspended (as AWS would) and
  // the fault stands for what that does, launching nothing. Desired raised by hand to 5.
  it('is not told of while Launch is suspended', async () => {
    h = await inProcess(failing, { advanceTo: 40 });
    h.clients.autoScaling.middlewareStack.add(
      (next, context) => async (args) => {
        const out = await next(args);
        if (context.commandName === 'DescribeAutoScalingGroupsCommand') {
          for (const g of (out.output as { AutoScalingGroups?: Array<{ SuspendedProcesses?: unknown[] }> }).AutoScalingGroups ?? []) g.SuspendedProcesses = [{ ProcessName: 'Launch' }];
        }
        return out;
      },
      { step: 'initialize', name: 'launchSuspended' },
    );
    h.server.world.groups.get('web')!.setDesired(5);
    const reports = [];
    for (let minute = 40; minute <= 55; minute++) {
      const t = await h.tick();
      if (t.error) throw t.error;
      reports.push(t.report!);
      h.server.world.advance(1);
    }
    expect({
      warned: reports.every((r) => r.warnings.includes('web: Launch suspended (a scale-out would launch nothing, a kill would not be replaced); the watchdog holds those actions until resumed')),
      alerts: [...new Set(reports.flatMap((r) => r.alerts.map((a) => a.subject)))],
      launched: h.server.world.groups.get('web')!.live.length,
    }).toEqual({ warned: true, alerts: [], launched: 4 });
  });
});
