import assert from 'node:assert/strict';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { StaleVersionError, type ObjectStore } from '../src/store/object-store.js';
import { hostGroupKey, openStore, put, remove, triggerKey } from './helpers/store-objects.js';
import { tmpDir } from './helpers/tmp-dir.js';

const shop = triggerKey('team-a', 'shop');
const blog = triggerKey('team-b', 'blog');

async function logSize(dir: string): Promise<number> {
  return (await stat(join(dir, 'objects.log'))).size;
}

/** Asserts that `commit` fails its version check on `key`, and that nothing reached the log. */
async function assertStale(store: ObjectStore, dir: string, commit: () => Promise<unknown>, expected: Partial<StaleVersionError>): Promise<void> {
  const size = await logSize(dir);
  const revision = store.revision;
  await assert.rejects(commit(), (error: unknown) => {
    assert.ok(error instanceof StaleVersionError);
    assert.equal(error.code, 'ERR_TRIGGERWAY_STALE_VERSION');
    assert.deepEqual({ key: error.key, expected: error.expected, actual: error.actual }, expected);
    return true;
  });
  assert.equal(await logSize(dir), size);
  assert.equal(store.revision, revision);
}

describe('ObjectStore version checks', () => {
  it('refuses a put over a version that is no longer current', async (t) => {
    const dir = await tmpDir(t);
    const store = await openStore(t, dir);
    await store.commit([put(shop)]);
    await store.commit([put(shop, { v: 2 }, '1')]);
    await assertStale(store, dir, () => store.commit([put(shop, { v: 3 }, '1')]), { key: shop, expected: '1', actual: '2' });
    assert.deepEqual(store.get(shop)?.document['spec'], { v: 2 });
  });

  it('refuses a delete of a version that is no longer current', async (t) => {
    const dir = await tmpDir(t);
    const store = await openStore(t, dir);
    await store.commit([put(shop)]);
    await store.commit([put(shop, {}, '1')]);
    await assertStale(store, dir, () => store.commit([remove(shop, '1')]), { key: shop, expected: '1', actual: '2' });
    assert.equal((await store.commit([remove(shop, '2')])).results[0]?.deleted?.resourceVersion, '2');
  });

  it('refuses a put or delete expecting a version of an object that does not exist', async (t) => {
    const dir = await tmpDir(t);
    const store = await openStore(t, dir);
    await assertStale(store, dir, () => store.commit([put(shop, {}, '1')]), { key: shop, expected: '1', actual: undefined });
    await assertStale(store, dir, () => store.commit([remove(shop, '1')]), { key: shop, expected: '1', actual: undefined });
    assert.equal(store.get(shop), undefined);
  });

  it('writes none of a commit when one of its checks fails', async (t) => {
    const dir = await tmpDir(t);
    const store = await openStore(t, dir);
    await store.commit([put(shop), put(blog)]);
    await store.commit([put(blog, {}, '1')]);
    const stale = () => store.commit([put(hostGroupKey('default')), put(shop, { v: 2 }, '1'), remove(blog, '1')]);
    await assertStale(store, dir, stale, { key: blog, expected: '1', actual: '2' });
    assert.equal(store.get(hostGroupKey('default')), undefined);
    assert.equal(store.get(shop)?.resourceVersion, '1');
  });

  it('lets exactly one of 50 concurrent commits on one expectedVersion win', async (t) => {
    const dir = await tmpDir(t);
    const store = await openStore(t, dir);
    await store.commit([put(shop)]);
    const outcomes = await Promise.allSettled(Array.from({ length: 50 }, (_, writer) => store.commit([put(shop, { writer }, '1')])));
    const won = outcomes.filter((outcome) => outcome.status === 'fulfilled');
    assert.equal(won.length, 1);
    for (const outcome of outcomes) {
      if (outcome.status === 'rejected') assert.ok(outcome.reason instanceof StaleVersionError && outcome.reason.actual === '2');
    }
    assert.equal(store.revision, 2);
    await store.close();
    assert.equal((await openStore(t, dir)).get(shop)?.resourceVersion, '2');
  });

  it('loses no update when 50 writers read, modify and write back with retries', async (t) => {
    const dir = await tmpDir(t);
    const store = await openStore(t, dir);
    await store.commit([put(shop, { count: 0 })]);
    const increment = async (): Promise<void> => {
      for (;;) {
        const current = store.get(shop);
        const count = (current?.document['spec'] as { count: number }).count;
        await new Promise((resolve) => setImmediate(resolve));
        try {
          await store.commit([put(shop, { count: count + 1 }, current?.resourceVersion)]);
          return;
        } catch (error) {
          if (!(error instanceof StaleVersionError)) throw error;
        }
      }
    };
    await Promise.all(Array.from({ length: 50 }, async () => {
      for (let round = 0; round < 3; round++) await increment();
    }));
    assert.deepEqual(store.get(shop)?.document['spec'], { count: 150 });
    await store.close();
    assert.deepEqual((await openStore(t, dir)).get(shop)?.document['spec'], { count: 150 });
  });
});
