// Input nobody meant as an action must never act: each bad invocation is exit 2, one line naming
// the flag, no AWS call (counted by local-aws) and no file written.
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { LocalAws } from '../../src/local-aws/server.js';
import { loadScenario } from '../../src/sim/scenario.js';
import { inProcess } from './run.js';
import { scratchDir } from '../scratch.js';

const root = scratchDir('asgw-strict-');
const stateDir = join(root, 'state');
const lockDir = join(root, 'locks');
const out = join(root, 'out');
mkdirSync(out);
const goodConfig = join(root, 'good.json');
writeFileSync(goodConfig, '{"low": 60, "high": 80}');
const scenario = new URL('../../scenarios/runaway-cpu.json', import.meta.url).pathname;

let server: LocalAws;
let env: Record<string, string>;
beforeAll(async () => {
  server = new LocalAws(loadScenario(scenario), { port: 0, speed: 0, advanceTo: 15 });
  const url = await server.listen();
  // The machine's own ~/.aws files stay out of it: the SDK reads the process's environment.
  const none = join(root, 'no-such-aws-file');
  env = { AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL: url, AWS_CONFIG_FILE: none, AWS_SHARED_CREDENTIALS_FILE: none, ASG_WATCHDOG_STATE_DIR: stateDir, ASG_WATCHDOG_LOCK_DIR: lockDir };
  // The SDK reads credentials from the process: with them, a flag that slipped through would call.
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'test');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'test');
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await server.close();
});

const W = ['watch', '-g', 'web'];
const I = ['instances', '-g', 'web'];
const S = ['simulate', '--scenario', scenario];
const L = ['local-aws', '--scenario', scenario, '--port', '0'];

interface Row {
  what: string;
  argv: string[];
  /** The one line on stderr, after `asg-watchdog: `. */
  says: RegExp;
}

