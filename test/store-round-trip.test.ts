import assert from 'node:assert/strict';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { contents, frozenAt, hostGroupKey, manifest, openStore, put, remove, tenantKey, triggerKey } from './helpers/store-objects.js';
import { tmpDir } from './helpers/tmp-dir.js';

const shop = triggerKey('team-a', 'shop');
const blog = triggerKey('team-b', 'blog');

describe('ObjectStore round trip', () => {
  it('brings back every object, version, timestamp and the creation order after a restart', async (t) => {
    const dir = await tmpDir(t);
    const store = await openStore(t, dir);
    await store.commit([put(tenantKey('team-a')), put(shop, { host: 'shop.example.com' })]);
    await store.commit([put(hostGroupKey('default'))]);
    await store.commit([put(blog)]);
    await store.commit([put(shop, { host: 'shop2.example.com' })]);
    await store.commit([remove(hostGroupKey('default'))]);
    const before = contents(store);
    await store.close();
    const after = await openStore(t, dir);
    assert.deepEqual(contents(after), before);
    assert.deepEqual(
      after.list().map((object) => [object.name, object.resourceVersion]),
      [['team-a', '1'], ['shop', '4'], ['blog', '3']],
    );
    assert.equal(after.revision, 5);
    assert.deepEqual(after.get(shop)?.document, manifest(shop, { host: 'shop2.example.com' }));
  });

  it('creates the data directory and the log, and an empty store has revision 0', async (t) => {
    const dir = join(await tmpDir(t), 'data', 'store');
    const store = await openStore(t, dir);
    assert.equal(store.revision, 0);
    assert.deepEqual(store.list(), []);
    assert.equal((await stat(join(dir, 'objects.log'))).size, 0);
  });

  it('keeps the creationTimestamp on replace and gives the new resourceVersion', async (t) => {
    const store = await openStore(t, await tmpDir(t), { now: frozenAt('2026-01-01T00:00:00.000Z') });
    const created = (await store.commit([put(shop)])).results[0]?.object;
    const replaced = (await store.commit([put(shop, { host: 'x.example.com' }, created?.resourceVersion)])).results[0];
    assert.equal(replaced?.created, false);
    assert.equal(replaced?.object?.creationTimestamp, created?.creationTimestamp);
    assert.equal(replaced?.object?.resourceVersion, '2');
  });

  it('gives creates strictly increasing timestamps when the clock stands still or steps back', async (t) => {
    const dir = await tmpDir(t);
    const store = await openStore(t, dir, { now: frozenAt('2026-01-01T00:00:00.000Z') });
    await store.commit([put(triggerKey('team-a', 'x')), put(triggerKey('team-a', 'y'))]);
    await store.commit([put(triggerKey('team-a', 'z'))]);
    assert.deepEqual(
      store.list().map((object) => object.creationTimestamp),
      ['2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.001Z', '2026-01-01T00:00:00.002Z'],
    );
    await store.close();
    const restarted = await openStore(t, dir, { now: frozenAt('2025-12-31T23:00:00.000Z') });
    await restarted.commit([put(triggerKey('team-a', 'w'))]);
    assert.equal(restarted.get(triggerKey('team-a', 'w'))?.creationTimestamp, '2026-01-01T00:00:00.003Z');
  });

  it('dates creates by the clock when it is ahead of the last create', async (t) => {
    let now = new Date('2026-01-01T00:00:00.000Z');
    const store = await openStore(t, await tmpDir(t), { now: () => now });
    await store.commit([put(shop)]);
    now = new Date('2026-03-01T12:00:00.000Z');
    await store.commit([put(blog)]);
    assert.equal(store.get(blog)?.creationTimestamp, '2026-03-01T12:00:00.000Z');
  });

  it('moves a deleted and re-created object to the end of the creation order', async (t) => {
    const store = await openStore(t, await tmpDir(t));
    await store.commit([put(shop), put(blog)]);
    await store.commit([remove(shop)]);
    await store.commit([put(shop)]);
    assert.deepEqual(store.list().map((object) => object.name), ['blog', 'shop']);
  });

  it('lists by kind and by namespace, in creation order', async (t) => {
    const store = await openStore(t, await tmpDir(t));
    await store.commit([put(blog), put(tenantKey('team-a')), put(shop), put(triggerKey('team-a', 'api'))]);
    assert.deepEqual(store.list({ kind: 'HTTPTrigger' }).map((object) => object.name), ['blog', 'shop', 'api']);
    assert.deepEqual(store.list({ namespace: 'team-a' }).map((object) => object.name), ['shop', 'api']);
    assert.deepEqual(store.list({ kind: 'Tenant' }).map((object) => object.name), ['team-a']);
  });

  it('stores the document as JSON reads it back, frozen, whatever the caller does with its own', async (t) => {
    const store = await openStore(t, await tmpDir(t));
    const document = { ...manifest(shop), spec: { hosts: ['a.example.com'], note: undefined } };
    await store.commit([{ op: 'put', key: shop, document }]);
    document.spec.hosts.push('b.example.com');
    const stored = store.get(shop)?.document as { spec: { hosts: string[] } };
    assert.deepEqual(stored.spec, { hosts: ['a.example.com'] });
    assert.throws(() => stored.spec.hosts.push('c.example.com'), TypeError);
  });

  it('reports deletes with what they removed, and writes nothing for a commit of no-ops', async (t) => {
    const dir = await tmpDir(t);
    const store = await openStore(t, dir);
    await store.commit([put(shop)]);
    const size = (await stat(join(dir, 'objects.log'))).size;
    const noop = await store.commit([remove(blog)]);
    assert.deepEqual(noop, { revision: 1, results: [{ key: blog }] });
    assert.equal((await stat(join(dir, 'objects.log'))).size, size);
    const deleted = await store.commit([remove(shop), remove(blog)]);
    assert.equal(deleted.revision, 2);
    assert.equal(deleted.results[0]?.deleted?.resourceVersion, '1');
    assert.equal(deleted.results[1]?.deleted, undefined);
  });

  it('tells onCommit listeners after each commit is applied, until they unsubscribe', async (t) => {
    const store = await openStore(t, await tmpDir(t));
    const seen: [number, number][] = [];
    const unsubscribe = store.onCommit((result) => seen.push([result.revision, store.revision]));
    await Promise.all([store.commit([put(shop)]), store.commit([put(blog)]), store.commit([remove(tenantKey('none'))])]);
    unsubscribe();
    await store.commit([remove(shop)]);
    assert.deepEqual(seen, [[1, 1], [2, 2]]);
  });

  it('refuses malformed ops before writing anything', async (t) => {
    const store = await openStore(t, await tmpDir(t));
    await assert.rejects(store.commit([put({ kind: 'HostGroup', namespace: 'team-a', name: 'x' })]), TypeError);
    await assert.rejects(store.commit([put({ kind: 'HTTPTrigger', name: 'x' })]), TypeError);
    await assert.rejects(store.commit([put(triggerKey('team-a', 'a/b'))]), TypeError);
    await assert.rejects(store.commit([put(shop), remove(shop)]), /a second time/);
    assert.equal(store.revision, 0);
  });

  it('finishes queued commits on close and refuses commits after it', async (t) => {
    const dir = await tmpDir(t);
    const store = await openStore(t, dir);
    const queued = [store.commit([put(shop)]), store.commit([put(blog)])];
    await store.close();
    assert.deepEqual((await Promise.all(queued)).map((result) => result.revision), [1, 2]);
    await assert.rejects(store.commit([put(tenantKey('team-a'))]), /closed/);
    assert.equal((await openStore(t, dir)).revision, 2);
  });
});
