// The arithmetic of sizing, in free functions with their own tables (test/engine/sizing.test.ts):
// what load the fleet must be sized for, and how many instances that takes. The rules only
// choose; docs/algorithm.md says what each step does to any traffic.
import type { Config, LoadSample, Sizing, Snapshot, Trend } from './types.js';

const MINUTE = 60_000;

/** The q-quantile of values sorted ascending: the value at rank ⌊q × length⌋ (q = 1: the largest). */
export function quantileOfSorted(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

export function quantile(values: ArrayLike<number>, q: number): number {
  if (values.length === 0) return Number.NaN;
  return valueAtRank(Float64Array.from(values), Math.min(values.length - 1, Math.floor(q * values.length)));
}

/**
 * The value at rank k of `a` sorted ascending, as `a.sort()[k]` gives it, without sorting:
 * Hoare's selection (the pivot a median of three), O(n) where the sort is O(n log n). The sizing
 * takes the median of a window's n(n − 1)/2 pairwise slopes every minute (lineOf). Reorders `a`.
 */
export function valueAtRank(a: Float64Array, k: number): number {
  for (let i = 0; i < a.length; i++) if (Number.isNaN(a[i]!)) return a.sort()[k]!; // NaN sorts last: no comparison places it
  let lo = 0;
  let hi = a.length - 1;
  while (lo < hi) {
    const [first, middle, last] = [a[lo]!, a[(lo + hi) >> 1]!, a[hi]!];
    const pivot = Math.max(Math.min(first, middle), Math.min(Math.max(first, middle), last));
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i++] = a[j]!;
        a[j--] = t;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k]!;
  }
  return a[k]!;
}

/**
 * The samples after the newest capped one: a minute at capacity shows what the fleet served, not
 * what was asked, so no line is drawn through it or what came before it (the recovery from a
 * flash crowd is not a ramp); four minutes after it show whether the load still climbs.
 */
export function sinceLastCap(samples: readonly LoadSample[]): readonly LoadSample[] {
  const lastCapped = samples.findLastIndex((s) => s.capped === true);
  return lastCapped < 0 ? samples : samples.slice(lastCapped + 1);
}

/**
 * The least-squares line through the samples (minutes before the newest on x), with its
 * t-statistic: the slope over its standard error. A t of 6 is a rise no noise makes by chance over
 * ten minutes; on smooth traffic a real ramp has a t in the hundreds. Drawn through the samples
 * after the newest capped one (sinceLastCap); null with fewer than 4 of them.
 */
export function trendOf(all: readonly LoadSample[]): Trend | null {
  const samples = sinceLastCap(all);
  const count = samples.length;
  if (count < 4) return null;
  const newest = samples[count - 1]!.at;
  let mx = 0;
  let my = 0;
  for (const s of samples) {
    mx += (s.at - newest) / MINUTE;
    my += s.load;
  }
  mx /= count;
  my /= count;
  let sxy = 0;
  let sxx = 0;
  for (const s of samples) {
    const x = (s.at - newest) / MINUTE - mx;
    sxy += x * (s.load - my);
    sxx += x * x;
  }
  if (sxx === 0) return null;
  const slope = sxy / sxx;
  const atNewest = my - slope * mx;
  const residuals: number[] = [];
  let ssr = 0;
  for (const s of samples) {
    const r = s.load - (atNewest + slope * ((s.at - newest) / MINUTE));
    residuals.push(r);
    ssr += r * r;
  }
  const se = Math.sqrt(ssr / (count - 2) / sxx);
  // A perfectly straight line (the simulator's smooth days) has no error: any slope is certain.
  const t = se === 0 ? (slope === 0 ? 0 : Number.POSITIVE_INFINITY) : Math.abs(slope) / se;
  return { slope, t, atNewest, residuals };
}

/**
 * P(|T| < t) for Student's t with `df` degrees of freedom (a whole number, at least 1), by the
 * closed forms in θ = atan(t / √df): sin θ × (1 + ½ cos²θ + (1·3)/(2·4) cos⁴θ + …) for an even df,
 * (2 / π)(θ + sin θ cos θ × (1 + ⅔ cos²θ + (2·4)/(3·5) cos⁴θ + …)) for an odd one.
 */
