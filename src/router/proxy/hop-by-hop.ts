/**
 * Fields that describe one connection, not the message (RFC 9110 §7.6.1), removed in both
 * directions whether or not `Connection` lists them. `trailer` goes too: the router does not
 * relay trailers, so announcing them would be a lie. undici also refuses to send most of
 * these (request.js throws on transfer-encoding, keep-alive, upgrade, expect), so a client
 * that sends them must never reach it with them.
 */
export const HOP_BY_HOP_HEADERS: ReadonlySet<string> = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'te',
  'transfer-encoding',
  'upgrade',
  'trailer',
]);

/**
 * Adds the connection options of a `Connection` field value to `into`: each names a field to
 * remove before forwarding. `close` and `keep-alive` name no field; the plain values are by
 * far the most common, so they cost no allocation.
 */
export function connectionOptions(value: string, into: Set<string> | undefined): Set<string> | undefined {
  if (value.length <= 10) {
    const lower = value.toLowerCase();
    if (lower === 'keep-alive' || lower === 'close') return into;
  }
  for (const token of value.split(',')) {
    const name = token.trim().toLowerCase();
    if (name !== '' && name !== 'keep-alive' && name !== 'close') (into ??= new Set()).add(name);
  }
  return into;
}
