/**
 * Trailing-edge debounce with a maximum wait, for work that only needs the latest state
 * (a manifest rescan, an xDS snapshot): a burst of triggers runs the action once, `quietMs`
 * after the last trigger, but never later than `maxWaitMs` after the burst's first trigger,
 * so a steady trickle of changes cannot postpone the action forever. Runs never overlap: a
 * burst that comes due while the action runs is served by one more run right after it.
 */
export interface CoalescerOptions {
  readonly quietMs: number;
  readonly maxWaitMs: number;
  /** Receives what the action throws or rejects with; without it the error is rethrown (uncaught). */
  readonly onError?: (error: unknown) => void;
}

export class Coalescer {
  readonly #action: () => void | Promise<void>;
  readonly #options: CoalescerOptions;
  #timer: NodeJS.Timeout | undefined;
  /** When the current burst's first trigger came (monotonic ms); undefined between bursts. */
  #burstStart: number | undefined;
  /** The running loop of action runs; undefined while idle. */
  #running: Promise<void> | undefined;
  /** A burst came due while the action ran. */
  #rerun = false;

  constructor(action: () => void | Promise<void>, options: CoalescerOptions) {
    this.#action = action;
    this.#options = options;
  }

  /** Asks for a run; cheap, never throws, safe to call from any callback. */
  trigger(): void {
    const now = performance.now();
    this.#burstStart ??= now;
    const deadline = this.#burstStart + this.#options.maxWaitMs;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.#due(), Math.max(0, Math.min(this.#options.quietMs, deadline - now)));
  }

  /** Runs a pending burst now, then resolves once no run is in progress. */
  async flush(): Promise<void> {
    if (this.#timer) this.#due();
    while (this.#running) await this.#running;
  }

  /** Drops the pending burst (and a queued rerun); a run in progress finishes. */
  cancel(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#burstStart = undefined;
    this.#rerun = false;
  }

  #due(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#burstStart = undefined;
    if (this.#running) this.#rerun = true;
    // `finally` reacts asynchronously, so `#running` is set before it is cleared even when
    // the action returns synchronously.
    else this.#running = this.#runLoop().finally(() => (this.#running = undefined));
  }

  async #runLoop(): Promise<void> {
    do {
      this.#rerun = false;
      try {
        await this.#action();
      } catch (error) {
        this.#report(error);
      }
    } while (this.#rerun);
  }

  #report(error: unknown): void {
    if (this.#options.onError) this.#options.onError(error);
    else queueMicrotask(() => {
      throw error;
    });
  }
}
