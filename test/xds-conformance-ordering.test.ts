/**
 * xDS conformance under change: push order and make-before-break over randomized snapshot
 * sequences, no duplicate names, and coalescing of bursts and of slow clients. Each test
 * runs for state-of-the-world and delta ADS.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RouteTable } from '../src/admission/types.js';
import { resourceBytes } from '../src/xds/cache/snapshot.js';
import { SnapshotPublisher } from '../src/xds/snapshot-publisher.js';
import { TableEncoder } from '../src/xds/table-encoder.js';
import { XDS_TYPES, type XdsType } from '../src/xds/xds-types.js';
import { admitTriggers } from './helpers/admission.js';
import { hostGroup, trigger } from './helpers/build-manifests.js';
import {
  ControlPlane,
  countByType,
  PROTOCOLS,
  routeClusters,
  syncedClient,
  type AdsClient,
  type SnapshotSpec,
  type XdsResponse,
} from './helpers/xds-harness.js';

/** What the random runs vary: clusters, their endpoints, which cluster serves each host, an extra listener. */
interface Fleet {
  readonly clusters: readonly string[];
  readonly ports: Readonly<Record<string, number>>;
  readonly hosts: Readonly<Record<string, string>>;
  /** The cluster behind the optional admin listener's only host. */
  readonly admin: string | undefined;
}

const CLUSTER_POOL = ['c0', 'c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7'];
const HOSTS = ['h0.example.com', 'h1.example.com', 'h2.example.com', 'h3.example.com', 'h4.example.com'];
const FIRST_FLEET: Fleet = { clusters: ['c0', 'c1'], ports: { c0: 9000, c1: 9001 }, hosts: Object.fromEntries(HOSTS.map((host) => [host, 'c0'])), admin: undefined };

function fleetSpec(fleet: Fleet): SnapshotSpec {
  return {
    clusters: fleet.clusters,
    endpoints: Object.fromEntries(fleet.clusters.map((name) => [name, [`127.0.0.1:${fleet.ports[name]}`]])),
    listeners: fleet.admin ? ['ingress_http', 'ingress_admin'] : ['ingress_http'],
    routes: { ingress_http: fleet.hosts, ...(fleet.admin && { ingress_admin: { 'admin.example.com': fleet.admin } }) },
  };
}

/** mulberry32: a seeded generator, so a failing run replays from its seed. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = Math.imul(state ^ (state >>> 15), 1 | state);
    mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed;
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
}

/** The next consistent fleet: clusters dropped (p ¼) and added (p ⅕ each), hosts re-pointed, often to new clusters. */
function mutate(fleet: Fleet, random: () => number): Fleet {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const removed = new Set(fleet.clusters.filter(() => random() < 0.25));
  const added = CLUSTER_POOL.filter((name) => !fleet.clusters.includes(name) && random() < 0.2);
  let clusters = [...fleet.clusters.filter((name) => !removed.has(name)), ...added].sort();
  if (clusters.length === 0) clusters = [pick(CLUSTER_POOL)];
  const target = () => (added.length > 0 && random() < 0.7 ? pick(added) : pick(clusters));
  const repoint = (cluster: string) => (clusters.includes(cluster) && random() >= 0.3 ? cluster : target());
  const port = (name: string) => (fleet.ports[name] !== undefined && random() >= 0.2 ? fleet.ports[name] : 9000 + Math.floor(random() * 1000));
  const ports = Object.fromEntries(clusters.map((name) => [name, port(name)]));
  const admin = random() < 0.15 ? (fleet.admin ? undefined : target()) : fleet.admin && repoint(fleet.admin);
  return { clusters, ports, hosts: Object.fromEntries(Object.entries(fleet.hosts).map(([host, cluster]) => [host, repoint(cluster)])), admin };
}

/** What one randomized run showed the checks. */
interface RunStep {
  readonly response: XdsResponse;
  /** Carried a resource the client lacked or held with other bytes. */
  readonly upserts: boolean;
  readonly client: AdsClient;
}

/**
 * Publishes `runs` random consistent changes, each followed to convergence by an Envoy-like
 * client; `check` sees every response before (`applied` false) and after it is applied.
 */