export function studentCentral(t: number, df: number): number {
  const theta = Math.atan(Math.abs(t) / Math.sqrt(df));
  const cos2 = Math.cos(theta) ** 2;
  const even = df % 2 === 0;
  let term = 1;
  let sum = 1;
  for (let k = even ? 2 : 3; k <= df - 2; k += 2) {
    term *= (cos2 * (k - 1)) / k;
    sum += term;
  }
  if (even) return Math.sin(theta) * sum;
  return (2 / Math.PI) * (theta + (df > 1 ? Math.sin(theta) * Math.cos(theta) * sum : 0));
}

/** The minutes a confidence is stated over: a t of 6 over ten minutes (a line with 8 degrees of freedom). */
export const CONFIDENCE_MINUTES = 10;
const CONFIDENCE_DF = CONFIDENCE_MINUTES - 2;

/**
 * Whether a line is clear at `confidence`: its t at least that, and as unlikely by chance as a t
 * of `confidence` through CONFIDENCE_MINUTES minutes. A line through fewer minutes needs more:
 * through four (two degrees of freedom) a t of 6 comes by chance about once in 75 lines, and it
 * takes 56 to be as rare as 6 is through ten; through ten or more, `confidence` itself.
 */
export function isClear(trend: Trend, confidence: number): boolean {
  const df = trend.residuals.length - 2;
  return trend.t >= confidence && (df >= CONFIDENCE_DF || studentCentral(trend.t, df) >= studentCentral(confidence, CONFIDENCE_DF));
}

/** The samples of the last `minutes` minutes before `newest` (inclusive), oldest first. */
function lastMinutes(samples: readonly LoadSample[], minutes: number): LoadSample[] {
  const newest = samples.at(-1)!.at;
  return samples.filter((s) => s.at > newest - minutes * MINUTE);
}

/** The most noise a minute (a fraction of the level) the base window, sizingWindowMinutes, reads its percentile through (sizingSpans). */
export const BASE_WINDOW_NOISE = 0.2;

/**
 * A minute's noise, as a fraction of the level: the median step between neighbouring samples (at
 * the samples' own spacing) over 0.954, what that median is for independent noise of spread 1
 * (√2 × 0.6745), over the samples' median. A step or a ramp moves few neighbours far, so it
 * hardly counts, where the spread of the samples themselves would count it all. Null with fewer
 * than 5 neighbours or no load.
 */
export function minuteNoise(samples: readonly LoadSample[]): number | null {
  const steps: number[] = [];
  let spacing = Number.POSITIVE_INFINITY;
  for (let i = 1; i < samples.length; i++) spacing = Math.min(spacing, samples[i]!.at - samples[i - 1]!.at);
  for (let i = 1; i < samples.length; i++) if (samples[i]!.at - samples[i - 1]!.at === spacing) steps.push(Math.abs(samples[i]!.load - samples[i - 1]!.load));
  const level = samples.length === 0 ? 0 : quantile(samples.map((s) => s.load), 0.5);
  return steps.length < 5 || !(level > 0) ? null : quantile(steps, 0.5) / (Math.SQRT2 * 0.6745) / level;
}

/** The most minutes the window may span: noisyWindowMinutes, never fewer than sizingWindowMinutes (the state keeps as many). */
export function longestWindowMinutes(config: Pick<Config, 'sizingWindowMinutes' | 'noisyWindowMinutes'>): number {
  return Math.max(config.sizingWindowMinutes, config.noisyWindowMinutes);
}

/**
 * How many minutes the band rules size over: the window (sizingWindowMinutes) and the recent
 * minutes (recentWindowMinutes), both longer where the minutes are noisy. A percentile of some
 * minutes is as unsure as their noise over the square root of their number: the base window reads
 * it well enough up to BASE_WINDOW_NOISE a minute (the standard error of its 75th percentile is
 * then about 5 % of the level), and noisier minutes make both spans (noise / BASE_WINDOW_NOISE)²
 * times as long, so their readings are as sure, up to noisyWindowMinutes for the window and as
 * many times the recent minutes. At 40 % a minute a 30-minute window's percentile is twice as
 * unsure: half an hour apart, two readings differ by a tenth of the level about half the time,
 * across the gap between what a scale-out sizes for and the N−1 mark, and the fleet went up on
 * one reading and down on a later one. The noise is judged on the base window (minuteNoise).
 */
