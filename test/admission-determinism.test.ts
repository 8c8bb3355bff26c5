/**
 * Determinism: the same manifests in any order give the same table, byte for byte, and the
 * same version. A property test shuffles a generated, conflict-heavy input many times.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { admit } from '../src/admission/admit.js';
import type { AdmissionInput } from '../src/admission/types.js';
import { decodeManifest } from '../src/model/decode.js';
import type { HostGroup, HTTPTrigger } from '../src/model/resources.js';
import { canonicalJson } from '../src/util/canonical-json.js';
import { DEFAULT_GROUP, admitTriggers } from './helpers/admission.js';
import { hostGroup, tenant, trigger } from './helpers/build-manifests.js';
import { seededRandom } from './helpers/seeded-random.js';


function shuffled<T>(items: readonly T[], next: () => number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

/** Many namespaces fighting over a few domains with exact and wildcard hosts, shared paths and ties. */
function conflictHeavyInput(next: () => number): AdmissionInput {
  const domains = ['example.com', 'shop.example.com', 'example.org'];
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const triggers: HTTPTrigger[] = [];
  for (let i = 0; i < 120; i++) {
    const hosts = Array.from({ length: 1 + Math.floor(next() * 3) }, () =>
      next() < 0.3 ? `*.${pick(domains)}` : `${pick(['a', 'b', 'c', 'api', 'www'])}.${pick(domains)}`,
    );
    const paths = Array.from({ length: 1 + Math.floor(next() * 3) }, () => [pick(['Exact', 'Prefix'] as const), pick(['/', '/api', '/api/v1', '/x'])] as const);
    triggers.push(trigger(`ns-${Math.floor(next() * 12)}/t-${i}`, hosts, { created: Math.floor(next() * 20), paths, hostSelector: { hostgroup: pick(['default', 'edge', 'missing']) } }));
  }
  return {
    triggers,
    hostGroups: [DEFAULT_GROUP, hostGroup('edge')],
    tenants: [tenant('ns-1', { maxTriggers: 3 }), tenant('ns-2', { hostnames: ['*.example.com'] }), tenant('ns-3', { hostGroups: ['edge'] })],
    previousOwners: { 'a.example.com': 'ns-4', '*.example.org': 'ns-5' },
  };
}

test('shuffling the input 300 times never changes the table, its version or the statuses', () => {
  const next = seededRandom(20261125);
  const input = conflictHeavyInput(next);
  const reference = admit(input);
  const expected = canonicalJson(reference);
  assert.ok(reference.statuses.some((s) => s.rejections.some((r) => r.reason === 'HostnameConflict')), 'the input must contain conflicts');
  assert.ok(reference.statuses.some((s) => s.rejections.some((r) => r.reason === 'PathConflict')));
  assert.ok(reference.table.hosts.length > 5);
  for (let round = 0; round < 300; round++) {
    const result = admit({
      ...input,
      triggers: shuffled(input.triggers, next),
      hostGroups: shuffled(input.hostGroups, next),
      tenants: shuffled(input.tenants, next),
    });
    assert.equal(result.table.version, reference.table.version);
    assert.equal(canonicalJson(result), expected, `round ${round}`);
  }
});

test('the table serialises to identical bytes for inputs in different orders', () => {
  const a = trigger('team-a/a', 'a.example.com', { created: 1 });
  const b = trigger('team-b/b', 'b.example.com', { created: 1 });
  assert.equal(JSON.stringify(admitTriggers([a, b]).table), JSON.stringify(admitTriggers([b, a]).table));
});

test('the version is a content hash: equal tables share it, any routing change alters it', () => {
  const base = admitTriggers([trigger('team-a/shop', 'shop.example.com', { created: 1 })]);
  const same = admitTriggers([trigger('team-a/shop', 'shop.example.com', { created: 99 })]);
  const otherPath = admitTriggers([trigger('team-a/shop', 'shop.example.com', { created: 1, paths: [['Prefix', '/api']] })]);
  const otherGateway = admitTriggers([trigger('team-a/shop', 'shop.example.com', { created: 1 })], { hostGroups: [hostGroup('default', {}, 9001)] });
  assert.match(base.table.version, /^[0-9a-f]{16}$/);
  assert.equal(same.table.version, base.table.version);
  assert.notEqual(otherPath.table.version, base.table.version);
  assert.notEqual(otherGateway.table.version, base.table.version);
});

test('label order inside a HostGroup does not change the version', () => {
  const decode = (labels: Record<string, string>): HostGroup => {
    const result = decodeManifest({ kind: 'HostGroup', metadata: { name: 'default', labels }, spec: { gateways: [{ address: '127.0.0.1', port: 9000 }] } });
    assert.ok(result.ok);
    return result.manifest as HostGroup;
  };
  const triggers = [trigger('team-a/shop', 'shop.example.com', { created: 1 })];
  const one = admitTriggers(triggers, { hostGroups: [decode({ a: '1', b: '2' })] });
  const two = admitTriggers(triggers, { hostGroups: [decode({ b: '2', a: '1' })] });
  assert.equal(one.table.version, two.table.version);
});

test('statuses come sorted by namespace/name', () => {
  const result = admitTriggers([trigger('team-b/a', 'b.example.com'), trigger('team-a/z', 'z.example.com'), trigger('team-a/a', 'a.example.com')]);
  assert.deepEqual(result.statuses.map((s) => `${s.namespace}/${s.name}`), ['team-a/a', 'team-a/z', 'team-b/a']);
});

test('the same object given twice is a caller error, refused loudly', () => {
  const twice = trigger('team-a/shop', 'shop.example.com');
  assert.throws(() => admitTriggers([twice, twice]), /HTTPTrigger team-a\/shop appears twice/);
});

test('admission does not modify its input', () => {
  const input = conflictHeavyInput(seededRandom(7));
  const before = canonicalJson(input);
  admit(input);
  assert.equal(canonicalJson(input), before);
});
