/**
 * Envoy edge guide: 32 KiB of buffering per connection, downstream and upstream, bounds the
 * memory a slow or hostile peer can pin (Envoy's default is 1 MiB).
 */
export const PER_CONNECTION_BUFFER_LIMIT_BYTES = 32 * 1024;
