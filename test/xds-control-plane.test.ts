/**
 * The xDS side of `serve`, assembled (XdsControlPlane): admission updates in, a real ADS
 * client syncing over gRPC, and the trigger's Programmed condition following what that
 * client holds.
 */
import assert from 'node:assert/strict';
import test, { type TestContext } from 'node:test';
import { status } from '@grpc/grpc-js';
import type { AdmissionResult } from '../src/admission/types.js';
import type { AdmissionUpdate } from '../src/control/admission-controller.js';
import { XdsControlPlane } from '../src/control/xds-control-plane.js';
import { DEFAULT_RESOURCE_SETTINGS } from '../src/xds/resources/envoy-resources.js';
import type { LogFields, Logger } from '../src/util/logger.js';
import { admitTriggers } from './helpers/admission.js';
import { trigger } from './helpers/build-manifests.js';
import { AdsClient, EDGE_NODE, until } from './helpers/xds-harness.js';

const NO_MANIFESTS = { triggers: [], hostGroups: [], tenants: [], errors: [] };

function recordingLogger(): Logger & { readonly lines: { message: string; fields: LogFields | undefined }[] } {
  const lines: { message: string; fields: LogFields | undefined }[] = [];
  const record = (message: string, fields?: LogFields) => lines.push({ message, fields });
  return { lines, info: record, warn: record, error: record };
}

async function startPlane(t: TestContext) {
  const log = recordingLogger();
  const plane = await XdsControlPlane.start({ listen: '127.0.0.1:0', resources: DEFAULT_RESOURCE_SETTINGS, log, quietMs: 0, maxWaitMs: 0 });
  t.after(() => plane.close());
  return { plane, log };
}

function update(result: AdmissionResult, previous?: AdmissionResult): AdmissionUpdate {
  return { result, manifests: NO_MANIFESTS, ...(previous && { previous }) };
}

test('a trigger becomes Programmed when the connected node ACKs the snapshot carrying it', async (t) => {
  const { plane, log } = await startPlane(t);
  const first = admitTriggers([trigger('team-a/shop', 'shop.example.com', { created: 1 })]);
  plane.admitted(update(first));
  await plane.publisher.flush();
  assert.match(plane.programmed.condition('team-a/shop').message, /no data plane node is connected/);

  const client = new AdsClient(plane.server.port!, 'sotw', EDGE_NODE, plane.registry);
  t.after(() => client.close());
  client.autoFollow();
  await client.syncAll(plane.publisher.current!);
  await until(() => plane.programmed.condition('team-a/shop').status === 'True', 'team-a/shop Programmed');

  const second = admitTriggers([trigger('team-a/shop', 'shop.example.com', { created: 1 }), trigger('team-b/blog', 'blog.example.com', { created: 2 })]);
  plane.admitted(update(second, first));
  await plane.publisher.flush();
  await client.converged(plane.publisher.current!);
  await until(() => log.lines.some((line) => line.message === 'trigger programmed' && line.fields?.['trigger'] === 'team-b/blog'), 'a log line for the new trigger');
  assert.equal(plane.programmed.condition('team-b/blog').status, 'True');
  assert.ok(log.lines.some((line) => line.message === 'data plane connected' && line.fields?.['node'] === EDGE_NODE.id));
  assert.ok(log.lines.some((line) => line.message === 'config programmed on every connected node'));
});

test('close ends open streams with UNAVAILABLE so nodes reconnect elsewhere', async (t) => {
  const { plane } = await startPlane(t);
  plane.admitted(update(admitTriggers([trigger('team-a/shop', 'shop.example.com')])));
  await plane.publisher.flush();
  const client = new AdsClient(plane.server.port!, 'delta', EDGE_NODE);
  t.after(() => client.close());
  client.autoFollow();
  await client.syncAll(plane.publisher.current!);
  await plane.close();
  const ended = await client.closed;
  assert.equal(status[ended.code], 'UNAVAILABLE');
  assert.match(ended.details, /shutting down/);
  assert.equal(plane.server.streamCount, 0);
});
