/**
 * The pure rules of the Node router's HTTP path: Envoy's header-mutation order, what an
 * upstream error means for the client and the endpoint, and which requests may be retried.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { HeaderAddition, HeaderMutation } from '../src/router/config/types.js';
import { applyAdditions, mutationPlan } from '../src/router/proxy/header-mutations.js';
import { connectionOptions } from '../src/router/proxy/hop-by-hop.js';
import { classifyUpstreamError, isRetryable } from '../src/router/proxy/upstream-failure.js';

function add(name: string, value: string, action: HeaderAddition['action'] = 'overwrite-if-exists-or-add'): HeaderAddition {
  return { name, value: { kind: 'literal', value }, action, keepEmptyValue: false };
}

function apply(levels: HeaderMutation[], headers: string[]): string[] {
  const plan = mutationPlan(levels);
  const kept: string[] = [];
  for (let i = 0; i < headers.length; i += 2) if (!plan.removed.has(headers[i] as string)) kept.push(headers[i] as string, headers[i + 1] as string);
  applyAdditions(kept, plan.additions, () => undefined);
  return kept;
}

test('a later level removing a header undoes an earlier level adding it (route, then vhost, then RouteConfiguration)', () => {
  const route: HeaderMutation = { remove: [], add: [add('x-a', 'route')] };
  const virtualHost: HeaderMutation = { remove: ['x-a'], add: [add('x-b', 'vhost')] };
  const routeConfiguration: HeaderMutation = { remove: [], add: [add('x-b', 'rc')] };
  assert.deepEqual(apply([route, virtualHost, routeConfiguration], ['x-a', 'client', 'x-c', 'kept']), ['x-c', 'kept', 'x-b', 'rc']);
});

test('each append action does what Envoy documents', () => {
  const headers = ['x-one', '1', 'x-two', '2'];
  assert.deepEqual(apply([{ remove: [], add: [add('x-one', 'n', 'append-if-exists-or-add')] }], headers), ['x-one', '1', 'x-two', '2', 'x-one', 'n']);
  assert.deepEqual(apply([{ remove: [], add: [add('x-one', 'n', 'add-if-absent')] }], headers), headers);
  assert.deepEqual(apply([{ remove: [], add: [add('x-new', 'n', 'overwrite-if-exists')] }], headers), headers);
  assert.deepEqual(apply([{ remove: [], add: [add('x-one', 'n', 'overwrite-if-exists')] }], headers), ['x-two', '2', 'x-one', 'n']);
  assert.deepEqual(apply([{ remove: [], add: [add('x-empty', '')] }], headers), headers, 'an empty value is skipped');
  assert.deepEqual(apply([{ remove: [], add: [{ ...add('x-empty', ''), keepEmptyValue: true }] }], headers), [...headers, 'x-empty', '']);
});

test('Connection options name fields; close and keep-alive name none', () => {
  assert.equal(connectionOptions('keep-alive', undefined), undefined);
  assert.equal(connectionOptions('Close', undefined), undefined);
  assert.deepEqual([...(connectionOptions(' X-Secret ,keep-alive,, Upgrade', undefined) ?? [])], ['x-secret', 'upgrade']);
});

test('upstream errors map to 502 or 504 with the outcome outlier detection counts, never a 500', () => {
  const cases: [string, string, number | string, string][] = [
    ['ECONNREFUSED', 'connect-failure', 'upstream-failure', 'connect_failure'],
    ['UND_ERR_CONNECT_TIMEOUT', 'connect-failure', 'upstream-failure', 'connect_timeout'],
    ['UND_ERR_SOCKET', 'reset', 'upstream-failure', 'reset'],
    ['ECONNRESET', 'reset', 'upstream-failure', 'reset'],
    ['UND_ERR_HEADERS_TIMEOUT', 'timeout', 'upstream-timeout', 'headers_timeout'],
    ['UND_ERR_BODY_TIMEOUT', 'timeout', 'upstream-timeout', 'body_timeout'],
    ['HPE_INVALID_CONSTANT', 'reset', 'upstream-failure', 'protocol_error'],
    ['UND_ERR_HEADERS_OVERFLOW', 'reset', 'upstream-failure', 'protocol_error'],
    ['SOMETHING_NEW', 'reset', 'upstream-failure', 'reset'],
    ['UND_ERR_INVALID_ARG', 'cancelled', 'bad-request', 'invalid_request'],
    ['UND_ERR_REQ_CONTENT_LENGTH_MISMATCH', 'cancelled', 'bad-request', 'invalid_request'],
  ];
  for (const [code, outcome, reply, kind] of cases) {
    assert.deepEqual(classifyUpstreamError(Object.assign(new Error(code), { code })), { outcome, reply, kind }, code);
  }
  assert.deepEqual(classifyUpstreamError('not even an Error'), { outcome: 'reset', reply: 'upstream-failure', kind: 'reset' });
});

test('only idempotent requests without a body are retried, and only after a connect failure or reset', () => {
  const refused = classifyUpstreamError(Object.assign(new Error(), { code: 'ECONNREFUSED' }));
  const timeout = classifyUpstreamError(Object.assign(new Error(), { code: 'UND_ERR_HEADERS_TIMEOUT' }));
  for (const method of ['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']) assert.equal(isRetryable(method, false, refused), true, method);
  for (const method of ['POST', 'PATCH', 'CONNECT']) assert.equal(isRetryable(method, false, refused), false, method);
  assert.equal(isRetryable('PUT', true, refused), false, 'a streamed body cannot be sent twice');
  assert.equal(isRetryable('GET', false, timeout), false, 'the gateway may still be working on it');
});
