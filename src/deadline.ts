import { setMaxListeners } from 'node:events';
import { RuntimeFailure } from './errors.js';

/** A tick that ran out of its budget: it stops where it is, without acting. */
export class DeadlineExceeded extends RuntimeFailure {
  override name = 'DeadlineExceeded';
}

/**
 * A tick's budget on the real clock (never the virtual one of the demo and tests): its signal goes
 * to every AWS call, so a hung or endlessly paging endpoint cannot hold the group's lock past it.
 */
export class Deadline {
  private readonly controller = new AbortController();
  private readonly timer: ReturnType<typeof setTimeout>;
  private readonly startedAt = performance.now();

  constructor(readonly budgetMs: number) {
    // Every call in flight listens to it: 30 at 10,000 instances, more than Node's default of 10
    // before it warns of a leak on stderr (which cron would mail).
    setMaxListeners(0, this.controller.signal);
    this.timer = setTimeout(() => this.controller.abort(this.exceeded('the tick')), budgetMs);
    this.timer.unref();
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  remaining(): number {
    return Math.max(0, this.budgetMs - (performance.now() - this.startedAt));
  }

  expired(): boolean {
    return this.signal.aborted || this.remaining() === 0;
  }

  exceeded(doing: string): DeadlineExceeded {
    return new DeadlineExceeded(`${doing} ran past the tick's budget of ${(this.budgetMs / 1000).toFixed(0)} s; stopped without acting (--budget-seconds sets it)`);
  }

  dispose(): void {
    clearTimeout(this.timer);
  }
}
