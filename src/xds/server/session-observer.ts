/**
 * What a discovery stream reports about its node: the data-plane registry turns these into
 * per-node state, Programmed conditions, NACK logs and metrics.
 */
import type { XdsType } from '../xds-types.js';

export interface NodeInfo {
  readonly id: string;
  readonly cluster: string;
  /** `user_agent_name/version`, for logs. */
  readonly userAgent: string;
}

/** `in-process`: the Node router inside `serve`, fed from the cache without a stream. */
export type StreamKind = 'sotw' | 'delta' | 'in-process';

export interface SessionInfo {
  /** Unique per process, for logs. */
  readonly streamId: number;
  readonly kind: StreamKind;
  readonly node: NodeInfo;
  readonly group: string;
}

export interface SessionObserver {
  /** The stream's first request bound it to a node. */
  opened(session: SessionInfo): void;
  closed(session: SessionInfo): void;
  /** The node holds snapshot `seq`'s resources of `type` (it ACKed them, or nothing it holds changed since). */
  synced(session: SessionInfo, type: XdsType, seq: number): void;
  /** The node rejected the response carrying `version` of `type`; it will not be sent again. */
  nacked(session: SessionInfo, type: XdsType, version: string, message: string): void;
  /** One response written, for metrics. */
  responded(session: SessionInfo, type: XdsType, bytes: number): void;
}
