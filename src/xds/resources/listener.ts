/** The edge listener: one plaintext HTTP filter chain whose routes come over RDS. */
import { PER_CONNECTION_BUFFER_LIMIT_BYTES } from './buffer-limit.js';
import type { Listener } from './envoy-types.js';
import { buildHttpConnectionManager, HTTP_CONNECTION_MANAGER_FILTER } from './http-connection-manager.js';
import { DEFAULT_LISTENER_SETTINGS, type ListenerSettings } from './listener-settings.js';
import { socketAddress, uint32 } from './proto-values.js';

export function buildListener(settings: ListenerSettings = DEFAULT_LISTENER_SETTINGS): Listener {
  return {
    name: settings.name,
    address: socketAddress(settings.address, settings.port),
    per_connection_buffer_limit_bytes: uint32(PER_CONNECTION_BUFFER_LIMIT_BYTES),
    filter_chains: [
      {
        name: settings.name,
        filters: [{ name: HTTP_CONNECTION_MANAGER_FILTER, typed_config: buildHttpConnectionManager(settings) }],
      },
    ],
  };
}
