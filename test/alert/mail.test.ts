// Alert mail from `watch` and `alert test`, to a real SMTP server and to a local SES endpoint.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { composeMail } from '../../src/alert/compose.js';
import { redact } from '../../src/redact.js';
import { sendMail } from '../../src/alert/mailer.js';
import { cli } from '../cli/run.js';
import { shipped, startLocal, type Local } from '../e2e/local.js';
import { startSmtp, type SmtpPeer } from './smtp.js';
import { scratchDir } from '../scratch.js';

let local: Local | null = null;
let smtp: SmtpPeer | null = null;
afterEach(async () => {
  await local?.close();
  await smtp?.close();
  local = null;
  smtp = null;
});

const smtpUrl = (peer: SmtpPeer) => `smtp://127.0.0.1:${peer.port}`;

describe('watch mails its alerts', () => {
  it('an emergency +1: the subject says it all; the body has the decision, the band, the table and the history', async () => {
    smtp = await startSmtp();
    local = await startLocal(shipped('runaway-cpu'), { advanceTo: 15 });
    const r = await local.watch(['-m', 'ops@example.com', '-m', 'oncall@example.com', '--smtp-url', smtpUrl(smtp), '--mail-from', 'watchdog@example.com']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/alert \(mailed\): web: i-00000000100000000 runaway/);
    expect(smtp.received).toHaveLength(1);
    const { mail, from, to } = smtp.received[0]!;
    expect(from).toBe('watchdog@example.com');
    expect(to).toEqual(['ops@example.com', 'oncall@example.com']);
    expect(mail.subject).toBe('[asg-watchdog] web: i-00000000100000000 runaway (CPU 100.0 % vs 50.4 %); emergency +1, desired 2 → 3');
    expect(mail.text).toMatch(/^web in us-east-1 at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\n/);
    expect(mail.text).toContain('Decision: runaway: i-00000000100000000 CPU 100.0 % vs 50.4 % of its working peers, first seen now; emergency +1 (done)');
    // Beside an action, what the band rules saw; the fleet's figures head the table.
    expect(mail.text).toContain('\nBand: below the band, held by the N−1 rule: fleet load 101 % (p75 of the last 5 min) on 2 = 50.5 % < 70.0 %, but with one fewer 101.1 % ≥ 71.3 %\n');
    expect(mail.text).toMatch(/\nInstances:\nweb: 2 in service \(min 2, max 6, desired 2\), average 75\.\d %, with one fewer 150\.\d %\n/);
    expect(mail.text).toMatch(/│ i-00000000100000000 │ 100\.0 % │ InService │ Healthy │ in │ us-east-1a │ c5\.large │ 10\.0\.0\.10/);
    expect(mail.text).toMatch(/The last 30 minutes:\ntime {3}serving {2}desired {2}average {2}action\n\d\d:\d\d {8}2 {8}3 {3}75\.\d % {2}runaway\n/);
    expect(mail.html).toBe(false);
  });

  it('a kill: "terminated …", and the same alert is not mailed twice within 30 minutes', async () => {
    smtp = await startSmtp();
    local = await startLocal(shipped('runaway-cpu'), { advanceTo: 15 });
    const mailFlags = ['-m', 'ops@example.com', '--smtp-url', smtpUrl(smtp)];
    for (let minute = 15; minute <= 21; minute++) {
      await local.watch(mailFlags);
      local.server.world.advance(1);
    }
    expect(smtp.received.map((r) => r.mail.subject)).toEqual([
      '[asg-watchdog] web: i-00000000100000000 runaway (CPU 100.0 % vs 50.4 %); emergency +1, desired 2 → 3',
      expect.stringMatching(/^\[asg-watchdog\] web: terminated i-00000000100000000 \(runaway, CPU 100\.0 % vs \d\d\.\d %\); desired 3 → 2$/),
    ]);
  });

  it('a dry run sends nothing', async () => {
    smtp = await startSmtp();
    local = await startLocal(shipped('runaway-cpu'), { advanceTo: 15 });
    const r = await local.watch(['--dry-run', '-m', 'ops@example.com', '--smtp-url', smtpUrl(smtp)]);
    expect(r.stdout).toMatch(/alert: web: i-00000000100000000 runaway/);
    expect(smtp.received).toEqual([]);
  });

  it('ordinary band scaling mails nothing unless configured', async () => {
    smtp = await startSmtp();
    local = await startLocal(shipped('web-day'), { advanceTo: 360 });
    let scaled = 0;
    for (let i = 0; i < 12; i++) {
      const out = JSON.parse((await local.watch(['--json', '-m', 'ops@example.com', '--smtp-url', smtpUrl(smtp)])).stdout);
      if (out.executed) scaled++;
      local.server.world.advance(1);
    }
    expect(scaled).toBeGreaterThan(0);
    expect(smtp.received).toEqual([]);
  });

  it('the SMTP server down: the action stands, the failure is reported, exit 4, the alert kept in the outbox', async () => {
    local = await startLocal(shipped('runaway-cpu'), { advanceTo: 15 });
    const r = await local.watch(['-m', 'ops@example.com', '--smtp-url', 'smtp://127.0.0.1:9']);
    expect(r.code).toBe(4);
    expect(r.stdout).toMatch(/done: set desired 2 → 3/);
    expect(r.stdout).toMatch(/mail failed: mail to ops@example.com via smtp:\/\/127\.0\.0\.1:9 failed: connection refused \(connect ECONNREFUSED 127\.0\.0\.1:9\)/);
    expect(local.server.world.groups.get('web')!.desired).toBe(3);
    const { readFileSync } = await import('node:fs');
    const saved = JSON.parse(readFileSync(`${local.stateDir}/us-east-1--web.json`, 'utf8'));
    expect(saved.engine.alertsSent).toEqual({});
    expect(saved.outbox).toEqual([{ key: 'runaway:i-00000000100000000', subject: expect.stringMatching(/emergency \+1, desired 2 → 3$/), at: local.server.world.virtualNow() }]);
  });

  it('a kill whose mail failed goes with the next tick that can mail, though nothing new is due', async () => {
    local = await startLocal(shipped('runaway-cpu'), { advanceTo: 15 });
    const down = ['-m', 'ops@example.com', '--smtp-url', 'smtp://127.0.0.1:9'];
    const codes: number[] = [];
    for (let minute = 15; minute <= 20; minute++) {
      codes.push((await local.watch(down)).code);
      local.server.world.advance(1);
    }
    expect(codes).toEqual([4, 4, 4, 4, 4, 4]);
    smtp = await startSmtp();
    const dry = await local.watch(['--dry-run', '-m', 'ops@example.com', '--smtp-url', smtpUrl(smtp)]);
    expect(dry.stdout).toMatch(/2 earlier alerts still waiting to be mailed/);
    const r = await local.watch(['-m', 'ops@example.com', '--smtp-url', smtpUrl(smtp)]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/2 earlier alerts went with this mail/);
    expect(smtp.received.map((m) => m.mail.subject)).toEqual([expect.stringMatching(/^\[asg-watchdog\] web: i-00000000100000000 runaway .*emergency \+1, desired 2 → 3 \(\+1 more\)$/)]);
    expect(smtp.received[0]!.mail.text).toMatch(/\* web: terminated i-00000000100000000 \(runaway/);
    local.server.world.advance(1);
    await local.watch(['-m', 'ops@example.com', '--smtp-url', smtpUrl(smtp)]);
    expect(smtp.received).toHaveLength(1);
  });

  it('an alert that could not be mailed goes out at the next tick that still has it', async () => {
    // CloudWatch is out from minute 30: blind from the first tick, the alert due after 5 minutes.
    local = await startLocal(shipped('cloudwatch-outage'), { advanceTo: 36 });
    let last = '';
    for (let minute = 36; minute <= 41; minute++) {
      last = (await local.watch(['-m', 'ops@example.com', '--smtp-url', 'smtp://127.0.0.1:9'])).stdout;
      local.server.world.advance(1);
    }
    expect(last).toMatch(/alert: web: blind[\s\S]*mail failed/);
    smtp = await startSmtp();
    await local.watch(['-m', 'ops@example.com', '--smtp-url', smtpUrl(smtp)]);
    expect(smtp.received.map((r) => r.mail.subject)).toEqual([expect.stringMatching(/^\[asg-watchdog\] web: blind, 0 of 4 instances measured for \d+ min; no scaling and no kills$/)]);
  });

  it('a recipient the server refuses: reported, the password never shown', async () => {
    smtp = await startSmtp({
      onAuth: (_auth, _session, callback) => callback(null, { user: 'alice' }),
      onRcptTo(address, _session, callback) {
        callback(address.address.startsWith('nobody') ? Object.assign(new Error('5.1.1 no such user'), { responseCode: 550 }) : undefined);
      },
    });
    local = await startLocal(shipped('runaway-cpu'), { advanceTo: 15 });
    const r = await local.watch(['-m', 'nobody@example.com', '--smtp-url', `smtp://alice:s3cret@127.0.0.1:${smtp.port}`]);
    expect(r.stdout).toMatch(/mail failed: mail to nobody@example.com via smtp:\/\/alice:\*\*\*@127\.0\.0\.1:\d+ failed: .*550 5\.1\.1 no such user/);
    expect(r.stdout + r.stderr).not.toContain('s3cret');
  });

  it('AWS failing for 3 ticks in a row: one mail', async () => {
    smtp = await startSmtp();
    local = await startLocal(shipped('runaway-cpu'), { failures: [{ operation: 'DescribeAutoScalingGroups', rate: 1, kind: 'error' }] });
    const codes = [];
    for (let i = 0; i < 4; i++) {
      codes.push((await local.watch(['-m', 'ops@example.com', '--smtp-url', smtpUrl(smtp)])).code);
      local.server.world.advance(1);
    }
    expect(codes).toEqual([1, 1, 1, 1]);
    expect(smtp.received.map((r) => r.mail.subject)).toEqual([expect.stringMatching(/^\[asg-watchdog\] web: AWS failing for 3 ticks in a row since .*: DescribeAutoScalingGroups failed at .* after 3 attempts: InternalFailure/)]);
  });

  it('a corrupt state file is mailed', async () => {
    smtp = await startSmtp();
    local = await startLocal(shipped('runaway-cpu'), { advanceTo: 5 });
    const { writeFileSync } = await import('node:fs');
    writeFileSync(`${local.stateDir}/us-east-1--web.json`, 'garbage');
    await local.watch(['-m', 'ops@example.com', '--smtp-url', smtpUrl(smtp)]);
    expect(smtp.received[0]!.mail.subject).toMatch(/^\[asg-watchdog\] web: state file was corrupt \(not JSON: .*\); moved to .*corrupt-/);
  });
});

describe('transport settings are passed through', () => {
  it('SMTPS with AUTH', async () => {
    smtp = await startSmtp({
      secure: true,
      authOptional: false,
      onAuth(auth, _session, callback) {
        if (auth.username === 'alice' && auth.password === 's3cret') callback(null, { user: 'alice' });
        else callback(new Error('bad credentials'));
      },
    });
    const r = await cli(['alert', 'test', '-m', 'ops@example.com', '--smtp-url', `smtps://alice:s3cret@127.0.0.1:${smtp.port}?tls.rejectUnauthorized=false`]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^test mail sent to ops@example.com/);
    expect(smtp.received[0]).toMatchObject({ user: 'alice', secure: true });
    expect(smtp.received[0]!.mail.subject).toMatch(/^\[asg-watchdog\] test mail from /);
  });

  it('addresses as nodemailer reads them: display names, quoted commas, lists', async () => {
    smtp = await startSmtp();
    const r = await cli(['alert', 'test', '-m', 'Ops <ops@example.com>', '-m', '"Smith, J" <j@example.com>, oncall@example.com', '--mail-from', 'Watchdog <wd@example.com>', '--smtp-url', smtpUrl(smtp)]);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(smtp.received[0]).toMatchObject({ from: 'wd@example.com', to: ['ops@example.com', 'j@example.com', 'oncall@example.com'] });
    const names = (field: unknown) => (field as { value: Array<{ name: string; address: string }> }).value.map((m) => [m.name, m.address]);
    expect(names(smtp.received[0]!.mail.to)).toEqual([['Ops', 'ops@example.com'], ['Smith, J', 'j@example.com'], ['', 'oncall@example.com']]);
    expect(names(smtp.received[0]!.mail.from)).toEqual([['Watchdog', 'wd@example.com']]);
  });

  it('wrong credentials: exit 1, the password redacted', async () => {
    smtp = await startSmtp({ authOptional: false, onAuth: (_a, _s, cb) => cb(new Error('bad credentials')) });
    const r = await cli(['alert', 'test', '-m', 'ops@example.com', '--smtp-url', `smtp://alice:wrong@127.0.0.1:${smtp.port}`]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^asg-watchdog: mail to ops@example.com via smtp:\/\/alice:\*\*\*@127\.0\.0\.1:\d+ failed: .*bad credentials/);
    expect(r.stderr).not.toContain('wrong');
  });

  it.each([
    [['alert', 'test'], /alert test needs -m ADDRESS/],
    [['alert', 'test', '-m', 'not-an-address'], /-m not-an-address: not a mail address/],
    [['alert', 'test', '-m', 'Ops <not-an-address>'], /-m Ops <not-an-address>: not a mail address/],
    [['alert', 'test', '-m', 'a@b.c', '--mail-from', 'a@b.c, d@e.f'], /--mail-from a@b.c, d@e.f: one address, not 2/],
    [['alert', 'test', '-m', 'a@b.c', '--smtp-url', 'http://x'], /--smtp-url must look like smtp:\/\/host:port/],
  ])('refuses %j, exit 2', async (argv, message) => {
    const r = await cli(argv);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it('Amazon SES: the SESv2 SendEmail request, to a local endpoint', async () => {
    const requests: Array<{ url: string; body: string; auth: string }> = [];
    const ses = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        requests.push({ url: req.url ?? '', body, auth: String(req.headers.authorization ?? '') });
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ MessageId: '0100-local-ses' }));
      });
    });
    await new Promise<void>((r) => ses.listen(0, '127.0.0.1', () => r()));
    try {
      const port = (ses.address() as AddressInfo).port;
      const out = await sendMail(
        { transport: { kind: 'ses', aws: { region: 'eu-west-1', endpoint: `http://127.0.0.1:${port}`, credentials: { accessKeyId: 'AKID', secretAccessKey: 'x' } } }, from: 'watchdog@example.com', to: ['ops@example.com'] },
        { subject: '[asg-watchdog] web: test', text: 'hello\n' },
      );
      expect(out).toMatchObject({ sent: true });
      expect(requests).toHaveLength(1);
      expect(requests[0]!.url).toBe('/v2/email/outbound-emails');
      expect(requests[0]!.auth).toMatch(/Credential=AKID\/\d{8}\/eu-west-1\/ses\/aws4_request/);
      const body = JSON.parse(requests[0]!.body);
      const raw = Buffer.from(body.Content.Raw.Data, 'base64').toString();
      expect(raw).toMatch(/^From: watchdog@example.com\r\n/m);
      expect(raw).toMatch(/^To: ops@example.com\r\n/m);
      expect(raw).toMatch(/^Subject: \[asg-watchdog\] web: test\r\n/m);
    } finally {
      ses.close();
    }
  });

  it('Amazon SES without credentials: what to set, as for any AWS call', async () => {
    const none = () => Promise.reject(Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }));
    const out = await sendMail(
      { transport: { kind: 'ses', aws: { region: 'eu-west-1', endpoint: 'http://127.0.0.1:9', credentials: none } }, from: 'watchdog@example.com', to: ['ops@example.com'] },
      { subject: '[asg-watchdog] web: test', text: 'hello\n' },
    );
    expect(out).toEqual({
      sent: false,
      error: 'mail to ops@example.com via SES in eu-west-1 failed: no AWS credentials found for SendEmail: set AWS_PROFILE (or --profile), AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or run where an instance role is available',
    });
  });
});

