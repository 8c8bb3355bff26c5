/** One process per data directory: a live holder refuses a second, a dead one's lock is taken over. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { acquirePidLock, LockedError } from '../src/util/pid-lock.js';
import { tmpDir } from './helpers/tmp-dir.js';

test('a lock held by a live process refuses another, naming the holder; release frees it', async (t) => {
  const path = join(await tmpDir(t), 'serve.lock');
  const lock = await acquirePidLock(path);
  assert.equal((await readFile(path, 'utf8')).trim(), String(process.pid));
  // The test runner's parent is alive and is not us: it stands in for another serve.
  await assert.rejects(acquirePidLock(path, process.ppid), (error: unknown) => error instanceof LockedError && error.pid === process.pid && /another triggerway serve/.test(error.message));
  await lock.release();
  const again = await acquirePidLock(path, process.ppid);
  await again.release();
});

test('a lock whose process is gone, or that holds no pid, is stale and taken over', async (t) => {
  const dir = await tmpDir(t);
  const path = join(dir, 'serve.lock');
  const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
  await writeFile(path, `${dead}\n`);
  const lock = await acquirePidLock(path);
  assert.equal((await readFile(path, 'utf8')).trim(), String(process.pid));
  await lock.release();
  await writeFile(path, 'garbage');
  await (await acquirePidLock(path)).release();
});
