/** A Route's action: forward to a cluster (or weighted clusters), or answer directly. */
import type { DirectResponseAction, ForwardAction, WeightedCluster } from '../config/types.js';
import {
  durationMs,
  enumName,
  message,
  messages,
  rejectUnknownFields,
  string,
  uint32,
  uint32Value,
  type ProtoObject,
} from './proto-object.js';

/** Envoy's route timeout when `timeout` is unset. */
export const DEFAULT_ROUTE_TIMEOUT_MS = 15_000;

/** Envoy's limit when max_direct_response_body_size_bytes is unset. */
export const DEFAULT_MAX_DIRECT_RESPONSE_BODY_BYTES = 4096;

/**
 * Rewrites, retries, hashing, mirroring, cluster_header and the rest are left out: each is
 * refused rather than ignored, so the router never forwards differently from Envoy.
 */
const ROUTE_ACTION_FIELDS = new Set(['cluster', 'weighted_clusters', 'cluster_specifier', 'timeout', 'idle_timeout', 'cluster_not_found_response_code']);
const WEIGHTED_CLUSTER_FIELDS = new Set(['clusters', 'total_weight']);
const CLUSTER_WEIGHT_FIELDS = new Set(['name', 'weight']);
const DIRECT_RESPONSE_FIELDS = new Set(['status', 'body']);
const DATA_SOURCE_FIELDS = new Set(['inline_string', 'inline_bytes', 'specifier']);

const UINT32_MAX = 0xffff_ffff;

export function compileForwardAction(action: ProtoObject, where: string): ForwardAction {
  rejectUnknownFields(action, ROUTE_ACTION_FIELDS, where);
  // validate_clusters is off, so a cluster the router does not know answers 503, as Envoy's default.
  const notFound = enumName(action, 'cluster_not_found_response_code', where, 'SERVICE_UNAVAILABLE');
  if (notFound !== 'SERVICE_UNAVAILABLE') throw new Error(`${where}: cluster_not_found_response_code ${notFound} is not supported by the Node router`);
  const timeoutMs = durationMs(action, 'timeout', where) ?? DEFAULT_ROUTE_TIMEOUT_MS;
  // Envoy reads an explicit 0 as "no idle timeout at all", which ForwardAction cannot say.
  const idleTimeoutMs = durationMs(action, 'idle_timeout', where);
  if (idleTimeoutMs === 0) throw new Error(`${where}: idle_timeout 0 (disabled) is not supported by the Node router; leave it unset for the stream idle timeout`);
  const clusters = targetClusters(action, where);
  const totalWeight = clusters.reduce((sum, cluster) => sum + cluster.weight, 0);
  return { kind: 'forward', clusters, totalWeight, timeoutMs, idleTimeoutMs: idleTimeoutMs ?? 0 };
}

function targetClusters(action: ProtoObject, where: string): WeightedCluster[] {
  const cluster = string(action, 'cluster', where);
  const weighted = message(action, 'weighted_clusters', where);
  if (cluster !== undefined && weighted !== undefined) throw new Error(`${where}: both cluster and weighted_clusters are set`);
  if (cluster !== undefined) {
    if (cluster === '') throw new Error(`${where}: cluster is empty`);
    return [{ name: cluster, weight: 1 }];
  }
  if (weighted === undefined) {
    throw new Error(
      `${where}: no cluster_specifier the Node router supports (cluster, weighted_clusters); cluster_header and cluster_specifier_plugin are not supported`,
    );
  }
  return weightedClusters(weighted, `${where}: weighted_clusters`);
}

/** Zero-weight clusters never receive traffic (Envoy skips them); the rest must weigh something. */
function weightedClusters(weighted: ProtoObject, where: string): WeightedCluster[] {
  rejectUnknownFields(weighted, WEIGHTED_CLUSTER_FIELDS, where);
  const all = messages(weighted, 'clusters', where).map((entry, index) => {
    const at = `${where}: clusters[${index}]`;
    rejectUnknownFields(entry, CLUSTER_WEIGHT_FIELDS, at);
    const name = string(entry, 'name', at) ?? '';
    if (name === '') throw new Error(`${at}: name is empty`);
    return { name, weight: uint32Value(entry, 'weight', at) ?? 0 };
  });
  const sum = all.reduce((total, entry) => total + entry.weight, 0);
  if (sum === 0) throw new Error(`${where}: the sum of the weights must be greater than 0`);
  if (sum > UINT32_MAX) throw new Error(`${where}: the sum of the weights must fit in 32 bits`);
  // Deprecated, but Envoy still holds the weights to it when it is set.
  const total = uint32Value(weighted, 'total_weight', where);
  if (total !== undefined && total !== sum) throw new Error(`${where}: the weights sum to ${sum}, not total_weight ${total}`);
  return all.filter((entry) => entry.weight > 0);
}

export function compileDirectResponse(response: ProtoObject, maxBodyBytes: number, where: string): DirectResponseAction {
  rejectUnknownFields(response, DIRECT_RESPONSE_FIELDS, where);
  const status = uint32(response, 'status', where);
  if (status < 200 || status > 599) throw new Error(`${where}: status ${status} is outside 200-599`);
  const body = message(response, 'body', where);
  const text = body === undefined ? '' : bodyText(body, `${where}: body`);
  const size = Buffer.byteLength(text, 'utf8');
  if (size > maxBodyBytes) throw new Error(`${where}: the body is ${size} bytes; the maximum is ${maxBodyBytes} (max_direct_response_body_size_bytes)`);
  return { kind: 'direct', status, body: text };
}

/** filename and environment_variable would read the router's own host: refused. */
function bodyText(source: ProtoObject, where: string): string {
  rejectUnknownFields(source, DATA_SOURCE_FIELDS, where);
  const inline = string(source, 'inline_string', where);
  if (inline !== undefined) return inline;
  const bytes = source['inline_bytes'];
  if (bytes === undefined || bytes === null) return '';
  if (!(bytes instanceof Uint8Array)) throw new Error(`${where}: inline_bytes must be bytes`);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new Error(`${where}: inline_bytes must be UTF-8 text for the Node router`);
  }
}