describe('composing', () => {
  it('counts the other alerts in the subject', () => {
    const mail = composeMail({ group: 'web', region: 'r', time: 0, alerts: ['web: one', 'web: two'], decision: 'd', band: null, table: 't', history: [], host: 'h', version: 'v' });
    expect(mail.subject).toBe('[asg-watchdog] web: one (+1 more)');
    expect(mail.text).toContain('* web: one\n* web: two\n');
  });
  // The tick passes the band's line beside an action or a block, null where the decision ("no action: in band: …") says it.
  it.each([
    { what: 'beside an action', band: 'in band: fleet load 160 % on 2 = 80.0 %', expected: 'Decision: d\nBand: in band: fleet load 160 % on 2 = 80.0 %\n\nInstances:\nt\n' },
    { what: 'said by the decision', band: null, expected: 'Decision: d\n\nInstances:\nt\n' },
  ])('the band: $what', ({ band, expected }) => {
    const mail = composeMail({ group: 'web', region: 'r', time: 0, alerts: ['web: one'], decision: 'd', band, table: 't', history: [], host: 'h', version: 'v' });
    expect(mail.text).toContain(expected);
  });
  it.each<{ text: string; url: string; expected: string }>([
    { text: 'smtp://alice:s3cret@mail:25', url: 'smtp://alice:s3cret@mail:25', expected: 'smtp://alice:***@mail:25' },
    { text: 'failed smtps://u:pw@h:465?x=1', url: 'smtps://u:pw@h:465?x=1', expected: 'failed smtps://u:***@h:465?x=1' },
    { text: 'smtp://mail:25', url: 'smtp://mail:25', expected: 'smtp://mail:25' },
    // A user with @ (the last @ ends the userinfo): the password after it, not the user's domain.
    { text: 'via smtp://alice@example.com:secret@mail:25', url: 'smtp://alice@example.com:secret@mail:25', expected: 'via smtp://alice@example.com:***@mail:25' },
    // Encoded in the URL as it must be, and decoded in a server's answer: both go.
    { text: 'smtp://a:p%40ss%20w@h said: bad login p@ss w', url: 'smtp://a:p%40ss%20w@h', expected: 'smtp://a:***@h said: bad login ***' },
  ])('redacts $text', ({ text, url, expected }) => expect(redact(text, url)).toBe(expected));
});

