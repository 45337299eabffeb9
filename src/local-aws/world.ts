import { Fleet, zoneName, type SimInstance } from '../sim/fleet.js';
import type { Scenario } from '../sim/scenario.js';

const MINUTE = 60_000;
export const ACCOUNT = '123456789012';
/** The zones of a group whose scenario names none. */
export const DEFAULT_ZONES = 3;

/**
 * The simulated AWS account behind the local endpoint: one Auto Scaling group per fleet (the
 * scenario's, plus optional copies for paging tests), on a virtual clock. Simulated minute
 * `advanceTo` starts at the wall minute the server starts in; with speed S a simulated minute
 * lasts 60 / S wall seconds (speed 0: time moves only by advance()). Every timestamp it hands
 * out is virtual time, which equals wall time at speed 1.
 */
export class World {
  readonly groups = new Map<string, Fleet>();
  readonly region: string;
  /** The account in every ARN (tests of two accounts set another). */
  readonly account: string;
  readonly speed: number;
  private readonly startMinute: number;
  private readonly t0: number;
  private readonly wallStart: number;
  private offset = 0;
  private readonly begun = new Map<Fleet, number>();

  constructor(
    scenario: Scenario,
    options: { region?: string; speed?: number; advanceTo?: number; extraGroups?: number; wallNow?: number; account?: string } = {},
  ) {
    this.region = options.region ?? 'us-east-1';
    this.account = options.account ?? ACCOUNT;
    this.speed = options.speed ?? 1;
    this.startMinute = options.advanceTo ?? 0;
    const wall = options.wallNow ?? Date.now();
    this.t0 = Math.floor(wall / MINUTE) * MINUTE;
    this.wallStart = this.t0;
    this.groups.set(scenario.group.name, new Fleet(scenario));
    for (let i = 1; i <= (options.extraGroups ?? 0); i++) {
      const name = `${scenario.group.name}-${String(i).padStart(3, '0')}`;
      this.groups.set(name, new Fleet({ ...scenario, seed: scenario.seed + i, faults: [], group: { ...scenario.group, name } }));
    }
    this.sync(wall);
  }

  /** Virtual now: wall time run `speed` times faster since the server started, plus any advance. */
  virtualNow(wall = Date.now()): number {
    return this.wallStart + this.offset + (wall - this.wallStart) * this.speed;
  }

  minuteAt(virtual: number): number {
    return this.startMinute + Math.floor((virtual - this.t0) / MINUTE);
  }

  /** The virtual time at which a simulated minute starts. */
  timeOf(minute: number): number {
    return this.t0 + (minute - this.startMinute) * MINUTE;
  }

  /** Moves the virtual clock forward (tests, the demo); with speed 0 it moves only this way. */
  advance(minutes: number, wall = Date.now()): void {
    this.offset += minutes * MINUTE;
    this.sync(wall);
  }

  /** Brings every fleet to the current virtual minute: finished minutes served, the current one begun. */
  sync(wall = Date.now()): void {
    const target = this.minuteAt(this.virtualNow(wall));
    for (const fleet of this.groups.values()) {
      for (;;) {
        if (this.begun.get(fleet) !== fleet.minute) {
          fleet.begin();
          fleet.reconcile();
          this.begun.set(fleet, fleet.minute);
        }
        if (fleet.minute >= target) break;
        fleet.reconcile();
        fleet.serve();
      }
    }
  }

  /** An instance still in its group (not Terminated), by id. */
  private readonly index = new Map<string, { fleet: Fleet; instance: SimInstance }>();

  findInstance(id: string): { fleet: Fleet; instance: SimInstance } | null {
    const found = this.findAny(id);
    return found && found.instance.lifecycle !== 'Terminated' ? found : null;
  }

  /** Any instance ever launched, by id, in O(1): the index grows as fleets launch (ids are never reused). */
  findAny(id: string): { fleet: Fleet; instance: SimInstance } | null {
    let found = this.index.get(id);
    if (found === undefined) {
      const total = [...this.groups.values()].reduce((sum, f) => sum + f.instances.length, 0);
      if (total !== this.index.size) {
        this.index.clear();
        for (const fleet of this.groups.values()) for (const instance of fleet.instances) this.index.set(instance.id, { fleet, instance });
      }
      found = this.index.get(id);
    }
    return found ?? null;
  }

  /** Stable made-up EC2 details for an instance. */
  details(fleet: Fleet, instance: SimInstance) {
    const seq = instance.seq;
    const ip = `10.0.${(seq >> 8) & 255}.${(seq & 255) + 10 > 255 ? seq & 255 : (seq & 255) + 10}`;
    return {
      // The simulated zone where the scenario has zones; else spread over three by launch order.
      zone: zoneName(fleet.scenario.group.zones === undefined ? seq % DEFAULT_ZONES : instance.zone, this.region),
      type: instance.type,
      privateIp: ip,
      privateDns: `ip-${ip.replace(/\./g, '-')}.ec2.internal`,
      imageId: `ami-0${(fleet.scenario.seed >>> 0).toString(16).padStart(16, '0')}`,
      launchTime: this.timeOf(instance.launchedAt),
    };
  }

  loadBalancerName(fleet: Fleet): string {
    return `${fleet.scenario.group.name}-lb`;
  }

  /** The application load balancer in front of the fleet's target group. */
  applicationLoadBalancerArn(fleet: Fleet): string {
    return `arn:aws:elasticloadbalancing:${this.region}:${this.account}:loadbalancer/app/${fleet.scenario.group.name}-alb/0123456789abcdef`;
  }

  targetGroupArn(fleet: Fleet): string {
    return `arn:aws:elasticloadbalancing:${this.region}:${this.account}:targetgroup/${fleet.scenario.group.name}-tg/0123456789abcdef`;
  }
}