export function sizingSpans(samples: readonly LoadSample[], config: Config): { window: number; recent: number } {
  const noise = samples.length === 0 ? null : minuteNoise(lastMinutes(samples, config.sizingWindowMinutes));
  const growth = Math.min(longestWindowMinutes(config) / config.sizingWindowMinutes, Math.max(1, ((noise ?? 0) / BASE_WINDOW_NOISE) ** 2));
  const span = (minutes: number) => Math.ceil(minutes * growth - 1e-9);
  return { window: span(config.sizingWindowMinutes), recent: span(config.recentWindowMinutes) };
}

/** How clear the window's rise or fall must be (Mann–Kendall's z) to read the window's level along it. */
export const LEVEL_CONFIDENCE = 2;

/** The level of some minutes at any quantile (levelOf), and whether it is read along their line. */
export interface Level {
  at(q: number): number;
  alongLine: boolean;
  /** Whether the line is through the minutes after a capped one only, not all of them. */
  cutByCap: boolean;
  /** Sen's slope of the minutes after the newest capped one, a minute, and Mann–Kendall's z (lineOf; 0 with fewer than 4). */
  slope: number;
  z: number;
}

/**
 * The level of the minutes, at any quantile q. On a steady load, their own q-quantile. When they
 * clearly rise or fall (Mann–Kendall's test: of every pair of minutes, how many more go up than
 * down, |z| ≥ LEVEL_CONFIDENCE), the line through them with Sen's slope (the median of the pairs'
 * slopes) at the newest minute, plus the q-quantile of the minutes' distances from it: on a ramp
 * the minutes' own percentile is that of a minute a quarter of the window back. Both tests count
 * pairs, so a burst of a few minutes or a step moves neither far (a least-squares line tilts
 * after one burst at its end); a step is the `shifted` case. Like the trend, the line is drawn
 * through the minutes after the newest capped one (sinceLastCap).
 */
export function levelOf(samples: readonly LoadSample[]): Level {
  const since = sinceLastCap(samples);
  const line = lineOf(since);
  if (line === null || Math.abs(line.z) < LEVEL_CONFIDENCE) {
    return { ...spreadAround(0, samples.map((s) => s.load)), alongLine: false, cutByCap: false, slope: line?.slope ?? 0, z: line?.z ?? 0 };
  }
  const { slope, z, x } = line;
  const atNewest = quantile(since.map((s, k) => s.load - slope * x[k]!), 0.5);
  const cutByCap = since.length < samples.length;
  return { ...spreadAround(atNewest, since.map((s, k) => s.load - (atNewest + slope * x[k]!))), alongLine: true, cutByCap, slope, z };
}

/**
 * Mann–Kendall's z of the minutes (of every pair, how many more go up than down, over its spread
 * without ties, with the continuity correction) and Sen's slope (the median of the pairs' slopes, a
 * minute); x: each minute's place, in minutes before the newest. Null with fewer than 4.
 */
function lineOf(samples: readonly LoadSample[]): { z: number; slope: number; x: number[] } | null {
  const n = samples.length;
  if (n < 4) return null;
  const x = samples.map((s) => (s.at - samples[n - 1]!.at) / MINUTE);
  const slopes = new Float64Array((n * (n - 1)) / 2);
  let score = 0;
  let pair = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const dy = samples[j]!.load - samples[i]!.load;
      score += Math.sign(dy);
      slopes[pair++] = dy / (x[j]! - x[i]!);
    }
  }
  const z = (score - Math.sign(score)) / Math.sqrt((n * (n - 1) * (2 * n + 5)) / 18);
  return { z, slope: valueAtRank(slopes, Math.floor(slopes.length / 2)), x };
}

/** `base` plus the q-quantile of `offsets`, at any q (sorted once). */
function spreadAround(base: number, offsets: number[]): { at(q: number): number } {
  const sorted = Float64Array.from(offsets).sort();
  return { at: (q) => base + quantileOfSorted(sorted, q) };
}

/**
 * How clear a rise of the window's own line must be (Mann–Kendall's z, twice LEVEL_CONFIDENCE) to
 * carry it ahead when no least-squares line is clear (sizingOf).
 */
export const LINE_RISE_CONFIDENCE = 4;

