/**
 * protos/ holds only the fields triggerway emits, and decoding skips every other field
 * without a trace: a route with a header matcher from another control plane would decode as
 * the same route without it, and match more than Envoy would. So the bytes are walked
 * against the loaded schema first, and the first field it does not define is named: the
 * router then NACKs instead of routing differently. Any payloads whose type is loaded are
 * walked too.
 */
import type { PackageDefinition } from '@grpc/proto-loader';

interface FieldDescriptor {
  readonly name: string;
  readonly number: number;
  readonly type: string;
  readonly typeName: string;
}

interface MessageDescriptor {
  readonly name: string;
  readonly field: readonly FieldDescriptor[];
  readonly nestedType: readonly MessageDescriptor[];
}

interface Field {
  readonly name: string;
  /** Full name of the message type, for message fields. */
  readonly message: string | undefined;
}

const ANY = 'google.protobuf.Any';
const VARINT = 0;
const FIXED64 = 1;
const LENGTH_DELIMITED = 2;
const FIXED32 = 5;

/** Every message type of a package definition, nested ones included, by full name. */
export class WireSchema {
  readonly #messages = new Map<string, ReadonlyMap<number, Field>>();
  readonly #descriptors = new Map<string, MessageDescriptor>();

  constructor(definition: PackageDefinition) {
    for (const [name, type] of Object.entries(definition)) {
      const descriptor = (type as { format?: string; type?: MessageDescriptor }).type;
      if ((type as { format?: string }).format === 'Protocol Buffer 3 DescriptorProto' && descriptor) this.#register(name, descriptor);
    }
    for (const [name, descriptor] of this.#descriptors) this.#messages.set(name, this.#fields(name, descriptor));
  }

  /**
   * `where: field number N is not in protos/` for the first field of `bytes` (a `typeName`)
   * the schema does not define, else undefined. Throws on bytes that are not protobuf.
   */
  findUnknownField(typeName: string, bytes: Uint8Array): string | undefined {
    return this.#walk(typeName, bytes, typeName);
  }

  #register(name: string, descriptor: MessageDescriptor): void {
    this.#descriptors.set(name, descriptor);
    for (const nested of descriptor.nestedType) this.#register(`${name}.${nested.name}`, nested);
  }

  #fields(scope: string, descriptor: MessageDescriptor): Map<number, Field> {
    const fields = new Map<number, Field>();
    for (const field of descriptor.field) {
      const message = field.type === 'TYPE_MESSAGE' ? this.#resolve(scope, field.typeName) : undefined;
      fields.set(field.number, { name: field.name, message });
    }
    return fields;
  }

  /** protobuf name resolution: innermost scope first, then outwards. */
  #resolve(scope: string, typeName: string): string | undefined {
    if (typeName.startsWith('.')) return typeName.slice(1);
    const parts = scope.split('.');
    for (let length = parts.length; length >= 0; length--) {
      const candidate = [...parts.slice(0, length), typeName].join('.');
      if (this.#descriptors.has(candidate)) return candidate;
    }
    return undefined;
  }

  #walk(typeName: string, bytes: Uint8Array, where: string): string | undefined {
    const fields = this.#messages.get(typeName);
    if (fields === undefined) return undefined;
    const reader = new Reader(bytes);
    let anyType: string | undefined;
    let anyValue: Uint8Array | undefined;
    while (!reader.done()) {
      const tag = reader.varint();
      const number = Math.floor(tag / 8);
      const field = fields.get(number);
      if (field === undefined) return `${where}: field number ${number} is not in protos/, so the Node router cannot honour it`;
      const wireType = tag % 8;
      if (wireType !== LENGTH_DELIMITED) {
        reader.skip(wireType);
        continue;
      }
      const value = reader.bytes();
      if (field.message !== undefined) {
        const unknown = this.#walk(field.message, value, `${where}.${field.name}`);
        if (unknown !== undefined) return unknown;
      } else if (typeName === ANY && field.name === 'type_url') {
        anyType = new TextDecoder().decode(value);
      } else if (typeName === ANY && field.name === 'value') {
        anyValue = value;
      }
    }
    if (anyType === undefined || anyValue === undefined) return undefined;
    const payload = anyType.slice(anyType.lastIndexOf('/') + 1);
    return this.#walk(payload, anyValue, `${where}(${payload})`);
  }
}

/** Just enough of the wire format to step over fields. */
class Reader {
  readonly buffer: Uint8Array;
  #position = 0;

  constructor(buffer: Uint8Array) {
    this.buffer = buffer;
  }

  done(): boolean {
    return this.#position >= this.buffer.length;
  }

  /** A varint as a number; exact up to 2^53, which covers tags and lengths. */
  varint(): number {
    let value = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      const byte = this.#byte();
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) return value;
      scale *= 0x80;
    }
    throw new Error('malformed protobuf: a varint longer than 10 bytes');
  }

  bytes(): Uint8Array {
    const length = this.varint();
    const end = this.#position + length;
    if (end > this.buffer.length) throw new Error('malformed protobuf: a field runs past the end');
    const value = this.buffer.subarray(this.#position, end);
    this.#position = end;
    return value;
  }

  skip(wireType: number): void {
    if (wireType === VARINT) this.varint();
    else if (wireType === FIXED64) this.#advance(8);
    else if (wireType === FIXED32) this.#advance(4);
    else throw new Error(`malformed protobuf: wire type ${wireType} (groups are not used by Envoy's API)`);
  }

  #advance(count: number): void {
    if (this.#position + count > this.buffer.length) throw new Error('malformed protobuf: a field runs past the end');
    this.#position += count;
  }

  #byte(): number {
    const byte = this.buffer[this.#position++];
    if (byte === undefined) throw new Error('malformed protobuf: truncated varint');
    return byte;
  }
}
