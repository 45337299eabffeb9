import { minutesSince, MINUTE, type AlertDraft, type Rule } from '../context.js';
import { isPending } from '../figures.js';
import { launchFailureWords, LONGEST_LAUNCH_MINUTES, notLaunchingLong } from '../launches.js';

const WHY = "its scaling activities say why (the console's Activity tab, or aws autoscaling describe-scaling-activities)";

/**
 * Told, not acted on: instances desired that do not come. Every rule counts what desired orders
 * as capacity on its way, so without this nothing would say that a fleet waits for them (the
 * scale-out it needs, the replacement of a kill); more desired would launch no more.
 * - Fewer launched than desired for NOT_LAUNCHING_MINUTES, Launch not suspended: the group does
 *   not launch. The N−1 rule waits meanwhile (the group is not settled).
 * - An instance Pending LONGEST_LAUNCH_MINUTES after its launch: a launch that does not finish (a
 *   launch lifecycle hook that nothing completes waits an hour by default, then starts again).
 */
export const notLaunchingRule: Rule = (ctx) => {
  const { signals, conditions, now, snapshot, figures } = ctx;
  const alerts: AlertDraft[] = [];
  if (signals.notLaunching && notLaunchingLong(conditions, now)) {
    const { desired, launched } = figures;
    const failure = snapshot.group.launchFailure;
    const why = failure === undefined ? WHY : launchFailureWords(failure, now);
    const subject = `${snapshot.group.name}: not launching: desired ${desired}, ${launched} launched for ${minutesSince(conditions['not-launching'], now)} min; ${why}; no scale-in until it launches`;
    alerts.push({ key: 'not-launching', rule: 'high-band', subject });
  }
  const stuck = snapshot.instances.filter((i) => isPending(i) && now - i.launchTime >= LONGEST_LAUNCH_MINUTES * MINUTE);
  if (stuck.length > 0) {
    const which = stuck.map((i) => `${i.id} ${i.lifecycle} for ${minutesSince(i.launchTime, now)} min`).join(', ');
    const subject = `${snapshot.group.name}: ${stuck.length === 1 ? 'a launch' : `${stuck.length} launches`} not finished in ${LONGEST_LAUNCH_MINUTES} min: ${which} (a launch lifecycle hook that nothing completes?); ${WHY}`;
    alerts.push({ key: 'launch-not-finished', rule: 'high-band', subject });
  }
  return alerts.length === 0 ? null : { alerts };
};
