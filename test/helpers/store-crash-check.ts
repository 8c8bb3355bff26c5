/**
 * The crash test's verdict on a store reopened after the writer was killed: everything
 * acknowledged is there, nothing is half there, and what survived from the round before
 * kept its creation time and its place in the creation order, so host ownership held.
 */
import assert from 'node:assert/strict';
import { keyString, type ObjectStore, type StoredObject } from '../../src/store/object-store.js';
import { hostOf, pairHostGroup, pairOf, pairTrigger, type WriterLine } from './store-crash-protocol.js';

export interface Recovered {
  readonly revision: number;
  /** In creation order. */
  readonly objects: readonly StoredObject[];
}

/** Checks `store` against the previous round and the writer's lines; returns the new state. */
export function checkRecovered(store: ObjectStore, previous: Recovered, lines: readonly WriterLine[]): Recovered {
  const now: Recovered = { revision: store.revision, objects: store.list() };
  const byKey = new Map(now.objects.map((object) => [keyString(object), object]));
  const intended = { puts: new Set<string>(), deletes: new Set<string>() };
  for (const line of lines) {
    if (line.type !== 'intent') continue;
    for (const key of line.puts) intended.puts.add(key);
    for (const key of line.deletes) intended.deletes.add(key);
  }

  assert.ok(now.revision >= previous.revision, `revision went back from ${previous.revision} to ${now.revision}`);
  for (const line of lines) {
    if (line.type !== 'ack') continue;
    assert.ok(line.revision <= now.revision, `commit ${line.id} was acknowledged at revision ${line.revision}, the store is at ${now.revision}`);
    for (const [key, version, created] of line.puts) {
      const object = byKey.get(key);
      if (object === undefined) {
        assert.ok(intended.deletes.has(key), `${key}, acknowledged at ${version}, is gone and nobody deleted it`);
        continue;
      }
      assert.ok(Number(object.resourceVersion) >= Number(version), `${key} is at ${object.resourceVersion}, acknowledged at ${version}`);
      assert.equal(object.creationTimestamp, created, `${key} changed its creationTimestamp`);
    }
    for (const key of line.deletes) assert.equal(byKey.get(key), undefined, `${key}, acknowledged deleted, is back`);
  }

  for (const object of now.objects) {
    assert.ok(Number(object.resourceVersion) <= now.revision, `${keyString(object)} is at ${object.resourceVersion}, past the revision`);
    const id = pairOf(object);
    const [trigger, hostGroup] = [byKey.get(keyString(pairTrigger(id))), byKey.get(keyString(pairHostGroup(id)))];
    assert.ok(trigger && hostGroup, `pair ${id} is half there`);
    assert.equal(trigger.resourceVersion, hostGroup.resourceVersion, `pair ${id} is half replaced`);
  }
  now.objects.forEach((object, index) => {
    const before = now.objects[index - 1];
    if (before) assert.ok(before.creationTimestamp < object.creationTimestamp, `${keyString(object)} is not younger than ${keyString(before)}`);
  });

  const survivors = previous.objects.filter((object) => byKey.has(keyString(object)));
  for (const object of previous.objects) {
    const after = byKey.get(keyString(object));
    if (after === undefined) assert.ok(intended.deletes.has(keyString(object)), `${keyString(object)} vanished`);
    else assert.equal(after.creationTimestamp, object.creationTimestamp, `${keyString(object)} changed its creationTimestamp`);
  }
  assert.deepEqual(now.objects.slice(0, survivors.length).map(keyString), survivors.map(keyString), 'the creation order changed');
  for (const object of now.objects.slice(survivors.length)) {
    assert.ok(intended.puts.has(keyString(object)), `${keyString(object)} appeared, though nothing wrote it`);
  }
  const ownersNow = owners(now);
  for (const [host, owner] of owners(previous)) {
    if (byKey.has(owner)) assert.equal(ownersNow.get(host), owner, `${host} changed hands while its owner lives`);
  }
  return now;
}

/** host → the oldest trigger claiming it: who owns the host. */
function owners(state: Recovered): Map<string, string> {
  const owner = new Map<string, string>();
  for (const object of state.objects) {
    if (object.kind !== 'HTTPTrigger') continue;
    const host = (object.document['spec'] as { ingress: { host: string } }).ingress.host;
    assert.equal(host, hostOf(pairOf(object)));
    if (!owner.has(host)) owner.set(host, keyString(object));
  }
  return owner;
}
