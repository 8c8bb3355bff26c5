/**
 * The Programmed condition from the data-plane registry's view: pending until every
 * connected node holds a snapshot carrying the trigger, Invalid with the node and error
 * after a NACK, and back to True once a newer version is accepted.
 */
import assert from 'node:assert/strict';
import test from 'node:test';
import type { AdmissionResult } from '../src/admission/types.js';
import { ProgrammedTracker } from '../src/control/programmed.js';
import { DataPlaneRegistry } from '../src/xds/data-plane-registry.js';
import { XDS_TYPES } from '../src/xds/xds-types.js';
import type { SessionInfo } from '../src/xds/server/session-observer.js';
import { admitTriggers } from './helpers/admission.js';
import { trigger } from './helpers/build-manifests.js';

function session(nodeId: string, streamId: number): SessionInfo {
  return { streamId, kind: 'sotw', group: 'edge', node: { id: nodeId, cluster: 'edge', userAgent: 'envoy' } };
}

function setup() {
  const registry = new DataPlaneRegistry({ graceMs: 60_000 });
  const tracker = new ProgrammedTracker(registry);
  const first = admitTriggers([trigger('team-a/shop', 'shop.example.com', { created: 1 }), trigger('team-b/grab', 'shop.example.com', { created: 5 })]);
  tracker.admitted({ result: first, manifests: { triggers: [], hostGroups: [], tenants: [], errors: [] } });
  return { registry, tracker, first };
}

/** A node that subscribed to all four types and holds `seq` of each. */
function holds(registry: DataPlaneRegistry, node: SessionInfo, seq: number): void {
  for (const type of XDS_TYPES) registry.synced(node, type, seq);
}

const reason = (tracker: ProgrammedTracker, id: string) => {
  const condition = tracker.condition(id);
  return `${condition.status}/${condition.reason}`;
};

test('pending before a snapshot, and while no node is connected', () => {
  const { registry, tracker } = setup();
  assert.equal(reason(tracker, 'team-a/shop'), 'False/Pending');
  tracker.published(1);
  assert.match(tracker.condition('team-a/shop').message, /no data plane node is connected/);
  registry.close();
});

test('programmed once every connected node holds the snapshot that carries it', () => {
  const { registry, tracker } = setup();
  tracker.published(1);
  const a = session('edge-a', 1);
  const b = session('edge-b', 2);
  registry.opened(a);
  registry.opened(b);
  holds(registry, a, 1);
  assert.equal(reason(tracker, 'team-a/shop'), 'False/Pending');
  assert.match(tracker.condition('team-a/shop').message, /waiting for 1 node\(s\) to ACK: edge-b/);
  holds(registry, b, 1);
  assert.equal(reason(tracker, 'team-a/shop'), 'True/Programmed');
  assert.equal(tracker.programmedCount(), 1, 'the refused trigger does not count');
  assert.equal(reason(tracker, 'team-b/grab'), 'False/Invalid', 'a refused trigger is never programmed');
  registry.close();
});

test('a node that asked for a type but holds none of it keeps triggers pending', () => {
  const { registry, tracker } = setup();
  tracker.published(1);
  const a = session('edge-a', 1);
  registry.opened(a);
  registry.synced(a, 'cluster', 1);
  registry.synced(a, 'route', 0);
  assert.equal(reason(tracker, 'team-a/shop'), 'False/Pending');
  registry.close();
});

test('a NACK names the node and error; a later accepted version clears it', () => {
  const { registry, tracker, first } = setup();
  tracker.published(1);
  const a = session('edge-a', 1);
  registry.opened(a);
  holds(registry, a, 1);
  const changed: AdmissionResult = admitTriggers([trigger('team-a/shop', ['shop.example.com', 'cart.example.com'], { created: 1 })]);
  tracker.admitted({ result: changed, previous: first, manifests: { triggers: [], hostGroups: [], tenants: [], errors: [] } });
  tracker.published(2);
  registry.nacked(a, 'route', 'v2', 'duplicate domain');
  const nacked = tracker.condition('team-a/shop');
  assert.equal(`${nacked.status}/${nacked.reason}`, 'False/Invalid');
  assert.match(nacked.message, /node "edge-a" rejected RDS version v2: duplicate domain/);
  assert.equal(registry.nackCount, 1);
  holds(registry, a, 3);
  assert.equal(reason(tracker, 'team-a/shop'), 'True/Programmed');
  registry.close();
});

test('a disconnected node stops counting, and its state is freed after the grace period', async () => {
  const registry = new DataPlaneRegistry({ graceMs: 20 });
  const a = session('edge-a', 1);
  registry.opened(a);
  registry.closed(a);
  assert.equal(registry.programmedSeq(), undefined, 'no connected node');
  assert.equal(registry.nodes.size, 1, 'kept during the grace period');
  await new Promise((resolve) => setTimeout(resolve, 60));
  assert.equal(registry.nodes.size, 0);
});

test('a node that reconnects within the grace period keeps its state', async () => {
  const registry = new DataPlaneRegistry({ graceMs: 30 });
  registry.opened(session('edge-a', 1));
  holds(registry, session('edge-a', 1), 4);
  registry.closed(session('edge-a', 1));
  registry.opened(session('edge-a', 2));
  await new Promise((resolve) => setTimeout(resolve, 60));
  assert.equal(registry.nodes.get('edge-a')?.synced.get('route'), 4);
  registry.close();
});

test('changed triggers are reported once when programmed, and once per rejection; the first load is not', () => {
  const { registry, tracker, first } = setup();
  tracker.published(1);
  const a = session('edge-a', 1);
  registry.opened(a);
  holds(registry, a, 1);
  assert.deepEqual(tracker.takeChanges(), [], 'the first load is summarised, not listed');

  const changed = admitTriggers([trigger('team-a/shop', ['shop.example.com', 'cart.example.com'], { created: 1 })]);
  tracker.admitted({ result: changed, previous: first, manifests: { triggers: [], hostGroups: [], tenants: [], errors: [] } });
  tracker.published(2);
  assert.deepEqual(tracker.takeChanges(), [], 'pending is not news');
  registry.nacked(a, 'route', 'v2', 'bad route');
  const rejected = tracker.takeChanges();
  assert.deepEqual(rejected.map((change) => [change.trigger, change.condition.reason]), [['team-a/shop', 'Invalid']]);
  assert.deepEqual(tracker.takeChanges(), [], 'the same rejection is told once');
  holds(registry, a, 3);
  assert.deepEqual(tracker.takeChanges().map((change) => [change.trigger, change.condition.status]), [['team-a/shop', 'True']]);
  assert.deepEqual(tracker.takeChanges(), [], 'programmed is told once');
  registry.close();
});
