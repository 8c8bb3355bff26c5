/**
 * What a command started, closed in reverse order: on a failed start-up everything already
 * running is stopped (a listening port or a forked worker would keep the process alive),
 * and on a normal stop the same list runs. Each closer runs even if an earlier one failed.
 */
export class Teardown {
  readonly #closers: (() => unknown)[] = [];

  /** Registers `closer` to run before every closer registered earlier. */
  add(closer: () => unknown): void {
    this.#closers.push(closer);
  }

  async run(): Promise<void> {
    let failure: unknown;
    for (const closer of this.#closers.splice(0).reverse()) {
      try {
        await closer();
      } catch (error) {
        failure ??= error;
      }
    }
    if (failure !== undefined) throw failure;
  }
}
