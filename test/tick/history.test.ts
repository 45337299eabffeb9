// The history each real tick leaves for `status`: the tick in-process, through its real store.
// The record says what was decided and what became of it; a log that cannot be written costs the
// tick a warning, never its action.
import { describe, expect, it, afterEach } from 'vitest';
import { RuntimeFailure } from '../../src/errors.js';
import type { StateStore } from '../../src/state/store.js';
import { shipped } from '../e2e/local.js';
import { failingStore, inProcess, type InProcess } from './harness.js';

let h: InProcess | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

const unwritableHistory = (inner: StateStore): StateStore => ({
  location: inner.location,
  load: (o) => inner.load(o),
  lock: () => inner.lock(),
  claim: (account) => inner.claim(account),
  save: (state) => inner.save(state),
  appendHistory: async () => {
    throw new RuntimeFailure(`cannot append to ${inner.location.replace(/\.json$/, '.history.jsonl')}: ENOSPC`);
  },
  readHistory: (since) => inner.readHistory(since),
});

describe("the runaway's emergency +1 at minute 15, as the history records it", () => {
  it.each([
    { situation: 'carried out', store: 'file', dryRun: false, code: 0, desired: 3, recorded: [{ outcome: 'done', rule: 'runaway', from: 2, to: 3 }], warning: null },
    { situation: 'its intent cannot be saved: not attempted', store: 'intent unsaved', dryRun: false, code: 1, desired: 2, recorded: [{ outcome: 'held', rule: 'runaway', from: 2, to: 3 }], warning: null },
    { situation: 'AWS refuses it', store: 'file', dryRun: false, code: 1, desired: 2, recorded: [{ outcome: 'refused', rule: 'runaway', from: 2, to: 3 }], warning: null, refuse: true },
    { situation: 'a dry run: nothing recorded', store: 'file', dryRun: true, code: 0, desired: 2, recorded: [], warning: null },
    { situation: 'the log cannot be written: done all the same, a warning', store: 'history unwritable', dryRun: false, code: 0, desired: 3, recorded: [], warning: /: ENOSPC; status will miss this tick$/ },
  ])('$situation', async ({ store, dryRun, code, desired, recorded, warning, refuse }) => {
    h = await inProcess(shipped('runaway-cpu'), { advanceTo: 15, ...(refuse && { failures: [{ operation: 'SetDesiredCapacity', rate: 1, kind: 'busy' as const }] }) });
    const files = h.store();
    const used = store === 'intent unsaved' ? failingStore(files, 1) : store === 'history unwritable' ? unwritableHistory(files) : files;
    const tick = await h.tick({ dryRun }, used);
    const history = await files.readHistory(0);
    expect({
      code: tick.code,
      desired: h.server.world.groups.get('web')!.desired,
      recorded: history.map((r) => ({ outcome: r.action!.outcome, rule: r.action!.rule, from: r.action!.from, to: r.action!.to })),
      warning: tick.report!.warnings.find((w) => /status will miss this tick/.test(w)) ?? null,
    }).toEqual({ code, desired, recorded, warning: warning === null ? null : expect.stringMatching(warning) });
  });

  it('a record has the figures, each instance, the condition held and the alert of its tick', async () => {
    h = await inProcess(shipped('runaway-cpu'), { advanceTo: 15 });
    await h.tick();
    const [record] = await h.store().readHistory(0);
    expect(record).toMatchObject({
      v: 1,
      at: h.server.world.virtualNow(),
      n: 2,
      desired: 2,
      loads: { 'i-00000000100000000': 100, 'i-00000000100000001': expect.any(Number) },
      more: 0,
      held: [{ rule: 'runaway', instance: 'i-00000000100000000', heldMinutes: 0, ofMinutes: 5, then: 'terminate', inMinutes: 5 }],
      alerts: ['web: i-00000000100000000 runaway (CPU 100.0 % vs 50.4 %); emergency +1, desired 2 → 3'],
      paused: false,
    });
    expect(Object.keys(record!.loads)).toEqual(['i-00000000100000000', 'i-00000000100000001']);
  });
});
