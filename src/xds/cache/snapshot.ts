/**
 * An immutable, versioned view of every resource served to one node group. Resources keep
 * their own version (the snapshot version in which their bytes last changed), so delta
 * streams send only what changed and a reconnecting client's known versions stay valid;
 * each type keeps the version in which any of its resources last changed, for
 * state-of-the-world streams. A resource whose bytes did not change is carried over as the
 * same object, so its cached wire encodings are shared across versions and streams.
 */
import { XDS_TYPES, type XdsType } from '../xds-types.js';
import { ResourceEntry } from './resource-entry.js';

export interface EncodedResource {
  readonly name: string;
  /**
   * The resource message, encoded, in parts whose concatenation is the message (protobuf
   * fields concatenate). A RouteConfiguration is one part per virtual host, so a change
   * reuses the other parts and nothing copies megabytes until a response is assembled.
   */
  readonly parts: readonly Buffer[];
}

/** One encoded message as a resource. */
export function encodedResource(name: string, body: Buffer): EncodedResource {
  return { name, parts: [body] };
}

/** The message bytes of `resource`. */
export function resourceBytes(resource: EncodedResource): Buffer {
  return resource.parts.length === 1 ? resource.parts[0]! : Buffer.concat(resource.parts);
}

/** What one build produced: the resources of each type, in a stable order. */
export type ResourceSet = Readonly<Record<XdsType, readonly EncodedResource[]>>;

export interface TypeSnapshot {
  /** Changes exactly when a resource of this type is added, removed or changed (rule R6). */
  readonly version: string;
  readonly resources: ReadonlyMap<string, ResourceEntry>;
}

export interface Snapshot {
  readonly version: string;
  /** Orders snapshots of one instance: a higher seq is newer. */
  readonly seq: number;
  readonly types: Readonly<Record<XdsType, TypeSnapshot>>;
}

/**
 * The snapshot for `set` at `next`'s version, reusing `previous`'s entries where the bytes
 * are equal; returns `previous` itself when nothing changed at all.
 */
export function makeSnapshot(set: ResourceSet, next: { seq: number; version: string }, previous?: Snapshot): Snapshot {
  let changed = !previous;
  const types = {} as Record<XdsType, TypeSnapshot>;
  for (const type of XDS_TYPES) {
    const before = previous?.types[type];
    const resources = new Map<string, ResourceEntry>();
    let typeChanged = !before || before.resources.size !== set[type].length;
    for (const { name, parts } of set[type]) {
      if (resources.has(name)) throw new Error(`duplicate ${type} resource name "${name}"`);
      const old = before?.resources.get(name);
      if (old && sameParts(old.parts, parts)) resources.set(name, old);
      else {
        resources.set(name, new ResourceEntry(type, name, next.version, parts));
        typeChanged = true;
      }
    }
    changed ||= typeChanged;
    types[type] = typeChanged || !before ? { version: next.version, resources } : before;
  }
  if (!changed && previous) return previous;
  return { version: next.version, seq: next.seq, types };
}

/** Equal bytes, decided part by part: parts carried over from the last build are the same objects. */
function sameParts(a: readonly Buffer[], b: readonly Buffer[]): boolean {
  if (a.length !== b.length) return a.length > 0 && b.length > 0 && Buffer.concat(a).equals(Buffer.concat(b));
  return a.every((part, i) => part === b[i] || part.equals(b[i]!));
}
