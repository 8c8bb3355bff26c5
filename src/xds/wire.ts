/**
 * Just enough of the protobuf wire format to assemble discovery responses from resource
 * bytes that were encoded once per version: concatenating length-delimited fields is a
 * valid encoding, so every stream shares the resource bytes and only its nonce is new.
 */
const LENGTH_DELIMITED = 2;

/** A base-128 varint (lengths and tags here are far below 2^53). */
export function varint(value: number): Buffer {
  const bytes: number[] = [];
  let rest = value;
  while (rest >= 0x80) {
    bytes.push((rest % 0x80) | 0x80);
    rest = Math.floor(rest / 0x80);
  }
  bytes.push(rest);
  return Buffer.from(bytes);
}

/** The tag and length that precede a length-delimited field of `length` bytes. */
export function fieldHeader(fieldNumber: number, length: number): Buffer {
  return Buffer.concat([varint(fieldNumber * 8 + LENGTH_DELIMITED), varint(length)]);
}

/** A length-delimited field: bytes, a string or an embedded message. */
export function bytesField(fieldNumber: number, value: Uint8Array): Buffer {
  return Buffer.concat([fieldHeader(fieldNumber, value.length), value]);
}

export function stringField(fieldNumber: number, value: string): Buffer {
  return bytesField(fieldNumber, Buffer.from(value, 'utf8'));
}