/** The newest minutes a jump is judged on: as many as AWS's own scale-out alarm counts (jumpAhead). */
export const JUMP_MINUTES = 3;
/** The newest minutes a jump to capacity is judged on: capped, each one the fleet at `urgent` or more (jumpAhead). */
export const CAPPED_JUMP_MINUTES = 2;
/** The minutes before them whose level a jump to capacity is judged against: the newer half of the window (jumpAhead). */
export const CAPPED_JUMP_LEVEL_MINUTES = 15;
/** How far above the older minutes' highest the newest must be, in their own reach (jumpAhead). */
export const JUMP_REACHES = 2;

/**
 * How far off the level of the older minutes (at least recentWindowMinutes of them) a minute must
 * be to have left it: above their highest by JUMP_REACHES times their reach up (their highest less
 * their median), or below their lowest by as many times their reach down (their median less their
 * lowest). Noise puts a minute beyond the window's extremes about once in its length, and the
 * margin grows with how far the traffic has strayed from its usual level by itself. Null with
 * fewer older minutes.
 */
function levelBounds(older: readonly LoadSample[], config: Config): { above: number; below: number } | null {
  if (older.length < config.recentWindowMinutes) return null;
  const loads = older.map((s) => s.load);
  const [highest, lowest, median] = [Math.max(...loads), Math.min(...loads), quantile(loads, 0.5)];
  return { above: highest + JUMP_REACHES * (highest - median), below: lowest - JUMP_REACHES * (median - lowest) };
}

/** Whether `load` is above the older minutes' level (levelBounds). */
function offTheLevel(older: readonly LoadSample[], load: number, config: Config): boolean {
  const bounds = levelBounds(older, config);
  return bounds !== null && load >= bounds.above;
}

/**
 * A jump off the level, in either of two ways, returned as the line through it carried
 * riseLeadMinutes ahead (the higher of the two), or null:
 * - the newest JUMP_MINUTES minutes each at least the one before, all above every older minute
 *   of the window and the newest off its level (offTheLevel). A ramp from a flat level shows no
 *   clear line and no moved level until it is minutes old; this shows it in three, and three
 *   climbing in a row past the window's highest are far rarer than one;
 * - a jump to capacity: the newest CAPPED_JUMP_MINUTES minutes capped, none of the older ones,
 *   and the newest off the level of the CAPPED_JUMP_LEVEL_MINUTES before them (a surge that
 *   lands on the tail of the last one is judged against the tail, not against the last one's
 *   top, which the window still holds). A capped minute shows what the fleet served, not what was
 *   asked, so the rise from the last minute below capacity is the least the demand rose by; the
 *   line from there is carried ahead as the climb's is. On a calm level two minutes pinned at
 *   capacity are a surge (a story on the front page, a crowd), not a burst of the traffic's own
 *   noise, which the level's reach would cover; the step is still at most a doubling
 *   (stepUpLimit). Only the first two capped minutes count: later ones have a capped minute
 *   among the older, and the saturated rule grows the fleet from there. Its price: a burst
 *   shorter than a launch gets a step that lands after it ended (docs/algorithm.md, the third
 *   round, 24); with takeBackSurges the N−1 rule takes it back once the surge is over (surgeOver).
 */
export function jumpAhead(window: readonly LoadSample[], config: Config): number | null {
  const lines = [climbAhead(window, config), toCapacityAhead(window, config)].filter((x): x is number => x !== null);
  return lines.length === 0 ? null : Math.max(...lines);
}

/** The line from `from` to `newest`, carried riseLeadMinutes past the newest. */
function lineAhead(from: LoadSample, newest: LoadSample, config: Config): number {
  return newest.load + ((newest.load - from.load) / ((newest.at - from.at) / MINUTE)) * config.riseLeadMinutes;
}

function climbAhead(window: readonly LoadSample[], config: Config): number | null {
  const older = window.slice(0, -JUMP_MINUTES);
  const newest = window.slice(-JUMP_MINUTES);
  if (older.length === 0) return null;
  const highest = Math.max(...older.map((s) => s.load));
  const climbs = newest.every((s, i) => s.load > highest && (i === 0 || s.load >= newest[i - 1]!.load));
  return climbs && offTheLevel(older, newest.at(-1)!.load, config) ? lineAhead(newest[0]!, newest.at(-1)!, config) : null;
}

