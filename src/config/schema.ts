import { z } from 'zod';
import type { Config } from '../engine/types.js';

// The one place where the watchdog's defaults live. Each default names where it comes from;
// docs/algorithm.md explains them and docs/configuration.md lists them.
const percent = z.number().min(0).max(100);
const seconds = z.number().positive();
const minutes = z.number().positive();

/** Settings that must keep their order, first to last as they are checked: each lower one below (or at most) its higher one. */
export const ORDERED = [
  { lower: 'low', higher: 'high', strictly: true },
  { lower: 'high', higher: 'urgent', strictly: true },
  { lower: 'scaleInMark', higher: 'high', strictly: true },
  { lower: 'recentWindowMinutes', higher: 'sizingWindowMinutes', strictly: false },
  { lower: 'coldLoad', higher: 'low', strictly: true },
  // A neighbour's jump reads in full only after loadDatapoints minutes: its climbing mean is "the
  // others" meanwhile, and an idle peer beside it must not be dead for that alone (a hunt, 2026-12-06).
  { lower: 'loadDatapoints', higher: 'coldKillMinutes', strictly: true },
  // And a runaway held no longer than a load's minutes is, as a saturated fleet cools, the one
  // that stayed capped longest (hunts over the outlier settings, 2026-12-06: held 3 minutes, four
  // healthy instances killed); with a longer load, longer than that too (at least 5 besides).
  { lower: 'loadDatapoints', higher: 'hotKillMinutes', strictly: true },
  // Peers at or below the cold threshold are idle too (night): none of them is dead beside them.
  { lower: 'coldLoad', higher: 'coldOthersMin', strictly: true },
  { lower: 'minInstances', higher: 'maxInstances', strictly: false },
] as const;

/** What an ORDERED issue carries: the two settings and their values. */
export interface OrderParams {
  lower: string;
  higher: string;
  below: number;
  above: number;
  strictly: boolean;
}

