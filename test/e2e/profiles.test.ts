// An operator's ~/.aws: `--profile` brings its region, credentials and endpoints to every call,
// SES included, with no AWS_* variable set. A temporary HOME with real config files; local-aws
// as the group's endpoint and a local SES endpoint.
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { inProcess } from '../cli/run.js';
import { shipped, startLocal, type Local } from './local.js';
import { scratchDir } from '../scratch.js';

let local: Local | null = null;
let ses: Server | null = null;
afterEach(async () => {
  await local?.close();
  ses?.close();
  local = null;
  ses = null;
});

interface SesRequest {
  auth: string;
  body: string;
}

/** A local SESv2 endpoint: answers `status` to every SendEmail and keeps the requests. */
async function startSes(status = 200): Promise<{ url: string; requests: SesRequest[] }> {
  const requests: SesRequest[] = [];
  ses = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      requests.push({ auth: String(req.headers.authorization ?? ''), body });
      res.writeHead(status, { 'content-type': 'application/json', ...(status !== 200 && { 'x-amzn-errortype': 'MessageRejected' }) });
      res.end(JSON.stringify(status === 200 ? { MessageId: '0100-local-ses' } : { message: 'Email address is not verified: ops@example.com' }));
    });
  });
  await new Promise<void>((r) => ses!.listen(0, '127.0.0.1', () => r()));
  return { url: `http://127.0.0.1:${(ses.address() as AddressInfo).port}`, requests };
}

/** A HOME whose ~/.aws has the profile `prod`: a region, keys, and the group's (and SES's) endpoints. */
function home(groupUrl: string, sesUrl: string | null): string {
  const dir = scratchDir('asgw-profile-home-');
  mkdirSync(join(dir, '.aws'));
  const services = sesUrl === null ? [] : ['services = prod-endpoints', '', '[services prod-endpoints]', 'sesv2 =', `  endpoint_url = ${sesUrl}`];
  writeFileSync(join(dir, '.aws', 'config'), ['[profile prod]', 'region = us-east-1', `endpoint_url = ${groupUrl}`, ...services, ''].join('\n'));
  writeFileSync(join(dir, '.aws', 'credentials'), ['[prod]', 'aws_access_key_id = AKIDPROD', 'aws_secret_access_key = prod-secret', ''].join('\n'));
  return dir;
}

/** The process's environment with nothing of AWS but HOME: what the profile must bring by itself. */
const bare = (dir: string, stateDir: string) => ({
  HOME: dir,
  AWS_REGION: '',
  AWS_DEFAULT_REGION: '',
  AWS_PROFILE: '',
  AWS_ENDPOINT_URL: '',
  AWS_ACCESS_KEY_ID: '',
  AWS_SECRET_ACCESS_KEY: '',
  AWS_CONFIG_FILE: '',
  AWS_SHARED_CREDENTIALS_FILE: '',
  AWS_EC2_METADATA_DISABLED: 'true',
  ASG_WATCHDOG_STATE_DIR: stateDir,
  ASG_WATCHDOG_LOCK_DIR: `${stateDir}-locks`,
});

describe('--profile brings region, credentials and endpoints', () => {
  it('watch --profile prod: the profile’s region and endpoint_url, with no AWS_* set', async () => {
    local = await startLocal(shipped('runaway-cpu'), { advanceTo: 15 });
    const r = await inProcess(['watch', '-g', 'web', '--profile', 'prod', '--dry-run', '--json'], bare(home(local.url, null), local.stateDir));
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(JSON.parse(r.stdout).action).toMatchObject({ rule: 'runaway' });
    expect(local.calls()['DescribeAutoScalingGroups']).toBe(1);
  });

  it('--mail-transport ses: the profile’s credentials, region and SES endpoint send the mail', async () => {
    const mailbox = await startSes();
    local = await startLocal(shipped('runaway-cpu'), { advanceTo: 15 });
    const r = await inProcess(['watch', '-g', 'web', '--profile', 'prod', '-m', 'ops@example.com', '--mail-from', 'wd@example.com', '--mail-transport', 'ses'], bare(home(local.url, mailbox.url), local.stateDir));
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(mailbox.requests).toHaveLength(1);
    expect(mailbox.requests[0]!.auth).toMatch(/Credential=AKIDPROD\/\d{8}\/us-east-1\/ses\/aws4_request/);
  });

  it('a mail SES refuses after the action: exit 4, the reason in one line, the action done', async () => {
    const mailbox = await startSes(400);
    local = await startLocal(shipped('runaway-cpu'), { advanceTo: 15 });
    const r = await inProcess(['watch', '-g', 'web', '--profile', 'prod', '-m', 'ops@example.com', '--mail-from', 'wd@example.com', '--mail-transport', 'ses'], bare(home(local.url, mailbox.url), local.stateDir));
    expect(r.code).toBe(4);
    expect(r.stdout).toMatch(/mail to ops@example\.com via SES in us-east-1 \(profile prod\) failed: Email address is not verified: ops@example\.com/);
    expect(local.calls()['SetDesiredCapacity']).toBe(1);
  });

  it('alert test takes --profile too', async () => {
    const mailbox = await startSes();
    const dir = home('http://127.0.0.1:9', mailbox.url);
    const r = await inProcess(['alert', 'test', '-m', 'ops@example.com', '--mail-from', 'wd@example.com', '--mail-transport', 'ses', '--profile', 'prod'], bare(dir, join(dir, 'state')));
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toMatch(/^test mail sent to ops@example.com \(/);
    expect(mailbox.requests[0]!.auth).toMatch(/Credential=AKIDPROD\//);
  });

  it('--profile nosuch names the profile, exit 2, nothing called', async () => {
    local = await startLocal(shipped('runaway-cpu'));
    const dir = home(local.url, null);
    const r = await inProcess(['watch', '-g', 'web', '--profile', 'nosuch'], bare(dir, local.stateDir));
    expect([r.code, r.stdout]).toEqual([2, '']);
    expect(r.stderr).toBe(`asg-watchdog: AWS profile 'nosuch' (--profile) is in neither ${dir}/.aws/config nor ${dir}/.aws/credentials\n`);
    expect(local.calls()).toEqual({});
  });
});