function toCapacityAhead(window: readonly LoadSample[], config: Config): number | null {
  const older = window.slice(0, -CAPPED_JUMP_MINUTES);
  const newest = window.slice(-CAPPED_JUMP_MINUTES);
  if (older.length === 0 || !newest.every((s) => s.capped === true) || older.some((s) => s.capped === true)) return null;
  const level = older.slice(-CAPPED_JUMP_LEVEL_MINUTES);
  return offTheLevel(level, newest.at(-1)!.load, config) ? lineAhead(older.at(-1)!, newest.at(-1)!, config) : null;
}

/**
 * A fall off the level, the mirror of a jump: the newer minutes all below every older minute (at
 * least recentWindowMinutes of them), by JUMP_REACHES times the older minutes' reach down (their
 * median less their lowest) or more. sizingOf passes the minutes before the recent ones as the
 * older: a level that stepped down shows against the window's own lower quantile only while few
 * of its minutes are new, and the recent minutes read the new level only once most of theirs are;
 * against the minutes before them the step shows until they do.
 */
export function fellOff(older: readonly LoadSample[], newer: readonly LoadSample[], config: Config): boolean {
  const bounds = levelBounds(older, config);
  return bounds !== null && newer.length > 0 && newer.every((s) => s.load < bounds.below);
}

/**
 * A surge to capacity that is over: the load a scale-out taken at `stepAt` should have been, had
 * the fleet known the surge would end, or null. The mirror of a jump to capacity (jumpAhead), all of:
 * - a calm level: the minutes before the window's first capped one, at least recentWindowMinutes
 *   of them (so none capped), and that capped minute no later than the step;
 * - a surge off it: its first CAPPED_JUMP_MINUTES minutes capped and off the level (levelBounds),
 *   as a jump to capacity's are;
 * - and back: the newest CAPPED_JUMP_MINUTES minutes not capped and each within the level's
 *   reach (at most its bound above).
 * The load is the higher of the level at sizingQuantile and those newest minutes: what the fleet
 * carried before the surge and carries again. Traffic that settles higher than it was, or a
 * window that holds an earlier surge's minutes, is none of this: the N−1 rule reads it.
 */
export function surgeOver(samples: readonly LoadSample[], stepAt: number, config: Config): number | null {
  const first = samples.findIndex((s) => s.capped === true);
  if (first < 0 || samples[first]!.at > stepAt) return null;
  const level = samples.slice(0, first);
  const bounds = levelBounds(level, config);
  if (bounds === null) return null;
  const since = samples.slice(first);
  const newest = since.slice(-CAPPED_JUMP_MINUTES);
  const off = since.slice(0, CAPPED_JUMP_MINUTES).filter((s) => s.capped === true && s.load >= bounds.above).length;
  const back = newest.every((s) => s.capped !== true && s.load <= bounds.above);
  if (off < CAPPED_JUMP_MINUTES || !back) return null;
  return Math.max(quantile(level.map((s) => s.load), config.sizingQuantile), ...newest.map((s) => s.load));
}

/** The stricter quantile a scale-out reads where the minutes' noise is small (sizingOf). */
export const STRICT_QUANTILE = 0.9;
/** How far above the sizing quantile's reading the strict one may lie for the noise to count as small, as a fraction of it. */
export const STRICT_QUANTILE_COST = 0.06;

/**
 * The two loads the band rules size for, from the fleet's load of each recent minute:
 * - the window (sizingWindowMinutes, 30) and the recent minutes (recentWindowMinutes, 10), both
 *   longer on noisy minutes (sizingSpans), each at its sizingQuantile (the 75th percentile): the long
 *   one knows the traffic's noise, the short one its current level; the window's read around its
 *   line when that is clear of flat (levelOf);
 * - `out`, what a scale-out sizes for: the lower of the two (both must say the load is high; the
 *   recent one once the level has moved up), raised to the line carried riseLeadMinutes ahead when
 *   the minutes rise clearly or jump off the level (jumpAhead). Where the noise is small over both
 *   spans (each one's STRICT_QUANTILE reading within STRICT_QUANTILE_COST of its sizingQuantile
 *   one), both are read at STRICT_QUANTILE instead: nine minutes in ten below the high mark then
 *   cost little, where on bursty traffic, or across a step, they would cost a lot; `level` is
 *   `out` before any rise or jump raised it (scaleOutSize sizes the two differently);
 * - `in`, what the N−1 rule sizes for: the higher of the two (both must say the load is low; the
 *   recent one once the level has moved down; the window never lower along a line a capped minute
 *   cut short than at its own quantile), lowered to the line carried fallLeadMinutes ahead when
 *   the minutes fall clearly (and then `out` and `level` are capped at the line at the newest
 *   minute), and capped at the line riseLeadMinutes ahead when they climb clearly.
 * Null without samples.
 */
