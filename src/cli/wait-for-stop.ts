/** Resolves when `stop` aborts (SIGINT/SIGTERM in the CLI). */
export function waitForStop(stop: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => {
    if (stop.aborted) resolve();
    else stop.addEventListener('abort', () => resolve(), { once: true });
  });
}
