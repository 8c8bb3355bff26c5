/**
 * The snapshot publisher as bench/xds measures it: an encoder and a cache that time
 * themselves (encode, and the synchronous push to every stream), and the debounce test, a
 * burst of 500 distinct tables in 200 ms, on the publisher alone (section 7a) or with the
 * counters the server run reports for its own bursts (section 7).
 */
import type { HostRoutes, RouteTable } from '../src/admission/types.js';
import type { Snapshot } from '../src/xds/cache/snapshot.js';
import { SnapshotCache } from '../src/xds/cache/snapshot-cache.js';
import { SnapshotPublisher } from '../src/xds/snapshot-publisher.js';
import { TableEncoder } from '../src/xds/table-encoder.js';
import { monotonicMs } from './xds-client.js';
import { sleep } from './xds-stats.js';

/** Times encode() for the change → ACK breakdown. */
export class TimedEncoder extends TableEncoder {
  lastEncodeMs = 0;
  lastEncodeStart = 0;
  totalEncodeMs = 0;
  override encode(table: RouteTable): ReturnType<TableEncoder['encode']> {
    const start = monotonicMs();
    this.lastEncodeStart = start;
    const encoded = super.encode(table);
    this.lastEncodeMs = monotonicMs() - start;
    this.totalEncodeMs += this.lastEncodeMs;
    return encoded;
  }
}

/** Times setSnapshot(): the synchronous push of the new snapshot to every stream. */
export class TimedCache extends SnapshotCache {
  lastPushMs = 0;
  published = 0;
  override setSnapshot(snapshot: Snapshot, group?: string): void {
    const start = monotonicMs();
    super.setSnapshot(snapshot, group);
    this.lastPushMs = monotonicMs() - start;
    this.published += 1;
  }
}

export interface BurstResult {
  quietMs: number;
  maxWaitMs: number;
  updates: number;
  durationMs: number;
  snapshots: number;
  builds: number;
  encodeMs: number;
  virtualHosts: number;
  routeResponsesPerClient: number;
  bytesPerClient: number;
  /** Last update() → every client ACKed the last table's snapshot. */
  settleMs: number;
}

export const BURST_UPDATES = 500;
export const BURST_WINDOW_MS = 200;

/** BURST_UPDATES distinct tables handed to `publisher.update()`, evenly over BURST_WINDOW_MS. */
export async function issueBurst(publisher: SnapshotPublisher, base: RouteTable): Promise<{ last: RouteTable; lastUpdate: number; durationMs: number }> {
  const start = monotonicMs();
  let issued = 0;
  let last = base;
  await new Promise<void>((resolve) => {
    const tick = (): void => {
      const due = Math.min(BURST_UPDATES, Math.ceil((BURST_UPDATES * (monotonicMs() - start)) / BURST_WINDOW_MS));
      for (; issued < due; issued++) publisher.update((last = burstTable(base, issued)));
      if (issued >= BURST_UPDATES) resolve();
      else setTimeout(tick, 1);
    };
    tick();
  });
  const lastUpdate = monotonicMs();
  return { last, lastUpdate, durationMs: lastUpdate - start };
}

/**
 * The publisher alone (no server, no clients): how many snapshots a burst makes, so the
 * burst is not slowed by pushing 4 MiB to every stream on each build.
 */
export async function publisherBurst(base: RouteTable, quietMs: number, maxWaitMs: number): Promise<BurstResult> {
  const cache = new TimedCache();
  const encoder = new TimedEncoder();
  let builds = 0;
  let lastAt: { table: RouteTable; at: number } | undefined;
  const publisher = new SnapshotPublisher({
    cache,
    encoder,
    quietMs,
    maxWaitMs,
    onPublished: ({ table }) => {
      builds += 1;
      lastAt = { table, at: monotonicMs() };
    },
  });
  publisher.update(base);
  await publisher.flush();
  builds = 0;
  const mark = burstMark(cache, encoder);
  const { last, lastUpdate, durationMs } = await issueBurst(publisher, base);
  const deadline = monotonicMs() + 10_000;
  while (lastAt?.table !== last) {
    if (monotonicMs() > deadline) throw new Error('the burst\'s last table was never published');
    await sleep(1);
  }
  publisher.close();
  return {
    ...burstCounts(mark, cache, encoder, { quietMs, maxWaitMs, durationMs }),
    builds,
    routeResponsesPerClient: Number.NaN,
    bytesPerClient: Number.NaN,
    settleMs: lastAt.at - lastUpdate,
  };
}

/** The publisher-side counters a burst reports, as they stand before it. */
export function burstMark(cache: TimedCache, encoder: TimedEncoder) {
  return { published: cache.published, encodeMs: encoder.totalEncodeMs, virtualHosts: encoder.encodedVirtualHosts };
}

/** What a burst cost the publisher since `mark`. */
export function burstCounts(mark: ReturnType<typeof burstMark>, cache: TimedCache, encoder: TimedEncoder, burst: { quietMs: number; maxWaitMs: number; durationMs: number }) {
  return {
    ...burst,
    updates: BURST_UPDATES,
    snapshots: cache.published - mark.published,
    encodeMs: encoder.totalEncodeMs - mark.encodeMs,
    virtualHosts: encoder.encodedVirtualHosts - mark.virtualHosts,
  };
}

/** `base` with one host gaining a route: a cheap distinct table for the burst test. */
function burstTable(base: RouteTable, k: number): RouteTable {
  const at = (k * 7919) % base.hosts.length;
  const host = base.hosts[at]!;
  const first = host.routes[0]!;
  const changed: HostRoutes = { ...host, routes: [{ ...first, pathType: 'Prefix', path: `/burst-${k}-longer-than-others` }, ...host.routes] };
  const hosts = base.hosts.slice();
  hosts[at] = changed;
  return { version: `${base.version}-burst-${k}`, hosts, hostGroups: base.hostGroups };
}
