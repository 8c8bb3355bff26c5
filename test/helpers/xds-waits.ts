/**
 * Timing for the xDS conformance suites: how long "promptly" and "silence" are, and the two
 * ways a test waits (poll a condition, or race a promise) without ever stalling on a hang.
 */
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * How long a "no response" check waits: 250 ms, not the reference's 1 s, to keep the suite
 * fast; on loopback a response that is due arrives within a few milliseconds.
 */
export const SILENCE_MS = 250;
/** Upper bound for anything that should happen promptly, so a hang fails instead of stalling. */
export const PROMPT_MS = 2_000;

/** Polls `condition` every 2 ms until it holds; fails after `timeoutMs`. */
export async function until(condition: () => boolean, message: string, timeoutMs = PROMPT_MS): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) assert.fail(`${message} after ${timeoutMs} ms`);
    await sleep(2);
  }
}

/** `promise`, or a failure after `timeoutMs`. */
export async function within<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: nothing within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
