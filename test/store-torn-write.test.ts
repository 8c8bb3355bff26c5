import assert from 'node:assert/strict';
import { appendFile, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ObjectStore, StoreCorruptError } from '../src/store/object-store.js';
import { contents, hostGroupKey, put, remove, tenantKey, triggerKey } from './helpers/store-objects.js';
import { tmpDir } from './helpers/tmp-dir.js';

const shop = triggerKey('team-a', 'shop');
const blog = triggerKey('team-b', 'blog');

/** Opens the store in `dir` as it is on disk, returns what it holds and what it warned, and closes it. */
async function reopen(dir: string): Promise<{ state: ReturnType<typeof contents>; warnings: string[] }> {
  const warnings: string[] = [];
  const store = await ObjectStore.open({ dir, onWarning: (message) => warnings.push(message) });
  try {
    return { state: contents(store), warnings };
  } finally {
    await store.close();
  }
}

/** Every 5th offset of `log`, and the offsets either side of each record's start and end. */
function cutsAround(log: Buffer): number[] {
  const cuts = new Set<number>();
  for (let cut = 0; cut < log.length; cut += 5) cuts.add(cut);
  for (let start = log.indexOf('TWL1 '); start !== -1; start = log.indexOf('TWL1 ', start + 1)) {
    for (const cut of [start - 1, start, start + 1]) if (cut >= 0) cuts.add(cut);
  }
  return [...cuts].sort((a, b) => a - b);
}

describe('ObjectStore torn writes', () => {
  it('loads all of a multi-op commit or none of it, wherever a crash cuts its record', async (t) => {
    const dir = await tmpDir(t);
    const log = join(dir, 'objects.log');
    const store = await ObjectStore.open({ dir });
    await store.commit([put(shop), put(blog)]);
    await store.commit([put(tenantKey('team-a'))]);
    const before = contents(store);
    const cleanEnd = (await stat(log)).size;
    await store.commit([put(shop, { v: 2 }, '1'), remove(blog), put(hostGroupKey('default')), put(triggerKey('team-c', 'api'))]);
    await store.close();
    const whole = await readFile(log);
    for (let cut = cleanEnd + 1; cut < whole.length; cut++) {
      await writeFile(log, whole.subarray(0, cut));
      const { state, warnings } = await reopen(dir);
      assert.deepEqual(state, before, `cut at byte ${cut}`);
      assert.equal(warnings.length, 1);
      assert.match(warnings[0] ?? '', new RegExp(`cut off ${cut - cleanEnd} bytes at byte ${cleanEnd}\\b`));
      assert.equal((await stat(log)).size, cleanEnd);
    }
  });

  it('loads a prefix of the commits, never part of one, wherever a crash cuts a group commit', async (t) => {
    const dir = await tmpDir(t);
    const log = join(dir, 'objects.log');
    const store = await ObjectStore.open({ dir });
    const states = [contents(store)];
    store.onCommit(() => states.push(contents(store)));
    // Queued together, so that several of them share a record and an fsync.
    await Promise.all(
      Array.from({ length: 6 }, (_, i) => store.commit([put(triggerKey('team-a', `t${i}`)), put(hostGroupKey(`g${i}`)), remove(triggerKey('team-a', `t${i - 1}`))])),
    );
    await store.close();
    const whole = await readFile(log);
    assert.ok(cutsAround(whole).length > 0 && whole.toString().split('TWL1 ').length - 1 < 6, 'some commits share a record');
    for (const cut of cutsAround(whole)) {
      await writeFile(log, whole.subarray(0, cut));
      const { state } = await reopen(dir);
      assert.deepEqual(state, states[state.revision], `cut at byte ${cut}`);
    }
  });

  it('appends after the cut, and the next restart has nothing to repair', async (t) => {
    const dir = await tmpDir(t);
    const log = join(dir, 'objects.log');
    const store = await ObjectStore.open({ dir });
    await store.commit([put(shop)]);
    await store.close();
    await appendFile(log, 'TWL1 120 0a1b');
    const repaired = await ObjectStore.open({ dir, onWarning: () => {} });
    await repaired.commit([put(blog)]);
    await repaired.close();
    const { state, warnings } = await reopen(dir);
    assert.deepEqual(warnings, []);
    assert.deepEqual(state.objects.map((object) => object.name), ['shop', 'blog']);
  });

  it('cuts off a tail of zeros, the blocks of an append the file system never wrote', async (t) => {
    const dir = await tmpDir(t);
    const store = await ObjectStore.open({ dir });
    await store.commit([put(shop)]);
    await store.close();
    await appendFile(join(dir, 'objects.log'), Buffer.alloc(4096));
    const { state, warnings } = await reopen(dir);
    assert.equal(state.revision, 1);
    assert.equal(warnings.length, 1);
  });

  it('does not cut off a tail that no append could have left', async (t) => {
    const dir = await tmpDir(t);
    const log = join(dir, 'objects.log');
    const store = await ObjectStore.open({ dir });
    await store.commit([put(shop)]);
    await store.close();
    const size = (await stat(log)).size;
    await appendFile(log, 'shop: {host: shop.example.com}\n');
    await assert.rejects(ObjectStore.open({ dir }), (error: unknown) => {
      assert.ok(error instanceof StoreCorruptError);
      assert.equal(error.offset, size);
      assert.match(error.message, /not the start of a record cut off by a crash/);
      return true;
    });
    assert.equal((await stat(log)).size, size + 31);
  });
});
