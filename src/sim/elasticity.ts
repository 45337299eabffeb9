// The SPEC Research Group's elasticity metrics (Herbst et al., "Ready for Rain? A View from SPEC
// Research on the Future of Cloud Metrics", 2016; the BUNGEE benchmark), over one run, one value
// a minute: demand d_t = instances needed at the high mark, supply s_t = instances in service.
// docs/simulation.md defines each with its source.
import { instancesNeeded } from './policies/oracle.js';

export interface Elasticity {
  /** Under-provisioning accuracy θU: mean relative shortfall, % of demand. */
  thetaU: number;
  /** Over-provisioning accuracy θO: mean relative surplus, % of demand. */
  thetaO: number;
  /** Under-provisioning timeshare τU: % of minutes with supply below demand. */
  tauU: number;
  /** Over-provisioning timeshare τO: % of minutes with supply above demand. */
  tauO: number;
  /** Instability: % of minute-to-minute steps where supply moves against demand. */
  instability: number;
}

/** Instances that carry `units` at `high` % each (of types in turn, what each serves: `typeUnits`); at least one, so that every ratio is defined. */
export const demandedInstances = (units: number, high: number, typeUnits?: readonly number[]): number => Math.max(1, instancesNeeded(units, high, typeUnits));

const round3 = (x: number) => Math.round(x * 1000) / 1000;

/** θU, θO, τU, τO and υ of a demand and a supply series of the same length T ≥ 1. */
export function elasticity(demand: readonly number[], supply: readonly number[]): Elasticity {
  const T = demand.length;
  let under = 0;
  let over = 0;
  let underMinutes = 0;
  let overMinutes = 0;
  for (let t = 0; t < T; t++) {
    const d = demand[t]!;
    const s = supply[t]!;
    if (s < d) [under, underMinutes] = [under + (d - s) / d, underMinutes + 1];
    if (s > d) [over, overMinutes] = [over + (s - d) / d, overMinutes + 1];
  }
  // Instability: supply moves where demand does not go that way (up while demand holds or falls,
  // down while it holds or rises). BUNGEE's υ also counts supply holding while demand moves; on
  // one-minute real traffic demand moves most minutes, so that counts noise, not flapping.
  let unstable = 0;
  for (let t = 1; t < T; t++) {
    const moved = Math.sign(supply[t]! - supply[t - 1]!);
    if (moved !== 0 && moved !== Math.sign(demand[t]! - demand[t - 1]!)) unstable++;
  }
  return {
    thetaU: round3((100 * under) / T),
    thetaO: round3((100 * over) / T),
    tauU: round3((100 * underMinutes) / T),
    tauO: round3((100 * overMinutes) / T),
    instability: T > 1 ? round3((100 * unstable) / (T - 1)) : 0,
  };
}