async function randomRuns(
  plane: ControlPlane,
  client: AdsClient,
  runs: number,
  seed: number,
  check: (step: RunStep, applied: boolean, run: { index: number; before: Fleet; after: Fleet }) => void,
): Promise<void> {
  const random = seeded(seed);
  let fleet = FIRST_FLEET;
  for (let index = 0; index < runs; index++) {
    const next = mutate(fleet, random);
    const snapshot = plane.publish(fleetSpec(next));
    const run = { index, before: fleet, after: next };
    await client.settle(snapshot, (response, applied) => {
      const upserts = response.resources.some((resource) => !client.held(response.type).get(resource.name)?.body.equals(resource.body));
      try {
        check({ response, upserts, client }, applied, run);
      } catch (error) {
        throw new Error(`${(error as Error).message}\n  replay: seed ${seed}, run ${index}: ${JSON.stringify(run)}`, { cause: error });
      }
    });
    fleet = next;
  }
}

/** Make-before-break as Envoy sees it: no route the client holds sends to a cluster it lacks, or lacks endpoints for. */
function danglingRoutes(client: AdsClient): string[] {
  const problems = new Set<string>();
  for (const [name, view] of client.held('route')) {
    for (const cluster of routeClusters(view.message)) {
      if (!client.held('cluster').has(cluster)) problems.add(`route ${name} sends to cluster ${cluster}, which the client does not hold`);
      else if (!client.held('endpoint').has(cluster)) problems.add(`route ${name} sends to cluster ${cluster}, whose endpoints the client does not hold`);
    }
  }
  return [...problems];
}

/** A snapshot change that touches every type except the listener. */
function revision(index: number): SnapshotSpec {
  return {
    clusters: ['a', 'b'],
    connectTimeouts: { a: 1 + (index % 50) },
    endpoints: { a: [`127.0.0.1:${10_000 + index}`], b: ['127.0.0.1:9002'] },
    listeners: ['ingress_http'],
    routes: { ingress_http: { 'a.example.com': 'a', [`r${index}.example.com`]: 'b' } },
  };
}

/** A route table whose hosts (RDS) and gateway port (EDS) move with `index`. */
function burstTable(index: number): RouteTable {
  const triggers = [trigger('team-a/shop', ['shop.example.com', `w${index}.example.com`], { created: 1 })];
  return admitTriggers(triggers, { hostGroups: [hostGroup('default', {}, 9000 + index)] }).table;
}

const ORDER: Readonly<Record<XdsType, number>> = { cluster: 0, endpoint: 1, listener: 2, route: 3 };

