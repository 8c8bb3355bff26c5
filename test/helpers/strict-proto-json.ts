/**
 * A strict reader of the proto3 JSON form that Envoy's YAML configs use, against protobufjs
 * reflection. Envoy refuses a config with an unknown field; protobufjs's fromObject drops it
 * without a word. So the value is walked here, every problem reported with its path, and the
 * result rewritten into the object form fromObject takes (proto field names, Durations as
 * `{ seconds, nanos }`, wrappers as `{ value }`, Structs as `{ fields }`).
 */
import protobuf from 'protobufjs';

export interface ProtoJsonReading {
  /** The value in protobufjs object form; meaningful only when `issues` is empty. */
  readonly object: Record<string, unknown>;
  /**
   * `path: problem`, e.g. `dynamic_resources.ads_config.set_node_on_first_message_onl:
   * unknown field of envoy.config.core.v3.ApiConfigSource`.
   */
  readonly issues: string[];
}

/** Reads `json` (parsed JSON or YAML) as a message of `type`. */
export function readProtoJson(type: protobuf.Type, json: unknown): ProtoJsonReading {
  const issues: string[] = [];
  const object = readMessage(type, json, '', issues) as Record<string, unknown>;
  return { object, issues };
}

const WRAPPERS = new Set(
  ['Double', 'Float', 'Int64', 'UInt64', 'Int32', 'UInt32', 'Bool', 'String', 'Bytes'].map(
    (kind) => `google.protobuf.${kind}Value`,
  ),
);
const DURATION = /^(-?)(\d+)(?:\.(\d{1,9}))?s$/;
const INTEGER_TYPES = new Set(
  ['int32', 'uint32', 'sint32', 'fixed32', 'sfixed32', 'int64', 'uint64', 'sint64', 'fixed64', 'sfixed64'],
);
const NUMBER_TYPES = new Set([...INTEGER_TYPES, 'double', 'float']);

const nameOf = (type: protobuf.ReflectionObject): string => type.fullName.slice(1);
const at = (path: string, key: string): string => (path ? `${path}.${key}` : key);

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readMessage(type: protobuf.Type, value: unknown, path: string, issues: string[]): unknown {
  const typeName = nameOf(type);
  if (typeName === 'google.protobuf.Duration') return readDuration(value, path, issues);
  if (typeName === 'google.protobuf.Value') return toValue(value);
  const valueField = type.fields['value'];
  if (WRAPPERS.has(typeName) && valueField) return { value: readSingle(valueField, value, path, issues) };
  if (typeName === 'google.protobuf.ListValue') {
    if (Array.isArray(value)) return toListValue(value);
    issues.push(`${path}: expected a list (${typeName})`);
    return {};
  }
  if (!isPlainObject(value)) {
    issues.push(`${path || '(root)'}: expected an object (${typeName})`);
    return {};
  }
  if (typeName === 'google.protobuf.Struct') return toStruct(value);
  if (typeName === 'google.protobuf.Any') return readAny(type, value, path, issues);
  return readFields(type, value, path, issues);
}

function readFields(type: protobuf.Type, value: Record<string, unknown>, path: string, issues: string[]): Record<string, unknown> {
  const object: Record<string, unknown> = {};
  const oneofMembers = new Map<string, string>();
  for (const [key, fieldValue] of Object.entries(value)) {
    const field = fieldNamed(type, key);
    if (!field) {
      issues.push(`${at(path, key)}: unknown field of ${nameOf(type)}`);
      continue;
    }
    const oneof = field.partOf?.name;
    if (oneof !== undefined) {
      const rival = oneofMembers.get(oneof);
      if (rival !== undefined) issues.push(`${at(path, key)}: oneof ${oneof} already set by ${rival}`);
      oneofMembers.set(oneof, key);
    }
    object[field.name] = readField(field, fieldValue, at(path, key), issues);
  }
  return object;
}

/** A field by its proto name or its JSON name (lowerCamelCase unless `json_name` says otherwise). */
function fieldNamed(type: protobuf.Type, key: string): protobuf.Field | undefined {
  return type.fields[key] ?? type.fieldsArray.find((field) => jsonName(field) === key);
}

