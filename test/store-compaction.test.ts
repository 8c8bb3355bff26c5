import assert from 'node:assert/strict';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { contents, frozenAt, hostGroupKey, openStore, put, remove, tenantKey, triggerKey } from './helpers/store-objects.js';
import { tmpDir } from './helpers/tmp-dir.js';

const shop = triggerKey('team-a', 'shop');
const T = '2026-01-01T00:00:00.000Z';

async function logSize(dir: string): Promise<number> {
  return (await stat(join(dir, 'objects.log'))).size;
}

describe('ObjectStore compaction', () => {
  it('rewrites the log at open keeping objects, order, versions, timestamps and the revision', async (t) => {
    const dir = await tmpDir(t);
    const store = await openStore(t, dir, { now: frozenAt(T) });
    await store.commit([put(tenantKey('team-a')), put(shop), put(hostGroupKey('default'))]);
    await store.commit([put(triggerKey('team-b', 'newest'))]);
    for (let version = 0; version < 100; version++) await store.commit([put(shop, { version })]);
    // The newest object holds the latest creation time and, deleted, the latest revision.
    await store.commit([put(triggerKey('team-b', 'newest'), { again: true })]);
    await store.commit([remove(triggerKey('team-b', 'newest'))]);
    const before = contents(store);
    const grown = await logSize(dir);
    await store.close();

    const compacted = await openStore(t, dir, { now: frozenAt(T), compaction: { minBytes: 0, ratio: 1 } });
    assert.deepEqual(contents(compacted), before);
    assert.ok((await logSize(dir)) < grown / 10, `${await logSize(dir)} bytes, from ${grown}`);
    await compacted.close();

    const restarted = await openStore(t, dir, { now: frozenAt(T) });
    assert.deepEqual(contents(restarted), before);
    assert.equal(restarted.revision, 104);
    const next = await restarted.commit([put(triggerKey('team-c', 'later'))]);
    assert.equal(next.revision, 105);
    assert.equal(next.results[0]?.object?.resourceVersion, '105');
    // After the deleted newest object's T + 3 ms, though no live object recalls it.
    assert.equal(next.results[0]?.object?.creationTimestamp, '2026-01-01T00:00:00.004Z');
  });

  it('compacts after the commit that crosses the thresholds, and commits queued meanwhile all land', async (t) => {
    const dir = await tmpDir(t);
    const store = await openStore(t, dir, { compaction: { minBytes: 2048, ratio: 2 } });
    await store.commit([put(shop, { version: 0 }), put(hostGroupKey('default'))]);
    let largest = 0;
    for (let version = 1; version <= 60; version++) {
      await store.commit([put(shop, { version, padding: 'x'.repeat(100) })]);
      largest = Math.max(largest, await logSize(dir));
    }
    assert.ok(largest > 2048 && (await logSize(dir)) < largest, 'the log was compacted');
    assert.ok(largest < 3 * 2048, `the log grew to ${largest} bytes`);
    const writers = Array.from({ length: 40 }, (_, i) => store.commit([put(triggerKey('team-b', `t${i}`), { padding: 'y'.repeat(100) })]));
    await Promise.all(writers);
    const before = contents(store);
    await store.close();
    assert.deepEqual(contents(await openStore(t, dir)), before);
  });

  it('ignores and removes the temp file of a compaction a crash interrupted before its rename', async (t) => {
    const dir = await tmpDir(t);
    const store = await openStore(t, dir);
    await store.commit([put(shop), put(hostGroupKey('default'))]);
    await store.commit([put(shop, { version: 2 })]);
    const before = contents(store);
    await store.close();
    const log = await readFile(join(dir, 'objects.log'));
    await writeFile(join(dir, '.objects.log.0123456789ab.tmp'), log.subarray(0, 40));
    await writeFile(join(dir, 'first-seen.json'), '{}');
    const warnings: string[] = [];
    const reopened = await openStore(t, dir, { onWarning: (message) => warnings.push(message) });
    assert.deepEqual(contents(reopened), before);
    assert.deepEqual((await readdir(dir)).sort(), ['first-seen.json', 'objects.log']);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0] ?? '', /\.objects\.log\.0123456789ab\.tmp, a compaction a crash interrupted/);
  });

  it('refuses thresholds under which a compacted log would compact again', async (t) => {
    await assert.rejects(openStore(t, await tmpDir(t), { compaction: { ratio: 0.5 } }), RangeError);
  });
});
