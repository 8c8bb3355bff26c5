/** The admin API's pure request steps: paths → targets, and a PUT body → the document to store. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApiFailure } from '../src/admin/api/api-error.js';
import { parseApiPath } from '../src/admin/api/api-path.js';
import { precondition, prepareWrite } from '../src/admin/api/prepare-write.js';

const failure = (status: number, pattern: RegExp) => (error: unknown) => error instanceof ApiFailure && error.status === status && pattern.test(error.message);

test('paths name a collection, an object or the status; names are checked as manifests check them', () => {
  assert.deepEqual(parseApiPath('/v1/namespaces/team-a/httptriggers'), { resource: 'collection', kind: 'HTTPTrigger', namespace: 'team-a' });
  assert.deepEqual(parseApiPath('/v1/namespaces/team-a/httptriggers/shop.v2'), { resource: 'object', kind: 'HTTPTrigger', namespace: 'team-a', name: 'shop.v2' });
  assert.deepEqual(parseApiPath('/v1/hostgroups/default'), { resource: 'object', kind: 'HostGroup', name: 'default' });
  assert.deepEqual(parseApiPath('/v1/tenants'), { resource: 'collection', kind: 'Tenant' });
  assert.deepEqual(parseApiPath('/v1/status'), { resource: 'status' });
  assert.throws(() => parseApiPath('/v1/namespaces/Team_A/httptriggers'), failure(400, /namespace "Team_A" in the path must consist/));
  assert.throws(() => parseApiPath('/v1/tenants/a.b'), failure(400, /name "a.b"/));
  assert.throws(() => parseApiPath('/v1/namespaces/team-a/httptriggers/%E0%A4%A'), failure(400, /percent-encoding/));
  assert.throws(() => parseApiPath('/v1/namespaces/team-a/httptriggers/a/b'), failure(404, /no such API path/));
  assert.throws(() => parseApiPath('/v2/status'), failure(404, /no such API path/));
});

const key = { kind: 'HTTPTrigger', namespace: 'team-a', name: 'shop' } as const;
const body = (metadata: Record<string, unknown> = {}) => ({ kind: 'HTTPTrigger', metadata: { name: 'shop', namespace: 'team-a', ...metadata }, spec: { ingress: { host: 'shop.example.com' } } });

test('the path fills in kind, name and namespace; server-owned metadata and status are dropped', () => {
  const write = prepareWrite(key, { spec: { ingress: { host: 'shop.example.com' } }, status: { bogus: true } }, undefined);
  assert.deepEqual(write.document, { spec: { ingress: { host: 'shop.example.com' } }, kind: 'HTTPTrigger', metadata: { name: 'shop', namespace: 'team-a' } });
  const backdated = prepareWrite(key, body({ creationTimestamp: '2001-01-01T00:00:00Z', uid: 'x', labels: { a: 'b' } }), undefined);
  assert.deepEqual(backdated.document['metadata'], { labels: { a: 'b' }, name: 'shop', namespace: 'team-a' });
  assert.equal(backdated.manifest.metadata.creationTimestamp, undefined);
});

test('a body may not contradict its path, and schema errors carry their field paths', () => {
  assert.throws(() => prepareWrite(key, [], undefined), failure(400, /must be a manifest object/));
  assert.throws(() => prepareWrite(key, { ...body(), kind: 'HostGroup' }, undefined), failure(400, /^kind: must be "HTTPTrigger"/));
  assert.throws(() => prepareWrite({ kind: 'HostGroup', name: 'g' }, { metadata: { name: 'g', namespace: 'x' } }, undefined), failure(400, /cluster-scoped/));
  try {
    prepareWrite(key, { ...body(), spec: { ingress: { host: 'shop.example.com', paths: [{ path: 'x', pathType: 'Exact' }] } } }, undefined);
    assert.fail('accepted a path without a leading slash');
  } catch (error) {
    assert.ok(error instanceof ApiFailure && error.code === 'Invalid');
    assert.equal(error.details?.[0]?.field, 'spec.ingress.paths[0].path');
  }
});

test('a write is conditional on If-Match or metadata.resourceVersion, which must agree', () => {
  assert.equal(prepareWrite(key, body({ resourceVersion: '7' }), undefined).expectedVersion, '7');
  assert.equal(prepareWrite(key, body(), '"8"').expectedVersion, '8');
  assert.equal(precondition(undefined, '9'), '9');
  assert.equal(precondition('9', ' "9" '), '9');
  assert.equal(precondition(undefined, undefined), undefined);
  assert.throws(() => precondition('7', '"8"'), failure(400, /disagree/));
  for (const header of ['*', '"1", "2"', 'W/"1"', '']) assert.throws(() => precondition(undefined, header), failure(400, /If-Match must be one resourceVersion/), header);
  assert.throws(() => precondition(7, undefined), failure(400, /must be a string/));
});