export function sizingOf(samples: readonly LoadSample[], config: Config): Sizing | null {
  if (samples.length === 0) return null;
  const q = config.sizingQuantile;
  const spans = sizingSpans(samples, config);
  const window = lastMinutes(samples, spans.window);
  const recentMinutes = lastMinutes(samples, spans.recent);
  // Ten minutes are the current level: their own quantiles, never along a line.
  const recent = spreadAround(0, recentMinutes.map((s) => s.load));
  const windowLevel = levelOf(window);
  const windowLoad = windowLevel.at(q);
  const recentLoad = recent.at(q);
  // The scale-out's quantile: the strict one where it costs little over both spans.
  const [windowStrict, recentStrict] = [windowLevel.at(STRICT_QUANTILE), recent.at(STRICT_QUANTILE)];
  const cheap = (strict: number, load: number) => strict <= load * (1 + STRICT_QUANTILE_COST);
  const outQuantile = q < STRICT_QUANTILE && cheap(windowStrict, windowLoad) && cheap(recentStrict, recentLoad) ? STRICT_QUANTILE : q;
  const [windowOut, recentOut] = outQuantile === q ? [windowLoad, recentLoad] : [windowStrict, recentStrict];
  // Both windows must say the load is high (or low), unless the newer half of the recent minutes
  // all sit above the window minutes' own quantile (or below their lower one, 1 − q, or fell off
  // the minutes before the recent ones): then the level has moved, and the window only lags.
  // Their own, not along their line: on a fall that slows down, the line runs below the newest
  // minutes, and that is no rise.
  const newer = recentMinutes.length >= 2 ? lastMinutes(recentMinutes, config.recentWindowMinutes / 2) : [];
  const windowOwn = windowLevel.alongLine ? spreadAround(0, window.map((s) => s.load)) : windowLevel;
  const movedUp = newer.length > 0 && newer.every((s) => s.load > windowOwn.at(q));
  // A clear climb from the bottom of a drop is no level, whatever it fell off (the clear rise below).
  const recentTrend = trendOf(recentMinutes);
  const climbing = recentTrend !== null && recentTrend.slope > 0 && isClear(recentTrend, config.riseConfidence);
  const beforeRecent = recentMinutes.length > 0 ? window.filter((s) => s.at < recentMinutes[0]!.at) : [];
  const fell = !climbing && fellOff(beforeRecent, newer, config);
  const movedDown = !movedUp && newer.length > 0 && (newer.every((s) => s.load < windowOwn.at(1 - q)) || fell);
  let out = movedUp ? recentOut : Math.min(windowOut, recentOut);
  let level = out;
  // A line drawn after a capped minute is through part of the window only, and that minute's load
  // was at least what it shows: the scale-in never reads the window lower along such a line than
  // the window's own percentile (the recent minutes alone would then decide).
  const windowIn = windowLevel.cutByCap ? Math.max(windowLoad, windowOwn.at(q)) : windowLoad;
  let inLoad = movedDown ? recentLoad : Math.max(windowIn, recentLoad);
  let moving: Sizing['moving'] = movedUp || movedDown ? 'shifted' : null;
  // A clear trend over either span is carried forward: the recent minutes see a fast ramp soonest,
  // the whole window a slow one under noise (more minutes make a smaller slope clear), so long as
  // the recent minutes still go the same way at half its pace or more: a level that stepped up
  // and has held since is no ramp.
  const windowTrend = trendOf(window);
  const stillGoing = windowTrend !== null && recentTrend !== null && recentTrend.slope / windowTrend.slope >= 0.5;
  const trends = [recentTrend, stillGoing ? windowTrend : null].filter((t): t is Trend => t !== null);
  // A slow rise under noise or bursts can be clear to Mann–Kendall over the window (z ≥
  // LINE_RISE_CONFIDENCE) long before a least-squares t reaches riseConfidence: while the recent
  // minutes still climb at half its pace or more (their own Sen's slope), the window's level is
  // carried riseLeadMinutes ahead along Sen's slope.
  if (windowLevel.slope > 0 && windowLevel.z >= LINE_RISE_CONFIDENCE && (lineOf(sinceLastCap(recentMinutes))?.slope ?? 0) >= 0.5 * windowLevel.slope) {
    const ahead = windowOut + windowLevel.slope * config.riseLeadMinutes;
    if (ahead > out) [out, moving] = [ahead, 'rising'];
  }
  // A jump off the level is carried ahead as a clear rise is, before any line is clear.
  const jump = jumpAhead(window, config);
  if (jump !== null && jump > out) [out, moving] = [jump, 'rising'];
  for (const trend of trends) {
    // The line's own spread: the same percentile of how far the minutes sit from it.
    const margin = quantile(trend.residuals, q);
    if (trend.slope > 0 && isClear(trend, config.riseConfidence)) {
      const ahead = trend.atNewest + trend.slope * config.riseLeadMinutes + margin;
      if (ahead > out) [out, moving] = [ahead, 'rising'];
      // A clear climb is where the load is going: the scale-in never sizes for more than the line
      // ahead (or the recent minutes, if higher), however high an older level still sits in the
      // window. After a drop, a new climb from the bottom is not held at the old top.
      inLoad = Math.min(inLoad, Math.max(recentLoad, ahead));
    } else if (trend.slope < 0 && isClear(trend, config.fallConfidence)) {
      const ahead = Math.max(0, trend.atNewest + trend.slope * config.fallLeadMinutes + margin);
      if (ahead < inLoad) {
        [inLoad, moving] = [ahead, 'falling'];
        // A clear fall is where the load is now: the scale-out load is never more than its line at
        // the newest minute, where the minutes' percentiles still hold the level it fell from, so
        // the N−1 rule's guard keeps what the load needs now at the high mark, not the old level.
        const now = Math.max(0, trend.atNewest + margin);
        [out, level] = [Math.min(out, now), Math.min(level, now)];
      }
    }
  }
  return {
    out,
    level,
    in: inLoad,
    newest: samples.at(-1)!.load,
    window: windowLoad,
    windowAlongLine: windowLevel.alongLine,
    recent: recentLoad,
    outQuantile,
    windowOut,
    recentOut,
    minutes: window.length,
    recentMinutes: recentMinutes.length,
    trend: recentTrend,
    moving,
    size: samples.at(-1)!.size ?? null,
  };
}

