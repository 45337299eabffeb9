// A config file listing many groups: each group's settings over the file's, every group validated
// when the file is read (a mistake in the 40th stops the run before the first is touched), and -g
// picking one of them.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { entryFor, loadConfigFile } from '../../src/config/index.js';
import { scratchDir } from '../scratch.js';

const dir = scratchDir('asgw-groups-');
let n = 0;
const file = (yaml: string) => {
  const path = join(dir, `f${n++}.yaml`);
  writeFileSync(path, yaml);
  return path;
};

describe('a file with "groups"', () => {
  it('gives each group the file\'s settings with its own over them', () => {
    const f = loadConfigFile(file(['high: 80', 'mail: {to: [ops@example.com], from: w@example.com}', 'paused: upgrade', 'groups:', '  - name: web', '    region: eu-west-1', '  - name: api', '    profile: prod', '    high: 90', '    mail: {to: [api@example.com]}', '    paused: false'].join('\n')));
    expect(f.groups).toEqual([
      { name: 'web', region: 'eu-west-1', profile: null, role: null, engine: { high: 80 }, mail: { to: ['ops@example.com'], from: 'w@example.com' }, paused: { reason: 'upgrade' } },
      { name: 'api', region: null, profile: 'prod', role: null, engine: { high: 90 }, mail: { to: ['api@example.com'], from: 'w@example.com' }, paused: null },
    ]);
  });

  it.each([
    { what: 'groups not a list', yaml: 'groups: web', error: 'groups: expected a list of groups, each with at least a name' },
    { what: 'an empty list', yaml: 'groups: []', error: 'groups: expected a list of groups, each with at least a name' },
    { what: 'a group without a name', yaml: 'groups:\n  - region: eu-west-1', error: 'groups.0: name: missing: the group\'s name goes in "name"' },
    { what: 'the name under another key', yaml: 'groups:\n  - group: web\n    region: eu-west-1', error: 'groups.0: name: missing: the group\'s name goes in "name", not in "group"' },
    { what: 'a name YAML reads as a number', yaml: 'groups:\n  - name: 2024', error: 'groups.0: name: 2024 is read as a number: write it in quotes ("2024") for the group of that name' },
    { what: 'a name with a colon', yaml: 'groups:\n  - name: "a:b"', error: 'groups.0: name: the group\'s name (1 to 255 characters, no \':\'), not "a:b"' },
    { what: 'a region that is not one', yaml: 'groups:\n  - name: web\n    region: Ireland', error: 'groups.0 (web): region: not a region name: "Ireland" (e.g. eu-west-1)' },
    { what: 'a role that is not a role ARN', yaml: 'groups:\n  - name: web\n    role: admin', error: 'groups.0 (web): role: not a role ARN: "admin" (e.g. arn:aws:iam::123456789012:role/asg-watchdog)' },
    { what: 'a group listed twice', yaml: 'groups:\n  - name: web\n  - name: web', error: 'groups.1 (web): listed twice' },
    { what: "a typo in the 2nd group's settings", yaml: 'groups:\n  - name: web\n  - name: api\n    hihg: 90', error: 'groups.1 (api): unknown key "hihg" (did you mean "high"?)' },
    { what: 'a bad value in a group', yaml: 'groups:\n  - name: web\n    low: 90', error: 'groups.0 (web): low: 90 must be below high (85)' },
    { what: 'a bad value at the top', yaml: 'low: 90\ngroups:\n  - name: web', error: 'low: 90 must be below high (85)' },
    { what: 'a bad mail of a group', yaml: 'groups:\n  - name: web\n    mail: {to: ops@example.com}', error: 'groups.0 (web): mail.to: expected a list, not text' },
    { what: 'a bad paused', yaml: 'groups:\n  - name: web\n    paused: 3', error: 'groups.0 (web): paused: true, false or a reason, not 3' },
    // YAML 1.2 reads no, off, yes as text: a reason, and the group paused where the operator meant to run it.
    { what: 'paused: no', yaml: 'groups:\n  - name: web\n    paused: no', error: 'groups.0 (web): paused: "no" is text here, which would pause the group with it as the reason: write true or false (unquoted), or the reason in words' },
    { what: 'paused: "false" at the top', yaml: 'paused: "false"\ngroups:\n  - name: web', error: 'paused: "false" is text here, which would pause the group with it as the reason: write true or false (unquoted), or the reason in words' },
  ])('refuses $what, naming it', ({ yaml, error }) => {
    const path = file(yaml);
    expect(() => loadConfigFile(path)).toThrow(`${path}: ${error}`);
  });

  it.each([
    { what: 'the group -g names', g: 'api', region: undefined, picks: 'api/null' },
    { what: 'one of two of a name, by --region', g: 'web', region: 'us-east-1', picks: 'web/us-east-1' },
  ])('-g picks $what', ({ g, region, picks }) => {
    const f = loadConfigFile(file('groups:\n  - name: web\n    region: eu-west-1\n  - name: web\n    region: us-east-1\n  - name: api'));
    const entry = entryFor(f, g, { region }, 'f.yaml');
    expect(`${entry.name}/${entry.region}`).toBe(picks);
  });

  it.each([
    { what: 'a group it does not list', g: 'wbe', region: undefined, error: "f.yaml: group 'wbe' is not in its groups (did you mean 'web'?)" },
    { what: 'a name in two regions without --region', g: 'web', region: undefined, error: "f.yaml: group 'web' is listed 2 times (eu-west-1; us-east-1): add --region or --profile" },
  ])('-g refuses $what', ({ g, region, error }) => {
    const f = loadConfigFile(file('groups:\n  - name: web\n    region: eu-west-1\n  - name: web\n    region: us-east-1\n  - name: api'));
    expect(() => entryFor(f, g, { region }, 'f.yaml')).toThrow(error);
  });

  it('a file without groups is the settings of whatever group -g names', () => {
    const f = loadConfigFile(file('high: 80'));
    expect([f.groups, entryFor(f, 'web', {}, 'f.yaml')]).toEqual([[], { name: 'web', region: null, profile: null, role: null, engine: { high: 80 }, mail: { to: [] }, paused: null }]);
  });
});
