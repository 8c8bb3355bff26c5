/**
 * Readers over @grpc/proto-loader's object form (src/xds/proto/load.ts): snake_case keys,
 * enums by name, wrappers as `{ value }`, Durations as `{ seconds, nanos }`. Every reader
 * names the offending field and where it sits, because its Error becomes the NACK's
 * error_detail that an operator reads.
 */

export type ProtoObject = Readonly<Record<string, unknown>>;

/**
 * proto3 has no presence for scalars and empty repeated fields, so a default value is the same
 * as unset; hand-written objects (tests, other control planes) may spell it out.
 */
function isSet(value: unknown): boolean {
  if (value === undefined || value === null || value === false || value === 0 || value === '') return false;
  return !(Array.isArray(value) && value.length === 0);
}

/**
 * Throws for the first set field outside `known`: a field the router does not know is one it
 * would silently ignore, and then it would route differently from Envoy.
 */
export function rejectUnknownFields(message: ProtoObject, known: ReadonlySet<string>, where: string): void {
  for (const key of Object.keys(message)) {
    if (!known.has(key) && isSet(message[key])) throw new Error(`${where}: ${key} is not supported by the Node router`);
  }
}

export function message(parent: ProtoObject, key: string, where: string): ProtoObject | undefined {
  const value = parent[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw new Error(`${where}: ${key} must be a message`);
  return value as ProtoObject;
}

export function messages(parent: ProtoObject, key: string, where: string): readonly ProtoObject[] {
  const value = parent[key];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new Error(`${where}: ${key} must be a list`);
  value.forEach((item, index) => {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) throw new Error(`${where}: ${key}[${index}] must be a message`);
  });
  return value as ProtoObject[];
}

export function strings(parent: ProtoObject, key: string, where: string): readonly string[] {
  const value = parent[key];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) throw new Error(`${where}: ${key} must be a list of strings`);
  return value as string[];
}

export function string(parent: ProtoObject, key: string, where: string): string | undefined {
  const value = parent[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new Error(`${where}: ${key} must be a string`);
  return value;
}

export function bool(parent: ProtoObject, key: string, where: string): boolean {
  const value = parent[key];
  if (value === undefined || value === null) return false;
  if (typeof value !== 'boolean') throw new Error(`${where}: ${key} must be a boolean`);
  return value;
}

export function uint32(parent: ProtoObject, key: string, where: string): number {
  return integer(parent[key] ?? 0, `${where}: ${key}`);
}

/** An enum by name; `fallback` is its zero value (what an unset enum reads as). */
export function enumName(parent: ProtoObject, key: string, where: string, fallback: string): string {
  const value = parent[key];
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'string') throw new Error(`${where}: ${key} must be an enum name`);
  return value;
}

/** A google.protobuf.BoolValue: undefined when unset. */
export function boolValue(parent: ProtoObject, key: string, where: string): boolean | undefined {
  const wrapper = message(parent, key, where);
  if (wrapper === undefined) return undefined;
  const value = wrapper['value'] ?? false;
  if (typeof value !== 'boolean') throw new Error(`${where}: ${key}.value must be a boolean`);
  return value;
}

/** A google.protobuf.UInt32Value: undefined when unset. */
export function uint32Value(parent: ProtoObject, key: string, where: string): number | undefined {
  const wrapper = message(parent, key, where);
  return wrapper === undefined ? undefined : integer(wrapper['value'] ?? 0, `${where}: ${key}.value`);
}

/**
 * A google.protobuf.Duration in whole milliseconds, undefined when unset. Envoy truncates
 * (DurationUtil::durationToMilliseconds) and refuses negative durations.
 */
export function durationMs(parent: ProtoObject, key: string, where: string): number | undefined {
  const duration = message(parent, key, where);
  if (duration === undefined) return undefined;
  const seconds = Number(duration['seconds'] ?? 0);
  const nanos = Number(duration['nanos'] ?? 0);
  if (!Number.isSafeInteger(seconds) || !Number.isInteger(nanos) || Math.abs(nanos) >= 1e9) {
    throw new Error(`${where}: ${key} is not a valid Duration`);
  }
  if (seconds < 0 || nanos < 0) throw new Error(`${where}: ${key} must not be negative`);
  return seconds * 1000 + Math.floor(nanos / 1e6);
}

function integer(value: unknown, what: string): number {
  // longs: Number in load.ts, but a hand-written object may carry a decimal string.
  const number = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isSafeInteger(number) || number < 0) throw new Error(`${what} must be a non-negative integer`);
  return number;
}

/** `value` cut short for an error message, so a huge input never floods a NACK. */
export function shorten(value: string): string {
  const MAX = 80;
  return value.length > MAX ? `${value.slice(0, MAX)}…` : value;
}

/** `value` quoted (and shortened) for an error message. */
export function quote(value: string): string {
  return JSON.stringify(shorten(value));
}
