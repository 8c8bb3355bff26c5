/**
 * Discovery responses assembled from the resources' cached field encodings: the resource
 * bytes are shared by every stream, only the envelope (version, type, nonce) is per response.
 */
import type { ResourceEntry } from '../cache/resource-entry.js';
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
