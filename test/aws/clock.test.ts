// AWS's clock, as its answers tell it (their Date header), against the run's: the collector hands
// it to the engine (Snapshot.clockOffsetSeconds), whose rails hold every removal when the two are
// more than a minute apart (test/engine/conditions-and-rails.test.ts, test/tick/clock.test.ts).
import { afterEach, describe, expect, it } from 'vitest';
import { DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import { makeClients, type Clients } from '../../src/aws/clients.js';
import { clockWords } from '../../src/engine/clock.js';
import { LocalAws } from '../../src/local-aws/server.js';
import { shipped } from '../e2e/local.js';

let server: LocalAws | null = null;
let clients: Clients | null = null;
afterEach(async () => {
  clients?.destroy();
  await server?.close();
  server = clients = null;
});

describe('the clients read AWS’s clock from its answers', () => {
  it('within half a second and half the round trip, for a minute after the last answer', async () => {
    // local-aws answers in its virtual time, standing still (speed 0) on a whole second.
    server = new LocalAws(shipped('runaway-cpu'), { port: 0, speed: 0, advanceTo: 15 });
    const endpoint = await server.listen();
    let hostAhead = -10_000;
    clients = makeClients({ region: 'us-east-1', endpoint, credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1, clock: () => server!.world.virtualNow() + hostAhead });
    const before = clients.clockOffsetMs();
    await clients.autoScaling.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: ['web'] }));
    const read = clients.clockOffsetMs()!;
    hostAhead += 61_000;
    const aMinuteOn = clients.clockOffsetMs();
    // The header's second is read as its middle: 10 s behind reads 10.5 s (the round trip, here on one frozen clock, is 0).
    expect({ before, read, aMinuteOn }).toEqual({ before: null, read: 10_500, aMinuteOn: null });
  });
});

describe('the words for it', () => {
  it.each([
    { offsetSeconds: 61, words: "the host's clock is 1 min 1 s behind AWS's" },
    { offsetSeconds: -59.6, words: "the host's clock is 1 min ahead of AWS's" },
    { offsetSeconds: 185.2, words: "the host's clock is 3 min 5 s behind AWS's" },
    { offsetSeconds: -3600, words: "the host's clock is 60 min ahead of AWS's" },
  ])('$offsetSeconds s', ({ offsetSeconds, words }) => {
    expect(clockWords(offsetSeconds)).toBe(words);
  });
});
