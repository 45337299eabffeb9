// Builders for engine tests: a fleet described in a line, turned into a Snapshot at `now`.
import { defaultConfig } from '../../src/config/index.js';
import { metricWindow } from '../../src/engine/index.js';
import type { Config, InstanceView, LaunchFailure, LbState, ScalingPolicyView, Snapshot } from '../../src/engine/index.js';

export const T0 = Date.UTC(2026, 10, 23, 12, 0, 0);
export const MIN = 60_000;
export const at = (minute: number): number => T0 + minute * MIN;

export interface InstanceSpec {
  id?: string;
  /** CPU of every datapoint in the window; null publishes none. */
  load?: number | null;
  /** Datapoints newest first, overriding `load`. */
  points?: number[];
  lifecycle?: string;
  health?: 'Healthy' | 'Unhealthy';
  protected?: boolean;
  lb?: LbState;
  /** Minutes since launch at `now` (default: long ago). */
  age?: number;
  /** Drop the newest `staleBy` minutes of datapoints. */
  staleBy?: number;
  /** A burstable instance's CPU credits (balance, surplus spent beyond it). */
  credits?: { balance: number; surplus: number };
  /** Its EC2 instance type, as the group lists it. */
  type?: string;
  /** Its Availability Zone. */
  zone?: string;
  /** Where out of its balancer, why. */
  outOfBalancer?: 'failing-checks' | 'not-registered';
  /** NetworkOut, bytes of every minute of the window (the minutes its CPU has); absent: unread. */
  sent?: number;
}

export function instanceAt(now: number, spec: InstanceSpec, index: number, config: Config = defaultConfig): InstanceView {
  const { end } = metricWindow(now, config, 60);
  const points = spec.points ?? (spec.load === null ? [] : Array(config.windowMinutes).fill(spec.load ?? 50));
  const skip = spec.staleBy ?? 0;
  return {
    id: spec.id ?? `i-${index}`,
    lifecycle: spec.lifecycle ?? 'InService',
    health: spec.health ?? 'Healthy',
    protectedFromScaleIn: spec.protected ?? false,
    launchTime: now - (spec.age ?? 600) * MIN,
    lb: spec.lb ?? 'in',
    cpu: points.slice(skip).map((value, i) => ({ at: end - (i + 1 + skip) * MIN, value })),
    ...(spec.credits && { credits: spec.credits }),
    ...(spec.type !== undefined && { type: spec.type }),
    ...(spec.zone !== undefined && { zone: spec.zone }),
    ...(spec.outOfBalancer !== undefined && { outOfBalancer: spec.outOfBalancer }),
    ...(spec.sent !== undefined && { network: points.slice(skip).map((_, i) => ({ at: end - (i + 1 + skip) * MIN, value: spec.sent! })) }),
  };
}

export interface FleetSpec {
  min?: number;
  max?: number;
  desired?: number;
  lb?: boolean;
  metricsOk?: boolean;
  /** The group's DefaultInstanceWarmup, in seconds. */
  instanceWarmupSeconds?: number;
  /** The group's Availability Zones. */
  zones?: number;
  /** Whether its balancers balance across zones, as read from them. */
  crossZone?: boolean;
  /** Its own scaling policies that move desired, as read from it. */
  scalingPolicies?: ScalingPolicyView[];
  /** Launch suspended on it. */
  launchSuspended?: boolean;
  /** AWS's last failed launch, as its scaling activities give it. */
  launchFailure?: LaunchFailure;
  /** The instance the watchdog runs on. */
  hostInstance?: string;
}

/** A snapshot of instances given by their loads (numbers) or full specs. */
export function fleet(now: number, instances: Array<number | null | InstanceSpec>, group: FleetSpec = {}, config: Config = defaultConfig): Snapshot {
  const views = instances.map((spec, i) =>
    instanceAt(now, typeof spec === 'number' || spec === null ? { load: spec } : spec, i, config),
  );
  const hasLb = group.lb ?? true;
  return {
    group: {
      name: 'web',
      min: group.min ?? 1,
      max: group.max ?? 10,
      desired: group.desired ?? views.filter((v) => v.lifecycle === 'InService' || v.lifecycle.startsWith('Pending')).length,
      hasLoadBalancers: hasLb,
      ...(group.instanceWarmupSeconds !== undefined && { instanceWarmupSeconds: group.instanceWarmupSeconds }),
      ...(group.zones !== undefined && { zones: group.zones }),
      ...(group.crossZone !== undefined && { crossZone: group.crossZone }),
      ...(group.scalingPolicies !== undefined && { scalingPolicies: group.scalingPolicies }),
      ...(group.launchSuspended !== undefined && { launchSuspended: group.launchSuspended }),
      ...(group.launchFailure !== undefined && { launchFailure: group.launchFailure }),
    },
    instances: hasLb ? views : views.map((v) => ({ ...v, lb: 'none' as const })),
    periodSeconds: 60,
    metricsOk: group.metricsOk ?? true,
    ...(group.hostInstance !== undefined && { hostInstance: group.hostInstance }),
  };
}

/**
 * Datapoints newest first for a tick at `minute`, from a load given per absolute period minute:
 * the window's newest period starts 3 minutes before the tick (metricLagSeconds 120, floored).
 */
export function pointsAt(minute: number, loadAt: (period: number) => number, config: Config = defaultConfig): number[] {
  return Array.from({ length: config.windowMinutes }, (_, i) => loadAt(minute - 3 - i));
}
