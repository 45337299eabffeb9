import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { BIN, bin, cli } from './run.js';
import pkg from '../../package.json' with { type: 'json' };
import { scratchDir } from '../scratch.js';

const tmp = scratchDir('asgw-cli-');
const file = (name: string, text: string) => {
  const path = join(tmp, name);
  writeFileSync(path, text);
  return path;
};

describe('the installed command', () => {
  it('prints its version', async () => {
    expect(await bin(['--version'])).toEqual({ code: 0, stdout: `${pkg.version}\n`, stderr: '' });
  });
  it('lists its commands with --help', async () => {
    const r = await bin(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('asg-watchdog config');
  });
});

describe('a reader that goes away', () => {
  it('stdout closed by its reader (| head, a closed cron pipe): no EPIPE stack trace, exit 0', async () => {
    // config check writes its settings a line at a time: the writes after the first meet a closed pipe.
    const child = spawn(process.execPath, [BIN, 'config', 'check', file('for-head.json', '{}')]);
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.destroy(); // before the command has written anything: every write meets a closed pipe
    const code = await new Promise((resolve) => child.once('exit', resolve));
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
  });
});

describe('usage errors: one line, exit 2', () => {
  it.each<[string, string[], RegExp]>([
    ['no command', [], /^asg-watchdog: name a command/],
    ['an unknown command', ['frobnicate'], /^asg-watchdog: unknown command "frobnicate": asg-watchdog --help lists the commands\n$/],
    ['an unknown flag', ['config', 'check', 'x.json', '--bogus'], /^asg-watchdog: unknown option --bogus: asg-watchdog config check --help lists what it takes\n$/],
    ['a missing config file', ['config', 'check', '/nonexistent.json'], /cannot read config file \/nonexistent.json: no such file or directory \(ENOENT\)\n$/],
  ])('%s', async (_, argv, message) => {
    const r = await cli(argv);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('config check', () => {
  it.each<[string, string, RegExp]>([
    ['broken JSON', '{"low": ', /is not valid JSON: Unexpected end of JSON input$/m],
    // Where it went wrong, by line and column, as an editor counts them.
    ['a comma too many', '{"low": 60,\n "high": 80,,\n}', /is not valid JSON at line 2, column 13: Expected double-quoted property name$/m],
    ['an empty file', '', /config file .*an empty file\.json is empty: it holds no settings \(docs\/configuration\.md lists them\)$/m],
    ['low above high', '{"low": 90}', /low: 90 must be below high \(85\)$/m],
    ['high above urgent', '{"high": 96}', /high: 96 must be below urgent \(95\)$/m],
    ['a percentage out of range', '{"urgent": 120}', /urgent: must be at most 100$/m],
    ['a negative duration', '{"cooldownSeconds": -5}', /cooldownSeconds: must be more than 0$/m],
    ['a wrong type', '{"hotKillMinutes": "five"}', /hotKillMinutes: expected a number, not text$/m],
    ['a fraction for a count', '{"loadDatapoints": 2.5}', /loadDatapoints: expected a whole number$/m],
    ['a list for a mark', '{"low": [70]}', /low: expected a number, not a list$/m],
    ['a transport that is not one', '{"mail": {"transport": "smtpp"}}', /mail\.transport: expected one of "smtp", "ses"$/m],
    ['an unknown key', '{"lowCounter": 5}', /\(top level\): unknown key "lowCounter"$/m],
    ['a typo, with the key it likely meant', '{"hihg": 80, "cooldownSecond": 3}', /unknown keys "hihg" \(did you mean "high"\?\), "cooldownSecond" \(did you mean "cooldownSeconds"\?\)/],
    ['a typo in the mail section', '{"mail": {"tranport": "ses"}}', /mail: unknown key "tranport" \(did you mean "transport"\?\)/],
    ['minInstances above maxInstances', '{"minInstances": 5, "maxInstances": 3}', /minInstances: 5 must be at most maxInstances \(3\)$/m],
    ['a recent window longer than the window', '{"recentWindowMinutes": 40}', /recentWindowMinutes: 40 must be at most sizingWindowMinutes \(30\)$/m],
    // Set alone, the window is told, not the recent window nobody set.
    ['a window shorter than the recent window', '{"sizingWindowMinutes": 5}', /sizingWindowMinutes: 5 must be at least recentWindowMinutes \(10\)$/m],
    // Settings that would turn a healthy fleet's own spread into sick instances: at hotRatio 1 and
    // hotGap 0 the flash crowd lost 2 healthy instances; coldOthersMin 0 finds the dead among idle peers at night.
    ['a runaway ratio of 1', '{"hotRatio": 1}', /hotRatio: must be at least 1\.1: healthy peers differ by a few percent, and a ratio closer to 1 reads that spread as a runaway \(at 1 every instance of a saturated fleet is one\)$/m],
    // 1.01 held 3 minutes killed one of a zone that holds fewer: its share evened, 1.7 % above its peers.
    ['a runaway ratio of 1.05', '{"hotRatio": 1.05}', /hotRatio: must be at least 1\.1: /m],
    ['a runaway gap of a few points', '{"hotGap": 2}', /hotGap: must be at least 7 points: healthy peers differ by a few, by more near the cap in a noisy fleet, and a smaller gap reads their spread as a runaway$/m],
    // Saturated with 20 % noise a minute, a healthy instance stood 1.5 × 5 points above its single peer for 5 minutes.
    ['a runaway gap of 5 points', '{"hotGap": 5}', /hotGap: must be at least 7 points: /m],
    ['peers as idle as the dead', '{"coldOthersMin": 0}', /coldOthersMin: 0 must be above coldLoad \(4\)$/m],
    ['a runaway z-score of noise', '{"hotZ": 1}', /hotZ: must be at least 3: a robust z-score below that is a noisy fleet's own spread, not a runaway$/m],
    ['a runaway killed after a minute', '{"hotKillMinutes": 1}', /hotKillMinutes: must be at least 5: a load is the mean of its newest minutes, and held less, a surge's first minutes on one instance, or a noisy fleet's spread near the cap, read as a runaway$/m],
    // Held 4, saturated or nearly with 20 % noise a minute, healthy instances were killed now and then.
    ['a runaway killed after 4 minutes', '{"hotKillMinutes": 4}', /hotKillMinutes: must be at least 5: /m],
    ['a dead one killed after a minute', '{"coldKillMinutes": 1}', /coldKillMinutes: must be at least 2: one quiet minute is a load moving between instances, not a dead one$/m],
    ['an idle level below what idle shows', '{"coldLoad": 0.5}', /coldLoad: must be at least 2: an idle instance shows a percent or two of its own, and would count as working beside one that carries the load$/m],
    ['a load of one minute', '{"loadDatapoints": 1}', /loadDatapoints: must be at least 2: one minute alone is its noise, and a noisy peer reads as a runaway$/m],
    // A neighbour's jump reads in full only after loadDatapoints minutes; the dead rule's hold must outlast it.
    ['a dead hold shorter than a load', '{"loadDatapoints": 5, "coldKillMinutes": 4}', /loadDatapoints: 5 must be below coldKillMinutes \(4\)$/m],
    ['a dead hold no longer than a load', '{"coldKillMinutes": 3}', /coldKillMinutes: 3 must be above loadDatapoints \(3\)$/m],
    ['a runaway hold no longer than a load', '{"loadDatapoints": 6, "coldKillMinutes": 7}', /loadDatapoints: 6 must be below hotKillMinutes \(5\)$/m],
    ['a datapoint trusted for 10 minutes', '{"staleSeconds": 600}', /staleSeconds: must be at most 420 \(the window and CloudWatch's lag\): an older datapoint is of a fleet that has moved on, and its load misleads the outlier rules$/m],
    ['a dead ratio near 1', '{"coldRatio": 0.8}', /coldRatio: must be at most 0.4: a live instance runs near its share, and one of a zone of two beside zones of one, without cross-zone balancing, at half theirs: a ratio of 0.5 or near reads it dead$/m],
    ['a setting that was removed, with what took its place', '{"highMinutes": 3}', /highMinutes: no longer a setting: the band rules .* recentWindowMinutes/],
  ])('refuses %s', async (name, text, message) => {
    const r = await cli(['config', 'check', file(`${name}.json`, text)]);
    expect(r).toMatchObject({ code: 2, stdout: '' });
    expect(r.stderr).toMatch(message);
  });

  it('reads YAML, comments and all, for .yaml and .yml', async () => {
    const yaml = ['# the band, tighter than the default', 'low: 60   # percent', 'high: 80', 'mail:', '  to: [ops@example.com]  # who is paged', ''].join('\n');
    const r = await cli(['config', 'check', file('band.yaml', yaml), '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ low: 60, high: 80, mail: { to: ['ops@example.com'] } });
    const bad = await cli(['config', 'check', file('bad.yml', 'low: [60\n')]);
    expect([bad.code, bad.stdout]).toEqual([2, '']);
    expect(bad.stderr).toMatch(/^asg-watchdog: config file .*bad\.yml is not valid YAML at line 2, column 1: Flow sequence in block collection must be sufficiently indented and end with a \]\n$/);
    const twice = await cli(['config', 'check', file('twice.yaml', 'low: 60\nhigh: 80\nlow: 65\n')]);
    expect(twice.stderr).toMatch(/twice\.yaml is not valid YAML at line 3, column 1: Map keys must be unique\n$/);
    const comments = await cli(['config', 'check', file('comments.yaml', '# the band, some day\n')]);
    expect(comments.stderr).toMatch(/comments\.yaml is empty: it holds no settings/);
    const typo = await cli(['config', 'check', file('typo.yaml', 'hihg: 80\n')]);
    expect(typo.stderr).toMatch(/typo\.yaml: \(top level\): unknown key "hihg" \(did you mean "high"\?\)/);
  });

  it('prints the effective settings, defaults filled in', async () => {
    const r = await cli(['config', 'check', file('ok.json', '{"low": 60, "high": 80}'), '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ low: 60, high: 80, urgent: 95, hotKillMinutes: 5, maxStepUp: null });
  });
});
