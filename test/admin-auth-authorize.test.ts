/**
 * What each scope may do, over every action × kind × target namespace: a platform token
 * everything; a tenant token its own namespace's triggers, its own Tenant (read) and
 * status (read); every refusal a sentence naming the token's namespace and nothing else.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ApiScope } from '../src/admin/api/api-types.js';
import { authorize, type AccessAction, type AccessKind, type AccessRequest } from '../src/admin/auth/authorize.js';

const ACTIONS: readonly AccessAction[] = ['get', 'list', 'put', 'delete'];
const KINDS: readonly AccessKind[] = ['HTTPTrigger', 'HostGroup', 'Tenant', 'status'];
const TARGETS: readonly (string | undefined)[] = ['team-a', 'team-b', undefined];
const PLATFORM: ApiScope = { role: 'platform' };
const TEAM_A: ApiScope = { role: 'tenant', namespace: 'team-a' };

const every: readonly AccessRequest[] = ACTIONS.flatMap((action) =>
  KINDS.flatMap((kind) => TARGETS.map((namespace) => (namespace === undefined ? { action, kind } : { action, kind, namespace }))),
);

const label = (request: AccessRequest): string => `${request.action} ${request.kind} ${request.namespace ?? '(all namespaces)'}`;

/** Everything a team-a token may do, written out rather than derived. */
const TEAM_A_ALLOWED = new Set([
  'get HTTPTrigger team-a',
  'list HTTPTrigger team-a',
  'put HTTPTrigger team-a',
  'delete HTTPTrigger team-a',
  'get Tenant team-a',
  'get status team-a',
  'get status team-b',
  'get status (all namespaces)',
  'list status team-a',
  'list status team-b',
  'list status (all namespaces)',
]);

describe('authorize', () => {
  test('a platform token may do everything', () => {
    for (const request of every) assert.deepEqual(authorize(PLATFORM, request, 'platform-ops'), { allowed: true }, label(request));
  });

  test('a tenant token may do exactly its own triggers, read its own Tenant and read status', () => {
    const allowed = every.filter((request) => authorize(TEAM_A, request, 'team-a-ci').allowed).map(label);
    assert.deepEqual(new Set(allowed), TEAM_A_ALLOWED);
  });

  test('every refusal names the token and its namespace, and says nothing about whether anything exists', () => {
    for (const request of every) {
      const decision = authorize(TEAM_A, request, 'team-a-ci');
      if (decision.allowed) continue;
      assert.match(decision.reason, /^token "team-a-ci" is bound to namespace "team-a" and may not /, label(request));
      assert.doesNotMatch(decision.reason, /exist|found|unknown/i, label(request));
    }
  });

  const reasons: ReadonlyArray<readonly [AccessRequest, string]> = [
    [{ action: 'put', kind: 'HTTPTrigger', namespace: 'team-b' }, 'write HTTPTriggers in namespace "team-b"'],
    [{ action: 'get', kind: 'HTTPTrigger', namespace: 'team-b' }, 'read HTTPTriggers in namespace "team-b"'],
    [{ action: 'delete', kind: 'HTTPTrigger', namespace: 'team-b' }, 'delete HTTPTriggers in namespace "team-b"'],
    [{ action: 'list', kind: 'HTTPTrigger', namespace: 'team-b' }, 'list HTTPTriggers in namespace "team-b"'],
    [{ action: 'list', kind: 'HTTPTrigger' }, 'list HTTPTriggers across all namespaces, only in "team-a"'],
    [{ action: 'get', kind: 'Tenant', namespace: 'team-b' }, 'read Tenant "team-b", only its own Tenant "team-a"'],
    [{ action: 'list', kind: 'Tenant' }, 'list Tenants, only read its own Tenant "team-a"'],
    [{ action: 'put', kind: 'Tenant', namespace: 'team-a' }, 'write Tenants: tenant policy is set with a platform token'],
    [{ action: 'delete', kind: 'Tenant', namespace: 'team-a' }, 'delete Tenants: tenant policy is set with a platform token'],
    [{ action: 'get', kind: 'HostGroup' }, 'read HostGroups: they are managed with a platform token'],
    [{ action: 'put', kind: 'HostGroup' }, 'write HostGroups: they are managed with a platform token'],
    [{ action: 'put', kind: 'status' }, 'write status: it is read-only'],
  ];

  for (const [request, what] of reasons) {
    test(`refusal reason: ${label(request)}`, () => {
      assert.deepEqual(authorize(TEAM_A, request, 'team-a-ci'), {
        allowed: false,
        reason: `token "team-a-ci" is bound to namespace "team-a" and may not ${what}`,
      });
    });
  }

  test('without a token name the reason says "this token"', () => {
    const decision = authorize(TEAM_A, { action: 'put', kind: 'HTTPTrigger', namespace: 'team-b' });
    assert.deepEqual(decision, { allowed: false, reason: 'this token is bound to namespace "team-a" and may not write HTTPTriggers in namespace "team-b"' });
  });

  test('a namespace that only looks like the own one is another namespace, quoted safely and shortened', () => {
    for (const namespace of ['team-a ', 'Team-A', 'team-a/', '']) {
      assert.equal(authorize(TEAM_A, { action: 'get', kind: 'HTTPTrigger', namespace }).allowed, false, JSON.stringify(namespace));
    }
    const long = `x"\n${'y'.repeat(500)}`;
    const decision = authorize(TEAM_A, { action: 'get', kind: 'HTTPTrigger', namespace: long });
    assert.ok(!decision.allowed && !decision.reason.includes('\n') && decision.reason.length < 250, JSON.stringify(decision));
  });
});
