/**
 * Discovery responses assembled from the resources' cached field encodings, and shared:
 * streams in the same state get the same response, so it is encoded once per type version
 * (a RouteConfiguration of megabytes is otherwise copied once per stream).
 */
import type { ResourceEntry } from '../cache/resource-entry.js';
import type { TypeSnapshot } from '../cache/snapshot.js';
import { TYPE_LABELS, type XdsType } from '../xds-types.js';
import { bytesField, stringField } from '../wire.js';

export interface SotwResponse {
  readonly versionInfo: string;
  readonly typeUrl: string;
  readonly nonce: string;
  readonly resources: readonly ResourceEntry[];
  readonly controlPlane: string;
}

/** envoy.service.discovery.v3.DiscoveryResponse. */
export function encodeDiscoveryResponse(response: SotwResponse): Buffer {
  return Buffer.concat([
    stringField(1, response.versionInfo),
    ...response.resources.map((entry) => entry.sotwField()),
    stringField(4, response.typeUrl),
    stringField(5, response.nonce),
    bytesField(6, stringField(1, response.controlPlane)),
  ]);
}

export interface DeltaResponse {
  readonly systemVersionInfo: string;
  readonly typeUrl: string;
  readonly nonce: string;
  readonly resources: readonly ResourceEntry[];
  readonly removedResources: readonly string[];
  readonly controlPlane: string;
}

/** envoy.service.discovery.v3.DeltaDiscoveryResponse. */
export function encodeDeltaDiscoveryResponse(response: DeltaResponse): Buffer {
  return Buffer.concat([
    stringField(1, response.systemVersionInfo),
    ...response.resources.map((entry) => entry.deltaField()),
    stringField(4, response.typeUrl),
    stringField(5, response.nonce),
    ...response.removedResources.map((name) => stringField(6, name)),
    bytesField(7, stringField(1, response.controlPlane)),
  ]);
}

export interface SharedResponse {
  readonly nonce: string;
  readonly bytes: Buffer;
}

/** Per type snapshot: content key → the one encoding of that response. Dies with the snapshot. */
const SHARED = new WeakMap<TypeSnapshot, Map<string, SharedResponse>>();

/**
 * The response identified by `key` (what it carries) for `owner`'s version, encoded on first
 * use with a nonce derived from version and key, so every stream can send the same bytes.
 */
export function sharedResponse(type: XdsType, owner: TypeSnapshot, key: string, encode: (nonce: string) => Buffer): SharedResponse {
  let responses = SHARED.get(owner);
  if (!responses) SHARED.set(owner, (responses = new Map()));
  let response = responses.get(key);
  if (!response) {
    // Types share versions; a nonce names its type too, so no two responses on a stream share one.
    const nonce = `${owner.version}/${TYPE_LABELS[type]}.${responses.size}`;
    response = { nonce, bytes: encode(nonce) };
    responses.set(key, response);
  }
  return response;
}
