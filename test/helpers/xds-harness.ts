/**
 * The xDS conformance harness in one import: a real ADS control plane on 127.0.0.1 and
 * Envoy-like discovery clients over @grpc/grpc-js. Each piece lives in its own module;
 * this one only re-exports them, so the suites (and the client process the lifecycle suite
 * spawns by this file's path) need one name.
 */

export { AdsClient, type StreamStatus } from './xds-ads-client.js';
export { ControlPlane, EDGE_NODE, syncedClient, type ControlPlaneOptions } from './xds-control-plane-fixture.js';
export { listenerRouteName, MESSAGE_TYPES, routeClusters } from './xds-resource-names.js';
export { assertFullResend, countByType, PROTOCOLS, type Protocol, type ResourceView, type XdsResponse } from './xds-responses.js';
export { resourceSet, TWO_HOSTS, WITH_SPARE, type SnapshotSpec } from './xds-snapshot-spec.js';
export { PROMPT_MS, SILENCE_MS, until, within } from './xds-waits.js';