for (const protocol of PROTOCOLS) {
  describe(`${protocol} ADS`, () => {
    test('15. R21: no response names a resource twice, over 100 random snapshot changes', async (t) => {
      const { plane, client } = await syncedClient(t, protocol, fleetSpec(FIRST_FLEET));
      await randomRuns(plane, client, 100, 15, ({ response }, applied) => {
        if (applied) return;
        const names = [...response.names, ...response.removed];
        assert.equal(new Set(names).size, names.length, `duplicate names in ${response.type}: ${names.join(', ')}`);
      });
    });

    test('17. R23: over 200 random changes, pushes go CDS, EDS, LDS, RDS and removals wait for the RDS that drops them', async (t) => {
      const { plane, client } = await syncedClient(t, protocol, fleetSpec(FIRST_FLEET));
      let lastRun = -1;
      let lastUpsert = -1;
      const seen = { addedAndRouted: 0, removedWhileRouted: 0, kept: 0 };
      await randomRuns(plane, client, 200, 17, ({ response, upserts }, applied, run) => {
        if (!applied) {
          if (run.index !== lastRun) {
            lastRun = run.index;
            lastUpsert = -1;
            const routed = new Set(Object.values(run.after.hosts));
            const wasRouted = new Set(Object.values(run.before.hosts));
            if (run.after.clusters.some((name) => !run.before.clusters.includes(name) && routed.has(name))) seen.addedAndRouted += 1;
            if (run.before.clusters.some((name) => !run.after.clusters.includes(name) && wasRouted.has(name))) seen.removedWhileRouted += 1;
          }
          const expected = plane.snapshot!.types[response.type].version;
          const current = response.version === expected || (protocol === 'sotw' && response.version === `${expected}+kept`);
          assert.ok(current, `${response.type} version ${response.version}, snapshot at ${expected}`);
          if (response.version.endsWith('+kept')) seen.kept += 1;
          if (upserts) {
            // Additions never go before those of a type ahead of them (a type may add twice, e.g. RDS after LDS named more).
            assert.ok(ORDER[response.type] >= lastUpsert, `${response.type} pushed after ${XDS_TYPES[lastUpsert]}`);
            lastUpsert = ORDER[response.type];
          }
          return;
        }
        assert.deepEqual(danglingRoutes(client), [], `after ${response.type} ${response.version}`);
      });
      // The runs must have exercised what they claim to check.
      assert.ok(seen.addedAndRouted >= 20 && seen.removedWhileRouted >= 20, JSON.stringify(seen));
      if (protocol === 'sotw') assert.ok(seen.kept >= 10, `intermediate +kept CDS responses: ${seen.kept}`);
    });

    test('17. R23 (focused): a listener removed with the only cluster its routes use goes before that cluster', async (t) => {
      const admin: SnapshotSpec = {
        clusters: ['a', 'admin'],
        listeners: ['ingress_http', 'ingress_admin'],
        routes: { ingress_http: { 'a.example.com': 'a' }, ingress_admin: { 'admin.example.com': 'admin' } },
      };
      const { plane, client } = await syncedClient(t, protocol, admin);
      const removed = plane.publish({ clusters: ['a'], listeners: ['ingress_http'], routes: { ingress_http: { 'a.example.com': 'a' } } });
      const responses = await client.settle(removed, (response, applied) => {
        if (applied) assert.deepEqual(danglingRoutes(client), [], `after ${response.type} ${response.version}`);
      });
      assert.deepEqual(
        responses.map((response) => response.type),
        ['listener', 'cluster'],
      );
    });

    test('34. 500 route table changes in 200 ms through the SnapshotPublisher (10 ms quiet, 100 ms max) reach an idle stream in at most 3 pushes per type', async (t) => {
      // Precomputed, so the burst measures the publisher and the streams, not admission.
      const tables = Array.from({ length: 501 }, (_, index) => burstTable(index));
      const plane = await ControlPlane.start(t);
      const publisher = new SnapshotPublisher({ cache: plane.cache, encoder: new TableEncoder(), quietMs: 10, maxWaitMs: 100 });
      t.after(() => publisher.close());
      publisher.update(tables[0]!);
      await publisher.flush();
      const client = plane.connect(protocol);
      await client.syncAll(publisher.current!);
      const start = client.received.length;
      client.autoFollow();
      const began = performance.now();
      for (let index = 1; index < tables.length; ) {
        // Spread evenly over 200 ms, whatever the timer granularity.
        const due = Math.min(tables.length - 1, Math.ceil(((performance.now() - began) / 200) * 500));
        for (; index <= due; index++) publisher.update(tables[index]!);
        await sleep(5);
      }
      await publisher.flush();
      await client.converged(publisher.current!);
      await client.expectSilence();
      const counts = countByType(client.received.slice(start));
      for (const type of XDS_TYPES) assert.ok(counts[type] <= 3, `${type}: ${counts[type]} pushes`);
      assert.ok(counts.route >= 1 && counts.endpoint >= 1, `hosts and endpoints changed: ${JSON.stringify(counts)}`);
      const exact = new TableEncoder().encode(tables[500]!).resources;
      for (const type of XDS_TYPES) assert.deepEqual([...client.held(type).values()].map((view) => view.body), exact[type].map((resource) => resourceBytes(resource)), type);
    });

    test('35. a client that does not ACK gets one response per type, then exactly one more with the latest version', async (t) => {
      const { plane, client } = await syncedClient(t, protocol, revision(0));
      for (let index = 1; index <= 100; index++) {
        plane.publish(revision(index));
        if (index % 10 === 0) await sleep(1); // let responses flow while the client ignores them
      }
      const latest = plane.snapshot!;
      const unacked = await client.collect();
      // One response in flight per type; the listener never changed.
      assert.deepEqual(countByType(unacked), { cluster: 1, endpoint: 1, listener: 0, route: 1 });
      for (const response of unacked) client.follow(response);
      const after = await client.settle(latest);
      assert.deepEqual(countByType(after), { cluster: 1, endpoint: 1, listener: 0, route: 1 });
      for (const response of after) assert.equal(response.version, latest.types[response.type].version, `${response.type} carries the latest version`);
      await client.expectSilence();
    });
  });
}