export const configSchema = z
  .object({
    // The band (Menéame: 70-85 %, urgent 95 %).
    low: percent.default(70),
    high: percent.default(85),
    urgent: percent.default(95),

    // Metrics: CloudWatch's newest minutes are often incomplete, so the window ends this long ago.
    metricLagSeconds: z.number().min(0).default(120),
    windowMinutes: minutes.default(5),
    // AWS target tracking and HPA both ignore a fresh instance's CPU for about 5 minutes.
    warmupSeconds: z.number().min(0).default(300),
    minDatapoints: z.number().int().min(1).default(2),
    // Older than the window and CloudWatch's lag (300 + 120 s), a load is of a fleet that has moved
    // on: at 600 s and more, new instances in a surge were killed as dead (a hunt, 2026-12-06).
    staleSeconds: z.number().gt(0).max(420, 'must be at most 420 (the window and CloudWatch\'s lag): an older datapoint is of a fleet that has moved on, and its load misleads the outlier rules').default(300),
    // One minute alone is its noise: at 1, a noisy fleet's peer read as a runaway and was killed.
    loadDatapoints: z.number().int().min(2, 'must be at least 2: one minute alone is its noise, and a noisy peer reads as a runaway').default(3),
    maxTickGapSeconds: seconds.default(180),
    // The host's clock further off AWS's than this (by AWS's answers) places CloudWatch's minutes
    // wrongly: no scale-in and no kill until it is set right. NTP keeps it within milliseconds.
    maxClockOffsetSeconds: seconds.default(60),

    // Rule 1, blind: alert once the fleet has been blind this long.
    blindAlertMinutes: minutes.default(5),
    blindCoverage: z.number().gt(0).max(1).default(0.5),

    // Rule 2, runaway (Menéame: near 100 % and far above the others, killed after its counter).
    // Lower bounds that keep an outlier an outlier: at a ratio of 1 and no gap a saturated fleet's
    // own noise reads as runaways (a flash crowd lost 2 healthy instances so).
    hotRatio: z.number().min(1.1, 'must be at least 1.1: healthy peers differ by a few percent, and a ratio closer to 1 reads that spread as a runaway (at 1 every instance of a saturated fleet is one)').default(1.5),
    // Near the cap a noisy fleet's spread is wider: saturated or nearly, with 20 % noise a minute,
    // a healthy instance stood 7.5 points (1.5 × 5, its single peer) above the other of its size
    // for 5 minutes, killed (hunts over the loosest runaway settings, 2026-12-07); not at 6 or 7.
    hotGap: z.number().min(7, 'must be at least 7 points: healthy peers differ by a few, by more near the cap in a noisy fleet, and a smaller gap reads their spread as a runaway').default(10),
    // The usual cut for a robust z-score is 3.5 (Iglewicz and Hoaglin): at 1, a noisy fleet's own
    // spread (20 % a minute, two zones unbalanced) was taken for a runaway and killed.
    hotZ: z.number().min(3, 'must be at least 3: a robust z-score below that is a noisy fleet\'s own spread, not a runaway').default(5),
    // Held for less than the minutes a load is the mean of, a surge's first minutes on one instance
    // (its zone's share, a launch not yet serving) read as a runaway: healthy ones were killed at 1
    // and 2. Held 4, with 20 % noise a minute, saturated or nearly, one healthy instance's CPU stood
    // above its peers' that long now and then: killed with `hotGap` 5 to 8 and the loosest ratio
    // (hunts over the runaway settings, 2026-12-07); held 5, far more rarely (configuration.md).
    hotKillMinutes: z.number().min(5, 'must be at least 5: a load is the mean of its newest minutes, and held less, a surge\'s first minutes on one instance, or a noisy fleet\'s spread near the cap, read as a runaway').default(5),

    // Rule 3, saturated fleet.
    saturatedGrowth: z.number().min(1).default(1.3),
    emergencyCooldownSeconds: seconds.default(120),

    // Rule 4, dead (Menéame: < 4 % and < 0.2 x the others).
    // An instance taking no traffic still shows a percent or two (the system, the agents): below
    // that it counts as working, and a peer carrying the load alone towers over it as a "runaway".
    coldLoad: z.number().min(2, 'must be at least 2: an idle instance shows a percent or two of its own, and would count as working beside one that carries the load').max(100).default(4),
    // Dead is far below what its peers show, not a little: at 0.84 a loner of a larger size, idling at
    // 4.2 % where its share made 5.7 %, was killed (a property over random settings, 2026-12-06).
    coldRatio: z.number().gt(0).max(0.4, 'must be at most 0.4: a live instance runs near its share, and one of a zone of two beside zones of one, without cross-zone balancing, at half theirs: a ratio of 0.5 or near reads it dead').default(0.2),
    coldOthersMin: percent.default(20),
    // A minute's dip (a load moving between instances) is no death: healthy ones were killed at 1.
    coldKillMinutes: z.number().min(2, 'must be at least 2: one quiet minute is a load moving between instances, not a dead one').default(5),

    // Rule 5, detached from the load balancer.
    detachedKillMinutes: minutes.default(5),

    // Rules 6 and 7, the band, sized from the fleet's load of each recent minute (docs/algorithm.md,
    // "Sizing"): its sizingQuantile over the window (the traffic's noise) and over the recent
    // minutes (its level). A clear trend in the recent minutes (a t-statistic of at least
    // riseConfidence / fallConfidence) is carried forward: riseLeadMinutes (the newest minute's
    // age + a 3-minute launch, and as much again for a ramp that curves up away from its line,
    // docs/algorithm.md "Why not 8"; the engine adds what the group's own launches take beyond
    // 3, engine/launches.ts), fallLeadMinutes (no launch to wait for). Chosen
    // with the simulator on smooth days and a real week, and checked on traces they were not chosen on.
    // The N−1 rule removes instances while the fleet with fewer would stay below scaleInMark;
    // null: the lower third of the band (75 % for 70-85).
    scaleInMark: percent.nullable().default(null),
    sizingWindowMinutes: z.number().int().min(1).max(240).default(30),
    // Where a minute's noise is large the window grows (the square of the noise past 20 %) up to
    // this, and the recent minutes as many times, so their percentiles are read as surely as on
    // quieter traffic; never shorter than sizingWindowMinutes (equal: fixed windows).
    noisyWindowMinutes: z.number().int().min(1).max(240).default(60),
    recentWindowMinutes: z.number().int().min(1).max(240).default(10),
    sizingQuantile: z.number().gt(0).max(1).default(0.75),
    riseConfidence: z.number().min(0).default(6),
    riseLeadMinutes: z.number().min(0).default(12),
    fallConfidence: z.number().min(0).default(12),
    fallLeadMinutes: z.number().min(0).default(10),
    // null: n up, floor(n / 2) down (at least 1): a wrong figure can at most double or halve the fleet.
    maxStepUp: z.number().int().positive().nullable().default(null),
    maxStepDown: z.number().int().positive().nullable().default(null),
    // The N−1 rule waits this long after any action, and this long after a scale-up (Menéame: 1080 s).
    cooldownSeconds: seconds.default(600),
    scaleInDelayAfterUpSeconds: z.number().min(0).default(600),
    // A scale-out for a surge to capacity that is over within that delay is taken back at once
    // (rule 7, the take-back), but for a day after one was followed by another surge.
    takeBackSurges: z.boolean().default(true),

    // false: the band is left to the group's own scaling policies; the watchdog only finds and
    // replaces sick instances (rules 1, 2, 4, 5). docs/operations.md, "Beside the group's own scaling policies".
    bandRules: z.boolean().default(true),

    // false: the group's balancer splits the traffic evenly between zones (cross-zone load
    // balancing off), and the band rules keep the smallest zone's instances in the band. Where the
    // watchdog reads the balancers' own setting, theirs wins. docs/operations.md, "Cross-zone load balancing".
    crossZone: z.boolean().default(true),

    // Optional bounds tighter than the group's own min and max.
    minInstances: z.number().int().min(0).nullable().default(null),
    maxInstances: z.number().int().min(0).nullable().default(null),

    // Safety rails (AWS replaces at most 10 % of a group at a time; Envoy ejects at most 10 %).
    maxKillFraction: z.number().gt(0).max(1).default(0.1),
    killProtected: z.boolean().default(false),

    // Alerts and memory.
    alertDedupSeconds: z.number().min(0).default(1800),
    alertOnBandScaling: z.boolean().default(false),
    historyLength: z.number().int().min(0).max(10_000).default(240),
    // The history log beside the state (status, its page): this many minutes of ticks, a day by
    // default (between one and two windows are kept); 0 keeps none.
    historyLogMinutes: z.number().int().min(0).max(60 * 24 * 31).default(1440),
    avgEmaAlpha: z.number().gt(0).max(1).default(0.3),
  })
  .strict()
  .superRefine((c, ctx) => {
    for (const { lower, higher, strictly } of ORDERED) {
      const [below, above] = [c[lower], c[higher]];
      if (below === null || above === null || (strictly ? below < above : below <= above)) continue;
      const params: OrderParams = { lower, higher, below, above, strictly };
      ctx.addIssue({ code: 'custom', path: [lower], message: `${below} must be ${strictly ? 'below' : 'at most'} ${higher} (${above})`, params });
    }
  });

export type ConfigInput = z.input<typeof configSchema>;

// The schema and the engine's Config must describe the same object.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const schemaMatchesEngine: Same<z.output<typeof configSchema>, Config> = true;
void schemaMatchesEngine;
