/**
 * xDS conformance for state-of-the-world ADS only: wildcard transitions, full state for
 * CDS/LDS, reconnect. The rules shared with delta are in xds-conformance-ads.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertFullResend, ControlPlane, syncedClient, TWO_HOSTS } from './helpers/xds-harness.js';

test('13. R17/R18: the SotW wildcard walk: [] is everything, ["*","A"] too, ["A"] just A, then [] is nothing', async (t) => {
  const plane = await ControlPlane.start(t);
  let generation = 0;
  // New bytes for every cluster, so whatever the subscription covers must be pushed.
  const publishClusters = () => plane.publish({ clusters: ['A', 'b', 'c'], connectTimeouts: { A: ++generation, b: generation, c: generation } });
  publishClusters();
  const client = plane.connect('sotw');
  const steps: [readonly string[], readonly string[] | undefined][] = [
    [[], ['A', 'b', 'c']], // legacy wildcard
    [['*', 'A'], ['A', 'b', 'c']], // still wildcard, A named as well
    [['A'], ['A']], // the wildcard is dropped, A kept
    [[], undefined], // once names were sent, an empty list unsubscribes from everything
  ];
  for (const [subscription, covered] of steps) {
    client.subscribe('cluster', subscription);
    // A response to the subscription change itself is optional, but must hold what it covers.
    for (const response of await client.collect()) {
      assert.deepEqual([...response.names].sort(), covered, `right after subscribing to [${subscription.join(', ')}]`);
      client.ack(response);
    }
    const snapshot = publishClusters();
    if (!covered) {
      await client.expectSilence();
      continue;
    }
    const pushed = await client.nextOf('cluster');
    assert.equal(pushed.version, snapshot.types.cluster.version);
    assert.deepEqual([...pushed.names].sort(), covered, `after a change, subscribed to [${subscription.join(', ')}]`);
    client.ack(pushed);
  }
});

test('14. R20: CDS is full state: deleting one of three clusters sends the other two, deleting all sends an empty response', async (t) => {
  const { plane, client } = await syncedClient(t, 'sotw', { clusters: ['a', 'b', 'c'] });
  const two = await client.settle(plane.publish({ clusters: ['a', 'c'] }));
  assert.deepEqual(
    two.map((response) => [response.type, response.names]),
    [['cluster', ['a', 'c']]],
  );
  const none = await client.settle(plane.publish({}));
  assert.deepEqual(
    none.map((response) => [response.type, response.names]),
    [['cluster', []]],
  );
});

test('21. R8/R39: a new stream carrying the old version and nonce is initial: every type is resent in full', async (t) => {
  const { plane, client, snapshot } = await syncedClient(t, 'sotw', TWO_HOSTS);
  client.close();
  const again = plane.connect('sotw');
  again.autoFollow();
  again.resume(client);
  assertFullResend(await again.collect(), snapshot);
});
