/**
 * The tenancy promises as invariants over random, conflict-heavy inputs: whatever tenants
 * write, no two namespaces own overlapping hosts, every route on a host belongs to the
 * host's owner, and every refused claim names a real overlapping owner.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { admit } from '../src/admission/admit.js';
import type { AdmissionResult } from '../src/admission/types.js';
import { overlaps } from '../src/model/hostname.js';
import type { HTTPTrigger } from '../src/model/resources.js';
import { DEFAULT_GROUP } from './helpers/admission.js';
import { tenant, trigger } from './helpers/build-manifests.js';

function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
}

function randomInput(seed: number): { triggers: HTTPTrigger[]; previousOwners: Record<string, string> } {
  const next = random(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const labels = ['a', 'b', 'api', 'www'];
  const bases = ['example.com', 'a.example.com', 'shop.example.com', 'example.org'];
  const host = (): string => (next() < 0.35 ? `*.${pick(bases)}` : next() < 0.2 ? pick(bases) : `${pick(labels)}.${pick(bases)}`);
  const triggers = Array.from({ length: 40 }, (_, i) =>
    trigger(`ns-${Math.floor(next() * 6)}/t-${i}`, Array.from({ length: 1 + Math.floor(next() * 3) }, host), {
      created: Math.floor(next() * 10),
      paths: [[pick(['Exact', 'Prefix'] as const), pick(['/', '/api', '/x'])]],
    }),
  );
  const previousOwners: Record<string, string> = {};
  for (let i = 0; i < 4; i++) previousOwners[host()] = `ns-${Math.floor(next() * 6)}`;
  return { triggers, previousOwners };
}

function assertTenancyInvariants(result: AdmissionResult, triggers: readonly HTTPTrigger[]): void {
  const hosts = result.table.hosts;
  assert.equal(new Set(hosts.map((h) => h.host)).size, hosts.length, 'no duplicate hosts');
  for (const [i, a] of hosts.entries()) {
    for (const b of hosts.slice(i + 1)) {
      if (a.namespace !== b.namespace) assert.ok(!overlaps(a.host, b.host), `${a.host} (${a.namespace}) overlaps ${b.host} (${b.namespace})`);
    }
    for (const route of a.routes) assert.ok(route.workloadId.startsWith(`${a.namespace}/`), `${route.workloadId} routed on ${a.host} owned by ${a.namespace}`);
    const keys = a.routes.map((r) => `${r.pathType} ${r.path}`);
    assert.equal(new Set(keys).size, keys.length, `no duplicate routes on ${a.host}`);
  }
  assert.equal(result.statuses.length, triggers.length, 'one status per trigger');
  for (const status of result.statuses) {
    for (const rejection of status.rejections.filter((r) => r.reason === 'HostnameConflict')) {
      const claimed = /^host "([^"]+)"/.exec(rejection.message)![1]!;
      const owner = hosts.find((h) => h.namespace !== status.namespace && overlaps(h.host, claimed));
      assert.ok(owner, `${status.namespace}/${status.name} was refused ${claimed} though no other namespace owns an overlapping host`);
    }
  }
}

test('tenancy invariants hold for 300 random conflict-heavy inputs, with and without previous owners', () => {
  for (let seed = 1; seed <= 300; seed++) {
    const { triggers, previousOwners } = randomInput(seed);
    for (const owners of [{}, previousOwners]) {
      const result = admit({ triggers, hostGroups: [DEFAULT_GROUP], tenants: [tenant('ns-0', { hostnames: ['*.example.com'] })], previousOwners: owners });
      assertTenancyInvariants(result, triggers);
    }
  }
});

test('admission is stable: feeding a table its own owners back changes nothing', () => {
  for (let seed = 1; seed <= 100; seed++) {
    const { triggers } = randomInput(seed);
    const first = admit({ triggers, hostGroups: [DEFAULT_GROUP], tenants: [] });
    const again = admit({ triggers, hostGroups: [DEFAULT_GROUP], tenants: [], previousOwners: Object.fromEntries(first.table.hosts.map((h) => [h.host, h.namespace])) });
    assert.deepEqual(again, first, `seed ${seed}`);
  }
});
