/**
 * One xDS resource's bytes → its decoded message and name. The remote client and the
 * in-process feed both decode through here, so the router sees identical objects either way.
 */
import { loadXdsProtos } from '../../xds/proto/load.js';
import { MESSAGE_TYPES, TYPE_URLS, type XdsType } from '../../xds/xds-types.js';
import type { XdsResource } from './config-sink.js';
import { WireSchema } from './unknown-fields.js';

/** Where each message keeps its resource name. */
const NAME_FIELDS: Readonly<Record<XdsType, string>> = { cluster: 'name', endpoint: 'cluster_name', listener: 'name', route: 'name' };

export interface DecodedResource {
  readonly name: string;
  readonly message: XdsResource;
}

let schema: WireSchema | undefined;

/**
 * Throws an Error saying what is wrong with `bytes` as a resource of `type`. A field protos/
 * does not define would vanish in decoding (a route's header matcher, say), and the router
 * would then route more widely than Envoy: such a resource is refused, naming the field.
 */
export function decodeResource(type: XdsType, bytes: Uint8Array): DecodedResource {
  let message: XdsResource;
  let unknown: string | undefined;
  try {
    schema ??= new WireSchema(loadXdsProtos().packageDefinition);
    unknown = schema.findUnknownField(MESSAGE_TYPES[type], bytes);
    message = loadXdsProtos().decode(MESSAGE_TYPES[type], bytes);
  } catch (error) {
    throw new Error(`does not decode as ${MESSAGE_TYPES[type]}: ${(error as Error).message}`);
  }
  if (unknown !== undefined) throw new Error(`uses a field the Node router does not implement: ${unknown}`);
  const name = message[NAME_FIELDS[type]];
  if (typeof name !== 'string' || name === '') throw new Error(`a ${MESSAGE_TYPES[type]} without ${NAME_FIELDS[type]}`);
  return { name, message };
}

/** `google.protobuf.Any` as proto-loader decodes it inside a DiscoveryResponse. */
export interface PackedResource {
  readonly type_url?: string;
  readonly value?: Uint8Array;
}

const EMPTY = new Uint8Array(0);

/**
 * A response's resources by name. Throws (the whole response is rejected, as Envoy does)
 * when one is packed as another type, does not decode, or repeats a name.
 */
export function unpackResources(type: XdsType, packed: readonly PackedResource[]): Map<string, XdsResource> {
  const expected = TYPE_URLS[type];
  const resources = new Map<string, XdsResource>();
  packed.forEach((any, index) => {
    if (any.type_url !== expected) throw new Error(`resource ${index} is packed as "${any.type_url ?? ''}", not "${expected}"`);
    let decoded: DecodedResource;
    try {
      decoded = decodeResource(type, any.value ?? EMPTY);
    } catch (error) {
      throw new Error(`resource ${index} ${(error as Error).message}`);
    }
    if (resources.has(decoded.name)) throw new Error(`resource ${index} repeats the name "${decoded.name}"`);
    resources.set(decoded.name, decoded.message);
  });
  return resources;
}
