/**
 * What must hold before anything reaches a stream: snapshots are consistent (reference test
 * 20, R26), and two triggers claiming one host become exactly one virtual host (test 37),
 * checked on what a real ADS client receives.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RouteTable } from '../src/admission/types.js';
import { consistencyProblems, type ResourceNames, type ResourceReferences } from '../src/xds/cache/consistency.js';
import { SnapshotPublisher } from '../src/xds/snapshot-publisher.js';
import { TableEncoder, type EncodedTable } from '../src/xds/table-encoder.js';
import { admitTriggers, condition, reasons, statusOf } from './helpers/admission.js';
import { trigger } from './helpers/build-manifests.js';
import { ControlPlane } from './helpers/xds-harness.js';

type ResourceSpec = Partial<Record<keyof ResourceNames, string[]>>;
type ReferenceSpec = Partial<Record<keyof ResourceReferences, string[]>>;

const names = (sets: ResourceSpec): ResourceNames => ({
  cluster: new Set(sets.cluster),
  endpoint: new Set(sets.endpoint),
  listener: new Set(sets.listener),
  route: new Set(sets.route),
});

const references = (sets: ReferenceSpec): ResourceReferences => ({
  route: new Set(sets.route),
  endpoint: new Set(sets.endpoint),
  cluster: new Set(sets.cluster),
});

/** One listener using RDS "ingress_http", which routes to cluster a, which loads CLA a. */
const CONSISTENT = {
  names: { listener: ['ingress_http'], route: ['ingress_http'], cluster: ['a'], endpoint: ['a'] },
  references: { route: ['ingress_http'], endpoint: ['a'], cluster: ['a'] },
};

test('20. R26: consistencyProblems names every dangling or unreferenced resource, and passes a consistent set', () => {
  assert.deepEqual(consistencyProblems(names(CONSISTENT.names), references(CONSISTENT.references)), []);
  const { names: present, references: used } = CONSISTENT;
  const cases: [string, ResourceSpec, ReferenceSpec, string][] = [
    ['a listener naming a missing RouteConfiguration', { ...present, route: [] }, used, 'RDS resource "ingress_http" is referenced by a listener but missing'],
    ['a cluster without its ClusterLoadAssignment', { ...present, endpoint: [] }, used, 'EDS resource "a" is referenced by a cluster but missing'],
    ['a route to a missing cluster', { ...present, cluster: [] }, used, 'CDS resource "a" is referenced by a route but missing'],
    ['an unreferenced ClusterLoadAssignment', { ...present, endpoint: ['a', 'orphan'] }, used, 'EDS resource "orphan" is not referenced by any cluster'],
    ['an unreferenced RouteConfiguration', { ...present, route: ['ingress_http', 'orphan'] }, used, 'RDS resource "orphan" is not referenced by any listener'],
  ];
  for (const [label, resourceNames, resourceReferences, problem] of cases) {
    assert.deepEqual(consistencyProblems(names(resourceNames), references(resourceReferences)), [problem], label);
  }
});

/** Encodes tables faithfully, except that the RouteConfiguration the listener names is left out. */
class DanglingListenerEncoder extends TableEncoder {
  override encode(table: RouteTable): EncodedTable {
    const encoded = super.encode(table);
    return { ...encoded, resources: { ...encoded.resources, route: [] } };
  }
}

test('20. R26: a snapshot whose listener names a missing RouteConfiguration never reaches a stream', async (t) => {
  const plane = await ControlPlane.start(t);
  const rejected: string[] = [];
  const publisher = new SnapshotPublisher({
    cache: plane.cache,
    encoder: new DanglingListenerEncoder(),
    quietMs: 0,
    maxWaitMs: 0,
    onRejected: (_table, problems) => rejected.push(...problems),
  });
  t.after(() => publisher.close());
  const client = plane.connect('sotw');
  client.subscribe('listener', []);
  publisher.update(admitTriggers([trigger('team-a/shop', 'shop.example.com')]).table);
  await publisher.flush();
  assert.deepEqual(rejected, ['RDS resource "ingress_http" is referenced by a listener but missing']);
  assert.equal(plane.cache.snapshotFor('triggerway'), undefined);
  await client.expectSilence();
});

test('37. two triggers claiming one host become exactly one virtual host, the older claim, on the wire', async (t) => {
  const older = trigger('team-a/shop', 'shop.example.com', { created: 1 });
  const newer = trigger('team-b/shop', 'shop.example.com', { created: 2 });
  const result = admitTriggers([newer, older]);
  assert.deepEqual(reasons(statusOf(result, 'team-b/shop')), ['HostnameConflict']);
  assert.equal(condition(statusOf(result, 'team-b/shop'), 'Accepted')?.status, 'False');
  const encoded = new TableEncoder().encode(result.table);
  assert.deepEqual(new TableEncoder().encode(admitTriggers([older, newer]).table).resources, encoded.resources, 'the same bytes whatever the input order');

  const plane = await ControlPlane.start(t);
  const snapshot = plane.publishSet(encoded.resources);
  const client = plane.connect('sotw');
  await client.syncAll(snapshot);
  type Headers = { header: { key: string; value: string } }[];
  const routeConfiguration = [...client.held('route').values()][0]?.message as { virtual_hosts: { domains: string[]; request_headers_to_add?: Headers }[] };
  const claiming = routeConfiguration.virtual_hosts.filter((host) => host.domains.includes('shop.example.com'));
  assert.equal(claiming.length, 1);
  const tenant = claiming[0]?.request_headers_to_add?.find((option) => option.header.key === 'x-tenant');
  assert.equal(tenant?.header.value, 'team-a');
  const domains = routeConfiguration.virtual_hosts.flatMap((host) => host.domains);
  assert.equal(new Set(domains).size, domains.length, 'no domain twice in the RouteConfiguration (Envoy would NACK it)');
});
