/**
 * xDS conformance of the stream's life: requests that end it (R1–R3, undecodable bytes),
 * and what is left when data planes go away (reference test 36: per-node state freed after
 * the grace period, no stream counted once its client vanished). SotW and delta ADS.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, test, type TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import { status } from '@grpc/grpc-js';
import type { NodeState } from '../src/xds/data-plane-registry.js';
import { TYPE_URLS } from '../src/xds/xds-types.js';
import { EventQueue } from './helpers/event-queue.js';
import { ControlPlane, EDGE_NODE, PROMPT_MS, PROTOCOLS, syncedClient, until, WITH_SPARE, within, type AdsClient, type Protocol } from './helpers/xds-harness.js';

const GRACE_MS = 100;

/** Asserts the server ended the stream with INVALID_ARGUMENT, explained by `details`. */
async function expectInvalidArgument(client: AdsClient, details: RegExp): Promise<void> {
  const ended = await client.ended();
  assert.equal(status[ended.code], 'INVALID_ARGUMENT', ended.details);
  assert.match(ended.details, details);
}

/**
 * An ADS client in its own process that syncs clusters and then is SIGKILLed by the
 * returned function: the connection dies without a goodbye, as with a crashed Envoy.
 */
async function clientProcess(t: TestContext, port: number, protocol: Protocol): Promise<() => Promise<void>> {
  const harness = fileURLToPath(new URL('./helpers/xds-harness.js', import.meta.url));
  const script = `
    const { AdsClient } = await import(${JSON.stringify(harness)});
    const client = new AdsClient(${port}, ${JSON.stringify(protocol)}, { id: 'doomed', cluster: 'triggerway' });
    client.subscribe('cluster', []);
    await client.next();
    console.log('synced');`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  t.after(() => void child.kill('SIGKILL'));
  const [line] = (await within(once(child.stdout, 'data'), 5_000, 'the client process did not sync')) as [Buffer];
  assert.equal(line.toString().trim(), 'synced');
  return async () => {
    child.kill('SIGKILL');
    await once(child, 'exit');
  };
}

for (const protocol of PROTOCOLS) {
  describe(`${protocol} ADS`, () => {
    test('7. R2: repeating the node is fine, but a changed node.id ends the stream with INVALID_ARGUMENT', async (t) => {
      const { plane, client } = await syncedClient(t, protocol, WITH_SPARE);
      client.subscribe('route', ['ingress_http', 'spare'], { node: EDGE_NODE });
      assert.ok((await client.nextOf('route')).names.includes('spare'));
      client.subscribe('route', ['ingress_http'], { node: { ...EDGE_NODE, id: 'edge-2' } });
      await expectInvalidArgument(client, /node\.id changed/);
      assert.equal(plane.registry.nodes.get(EDGE_NODE.id)?.streams.size, 0);
      assert.equal(plane.registry.nodes.has('edge-2'), false);
    });

    test('8. R3: an ADS request without type_url ends the stream with INVALID_ARGUMENT; an unserved type is ignored', async (t) => {
      const plane = await ControlPlane.start(t);
      plane.publish(WITH_SPARE);
      const client = plane.connect(protocol);
      client.send({ type_url: 'type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret' });
      await client.expectSilence();
      client.send({ type_url: '' });
      await expectInvalidArgument(client, /type_url is required/);
    });

    test('R1: a first request without node ends the stream with INVALID_ARGUMENT', async (t) => {
      const plane = await ControlPlane.start(t);
      plane.publish(WITH_SPARE);
      const client = plane.connect(protocol);
      client.send({ type_url: TYPE_URLS.cluster, node: null });
      await expectInvalidArgument(client, /must carry node\.id/);
      assert.equal(plane.registry.nodes.size, 0);
    });

    test('bytes that are no discovery request end the stream with INVALID_ARGUMENT, not INTERNAL', async (t) => {
      const { plane, client } = await syncedClient(t, protocol, WITH_SPARE);
      client.send(Buffer.from([0x7f])); // field 15 with wire type 7, which does not exist
      await expectInvalidArgument(client, /does not decode/);
      await plane.streamsClosed();
    });

    test('36. GC: a node is freed graceMs after its last stream closes, and not before', async (t) => {
      const forgotten = new EventQueue<NodeState>();
      const { plane, client } = await syncedClient(t, protocol, WITH_SPARE, { graceMs: GRACE_MS, events: { forgotten: forgotten.push } });
      const closedAt = performance.now();
      client.end();
      const node = plane.registry.nodes.get(EDGE_NODE.id);
      assert.ok(node);
      assert.equal((await forgotten.next(PROMPT_MS)).node.id, EDGE_NODE.id);
      assert.ok(performance.now() - closedAt >= GRACE_MS - 5, 'not freed before the grace period');
      assert.ok(node.disconnectedAt, 'the node was marked disconnected first');
      assert.equal(plane.registry.nodes.size, 0);
      await plane.streamsClosed();
    });

    test('36. GC: a node that reconnects within the grace period keeps its state', async (t) => {
      const forgotten = new EventQueue<NodeState>();
      const { plane, client, snapshot } = await syncedClient(t, protocol, WITH_SPARE, { graceMs: GRACE_MS, events: { forgotten: forgotten.push } });
      const node = plane.registry.nodes.get(EDGE_NODE.id);
      client.end();
      await plane.streamsClosed();
      assert.ok(node?.disconnectedAt);
      await plane.connect(protocol).syncAll(snapshot);
      assert.deepEqual(await forgotten.drainAfter(GRACE_MS * 2), [], 'nothing is freed');
      assert.equal(plane.registry.nodes.get(EDGE_NODE.id), node, 'the same state, not a new one');
      assert.equal(node.disconnectedAt, undefined);
      assert.equal(node.streams.size, 1);
    });

    test('36. streams whose clients vanish (cancelled, or the process killed) are no longer counted', async (t) => {
      const { plane, client } = await syncedClient(t, protocol, WITH_SPARE, { graceMs: GRACE_MS });
      const kill = await clientProcess(t, plane.port, protocol);
      assert.equal(plane.server.streamCount, 2);
      client.close();
      await kill();
      await plane.streamsClosed();
      assert.deepEqual(plane.registry.connectedNodes(), []);
      await until(() => plane.registry.nodes.size === 0, 'their nodes are not freed');
    });
  });
}
