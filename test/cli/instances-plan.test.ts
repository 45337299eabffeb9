// `instances -k` of the host the command runs on: whatever runs there, the watchdog's cron among
// them, ends with it; refused unless --force, as the only instance in service is.
import { describe, expect, it } from 'vitest';
import { planChange } from '../../src/cli/run/instances.js';

const view = { min: 1, max: 6, desired: 3, instances: ['i-0a', 'i-0b', 'i-0c'].map((id) => ({ id, lifecycle: 'InService' })) };
const kill = (id: string, force = false) => ({ group: 'web', force, kill: id, decrement: false });

describe('instances -k of this host', () => {
  it.each([
    { what: 'this host', args: kill('i-0b'), host: 'i-0b', expected: '-k i-0b: the host this command runs on; what runs here, the watchdog\'s ticks among them, would end with it; add --force if you mean it; nothing done' },
    { what: 'this host, --force', args: kill('i-0b', true), host: 'i-0b', expected: 'terminate i-0b (the group replaces it)' },
    { what: 'another instance', args: kill('i-0a'), host: 'i-0b', expected: 'terminate i-0a (the group replaces it)' },
    { what: 'a host off EC2', args: kill('i-0a'), host: null, expected: 'terminate i-0a (the group replaces it)' },
  ])('$what', async ({ args, host, expected }) => {
    const said = await planChange(args, view, host).then(
      (change) => change!.text,
      (error: Error) => error.message,
    );
    expect(said).toBe(expected);
  });
});
