/** Constructors for the proto3 well-known types and shared Envoy messages, in object form. */
import type { Address, BoolValue, ConfigSource, Duration, HeaderValueOption, TypedConfig, UInt32Value } from './envoy-types.js';
import { typeUrl } from './names.js';

/** `seconds` may be fractional; `nanos` appears only when non-zero, as proto3 leaves it out. */
export function duration(seconds: number): Duration {
  const whole = Math.floor(seconds);
  const nanos = Math.round((seconds - whole) * 1e9);
  if (nanos === 0) return { seconds: whole };
  // Rounding may carry into the next second (0.9999999999 s); nanos must stay below 1e9.
  return nanos === 1e9 ? { seconds: whole + 1 } : { seconds: whole, nanos };
}

export function uint32(value: number): UInt32Value {
  return { value };
}

export function bool(value: boolean): BoolValue {
  return { value };
}

/** An inline `google.protobuf.Any` holding `fields` as the message `fullTypeName`. */
export function typedConfig(fullTypeName: string, fields: object = {}): TypedConfig {
  return { '@type': typeUrl(fullTypeName), ...fields };
}

/**
 * RDS and EDS ride the same ADS stream as LDS and CDS, so the server can order updates
 * (CDS before EDS before RDS) and Envoy never sees a reference before its target.
 */
export function adsConfigSource(): ConfigSource {
  return { ads: {}, resource_api_version: 'V3' };
}

export function socketAddress(address: string, port: number): Address {
  return { socket_address: { address, port_value: port } };
}

/** A header that replaces any existing value. `value` is in Envoy's substitution format. */
export function setHeader(key: string, value: string): HeaderValueOption {
  return { header: { key, value }, append_action: 'OVERWRITE_IF_EXISTS_OR_ADD' };
}
