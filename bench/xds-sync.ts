/**
 * When the server's clients are in sync, for bench/xds: the data-plane registry as the ADS
 * server's session observer, plus a wait for every node to hold a given snapshot of every
 * type, with the time each one got there (the end of change → ACK).
 */
import { DataPlaneRegistry, heldSeq } from '../src/xds/data-plane-registry.js';
import type { SessionInfo, SessionObserver } from '../src/xds/server/session-observer.js';
import { XDS_TYPES, type XdsType } from '../src/xds/xds-types.js';
import { monotonicMs } from './xds-client.js';

/**
 * The registry as the server's observer, plus: when every node holds snapshot `seq` of
 * every type it asked for (it ACKed the last response that changed), in monotonic ms.
 */
export class SyncTracker implements SessionObserver {
  readonly registry: DataPlaneRegistry;
  #waiting: { seq: number; count: number; times: Map<string, number>; resolve: (times: Map<string, number>) => void } | undefined;

  constructor(registry: DataPlaneRegistry) {
    this.registry = registry;
  }

  opened(session: SessionInfo): void {
    this.registry.opened(session);
  }
  closed(session: SessionInfo): void {
    this.registry.closed(session);
  }
  nacked(session: SessionInfo, type: XdsType, version: string, message: string): void {
    this.registry.nacked(session, type, version, message);
  }
  responded(session: SessionInfo, type: XdsType, bytes: number): void {
    this.registry.responded(session, type, bytes);
  }
  synced(session: SessionInfo, type: XdsType, seq: number): void {
    this.registry.synced(session, type, seq);
    const waiting = this.#waiting;
    if (!waiting || seq < waiting.seq || waiting.times.has(session.node.id)) return;
    const state = this.registry.nodes.get(session.node.id);
    if (state && state.synced.size === XDS_TYPES.length && heldSeq(state) >= waiting.seq) this.#record(session.node.id);
  }

  /** Resolves with node → time once `count` nodes hold `seq` (nodes that already do count now). */
  waitFor(seq: number, count: number, timeoutMs: number): Promise<Map<string, number>> {
    if (this.#waiting) throw new Error('already waiting');
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const got = this.#waiting?.times.size ?? 0;
        this.#waiting = undefined;
        reject(new Error(`${got}/${count} nodes synced seq ${seq} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#waiting = {
        seq,
        count,
        times: new Map(),
        resolve: (times) => {
          clearTimeout(timer);
          resolve(times);
        },
      };
      for (const [id, state] of this.registry.nodes) if (state.streams.size > 0 && state.synced.size === XDS_TYPES.length && heldSeq(state) >= seq) this.#record(id);
    });
  }

  #record(id: string): void {
    const waiting = this.#waiting!;
    waiting.times.set(id, monotonicMs());
    if (waiting.times.size >= waiting.count) {
      this.#waiting = undefined;
      waiting.resolve(waiting.times);
    }
  }
}
