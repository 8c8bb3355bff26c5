/** Collects callback values so a test can await the next one with a bounded wait instead of sleeping. */
import { setTimeout as sleep } from 'node:timers/promises';

export class EventQueue<T> {
  readonly #values: T[] = [];
  #waiter: ((value: T) => void) | undefined;

  /** The callback to hand to the code under test. */
  readonly push = (value: T): void => {
    const waiter = this.#waiter;
    this.#waiter = undefined;
    if (waiter) waiter(value);
    else this.#values.push(value);
  };

  /** The next value, already queued or still to come; rejects after `timeoutMs`. */
  next(timeoutMs = 5000): Promise<T> {
    if (this.#values.length > 0) return Promise.resolve(this.#values.shift()!);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiter = undefined;
        reject(new Error(`nothing arrived within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#waiter = (value) => {
        clearTimeout(timer);
        resolve(value);
      };
    });
  }

  /** Waits `ms` and returns whatever arrived unclaimed meanwhile (to assert that nothing more came). */
  async drainAfter(ms: number): Promise<T[]> {
    await sleep(ms);
    return this.#values.splice(0);
  }
}