function jsonName(field: protobuf.Field): string {
  const declared = field.options?.['json_name'] as string | undefined;
  return declared ?? field.name.replace(/_(.)/g, (_underscore, letter: string) => letter.toUpperCase());
}

function readAny(any: protobuf.Type, value: Record<string, unknown>, path: string, issues: string[]): unknown {
  const { '@type': typeUrl, ...fields } = value;
  if (typeof typeUrl !== 'string') {
    issues.push(`${at(path, '@type')}: an Any needs a string '@type'`);
    return {};
  }
  const packed = any.root.lookup(typeUrl.slice(typeUrl.lastIndexOf('/') + 1));
  if (!(packed instanceof protobuf.Type)) {
    issues.push(`${at(path, '@type')}: unknown type ${typeUrl}`);
    return {};
  }
  return { '@type': typeUrl, ...readFields(packed, fields, path, issues) };
}

function readField(field: protobuf.Field, value: unknown, path: string, issues: string[]): unknown {
  if (field instanceof protobuf.MapField) {
    if (!isPlainObject(value)) {
      issues.push(`${path}: expected a map (an object)`);
      return {};
    }
    return Object.fromEntries(
      Object.entries(value).map(([key, entry]) => [key, readSingle(field, entry, `${path}[${JSON.stringify(key)}]`, issues)]),
    );
  }
  if (field.repeated) {
    if (!Array.isArray(value)) {
      issues.push(`${path}: expected a list`);
      return [];
    }
    return value.map((item, index) => readSingle(field, item, `${path}[${index}]`, issues));
  }
  return readSingle(field, value, path, issues);
}

/** One value of `field` (an element, for repeated and map fields). */
function readSingle(field: protobuf.Field, value: unknown, path: string, issues: string[]): unknown {
  const resolved = field.resolvedType;
  if (resolved instanceof protobuf.Type) return readMessage(resolved, value, path, issues);
  if (resolved instanceof protobuf.Enum) {
    const known = typeof value === 'string' ? value in resolved.values : Object.values(resolved.values).includes(value as number);
    if (!known) issues.push(`${path}: ${JSON.stringify(value)} is not a value of ${nameOf(resolved)}`);
    return value;
  }
  if (!scalarFits(field.type, value)) issues.push(`${path}: ${JSON.stringify(value)} is not a ${field.type}`);
  return value;
}

function scalarFits(type: string, value: unknown): boolean {
  if (type === 'bool') return typeof value === 'boolean';
  if (type === 'string' || type === 'bytes') return typeof value === 'string';
  // proto3 JSON writes 64-bit integers as strings, and takes any number as a string.
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof number !== 'number' || !NUMBER_TYPES.has(type)) return false;
  return INTEGER_TYPES.has(type) ? Number.isInteger(number) : true;
}

function readDuration(value: unknown, path: string, issues: string[]): unknown {
  const match = typeof value === 'string' ? DURATION.exec(value) : null;
  if (!match) {
    issues.push(`${path}: ${JSON.stringify(value)} is not a duration like "1.5s"`);
    return {};
  }
  const [, minus = '', seconds = '0', fraction = ''] = match;
  const sign = minus ? -1 : 1;
  const nanos = Number(fraction.padEnd(9, '0'));
  return { seconds: sign * Number(seconds), ...(nanos ? { nanos: sign * nanos } : {}) };
}

/** google.protobuf.Struct, Value and ListValue hold any JSON; only their outer shape is checked. */
function toStruct(object: Record<string, unknown>): Record<string, unknown> {
  return { fields: Object.fromEntries(Object.entries(object).map(([key, item]) => [key, toValue(item)])) };
}

function toListValue(items: unknown[]): Record<string, unknown> {
  return { values: items.map(toValue) };
}

/** protobufjs's built-in Value names its fields in camelCase, even when loaded with keepCase. */
function toValue(value: unknown): Record<string, unknown> {
  if (value === null || value === undefined) return { nullValue: 'NULL_VALUE' };
  if (typeof value === 'number') return { numberValue: value };
  if (typeof value === 'string') return { stringValue: value };
  if (typeof value === 'boolean') return { boolValue: value };
  if (Array.isArray(value)) return { listValue: toListValue(value) };
  return { structValue: toStruct(value as Record<string, unknown>) };
}
