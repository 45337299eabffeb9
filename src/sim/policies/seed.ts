import { trimmedMean } from '../../engine/index.js';
import type { Fleet } from '../fleet.js';
import { newestVisiblePeriod } from './metrics.js';
import { setDesired, type Policy, type SimAction } from './policy.js';

// The published Menéame watchdog (ec2_watch.py / ec2_watchdata.py, boto3 port), as its defaults
// and control flow have it. Two liberties, so that it is judged on its rules and not on accidents:
// its 3-minute metric window is shifted by CloudWatch's delay (it read the last 3 minutes, which
// today hold one datapoint at most, and its kills need two), and its kill counter is kept
// between runs like its other counters (the code rebuilt it at 0 on every run).
const LOW = 70;
const HIGH = 90;
const URGENT = 95;
const LOW_COUNTER = 5;
const HIGH_COUNTER = 3;
const KILL_COUNTER = 15;
const LONG_PERIOD = 18; // minutes (1080 s)
const SHORT_PERIOD = 10; // 600 s
const EMERGENCY_PERIOD = 2; // 120 s
const WINDOW = 3;

export class SeedPolicy implements Policy {
  readonly name = 'seed' as const;
  private lowCounter = 0;
  private highCounter = 0;
  private killCounter = 0;
  private actionAt = Number.NEGATIVE_INFINITY;
  private upAt = Number.NEGATIVE_INFINITY;
  private downAt = Number.NEGATIVE_INFINITY;
  private changedAt = Number.NEGATIVE_INFINITY;
  private previous: { instances: number; desired: number } | null = null;

  tick(fleet: Fleet): SimAction[] {
    const now = fleet.minute;
    const serving = fleet.inService;
    const instances = serving.length;
    const newest = newestVisiblePeriod(fleet);
    // An instance with no datapoints is left out of the loads but still counts in `instances`:
    // the original's missing data pushes towards scale-in.
    const loads: Array<{ id: string; load: number; measures: number }> = [];
    if (fleet.metricsReadable()) {
      for (const i of serving) {
        const points = fleet.datapoints(i.cpu, newest - WINDOW + 1, newest + 1).map((d) => d.value);
        if (points.length > 0) loads.push({ id: i.id, load: points.reduce((a, b) => a + b, 0) / points.length, measures: points.length });
      }
    }
    const total = loads.reduce((a, l) => a + l.load, 0);
    const avg = loads.length === 0 ? 0 : trimmedMean(loads.map((l) => l.load));

    if (this.previous !== null) {
      if (instances > this.previous.instances) this.upAt = now;
      if (instances < this.previous.instances) this.downAt = now;
      if (instances !== this.previous.instances || fleet.desired !== this.previous.desired) this.changedAt = now;
    }
    this.previous = { instances, desired: fleet.desired };

    const { min, max } = fleet.scenario.group;
    const act = (action: SimAction): SimAction[] => {
      this.actionAt = now;
      return [action];
    };
    const since = (at: number) => now - at;

    if (since(this.downAt) > LONG_PERIOD && since(this.actionAt) > EMERGENCY_PERIOD && since(this.upAt) > SHORT_PERIOD) {
      // check_too_high: kill the hot one after the kill counter; else +1 on any instance above urgent.
      const hot = loads.find((l) => l.measures > 1 && instances > 2 && l.load > avg * 1.4);
      this.killCounter = hot ? this.killCounter + 1 : 0;
      if (hot && this.killCounter > KILL_COUNTER) {
        this.killCounter = 0;
        const decrement = avg < HIGH && fleet.desired - 1 >= min;
        return act({ kind: 'terminate', from: fleet.desired, to: fleet.desired - (decrement ? 1 : 0), instance: hot.id, decrement, rule: 'hot-kill', reason: `high load ${hot.load.toFixed(1)} % > 1.4 × ${avg.toFixed(1)} %` });
      }
      const urgent = loads.find((l) => l.measures > 1 && l.load > URGENT);
      if (urgent && instances + 1 <= max && instances + 1 !== fleet.desired) {
        return act(setDesired(fleet, instances + 1, 'urgent', `${urgent.id} at ${urgent.load.toFixed(1)} %`));
      }
    }
    if (since(this.changedAt) > LONG_PERIOD && since(this.actionAt) > LONG_PERIOD) {
      const cold = loads.find((l) => l.measures > 1 && instances > 1 && l.load < avg * 0.2 && l.load < 4);
      this.killCounter = cold ? this.killCounter + 1 : 0;
      if (cold && this.killCounter > KILL_COUNTER) {
        this.killCounter = 0;
        const decrement = instances > min && fleet.desired - 1 >= min;
        return act({ kind: 'terminate', from: fleet.desired, to: fleet.desired - (decrement ? 1 : 0), instance: cold.id, decrement, rule: 'cold-kill', reason: `low load ${cold.load.toFixed(1)} %` });
      }
    }
    if (since(this.changedAt) > SHORT_PERIOD && since(this.actionAt) > SHORT_PERIOD) {
      if (instances >= max) this.highCounter = 0;
      else if (avg > HIGH) {
        this.highCounter += 1;
        if (this.highCounter > HIGH_COUNTER) {
          this.highCounter = 0;
          return act(setDesired(fleet, instances + 1, 'high', `average ${avg.toFixed(1)} % > ${HIGH} %`));
        }
      } else this.highCounter = 0;
      if (since(this.upAt) > LONG_PERIOD) {
        if (instances <= min) this.lowCounter = 0;
        else if (total / (instances - 1) < LOW) {
          this.lowCounter += 1;
          if (this.lowCounter > LOW_COUNTER) {
            this.lowCounter = 0;
            return act(setDesired(fleet, instances - 1, 'low', `with one fewer ${(total / (instances - 1)).toFixed(1)} % < ${LOW} %`));
          }
        } else this.lowCounter = 0;
      }
    }
    return [];
  }
}
