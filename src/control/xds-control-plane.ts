/**
 * The xDS side of `triggerway serve`, assembled: admitted tables are encoded and published
 * as snapshots, the ADS server serves them, and what the data planes do (connect, ACK,
 * NACK, leave) becomes log lines and each trigger's Programmed condition.
 */
import { SnapshotFeed } from '../router/xds/snapshot-feed.js';
import type { XdsApplyEvents, XdsConfigSink } from '../router/xds/config-sink.js';
import type { SessionInfo } from '../xds/server/session-observer.js';
import type { Logger } from '../util/logger.js';
import { SnapshotCache } from '../xds/cache/snapshot-cache.js';
import { DataPlaneRegistry } from '../xds/data-plane-registry.js';
import type { ResourceSettings } from '../xds/resources/envoy-resources.js';
import { AdsServer } from '../xds/server/ads-server.js';
import { SnapshotPublisher } from '../xds/snapshot-publisher.js';
import { TableEncoder } from '../xds/table-encoder.js';
import { TYPE_LABELS } from '../xds/xds-types.js';
import { VersionSequence } from '../xds/cache/version.js';
import type { AdmissionUpdate } from './admission-controller.js';
import { ProgrammedTracker } from './programmed.js';

export interface XdsControlPlaneOptions {
  /** `host:port` of the ADS server; port 0 picks a free one. */
  readonly listen: string;
  readonly resources: ResourceSettings;
  readonly log: Logger;
  /** How long a disconnected node's state is kept. */
  readonly nodeGraceMs?: number;
  readonly quietMs?: number;
  readonly maxWaitMs?: number;
}

export const DEFAULT_NODE_GRACE_MS = 60_000;

export class XdsControlPlane {
  readonly cache = new SnapshotCache();
  readonly registry: DataPlaneRegistry;
  readonly publisher: SnapshotPublisher;
  readonly server: AdsServer;
  readonly programmed: ProgrammedTracker;
  readonly #versions = new VersionSequence();
  #programmedSeq = 0;
  /** The served snapshot, the table it encodes and when it was built, for the status API. */
  #served: { readonly version: string; readonly tableVersion: string; readonly builtAt: string } | undefined;

  private constructor(options: XdsControlPlaneOptions) {
    const { log } = options;
    this.registry = new DataPlaneRegistry({
      graceMs: options.nodeGraceMs ?? DEFAULT_NODE_GRACE_MS,
      events: {
        connected: (node, session) => log.info('data plane connected', { node: node.node.id, cluster: node.node.cluster, stream: session.streamId, protocol: session.kind, agent: node.node.userAgent }),
        disconnected: (node, session) => log.info('data plane disconnected', { node: node.node.id, stream: session.streamId }),
        nack: (node, nack) => {
          log.warn('data plane rejected config (NACK)', { node: node.node.id, type: TYPE_LABELS[nack.type], version: nack.version, error: nack.message });
          this.#logTriggers(log);
        },
        progress: () => {
          this.#logProgress(log);
          this.#logTriggers(log);
        },
      },
    });
    this.programmed = new ProgrammedTracker(this.registry);
    this.publisher = new SnapshotPublisher({
      cache: this.cache,
      encoder: new TableEncoder(options.resources),
      versions: this.#versions,
      ...(options.quietMs !== undefined && { quietMs: options.quietMs }),
      ...(options.maxWaitMs !== undefined && { maxWaitMs: options.maxWaitMs }),
      onPublished: ({ snapshot, table }) => {
        if (this.#served?.version !== snapshot.version) this.#served = { version: snapshot.version, tableVersion: table.version, builtAt: new Date().toISOString() };
        this.programmed.published(snapshot.seq);
      },
      onRejected: (table, problems) => log.error('snapshot not published; data planes keep the last one', { table: table.version, problems }),
    });
    this.server = new AdsServer({
      cache: this.cache,
      observer: this.registry,
      controlPlane: `triggerway/${this.#versions.prefix}`,
      onInternalError: (error) => log.error('xDS stream failed', { error: (error as Error).stack ?? String(error) }),
    });
  }

  static async start(options: XdsControlPlaneOptions): Promise<XdsControlPlane> {
    const plane = new XdsControlPlane(options);
    await plane.server.listen(options.listen);
    return plane;
  }

  /** Feeds one admission update in: its table is published after the debounce. */
  admitted(update: AdmissionUpdate): void {
    this.programmed.admitted(update);
    this.publisher.update(update.result.table);
  }

  /**
   * Feeds an in-process router from the cache, and makes it a data plane of this control
   * plane like any ADS client: it shows in the status, its NACKs are reported, and it counts
   * for Programmed (a trigger served by `serve`'s own router is programmed once that router
   * holds it).
   */
  feedInProcess(nodeId: string, group: string, sink: XdsConfigSink, events: XdsApplyEvents): { close(): void } {
    const session: SessionInfo = { streamId: 0, kind: 'in-process', node: { id: nodeId, cluster: group, userAgent: 'triggerway-router/in-process' }, group };
    this.registry.opened(session);
    const feed = new SnapshotFeed({
      cache: this.cache,
      group,
      sink,
      events: {
        applied: (type, version) => events.applied?.(type, version),
        rejected: (type, version, message) => {
          events.rejected?.(type, version, message);
          this.registry.nacked(session, type, version, message);
        },
      },
      held: (type, seq) => this.registry.synced(session, type, seq),
    });
    feed.start();
    return {
      close: () => {
        feed.close();
        this.registry.closed(session);
      },
    };
  }

  /** The snapshot version string that sequence number `seq` was published as. */
  versionOf(seq: number): string {
    return `${this.#versions.prefix}.${seq}`;
  }

  /** The snapshot being served: its version, the route table it encodes and when it was built. */
  snapshotInfo(): { readonly version: string; readonly tableVersion: string; readonly builtAt: string } | undefined {
    return this.#served;
  }

  async close(): Promise<void> {
    this.publisher.close();
    await this.server.close();
    this.registry.close();
  }

  /** Changed triggers as they become Programmed, or fail to because a node rejected them. */
  #logTriggers(log: Logger): void {
    for (const { trigger, condition } of this.programmed.takeChanges()) {
      if (condition.status === 'True') log.info('trigger programmed', { trigger, message: condition.message });
      else log.warn('trigger not programmed', { trigger, reason: condition.reason, message: condition.message });
    }
  }

  /** One line each time every connected node holds a newer snapshot. */
  #logProgress(log: Logger): void {
    const held = this.registry.programmedSeq();
    if (held === undefined || held <= this.#programmedSeq) return;
    this.#programmedSeq = held;
    const current = this.publisher.current;
    if (current?.seq === held) {
      log.info('config programmed on every connected node', { version: current.version, nodes: this.registry.connectedNodes().length, triggersProgrammed: this.programmed.programmedCount() });
    }
  }
}
