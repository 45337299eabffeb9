// How the band rules say what they saw: one place, so that the reason of an action, the detail of
// a block and docs/algorithm.md use the same words for the same figures.
import { formatPercent } from './figures.js';
import { EVEN_SHARES, type Capacity } from './sizing.js';
import type { Config, ScalingPolicyView, Sizing } from './types.js';

const POLICY_KINDS: Readonly<Record<ScalingPolicyView['type'], string>> = {
  TargetTrackingScaling: 'target tracking',
  StepScaling: 'step scaling',
  SimpleScaling: 'simple scaling',
};

/** `the group's own scaling policy cpu50 (target tracking) sets desired`; two or more: `policies a (step scaling) and b (…) set`. */
export function ownPolicies(policies: readonly ScalingPolicyView[]): string {
  const each = policies.map((p) => `${p.name} (${POLICY_KINDS[p.type]})`);
  const listed = each.length === 1 ? `policy ${each[0]!} sets` : `policies ${each.slice(0, -1).join(', ')} and ${each.at(-1)!} set`;
  return `the group's own scaling ${listed} desired`;
}

/** `, at the large instances' CPU`: of mixed sizes, where the load was taken at its hottest size's CPU (fleet-load.ts). */
function hottestSize(sizing: Sizing): string {
  return sizing.size === null ? '' : `, at the ${sizing.size} instances' CPU`;
}

/** Where a sizing load comes from: `p75 of the last 10 min`, or `rising, 12 min ahead`. */
export function loadSource(sizing: Sizing, side: 'out' | 'in', config: Config): string {
  const rising = `rising, ${config.riseLeadMinutes} min ahead${hottestSize(sizing)}`;
  if (side === 'out' && sizing.moving === 'rising') return rising;
  if (side === 'in' && sizing.moving === 'falling') return `falling, ${config.fallLeadMinutes} min ahead${hottestSize(sizing)}`;
  // A clear fall caps the scale-out load at its line at the newest minute (sizing.ts).
  if (side === 'out' && sizing.moving === 'falling' && sizing.out < Math.min(sizing.windowOut, sizing.recentOut)) return `falling, at the newest minute${hottestSize(sizing)}`;
  const fromRecent = sizing.moving === 'shifted' || (side === 'out' ? sizing.recentOut <= sizing.windowOut : sizing.in === sizing.recent);
  // A clear climb caps the scale-in load at its line ahead, under the window (sizing.ts).
  if (side === 'in' && !fromRecent && sizing.moving === 'rising' && sizing.in < sizing.window) return rising;
  const minutes = fromRecent ? sizing.recentMinutes : sizing.minutes;
  // The scale-in reads the window's own percentile where a line cut by a capped minute ran lower (sizing.ts).
  const alongLine = !fromRecent && sizing.windowAlongLine && (side === 'out' || sizing.in === sizing.window) ? ' along their line' : '';
  const q = side === 'out' ? sizing.outQuantile : config.sizingQuantile;
  return `p${Math.round(q * 100)} of the last ${minutes} min${alongLine}${hottestSize(sizing)}`;
}

/**
 * `fleet load 689 % (p75 of the last 10 min) on 8 = 86.1 %`; `… on 7 in the balancer = …` where
 * instances out of the balancer are left out of the count (they carry nothing); `… on 5 in 3
 * zones without cross-zone balancing = 120.0 % in the smallest` where the zones split the traffic
 * and the smallest zone's instances run hotter than the average (sizing.ts, Capacity).
 */
export function loadOn(load: number, count: number, source: string, outOfBalancer = 0, capacity: Capacity = EVEN_SHARES): string {
  const shares = capacity.of(count);
  const zoned = capacity.zones !== null && shares !== count ? ` in ${capacity.zones} zones without cross-zone balancing` : '';
  return `fleet load ${load.toFixed(0)} % (${source}) on ${count}${outOfBalancer > 0 ? ' in the balancer' : ''}${zoned} = ${formatPercent(load / shares)}${zoned && ' in the smallest'}`;
}

/** `the surge to capacity is over: fleet load 500 % (the level before it and since) on 7 = 71.4 %`. */
export function surgeOverOn(load: number, count: number, outOfBalancer = 0, capacity: Capacity = EVEN_SHARES): string {
  return `the surge to capacity is over: ${loadOn(load, count, 'the level before it and since', outOfBalancer, capacity)}`;
}
