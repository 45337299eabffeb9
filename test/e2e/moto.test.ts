// The collector and the actuator against moto_server, an AWS implementation we did not write: the
// tick in-process with the real SDK clients, moto's groups, instances, target groups and CloudWatch.
import { join } from 'node:path';
import { EnterStandbyCommand, PutScalingPolicyCommand, ResumeProcessesCommand, SetInstanceProtectionCommand, SuspendProcessesCommand, UpdateAutoScalingGroupCommand } from '@aws-sdk/client-auto-scaling';
import { DeregisterTargetsCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { makeClients } from '../../src/aws/clients.js';
import { defaultConfig } from '../../src/config/index.js';
import { FileStateStore } from '../../src/state/file-store.js';
import { tick, type TickReport } from '../../src/tick.js';
import { byHand, createGroup, createWeightedGroup, describeGroup, memberIds, motoInstalled, motoSdkConfig, putCpu, putCredits, startMoto, type Moto } from './moto.js';
import { inProcess } from '../cli/run.js';
import { scratchDir } from '../scratch.js';

let moto: Moto;
beforeAll(async () => {
  if (!motoInstalled()) throw new Error('moto_server is not on the PATH: these tests need it (the machine image has it; pip install "moto[server]" elsewhere)');
  moto = await startMoto();
}, 30_000);
afterAll(async () => moto?.stop());
beforeEach(async () => moto.reset());

const MIN = 60_000;

/**
 * A watchdog on a moto group: each tick at `start + k` minutes (moto's instances were launched
 * "now", so the clock starts 10 minutes later: past warm-up), after `loads` has put that minute's CPU.
 */
function watchdog(group: string, options: { afterMetrics?: () => Promise<void> } = {}) {
  const start = Math.floor(Date.now() / MIN) * MIN + 10 * MIN;
  let minute = 0;
  // Its answers are timed against the wall clock, which is moto's: the tick's runs ahead only to
  // put the instances past warm-up (a host clock off AWS's removes nothing: test/tick/clock.test.ts).
  const clients = makeClients({ region: 'us-east-1', endpoint: moto.url, credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 2 });
  // A person at the console while the tick runs: between its reading the metrics and its acting.
  const afterMetrics = options.afterMetrics;
  if (afterMetrics) {
    clients.cloudWatch.middlewareStack.add(
      (next, context) => async (args) => {
        const out = await next(args);
        if (context.commandName === 'GetMetricDataCommand') await afterMetrics();
        return out;
      },
      { step: 'initialize', name: 'personAtTheConsole' },
    );
  }
  const dir = scratchDir('asgw-moto-');
  const clock = () => start + minute * MIN;
  const store = new FileStateStore({ dir: join(dir, 'state'), lockDir: join(dir, 'locks'), identity: { endpoint: moto.url, region: 'us-east-1', group }, clock });
  return {
    /** Ticks `count` minutes; `load(id)` is each member's CPU that minute, `credits(id)` a burstable one's CPU credits. Returns the reports. */
    async run(count: number, load: (id: string) => number, credits?: (id: string) => { balance: number; surplus: number }): Promise<TickReport[]> {
      const reports: TickReport[] = [];
      for (let k = 0; k < count; k++, minute++) {
        const ids = await memberIds(moto.url, group);
        await putCpu(moto.url, clock(), Object.fromEntries(ids.map((id) => [id, load(id)])));
        if (credits) await putCredits(moto.url, clock(), Object.fromEntries(ids.map((id) => [id, credits(id)])));
        reports.push(await tick({ group, config: defaultConfig, dryRun: false }, { clients, store, clock }));
      }
      return reports;
    },
    close: () => clients.destroy(),
  };
}

/** What each tick did, as `minute kind rule instance`. */
const actions = (reports: TickReport[]) =>
  reports.flatMap((r, k) => (r.executed && r.action ? [`${k} ${r.action.kind} ${r.action.rule}${r.action.kind === 'terminate' ? ` ${r.action.instance}` : ` ${r.action.from}→${r.action.to}`}`] : []));

describe('against moto_server', () => {
  it('a runaway: the emergency +1 at once, terminated 5 minutes later with the +1 taken back', async () => {
    const { ids } = await createGroup(moto.url, { name: 'web', min: 2, max: 6, desired: 3 });
    const w = watchdog('web');
    const reports = await w.run(8, (id) => (id === ids[0] ? 100 : 50));
    w.close();
    expect(actions(reports)).toEqual(['0 set-desired runaway 3→4', `5 terminate runaway ${ids[0]}`]);
    const group = await describeGroup(moto.url, 'web');
    expect({ desired: group.DesiredCapacity, runawayGone: !group.Instances!.some((i) => i.InstanceId === ids[0]) }).toEqual({ desired: 3, runawayGone: true });
  }, 60_000);

  it('detached from its target group (elbv2): terminated after 5 minutes, the group replaces it', async () => {
    const { ids, targetGroupArn } = await createGroup(moto.url, { name: 'web', min: 2, max: 6, desired: 3, targetGroup: true });
    const elbv2 = new ElasticLoadBalancingV2Client(motoSdkConfig(moto.url));
    await elbv2.send(new DeregisterTargetsCommand({ TargetGroupArn: targetGroupArn!, Targets: [{ Id: ids[0]! }] }));
    elbv2.destroy();
    const w = watchdog('web');
    // 10 %: not idle enough to be "dead" (below 4 %); only the balancer's view gives it away. The
    // two that carry run 80 %: without it the fleet would be above the scale-in mark, so it is replaced.
    const reports = await w.run(7, (id) => (id === ids[0] ? 10 : 80));
    w.close();
    expect(reports[0]!.instances.find((i) => i.id === ids[0])!.lb).toBe('out');
    expect(actions(reports)).toEqual([`5 terminate detached ${ids[0]}`]);
    // Deregistered: someone's act, which the reason says (a deploy, docs/operations.md).
    expect(reports[5]!.action!.reason).toBe(`detached: ${ids[0]} out of the load balancer for 5 min, not registered in it`);
    const group = await describeGroup(moto.url, 'web');
    expect({ desired: group.DesiredCapacity, members: group.Instances!.length, detachedGone: !group.Instances!.some((i) => i.InstanceId === ids[0]) }).toEqual({ desired: 3, members: 3, detachedGone: true });
  }, 60_000);

  it('a mass detach (two of three out of their target group): nothing killed, nothing scaled in, the operator told', async () => {
    const { ids, targetGroupArn } = await createGroup(moto.url, { name: 'web', min: 1, max: 6, desired: 3, targetGroup: true });
    const elbv2 = new ElasticLoadBalancingV2Client(motoSdkConfig(moto.url));
    await elbv2.send(new DeregisterTargetsCommand({ TargetGroupArn: targetGroupArn!, Targets: [{ Id: ids[0]! }, { Id: ids[1]! }] }));
    elbv2.destroy();
    const w = watchdog('web');
    // The two out idle at 1 %; the one left carries everything at 40 %: 40 % on two would be 20 %,
    // but a lower count lets the group pick the one that serves.
    const reports = await w.run(16, (id) => (id === ids[2] ? 40 : 1));
    w.close();
    const last = reports.at(-1)!;
    expect({
      actions: actions(reports),
      blocked: last.blocked.map((b) => `${b.rule}:${b.why}`),
      // No mail configured here: the alert is due at every tick, and the same one.
      told: [...new Set(reports.flatMap((r) => r.alerts.map((a) => a.subject)))],
      desired: (await describeGroup(moto.url, 'web')).DesiredCapacity,
    }).toEqual({
      actions: [],
      blocked: ['detached:mass-detach'],
      told: ['web: 2 of 3 serving instances are out of the load balancer; check the application and the balancer'],
      desired: 3,
    });
  }, 60_000);

  it('a group counted in units of weight: watch and instances -i refuse it, exit 2, nothing changed', async () => {
    // Desired 8 units is 4 instances at 2 units each: a count of instances set as desired is another size.
    const { ids } = await createWeightedGroup(moto.url, { name: 'web', min: 2, max: 20, desired: 8 });
    const dir = scratchDir('asgw-moto-cli-');
    const env = { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_REGION: 'us-east-1', AWS_CONFIG_FILE: join(dir, 'none'), AWS_SHARED_CREDENTIALS_FILE: join(dir, 'none'), ASG_WATCHDOG_STATE_DIR: join(dir, 'state'), ASG_WATCHDOG_LOCK_DIR: join(dir, 'locks') };
    const run = (args: string[]) => inProcess([...args, '--endpoint-url', moto.url], env);
    const said = 'web: desired counts units of weight (c5.xlarge weighs 2), not instances';
    const [watch, dry, list, set, kill] = [
      await run(['watch', '-g', 'web']),
      await run(['watch', '-g', 'web', '--dry-run']),
      await run(['instances', '-g', 'web']),
      await run(['instances', '-g', 'web', '-i', '5']),
      await run(['instances', '-g', 'web', '-k', ids[0]!, '--decrement']),
    ];
    const group = await describeGroup(moto.url, 'web');
    expect({
      watch: [watch.code, watch.stderr],
      dry: dry.code,
      list: [list.code, list.stderr],
      set: [set.code, set.stderr],
      kill: kill.code,
      group: { desired: group.DesiredCapacity, members: group.Instances!.length },
    }).toEqual({
      watch: [2, `asg-watchdog: ${said}; the watchdog sizes in instances and leaves this group alone (docs/operations.md)\n`],
      dry: 2,
      list: [0, `warning: ${said}: the watchdog leaves it alone (docs/operations.md)\n`],
      set: [2, `warning: ${said}: the watchdog leaves it alone (docs/operations.md)\nasg-watchdog: ${said}: -i and --decrement set counts of instances; set desired in the console or with the AWS CLI; nothing done\n`],
      kill: 2,
      group: { desired: 8, members: 4 },
    });
  }, 60_000);

  it('the group’s Launch suspended: the runaway’s +1 and kill wait, the operator is told, and they go once it is resumed', async () => {
    const { ids } = await createGroup(moto.url, { name: 'web', min: 2, max: 6, desired: 3 });
    await byHand(moto.url, (as) => as.send(new SuspendProcessesCommand({ AutoScalingGroupName: 'web', ScalingProcesses: ['Launch', 'AlarmNotification'] })));
    const w = watchdog('web');
    const runaway = (id: string) => (id === ids[0] ? 100 : 50);
    const suspended = await w.run(7, runaway);
    await byHand(moto.url, (as) => as.send(new ResumeProcessesCommand({ AutoScalingGroupName: 'web', ScalingProcesses: ['Launch'] })));
    const resumed = await w.run(1, runaway);
    w.close();
    const why = 'Launch suspended (a scale-out would launch nothing, a kill would not be replaced)';
    expect({
      held: [...new Set(suspended.map((r) => `${r.action?.rule} ${r.action?.kind}: ${r.heldBack}`))],
      warned: suspended.every((r) => r.warnings.includes(`web: ${why}; the watchdog holds those actions until resumed`)),
      told: suspended[0]!.alerts.map((a) => a.subject),
      // Held for 7 minutes, the runaway is killed at once; the +1 was never made, so the group replaces it.
      resumed: actions(resumed),
    }).toEqual({
      held: [`runaway set-desired: ${why}: the watchdog acts again once it is resumed`, `runaway terminate: ${why}: the watchdog acts again once it is resumed`],
      warned: true,
      told: [`web: did not runaway: ${ids[0]} CPU 100.0 % vs 50.0 % of its working peers, first seen now; emergency +1: ${why}: the watchdog acts again once it is resumed`],
      resumed: [`0 terminate runaway ${ids[0]}`],
    });
  }, 60_000);

  it('Launch suspended by a person while the tick runs: the +1 it decided again waits', async () => {
    const { ids } = await createGroup(moto.url, { name: 'web', min: 2, max: 6, desired: 3 });
    let suspended = false;
    const w = watchdog('web', {
      afterMetrics: async () => {
        if (suspended) return;
        suspended = true;
        await byHand(moto.url, (as) => as.send(new SuspendProcessesCommand({ AutoScalingGroupName: 'web', ScalingProcesses: ['Launch'] })));
      },
    });
    const [first] = await w.run(1, (id) => (id === ids[0] ? 100 : 50));
    w.close();
    const why = 'Launch suspended (a scale-out would launch nothing, a kill would not be replaced)';
    expect({ action: `${first!.action?.rule} ${first!.action?.kind}`, executed: first!.executed, heldBack: first!.heldBack, desired: (await describeGroup(moto.url, 'web')).DesiredCapacity }).toEqual({
      action: 'runaway set-desired',
      executed: false,
      heldBack: `${why}: the watchdog acts again once it is resumed`,
      desired: 3,
    });
  }, 60_000);

  it('a quiet night: the N−1 rule removes the surplus in one step, down to min, and kills nothing', async () => {
    await createGroup(moto.url, { name: 'web', min: 2, max: 6, desired: 4 });
    const w = watchdog('web');
    // 17 minutes: a scale-in waits for 20 of fleet load (the first ticks read only what moto has).
    const reports = await w.run(17, () => 8);
    w.close();
    // 4 × 8 = 32 % would run 1 at 32 %, but min is 2.
    expect(actions(reports)).toEqual(['15 set-desired n-minus-1 4→2']);
    expect((await describeGroup(moto.url, 'web')).DesiredCapacity).toBe(2);
  }, 60_000);

  // The group's own target-tracking policy would undo a scale-in a few minutes later (its target
  // is 50 %): the band rules stand aside, and say so. A step policy with no alarm to set it off
  // (moto lists none) never acts: the band rules do.
  it.each([
    {
      what: 'a target-tracking policy of its own: no scale-in, the operator told',
      policy: { PolicyName: 'cpu50', PolicyType: 'TargetTrackingScaling', TargetTrackingConfiguration: { PredefinedMetricSpecification: { PredefinedMetricType: 'ASGAverageCPUUtilization' as const }, TargetValue: 50 } },
      expected: { actions: [], alerts: ['own-policies'], aside: true, warnings: [] },
    },
    {
      what: 'a step policy no alarm sets off: the surplus goes',
      policy: { PolicyName: 'leftover', PolicyType: 'StepScaling', AdjustmentType: 'ChangeInCapacity', StepAdjustments: [{ MetricIntervalLowerBound: 0, ScalingAdjustment: 1 }] },
      expected: { actions: ['15 set-desired n-minus-1 4→2'], alerts: [], aside: false, warnings: [] },
    },
  ])('a quiet night beside $what', async ({ policy, expected }) => {
    await createGroup(moto.url, { name: 'web', min: 2, max: 6, desired: 4 });
    await byHand(moto.url, (a) => a.send(new PutScalingPolicyCommand({ AutoScalingGroupName: 'web', ...policy })));
    const w = watchdog('web');
    const reports = await w.run(17, () => 8);
    w.close();
    expect({
      actions: actions(reports),
      alerts: [...new Set(reports.flatMap((r) => r.alerts.map((a) => a.key)))],
      aside: reports[5]!.band.line.endsWith("; the band rules stand aside: the group's own scaling policy cpu50 (target tracking) sets desired"),
      warnings: reports.flatMap((r) => r.warnings),
    }).toEqual(expected);
  }, 60_000);

  // Without cross-zone balancing (a network load balancer's default) the traffic is split evenly
  // between the group's two zones: four instances at 45 % (180 %) on three would leave one zone's
  // lone instance a half, 90 %. With it (the target group's own setting), 60 % each: one goes.
  it.each([
    { what: 'as its network load balancer says, no cross-zone balancing', crossZone: undefined, expected: { actions: [], line: 'below the band, held by the N−1 rule: fleet load 180 % (p75 of the last 5 min) on 4 = 45.0 % < 70.0 %, but with one fewer 90.0 % in the smallest of 2 zones ≥ 75.0 %' } },
    { what: 'its target group balancing across zones', crossZone: 'true' as const, expected: { actions: ['15 set-desired n-minus-1 4→3'], line: 'below the band: fleet load 180 % (p75 of the last 5 min) on 4 = 45.0 % < 70.0 %, with one fewer 60.0 % < 75.0 %' } },
  ])('two zones behind a network load balancer, $what', async ({ crossZone, expected }) => {
    await createGroup(moto.url, { name: 'web', min: 2, max: 6, desired: 4, targetGroup: true, zones: ['us-east-1a', 'us-east-1b'], balancer: 'network', ...(crossZone && { crossZone }) });
    const w = watchdog('web');
    const reports = await w.run(16, () => 45);
    w.close();
    expect({ actions: actions(reports), line: reports[0]!.band.line }).toEqual(expected);
  }, 60_000);

  // A t3.small out of CPU credits in standard mode is capped at its 20 % baseline: its CPU reads
  // 20 % whatever its load. Read as a load, 4 × 20 % on one is 80 %: the N−1 rule would go 4 → 2.
  it.each([
    { what: 'one of four t3 instances out of CPU credits: no scale-in, and the operator told why', balance: 0, expected: { actions: [], why: 'out-of-credits', alerts: ['unmeasured'] } },
    { what: 'the same fleet with credits: the surplus goes in one step', balance: 40, expected: { actions: ['15 set-desired n-minus-1 4→2'], why: null, alerts: [] } },
  ])('$what', async ({ balance, expected }) => {
    const { ids } = await createGroup(moto.url, { name: 'web', min: 2, max: 6, desired: 4, instanceType: 't3.small' });
    const w = watchdog('web');
    const reports = await w.run(16, () => 20, (id) => ({ balance: id === ids[0] ? balance : 40, surplus: 0 }));
    w.close();
    expect({
      actions: actions(reports),
      why: reports[5]!.instances.find((i) => i.id === ids[0])!.why,
      alerts: [...new Set(reports.flatMap((r) => r.alerts.map((a) => a.key)))],
    }).toEqual(expected);
  }, 60_000);

  // Deciding again on a group a person moved during the tick must not forget the CPU credits it
  // read: the kill of an instance its balancer dropped takes desired down only where the N−1 rule
  // allows, and the capped instance's 20 % is no load (read as one, 20 + 30 + 30 % on 2 is 40 %).
  it('a person raises max while the tick kills a detached instance beside a capped t3: the group still replaces it', async () => {
    const { ids, targetGroupArn } = await createGroup(moto.url, { name: 'web', min: 2, max: 6, desired: 4, targetGroup: true, instanceType: 't3.small' });
    const elbv2 = new ElasticLoadBalancingV2Client(motoSdkConfig(moto.url));
    await elbv2.send(new DeregisterTargetsCommand({ TargetGroupArn: targetGroupArn!, Targets: [{ Id: ids[0]! }] }));
    elbv2.destroy();
    let armed = false;
    const w = watchdog('web', {
      afterMetrics: async () => {
        if (!armed) return;
        armed = false;
        await byHand(moto.url, (as) => as.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: 'web', MaxSize: 7 })));
      },
    });
    const load = (id: string) => (id === ids[0] ? 10 : id === ids[1] ? 20 : 30);
    const credits = (id: string) => ({ balance: id === ids[1] ? 0 : 40, surplus: 0 });
    const before = await w.run(5, load, credits);
    armed = true;
    const [kill] = await w.run(1, load, credits);
    w.close();
    expect({ before: actions(before), kill: `${kill!.action?.rule} ${kill!.action?.instance} decrement ${kill!.action?.decrement}`, executed: kill!.executed, desired: (await describeGroup(moto.url, 'web')).DesiredCapacity }).toEqual({
      before: [],
      kill: `detached ${ids[0]} decrement false`,
      executed: true,
      desired: 4,
    });
  }, 60_000);

  it('a runaway in Standby is not serving: it is neither counted nor killed', async () => {
    const { ids } = await createGroup(moto.url, { name: 'web', min: 2, max: 6, desired: 3 });
    await byHand(moto.url, (as) => as.send(new EnterStandbyCommand({ AutoScalingGroupName: 'web', InstanceIds: [ids[0]!], ShouldDecrementDesiredCapacity: true })));
    const w = watchdog('web');
    const reports = await w.run(7, (id) => (id === ids[0] ? 100 : 50));
    w.close();
    expect({ actions: actions(reports), n: reports[0]!.figures.n, standby: reports[0]!.instances.find((i) => i.id === ids[0])!.lifecycle }).toEqual({ actions: [], n: 2, standby: 'Standby' });
  }, 60_000);

  it('a protected runaway: the +1, then the kill is held and the operator told why', async () => {
    const { ids } = await createGroup(moto.url, { name: 'web', min: 2, max: 6, desired: 3 });
    await byHand(moto.url, (as) => as.send(new SetInstanceProtectionCommand({ AutoScalingGroupName: 'web', InstanceIds: [ids[0]!], ProtectedFromScaleIn: true })));
    const w = watchdog('web');
    const reports = await w.run(7, (id) => (id === ids[0] ? 100 : 50));
    w.close();
    expect(actions(reports)).toEqual(['0 set-desired runaway 3→4']);
    expect(reports[5]!.blocked).toContainEqual({ rule: 'runaway', why: 'not-killable', detail: `${ids[0]} is protected from scale-in` });
    expect(reports[5]!.alerts.map((a) => a.subject)).toContainEqual(expect.stringMatching(new RegExp(`^web: not terminating ${ids[0]}, it is protected from scale-in`)));
    expect((await describeGroup(moto.url, 'web')).Instances!.some((i) => i.InstanceId === ids[0])).toBe(true);
  }, 60_000);
});