const rows: Row[] = [
  // Booleans: only bare, or =true / =false.
  { what: 'watch --dry-run=yes', argv: [...W, '--dry-run=yes'], says: /^--dry-run takes no value, or =true \/ =false; not "yes"$/ },
  { what: 'watch --dry-run=1', argv: [...W, '--dry-run=1'], says: /^--dry-run takes no value/ },
  { what: 'watch --dry-run=TRUE', argv: [...W, '--dry-run=TRUE'], says: /^--dry-run takes no value/ },
  { what: 'watch --dry-run=', argv: [...W, '--dry-run='], says: /^--dry-run takes no value/ },
  { what: 'watch --dryRun=yes', argv: [...W, '--dryRun=yes'], says: /^--dry-run takes no value/ },
  { what: 'watch -d=yes', argv: [...W, '-d=yes'], says: /^--dry-run takes no value$/ },
  { what: 'watch --no-dry-run=yes', argv: [...W, '--no-dry-run=yes'], says: /^--no-dry-run takes no value$/ },
  { what: 'watch -d -d', argv: [...W, '-d', '-d'], says: /^--dry-run given more than once$/ },
  { what: 'watch --dry-run yes', argv: [...W, '--dry-run', 'yes'], says: /^--dry-run takes no value, or =true \/ =false; not "yes"$/ },
  { what: 'watch -d yes', argv: [...W, '-d', 'yes'], says: /^--dry-run takes no value, or =true \/ =false; not "yes"$/ },
  { what: 'watch --json=no', argv: [...W, '--json=no'], says: /^--json takes no value/ },
  { what: 'instances -k ID --dry-run=yes', argv: [...I, '-k', 'i-00000000100000000', '--dry-run=yes'], says: /^--dry-run takes no value/ },
  { what: 'instances -i 3 --dry-run=1', argv: [...I, '-i', '3', '--dry-run=1'], says: /^--dry-run takes no value/ },
  { what: 'instances -k ID --decrement=yes', argv: [...I, '-k', 'i-00000000100000000', '--decrement=yes'], says: /^--decrement takes no value/ },
  { what: 'instances -i 9 --force=1', argv: [...I, '-i', '9', '--force=1'], says: /^--force takes no value/ },
  { what: 'instances --all=yes', argv: [...I, '--all=yes'], says: /^--all takes no value/ },
  { what: 'simulate --json=1', argv: [...S, '--json=1'], says: /^--json takes no value/ },
  // Empty or missing values.
  { what: "instances -i ''", argv: [...I, '-i', ''], says: /^--set-desired needs a value$/ },
  { what: 'instances -i at the end', argv: [...I, '-i'], says: /^--set-desired needs a value$/ },
  { what: 'instances -i followed by a flag', argv: [...I, '-i', '--force'], says: /^--set-desired needs a value$/ },
  { what: "instances --set-desired=''", argv: [...I, '--set-desired='], says: /^--set-desired needs a value$/ },
  { what: "instances -k ''", argv: [...I, '-k', ''], says: /^--kill needs a value$/ },
  { what: 'instances -k at the end', argv: [...I, '-k'], says: /^--kill needs a value$/ },
  { what: 'watch -c alone', argv: [...W, '-c'], says: /^--config needs a value$/ },
  { what: "watch -c ''", argv: [...W, '-c', ''], says: /^--config needs a value$/ },
  { what: "watch -m ''", argv: [...W, '-m', ''], says: /^--mail needs a value$/ },
  { what: 'watch -m alone', argv: [...W, '-m'], says: /^--mail needs a value$/ },
  { what: 'watch -m ops@x.org then empty', argv: [...W, '-m', 'ops@x.org', ''], says: /^--mail needs a value$/ },
  { what: 'watch --low alone', argv: [...W, '--low'], says: /^--low needs a value$/ },
  { what: "watch --low ''", argv: [...W, '--low', ''], says: /^--low needs a value$/ },
  { what: 'watch --high followed by a flag', argv: [...W, '--high', '-d'], says: /^--high needs a value$/ },
  { what: "watch -g ''", argv: ['watch', '-g', ''], says: /^--group needs a value$/ },
  { what: 'watch -g alone', argv: ['watch', '-g'], says: /^--group needs a value$/ },
  { what: "watch --state-dir ''", argv: [...W, '--state-dir', ''], says: /^--state-dir needs a value$/ },
  { what: "watch --region ''", argv: [...W, '--region', ''], says: /^--region needs a value$/ },
  { what: 'watch --profile alone', argv: [...W, '--profile'], says: /^--profile needs a value$/ },
  { what: "watch --endpoint-url ''", argv: [...W, '--endpoint-url', ''], says: /^--endpoint-url needs a value$/ },
  { what: "watch --smtp-url ''", argv: [...W, '--smtp-url', ''], says: /^--smtp-url needs a value$/ },
  { what: 'watch --mail-from alone', argv: [...W, '--mail-from'], says: /^--mail-from needs a value$/ },
  { what: "watch --mail-transport ''", argv: [...W, '--mail-transport', ''], says: /^--mail-transport needs a value$/ },
  { what: "simulate --scenario ''", argv: ['simulate', '--scenario', ''], says: /^--scenario needs a value$/ },
  { what: 'simulate --chart alone', argv: [...S, '--chart'], says: /^--chart needs a value$/ },
  { what: 'local-aws --fail alone', argv: [...L, '--fail'], says: /^--fail needs a value$/ },
  { what: 'alert test -m alone', argv: ['alert', 'test', '-m'], says: /^--mail needs a value$/ },
  // Numbers: plain decimal only.
  { what: 'watch --low 0x10', argv: [...W, '--low', '0x10'], says: /^--low "0x10": expected a decimal number of 0 or more$/ },
  { what: 'watch --low NaN', argv: [...W, '--low', 'NaN'], says: /^--low "NaN": expected a decimal number of 0 or more$/ },
  { what: 'watch --high Infinity', argv: [...W, '--high', 'Infinity'], says: /^--high "Infinity": expected a decimal number of 0 or more$/ },
  { what: 'watch --urgent 1e2', argv: [...W, '--urgent', '1e2'], says: /^--urgent "1e2": expected a decimal number of 0 or more$/ },
  { what: 'watch -u " 95"', argv: [...W, '-u', ' 95'], says: /^--urgent " 95": expected a decimal number of 0 or more$/ },
  { what: 'watch --low=0b11', argv: [...W, '--low=0b11'], says: /^--low "0b11": expected a decimal number of 0 or more$/ },
  { what: 'instances -i 0x3', argv: [...I, '-i', '0x3'], says: /^--set-desired "0x3": expected a decimal number of 0 or more$/ },
  { what: 'instances -i four', argv: [...I, '-i', 'four'], says: /^--set-desired "four": expected a decimal number of 0 or more$/ },
  { what: 'instances -i -0', argv: [...I, '-i', '-0'], says: /^--set-desired "-0": expected a decimal number of 0 or more$/ },
  { what: 'watch --low -5', argv: [...W, '--low', '-5'], says: /^--low "-5": expected a decimal number of 0 or more$/ },
  { what: 'watch -- --dry-run (set aside by yargs: a real run)', argv: [...W, '--', '--dry-run'], says: /^nothing is taken after '--' \("--dry-run" would be ignored\)$/ },
  { what: 'instances -i 2.5', argv: [...I, '-i', '2.5'], says: /^--set-desired "2.5": expected a whole number of 0 or more$/ },
  { what: 'instances -i -1', argv: [...I, '-i', '-1'], says: /^--set-desired "-1": expected a decimal number of 0 or more$/ },
  { what: 'simulate --low 7O', argv: [...S, '--low', '7O'], says: /^--low "7O": expected a decimal number of 0 or more$/ },
  { what: 'local-aws --port 0x50', argv: [...L.slice(0, 3), '--port', '0x50'], says: /^--port "0x50": expected a decimal number of 0 or more$/ },
  { what: 'local-aws --speed NaN', argv: [...L, '--speed', 'NaN'], says: /^--speed "NaN": expected a decimal number of 0 or more$/ },
  { what: 'local-aws --latency-ms 1e3', argv: [...L, '--latency-ms', '1e3'], says: /^--latency-ms "1e3": expected a decimal number of 0 or more$/ },
  // A single-value flag given twice.
  { what: 'watch -g twice', argv: [...W, '-g', 'api'], says: /^--group given more than once$/ },
  { what: 'watch --low twice', argv: [...W, '--low', '60', '--low', '65'], says: /^--low given more than once$/ },
  { what: 'watch -c twice', argv: [...W, '-c', goodConfig, '--config', goodConfig], says: /^--config given more than once$/ },
  { what: 'watch --region twice', argv: [...W, '--region', 'us-east-1', '--region', 'eu-west-1'], says: /^--region given more than once$/ },
  { what: 'instances -i twice', argv: [...I, '-i', '3', '-i', '4'], says: /^--set-desired given more than once$/ },
  { what: 'instances -k twice', argv: [...I, '-k', 'i-1', '-k', 'i-2'], says: /^--kill given more than once$/ },
  { what: 'simulate --scenario twice', argv: [...S, '--scenario', scenario], says: /^--scenario given more than once$/ },
  // A newline or another control character in a value.
  { what: 'watch -g with a newline', argv: ['watch', '-g', 'web\nrm -rf'], says: /^--group: a value may not contain a newline/ },
  { what: 'instances -k with a newline', argv: [...I, '-k', 'i-1\n'], says: /^--kill: a value may not contain a newline/ },
  { what: 'watch -m with a tab', argv: [...W, '-m', 'ops@x.org\t'], says: /^--mail: a value may not contain a newline/ },
  { what: 'watch --state-dir with a newline', argv: [...W, '--state-dir', '/tmp/a\nb'], says: /^--state-dir: a value may not contain a newline/ },
  // What the handlers refuse.
  { what: 'instances -i with -k', argv: [...I, '-i', '3', '-k', 'i-1'], says: /^--set-desired and --kill go one at a time$/ },
  { what: 'instances --decrement without -k', argv: [...I, '--decrement'], says: /^--decrement goes with -k ID$/ },
  { what: 'instances --force without -i or -k', argv: [...I, '--force'], says: /^--force goes with -i N or -k ID$/ },
  { what: 'watch -c /dev/zero', argv: [...W, '-c', '/dev/zero'], says: /^cannot read config file \/dev\/zero: not a regular file$/ },
  { what: 'watch -c a directory', argv: [...W, '-c', root], says: /^cannot read config file .*: it is a directory( \(EISDIR\))?$/ },
  { what: 'watch --low above --high', argv: [...W, '--low', '90'], says: /^flags: low: 90 must be below high \(85\)$/ },
  { what: 'watch --low 0', argv: [...W, '--low', '0'], says: /^flags: low: 0 must be above coldLoad \(4\)$/ },
  { what: 'watch --mail-transport pigeon', argv: [...W, '--mail-transport', 'pigeon'], says: /^--mail-transport "pigeon": expected one of "smtp", "ses"$/ },
  { what: 'watch -m not an address', argv: [...W, '-m', 'ops'], says: /^-m ops: not a mail address$/ },
  { what: 'watch --smtp-url with a / in the password', argv: [...W, '-m', 'ops@x.org', '--smtp-url', 'smtp://alice:pa/ss@127.0.0.1:25'], says: /^--smtp-url is not a valid URL: percent-encode/ },
  { what: 'watch --endpoint-url not a URL', argv: [...W, '--endpoint-url', 'localhost:4566'], says: /^--endpoint-url must be an http\(s\) URL/ },
  { what: 'watch with a stray word', argv: [...W, 'now'], says: /^unexpected "now": asg-watchdog watch --help lists what it takes$/ },
  { what: 'simulate --policy nobody', argv: [...S, '--policy', 'nobody'], says: /^--policy "nobody": expected one of "watchdog", "seed", / },
  { what: 'demo --bogus', argv: ['demo', '--bogus'], says: /^unknown option --bogus: asg-watchdog demo --help lists what it takes$/ },
  { what: 'config check with no file', argv: ['config', 'check'], says: /^which file\? asg-watchdog config check FILE$/ },
  // The original watchdog's flag: the one it may mean is named, nothing runs.
  { what: 'watch --dry', argv: [...W, '--dry'], says: /^unknown option --dry \(--dry-run\?\): asg-watchdog watch --help lists what it takes$/ },
  { what: 'instances --kil ID', argv: [...I, '--kil', 'i-1'], says: /^unknown option --kil \(--kill\?\): asg-watchdog instances --help lists what it takes$/ },
  { what: 'a command mistyped', argv: ['wach', '-g', 'web'], says: /^unknown command "wach": did you mean watch\? asg-watchdog --help lists the commands$/ },
  { what: 'status without a group', argv: ['status'], says: /^which group\? -g GROUP$/ },
  { what: 'simulate without a scenario', argv: ['simulate'], says: /^which scenario\? --scenario FILE \(scenarios\/ has some\)$/ },
];

describe('bad invocations: exit 2, one line, nothing called, nothing written', () => {
  it('the table is large enough to mean something', () => {
    expect(rows.length).toBeGreaterThanOrEqual(60);
  });

  it.each(rows)('$what', async ({ argv, says }) => {
    server.resetCallCounts();
    const r = await inProcess(argv.map((a) => a.replace('OUT', out)), env);
    expect({ code: r.code, stdout: r.stdout, lines: r.stderr.split('\n').length }).toEqual({ code: 2, stdout: '', lines: 2 });
    expect(r.stderr.replace(/^asg-watchdog: /, '').trimEnd()).toMatch(says);
    expect(server.callCounts()).toEqual({});
    expect(readdirSync(root).sort()).toEqual(['good.json', 'out']);
    expect(readdirSync(out)).toEqual([]);
  });

  it('the same harness sees the calls of a good invocation', async () => {
    server.resetCallCounts();
    const r = await inProcess([...W, '--dry-run'], env);
    expect(r.code).toBe(0);
    expect(server.callCounts()['DescribeAutoScalingGroups']).toBe(1);
  });
});
