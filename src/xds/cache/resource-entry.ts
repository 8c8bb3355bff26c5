/**
 * One resource at one version, with its wire encodings computed at most once and shared by
 * every stream that sends it (go-control-plane's "serialise at most once", per resource).
 */
import { TYPE_URLS, type XdsType } from '../xds-types.js';
import { fieldHeader, stringField } from '../wire.js';

/** Process-wide counters, so tests and bench/ can prove the "once" above. */
export const encodingStats = { sotwEntries: 0, deltaEntries: 0 };

export class ResourceEntry {
  readonly type: XdsType;
  readonly name: string;
  readonly version: string;
  /** The message, in parts (see EncodedResource). */
  readonly parts: readonly Buffer[];
  readonly #length: number;
  #sotw: Buffer | undefined;
  #delta: Buffer | undefined;

  constructor(type: XdsType, name: string, version: string, parts: readonly Buffer[]) {
    this.type = type;
    this.name = name;
    this.version = version;
    this.parts = parts;
    this.#length = parts.reduce((sum, part) => sum + part.length, 0);
  }

  /** The message in one buffer (for inspection; responses copy the parts once, directly). */
  get body(): Buffer {
    return Buffer.concat(this.parts, this.#length);
  }

  /** `DiscoveryResponse.resources` (field 2) holding this resource as an Any. */
  sotwField(): Buffer {
    if (!this.#sotw) {
      this.#sotw = this.#field([]);
      encodingStats.sotwEntries += 1;
    }
    return this.#sotw;
  }

  /** `DeltaDiscoveryResponse.resources` (field 2): a Resource with name (3), version (1) and the Any (2). */
  deltaField(): Buffer {
    if (!this.#delta) {
      this.#delta = this.#field([stringField(3, this.name), stringField(1, this.version)]);
      encodingStats.deltaEntries += 1;
    }
    return this.#delta;
  }

  /**
   * Field 2 holding `prefix` (wrapper fields) then an Any of the body, in one copy of the
   * body: the RouteConfiguration is megabytes, so headers are computed first.
   */
  #field(prefix: readonly Buffer[]): Buffer {
    const typeUrl = stringField(1, TYPE_URLS[this.type]);
    const valueHeader = fieldHeader(2, this.#length);
    const any = typeUrl.length + valueHeader.length + this.#length;
    const wrapped = prefix.length === 0 ? [] : [...prefix, fieldHeader(2, any)];
    const wrappedLength = wrapped.reduce((sum, part) => sum + part.length, 0) + any;
    return Buffer.concat([fieldHeader(2, wrappedLength), ...wrapped, typeUrl, valueHeader, ...this.parts]);
  }
}
