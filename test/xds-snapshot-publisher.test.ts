/**
 * SnapshotPublisher: tables in, consistent snapshots out, bursts coalesced, and a table that
 * would produce an inconsistent snapshot leaves the last good one in place.
 */
import assert from 'node:assert/strict';
import test from 'node:test';
import type { RouteTable } from '../src/admission/types.js';
import { SnapshotCache } from '../src/xds/cache/snapshot-cache.js';
import { VersionSequence } from '../src/xds/cache/version.js';
import { SnapshotPublisher, type PublishedSnapshot } from '../src/xds/snapshot-publisher.js';
import { TableEncoder } from '../src/xds/table-encoder.js';
import { admitTriggers } from './helpers/admission.js';
import { trigger } from './helpers/build-manifests.js';

function tableWith(hosts: number): RouteTable {
  return admitTriggers(Array.from({ length: hosts }, (_, i) => trigger(`team-${i}/app`, `app${i}.example.com`, { created: i }))).table;
}

function publisher(options: { quietMs?: number; maxWaitMs?: number } = {}) {
  const cache = new SnapshotCache();
  const published: PublishedSnapshot[] = [];
  const rejected: string[][] = [];
  const instance = new SnapshotPublisher({
    cache,
    encoder: new TableEncoder(),
    versions: new VersionSequence('test'),
    quietMs: options.quietMs ?? 0,
    maxWaitMs: options.maxWaitMs ?? 0,
    onPublished: (snapshot) => published.push(snapshot),
    onRejected: (_table, problems) => rejected.push([...problems]),
  });
  return { cache, published, rejected, instance };
}

test('a table becomes the shared snapshot every group reads, with a prefixed version', async () => {
  const { cache, instance } = publisher();
  instance.update(tableWith(2));
  await instance.flush();
  const snapshot = cache.snapshotFor('any-group');
  assert.ok(snapshot);
  assert.equal(snapshot, cache.snapshotFor('another-group'), 'one snapshot object shared by every group');
  assert.equal(snapshot.version, 'test.1');
  assert.deepEqual([...snapshot.types.route.resources.keys()], ['ingress_http']);
  assert.deepEqual([...snapshot.types.cluster.resources.keys()], ['hostgroup/default']);
});

test('an unchanged table keeps the snapshot and its version; a change bumps only the types that changed', async () => {
  const { instance, published } = publisher();
  instance.update(tableWith(2));
  await instance.flush();
  instance.update(tableWith(2));
  await instance.flush();
  assert.equal(published[1]!.snapshot, published[0]!.snapshot);
  instance.update(tableWith(3));
  await instance.flush();
  const [first, , third] = published.map((p) => p.snapshot);
  assert.equal(third!.version, 'test.2', 'the unchanged build did not use up a version');
  assert.equal(third!.types.route.version, 'test.2');
  assert.equal(third!.types.cluster.version, 'test.1', 'clusters did not change');
  assert.equal(third!.types.cluster.resources.get('hostgroup/default'), first!.types.cluster.resources.get('hostgroup/default'), 'the entry object is shared');
});

test('a burst of updates is built once, from the latest table', async () => {
  const { instance, published } = publisher({ quietMs: 20, maxWaitMs: 1000 });
  for (let hosts = 1; hosts <= 50; hosts += 1) instance.update(tableWith(hosts % 5 === 0 ? 5 : 1));
  instance.update(tableWith(7));
  await new Promise((resolve) => setTimeout(resolve, 60));
  assert.equal(published.length, 1);
  assert.equal(published[0]!.table.hosts.length, 7);
});

test('a table that cannot be encoded is rejected with a reason and the last snapshot stays', async () => {
  const { cache, instance, rejected } = publisher();
  instance.update(tableWith(1));
  await instance.flush();
  const good = cache.snapshotFor('g');
  const bad = tableWith(1);
  instance.update({ ...bad, hosts: [...bad.hosts, ...bad.hosts] });
  await instance.flush();
  assert.deepEqual(rejected, [['duplicate or unsorted host "app0.example.com" in route table ' + bad.version]]);
  assert.equal(cache.snapshotFor('g'), good);
});

test('a table routing to a HostGroup that has no cluster fails the consistency gate', async () => {
  const { cache, instance, rejected } = publisher();
  const routeTable = tableWith(1);
  instance.update({ ...routeTable, hostGroups: [] });
  await instance.flush();
  assert.equal(cache.snapshotFor('g'), undefined, 'nothing published');
  assert.deepEqual(rejected, [['CDS resource "hostgroup/default" is referenced by a route but missing']]);
});
