/**
 * One resource at one version, with its wire encodings computed at most once and shared by
 * every stream that sends it (go-control-plane's "serialise at most once", per resource).
 */
import { TYPE_URLS, type XdsType } from '../xds-types.js';
import { bytesField, encodeAny, stringField } from '../wire.js';

/** Process-wide counters, so tests and bench/ can prove the "once" above. */
export const encodingStats = { sotwEntries: 0, deltaEntries: 0 };

export class ResourceEntry {
  readonly type: XdsType;
  readonly name: string;
  readonly version: string;
  readonly body: Buffer;
  #sotw: Buffer | undefined;
  #delta: Buffer | undefined;

  constructor(type: XdsType, name: string, version: string, body: Buffer) {
    this.type = type;
    this.name = name;
    this.version = version;
    this.body = body;
  }

  /** `DiscoveryResponse.resources` (field 2) holding this resource as an Any. */
  sotwField(): Buffer {
    if (!this.#sotw) {
      this.#sotw = bytesField(2, encodeAny(TYPE_URLS[this.type], this.body));
      encodingStats.sotwEntries += 1;
    }
    return this.#sotw;
  }

  /** `DeltaDiscoveryResponse.resources` (field 2): a Resource with name (3), version (1) and the Any (2). */
  deltaField(): Buffer {
    if (!this.#delta) {
      const resource = Buffer.concat([stringField(3, this.name), stringField(1, this.version), bytesField(2, encodeAny(TYPE_URLS[this.type], this.body))]);
      this.#delta = bytesField(2, resource);
      encodingStats.deltaEntries += 1;
    }
    return this.#delta;
  }
}
