/**
 * A state-of-the-world or delta discovery response in one shape, decoded from the wire
 * with every resource unpacked, and the assertions the suites make over lists of them.
 */
import assert from 'node:assert/strict';
import type { Snapshot } from '../../src/xds/cache/snapshot.js';
import { loadXdsProtos } from '../../src/xds/proto/load.js';
import { typeOfUrl, type XdsType } from '../../src/xds/xds-types.js';
import { MESSAGE_TYPES, NAME_FIELDS, type PackedAny } from './xds-resource-names.js';

export type Protocol = 'sotw' | 'delta';
export const PROTOCOLS: readonly Protocol[] = ['sotw', 'delta'];

export interface ResourceView {
  readonly name: string;
  /** The `Any.type_url` the resource came packed in (R22). */
  readonly typeUrl: string;
  /** Delta only: the per-resource version. */
  readonly version?: string;
  readonly body: Buffer;
  readonly message: Record<string, unknown>;
}

/** A SotW or delta response, in one shape. */
export interface XdsResponse {
  readonly type: XdsType;
  readonly typeUrl: string;
  /** `version_info`, or delta's `system_version_info`. */
  readonly version: string;
  readonly nonce: string;
  readonly resources: readonly ResourceView[];
  readonly names: readonly string[];
  /** Delta only: `removed_resources`. */
  readonly removed: readonly string[];
}

export interface DecodedResponse {
  readonly version_info?: string;
  readonly system_version_info?: string;
  readonly type_url?: string;
  readonly nonce?: string;
  readonly resources?: readonly (PackedAny | { name?: string; version?: string; resource?: PackedAny })[];
  readonly removed_resources?: readonly string[];
}

/** Unpacks a response as `protocol` frames it; throws on anything an Envoy would not accept. */
export function decodeResponse(protocol: Protocol, decoded: DecodedResponse): XdsResponse {
  const typeUrl = decoded.type_url ?? '';
  const type = typeOfUrl(typeUrl);
  if (!type) throw new Error(`a response for a type the client never asked for: "${typeUrl}"`);
  const resources = (decoded.resources ?? []).map((resource): ResourceView => {
    const isDelta = protocol === 'delta';
    const delta = resource as { name?: string; version?: string; resource?: PackedAny };
    const packed = isDelta ? delta.resource : (resource as PackedAny);
    if (!packed) throw new Error(`a delta resource without a body: ${delta.name}`);
    const message = loadXdsProtos().decode(MESSAGE_TYPES[type], packed.value);
    const name = message[NAME_FIELDS[type]] as string;
    if (isDelta && delta.name !== name) throw new Error(`delta Resource.name "${delta.name}" but the ${type} is named "${name}"`);
    return { name, typeUrl: packed.type_url, body: Buffer.from(packed.value), message, ...(isDelta && { version: delta.version ?? '' }) };
  });
  return {
    type,
    typeUrl,
    version: (protocol === 'sotw' ? decoded.version_info : decoded.system_version_info) ?? '',
    nonce: decoded.nonce ?? '',
    resources,
    names: resources.map((resource) => resource.name),
    removed: decoded.removed_resources ?? [],
  };
}

/**
 * Asserts that `responses` resend every type once, in full (what a reconnect with state the
 * server cannot vouch for must get): every listener and cluster, every subscribed route
 * configuration and load assignment.
 */
export function assertFullResend(responses: readonly XdsResponse[], snapshot: Snapshot): void {
  assert.deepEqual(countByType(responses), { cluster: 1, endpoint: 1, listener: 1, route: 1 });
  for (const response of responses) {
    assert.deepEqual([...response.names].sort(), [...snapshot.types[response.type].resources.keys()].sort(), `${response.type} resent in full`);
  }
}

/** Per-type response counts, for the coalescing checks. */
export function countByType(responses: readonly XdsResponse[]): Record<XdsType, number> {
  const counts = { cluster: 0, endpoint: 0, listener: 0, route: 0 };
  for (const response of responses) counts[response.type] += 1;
  return counts;
}
