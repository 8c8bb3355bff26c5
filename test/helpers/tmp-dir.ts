/** Temporary directories and end-of-test cleanup for tests that touch the file system. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';

type Cleanup = () => unknown;
const cleanups = new WeakMap<TestContext, Cleanup[]>();

/**
 * Runs `cleanup` when the test ends, pass or fail, latest registered first: a source
 * started in a directory is closed before the directory is removed.
 */
export function onTestEnd(t: TestContext, cleanup: Cleanup): void {
  let stack = cleanups.get(t);
  if (!stack) {
    const registered: Cleanup[] = (stack = []);
    cleanups.set(t, registered);
    t.after(async () => {
      for (const run of registered.reverse()) await run();
    });
  }
  stack.push(cleanup);
}

/** A fresh directory under the OS temp dir, removed when the test ends. */
export async function tmpDir(t: TestContext): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'triggerway-test-'));
  onTestEnd(t, () => rm(dir, { recursive: true, force: true }));
  return dir;
}
