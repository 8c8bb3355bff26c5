/** A write the store cannot persist is a 503 that says nothing changed, never a 500 or a crash. */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { AdminApi } from '../src/admin/api/admin-api.js';
import { AdminMetrics } from '../src/admin/api/admin-metrics.js';
import { statusView } from '../src/admin/api/status-view.js';
import { AuditLog } from '../src/admin/auth/audit-log.js';
import { ObjectStore } from '../src/store/object-store.js';
import { call, triggerDoc, triggerPath } from './helpers/admin-api.js';
import { onTestEnd, tmpDir } from './helpers/tmp-dir.js';

test('a store that fails to persist answers 503 Unavailable with the cause and Retry-After', async (t) => {
  const store = await ObjectStore.open({ dir: await tmpDir(t) });
  await store.close(); // every commit now fails, as a full or failed disk would make it
  const errors: string[] = [];
  const log = { info: () => {}, warn: () => {}, error: (message: string) => errors.push(message) };
  const programmed = () => ({ type: 'Programmed', status: 'False', reason: 'Pending', message: '' }) as const;
  const api = new AdminApi({
    store,
    tokens: { lookup: (token) => (token === 'platform-token-0123456789' ? { name: 'ops', scope: { role: 'platform' } } : undefined) },
    audit: AuditLog.toStream(new PassThrough()),
    metrics: new AdminMetrics(),
    log,
    admission: { settled: async () => {}, current: () => undefined },
    fileDefining: () => undefined,
    programmed,
    status: (scope) => statusView(scope, { update: undefined, programmed, dataPlanes: () => [], snapshot: undefined }),
  });
  const server = createServer((req, res) => void api.handle(req, res)).listen(0, '127.0.0.1');
  await once(server, 'listening');
  onTestEnd(t, () => new Promise((resolve) => server.close(resolve)));
  const port = (server.address() as AddressInfo).port;

  const reply = await call(port, 'PUT', triggerPath('team-a', 'shop'), { token: 'platform-token-0123456789', body: triggerDoc('team-a', 'shop', 'shop.example.com') });
  assert.equal(reply.status, 503);
  assert.equal(reply.json.error.code, 'Unavailable');
  assert.match(reply.json.error.message, /closed; nothing was changed/);
  assert.equal(reply.headers['retry-after'], '1');
  assert.deepEqual(errors, ['admin API request failed']);
  const status = await call(port, 'GET', '/v1/status', { token: 'platform-token-0123456789' });
  assert.deepEqual([status.status, status.json.triggers], [200, []]);
});
