import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../cli/run.js';
import { scratchDir } from '../scratch.js';

const tmp = scratchDir('asgw-scenario-');
const good = {
  version: 1,
  name: 'ok',
  durationMinutes: 30,
  seed: 1,
  group: { name: 'web', min: 2, max: 6, desired: 2, launchMinutes: 3, loadBalancer: 'classic' },
  demand: [[0, 1.0]],
  faults: [{ atMinute: 10, kind: 'runaway', instance: 0 }],
};
const write = (name: string, text: string) => {
  const path = join(tmp, `${name.replace(/\W+/g, '-')}.json`);
  writeFileSync(path, text);
  return path;
};
// Scenarios deliberately wrong in shape: typed loosely on purpose.
type Loose = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const bad = (patch: (s: Loose) => void) => {
  const s: Loose = structuredClone(good);
  patch(s);
  return JSON.stringify(s);
};

describe('a bad scenario is one line naming the field, exit 2', () => {
  it.each<[string, string, RegExp]>([
    ['truncated JSON', JSON.stringify(good).slice(0, 40), /is not valid JSON at line 1, column 41: Unterminated string$/m],
    // Where, as an editor counts: a comma too many on the third line, after its 13 characters.
    ['a comma too many', '{\n  "version": 1,\n  "seed": 42,,\n}', /is not valid JSON at line 3, column 14: Expected double-quoted property name$/m],
    ['negative demand', bad((s) => (s.demand = [[0, -1]])), /demand\.0\.1: demand must not be negative/],
    ['an unknown fault kind', bad((s) => (s.faults[0].kind = 'meltdown')), /faults\.0\.kind: Invalid discriminator value\. Expected 'runaway' \| 'detach'/],
    ['an instance index out of range', bad((s) => (s.faults[0].instance = 6)), /faults\.0\.instance: index 6 is out of range/],
    ['min above max', bad((s) => (s.group.min = 7)), /group\.min: min must not exceed max/],
    ['desired outside the bounds', bad((s) => (s.group.desired = 9)), /group\.desired: desired must be within \[min, max\]/],
    ['a string for a number', bad((s) => (s.durationMinutes = 'sixty')), /durationMinutes: expected a number, not text/],
    ['a missing field', bad((s) => delete s.seed), /seed: missing: expected a number/],
    ['an unknown version', bad((s) => (s.version = 2)), /version: expected 1$/m],
    ['an unknown load balancer', bad((s) => (s.group.loadBalancer = 'nlb')), /group\.loadBalancer: expected one of "classic", "target-group", "none"$/m],
    ['health checks without a balancer', bad((s) => Object.assign(s.group, { loadBalancer: 'none', initialChecksMinutes: 2 })), /group\.initialChecksMinutes: a group without a load balancer has no health checks to wait for/],
    ['a balancing without a balancer', bad((s) => Object.assign(s.group, { loadBalancer: 'none', balancing: 'least-outstanding-requests' })), /group\.balancing: a group without a load balancer has no balancing to choose/],
    ['least outstanding requests among mixed types', bad((s) => Object.assign(s.group, { types: ['c5.large', 'c5.xlarge'], balancing: 'least-outstanding-requests' })), /group\.balancing: least outstanding requests among instances of mixed types is not modelled: choose round-robin/],
    ['a hang that answers what it cannot', bad((s) => (s.faults[0] = { atMinute: 1, kind: 'hang', instance: 0, answers: 'pages' })), /faults\.0\.answers: expected one of "nothing", "errors"$/m],
    ['demand minutes out of order', bad((s) => (s.demand = [[10, 1], [5, 2]])), /demand: minutes must increase/],
    ['a fault past the end', bad((s) => (s.faults[0].atMinute = 30)), /faults\.0\.atMinute: minute 30 is past the end/],
    ['a metrics gap without minutes', bad((s) => (s.faults[0] = { atMinute: 1, kind: 'metrics-gap', instance: 0 })), /faults\.0\.minutes/],
    ['a bad config override', bad((s) => (s.config = { low: 90 })), /config\.low: 90 must be below high \(85\)/],
    ['an unknown key', bad((s) => (s.extra = true)), /\(top level\): unknown key "extra"/],
    ['a type of unknown vCPUs', bad((s) => (s.group.types = ['c5.large', 'c5.metal'])), /group\.types\.1: a size of known vCPUs: medium, large, xlarge or Nxlarge/],
    ['a type twice', bad((s) => (s.group.types = ['c5.large', 'c5.xlarge', 'c5.large'])), /group\.types: each type once: they are launched in turn/],
    ['an unknown monitoring', bad((s) => (s.group.monitoring = 'fast')), /group\.monitoring: expected one of "detailed", "basic"$/m],
  ])('%s', async (name, text, message) => {
    const file = write(name, text);
    const r = await cli(['simulate', '--scenario', file]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toContain(file);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('a missing file', async () => {
    const r = await cli(['simulate', '--scenario', join(tmp, 'nope.json')]);
    expect(r).toMatchObject({ code: 2 });
    expect(r.stderr).toMatch(/cannot read scenario .*nope\.json: no such file or directory \(ENOENT\)$/m);
  });

  it('an unknown policy', async () => {
    const r = await cli(['simulate', '--scenario', write('good', JSON.stringify(good)), '--policy', 'magic']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^asg-watchdog: --policy "magic": expected one of "watchdog", /);
  });
});
