import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bin, cli } from './run.js';
import { scratchDir } from '../scratch.js';

const scenarioFile = (name: string) => new URL(`../../scenarios/${name}.json`, import.meta.url).pathname;
const tmp = scratchDir('asgw-sim-');

describe('asg-watchdog simulate', () => {
  it('prints the comparison table of every policy by default', async () => {
    const r = await bin(['simulate', '--scenario', scenarioFile('runaway-cpu')]);
    expect(r.code).toBe(0);
    for (const policy of ['watchdog', 'seed', 'target-tracking', 'target-tracking-fast', 'hpa', 'oracle']) expect(r.stdout).toContain(policy);
    expect(r.stdout).toMatch(/fault runaway i-\w+ at minute 10: terminated by watchdog 20 \(\+10 min\), seed never/);
  });

  it("a fault of the fleet's is no instance to terminate", async () => {
    const r = await cli(['simulate', '--scenario', scenarioFile('cloudwatch-outage'), '--policy', 'watchdog']);
    expect(r.stdout.split('\n').filter((l) => l.startsWith('fault '))).toEqual(["fault cloudwatch-outage at minute 30: the fleet's, no instance to terminate"]);
  });

  it('--json prints the report of simulation.md', async () => {
    const r = await cli(['simulate', '--scenario', scenarioFile('detached-instance'), '--policy', 'watchdog', '--json']);
    const report = JSON.parse(r.stdout);
    expect(Object.keys(report)).toEqual(['scenario', 'minutes', 'policies', 'schema']);
    expect(report).toMatchObject({ scenario: 'detached-instance', minutes: 60 });
    const w = report.policies.watchdog;
    expect(Object.keys(w)).toEqual(['instanceMinutes', 'unservedUnitMinutes', 'overloadMinutes', 'underloadMinutes', 'inBandMinutes', 'elasticity', 'actions', 'reversals', 'terminations', 'faults']);
    expect(Object.keys(w.elasticity)).toEqual(['thetaU', 'thetaO', 'tauU', 'tauO', 'instability']);
    expect(w.inBandMinutes + w.overloadMinutes + w.underloadMinutes).toBe(60);
    expect(Object.keys(w.actions[0])).toEqual(['minute', 'kind', 'from', 'to', 'instance', 'decrement', 'rule', 'reason']);
    expect(w.faults[0]).toMatchObject({ kind: 'detach', atMinute: 10 });
  });

  it('--chart writes an SVG with the band, the lines, the actions and the time', async () => {
    const chart = join(tmp, 'runaway.svg');
    const r = await cli(['simulate', '--scenario', scenarioFile('runaway-cpu'), '--policy', 'watchdog', '--chart', chart]);
    expect(r.code).toBe(0);
    const svg = readFileSync(chart, 'utf8');
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg.match(/<polyline/g)).toHaveLength(3);
    expect(svg).toContain('minute 20: terminate 3 → 2');
    // The hour's time axis under the panel, every 10 minutes (at most 9 labels).
    expect([...svg.matchAll(/text-anchor="middle">(\d\d:\d\d)<\/text>/g)].map((m) => m[1])).toEqual(['00:00', '00:10', '00:20', '00:30', '00:40', '00:50', '01:00']);
  });

  it('--html writes a page with the table and the chart', async () => {
    const page = join(tmp, 'runaway.html');
    await cli(['simulate', '--scenario', scenarioFile('runaway-cpu'), '--policy', 'watchdog', '--html', page]);
    const html = readFileSync(page, 'utf8');
    expect(html).toContain('<svg');
    expect(html).toContain('instance-min');
  });

  it('tunes the band from flags: a higher high mark means fewer instance-minutes', async () => {
    const run = async (...flags: string[]) =>
      JSON.parse((await cli(['simulate', '--scenario', scenarioFile('web-day'), '--policy', 'watchdog', '--json', ...flags])).stdout).policies.watchdog.instanceMinutes;
    expect(await run('--high', '90')).toBeLessThan(await run());
  });

  it('refuses flags that make the band impossible, exit 2', async () => {
    const r = await cli(['simulate', '--scenario', scenarioFile('web-day'), '--low', '90']);
    expect(r).toMatchObject({ code: 2 });
    expect(r.stderr).toMatch(/^asg-watchdog: flags: low: 90 must be below high \(85\)\n$/);
  });

  it('--frontier sweeps each policy over its knob, with the defaults marked, and draws it', async () => {
    const chart = join(tmp, 'frontier.svg');
    const r = await cli(['simulate', '--scenario', scenarioFile('runaway-cpu'), '--frontier', '--json', '--chart', chart]);
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout);
    const shape = result.curves.map((c: { policy: string; knob: string | null; points: Array<{ knob: number | null; isDefault: boolean }> }) => ({
      policy: c.policy,
      knob: c.knob,
      points: c.points.length,
      defaults: c.points.filter((p) => p.isDefault).map((p) => p.knob),
    }));
    expect(shape).toEqual([
      { policy: 'watchdog', knob: 'high', points: 17, defaults: [85] },
      { policy: 'seed', knob: null, points: 1, defaults: [null] },
      { policy: 'target-tracking', knob: 'target', points: 17, defaults: [77.5] },
      { policy: 'target-tracking-fast', knob: 'target', points: 17, defaults: [77.5] },
      { policy: 'hpa', knob: 'target', points: 17, defaults: [77.5] },
      { policy: 'oracle', knob: null, points: 1, defaults: [null] },
    ]);
    expect(result.dominance.map((d: { rival: string }) => d.rival)).toEqual(['target-tracking', 'target-tracking-fast', 'hpa']);
    const svg = readFileSync(chart, 'utf8');
    expect(svg.match(/<polyline/g)).toHaveLength(4);
    expect(svg.match(/<circle [^>]*r="3.5"/g)).toHaveLength(17 * 4 + 2);
    expect(svg).toContain('target-tracking at target 77.5 % (default): 120 instance-minutes');
  });

  it('cannot write the chart: exit 1 with the reason', async () => {
    const r = await cli(['simulate', '--scenario', scenarioFile('runaway-cpu'), '--chart', '/nonexistent/dir/x.svg']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/cannot write \/nonexistent\/dir\/x.svg: no such file or directory \(ENOENT\)/);
  });
});
