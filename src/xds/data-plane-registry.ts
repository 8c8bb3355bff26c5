/**
 * What the control plane knows about its data planes: each node's open streams, the
 * snapshot each type of it holds, and its NACKs. A node's state is freed once its last stream
 * has been closed for `graceMs` (go-control-plane keeps it forever); a node that comes back
 * within the grace period keeps its history.
 */
import { XDS_TYPES, type XdsType } from './xds-types.js';
import type { NodeInfo, SessionInfo, SessionObserver } from './server/session-observer.js';

export interface NodeNack {
  readonly type: XdsType;
  readonly version: string;
  readonly message: string;
  readonly at: Date;
}

export interface NodeState {
  readonly node: NodeInfo;
  readonly group: string;
  /** Open streams by id. */
  readonly streams: Map<number, SessionInfo>;
  /** Types the node's streams asked for → the newest snapshot seq it holds of each. */
  readonly synced: Map<XdsType, number>;
  /** The last NACK per type, cleared when the type syncs again. */
  readonly nacks: Map<XdsType, NodeNack>;
  disconnectedAt: Date | undefined;
}

/** The newest snapshot seq the node holds of every type it asked for (0: not one yet). */
export function heldSeq(state: NodeState): number {
  return state.synced.size === 0 ? 0 : Math.min(...state.synced.values());
}

export interface DataPlaneEvents {
  /** A node rejected a response; it is not re-sent, only a newer version will be. */
  nack?(node: NodeState, nack: NodeNack): void;
  /** Some node's synced snapshot moved (Programmed may have changed). */
  progress?(): void;
  connected?(node: NodeState, session: SessionInfo): void;
  disconnected?(node: NodeState, session: SessionInfo): void;
  /** A disconnected node's state was freed. */
  forgotten?(node: NodeState): void;
}

export interface DataPlaneRegistryOptions {
  readonly graceMs: number;
  readonly events?: DataPlaneEvents;
}

export class DataPlaneRegistry implements SessionObserver {
  readonly #nodes = new Map<string, NodeState>();
  readonly #timers = new Map<string, NodeJS.Timeout>();
  readonly #options: DataPlaneRegistryOptions;
  /** Bytes and responses written, per type, for metrics. */
  readonly sent = new Map<XdsType, { responses: number; bytes: number }>(XDS_TYPES.map((type) => [type, { responses: 0, bytes: 0 }]));
  nackCount = 0;

  constructor(options: DataPlaneRegistryOptions) {
    this.#options = options;
  }

  get nodes(): ReadonlyMap<string, NodeState> {
    return this.#nodes;
  }

  /** Nodes with at least one open stream. */
  connectedNodes(): NodeState[] {
    return [...this.#nodes.values()].filter((state) => state.streams.size > 0);
  }

  /**
   * The newest snapshot seq every connected node holds in full (every type it asked for);
   * undefined when no node is connected.
   */
  programmedSeq(): number | undefined {
    let lowest: number | undefined;
    for (const state of this.connectedNodes()) {
      const held = heldSeq(state);
      lowest = lowest === undefined ? held : Math.min(lowest, held);
    }
    return lowest;
  }

  opened(session: SessionInfo): void {
    const id = session.node.id;
    clearTimeout(this.#timers.get(id));
    this.#timers.delete(id);
    let state = this.#nodes.get(id);
    if (!state) {
      state = { node: session.node, group: session.group, streams: new Map(), synced: new Map(), nacks: new Map(), disconnectedAt: undefined };
      this.#nodes.set(id, state);
    }
    state.streams.set(session.streamId, session);
    state.disconnectedAt = undefined;
    this.#options.events?.connected?.(state, session);
  }

  closed(session: SessionInfo): void {
    const state = this.#nodes.get(session.node.id);
    if (!state?.streams.delete(session.streamId)) return;
    this.#options.events?.disconnected?.(state, session);
    if (state.streams.size > 0) return;
    state.disconnectedAt = new Date();
    const timer = setTimeout(() => this.#forget(session.node.id), this.#options.graceMs);
    timer.unref();
    this.#timers.set(session.node.id, timer);
    this.#options.events?.progress?.();
  }

  synced(session: SessionInfo, type: XdsType, seq: number): void {
    const state = this.#nodes.get(session.node.id);
    if (!state) return;
    state.synced.set(type, Math.max(seq, state.synced.get(type) ?? 0));
    state.nacks.delete(type);
    this.#options.events?.progress?.();
  }

  nacked(session: SessionInfo, type: XdsType, version: string, message: string): void {
    const state = this.#nodes.get(session.node.id);
    if (!state) return;
    const nack: NodeNack = { type, version, message, at: new Date() };
    state.nacks.set(type, nack);
    this.nackCount += 1;
    this.#options.events?.nack?.(state, nack);
  }

  responded(_session: SessionInfo, type: XdsType, bytes: number): void {
    const counters = this.sent.get(type)!;
    counters.responses += 1;
    counters.bytes += bytes;
  }

  /** Frees every pending node now (shutdown). */
  close(): void {
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
  }

  #forget(id: string): void {
    this.#timers.delete(id);
    const state = this.#nodes.get(id);
    if (!state || state.streams.size > 0) return;
    this.#nodes.delete(id);
    this.#options.events?.forgotten?.(state);
  }
}
