/**
 * Resources for router compile tests, as the router receives them: built by the control
 * plane's builders (or written by hand), encoded with protos/ and decoded again, so tests
 * compile exactly what goes over the wire.
 */
import type { RouteTable } from '../../src/admission/types.js';
import { loadXdsProtos } from '../../src/xds/proto/load.js';
import { buildEnvoyResources } from '../../src/xds/resources/envoy-resources.js';

export const ROUTE_CONFIGURATION = 'envoy.config.route.v3.RouteConfiguration';
export const LISTENER = 'envoy.config.listener.v3.Listener';

export function onTheWire(typeName: string, message: object): Record<string, unknown> {
  const protos = loadXdsProtos();
  return protos.decode(typeName, protos.encode(typeName, message));
}

/** The one RouteConfiguration and Listener our control plane emits for `table`. */
export function wireResources(table: RouteTable): { routeConfiguration: Record<string, unknown>; listener: Record<string, unknown> } {
  const resources = buildEnvoyResources(table);
  const [routeConfiguration] = resources.routeConfigurations;
  const [listener] = resources.listeners;
  if (!routeConfiguration || !listener) throw new Error('buildEnvoyResources emitted no RouteConfiguration or Listener');
  return { routeConfiguration: onTheWire(ROUTE_CONFIGURATION, routeConfiguration), listener: onTheWire(LISTENER, listener) };
}

export function decodeMessage(typeName: string, bytes: Uint8Array): Record<string, unknown> {
  return loadXdsProtos().decode(typeName, bytes);
}
