/**
 * Encodes an emitted resource with the upstream Envoy protos and decodes it back. Anything
 * the upstream schema does not know (a misspelled field, an unknown enum name, an `@type`
 * that names no message) is dropped by `fromObject`, so it shows up as a difference.
 */
import assert from 'node:assert/strict';
import { upstreamType } from './upstream-protos.js';

/**
 * `type.fromObject` → encode → decode → `toObject`. With `json: true` protobufjs decodes every
 * `google.protobuf.Any` by its type URL and writes it back inline with `@type`, the form the
 * builders emit.
 */
export function upstreamRoundTrip(typeName: string, value: object): unknown {
  const type = upstreamType(typeName);
  return upstreamObject(typeName, type.encode(type.fromObject(value as Record<string, unknown>)).finish());
}

/** `bytes` decoded with the upstream type, in the builders' object form. */
export function upstreamObject(typeName: string, bytes: Uint8Array): unknown {
  const type = upstreamType(typeName);
  return type.toObject(type.decode(bytes), { enums: String, longs: Number, json: true, defaults: false, oneofs: false });
}

/** Fails unless `value` survives the upstream wire format unchanged. */
export function assertUpstreamRoundTrip(typeName: string, value: object): void {
  assert.deepStrictEqual(upstreamRoundTrip(typeName, value), withoutEmptyLists(value));
}

/** Fails unless `bytes` (encoded by anyone) decode upstream to exactly `value`: nothing dropped, nothing extra. */
export function assertUpstreamDecodesTo(typeName: string, bytes: Uint8Array, value: object): void {
  assert.deepStrictEqual(upstreamObject(typeName, bytes), withoutEmptyLists(value));
}

/** An empty repeated field is absent on the wire; the two spellings mean the same. */
function withoutEmptyLists(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutEmptyLists);
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value).filter(([, item]) => !(Array.isArray(item) && item.length === 0));
  return Object.fromEntries(entries.map(([key, item]) => [key, withoutEmptyLists(item)]));
}
