import type { Clients } from './aws/clients.js';
import { collect, readInstanceDetails, type InstanceDetails } from './aws/collect.js';
import { awsFailure } from './aws/errors.js';
import { whyNotLaunching } from './aws/scaling-activities.js';
import { computeFigures, CREDITS_EXHAUSTED, launchFailureWords, metricWindow, ONE_MINUTE_CPU, lacksOneMinuteCpu, warmupFor } from './engine/index.js';
import type { Config, Snapshot } from './engine/index.js';
import { fleetView, type FleetView } from './render/fleet.js';

/**
 * The fleet as the watchdog sees it, with EC2's details: what `instances` shows and an alert mail
 * attaches. EC2 first (it also gives the launch times), then the same collector as a tick.
 */
export async function inspectFleet(clients: Clients, group: string, config: Config, now: number): Promise<{ view: FleetView; snapshot: Snapshot; warnings: string[]; capacityUnits: string | null }> {
  let details: Map<string, InstanceDetails>;
  try {
    details = await readInstanceDetails(clients, group);
  } catch (error) {
    throw awsFailure(error, 'DescribeInstances', clients);
  }
  const launchTimes: Record<string, number> = {};
  for (const [id, d] of details) if (d.launchTime !== null) launchTimes[id] = d.launchTime;
  const window = { ...metricWindow(now, config, 60), periodSeconds: 60 };
  const { snapshot, warnings, capacityUnits } = await collect(clients, { group, window, launchTimes, now, creditsExhausted: CREDITS_EXHAUSTED, sizes: false });
  const figures = computeFigures(snapshot, now, { ...config, warmupSeconds: warmupFor(config, snapshot) });
  const short = snapshot.metricsOk ? figures.instances.filter((i) => lacksOneMinuteCpu(i.unmeasured)).length : 0;
  if (short > 0) warnings.push(`${short} in service with no CPU datapoints in the last ${config.windowMinutes} minutes, too few or stale: ${ONE_MINUTE_CPU} (docs/operations.md)`);
  // Fewer launched than desired (the line says how many): AWS's reason, where it has one.
  if (figures.launched < figures.desired && snapshot.group.launchSuspended !== true) {
    const failure = await whyNotLaunching(clients, group, now, warnings);
    if (failure !== null) warnings.push(`${group}: ${figures.desired - figures.launched} desired not launched; ${launchFailureWords(failure, now)}`);
  }
  return { view: fleetView(snapshot, figures, details, now), snapshot, warnings, capacityUnits };
}
