/** The data-plane registry as the status API shows it: per node, its streams, ACKed versions and last NACK. */
import type { NodeState } from '../../xds/data-plane-registry.js';
import { TYPE_LABELS } from '../../xds/xds-types.js';
import type { StatusDataPlane } from './api-types.js';

/** `versionOf(seq)`: the snapshot version string a held sequence number stands for. */
export function dataPlaneView(nodes: Iterable<NodeState>, versionOf: (seq: number) => string): StatusDataPlane[] {
  return [...nodes]
    .map((state): StatusDataPlane => {
      const nacks = [...state.nacks.values()].sort((a, b) => b.at.getTime() - a.at.getTime());
      const last = nacks[0];
      return {
        nodeId: state.node.id,
        cluster: state.node.cluster,
        connected: state.streams.size > 0,
        streams: [...state.streams.values()].map((session) => session.kind),
        acked: Object.fromEntries([...state.synced].filter(([, seq]) => seq > 0).map(([type, seq]) => [TYPE_LABELS[type], versionOf(seq)])),
        ...(last && { lastNack: { type: TYPE_LABELS[last.type], version: last.version, message: last.message, at: last.at.toISOString() } }),
      };
    })
    .sort((a, b) => (a.nodeId < b.nodeId ? -1 : a.nodeId > b.nodeId ? 1 : 0));
}
