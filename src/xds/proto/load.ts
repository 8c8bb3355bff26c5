/**
 * protos/ loaded once per process with @grpc/proto-loader: the package definition the gRPC
 * discovery services are built from, and encode/decode of any message type by full name.
 */
import { loadSync, type MessageTypeDefinition, type PackageDefinition } from '@grpc/proto-loader';
import { findUnknownAnyType } from './any-types.js';
import { PROTOS_DIR, protoFiles } from './proto-files.js';

export interface XdsProtos {
  /** For @grpc/grpc-js services (envoy.service.*). */
  readonly packageDefinition: PackageDefinition;
  /**
   * `message` in the proto-loader object form: snake_case field names, enums by name,
   * Durations as `{ seconds, nanos }`, wrappers as `{ value }`, Any as
   * `{ '@type': 'type.googleapis.com/<full.name>', ...fields }`, and Structs as
   * `{ fields: { key: { stringValue } } }` (protobufjs's built-in Value is camelCase).
   * `typeName` is a package-level message: proto-loader defines no nested ones.
   */
  encode(typeName: string, message: object): Buffer;
  /**
   * The object form of `bytes`, with only the fields that are set, 64-bit integers as
   * numbers, each set oneof named by a virtual property (`port_specifier: 'port_value'`),
   * and Any left as `{ type_url, value }` for the caller to decode with its own type.
   */
  decode(typeName: string, bytes: Uint8Array): Record<string, unknown>;
}

const LOADER_OPTIONS = { keepCase: true, enums: String, longs: Number, defaults: false, oneofs: true };

type MessageType = MessageTypeDefinition<object, Record<string, unknown>>;

let loaded: XdsProtos | undefined;

/** Loads protos/ on first use (tens of milliseconds); later calls return the same object. */
export function loadXdsProtos(): XdsProtos {
  loaded ??= xdsProtos(loadSync(protoFiles(PROTOS_DIR), { ...LOADER_OPTIONS, includeDirs: [PROTOS_DIR] }));
  return loaded;
}

function xdsProtos(packageDefinition: PackageDefinition): XdsProtos {
  const lookup = (typeName: string): MessageType | undefined => {
    const definition = packageDefinition[typeName] as { format?: unknown } | undefined;
    return definition?.format === 'Protocol Buffer 3 DescriptorProto' ? (definition as MessageType) : undefined;
  };
  const messageType = (typeName: string): MessageType => {
    const type = lookup(typeName);
    if (!type) throw new Error(`unknown message type "${typeName}": not defined in protos/`);
    return type;
  };
  return {
    packageDefinition,
    encode(typeName, message) {
      const type = messageType(typeName);
      const unknownAny = findUnknownAnyType(message, (name) => lookup(name) !== undefined);
      if (unknownAny !== undefined) {
        throw new Error(`cannot encode ${typeName}: an Any's '@type' names "${unknownAny}", which is not defined in protos/`);
      }
      return type.serialize(message);
    },
    decode(typeName, bytes) {
      return messageType(typeName).deserialize(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    },
  };
}
