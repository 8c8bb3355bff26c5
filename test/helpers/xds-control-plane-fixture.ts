/**
 * A real ADS control plane on 127.0.0.1 for the xDS conformance suites: publishes snapshots,
 * hands out clients, and is torn down (clients first) by the test's own `after` hook so no
 * handle outlives a test.
 */
import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import { makeSnapshot, type ResourceSet, type Snapshot } from '../../src/xds/cache/snapshot.js';
import { SnapshotCache } from '../../src/xds/cache/snapshot-cache.js';
import { VersionSequence } from '../../src/xds/cache/version.js';
import { DataPlaneRegistry, type DataPlaneEvents } from '../../src/xds/data-plane-registry.js';
import { AdsServer } from '../../src/xds/server/ads-server.js';
import type { DeltaOptions } from '../../src/xds/server/delta-session.js';
import type { NodeMessage } from '../../src/xds/server/messages.js';
import { AdsClient } from './xds-ads-client.js';
import type { Protocol, XdsResponse } from './xds-responses.js';
import { resourceSet, type SnapshotSpec } from './xds-snapshot-spec.js';
import { until } from './xds-waits.js';

/** Every Envoy of these tests is in one node group, so all share the default snapshot. */
export const EDGE_NODE: NodeMessage & { readonly id: string } = { id: 'edge-1', cluster: 'triggerway' };

export interface ControlPlaneOptions {
  /** How long DataPlaneRegistry keeps a disconnected node (default 100 ms). */
  readonly graceMs?: number;
  readonly delta?: Partial<DeltaOptions>;
  /** A replica's own version sequence (default: a fresh random prefix). */
  readonly versions?: VersionSequence;
  readonly events?: DataPlaneEvents;
}

export class ControlPlane {
  readonly cache = new SnapshotCache();
  readonly registry: DataPlaneRegistry;
  readonly server: AdsServer;
  readonly versions: VersionSequence;
  /** The snapshot last published. */
  snapshot: Snapshot | undefined;
  port = 0;
  readonly #clients = new Set<AdsClient>();

  /** A server listening on 127.0.0.1, stopped (clients first) when `t` ends. */
  static async start(t: TestContext, options: ControlPlaneOptions = {}): Promise<ControlPlane> {
    const plane = new ControlPlane(options);
    plane.port = await plane.server.listen('127.0.0.1:0');
    t.after(() => plane.stop());
    return plane;
  }

  private constructor(options: ControlPlaneOptions) {
    this.versions = options.versions ?? new VersionSequence();
    this.registry = new DataPlaneRegistry({ graceMs: options.graceMs ?? 100, ...(options.events && { events: options.events }) });
    this.server = new AdsServer({
      cache: this.cache,
      observer: this.registry,
      controlPlane: 'triggerway/test',
      ...(options.delta && { delta: options.delta }),
      onInternalError: (error) => assert.fail(`the control plane hit an internal error: ${String(error)}`),
    });
  }

  /** Builds, versions and stores the next snapshot; resources with equal bytes keep their version. */
  publish(spec: SnapshotSpec): Snapshot {
    return this.publishSet(resourceSet(spec));
  }

  publishSet(set: ResourceSet): Snapshot {
    this.snapshot = makeSnapshot(set, this.versions.next(), this.snapshot);
    this.cache.setSnapshot(this.snapshot);
    return this.snapshot;
  }

  /** A new ADS stream (closed with the plane); the first request will carry `node`. */
  connect(protocol: Protocol, node: NodeMessage = EDGE_NODE): AdsClient {
    const client = new AdsClient(this.port, protocol, node, this.registry);
    this.#clients.add(client);
    return client;
  }

  /** Resolves once the server has no open discovery stream; fails after PROMPT_MS. */
  async streamsClosed(): Promise<void> {
    await until(() => this.server.streamCount === 0, 'the server still counts open streams');
  }

  async stop(): Promise<void> {
    for (const client of this.#clients) client.close();
    await this.server.close(100);
    this.registry.close();
  }
}

/** A control plane serving `spec`, and a client that has subscribed to and ACKed all of it. */
export async function syncedClient(
  t: TestContext,
  protocol: Protocol,
  spec: SnapshotSpec,
  options: ControlPlaneOptions = {},
): Promise<{ plane: ControlPlane; client: AdsClient; snapshot: Snapshot; initial: XdsResponse[] }> {
  const plane = await ControlPlane.start(t, options);
  const snapshot = plane.publish(spec);
  const client = plane.connect(protocol);
  const initial = await client.syncAll(snapshot);
  return { plane, client, snapshot, initial };
}
