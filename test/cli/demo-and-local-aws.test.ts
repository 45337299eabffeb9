import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { parseFailure } from '../../src/cli/local-aws.js';
import { BIN, bin, cli } from './run.js';

describe('asg-watchdog demo', () => {
  it('shows both provoked failures handled, end to end', async () => {
    const r = await bin(['demo', '--pace-ms', '0']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/1\. A runaway process[\s\S]*>>> the watchdog sets desired 2 → 3\n {6}runaway:[\s\S]*>>> the watchdog terminates i-\w+, desired 3 → 2\n {6}runaway:/);
    expect(r.stdout).toMatch(/2\. An instance dropped by the load balancer[\s\S]*>>> the watchdog terminates i-\w+, the group launches a replacement\n {6}detached:/);
    expect(r.stderr).toBe('');
  }, 30_000);
});

describe('asg-watchdog local-aws', () => {
  it('serves until told to stop, and answers the AWS CLI-style call it prints', async () => {
    const child = spawn(process.execPath, [BIN, 'local-aws', '--scenario', 'scenarios/runaway-cpu.json', '--port', '0', '--advance-to', '14']);
    const banner = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('clock:')) resolve(out);
      });
      child.on('exit', (code) => reject(new Error(`exited ${code}`)));
    });
    const url = /on (http:\/\/127\.0\.0\.1:\d+)/.exec(banner)![1]!;
    expect(((await (await fetch(`${url}/__local/clock`)).json()) as { minute: number }).minute).toBe(14);
    const r = await bin(['watch', '-g', 'web', '--dry-run', '--endpoint-url', url], { env: { AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'x', AWS_REGION: 'us-east-1' } });
    expect(r.stdout).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ web: 2 in service \(min 2, max 6, desired 2\), average/);
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 30_000);

  it.each([
    ['GetMetricData=0.2', { operation: 'GetMetricData', rate: 0.2, kind: 'throttle' }],
    ['*=1:unavailable', { operation: '*', rate: 1, kind: 'unavailable' }],
  ])('--fail %s', (text, knob) => expect(parseFailure(text)).toEqual(knob));

  it.each([['GetMetricData'], ['GetMetricData=2'], ['GetMetricData=0.5:explode']])('refuses --fail %s, exit 2', async (text) => {
    const r = await cli(['local-aws', '--scenario', 'scenarios/runaway-cpu.json', '--fail', text]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/expected OPERATION=RATE\[:KIND\]/);
  });

  // A knob on an operation never called fails nothing: a typo would leave a fault test without its faults.
  it.each([['GetMetricDatta=0.5'], ['cloudwatch=1'], ['describeautoscalinggroups=1']])('refuses --fail %s, an operation it does not serve: exit 2', async (text) => {
    const r = await cli(['local-aws', '--scenario', 'scenarios/runaway-cpu.json', '--fail', text]);
    expect([r.code, r.stdout]).toEqual([2, '']);
    expect(r.stderr).toMatch(new RegExp(`^asg-watchdog: --fail ${text.split('=')[0]}=…: not an operation local-aws serves; one of DescribeAutoScalingGroups, .*GetMetricData, .*, a service \\(autoscaling, monitoring, elb, elbv2, ec2\\) or \\*\n$`));
  });
});