/**
 * How many instances' worth of even shares a count of instances gives the load. Behind a balancer
 * that balances across zones, each its own. Without cross-zone balancing it splits the traffic
 * evenly between the group's zones, then between the instances in each: the group keeps its zones
 * within one instance of each other, so n instances in z zones carry the load, at the CPU of the
 * smallest zone's, as z × ⌊n / z⌋ would (as n while each is alone in its zone).
 */
export interface Capacity {
  /** The zones the traffic is split between, when it is; null when each instance gets an even share. */
  zones: number | null;
  of(count: number): number;
}

export const EVEN_SHARES: Capacity = { zones: null, of: (count) => count };

export function zonedCapacity(zones: number): Capacity {
  return { zones, of: (count) => (count <= zones ? count : zones * Math.floor(count / zones)) };
}

/**
 * The group's capacity: zoned where its balancers do not balance across zones (as read from them,
 * else as the config says) and it spreads over two zones or more.
 */
export function capacityOf(snapshot: Snapshot, config: Pick<Config, 'crossZone'>): Capacity {
  const zones = snapshot.group.zones ?? 0;
  return (snapshot.group.crossZone ?? config.crossZone) || zones < 2 ? EVEN_SHARES : zonedCapacity(zones);
}

/** The fewest instances that carry `load` (CPU percent summed over instances) at `percent` each. */
export function instancesFor(load: number, percent: number, capacity: Capacity = EVEN_SHARES): number {
  const shares = Math.max(0, Math.ceil(load / percent - 1e-9));
  let count = shares;
  while (capacity.of(count) < shares) count++;
  return count;
}

/** The middle of the band: what rule 3 sizes its load for, and rule 6 the level the minutes show. */
function bandMiddle(config: Pick<Config, 'low' | 'high'>): number {
  return (config.low + config.high) / 2;
}

/**
 * The most one scale-out step may add: `maxStepUp`, or as many as serve (at least 1), so a wrong
 * figure can at most double the fleet at once: the HPA's default limit (100 % a period).
 */
