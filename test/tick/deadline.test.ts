// The tick's budget: one signal that every AWS call in flight listens to.
import { describe, expect, it } from 'vitest';
import { Deadline } from '../../src/deadline.js';

describe('Deadline', () => {
  it('takes a listener per call in flight (30 at 10,000 instances) without a leak warning on stderr', async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.name);
    process.on('warning', onWarning);
    const deadline = new Deadline(60_000);
    for (let call = 0; call < 50; call++) deadline.signal.addEventListener('abort', () => {});
    await new Promise((resolve) => setImmediate(resolve));
    process.off('warning', onWarning);
    deadline.dispose();
    expect(warnings).toEqual([]);
  });
});
