import { minutesSince, type Rule } from '../context.js';
import { heldMinutes } from '../conditions.js';
import { NOT_LAUNCHING_MINUTES } from '../launches.js';

/**
 * Told, not acted on: the group has launched fewer instances than desired for
 * NOT_LAUNCHING_MINUTES, with Launch not suspended. Every rule counts what desired orders as
 * capacity on its way, so without this nothing would say that a fleet waits for instances that
 * never come (the scale-out it needs, the replacement of a kill). More desired would launch no
 * more: one alert, and the N−1 rule waits meanwhile (the group is not settled).
 */
export const notLaunchingRule: Rule = (ctx) => {
  const { signals, conditions, now, snapshot } = ctx;
  if (signals.notLaunching === null || !heldMinutes(conditions, 'not-launching', now, NOT_LAUNCHING_MINUTES)) return null;
  const { desired, launched } = signals.notLaunching;
  const subject = `${snapshot.group.name}: not launching: desired ${desired}, ${launched} launched for ${minutesSince(conditions['not-launching'], now)} min; its scaling activities say why (the console's Activity tab, or aws autoscaling describe-scaling-activities); no scale-in until it launches`;
  return { alerts: [{ key: 'not-launching', rule: 'high-band', subject }] };
};