export function stepUpLimit(n: number, config: Pick<Config, 'maxStepUp'>): number {
  return config.maxStepUp ?? Math.max(1, n);
}

/** The most one scale-in step may remove: `maxStepDown`, or half the serving fleet (at least 1). */
export function stepDownLimit(n: number, config: Pick<Config, 'maxStepDown'>): number {
  return config.maxStepDown ?? Math.max(1, Math.floor(n / 2));
}

/**
 * Rule 3's size: at 100 % the load is only what the fleet serves, a floor, so grow beyond it: the
 * most of one more than the proven instances (measured and working), `saturatedGrowth` times them,
 * and enough for the load at the middle of the band. Idle measured instances are no capacity and
 * are added back; at most `maxStep` above the serving count, never above max.
 */
export function saturatedSize(load: number, f: { n: number; proven: number; idle: number; max: number; capacity?: Capacity }, config: Config, maxStep: number): number {
  const want = Math.max(f.proven + 1, Math.ceil(f.proven * config.saturatedGrowth), instancesFor(load, bandMiddle(config), f.capacity));
  return Math.min(f.max, f.n + maxStep + f.idle, want + f.idle);
}

/**
 * Rule 6's size: enough instances for the level the minutes show at the middle of the band, and
 * for the scale-out load (the level, or where a rise or a jump will take it riseLeadMinutes ahead)
 * at the high mark, and at least one more than desired; at most `maxStep` above the serving count,
 * never above max. The lead is the headroom of a guess: by the time the load gets there the fleet
 * may step again, so it need only stay in the band; room above a guess is paid for at every step.
 */
export function scaleOutSize(sizing: Pick<Sizing, 'out' | 'level'>, f: { n: number; desired: number; max: number; capacity?: Capacity }, config: Config, maxStep: number): number {
  const want = Math.max(instancesFor(sizing.level, bandMiddle(config), f.capacity), instancesFor(sizing.out, config.high, f.capacity));
  return Math.min(f.max, f.n + maxStep, Math.max(f.desired + 1, want));
}

/** A scale-in of fewer than this fraction of the serving fleet is a small step (scaleInWaitSeconds). */
export const SMALL_STEP_FRACTION = 0.1;

/**
 * How long after the last action a scale-in of `remove` instances from `n` must wait: the
 * cooldown, twice it for a small step (under SMALL_STEP_FRACTION of the fleet). Down a long decay
 * on a big fleet the N−1 rule would otherwise take one instance every cooldown: an action each
 * time, for a tenth of the fleet or less for 10 minutes.
 */
export function scaleInWaitSeconds(n: number, remove: number, config: Pick<Config, 'cooldownSeconds'>): number {
  return remove < SMALL_STEP_FRACTION * n ? 2 * config.cooldownSeconds : config.cooldownSeconds;
}

/**
 * The N−1 rule's size: remove the most instances k (at most maxStep, never below min) such that
 * the scale-in load on n − k instances stays below the scale-in mark, and never so many that the
 * scale-out load would put the rest above the high mark (the same minutes must not call for both),
 * nor the newest minute's load: where a fall has just stopped, the windows read along its line
 * run below the minutes that carry on at the level it stopped at, and a fleet sized for that line
 * would sit above the high mark until a scale-out brought back what went.
 * Instances out of the balancer carry nothing, and the group may remove any instance on a lower
 * desired count: the load is put on the n − k − outOfBalancer that surely carry it.
 * Returns n when nothing may go.
 */
export function scaleInSize(
  sizing: Pick<Sizing, 'in' | 'out' | 'newest'>,
  f: { n: number; min: number; outOfBalancer: number; capacity?: Capacity },
  marks: { scaleIn: number; high: number },
  maxStep: number,
): number {
  let to = f.n;
  const capacity = f.capacity ?? EVEN_SHARES;
  const carriersIf = (count: number) => count - f.outOfBalancer;
  while (f.n - (to - 1) <= maxStep && to - 1 >= Math.max(1, f.min) && carriersIf(to - 1) >= 1 && sizing.in / capacity.of(carriersIf(to - 1)) < marks.scaleIn) to--;
  return Math.max(to, Math.min(f.n, instancesFor(Math.max(sizing.out, sizing.newest), marks.high, capacity) + f.outOfBalancer));
}
