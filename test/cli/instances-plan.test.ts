// The guards of `instances -i` and `-k` (planChange): each row what is asked of which fleet, and
// the change planned or the one line that refuses it.
import { describe, expect, it } from 'vitest';
import { planChange } from '../../src/cli/run/instances.js';

/** A fleet of min 1, max 6, desired = the instances in service, at these loads (null: unmeasured). */
const fleet = (loads: Array<number | null>) => ({
  min: 1,
  max: 6,
  desired: loads.length,
  n: loads.length,
  measured: loads.filter((l) => l !== null).length,
  instances: loads.map((load, k) => ({ id: `i-0${'abcdef'[k]}`, lifecycle: 'InService', load })),
});
const HIGH = 85;
const said = (args: Parameters<typeof planChange>[0], view: ReturnType<typeof fleet>, host: string | null) =>
  planChange(args, view, host, HIGH).then(
    (change) => change!.text,
    (error: Error) => error.message,
  );

// `instances -k` of the host the command runs on: whatever runs there, the watchdog's cron among
// them, ends with it; refused unless --force, as the only instance in service is.
describe('instances -k of this host', () => {
  const kill = (id: string, force = false) => ({ group: 'web', force, kill: id, decrement: false });
  it.each([
    { what: 'this host', args: kill('i-0b'), host: 'i-0b', expected: '-k i-0b: the host this command runs on; what runs here, the watchdog\'s ticks among them, would end with it; add --force if you mean it; nothing done' },
    { what: 'this host, --force', args: kill('i-0b', true), host: 'i-0b', expected: 'terminate i-0b (the group replaces it)' },
    { what: 'another instance', args: kill('i-0a'), host: 'i-0b', expected: 'terminate i-0a (the group replaces it)' },
    { what: 'a host off EC2', args: kill('i-0a'), host: null, expected: 'terminate i-0a (the group replaces it)' },
  ])('$what', async ({ args, host, expected }) => expect(await said(args, fleet([50, 50, 50]), host)).toBe(expected));
});

// Fewer by hand than the load needs: the watchdog's next tick would scale out again. Refused
// unless --force where every instance is measured and the fewer would run above the high mark.
describe('instances -i below what the load needs', () => {
  const set = (to: number, force = false) => ({ group: 'web', force, setDesired: to, decrement: false });
  it.each<{ what: string; loads: Array<number | null>; desired?: number; args: ReturnType<typeof set>; expected: string }>([
    // 3 × 100 % = 300 % of CPU: on 2, 150 %.
    { what: 'a saturated fleet, one fewer', loads: [100, 100, 100], args: set(2), expected: '-i 2: the load of the 3 in service would run 2 at 150.0 %, above the high mark 85.0 %, and the watchdog would scale out again; add --force if you mean it; nothing done' },
    { what: 'the same, --force', loads: [100, 100, 100], args: set(2, true), expected: 'set desired 3 → 2' },
    // 3 × 56 % = 168 %: on 2, 84 %, under the high mark.
    { what: 'a fleet the fewer carry', loads: [56, 56, 56], args: set(2), expected: 'set desired 3 → 2' },
    // 4 × 60 % = 240 %: on 2, 120 %.
    { what: 'two fewer', loads: [60, 60, 60, 60], args: set(2), expected: '-i 2: the load of the 4 in service would run 2 at 120.0 %, above the high mark 85.0 %, and the watchdog would scale out again; add --force if you mean it; nothing done' },
    { what: 'one unmeasured: the load is not known', loads: [100, 100, null], args: set(2), expected: 'set desired 3 → 2' },
    { what: 'more', loads: [100, 100, 100], args: set(4), expected: 'set desired 3 → 4' },
    // Desired 3 with 2 in service: the group may remove a serving one rather than the launch. 2 × 100 % on 1: 200 %.
    { what: 'a launch on its way', loads: [100, 100], desired: 3, args: set(2), expected: '-i 2: the load of the 2 in service would run 1 at 200.0 % (the group may remove serving instances before those launching), above the high mark 85.0 %, and the watchdog would scale out again; add --force if you mean it; nothing done' },
    { what: 'a launch on its way, a fleet at ease', loads: [30, 30], desired: 3, args: set(2), expected: 'set desired 3 → 2' },
    { what: 'launches on their way, every one in service may go', loads: [10], desired: 3, args: set(1), expected: '-i 1: the group may remove the only one in service before those launching and serve nothing until they do; add --force if you mean it; nothing done' },
  ])('$what', async ({ loads, desired, args, expected }) => expect(await said(args, { ...fleet(loads), desired: desired ?? loads.length }, null)).toBe(expected));
});

// An ID not of the group is refused; where it is one of the group's with a space or a capital
// copied along, or its last characters, the line says which was likely meant: a hint, never acted on.
describe('instances -k of an ID not in the group', () => {
  const kill = (id: string) => ({ group: 'web', force: false, kill: id, decrement: false });
  const view = { ...fleet([50, 50, 50]), instances: ['i-0123456789abcdef0', 'i-0123456789abcdef1', 'i-0fedcba987654def0'].map((id) => ({ id, lifecycle: 'InService', load: 50 })) };
  it.each([
    { what: 'no such instance', id: 'i-0aaaaaaaaaaaaaaaa', expected: "-k i-0aaaaaaaaaaaaaaaa: not an instance of 'web'; nothing done" },
    { what: 'a capital', id: 'I-0123456789ABCDEF0', expected: "-k I-0123456789ABCDEF0: not an instance of 'web' (did you mean i-0123456789abcdef0?); nothing done" },
    { what: 'a space copied along', id: 'i-0fedcba987654def0 ', expected: '-k "i-0fedcba987654def0 ": not an instance of \'web\' (did you mean i-0fedcba987654def0?); nothing done' },
    { what: 'its last characters', id: 'def1', expected: "-k def1: not an instance of 'web' (did you mean i-0123456789abcdef1?); nothing done" },
    { what: "the table's abbreviation", id: '…def1', expected: '-k "…def1": not an instance of \'web\' (did you mean i-0123456789abcdef1?); nothing done' },
    { what: 'an ending only one has', id: 'cdef0', expected: "-k cdef0: not an instance of 'web' (did you mean i-0123456789abcdef0?); nothing done" },
    { what: 'an ending two have', id: 'def0', expected: "-k def0: not an instance of 'web'; nothing done" },
    { what: 'too short to say', id: 'ef0', expected: "-k ef0: not an instance of 'web'; nothing done" },
  ])('$what', async ({ id, expected }) => expect(await said(kill(id), view, null)).toBe(expected));
});
