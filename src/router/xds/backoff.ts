/**
 * Exponential reconnect backoff with jitter: attempt n waits a random time in
 * [cap/2, cap], cap = min(initial·2ⁿ, max). Half the cap is fixed so a fleet of routers
 * restarted together neither retries in lockstep nor hammers a control plane at ~0 ms.
 */
export interface BackoffOptions {
  readonly initialMs: number;
  readonly maxMs: number;
  /** In [0, 1); Math.random by default. */
  readonly random?: () => number;
}

export class Backoff {
  readonly #options: BackoffOptions;
  #cap: number;

  constructor(options: BackoffOptions) {
    if (!(options.initialMs > 0) || !(options.maxMs >= options.initialMs)) {
      throw new Error(`backoff needs 0 < initialMs <= maxMs, got ${options.initialMs} and ${options.maxMs}`);
    }
    this.#options = options;
    this.#cap = options.initialMs;
  }

  /** The wait before the next attempt; each call doubles the cap up to the maximum. */
  next(): number {
    const cap = this.#cap;
    this.#cap = Math.min(cap * 2, this.#options.maxMs);
    return Math.round(cap / 2 + ((this.#options.random ?? Math.random)() * cap) / 2);
  }

  /** Back to the initial interval (a connection proved healthy). */
  reset(): void {
    this.#cap = this.#options.initialMs;
  }
}