describe('the config file can hold the mail settings', () => {
  it('watch -c mails as the "mail" section says; config check shows it with the password hidden', async () => {
    const { writeFileSync } = await import('node:fs');
    smtp = await startSmtp({ onAuth: (_a, _s, cb) => cb(null, { user: 'alice' }) });
    local = await startLocal(shipped('runaway-cpu'), { advanceTo: 15 });
    const file = `${scratchDir('asgw-mailcfg-')}/watchdog.json`;
    writeFileSync(file, JSON.stringify({ high: 85, mail: { to: ['ops@example.com'], smtpUrl: `smtp://alice:s3cret@127.0.0.1:${smtp.port}`, from: 'wd@example.com' } }));
    await local.watch(['-c', file]);
    expect(smtp.received.map((r) => [r.from, r.to, r.user])).toEqual([['wd@example.com', ['ops@example.com'], 'alice']]);
    const check = await cli(['config', 'check', file]);
    expect(check.stdout).toMatch(/\n {2}mail +to ops@example.com via smtp:\/\/alice:\*\*\*@127\.0\.0\.1:\d+ from wd@example.com\n/);
    expect(check.stdout).not.toContain('s3cret');
  });

  it('a bad mail section is one line, exit 2', async () => {
    const { writeFileSync } = await import('node:fs');
    const file = `${scratchDir('asgw-mailcfg-')}/bad.json`;
    writeFileSync(file, JSON.stringify({ mail: { to: 'ops@example.com' } }));
    const r = await cli(['config', 'check', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad\.json: mail\.to: expected a list, not text$/m);
  });
});
